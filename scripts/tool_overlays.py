"""Hand-written facts that the vendored spec does not carry, read by scripts/generate_tools.py.

Everything here is a decision a person made and can defend: tool names, short titles, our own
descriptions, annotations of the writes that change state, and the few places where the reference
disagrees with what Make answers. Three kinds of record hold them:

- `Overlay`: everything about one operation of tools/spec/make-openapi.json, keyed by its method and path
  (`"GET /scenarios"`). Every operation of the spec has exactly one, and each names its tool.
- `Parameter`: a parameter Make uses in many operations under one name (`teamId`): its description, and
  our name or type where Make's cannot serve.
- `Toolset`: where operations go to another toolset than the reference page they are documented on.

The generator fails with a message naming the record when one no longer matches the spec (an operation,
a field, a tag or a parameter the spec lacks), so stale overlays cannot linger. `python scripts/generate.py`
regenerates everything that depends on them.

Tool names: where the official Make tool set has the operation, the tool has its name (`official=True`), so
prompts and skills written for the official MCP server keep working. Source: the public Make TypeScript SDK
(npm @makehq/sdk, GitHub integromat/make-typescript-sdk), whose src/endpoints/*.tools.ts files declare each
tool's `name` (blueprints_* come from the older src/endpoints/blueprints.mcp.ts). Only names and the
operation each tool calls were taken from it. The other names follow the same `<resource>_<action>` style.

Adding a fact about operations is a change in one place: a field of `Overlay` with a default that means
"no correction", and a comment saying what it holds. A field the server only reads at run time is declared
with `passed_through(default)` and is also a field of `tools.catalogue.Operation` under the same name: the
generator writes it into the tool's `Operation(...)` wherever a record sets it to another value than the
default, in the order the fields are declared here, and nothing else is needed. A field that changes what
is generated (input fields, titles) is read where the generator builds that part, and its staleness check
goes in `check_overlays` there.

An operation that sends several requests (scenarios_get reads the blueprint too) names a `Run` record of
tools/runs.py in `run`: the generated `Operation` takes its steps and run, and the generator checks that
the record exists and declares the operation's own request among its steps.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import KW_ONLY, dataclass, field
from typing import Any


def passed_through(default: Any) -> Any:
    """An `Overlay` field that the generator copies into `Operation(...)` when a record sets it."""
    return field(default=default, metadata={"operation": True})


@dataclass(frozen=True)
class Writes:
    """The annotations of a write where the method's default is wrong.

    Defaults by method: GET read-only and idempotent; DELETE destructive and idempotent; PUT idempotent;
    POST and PATCH neither. Every write that is not a plain create was checked by hand: state switches,
    runs, overwrites, deletions through POST, and idempotent PATCHes. Creates keep the POST default. The
    SDK app section and code writes keep the non-destructive default: Make holds such edits as uncommitted
    changes that sdk-apps_rollback can discard.
    """

    destructive: bool
    idempotent: bool


# Runs and replays act in the outside world through the scenario's modules.
ACTS_OUTSIDE = Writes(destructive=True, idempotent=False)
# Remote procedures usually fetch options from the app's API, but may call anything.
MAY_CALL_ANYTHING = Writes(destructive=False, idempotent=False)
# Switches: repeating one changes nothing more.
SWITCH = Writes(destructive=False, idempotent=True)
# Checks that only read, sent as POST.
CHECK = Writes(destructive=False, idempotent=True)
# Copies and requests create something new each time.
CREATES_EACH_TIME = Writes(destructive=False, idempotent=False)
# Overwrites or discards something, and does so again when repeated.
DISCARDS = Writes(destructive=True, idempotent=False)
# Overwrites, discards or revokes something (PUTs that replace a whole resource among them); repeating it
# changes nothing more.
OVERWRITES = Writes(destructive=True, idempotent=True)
# Sets the given fields (most PATCHes), keeping what it does not name; repeating it changes nothing more.
SETS = Writes(destructive=False, idempotent=True)


@dataclass(frozen=True)
class Overlay:
    """Every correction for one operation. Field names are Make's (the wire names), as in the spec."""

    operation: str  # "GET /scenarios": the method and path template of the spec's operation
    name: str  # the tool's name: <resource>_<action>, lowercase, at most 48 characters
    _: KW_ONLY
    official: bool = False  # the name is the official Make tool set's
    title: str | None = None  # instead of the spec's summary (sentence-cased), where that is vague or shared
    description: str | None = None  # our own words; else the title as a sentence
    writes: Writes | None = None  # annotations of a write other than its method's default
    # (key, JSON type) of the payload where live Make answers under another key than the reference documents
    # (seen in the SDK's recorded responses).
    response_key: tuple[str, str] | None = None
    # Body fields the operation is pointless without, although the reference marks none of its body required:
    # a rename without the name, a variable without its value. A field the reference comes to require is stale.
    required_body_fields: tuple[str, ...] = ()
    required_whole_body: bool = False  # a free-form body it cannot do without, although the reference says optional
    # The body is a section's JSON text (comments allowed), sent as it is (application/jsonc) as Make's SDK does,
    # instead of the object the reference describes.
    section_text: bool = False
    # Body fields that carry JSON text in Make's API but objects in ours (besides those whose description says
    # "(JSON string)").
    json_string_fields: tuple[str, ...] = ()
    # Item types (JSON schema types) of arrays the reference leaves untyped (`items: {}`), from what its
    # descriptions and Make's answers say the items are.
    array_item_types: Mapping[str, str] = field(default_factory=dict[str, str])
    # Python types of fields (body or parameters) where the reference's type refuses what agents send: a name of
    # tools.catalogue (RunStatus takes executions_list's status as 3, "3" or "error").
    field_types: Mapping[str, str] = field(default_factory=dict[str, str])
    # Descriptions of fields (body or parameters) where the name alone does not say what Make wants.
    field_descriptions: Mapping[str, str] = field(default_factory=dict[str, str])
    # Make documents it as outside the organization's request limit: the client's rate budget skips it.
    rate_limit_exempt: bool = passed_through(False)
    # Seconds a try may take at least, where Make keeps the request open longer than usual: a responsive
    # scenario run waits up to 40 s for its outcome, and cut sooner the run goes on but its answer is lost.
    min_timeout: float | None = passed_through(None)
    # Parameters of which a call takes exactly one, where the reference marks the first required although its
    # text says either will do (and both together is an error).
    exactly_one_of: tuple[str, ...] = passed_through(())
    # Fields of which a call gives at least one, where each is optional alone (a rename, new data, or both).
    at_least_one_of: tuple[str, ...] = passed_through(())
    # The fields a list tool returns when the agent asks for none.
    default_cols: tuple[str, ...] = passed_through(())
    # `cols[]` values the reference spells otherwise than the items Make answers carry them, as pairs (the
    # reference's spelling, the items'): the tool offers the items' name, which Make's other operations on the
    # same items document, and takes the reference's as an alias for it.
    column_aliases: tuple[tuple[str, str], ...] = passed_through(())
    # Query pairs (Make's wire name, value) sent when the call gives that parameter no value: what the official
    # tool sends unasked (tools/spec/official-mapping.json "defaults", decided in scripts/official_mapping.py).
    default_query: tuple[tuple[str, str], ...] = passed_through(())
    # Official tools only: our field name (from Make's) -> the official tool's argument name for the same value
    # (tools/spec/official-mapping.json). The official name is advertised; Make's stays accepted unlisted, and
    # the request keeps Make's wire name.
    argument_names: Mapping[str, str] = field(default_factory=dict[str, str])
    # Arguments of the official tool that the reference omits although Make's SDK sends them, by name: where
    # they travel, "query" or "body", "query:<wire name>" where Make's name differs (pg[limit]), or "spread": an
    # object whose members are sent as body fields (hooks_create's data). Their types
    # come from tools/spec/official-tools.json.
    sdk_fields: Mapping[str, str] = field(default_factory=dict[str, str])
    # Path parameters (Make's names) whose value this tool fixes: one documented operation made two tools, as
    # the official set has them (sdk-apps_set-public and sdk-apps_set-private of one set-visibility request).
    # Every record of such an operation fixes the same parameters to other values.
    fixed_path: Mapping[str, str] = field(default_factory=dict[str, str])
    # The name of a `tools.catalogue.Run` record in tools/runs.py, for an operation that sends several requests
    # (its own and others): the generated `Operation` takes the record's steps and run.
    run: str | None = None
    # A destructive tool whose harm lies in some fields only (scenarios_update's blueprint and scheduling): a call
    # sending none of them (a rename, a move to a folder) loses nothing and is not asked to confirm.
    destructive_fields: tuple[str, ...] = passed_through(())


@dataclass(frozen=True)
class Parameter:
    """A parameter by Make's name, wherever it occurs; a description also serves a field we name so (`cols`
    for `cols[]`), and `pg` is the one field standing for all pg[...] parameters."""

    wire_name: str
    _: KW_ONLY
    description: str | None = None  # for every field of that name; an ID's names the tool that finds it
    name: str | None = None  # our field name, where Make's is not a usable Python name
    type_expr: str | None = None  # a Python type the reference cannot express
    # An ID the reference types inconsistently (string here, number there) although Make always uses integers:
    # a string or float field would reject or mangle an agent's 5.
    integer: bool = False
    skipped: bool = False  # a header the runtime sets itself (the body's content type)


@dataclass(frozen=True)
class Toolset:
    """A toolset is the top-level name of the reference page (the part before " / "), slugged, except as
    these records say."""

    name: str
    _: KW_ONLY
    tags: tuple[str, ...] = ()  # reference pages (tags) whose operations it holds besides its own
    # Tool resources (the part of the name before "_") it takes from the pages they are documented on.
    resources: tuple[str, ...] = ()


TOOLSETS: tuple[Toolset, ...] = (
    Toolset("scenarios", tags=("Scenarios folders",)),
    # An organization's subscription and payments (billing) are not everyday work, so they stay out of the
    # default toolsets unless asked for.
    Toolset("subscriptions", resources=("subscriptions",)),
    # Resources of operations only Make's SDK calls (undocumented), on no reference page.
    Toolset("on-prem-agents", resources=("connected-system",)),
    Toolset("sdk-apps", resources=("sdk-endpoints",)),
    Toolset("teams", resources=("private-spaces",)),
    Toolset("users", resources=("custom-roles",)),
)

