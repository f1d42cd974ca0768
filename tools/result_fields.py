"""Default result fields of the list tools: what an agent does with each list.

A list tool named here returns only these fields unless the call gives `cols` (other fields) or
`cols: ["*"]` (every field). Two kinds, one argument:
- DEFAULT_FIELDS: the tool has Make's `cols[]`; the fields are asked of Make, and `["*"]` asks Make for every
  column (`cols[]=*`). Each is one of the values `cols` accepts and a field the items carry.
- TRIMMED_FIELDS: Make's operation has no `cols[]`; Make answers every field, the shape stage keeps these of
  each item, and `cols` (never sent to Make) accepts the fields the reference documents for the items.
tests/tools/test_result_fields.py checks both against the reference, tests/tools/test_list_fields_end_to_end.py
against Make's recorded answers and the sandbox's.

Left whole: lists whose documented `cols` values do not match their items (teams_list-user-roles), lists whose
items are small or all payload (data-structures_list: the spec is what one reads it for), and the NOT_TRIMMED
ones, each with its reason.
"""

from __future__ import annotations

from dataclasses import dataclass

# Asked as `cols: ["*"]`: every field the tool's `cols` accepts.
ALL_FIELDS = "*"

DEFAULT_FIELDS: dict[str, tuple[str, ...]] = {
    # Which to open, run, fix or switch off: on or off, trigger, folder, failures waiting, apps used.
    "scenarios_list": (
        "id",
        "name",
        "teamId",
        "folderId",
        "isActive",
        "hookId",
        "scheduling",
        "dlqCount",
        "usedPackages",
    ),
    # Which account an app uses and whether it still works (expire).
    "connections_list": ("id", "name", "accountName", "accountType", "expire", "metadata", "teamId"),
    "credential-requests_list": ("id", "name", "status", "teamId", "expiresAt", "createdAt"),
    "functions_list": ("id", "name", "description", "args"),
    "custom-property-structure-items_list": ("id", "name", "label", "type", "required", "options"),
    "data-stores_list": ("id", "name", "records", "size", "maxSize", "datastructureId"),
    "devices_list": ("id", "name", "scope", "queueCount", "scenarioId"),
    "keys_list": ("id", "name"),  # Make's items carry no typeName, although the reference lists it
    "organizations_list": ("id", "name", "zone", "teams", "isPaused"),
    "organizations_list-user-roles": ("userId", "organizationId", "usersRoleId", "invitation"),
    "folders_list": ("id", "name", "parentId", "scenariosTotal", "hasChildren"),
    "sdk-apps_list": ("name", "label", "version", "public", "approved", "beta"),
    "teams_list": ("id", "name", "organizationId"),
    "public-templates_list": ("id", "name", "description", "usedApps", "url"),
    "templates_list": ("id", "name", "description", "usedApps", "public", "published", "approved"),
    "roles_list": ("id", "name", "category", "description"),
    "user-organization-roles_list": ("userId", "organizationId", "usersRoleId", "invitation"),
    "users_list": ("id", "name", "email", "lastLogin", "userTeamIds"),
    "users_list-by-permission": ("id", "name", "email", "invitationStatus"),
}


@dataclass(frozen=True)
class TrimmedFields:
    """The result fields of a list tool whose Make operation has no `cols[]`: Make answers every field, and the
    shape stage keeps `default` of each item (and its `id`) unless the call's `cols` names others from
    `documented` (the fields the reference documents for the list's items) or is `["*"]` (all Make answered)."""

    default: tuple[str, ...]
    documented: tuple[str, ...]


