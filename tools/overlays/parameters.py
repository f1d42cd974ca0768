"""Parameters by Make's name, wherever they occur (what a record holds: tools/overlays/model.py)."""

from make_mcp.tools.overlays.model import Parameter

PARAMETERS: tuple[Parameter, ...] = (
    Parameter("teamId", description="From teams_list.", integer=True),
    Parameter("organizationId", description="From organizations_list.", integer=True),
    Parameter("scenarioId", description="From scenarios_list."),
    Parameter("hookId", description="Webhook or mailhook, from hooks_list."),
    Parameter("connectionId", description="From connections_list."),
    Parameter("dataStoreId", description="From data-stores_list."),
    Parameter("dataStructureId", description="From data-structures_list."),
    Parameter("dataStoreKeyRecord", description="Record key."),
    Parameter("dlqId", description="Incomplete execution, from incomplete-executions_list."),
    Parameter("executionId", description="From executions_list or scenarios_run."),
    Parameter("moduleId", description="The module's id in the scenario's blueprint (blueprints_get)."),
    Parameter("timestamp", description="The token's `created` value from api-tokens_list."),
    Parameter("confirmed", description="Set true when Make asks to confirm."),
    Parameter("cols", description="Fields to return."),
    Parameter("pg", description="Paging and sorting."),
    Parameter("blueprint", description="Scenario blueprint as a JSON object."),
    Parameter("scheduling", description='Scheduling as a JSON object, e.g. {"type": "indefinitely", "interval": 900}.'),
    Parameter("__IMTCONN__", description="ID of the connection the hook uses (sent as __IMTCONN__).", name="IMTCONN"),
    Parameter(
        "<connectionType>[]",
        description="Scopes each listed connection type must have, keyed by type (sent as <type>[]).",
        name="scopes",
        type_expr="dict[str, list[str]]",
    ),
    Parameter("SDK_appVersion", integer=True),
    Parameter("deviceId", integer=True),
    Parameter("makeConnectionId", integer=True),
    Parameter("makeProviderId", integer=True),
    Parameter("priceId", integer=True),
    Parameter("providerId", integer=True),
    Parameter("typeId", integer=True),
    Parameter("userId", integer=True),
    Parameter("Content-Type", skipped=True),
)