VARIABLE_TYPES = "1 number, 2 string, 3 boolean, 4 date (ISO 8601)."
BUILD_VARIABLES = (
    "Items {name, value}; a name starts with TAC_ (team) or PAC_ (personal) and must be an input of the scenario."
)
A_DATE = "A date, YYYY-MM-DD."

# Ordered by toolset, then tool name.
OVERLAYS: tuple[Overlay, ...] = (
    # --- affiliate -------------------------------------------------------------------------------------------
    Overlay(
        "GET /affiliate/commission-info",
        "affiliate_get-commission-info",
        field_descriptions={"dateFrom": A_DATE, "dateTo": A_DATE},
    ),
    Overlay("GET /affiliate/stats", "affiliate_get-stats", field_descriptions={"dateFrom": A_DATE, "dateTo": A_DATE}),
    Overlay(
        "GET /affiliate/commissions",
        "affiliate_list-commissions",
        field_descriptions={"dateFrom": A_DATE, "dateTo": A_DATE},
    ),
    Overlay("POST /affiliate/partner-register", "affiliate_register-partner"),
    Overlay("POST /affiliate/payout-request", "affiliate_request-payout"),
    # --- ai-agents -------------------------------------------------------------------------------------------
    Overlay("POST /ai-agents/v1/contexts", "ai-agent-contexts_create", title="Create AI agent context"),
    Overlay("DELETE /ai-agents/v1/contexts/{contextId}", "ai-agent-contexts_delete", title="Delete AI agent context"),
    Overlay("GET /ai-agents/v1/contexts", "ai-agent-contexts_list", title="List AI agent contexts"),
    Overlay("POST /ai-agents/v1/agents", "ai-agents_create", title="Create AI agent"),
    Overlay("DELETE /ai-agents/v1/agents/{agentId}", "ai-agents_delete", title="Delete AI agent"),
    Overlay("GET /ai-agents/v1/agents/{agentId}", "ai-agents_get", title="Get AI agent"),
    Overlay("GET /ai-agents/v1/agents", "ai-agents_list", title="List AI agents"),
    Overlay("POST /ai-agents/v1/agents/{agentId}/run", "ai-agents_run", title="Run AI agent", writes=ACTS_OUTSIDE),
    Overlay(
        "POST /ai-agents/v1/agents/{agentId}/run/stream",
        "ai-agents_run-stream",
        title="Run AI agent with SSE streaming",
        writes=ACTS_OUTSIDE,
    ),
    Overlay("PATCH /ai-agents/v1/agents/{agentId}", "ai-agents_update", title="Update AI agent", writes=SETS),
    Overlay("GET /ai-agents/v1/llm-providers/{providerId}", "llm-providers_get"),
    Overlay("GET /ai-agents/v1/llm-providers", "llm-providers_list"),
    Overlay("GET /ai-agents/v1/llm-providers/{providerId}/models", "llm-providers_list-models"),
    # --- analytics -------------------------------------------------------------------------------------------
    Overlay("GET /analytics/{organizationId}", "analytics_get"),
    # --- audit-logs ------------------------------------------------------------------------------------------
    Overlay("GET /audit-logs/{organizationId}/{uuid}", "audit-logs_get", official=True),
    Overlay("GET /audit-logs/organization/{organizationId}/filters", "audit-logs_get-filters", official=True),
    Overlay(
        "GET /audit-logs/team/{teamId}/filters",
        "audit-logs_get-filters-for-team",
        official=True,
        title="Get team audit log filters",
    ),
    Overlay(
        "GET /audit-logs/organization/{organizationId}",
        "audit-logs_list",
        official=True,
        field_descriptions={"dateFrom": A_DATE, "dateTo": A_DATE},
    ),
    Overlay(
        "GET /audit-logs/team/{teamId}",
        "audit-logs_list-for-team",
        official=True,
        field_descriptions={"dateFrom": A_DATE, "dateTo": A_DATE},
    ),
    # --- cashier ---------------------------------------------------------------------------------------------
    Overlay("GET /cashier/prices/{priceId}", "cashier_get-price"),
    Overlay("GET /cashier/vat-validation/patterns", "cashier_get-vat-patterns"),
    Overlay("GET /cashier/products", "cashier_list-products"),
    # --- connections -----------------------------------------------------------------------------------------
    Overlay(
        "POST /connections/{connectionId}/scoped",
        "connections_check-scopes",
        writes=CHECK,
        required_body_fields=("scope",),
        array_item_types={"scope": "string"},
    ),
    # a connection is an account of an app: both its display name and its type are needed
    Overlay(
        "POST /connections",
        "connections_create",
        argument_names={"accountName": "name", "accountType": "accountName", "scopes": "scope"},
        sdk_fields={"data": "spread"},
        official=True,
        description="Create a connection in a team: its label (name) and the app's connection type (accountName).",
        required_body_fields=("accountName", "accountType"),
        array_item_types={"scopes": "string"},
        field_descriptions={
            "accountName": "Display name of the new connection.",
            "accountType": "The app's connection type, e.g. slack2; oauth2 is the HTTP app's OAuth 2.0 connection.",
        },
    ),
    Overlay(
        "DELETE /connections/{connectionId}",
        "connections_delete",
        default_query=(("confirmed", "true"),),
        official=True,
        description="Delete a connection.",
    ),
    Overlay(
        "GET /connections/{connectionId}",
        "connections_get",
        default_query=(("cols[]", "*"),),
        official=True,
        description="Get a connection: its app, account type, scopes and expiry.",
    ),
    Overlay("GET /connections/{connectionId}/editable-data-schema", "connections_get-editable-schema"),
    Overlay(
        "GET /connections",
        "connections_list",
        default_query=(("cols[]", "*"),),
        official=True,
        description="List the connections (authorized app accounts) of a team; filter by app type.",
    ),
    Overlay(
        "POST /connections/{connectionId}/set-data",
        "connections_set-data",
        description="Update a connection's stored settings (see connections_get-editable-schema); `body` holds them.",
        writes=OVERWRITES,
        required_whole_body=True,
    ),
    Overlay(
        "PATCH /connections/{connectionId}",
        "connections_update",
        official=True,
        title="Rename a connection or set its data",
        description="Rename a connection, replace its stored data (see connections_get-editable-schema), or both. "
        "New data replaces all of the old: give every field.",
        writes=OVERWRITES,
        sdk_fields={"data": "body"},
        field_descriptions={"data": "The connection's new settings, sent to set-data; fields left out are emptied."},
        at_least_one_of=("name", "data"),
        run="CONNECTION_UPDATE",
    ),
    Overlay(
        "POST /connections/{connectionId}/test",
        "connections_verify",
        official=True,
        description="Check that a connection still authenticates with its app.",
        writes=CHECK,
    ),
    # --- credential-requests ---------------------------------------------------------------------------------
    Overlay(
        "POST /credential-requests/actions/create",
        "credential-requests_create",
        sdk_fields={"teamId": "body", "credentials": "body"},
        official=True,
        title="Create credential request from app modules",
    ),
    Overlay(
        "POST /credential-requests/requests",
        "credential-requests_create-request",
        title="Create credential request (deprecated)",
    ),
    Overlay(
        "POST /credential-requests/requests/v2",
        "credential-requests_create-request-v2",
        title="Create credential request (v2)",
    ),
    Overlay(
        "POST /credential-requests/credentials/{credentialId}/decline",
        "credential-requests_credential-decline",
        official=True,
        writes=OVERWRITES,
    ),
    Overlay(
        "POST /credential-requests/credentials/{credentialId}/delete-remote",
        "credential-requests_credential-delete",
        official=True,
        writes=OVERWRITES,
    ),
    Overlay(
        "POST /credential-requests/credentials/{credentialId}/request-reauthorize",
        "credential-requests_credential-reauthorize",
        writes=CREATES_EACH_TIME,
    ),
    Overlay(
        "DELETE /credential-requests/requests/{requestId}",
        "credential-requests_delete",
        default_query=(("confirmed", "true"),),
        official=True,
    ),
    Overlay(
        "GET /credential-requests/requests/{requestId}/detail",
        "credential-requests_get",
        official=True,
        title="Get credential request with credentials",
    ),
    Overlay(
        "GET /credential-requests/requests/{requestId}",
        "credential-requests_get-request",
        title="Get credential request",
    ),
    Overlay(
        "GET /credential-requests/requests", "credential-requests_list", default_query=(("cols[]", "*"),), official=True
    ),
    Overlay(
        "GET /credential-requests/apps/{name}/{version}/modules-with-credentials",
        "credential-requests_list-app-modules-with-creds",
        official=True,
        argument_names={"name": "appName", "version": "appVersion"},
    ),
    # --- custom-functions ------------------------------------------------------------------------------------
    Overlay("POST /functions/eval", "functions_check", official=True, writes=CHECK),
    Overlay("POST /functions", "functions_create", official=True),
    Overlay("DELETE /functions/{functionId}", "functions_delete", official=True),
    Overlay("GET /functions/{functionId}", "functions_get", official=True),
    Overlay("GET /functions/{functionId}/history", "functions_history"),
    Overlay("GET /functions", "functions_list", default_query=(("cols[]", "*"),), official=True),
    Overlay(
        "PATCH /functions/{functionId}",
        "functions_update",
        sdk_fields={"name": "body"},
        official=True,
        writes=OVERWRITES,
    ),
    # --- custom-properties -----------------------------------------------------------------------------------
    Overlay(
        "POST /custom-property-structures/{customPropertyStructureId}/custom-property-structure-items",
        "custom-property-structure-items_create",
        official=True,
    ),
    Overlay(
        "DELETE /custom-property-structures/custom-property-structure-items/{customPropertyStructureItemId}",
        "custom-property-structure-items_delete",
        official=True,
    ),
    Overlay(
        "GET /custom-property-structures/{customPropertyStructureId}/custom-property-structure-items",
        "custom-property-structure-items_list",
        sdk_fields={
            "id": "query",
            "name": "query",
            "label": "query",
            "description": "query",
            "type": "query",
            "required": "query",
        },
        default_query=(("cols[]", "*"),),
        official=True,
    ),
    Overlay(
        "PATCH /custom-property-structures/custom-property-structure-items/{customPropertyStructureItemId}",
        "custom-property-structure-items_update",
        official=True,
        writes=SETS,
    ),
    Overlay(
        "POST /custom-property-structures",
        "custom-property-structures_create",
        official=True,
        response_key=("customPropertyStructure", "object"),
    ),
    Overlay("GET /custom-property-structures", "custom-property-structures_list", official=True),
    # --- data-stores -----------------------------------------------------------------------------------------
    Overlay(
        "POST /data-stores/{dataStoreId}/data",
        "data-store-records_create",
        official=True,
        description="Add a record: `data` holds its fields; a key is generated when none is given.",
    ),
    Overlay(
        "DELETE /data-stores/{dataStoreId}/data",
        "data-store-records_delete",
        default_query=(("confirmed", "true"),),
        official=True,
        description="Delete records by keys, or all records with all=true and confirmed=true (exceptKeys keeps some).",
        array_item_types={"keys": "string", "exceptKeys": "string"},
    ),
    Overlay(
        "GET /data-stores/{dataStoreId}/data",
        "data-store-records_list",
        sdk_fields={"limit": "query:pg[limit]"},
        official=True,
        description="List the records of a data store. Page with pg.",
    ),
    Overlay(
        "PUT /data-stores/{dataStoreId}/data/{dataStoreKeyRecord}",
        "data-store-records_replace",
        argument_names={"dataStoreKeyRecord": "key", "body": "data"},
        official=True,
        description=(
            "Replace the whole record with key dataStoreKeyRecord, creating it when missing; `body` holds all"
            " its fields."
        ),
        writes=OVERWRITES,
        required_whole_body=True,
    ),
    Overlay(
        "PATCH /data-stores/{dataStoreId}/data/{dataStoreKeyRecord}",
        "data-store-records_update",
        argument_names={"dataStoreKeyRecord": "key", "body": "data"},
        official=True,
        description="Change some fields of the record with key dataStoreKeyRecord; `body` holds the fields to set.",
        writes=SETS,
        required_whole_body=True,
    ),
    Overlay(
        "POST /data-stores",
        "data-stores_create",
        official=True,
        description="Create a data store in a team; datastructureId fixes the record shape, maxSizeMB its size.",
    ),
    # the SDK calls the undocumented DELETE /data-stores/{id}; this is the documented bulk delete
    Overlay(
        "DELETE /data-stores",
        # The official data-stores_delete is the one-store DELETE /data-stores/{dataStoreId} (undocumented).
        "data-stores_delete-many",
        description=(
            "Delete data stores of a team by ids, or all=true with optional exceptIds. Needs confirmed=true "
            "when a scenario uses them."
        ),
        array_item_types={"ids": "integer", "exceptIds": "integer"},
    ),
    Overlay(
        "GET /data-stores/{dataStoreId}",
        "data-stores_get",
        default_query=(("cols[]", "*"),),
        official=True,
        description="Get a data store: its data structure, size and limit, and how many records it holds.",
    ),
    Overlay(
        "GET /data-stores",
        "data-stores_list",
        default_query=(("cols[]", "*"),),
        official=True,
        description="List the data stores of a team.",
    ),
    Overlay(
        "PATCH /data-stores/{dataStoreId}",
        "data-stores_update",
        official=True,
        description="Rename or resize a data store, or change its data structure.",
        writes=SETS,
    ),
    # --- data-structures -------------------------------------------------------------------------------------
    Overlay("POST /data-structures/{dataStructureId}/clone", "data-structures_clone", writes=CREATES_EACH_TIME),
    Overlay(
        "POST /data-structures",
        "data-structures_create",
        official=True,
        description="Create a data structure in a team from a field specification (spec).",
        array_item_types={"spec": "object"},
    ),
    Overlay(
        "DELETE /data-structures/{dataStructureId}",
        "data-structures_delete",
        default_query=(("confirmed", "true"),),
        official=True,
        description="Delete a data structure.",
    ),
    Overlay(
        "GET /data-structures/{dataStructureId}",
        "data-structures_get",
        official=True,
        description="Get a data structure and its field specification.",
    ),
    Overlay(
        "GET /data-structures",
        "data-structures_list",
        default_query=(("cols[]", "*"),),
        official=True,
        description="List the data structures (record and payload shapes) of a team.",
    ),
    Overlay(
        "PATCH /data-structures/{dataStructureId}",
        "data-structures_update",
        official=True,
        description="Rename a data structure or replace its field specification (give every field).",
        writes=OVERWRITES,
        array_item_types={"spec": "object"},
    ),
    # --- devices ---------------------------------------------------------------------------------------------
    Overlay("DELETE /devices/{deviceId}/incomings", "device-incomings_delete", title="Delete device incoming messages"),
    Overlay(
        "GET /devices/{deviceId}/incomings/{incomingId}", "device-incomings_get", title="Get device incoming message"
    ),
    Overlay("GET /devices/{deviceId}/incomings", "device-incomings_list", title="List device incoming messages"),
    Overlay(
        "GET /devices/{deviceId}/incomings/stats", "device-incomings_stats", title="Get device incoming message stats"
    ),
    Overlay("DELETE /devices/{deviceId}/outgoings", "device-outgoings_delete", title="Delete device outgoing messages"),
    Overlay(
        "GET /devices/{deviceId}/outgoings/{outgoingId}", "device-outgoings_get", title="Get device outgoing message"
    ),
    Overlay("GET /devices/{deviceId}/outgoings", "device-outgoings_list", title="List device outgoing messages"),
    Overlay("POST /devices/request", "devices_create-request", title="Request a device"),
    Overlay("DELETE /devices/{deviceId}", "devices_delete", title="Delete device"),
    Overlay("GET /devices/{deviceId}", "devices_get", title="Get device"),
    Overlay("GET /devices", "devices_list", official=True, title="List devices"),
    Overlay("PATCH /devices/{deviceId}", "devices_update", title="Update device", writes=SETS),
    # --- enums -----------------------------------------------------------------------------------------------
    Overlay("GET /enums/user-api-token-scopes", "enums_api-token-scopes"),
    Overlay("GET /enums/apps-review-statuses", "enums_app-review-statuses"),
    Overlay("GET /enums/countries", "enums_countries", official=True),
    Overlay("GET /enums/user-email-notifications", "enums_email-notifications"),
    Overlay("GET /enums/languages", "enums_languages"),
    Overlay("GET /enums/llm-builtin-tiers", "enums_llm-builtin-tiers"),
    Overlay("GET /enums/llm-models", "enums_llm-models"),
    Overlay("GET /enums/locales", "enums_locales"),
    Overlay("GET /enums/module-types", "enums_module-types"),
    Overlay("GET /enums/organization-features", "enums_organization-features"),
    Overlay("GET /enums/imt-regions", "enums_regions", official=True),
    Overlay("GET /enums/timezones", "enums_timezones", official=True),
    Overlay("GET /enums/us-states", "enums_us-states"),
    Overlay("GET /enums/user-features", "enums_user-features"),
    Overlay("GET /enums/variable-types", "enums_variable-types"),
    Overlay("GET /enums/imt-zones", "enums_zones"),
    # --- general ---------------------------------------------------------------------------------------------
    Overlay("GET /ping", "general_ping"),
    # --- hooks -----------------------------------------------------------------------------------------------
    Overlay(
        "DELETE /hooks/{hookId}/incomings",
        "hook-incomings_delete",
        official=True,
        description="Delete queued webhook payloads by ids, or all=true (with confirmed=true) keeping exceptIds.",
        array_item_types={"ids": "string", "exceptIds": "string"},
    ),
    Overlay(
        "GET /hooks/{hookId}/incomings/{incomingId}",
        "hook-incomings_get",
        official=True,
        description="Get one queued webhook payload.",
    ),
    Overlay(
        "GET /hooks/{hookId}/incomings",
        "hook-incomings_list",
        official=True,
        description="List payloads waiting in a webhook's queue for a scenario to process them.",
    ),
    Overlay(
        "GET /hooks/{hookId}/incomings/stats",
        "hook-incomings_stats",
        official=True,
        description="Get the size and limit of a webhook's queue.",
    ),
    Overlay("GET /hooks/{hookId}/logs/{logId}", "hook-logs_get", description="Get one logged webhook request."),
    Overlay(
        "GET /hooks/{hookId}/logs",
        "hook-logs_list",
        description="List the requests a webhook received recently.",
        field_descriptions={
            "from": "Entries newer than this time, in milliseconds since 1970.",
            "to": "Entries older than this time, in milliseconds since 1970.",
        },
    ),
    Overlay(
        "POST /hooks",
        "hooks_create",
        sdk_fields={"data": "spread"},
        default_query=(("useDefaults", "requiredOnly"),),
        official=True,
        description="Create a webhook or mailhook in a team; typeName picks the kind (e.g. gateway-webhook).",
    ),
    Overlay(
        "DELETE /hooks/{hookId}",
        "hooks_delete",
        default_query=(("confirmed", "true"),),
        official=True,
        description="Delete a webhook or mailhook.",
    ),
    Overlay(
        "POST /hooks/{hookId}/disable",
        "hooks_disable",
        description="Make a hook refuse incoming data until enabled again.",
        writes=SWITCH,
    ),
    Overlay(
        "POST /hooks/{hookId}/enable",
        "hooks_enable",
        description="Let a hook accept incoming data again.",
        writes=SWITCH,
    ),
    Overlay(
        "GET /hooks/{hookId}",
        "hooks_get",
        official=True,
        description="Get a webhook or mailhook, including its URL, queue size and the scenario using it.",
    ),
    Overlay(
        "POST /hooks/{hookId}/learn-start",
        "hooks_learn-start",
        title="Start learning hook data structure",
        description="Make the hook derive its data structure from the next payload it receives.",
        writes=SWITCH,
    ),
    Overlay(
        "POST /hooks/{hookId}/learn-stop",
        "hooks_learn-stop",
        title="Stop learning hook data structure",
        description="Stop a hook from deriving its data structure from payloads.",
        writes=SWITCH,
    ),
    Overlay("GET /hooks", "hooks_list", official=True, description="List the webhooks and mailhooks of a team."),
    Overlay(
        "GET /hooks/{hookId}/ping",
        "hooks_ping",
        description="Check a hook: its address, whether a scenario uses it and whether it is learning.",
    ),
    Overlay(
        "POST /hooks/{hookId}/set-data",
        "hooks_update",
        official=True,
        argument_names={"body": "data"},
        description="Replace a hook's type-specific settings; `data` holds them (see hooks_get for the current ones).",
        writes=OVERWRITES,
        required_whole_body=True,
    ),
    Overlay(
        "PATCH /hooks/{hookId}",
        # The official hooks_update is the set-data request, so the rename has a name of its own.
        "hooks_rename",
        description="Rename a webhook or mailhook.",
        writes=SETS,
        required_body_fields=("name",),
    ),
    # --- incomplete-executions -------------------------------------------------------------------------------
    Overlay(
        "GET /dlqs/{dlqId}/logs/{executionDlqId}",
        "executions_get-for-incomp-exec",
        argument_names={"dlqId": "incompleteExecutionId", "executionDlqId": "executionId"},
        official=True,
        description="Get one retry attempt of an incomplete execution.",
    ),
    Overlay(
        "GET /dlqs/{dlqId}/logs",
        "executions_list-for-incomp-exec",
        argument_names={"dlqId": "incompleteExecutionId"},
        sdk_fields={"limit": "query:pg[limit]"},
        official=True,
        description="List the retry attempts of an incomplete execution.",
    ),
    Overlay(
        "DELETE /dlqs",
        "incomplete-executions_delete",
        description=(
            "Delete incomplete executions of a scenario: pass ids, or all=true with optional exceptIds and "
            "confirmed=true."
        ),
        array_item_types={"ids": "string", "exceptIds": "string"},
    ),
    Overlay(
        "DELETE /dlqs/{dlqId}",
        "incomplete-executions_delete-one",
        title="Delete incomplete execution (deprecated)",
        description="Delete one incomplete execution (deprecated; incomplete-executions_delete takes several).",
    ),
    Overlay(
        "GET /dlqs/{dlqId}",
        "incomplete-executions_get",
        argument_names={"dlqId": "incompleteExecutionId"},
        official=True,
        description=(
            "Get one incomplete execution: its scenario, execution, retry attempts and whether it is resolved."
        ),
    ),
    Overlay(
        "GET /dlqs/{dlqId}/blueprint",
        "incomplete-executions_get-blueprint",
        description="Get the blueprint stored with an incomplete execution.",
    ),
    Overlay(
        "GET /dlqs/{dlqId}/bundle",
        "incomplete-executions_get-bundle",
        description="Get the data bundle the failing module received.",
    ),
    Overlay(
        "GET /dlqs",
        "incomplete-executions_list",
        official=True,
        description="List the incomplete executions (stored failed runs awaiting a fix) of a scenario.",
    ),
    Overlay(
        "POST /dlqs/{dlqId}/retry",
        "incomplete-executions_retry",
        description="Run an incomplete execution again from its stored state.",
        writes=ACTS_OUTSIDE,
    ),
    Overlay(
        "POST /dlqs/retry",
        "incomplete-executions_retry-many",
        description="Retry incomplete executions of a scenario: pass ids, or all=true with optional exceptIds.",
        writes=ACTS_OUTSIDE,
        array_item_types={"ids": "string", "exceptIds": "string"},
    ),
    Overlay(
        "PATCH /dlqs/{dlqId}",
        "incomplete-executions_update",
        description=(
            "Change the stored blueprint (as an object) or failing module of an incomplete execution before "
            "retrying it."
        ),
        writes=OVERWRITES,
        json_string_fields=("blueprint",),
    ),
    # --- keys ------------------------------------------------------------------------------------------------
    Overlay(
        "POST /keys",
        "keys_create",
        official=True,
        description="Create a key in a team; typeName is one of keys_list-types, parameters its values.",
    ),
    Overlay("DELETE /keys/{keyId}", "keys_delete", default_query=(("confirmed", "true"),), official=True),
    Overlay("GET /keys/{keyId}", "keys_get", default_query=(("cols[]", "*"),), official=True),
    Overlay(
        "GET /keys",
        "keys_list",
        default_query=(("cols[]", "*"),),
        official=True,
        description="List the keys (API keys, certificates and other secrets) of a team.",
    ),
    Overlay("GET /keys/types", "keys_list-types"),
    Overlay(
        "PATCH /keys/{keyId}",
        "keys_update",
        sdk_fields={"name": "body", "parameters": "body"},
        official=True,
        writes=OVERWRITES,
    ),
    # --- mms -------------------------------------------------------------------------------------------------
    # the reference's description says Make requires regionId and countryId
    Overlay(
        "POST /organizations/{organizationId}/managed-organizations",
        "managed-organizations_create",
        required_body_fields=("regionId", "countryId"),
    ),
    Overlay(
        "GET /organizations/{organizationId}/managed-organizations",
        "managed-organizations_list",
        title="List child organizations",
    ),
    Overlay(
        "GET /organizations/{organizationId}/managed-organizations-consumption",
        "managed-organizations_list-consumption",
        title="List child organization consumption",
    ),
    Overlay(
        "PATCH /organizations/{organizationId}/managed-organizations/{childOrganizationId}",
        "managed-organizations_update",
        title="Update child organization allocation",
        writes=SETS,
        required_body_fields=("operations",),
    ),
    # --- notifications ---------------------------------------------------------------------------------------
    Overlay("DELETE /notifications", "notifications_delete"),
    Overlay("GET /notifications/{notificationId}", "notifications_get"),
    Overlay("GET /notifications", "notifications_list"),
    Overlay("POST /notifications/mark-as-read", "notifications_mark-as-read", writes=SWITCH),
    # --- on-prem-agents --------------------------------------------------------------------------------------
    # the SDK calls the undocumented POST /agent/register; this is the documented operation
    # The official on-prem-agent_create registers an agent without an ID (POST /agent/register, undocumented).
    Overlay("POST /agents/{agentId}", "on-prem-agent_create-with-id"),
    Overlay("DELETE /agents/{agentId}", "on-prem-agent_delete", official=True),
    Overlay("GET /agents/{agentId}", "on-prem-agent_get", official=True),
    Overlay("GET /agents", "on-prem-agent_list", official=True),
    Overlay(
        "PATCH /agents/{agentId}", "on-prem-agent_update", official=True, writes=SETS, required_body_fields=("name",)
    ),
    # --- organizations ---------------------------------------------------------------------------------------
    Overlay(
        "POST /organizations/{organizationId}/variables",
        "organization-variables_create",
        description="Create an organization custom variable (needs a plan with custom variables).",
        required_body_fields=("name", "typeId", "value"),
        field_descriptions={"typeId": VARIABLE_TYPES, "name": "Letters, digits, $ and _."},
    ),
    Overlay("DELETE /organizations/{organizationId}/variables/{variableName}", "organization-variables_delete"),
    Overlay(
        "GET /organizations/{organizationId}/variables/{variableName}/history",
        "organization-variables_history",
        title="Organization variable history",
    ),
    Overlay(
        "GET /organizations/{organizationId}/variables",
        "organization-variables_list",
        description="List an organization's custom variables, which all its scenarios can read.",
    ),
    Overlay(
        "PATCH /organizations/{organizationId}/variables/{variableName}",
        "organization-variables_update",
        writes=SETS,
        field_descriptions={"typeId": VARIABLE_TYPES},
    ),
    Overlay("POST /organizations/accept-invitation", "organizations_accept-invitation", writes=SWITCH),
    Overlay("GET /organizations/{organizationId}/check-team-permission", "organizations_check-team-permission"),
    Overlay("POST /organizations", "organizations_create", official=True),
    Overlay(
        "DELETE /organizations/{organizationId}",
        "organizations_delete",
        default_query=(("confirmed", "true"),),
        official=True,
    ),
    Overlay(
        "GET /organizations/{organizationId}",
        "organizations_get",
        official=True,
        description="Get an organization: its zone, license, teams and scenario counts.",
    ),
    Overlay("GET /organizations/{organizationId}/feature-controls", "organizations_get-feature-controls"),
    Overlay("GET /organizations/invitation", "organizations_get-invitation"),
    Overlay("GET /organizations/{organizationId}/private-spaces-settings", "organizations_get-private-spaces"),
    Overlay(
        "GET /organizations/{organizationId}/usage",
        "organizations_get-usage",
        description="Daily operations, centicredits and data transfer of an organization over the last 30 days.",
    ),
    Overlay(
        "GET /organizations/{organizationId}/user-organization-roles/{userId}",
        "organizations_get-user-role",
        title="Get organization role of a user",
    ),
    Overlay(
        "POST /organizations/{organizationId}/invite",
        "organizations_invite-user",
        array_item_types={"teamsId": "integer"},
    ),
    Overlay(
        "GET /organizations",
        "organizations_list",
        default_query=(("cols[]", "*"),),
        official=True,
        description="List the organizations the user belongs to.",
    ),
    Overlay("GET /organizations/{organizationId}/apps", "organizations_list-apps"),
    Overlay(
        "GET /organizations/{organizationId}/user-organization-roles",
        "organizations_list-user-roles",
        title="List organization roles of users",
        # The items carry usersRoleId, and GET /users/{userId}/user-organization-roles documents that column.
        column_aliases=(("userRoleId", "usersRoleId"),),
    ),
    Overlay("PATCH /organizations/{organizationId}/tfa-enforcement", "organizations_set-tfa-enforcement", writes=SETS),
    Overlay(
        "POST /organizations/{organizationId}/user-organization-roles/transfer",
        "organizations_transfer-ownership",
        title="Transfer organization ownership",
        writes=OVERWRITES,
    ),
    Overlay("PATCH /organizations/{organizationId}", "organizations_update", official=True, writes=SETS),
    Overlay(
        "PATCH /organizations/{organizationId}/feature-controls",
        "organizations_update-feature-controls",
        writes=SETS,
        required_body_fields=("id", "enabled"),
    ),
    Overlay(
        "PATCH /organizations/{organizationId}/private-spaces-settings",
        "organizations_update-private-spaces",
        writes=SETS,
    ),
    # --- remote-procedures -----------------------------------------------------------------------------------
    Overlay(
        "POST /rpcs/{appName}/{appVersion}/{rpcName}",
        "rpcs_call",
        title="Call an app remote procedure",
        writes=MAY_CALL_ANYTHING,
    ),
    Overlay(
        "OPTIONS /rpcs/{appName}/{appVersion}/{rpcName}",
        "rpcs_process-action",
        title="Process an app remote procedure action",
        writes=MAY_CALL_ANYTHING,
    ),
    # --- scenarios -------------------------------------------------------------------------------------------
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
            "Get the outcome of one run: its status and outputs; for a failed run, the error (name, message) and"
            " causeModule, the module it failed in by module name and app."
        ),
    ),
    Overlay(
        "GET /scenarios/{scenarioId}/logs",
        "executions_list",
        official=True,
        title="List scenario executions",
        description=(
            "List a scenario's past runs, newest first, each with its status (1 success, 2 warning, 3 error);"
            " filter by status, time (from/to) or size. Page with pg."
        ),
        field_types={"status": "RunStatus"},
        field_descriptions={
            "status": "1 success, 2 warning, 3 error.",
            "from": "Runs from this time on, in milliseconds since 1970.",
            "to": "Runs up to this time, in milliseconds since 1970.",
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
    ),
    Overlay("GET /scenarios/trash/count", "scenarios_count-trash"),
    Overlay(
        "POST /scenarios",
        "scenarios_create",
        default_query=(("cols[]", "*"),),
        official=True,
        description=(
            "Create a scenario in a team. Pass blueprint and scheduling as JSON objects, e.g. scheduling "
            '{"type": "indefinitely", "interval": 900}; set confirmed=true if it uses apps not yet installed.'
        ),
    ),
    Overlay(
        "POST /scenarios/{scenarioId}/stop",
        "scenarios_deactivate",
        official=True,
        description="Switch a scenario off; it stops running until activated again.",
        writes=SWITCH,
    ),
    Overlay("DELETE /scenarios/{scenarioId}", "scenarios_delete", official=True, description="Delete a scenario."),
    Overlay(
        "GET /scenarios/{scenarioId}",
        "scenarios_get",
        default_query=(("cols[]", "*"),),
        official=True,
        description="Get a scenario's settings and state by scenarioId, with its current blueprint (modules, "
        "routes) in `blueprint`. blueprints_get reads an older blueprint version.",
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
        official=True,
        description=(
            "List the scenarios of a team or of a whole organization (teamId or organizationId, not both); "
            "filter by folderId, isActive or id. Use cols to pick fields."
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
            "Run a scenario now, with optional input `data` (see scenarios_interface). responsive=true waits "
            "for the outcome; otherwise only the executionId returns (check it with executions_get-detail)."
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
    ),
    Overlay(
        "PATCH /scenarios/{scenarioId}",
        "scenarios_update",
        sdk_fields={"description": "body"},
        default_query=(("cols[]", "*"),),
        official=True,
        description=(
            "Change a scenario's name, folder, blueprint or scheduling (objects, not strings). Set "
            "confirmed=true when the new blueprint needs apps installed."
        ),
        writes=OVERWRITES,
        json_string_fields=("blueprint", "scheduling"),
        destructive_fields=("blueprint", "scheduling"),
    ),
    Overlay("PATCH /scenarios/tools/{scenarioId}", "scenarios_update-tool", writes=SETS),
    # --- sdk-apps --------------------------------------------------------------------------------------------
    # Titles say "SDK" to tell custom apps' parts from the account's own connections, functions and hooks.
    Overlay(
        "POST /sdk/apps/invites/{SDK_appInviteToken}",
        "sdk-app-invites_accept",
        title="Accept SDK app invitation",
        writes=SWITCH,
    ),
    Overlay("GET /sdk/apps/invites/{SDK_appInviteToken}", "sdk-app-invites_get", title="Get SDK app invitation"),
    Overlay(
        "POST /sdk/apps/{SDK_appName}/{SDK_appVersion}/clone",
        "sdk-apps_clone",
        title="Clone SDK app",
        writes=CREATES_EACH_TIME,
    ),
    Overlay(
        "POST /sdk/apps/{SDK_appName}/{SDK_appVersion}/clone-major",
        "sdk-apps_clone-major",
        title="Clone SDK app into a new major version",
        writes=CREATES_EACH_TIME,
    ),
    Overlay(
        "POST /sdk/apps/{SDK_appName}/{SDK_appVersion}/commit",
        "sdk-apps_commit",
        title="Commit SDK app changes",
        writes=CREATES_EACH_TIME,
    ),
    Overlay(
        "POST /sdk/apps",
        "sdk-apps_create",
        # Make's SDK sends the app's fields at the top level; the reference wraps them in `app`. Both are taken.
        sdk_fields={
            key: "body"
            for key in ("name", "label", "description", "theme", "language", "countries", "private", "audience")
        },
        official=True,
        title="Create SDK app",
        description="Create a custom app: its name, label, theme, language and audience (or all in `app`).",
    ),
    Overlay(
        "DELETE /sdk/apps/{SDK_appName}/{SDK_appVersion}",
        "sdk-apps_delete",
        argument_names={"appName": "name", "appVersion": "version"},
        official=True,
        title="Delete SDK app",
    ),
    Overlay(
        "GET /sdk/apps/{SDK_appName}/{SDK_appVersion}",
        "sdk-apps_get",
        default_query=(("cols[]", "*"),),
        argument_names={"appName": "name", "appVersion": "version"},
        official=True,
        title="Get SDK app",
        description="Get a custom app version.",
    ),
    Overlay(
        "GET /sdk/apps/{SDK_appName}/{SDK_appVersion}/changes/{SDK_changeId}",
        "sdk-apps_get-change",
        title="Get SDK app change",
    ),
    Overlay(
        "GET /sdk/apps/{SDK_appName}/{SDK_appVersion}/common",
        "sdk-apps_get-common",
        argument_names={"appName": "name", "appVersion": "version"},
        official=True,
        title="Get SDK app common data",
    ),
    Overlay(
        "GET /sdk/apps/{SDK_appName}/{SDK_appVersion}/readme",
        "sdk-apps_get-docs",
        argument_names={"appName": "name", "appVersion": "version"},
        official=True,
        title="Get SDK app documentation",
    ),
    Overlay(
        "GET /sdk/apps/{SDK_appName}/{SDK_appVersion}/events-log",
        "sdk-apps_get-events-log",
        title="Get SDK app events log",
    ),
    Overlay(
        "GET /sdk/apps/{SDK_appName}/{SDK_appVersion}/icon/{SDK_appIconSize}",
        "sdk-apps_get-icon",
        official=True,
        argument_names={"appName": "name", "appVersion": "version", "appIconSize": "size"},
        title="Get SDK app icon",
    ),
    Overlay("GET /sdk/apps/{SDK_appName}/{SDK_appVersion}/review", "sdk-apps_get-review", title="Get SDK app review"),
    Overlay(
        "GET /sdk/apps",
        "sdk-apps_list",
        default_query=(("cols[]", "*"),),
        official=True,
        title="List SDK apps",
        description="List the custom (SDK) apps the user can edit.",
    ),
    Overlay(
        "POST /sdk/apps/{SDK_appName}/{SDK_appVersion}/review",
        "sdk-apps_request-review",
        title="Request SDK app review",
        writes=CREATES_EACH_TIME,
    ),
    Overlay(
        "POST /sdk/apps/{SDK_appName}/{SDK_appVersion}/rollback",
        "sdk-apps_rollback",
        title="Roll back SDK app changes",
        writes=DISCARDS,
    ),
    Overlay(
        "POST /sdk/apps/{SDK_appName}/{SDK_appVersion}/base",
        "sdk-apps_set-base",
        title="Set SDK app base section",
        writes=SETS,
    ),
    Overlay(
        "POST /sdk/apps/{SDK_appName}/{SDK_appVersion}/closedsource",
        "sdk-apps_set-closedsource",
        title="Make SDK app closed source",
        writes=SWITCH,
    ),
    Overlay(
        "PUT /sdk/apps/{SDK_appName}/{SDK_appVersion}/common",
        "sdk-apps_set-common",
        argument_names={"appName": "name", "appVersion": "version", "body": "common"},
        official=True,
        title="Set SDK app common data",
        required_whole_body=True,
    ),
    Overlay(
        "PUT /sdk/apps/{SDK_appName}/{SDK_appVersion}/readme",
        "sdk-apps_set-docs",
        argument_names={"appName": "name", "appVersion": "version", "body": "docs"},
        official=True,
        title="Set SDK app documentation",
        required_whole_body=True,
    ),
    Overlay(
        "PUT /sdk/apps/{SDK_appName}/{SDK_appVersion}/groups", "sdk-apps_set-groups", title="Set SDK app groups section"
    ),
    Overlay(
        "PUT /sdk/apps/{SDK_appName}/{SDK_appVersion}/icon",
        "sdk-apps_set-icon",
        official=True,
        argument_names={"appName": "name", "appVersion": "version", "body": "dataBase64"},
        title="Set SDK app icon",
    ),
    Overlay(
        "PUT /sdk/apps/{SDK_appName}/{SDK_appVersion}/install",
        "sdk-apps_set-install",
        title="Set SDK app install section",
    ),
    Overlay(
        "POST /sdk/apps/{SDK_appName}/{SDK_appVersion}/opensource",
        "sdk-apps_set-opensource",
        title="Make SDK app open source",
        writes=SWITCH,
    ),
    Overlay(
        "POST /sdk/apps/{SDK_appName}/{SDK_appVersion}/{SDK_appVisibility}",
        "sdk-apps_set-public",
        official=True,
        argument_names={"appName": "name", "appVersion": "version"},
        fixed_path={"SDK_appVisibility": "public"},
        title="Make SDK app public",
        description="Make a custom app version public: anyone with its invite link can install it.",
        writes=SWITCH,
    ),
    Overlay(
        "POST /sdk/apps/{SDK_appName}/{SDK_appVersion}/{SDK_appVisibility}",
        "sdk-apps_set-private",
        official=True,
        argument_names={"appName": "name", "appVersion": "version"},
        fixed_path={"SDK_appVisibility": "private"},
        title="Make SDK app private",
        description="Make a custom app version private again.",
        writes=SWITCH,
    ),
    Overlay(
        "PUT /sdk/apps/{SDK_appName}/{SDK_appVersion}/review/form",
        "sdk-apps_submit-review-form",
        title="Submit SDK app review form",
    ),
    Overlay(
        "POST /sdk/apps/{SDK_appName}/{SDK_appVersion}/uninstall",
        "sdk-apps_uninstall",
        title="Uninstall SDK app from organization",
        writes=OVERWRITES,
    ),
    Overlay(
        "PATCH /sdk/apps/{SDK_appName}/{SDK_appVersion}",
        "sdk-apps_update",
        sdk_fields={
            "label": "body",
            "description": "body",
            "theme": "body",
            "language": "body",
            "countries": "body",
            "audience": "body",
        },
        argument_names={"appName": "name", "appVersion": "version"},
        official=True,
        title="Update SDK app",
        writes=SETS,
    ),
    Overlay(
        "PATCH /sdk/apps/{SDK_appName}/{SDK_appVersion}/base",
        "sdk-apps_update-base",
        title="Update SDK app base section",
        writes=SETS,
    ),
    Overlay(
        "POST /sdk/apps/{SDK_appName}/connections",
        "sdk-connections_create",
        official=True,
        title="Create SDK app connection",
        required_body_fields=("type", "label"),
    ),
    Overlay(
        "DELETE /sdk/apps/connections/{SDK_connectionName}",
        "sdk-connections_delete",
        official=True,
        title="Delete SDK app connection",
    ),
    Overlay(
        "GET /sdk/apps/connections/{SDK_connectionName}",
        "sdk-connections_get",
        official=True,
        title="Get SDK app connection",
    ),
    Overlay(
        "GET /sdk/apps/connections/{SDK_connectionName}/common",
        "sdk-connections_get-common",
        official=True,
        title="Get SDK app connection common data",
    ),
    Overlay(
        "GET /sdk/apps/connections/{SDK_connectionName}/{SDK_connectionSection}",
        "sdk-connections_get-section",
        argument_names={"connectionSection": "section"},
        official=True,
        title="Get SDK app connection section",
    ),
    Overlay(
        "GET /sdk/apps/{SDK_appName}/connections",
        "sdk-connections_list",
        official=True,
        title="List SDK app connections",
        description="List the connection definitions of a custom app.",
    ),
    Overlay(
        "POST /sdk/apps/connections/{SDK_connectionName}/recreate",
        "sdk-connections_recreate",
        title="Recreate SDK app connection",
        writes=DISCARDS,
    ),
    Overlay(
        "PUT /sdk/apps/connections/{SDK_connectionName}/common",
        "sdk-connections_set-common",
        argument_names={"body": "common"},
        official=True,
        title="Set SDK app connection common data",
        required_whole_body=True,
    ),
    Overlay(
        "PUT /sdk/apps/connections/{SDK_connectionName}/{SDK_connectionSection}",
        "sdk-connections_set-section",
        argument_names={"connectionSection": "section"},
        official=True,
        title="Set SDK app connection section",
        required_whole_body=True,
    ),
    Overlay(
        "PATCH /sdk/apps/connections/{SDK_connectionName}",
        "sdk-connections_update",
        official=True,
        title="Update SDK app connection",
        writes=SETS,
    ),
    Overlay(
        "POST /sdk/apps/{SDK_appName}/{SDK_appVersion}/functions",
        "sdk-functions_create",
        official=True,
        title="Create SDK app function",
        required_body_fields=("name",),
    ),
    Overlay(
        "DELETE /sdk/apps/{SDK_appName}/{SDK_appVersion}/functions/{SDK_functionName}",
        "sdk-functions_delete",
        official=True,
        title="Delete SDK app function",
    ),
    Overlay(
        "GET /sdk/apps/{SDK_appName}/{SDK_appVersion}/functions/{SDK_functionName}",
        "sdk-functions_get",
        official=True,
        title="Get SDK app function",
    ),
    Overlay(
        "GET /sdk/apps/{SDK_appName}/{SDK_appVersion}/functions/{SDK_functionName}/code",
        "sdk-functions_get-code",
        official=True,
        title="Get SDK app function code",
    ),
    Overlay(
        "GET /sdk/apps/{SDK_appName}/{SDK_appVersion}/functions/{SDK_functionName}/test",
        "sdk-functions_get-test",
        official=True,
        title="Get SDK app function test",
    ),
    Overlay(
        "GET /sdk/apps/{SDK_appName}/{SDK_appVersion}/functions",
        "sdk-functions_list",
        official=True,
        title="List SDK app functions",
        description="List the custom IML functions of a custom app version.",
    ),
    Overlay(
        "PUT /sdk/apps/{SDK_appName}/{SDK_appVersion}/functions/{SDK_functionName}/code",
        "sdk-functions_set-code",
        argument_names={"body": "code"},
        official=True,
        title="Set SDK app function code",
        required_whole_body=True,
    ),
    Overlay(
        "PUT /sdk/apps/{SDK_appName}/{SDK_appVersion}/functions/{SDK_functionName}/test",
        "sdk-functions_set-test",
        argument_names={"body": "test"},
        official=True,
        title="Set SDK app function test",
        required_whole_body=True,
    ),
    Overlay(
        "POST /sdk/apps/{SDK_appName}/{SDK_appVersion}/modules/{SDK_moduleName}/clone",
        "sdk-modules_clone",
        title="Clone SDK app module",
        writes=CREATES_EACH_TIME,
        required_body_fields=("newName",),
    ),
    Overlay(
        "POST /sdk/apps/{SDK_appName}/{SDK_appVersion}/modules",
        "sdk-modules_create",
        official=True,
        title="Create SDK app module",
    ),
    Overlay(
        "DELETE /sdk/apps/{SDK_appName}/{SDK_appVersion}/modules/{SDK_moduleName}",
        "sdk-modules_delete",
        official=True,
        title="Delete SDK app module",
    ),
    Overlay(
        "GET /sdk/apps/{SDK_appName}/{SDK_appVersion}/modules/{SDK_moduleName}",
        "sdk-modules_get",
        official=True,
        title="Get SDK app module",
        description="Get a module of a custom app version.",
    ),
    Overlay(
        "GET /sdk/apps/{SDK_appName}/{SDK_appVersion}/modules/{SDK_moduleName}/{SDK_moduleSection}",
        "sdk-modules_get-section",
        argument_names={"moduleSection": "section"},
        official=True,
        title="Get SDK app module section",
    ),
    Overlay(
        "GET /sdk/apps/{SDK_appName}/{SDK_appVersion}/modules",
        "sdk-modules_list",
        official=True,
        title="List SDK app modules",
        description="List the modules of a custom app version.",
    ),
    Overlay(
        "PUT /sdk/apps/{SDK_appName}/{SDK_appVersion}/modules/{SDK_moduleName}/api",
        "sdk-modules_set-api",
        title="Set SDK app module api section",
    ),
    Overlay(
        "PUT /sdk/apps/{SDK_appName}/{SDK_appVersion}/modules/{SDK_moduleName}/{SDK_moduleConsumable}",
        "sdk-modules_set-consumable",
        title="Set SDK app module consumable section",
    ),
    Overlay(
        "POST /sdk/apps/{SDK_appName}/{SDK_appVersion}/modules/{SDK_moduleName}/{SDK_moduleDeprecation}",
        "sdk-modules_set-deprecation",
        title="Deprecate or restore SDK app module",
        writes=SWITCH,
    ),
    Overlay(
        "PUT /sdk/apps/{SDK_appName}/{SDK_appVersion}/modules/{SDK_moduleName}/epoch",
        "sdk-modules_set-epoch",
        title="Set SDK app module epoch section",
    ),
    Overlay(
        "PUT /sdk/apps/{SDK_appName}/{SDK_appVersion}/modules/{SDK_moduleName}/interface",
        "sdk-modules_set-interface",
        title="Set SDK app module interface section",
    ),
    Overlay(
        "PUT /sdk/apps/{SDK_appName}/{SDK_appVersion}/modules/{SDK_moduleName}/parameters",
        "sdk-modules_set-parameters",
        title="Set SDK app module parameters section",
    ),
    Overlay(
        "PUT /sdk/apps/{SDK_appName}/{SDK_appVersion}/modules/{SDK_moduleName}/samples",
        "sdk-modules_set-samples",
        title="Set SDK app module samples section",
    ),
    Overlay(
        "PUT /sdk/apps/{SDK_appName}/{SDK_appVersion}/modules/{SDK_moduleName}/scope",
        "sdk-modules_set-scope",
        title="Set SDK app module scope section",
    ),
    Overlay(
        "POST /sdk/apps/{SDK_appName}/{SDK_appVersion}/modules/{SDK_moduleName}/{SDK_moduleVisibility}",
        "sdk-modules_set-public",
        official=True,
        fixed_path={"SDK_moduleVisibility": "public"},
        title="Make SDK app module public",
        writes=SWITCH,
    ),
    Overlay(
        "POST /sdk/apps/{SDK_appName}/{SDK_appVersion}/modules/{SDK_moduleName}/{SDK_moduleVisibility}",
        "sdk-modules_set-private",
        official=True,
        fixed_path={"SDK_moduleVisibility": "private"},
        title="Make SDK app module private",
        writes=SWITCH,
    ),
    Overlay(
        "PATCH /sdk/apps/{SDK_appName}/{SDK_appVersion}/modules/{SDK_moduleName}",
        "sdk-modules_update",
        official=True,
        title="Update SDK app module",
        writes=SETS,
    ),
    Overlay(
        "POST /sdk/apps/{SDK_appName}/{SDK_appVersion}/rpcs",
        "sdk-rpcs_create",
        official=True,
        title="Create SDK app RPC",
        required_body_fields=("name", "label"),
    ),
    Overlay(
        "DELETE /sdk/apps/{SDK_appName}/{SDK_appVersion}/rpcs/{SDK_rpcName}",
        "sdk-rpcs_delete",
        official=True,
        title="Delete SDK app RPC",
    ),
    Overlay(
        "GET /sdk/apps/{SDK_appName}/{SDK_appVersion}/rpcs/{SDK_rpcName}",
        "sdk-rpcs_get",
        official=True,
        title="Get SDK app RPC",
    ),
    Overlay(
        "GET /sdk/apps/{SDK_appName}/{SDK_appVersion}/rpcs/{SDK_rpcName}/{SDK_rpcSection}",
        "sdk-rpcs_get-section",
        argument_names={"rpcSection": "section"},
        official=True,
        title="Get SDK app RPC section",
    ),
    Overlay(
        "GET /sdk/apps/{SDK_appName}/{SDK_appVersion}/rpcs",
        "sdk-rpcs_list",
        official=True,
        title="List SDK app RPCs",
        description="List the remote procedures of a custom app version.",
        response_key=("appRpcs", "array"),
    ),
    Overlay(
        "PUT /sdk/apps/{SDK_appName}/{SDK_appVersion}/rpcs/{SDK_rpcName}/{SDK_rpcSection}",
        "sdk-rpcs_set-section",
        argument_names={"rpcSection": "section"},
        official=True,
        title="Set SDK app RPC section",
        section_text=True,
    ),
    Overlay(
        "POST /sdk/apps/{SDK_appName}/{SDK_appVersion}/rpcs/{SDK_rpcName}",
        "sdk-rpcs_test",
        official=True,
        title="Test SDK app RPC",
        writes=MAY_CALL_ANYTHING,
    ),
    Overlay(
        "PATCH /sdk/apps/{SDK_appName}/{SDK_appVersion}/rpcs/{SDK_rpcName}",
        "sdk-rpcs_update",
        official=True,
        title="Update SDK app RPC",
        writes=SETS,
    ),
    Overlay(
        "POST /sdk/apps/{SDK_appName}/webhooks",
        "sdk-webhooks_create",
        official=True,
        title="Create SDK app webhook",
        required_body_fields=("type", "label"),
    ),
    Overlay(
        "DELETE /sdk/apps/webhooks/{SDK_webhookName}",
        "sdk-webhooks_delete",
        official=True,
        title="Delete SDK app webhook",
    ),
    Overlay("GET /sdk/apps/webhooks/{SDK_webhookName}", "sdk-webhooks_get", official=True, title="Get SDK app webhook"),
    Overlay(
        "GET /sdk/apps/webhooks/{SDK_webhookName}/{SDK_webhookSection}",
        "sdk-webhooks_get-section",
        argument_names={"webhookSection": "section"},
        official=True,
        title="Get SDK app webhook section",
    ),
    Overlay(
        "GET /sdk/apps/{SDK_appName}/webhooks",
        "sdk-webhooks_list",
        official=True,
        title="List SDK app webhooks",
        description="List the webhook definitions of a custom app.",
    ),
    Overlay(
        "PUT /sdk/apps/webhooks/{SDK_webhookName}/{SDK_webhookSection}",
        "sdk-webhooks_set-section",
        argument_names={"webhookSection": "section"},
        official=True,
        title="Set SDK app webhook section",
        section_text=True,
    ),
    Overlay(
        "PATCH /sdk/apps/webhooks/{SDK_webhookName}",
        "sdk-webhooks_update",
        official=True,
        title="Update SDK app webhook",
        writes=SETS,
    ),
    # --- sso-certificates ------------------------------------------------------------------------------------
    Overlay("GET /organizations/{organizationId}/sso-certificates", "sso-certificates_list"),
    # --- subscriptions ---------------------------------------------------------------------------------------
    # Documented on the organizations page; a toolset of its own (see TOOLSETS).
    Overlay("DELETE /organizations/{organizationId}/subscription", "subscriptions_cancel"),
    Overlay("PATCH /organizations/{organizationId}/subscription", "subscriptions_change", writes=OVERWRITES),
    Overlay(
        "POST /organizations/{organizationId}/universal-discount/claim-cancellation-offer",
        "subscriptions_claim-cancellation-offer",
        writes=CREATES_EACH_TIME,
    ),
    Overlay("POST /organizations/{organizationId}/subscription", "subscriptions_create"),
    Overlay(
        "DELETE /organizations/{organizationId}/subscription/payment-methods/{paymentMethodId}",
        "subscriptions_delete-payment-method",
    ),
    Overlay("GET /organizations/{organizationId}/subscription", "subscriptions_get"),
    Overlay("GET /organizations/{organizationId}/universal-discount", "subscriptions_get-discount"),
    Overlay(
        "GET /organizations/{organizationId}/subscription/payment-method-types",
        "subscriptions_list-payment-method-types",
    ),
    Overlay("GET /organizations/{organizationId}/subscription/payment-methods", "subscriptions_list-payment-methods"),
    Overlay("GET /organizations/{organizationId}/payments", "subscriptions_list-payments"),
    Overlay("POST /organizations/{organizationId}/subscription/pause", "subscriptions_pause", writes=OVERWRITES),
    Overlay(
        "POST /organizations/{organizationId}/universal-discount/redeem",
        "subscriptions_redeem-discount",
        writes=CREATES_EACH_TIME,
    ),
    Overlay(
        "PATCH /organizations/{organizationId}/subscription/payment-methods/{paymentMethodId}/default",
        "subscriptions_set-default-payment-method",
        writes=SETS,
    ),
    Overlay(
        "POST /organizations/{organizationId}/subscription-free",
        "subscriptions_set-free-plan",
        title="Switch to the free plan",
        writes=OVERWRITES,
    ),
    Overlay(
        "POST /organizations/{organizationId}/subscription/unpause",
        "subscriptions_unpause",
        title="Resume the subscription",
        writes=SWITCH,
    ),
    # --- teams -----------------------------------------------------------------------------------------------
    Overlay(
        "POST /teams/{teamId}/variables",
        "team-variables_create",
        description="Create a team custom variable (needs a plan with custom variables).",
        required_body_fields=("name", "typeId", "value"),
        field_descriptions={"typeId": VARIABLE_TYPES, "name": "Letters, digits, $ and _."},
    ),
    Overlay("DELETE /teams/{teamId}/variables/{variableName}", "team-variables_delete"),
    Overlay(
        "GET /teams/{teamId}/variables/{variableName}/history", "team-variables_history", title="Team variable history"
    ),
    Overlay(
        "GET /teams/{teamId}/variables",
        "team-variables_list",
        description="List a team's custom variables, which its scenarios can read.",
    ),
    Overlay(
        "PATCH /teams/{teamId}/variables/{variableName}",
        "team-variables_update",
        writes=SETS,
        field_descriptions={"typeId": VARIABLE_TYPES},
    ),
    Overlay(
        "POST /teams",
        "teams_create",
        sdk_fields={"transferLimit": "body"},
        official=True,
        description="Create a team in an organization.",
    ),
    Overlay(
        "DELETE /teams/{teamId}",
        "teams_delete",
        default_query=(("confirmed", "true"),),
        official=True,
        description="Delete a team.",
    ),
    Overlay("GET /teams/{teamId}", "teams_get", official=True, description="Get a team."),
    Overlay("GET /teams/{teamId}/feature-controls", "teams_get-feature-controls", title="Get team feature controls"),
    Overlay("GET /teams/{teamId}/llm-configuration", "teams_get-llm-configuration"),
    Overlay(
        "GET /teams/{teamId}/usage",
        "teams_get-usage",
        description="Daily operations, centicredits and data transfer of a team over the last 30 days.",
    ),
    Overlay("GET /teams/{teamId}/user-team-roles/{userId}", "teams_get-user-role", title="Get team role of a user"),
    Overlay(
        "GET /teams",
        "teams_list",
        sdk_fields={"includePrivateSpaces": "query"},
        default_query=(("cols[]", "*"),),
        official=True,
        description="List the teams of an organization.",
    ),
    Overlay("GET /teams/{teamId}/user-team-roles", "teams_list-user-roles", title="List team roles of users"),
    Overlay("PATCH /teams/{teamId}", "teams_update", writes=SETS),
    Overlay("PATCH /teams/{teamId}/llm-configuration", "teams_update-llm-configuration", writes=SETS),
    # --- templates -------------------------------------------------------------------------------------------
    Overlay(
        "GET /templates/public/{templateUrl}", "public-templates_get", default_query=(("cols[]", "*"),), official=True
    ),
    Overlay("GET /templates/public/{templateUrl}/blueprint", "public-templates_get-blueprint", official=True),
    Overlay(
        "GET /templates/public",
        "public-templates_list",
        default_query=(("cols[]", "*"),),
        official=True,
        description="Search the public template gallery by name or apps used.",
    ),
    Overlay("POST /templates", "templates_create", official=True, required_body_fields=("teamId",)),
    Overlay("DELETE /templates/{templateId}", "templates_delete", official=True),
    Overlay("GET /templates/{templateId}", "templates_get", official=True),
    Overlay("GET /templates/{templateId}/blueprint", "templates_get-blueprint", official=True),
    Overlay("GET /templates", "templates_list", official=True, description="List a team's private templates."),
    Overlay("POST /templates/{templateId}/publish", "templates_publish", writes=CREATES_EACH_TIME),
    Overlay("POST /templates/{templateId}/request-approval", "templates_request-approval", writes=CREATES_EACH_TIME),
    Overlay("PATCH /templates/{templateId}", "templates_update", official=True, writes=OVERWRITES),
    # --- users -----------------------------------------------------------------------------------------------
    Overlay("POST /users/me/api-tokens", "api-tokens_create", array_item_types={"scope": "string"}),
    Overlay(
        "DELETE /users/me/api-tokens/{timestamp}",
        "api-tokens_delete",
        description="Delete one of your API tokens, picked by its creation timestamp.",
    ),
    Overlay("GET /users/me/api-tokens", "api-tokens_list"),
    Overlay("GET /mailhub/users/{userId}/preferences", "email-preferences_get", title="Get email preferences"),
    Overlay(
        "GET /mailhub/users/{userId}/organizations/{organizationId}/teams/{teamId}/preferences",
        "email-preferences_get-team",
        title="Get team email preferences",
    ),
    Overlay(
        "PATCH /mailhub/users/{userId}/preferences",
        "email-preferences_update",
        title="Update global email preferences",
        writes=SETS,
        required_body_fields=("id", "enabled"),
    ),
    Overlay(
        "PATCH /mailhub/users/{userId}/organizations/{organizationId}/teams/{teamId}/preferences",
        "email-preferences_update-team",
        title="Update team email preferences",
        writes=SETS,
        required_body_fields=("id", "enabled"),
    ),
    Overlay(
        "PATCH /mailhub/users/{userId}/organizations/{organizationId}/teams/{teamId}/native-preferences",
        "email-preferences_update-team-native",
        title="Update team native email preferences",
        writes=SETS,
        required_body_fields=("id", "enabled"),
    ),
    Overlay("GET /users/roles/{roleId}", "roles_get", official=True),
    Overlay("GET /users/roles", "roles_list", default_query=(("cols[]", "*"),), official=True, title="List roles"),
    Overlay("GET /users/roles/permissions", "roles_permissions", official=True, title="List role permissions"),
    Overlay(
        "GET /users/{userId}/user-organization-roles/{organizationId}",
        "user-organization-roles_get",
        title="Get organization role of a user in an organization",
    ),
    Overlay(
        "GET /users/{userId}/user-organization-roles",
        "user-organization-roles_list",
        title="List organization roles of a user",
    ),
    Overlay(
        "POST /users/{userId}/user-organization-roles/{organizationId}",
        "user-organization-roles_set",
        title="Set organization role of a user",
        writes=SETS,
        required_body_fields=("usersRoleId",),
    ),
    Overlay(
        "POST /users/{userId}/user-organization-roles/{organizationId}/transfer",
        "user-organization-roles_transfer-ownership",
        title="Transfer organization ownership to a user",
        writes=OVERWRITES,
    ),
    Overlay("GET /users/{userId}/user-team-notifications/{teamId}/{notificationId}", "user-team-notifications_get"),
    Overlay("GET /users/{userId}/user-team-notifications/{teamId}", "user-team-notifications_list"),
    Overlay(
        "PUT /users/{userId}/user-team-notifications/{teamId}/{notificationId}",
        "user-team-notifications_update",
        required_body_fields=("enabled",),
    ),
    Overlay(
        "GET /users/{userId}/user-team-roles/{teamId}", "user-team-roles_get", title="Get team role of a user in a team"
    ),
    Overlay("GET /users/{userId}/user-team-roles", "user-team-roles_list", title="List team roles of a user"),
    Overlay(
        "POST /users/{userId}/user-team-roles/{teamId}",
        "user-team-roles_set",
        title="Set team role of a user",
        writes=SETS,
        required_body_fields=("usersRoleId",),
    ),
    Overlay("GET /users/unread-notifications", "users_count-unread-notifications", title="Count unread notifications"),
    Overlay("DELETE /users", "users_delete-me", description="Delete the account of the user this token belongs to."),
    Overlay("GET /users/me/onboarding-survey", "users_get-onboarding-survey"),
    Overlay("GET /users", "users_list", exactly_one_of=("teamId", "organizationId")),
    Overlay("GET /users/by-permission", "users_list-by-permission"),
    Overlay(
        "GET /users/me",
        "users_me",
        official=True,
        title="Get current user",
        description="Get the user the credentials belong to.",
    ),
    Overlay(
        "GET /users/me/current-authorization",
        "users_me-authorization",
        title="Get current authorization",
        description="Show the scopes of the credentials in use.",
    ),
    Overlay("GET /users/me/organization-invitations", "users_me-invitations", title="List my organization invitations"),
    Overlay("GET /users/password-reset", "users_open-password-reset", title="Open password reset session"),
    Overlay("POST /users/password-reset-demand", "users_request-password-reset", writes=CREATES_EACH_TIME),
    Overlay("POST /users/password-reset", "users_reset-password", writes=DISCARDS),
    Overlay(
        "POST /users/me/onboarding-survey",
        "users_submit-onboarding-survey",
        array_item_types={"preferred_apps": "string"},
    ),
    Overlay("PATCH /users/{userId}", "users_update", writes=SETS),
    Overlay("PUT /users/{userId}/attributes/email", "users_update-email", writes=OVERWRITES),
    Overlay("PUT /users/{userId}/attributes/password", "users_update-password", writes=OVERWRITES),
    # --- operations only Make's SDK calls --------------------------------------------------------------------
    # tools/spec/official-undocumented-openapi.json: the reference lacks them, the official tool set calls them.
    # Their tools say so in `_meta` ("documented": false); each name and argument is the official tool's.
    Overlay(
        "POST /connected-systems",
        "connected-system_create",
        official=True,
        title="Create connected system",
        description="Register a system reached through an on-premise agent: its name, agent and app.",
    ),
    Overlay(
        "DELETE /connected-systems/{connectedSystemId}",
        "connected-system_delete",
        official=True,
        title="Delete connected system",
    ),
    Overlay(
        "GET /connected-systems/{connectedSystemId}",
        "connected-system_get",
        official=True,
        title="Get connected system",
    ),
    Overlay(
        "GET /connected-systems",
        "connected-system_list",
        official=True,
        title="List connected systems",
        description="List the systems an organization reaches through its on-premise agents (optionally one agent's).",
    ),
    Overlay(
        "GET /enums/connected-system-apps",
        "connected-system_list-apps",
        official=True,
        title="List connected system apps",
        description="List the apps a connected system can be set up for.",
    ),
    Overlay(
        "PATCH /connected-systems/{connectedSystemId}",
        "connected-system_update",
        official=True,
        title="Update connected system",
        writes=SETS,
    ),
    Overlay(
        "POST /credential-requests/actions/create-by-credentials",
        "credential-requests_create-by-credentials",
        official=True,
        title="Create credential request by credentials",
        description="Ask someone for the credentials of the listed app connections and keys, in one request.",
    ),
    Overlay(
        "POST /credential-requests/actions/extend",
        "credential-requests_extend-connection",
        official=True,
        title="Extend connection by credential request",
        description="Ask a connection's owner to grant it more scopes.",
    ),
    Overlay(
        "POST /users/custom-roles",
        "custom-roles_create",
        official=True,
        title="Create custom role",
        description="Create an organization or team role of your own, with the permissions it grants.",
    ),
    Overlay("DELETE /users/custom-roles/{id}", "custom-roles_delete", official=True, title="Delete custom role"),
    Overlay(
        "PATCH /users/custom-roles/{id}", "custom-roles_update", official=True, title="Update custom role", writes=SETS
    ),
    Overlay(
        "DELETE /data-stores/{dataStoreId}",
        "data-stores_delete",
        default_query=(("confirmed", "true"),),
        official=True,
        title="Delete data store",
        description="Delete one data store and its records. Needs confirmed=true when a scenario uses it.",
    ),
    Overlay(
        "POST /agent/register",
        "on-prem-agent_create",
        official=True,
        title="Register on-premise agent",
        description="Register a new on-premise agent for an organization; the answer holds what the agent needs.",
    ),
    Overlay(
        "GET /agents/{agentId}/apps/{appName}/config",
        "on-prem-agent_get-app-config",
        official=True,
        title="Get on-premise agent app config",
        description="Get how an on-premise agent is set up for one app.",
    ),
    Overlay(
        "GET /private-spaces/{privateSpaceId}",
        "private-spaces_get",
        default_query=(("cols[]", "*"),),
        official=True,
        title="Get private space",
    ),
    Overlay(
        "GET /private-spaces",
        "private-spaces_list",
        default_query=(("cols[]", "*"),),
        official=True,
        title="List private spaces",
        description="List an organization's private spaces (each user's own team), optionally by external ID.",
    ),
    Overlay(
        "PATCH /private-spaces/{privateSpaceId}",
        "private-spaces_update",
        official=True,
        title="Update private space",
        description="Set a private space's operations limit (null: none).",
        writes=SETS,
    ),
    Overlay(
        "GET /sdk/apps/{name}/{version}/{section}",
        "sdk-apps_get-section",
        official=True,
        title="Get SDK app section",
        description="Get one section of a custom app version (base, groups, install or installSpec).",
    ),
    Overlay(
        "PUT /sdk/apps/{name}/{version}/{section}",
        "sdk-apps_set-section",
        official=True,
        title="Set SDK app section",
        description="Replace one section of a custom app version; `body` is its JSON text (comments allowed).",
        required_whole_body=True,
    ),
    Overlay(
        "POST /sdk/apps/{appName}/{appVersion}/endpoints",
        "sdk-endpoints_create",
        official=True,
        title="Create SDK app endpoint",
    ),
    Overlay(
        "DELETE /sdk/apps/{appName}/{appVersion}/endpoints/{endpointName}",
        "sdk-endpoints_delete",
        official=True,
        title="Delete SDK app endpoint",
    ),
    Overlay(
        "GET /sdk/apps/{appName}/{appVersion}/endpoints/{endpointName}",
        "sdk-endpoints_get",
        official=True,
        title="Get SDK app endpoint",
    ),
    Overlay(
        "GET /sdk/apps/{appName}/{appVersion}/endpoints/{endpointName}/{section}",
        "sdk-endpoints_get-section",
        official=True,
        title="Get SDK app endpoint section",
    ),
    Overlay(
        "GET /sdk/apps/{appName}/{appVersion}/endpoints",
        "sdk-endpoints_list",
        official=True,
        title="List SDK app endpoints",
    ),
    Overlay(
        "POST /sdk/apps/{appName}/{appVersion}/endpoints/{endpointName}/private",
        "sdk-endpoints_set-private",
        official=True,
        title="Make SDK app endpoint private",
        writes=SWITCH,
    ),
    Overlay(
        "POST /sdk/apps/{appName}/{appVersion}/endpoints/{endpointName}/public",
        "sdk-endpoints_set-public",
        official=True,
        title="Make SDK app endpoint public",
        writes=SWITCH,
    ),
    Overlay(
        "PUT /sdk/apps/{appName}/{appVersion}/endpoints/{endpointName}/{section}",
        "sdk-endpoints_set-section",
        official=True,
        title="Set SDK app endpoint section",
        description="Replace one section of an app endpoint; `body` is its JSON text (comments allowed).",
        required_whole_body=True,
    ),
    Overlay(
        "PATCH /sdk/apps/{appName}/{appVersion}/endpoints/{endpointName}",
        "sdk-endpoints_update",
        official=True,
        title="Update SDK app endpoint",
        writes=SETS,
    ),
)

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
