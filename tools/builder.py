"""The builder toolset: tools that help an agent build a scenario (discover apps and modules, load options,
check a blueprint, list what it needs, audit it, show what an update changes).

Their work is mostly local: reading manifests and checking a blueprint against them, which is code, not a
request. tools/ never imports server/, so each operation here names its handler (`Operation.builder`) and
declares the requests that handler may send (`steps`); server/pipeline.py dispatches the name to
server/builder/handlers.py, which sends only those steps through the same port a tool of several requests
uses. A name rather than a function keeps the declaration data (listing it never loads the builder), and a
single dispatch table is the one place that binds names to code; a test checks both sides match.

Tool and argument names are those of Make's hosted builder tools where it has the tool (apps_recommend,
app-modules_list, app-module_get, rpc_execute, validate_blueprint_schema, validate_module_configuration,
extract_blueprint_components, extract_module_components); ours follow <resource>_<action>.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from make_mcp.tools.catalogue import MakeInput, Operation, Step

TOOLSET = "builder"

# The requests builder handlers send. Make keeps the /imt and /validation-schemas endpoints outside its public
# reference; their scopes are those it documents for their neighbours: apps:read for an app's modules
# (GET /credential-requests/apps/{name}/{version}/modules-with-credentials), organizations:read for RPCs
# (POST /rpcs/...), scenarios:read for what scenario writes are checked against.
LIST_APPS = Step("GET", "/imt/apps", ("apps:read",))
GET_APP = Step("GET", "/imt/apps/{appName}/{appVersion}", ("apps:read",))
RUN_RPC = Step("POST", "/rpcs/{appName}/{appVersion}/{rpcName}", ("organizations:read",))
BLUEPRINT_SCHEMA = Step("GET", "/validation-schemas/blueprint", ("scenarios:read",))
SCENARIO_BLUEPRINT = Step("GET", "/scenarios/{scenarioId}/blueprint", ("scenarios:read",))
SCENARIO = Step("GET", "/scenarios/{scenarioId}", ("scenarios:read",))
# What a team has, for component checks; read only when the call names a team.
LIST_CONNECTIONS = Step("GET", "/connections", ("connections:read",))
GET_CONNECTION = Step("GET", "/connections/{connectionId}", ("connections:read",))  # its scopes
LIST_HOOKS = Step("GET", "/hooks", ("hooks:read",))
LIST_KEYS = Step("GET", "/keys", ("keys:read",))
LIST_DATA_STORES = Step("GET", "/data-stores", ("datastores:read",))
LIST_DATA_STRUCTURES = Step("GET", "/data-structures", ("udts:read",))
# A link the person opens to add a connection or key themselves: the agent never sees the secret.
CREATE_CREDENTIAL_REQUEST = Step("POST", "/credential-requests/actions/create", ("credential-requests:write",))

TEAM_LISTS = (LIST_CONNECTIONS, LIST_HOOKS, LIST_KEYS, LIST_DATA_STORES, LIST_DATA_STRUCTURES)
# Every request a full blueprint check may send (scenarios_create and scenarios_update send them too).
CHECK_STEPS = (GET_APP, BLUEPRINT_SCHEMA, *TEAM_LISTS, GET_CONNECTION)
# What the check of scenarios_create and scenarios_update may send besides the write: an update's saved scenario too.
WRITE_CHECK_STEPS = (*CHECK_STEPS, SCENARIO, SCENARIO_BLUEPRINT)

# The argument of scenarios_create and scenarios_update that sends a blueprint without the builder's check.
SKIP_VALIDATION = "skipValidation"

Blueprint = dict[str, Any] | str
BLUEPRINT_HELP = "An object or JSON text."


class AppsRecommendInput(MakeInput):
    intention: str = Field(min_length=1, max_length=1000, description="What the scenario should do.")
    organizationId: int | None = None
    teamId: int | None = None
    limit: int = Field(default=10, ge=1, le=50)


class AppModulesListInput(MakeInput):
    appName: str = Field(min_length=1, max_length=200, description="e.g. google-sheets")
    appVersion: int = Field(ge=1)
    organizationId: int | None = None
    usage: Literal["scenario", "ai-agent"] | None = Field(
        default=None, description="ai-agent: only those an AI agent can use as tools."
    )


class AppModuleGetInput(MakeInput):
    appName: str = Field(min_length=1, max_length=200)
    appVersion: int = Field(ge=1)
    moduleName: str = Field(min_length=1, max_length=200, description="e.g. addRow")
    organizationId: int | None = None
    format: Literal["compact", "raw"] = "compact"


class RpcExecuteInput(MakeInput):
    appName: str = Field(min_length=1, max_length=200)
    appVersion: int = Field(ge=1)
    rpcName: str = Field(min_length=1, max_length=200, description="From app-module_get's rpcs (after the last /).")
    data: dict[str, Any] = Field(
        description='The fields the RPC needs; the connection as {"__IMTCONN__": <connectionId>}.'
    )
    format: Literal["compact", "raw"] = Field(default="compact", description="compact: label/value pairs.")


class ValidateBlueprintSchemaInput(MakeInput):
    blueprint: Blueprint = Field(description=BLUEPRINT_HELP)


class ValidateModuleConfigurationInput(MakeInput):
    appName: str = Field(min_length=1, max_length=200)
    appVersion: int = Field(ge=1)
    moduleName: str = Field(min_length=1, max_length=200)
    organizationId: int | None = None
    teamId: int | None = None
    parameters: dict[str, Any] = Field(default_factory=dict[str, Any])
    mapper: dict[str, Any] = Field(default_factory=dict[str, Any])
    strict: bool = Field(default=False, description="true: fields the module does not have are errors.")


class BlueprintsValidateInput(MakeInput):
    blueprint: Blueprint = Field(description=BLUEPRINT_HELP)
    teamId: int | None = Field(default=None, description="Also check its connections, webhooks, keys, stores.")
    scheduling: dict[str, Any] | None = None
    asTool: bool = Field(default=False, description="It will run as a tool.")
    strict: bool = False


class ExtractBlueprintComponentsInput(MakeInput):
    blueprint: Blueprint = Field(description=BLUEPRINT_HELP)
    organizationId: int | None = None
    teamId: int | None = None
    requestCredentials: bool = Field(
        default=False, description="true: ask Make for a link the person opens to add what is missing."
    )


class ExtractModuleComponentsInput(MakeInput):
    appName: str = Field(min_length=1, max_length=200)
    appVersion: int = Field(ge=1)
    moduleName: str = Field(min_length=1, max_length=200)
    organizationId: int | None = None
    teamId: int | None = None


class BlueprintsAuditInput(MakeInput):
    blueprint: Blueprint | None = Field(default=None, description=BLUEPRINT_HELP + " Or give scenarioId.")
    scenarioId: int | None = Field(default=None, description="Audit a saved scenario's blueprint.")


class BlueprintsDiffInput(MakeInput):
    scenarioId: int = Field(description="The saved scenario to compare with.")
    blueprint: Blueprint = Field(description="The new blueprint.")
    scheduling: dict[str, Any] | None = None


def _builder(
    name: str,
    title: str,
    description: str,
    model: type[MakeInput],
    steps: tuple[Step, ...],
    *,
    read_only: bool = True,
    at_least_one_of: tuple[str, ...] = (),
    main: Step | None = None,
    core_rank: int | None = None,
    runs_as_task: bool = False,
    not_trimmed: str | None = None,
) -> Operation:
    """`main`: the request that says what the tool does (a write where it makes one), else its first.
    `runs_as_task`: it reads the app of every module of a blueprint, which may outlast the client's wait."""
    first = main or steps[0]
    return Operation(
        name=name,
        title=title,
        description=description,
        toolset=TOOLSET,
        method=first.method,
        path=first.path,
        scopes=first.scopes,
        input_model=model,
        read_only=read_only,
        destructive=False,
        idempotent=read_only,
        open_world=True,
        steps=steps,
        builder=name,
        at_least_one_of=at_least_one_of,
        core_rank=core_rank,
        meta={"documented": False},
        runs_as_task=runs_as_task,
        not_trimmed=not_trimmed,
    )


