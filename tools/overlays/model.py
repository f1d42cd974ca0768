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
with `passed_through(default)` and is also a field of `make_mcp.tools.catalogue.Operation` under the same name: the
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

from make_mcp.tools.catalogue import TrimmedFields


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
    # The fields a list tool with Make's `cols[]` returns when the agent asks for none (what an agent does with
    # each list: tests/tools/test_result_fields.py checks them against the reference).
    default_cols: tuple[str, ...] = passed_through(())
    # A list tool whose Make operation has no `cols[]`: the fields the shape stage keeps of each item by default,
    # and those `cols` may ask for (never sent to Make).
    trimmed_fields: TrimmedFields | None = passed_through(None)  # noqa: RUF009 (None, not a call's result)
    # A list tool whose Make operation has no `cols[]` and that is returned whole (less the empty values the shape
    # stage drops): why it is not trimmed. Every such list has `trimmed_fields` or this.
    not_trimmed: str | None = passed_through(None)
    # Its place in the default listing (MAKE_TOOL_MODE=core), lowest first, most useful first so a client that
    # keeps only the first N keeps the best: the default toolsets' everyday tools. Places go by tens, so a new one
    # fits between two without renumbering the others.
    core_rank: int | None = passed_through(None)
    # `cols[]` values the reference spells otherwise than the items Make answers carry them, as pairs (the
    # reference's spelling, the items'): the tool offers the items' name, which Make's other operations on the
    # same items document, and takes the reference's as an alias for it.
    column_aliases: tuple[tuple[str, str], ...] = passed_through(())
    # Query pairs (Make's wire name, value) sent when the call gives that parameter no value: what the official
    # tool sends unasked (tools/spec/official-mapping.json "defaults", decided in scripts/official_mapping.py).
    default_query: tuple[tuple[str, str], ...] = passed_through(())
    # It writes a scenario's blueprint: the builder checks the blueprint first and refuses with its findings,
    # unless the call says skipValidation (the call pipeline's check stage).
    checks_blueprint: bool = passed_through(False)
    # A call may run as an MCP task, where it may outlast the client's wait: a run (Make goes on up to 40 minutes),
    # a blueprint write (the builder fetches every module's app before it is sent).
    runs_as_task: bool = passed_through(False)
    # Its success may change which of the caller's scenarios are callable as tools, or how: they are found again.
    changes_scenarios: bool = passed_through(False)
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
    # The name of a `make_mcp.tools.catalogue.Run` record in tools/runs.py, for an operation that sends several requests
    # (its own and others): the generated `Operation` takes the record's steps and run.
    run: str | None = None
    # Parameters of the reference (wire names) the tool does without: a write's `cols[]`, which the official tool
    # lacks and default_query sends anyway, is listed on every call for an answer of one item.
    omitted_parameters: tuple[str, ...] = ()
    # Fields only the run sends, in a later request (scenarios_create's interface): name -> a model of
    # make_mcp.tools.catalogue typing it; their descriptions come from field_descriptions.
    run_fields: Mapping[str, str] = field(default_factory=dict[str, str])
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
