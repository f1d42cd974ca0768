"""The overlay records of the scenarios toolset (what an overlay holds: tools/overlays/model.py)."""

from make_mcp.tools.overlays.model import (
    ACTS_OUTSIDE,
    BUILD_VARIABLES,
    CREATES_EACH_TIME,
    OVERWRITES,
    SETS,
    SWITCH,
    Overlay,
)

OVERLAYS: tuple[Overlay, ...] = (
    Overlay(
        "GET /scenarios/{scenarioId}/blueprint",
        "blueprints_get",
        official=True,
        description="Get a scenario's blueprint (modules, routes, settings). blueprintId selects an older version.",
    ),
    Overlay(
        "GET /scenarios/{scenarioId}/blueprints",
        "blueprints_versions",
        official=True,
        description="List the saved blueprint versions of a scenario.",
    ),
    Overlay(
        "GET /scenarios/{scenarioId}/logs/{executionId}",
        "executions_get",
        official=True,
        title="Get execution",
        description="Get the summary of one run: status, duration, operations and transfer used.",
    ),
    Overlay(
        "GET /scenarios/{scenarioId}/executions/{executionId}",
        "executions_get-detail",
        official=True,
        title="Get execution detail",
        description=(
            "Get one run's status and outputs; if it failed, the error (name, message) and causeModule (the "
            "module it failed in)."
        ),
    ),
    Overlay(
        "GET /scenarios/{scenarioId}/logs",
        "executions_list",
        official=True,
        title="List scenario executions",
        description=(
            "List a scenario's past runs, newest first; filter by status, time (from/to) or size. Page with pg."
        ),
        field_types={"status": "RunStatus"},
        field_descriptions={
            "status": "1 success, 2 warning, 3 error.",
            "from": "Unix time in ms.",
            "to": "Unix time in ms.",
        },
    ),
    Overlay(
        "GET /scenarios/{scenarioId}/modules/{moduleId}/logs",
        "executions_list-module-logs",
        description="List the logged runs of one module of a scenario.",
    ),
    Overlay(
        "GET /scenarios/{scenarioId}/modules/operations",
        "executions_operations-by-module",
        description="Operations each module of a scenario used over the last `days` days.",
    ),
    Overlay(
        "POST /scenarios-folders",
        "folders_create",
        sdk_fields={"parentId": "body"},
        official=True,
        description="Create a scenario folder in a team.",
    ),
    Overlay(
        "DELETE /scenarios-folders/{folderId}", "folders_delete", official=True, description="Delete a scenario folder."
    ),
    Overlay(
        "GET /scenarios-folders",
        "folders_list",
        sdk_fields={"childrenDepth": "query"},
        default_query=(("cols[]", "*"),),
        official=True,
        description="List the scenario folders of a team.",
    ),
    Overlay(
        "POST /scenarios-folders/move-scenarios",
        "folders_move-scenarios",
        description="Move scenarios into a folder of their team.",
        writes=SETS,
    ),
    Overlay(
        "PATCH /scenarios-folders/{folderId}",
        "folders_update",
        sdk_fields={"parentId": "body"},
        default_query=(("cols[]", "*"),),
        official=True,
        # A move (parentId) needs no name, so neither field is required.
        description="Rename a scenario folder, or move it into another (parentId).",
        writes=SETS,
    ),
    Overlay(
        "POST /scenarios/{scenarioId}/build-variables",
        "scenario-build-variables_add",
        writes=CREATES_EACH_TIME,
        required_body_fields=("input",),
        field_descriptions={"input": BUILD_VARIABLES},
    ),
    Overlay("DELETE /scenarios/{scenarioId}/build-variables", "scenario-build-variables_delete"),
    Overlay(
        "GET /scenarios/{scenarioId}/build-variables",
        "scenario-build-variables_list",
        description="List a scenario's buildtime variables (TAC_ team and PAC_ personal values).",
    ),
    Overlay(
        "PUT /scenarios/{scenarioId}/build-variables",
        "scenario-build-variables_update",
        writes=OVERWRITES,
        required_body_fields=("input",),
        field_descriptions={"input": BUILD_VARIABLES},
    ),
    Overlay(
        "POST /scenarios/{scenarioId}/custom-properties",
        "scenario-custom-properties_create",
        argument_names={"body": "customProperties"},
        official=True,
        description="Fill in a scenario's custom properties for the first time; `body` maps item names to values.",
        required_whole_body=True,
    ),
    Overlay(
        "DELETE /scenarios/{scenarioId}/custom-properties",
        "scenario-custom-properties_delete",
        official=True,
        description="Delete all custom property values of a scenario.",
    ),
    Overlay(
        "GET /scenarios/{scenarioId}/custom-properties",
        "scenario-custom-properties_get",
        official=True,
        description="Get the custom property values filled in for a scenario.",
    ),
    Overlay(
        "PUT /scenarios/{scenarioId}/custom-properties",
        "scenario-custom-properties_replace",
        argument_names={"body": "customProperties"},
        official=True,
        description="Replace all custom property values of a scenario; `body` maps item names to values.",
        writes=OVERWRITES,
        required_whole_body=True,
    ),
    Overlay(
        "PATCH /scenarios/{scenarioId}/custom-properties",
        "scenario-custom-properties_update",
        argument_names={"body": "customProperties"},
        official=True,
        description="Change some custom property values of a scenario; `body` maps item names to values.",
        writes=SETS,
        required_whole_body=True,
    ),
    Overlay(
        "POST /scenarios/{scenarioId}/start",
        "scenarios_activate",
        official=True,
        description="Switch a scenario on so its schedule or trigger runs it.",
        writes=SWITCH,
        changes_scenarios=True,
    ),
    Overlay(
        "GET /scenarios/{scenarioId}/data/{moduleId}",
        "scenarios_check-module-data",
        description="Tell whether a module of a scenario holds stored data (the data itself is not returned).",
    ),
    Overlay(
        "POST /scenarios/{scenarioId}/clone",
        "scenarios_clone",
        description=(
            "Copy a scenario into a team under a new name; map connections, keys, hooks, devices, data "
            "structures and data stores of the copy with the account/key/hook/device/udt/datastore objects."
        ),
        writes=CREATES_EACH_TIME,
        changes_scenarios=True,
    ),
    Overlay("GET /scenarios/trash/count", "scenarios_count-trash"),
    Overlay(
        "POST /scenarios",
        "scenarios_create",
        default_query=(("cols[]", "*"),),
        omitted_parameters=("cols[]",),
        checks_blueprint=True,
        official=True,
        description=(
            "Create a scenario in a team (blueprint and scheduling as objects); confirmed=true if it uses apps "
            "not yet installed. On-demand with an interface, it is a tool once active."
        ),
        run="SCENARIO_CREATE",
        run_fields={"interface": "ScenarioInterface"},
        field_descriptions={
            "interface": "Set right after creating: {name, type, ...} items as scenarios_make-callable's."
        },
        changes_scenarios=True,
    ),
    Overlay(
        "POST /scenarios/{scenarioId}/stop",
        "scenarios_deactivate",
        official=True,
        description="Switch a scenario off; it stops running until activated again.",
        writes=SWITCH,
        changes_scenarios=True,
    ),
    Overlay(
        "DELETE /scenarios/{scenarioId}",
        "scenarios_delete",
        official=True,
        description="Delete a scenario.",
        changes_scenarios=True,
    ),
    Overlay(
        "GET /scenarios/{scenarioId}",
        "scenarios_get",
        default_query=(("cols[]", "*"),),
        omitted_parameters=("cols[]",),
        official=True,
        description="Get a scenario's settings, state and current `blueprint` (blueprints_get: older versions).",
        run="SCENARIO_WITH_BLUEPRINT",
    ),
    Overlay(
        "GET /scenarios/{scenarioId}/triggers",
        "scenarios_get-triggers",
        description="Get the settings of a scenario's trigger module, such as its webhook.",
    ),
    Overlay(
        "GET /scenarios/{scenarioId}/usage",
        "scenarios_get-usage",
        description="Daily operations, centicredits and data transfer of a scenario over the last 30 days.",
    ),
    Overlay(
        "GET /scenarios/{scenarioId}/interface",
        "scenarios_interface",
        official=True,
        description="Get a scenario's declared inputs and outputs: the shape of `data` that scenarios_run takes.",
    ),
    Overlay(
        "GET /scenarios",
        "scenarios_list",
        default_query=(("cols[]", "*"),),
        omitted_parameters=("islinked",),  # deprecated
        official=True,
        description=(
            "List the scenarios of a team or organization; filter by folderId, isActive or id. cols picks fields."
        ),
        exactly_one_of=("teamId", "organizationId"),
    ),
    Overlay("GET /scenarios/ai-agents", "scenarios_list-ai-agents"),
    Overlay(
        "GET /scenarios/consumptions",
        "scenarios_list-consumptions",
        description="List the operations, transfer and credits each scenario used since the last reset.",
    ),
    Overlay(
        "POST /scenarios/{scenarioId}/replay",
        "scenarios_replay",
        description="Run one past execution of an active scenario again, with the input it had then.",
        writes=ACTS_OUTSIDE,
        required_body_fields=("executionIds",),
        array_item_types={"executionIds": "string"},
        field_descriptions={"executionIds": "Execution ids from executions_list; Make replays only the first."},
    ),
    Overlay(
        "POST /scenarios/{scenarioId}/restore",
        "scenarios_restore",
        description="Bring a deleted scenario back from the trash (possible for 30 days after deletion).",
        writes=SWITCH,
    ),
    Overlay(
        "POST /scenarios/{scenarioId}/run",
        "scenarios_run",
        official=True,
        description=(
            "Run a scenario now with input `data` (scenarios_interface). responsive=true waits for the "
            "outcome; else only its executionId returns (executions_get-detail)."
        ),
        writes=ACTS_OUTSIDE,
        rate_limit_exempt=True,
        min_timeout=45.0,
    ),
    Overlay(
        "PATCH /scenarios/{scenarioId}/interface",
        "scenarios_set-interface",
        official=True,
        description="Replace a scenario's declared inputs and outputs.",
        writes=OVERWRITES,
        required_body_fields=("interface",),
        changes_scenarios=True,
    ),
    Overlay(
        "PATCH /scenarios/{scenarioId}",
        "scenarios_update",
        sdk_fields={"description": "body"},
        default_query=(("cols[]", "*"),),
        omitted_parameters=("cols[]",),
        checks_blueprint=True,
        official=True,
        description=(
            "Change a scenario's name, folder, blueprint or scheduling (objects); confirmed=true if the "
            "blueprint needs apps installed."
        ),
        writes=OVERWRITES,
        json_string_fields=("blueprint", "scheduling"),
        destructive_fields=("blueprint", "scheduling"),
        changes_scenarios=True,
    ),
    Overlay("PATCH /scenarios/tools/{scenarioId}", "scenarios_update-tool", writes=SETS),
)