OPERATIONS: tuple[Operation, ...] = (
    _builder(
        "apps_recommend",
        "Find apps for a task",
        "Search Make's app catalogue for a task: apps ranked by how their names and modules match it.",
        AppsRecommendInput,
        (LIST_APPS,),
        core_rank=132,
    ),
    _builder(
        "app-modules_list",
        "List an app's modules",
        "An app's modules: name, label, kind (trigger, action, search ...).",
        AppModulesListInput,
        (GET_APP,),
        core_rank=134,
        not_trimmed="the builder answers its three fields per module (name, label, kind), not Make's manifest",
    ),
    _builder(
        "app-module_get",
        "Read a module",
        "A module's fields (type, required, options or RPC), outputs and connection.",
        AppModuleGetInput,
        (GET_APP,),
        core_rank=136,
    ),
    _builder(
        "rpc_execute",
        "Load a module's options",
        "Run an app's RPC with a connection: the options of a field (spreadsheets, channels ...) as label/value.",
        RpcExecuteInput,
        (RUN_RPC,),
        read_only=False,
    ),
    _builder(
        "validate_blueprint_schema",
        "Check a blueprint's structure",
        "Check a blueprint against Make's blueprint schema and the structure rules (IDs, routes, branches).",
        ValidateBlueprintSchemaInput,
        (BLUEPRINT_SCHEMA,),
    ),
    _builder(
        "validate_module_configuration",
        "Check one module's fields",
        "Check one module's parameters and mapper against its fields.",
        ValidateModuleConfigurationInput,
        (GET_APP, *TEAM_LISTS),
    ),
    _builder(
        "blueprints_validate",
        "Check a blueprint",
        "Check a blueprint before writing it: modules, fields, references, components, scheduling.",
        BlueprintsValidateInput,
        CHECK_STEPS,
        core_rank=140,
        runs_as_task=True,
    ),
    _builder(
        "extract_blueprint_components",
        "What a blueprint needs",
        "The connections, webhooks, keys, data stores and data structures a blueprint needs, those the team has "
        "(IDs to use) and those missing; optionally a link the person opens to add them.",
        ExtractBlueprintComponentsInput,
        (GET_APP, *TEAM_LISTS, GET_CONNECTION, CREATE_CREDENTIAL_REQUEST),
        read_only=False,
        main=CREATE_CREDENTIAL_REQUEST,
        runs_as_task=True,
    ),
    _builder(
        "extract_module_components",
        "What a module needs",
        "The connection, webhook, key, data store or data structure one module needs, and those the team has.",
        ExtractModuleComponentsInput,
        (GET_APP, *TEAM_LISTS),
    ),
    _builder(
        "blueprints_audit",
        "Audit a blueprint",
        "Review a blueprint, given or saved: secrets written in fields (masked), plain http, outside calls "
        "without error handling, routes without filters, broken references, unused modules; and its flow.",
        BlueprintsAuditInput,
        (SCENARIO_BLUEPRINT, GET_APP),
        main=GET_APP,  # it reads the saved blueprint only when given a scenarioId
        at_least_one_of=("blueprint", "scenarioId"),
        runs_as_task=True,
    ),
    _builder(
        "blueprints_diff",
        "Compare with the saved blueprint",
        "What a new blueprint changes in the saved one: modules added, removed and changed, mappings, "
        "filters, scheduling.",
        BlueprintsDiffInput,
        (SCENARIO_BLUEPRINT, SCENARIO),
    ),
)