TRIMMED_FIELDS: dict[str, TrimmedFields] = {
    # What came in and how much; the payload is for hook-incomings_get or `cols: ["data"]`.
    "hook-incomings_list": TrimmedFields(("id", "created", "size"), ("created", "data", "id", "scope", "size")),
    "device-incomings_list": TrimmedFields(("id", "created", "size"), ("created", "id", "scope", "size")),
    "device-outgoings_list": TrimmedFields(("id", "created", "size"), ("created", "id", "scope", "size")),
    # Which scenario a webhook starts, where it listens, whether it is on and how much waits in its queue.
    "hooks_list": TrimmedFields(
        ("id", "name", "typeName", "url", "enabled", "scenarioId", "queueCount"),
        (
            "data",
            "editable",
            "enabled",
            "flags",
            "gone",
            "id",
            "name",
            "packageName",
            "queueCount",
            "queueLimit",
            "scenarioId",
            "teamId",
            "theme",
            "type",
            "typeName",
            "udid",
            "url",
        ),
    ),
    "hook-logs_list": TrimmedFields(
        ("id", "loggedAt", "statusId", "typeId", "replayable"),
        ("appParser", "id", "imtId", "loggedAt", "parser", "replayable", "sizes", "statusId", "typeId", "udids"),
    ),
    # A run's outcome and cost; its id is what executions_get takes.
    "executions_list": TrimmedFields(
        ("id", "status", "timestamp", "duration", "operations", "type"),
        (
            "authorId",
            "authorName",
            "centicredits",
            "duration",
            "id",
            "imtId",
            "instant",
            "operations",
            "organizationId",
            "status",
            "teamId",
            "timestamp",
            "transfer",
            "type",
        ),
    ),
    "executions_list-for-incomp-exec": TrimmedFields(
        ("id", "status", "timestamp", "duration", "operations", "type"),
        (
            "authorId",
            "centicredits",
            "duration",
            "id",
            "imtId",
            "instant",
            "operations",
            "organizationId",
            "status",
            "teamId",
            "timestamp",
            "transfer",
            "type",
        ),
    ),
    "executions_list-module-logs": TrimmedFields(
        ("executionId", "status", "timestamp", "error", "warning", "bundles"),
        (
            "bundles",
            "error",
            "executionId",
            "imtId",
            "organizationId",
            "scenarioId",
            "size",
            "status",
            "teamId",
            "timestamp",
            "warning",
        ),
    ),
    # Why a run stopped and whether it is still to resolve.
    "incomplete-executions_list": TrimmedFields(
        ("id", "reason", "created", "attempts", "resolved"),
        ("attempts", "created", "id", "reason", "resolved", "retry", "size"),
    ),
    # Who did what to which, when.
    "audit-logs_list": TrimmedFields(
        ("uuid", "eventName", "triggeredAt", "actor", "targetId", "team"),
        (
            "actor",
            "createdAt",
            "eventName",
            "organization",
            "organizationId",
            "targetId",
            "team",
            "triggeredAt",
            "uuid",
            "version",
        ),
    ),
    "audit-logs_list-for-team": TrimmedFields(
        ("uuid", "eventName", "triggeredAt", "actor", "targetId"),
        (
            "actor",
            "createdAt",
            "eventName",
            "organization",
            "organizationId",
            "targetId",
            "team",
            "triggeredAt",
            "uuid",
            "version",
        ),
    ),
    "scenarios_list-ai-agents": TrimmedFields(
        ("id", "name", "isActive", "agentCount", "usedPackages"),
        (
            "agentCount",
            "created",
            "createdByUser",
            "description",
            "id",
            "isActive",
            "lastEdit",
            "name",
            "scheduling",
            "teamId",
            "usedPackages",
        ),
    ),
    # The agent's state; never its client secret unless asked (Make's items carry no lastConnectionDate).
    "on-prem-agent_list": TrimmedFields(
        ("id", "name", "status", "connected", "version"),
        (
            "alerted",
            "clientSecret",
            "connected",
            "createdDate",
            "id",
            "lastConnectionDate",
            "name",
            "status",
            "systemConnectionsCount",
            "tenantId",
            "version",
        ),
    ),
    # A key type's name and the parameters a key of it needs (not its icon).
    "keys_list-types": TrimmedFields(
        ("name", "label", "parameters"),
        ("author", "componentType", "icon", "label", "name", "parameters", "theme", "version"),
    ),
    "credential-requests_list-app-modules-with-creds": TrimmedFields(
        ("id", "name", "label", "type"), ("hook", "id", "label", "name", "scope", "type")
    ),
    "custom-property-structures_list": TrimmedFields(("id", "belongers"), ("belongers", "created", "id")),
    "organizations_list-apps": TrimmedFields(
        ("appName", "appVersion", "installedAt"),
        ("appName", "appVersion", "installedAt", "installedBy", "organizationId"),
    ),
    "managed-organizations_list": TrimmedFields(
        ("organizationId", "organizationName", "zoneName", "operationsAllocated"),
        (
            "countryId",
            "operationsAllocated",
            "organizationId",
            "organizationName",
            "timezoneId",
            "zoneDomain",
            "zoneId",
            "zoneName",
        ),
    ),
    "managed-organizations_list-consumption": TrimmedFields(
        ("organizationId", "operationsConsumed", "centicreditsConsumed", "transferConsumed", "lastReset"),
        (
            "centicreditsConsumed",
            "centicreditsExtra",
            "lastReset",
            "operationsConsumed",
            "operationsExtra",
            "organizationId",
            "transferConsumed",
            "transferExtra",
        ),
    ),
    "affiliate_list-commissions": TrimmedFields(
        ("id", "commission", "status", "type", "created", "organization_id"),
        (
            "commission",
            "created",
            "id",
            "organization_id",
            "payout_approved",
            "payout_realized",
            "payout_requested",
            "source",
            "status",
            "type",
        ),
    ),
    "subscriptions_list-payment-method-types": TrimmedFields(
        ("value", "label"), ("canBeDefaultForExtras", "canBeDefaultForSubscription", "label", "value")
    ),
    "subscriptions_list-payment-methods": TrimmedFields(
        ("id", "type", "methodDetails", "valid", "customerDefaultMethod"),
        (
            "created",
            "customerDefaultExtrasMethod",
            "customerDefaultMethod",
            "id",
            "isImmediate",
            "methodDetails",
            "type",
            "valid",
        ),
    ),
    "subscriptions_list-payments": TrimmedFields(
        ("id", "created", "product_name", "amount_total", "currency_code", "status_name", "invoice_number"),
        (
            "amount_total",
            "created",
            "currency_code",
            "hosted_invoice_url",
            "id",
            "invoice_number",
            "invoice_url",
            "payment_method",
            "period_from",
            "period_to",
            "product_name",
            "status_name",
            "type_name",
        ),
    ),
    # An SDK app's parts by name; their parameters and code are read one by one.
    "sdk-connections_list": TrimmedFields(
        ("name", "label", "type"), ("alias_to", "app_version", "label", "name", "parameters", "type")
    ),
    "sdk-webhooks_list": TrimmedFields(
        ("name", "label", "type"), ("app_version", "label", "name", "parameters", "type")
    ),
    "sdk-modules_list": TrimmedFields(
        ("name", "label", "typeId", "description", "connection", "webhook"),
        (
            "altConnection",
            "approved",
            "archived",
            "connection",
            "crud",
            "description",
            "label",
            "name",
            "public",
            "typeId",
            "webhook",
        ),
    ),
    "sdk-functions_list": TrimmedFields(("name", "args"), ("args", "name")),
    # The variable is its value: every field but whether Make set it.
    "team-variables_list": TrimmedFields(
        ("name", "typeId", "value", "isSystem"), ("isSystem", "name", "typeId", "value")
    ),
    # `created` is what api-tokens_delete takes.
    "api-tokens_list": TrimmedFields(("label", "scope", "created"), ("created", "label", "scope", "token")),
    "user-team-notifications_list": TrimmedFields(
        ("notificationId", "enabled"), ("enabled", "notificationId", "teamId", "userId")
    ),
    "user-team-roles_list": TrimmedFields(
        ("teamId", "usersRoleId", "changeable"), ("changeable", "ssoPending", "teamId", "userId", "usersRoleId")
    ),
}

# The other list tools without Make's `cols[]`, returned whole (less the empty values the shape stage drops).
NOT_TRIMMED: dict[str, str] = {
    "ai-agent-contexts_list": "the reference does not document its items",
    "connected-system_list": "the reference does not document it (Make's SDK calls it), nor its items",
    "connected-system_list-apps": "the reference does not document it (Make's SDK calls it), nor its items",
    "sdk-endpoints_list": "the reference does not document it (Make's SDK calls it), nor its items",
    "ai-agents_list": "the reference does not document its items",
    "cashier_list-products": "the reference does not document its items",
    "llm-providers_list-models": "the reference does not document its items",
    "sdk-rpcs_list": "the reference does not document its items",
    "sso-certificates_list": "the reference does not document its items",
    "organization-variables_list": "its answer is one object, not a list of items",
    "scenario-build-variables_list": "its answer is one object, not a list of items",
    "data-store-records_list": "its items are the user's records (a key and the data)",
    "llm-providers_list": "each of the three fields of its items is what one reads it for",
    "notifications_list": "each of the five fields of its items is what one reads it for",
    "scenarios_list-consumptions": "each of the four fields of its items is what one reads it for",
    "app-modules_list": "the builder answers its three fields per module (name, label, kind), not Make's manifest",
}
