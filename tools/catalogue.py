"""How one Make API operation is declared: pure data, read by the generic code in server/.

Every field of an operation's input model says where it goes in the HTTP request through a
`Wire` marker in its `Annotated` metadata: `PathParam()`, `QueryParam()`, `BodyField()` or `WholeBody()`.
The marker carries the name Make uses on the wire when it differs from the field name
(`cols` travels as `cols[]`). The marker is invisible in the JSON schema.

Three rarer markers: `HeaderParam()` sends the field as an HTTP header (the remote-procedure `imt-*`
headers), `NullFields()` names the body fields to send as null (`setNull`, where Make's null clears a value),
and a query wire name holding a `<placeholder>` (Make's `<connectionType>[]` on
GET /connections) takes a dict whose keys replace the placeholder: `{"google": ["a", "b"]}` travels as
`google[]=a&google[]=b`.
"""

from __future__ import annotations

import importlib
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, Literal, Protocol

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

HttpMethod = Literal["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
WireLocation = Literal["path", "query", "body", "body_spread", "whole_body", "header", "nulls"]


@dataclass(frozen=True, slots=True)
class Wire:
    location: WireLocation
    name: str | None = None
    # Make wants some body fields (blueprint, scheduling) as JSON text; agents send objects.
    json_string: bool = False
    # Content type of a WholeBody that is not JSON (text/markdown, application/javascript, image/png).
    content_type: str | None = None
    # The field holds base64 text, decoded to bytes before sending (binary bodies such as image/png).
    base64: bool = False


def PathParam(name: str | None = None) -> Wire:
    return Wire("path", name)


def QueryParam(name: str | None = None) -> Wire:
    return Wire("query", name)


def BodyField(name: str | None = None, *, json_string: bool = False) -> Wire:
    return Wire("body", name, json_string)


def WholeBody(content_type: str | None = None, *, base64: bool = False) -> Wire:
    """The field's value is the entire body: JSON when Make leaves it free-form, else `content_type` text."""
    return Wire("whole_body", content_type=content_type, base64=base64)


def BodySpread() -> Wire:
    """The field is an object whose members travel as body fields beside the others (the official tool set's
    `data` of hooks_create); a member that is also a field of its own is an error."""
    return Wire("body_spread")


def HeaderParam(name: str | None = None) -> Wire:
    return Wire("header", name)


def NullFields() -> Wire:
    """The field names other body fields to send as null, which clears them in Make: a body field given as
    null counts as left out (strict clients send null for every field they skip), so null needs saying."""
    return Wire("nulls")


# A run's status as Make's logs filter takes it: 1 success, 2 warning, 3 error. The official tool set advertises it
# as text, so prompts written for it send "3"; the words say the same. Make is always sent the integer.
RUN_STATUS_WORDS = {"success": 1, "warning": 2, "error": 3}


def _run_status(value: int | str) -> int:
    if isinstance(value, int):
        return value
    return RUN_STATUS_WORDS.get(value) or int(value)


RunStatus = Annotated[
    Literal[1, 2, 3] | Literal["1", "2", "3", "success", "warning", "error"], AfterValidator(_run_status)
]


# The field types of Make's scenario interfaces.
InterfaceType = Literal[
    "text",
    "number",
    "integer",
    "uinteger",
    "boolean",
    "date",
    "time",
    "timestamp",
    "url",
    "email",
    "json",
    "select",
    "collection",
    "dynamicCollection",
    "array",
    "any",
]


class InterfaceOption(BaseModel):
    model_config = ConfigDict(extra="forbid")

    label: str | None = None
    value: str | int | float | bool
    nested: list[dict[str, Any]] | None = Field(default=None, description="Fields shown when this option is chosen.")


class InterfaceField(BaseModel):
    """One scenario input or output, as Make describes it."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, description="How the scenario refers to it ({{var.input.<name>}}).")
    type: InterfaceType
    label: str | None = None
    help: str | None = Field(default=None, description="Tells the caller what to give.")
    required: bool | None = None
    default: Any = None
    multiline: bool | None = None
    options: list[InterfaceOption] | None = Field(default=None, description="For select: the choices.")
    spec: dict[str, Any] | list[dict[str, Any]] | None = Field(
        default=None, description="collection: its fields (a list); array: one field for each item, or a list."
    )
    validate_: dict[str, Any] | None = Field(
        default=None, alias="validate", description="Bounds and checks: min, max, pattern."
    )


# An InterfaceField checked for its name and type only, its other keys sent as given: a short schema for
# scenarios_create, whose listing is counted. (No docstrings here: they would be in the schema.)
class InterfaceItem(BaseModel):
    model_config = ConfigDict(extra="allow")

    name: str = Field(min_length=1)
    type: InterfaceType


# A scenario's inputs and outputs, as PATCH /scenarios/{scenarioId}/interface takes them.
class ScenarioInterface(BaseModel):
    model_config = ConfigDict(extra="forbid")

    input: list[InterfaceItem] = Field(default_factory=list[InterfaceItem])
    # Make checks the outputs' types when it sets them: repeating the types here would double the schema.
    output: list[dict[str, Any]] = Field(default_factory=list[dict[str, Any]])

    def wire(self) -> dict[str, Any]:
        return {"input": [item.model_dump(mode="json") for item in self.input], "output": self.output}


class MakeInput(BaseModel):
    """Base of every operation's input model: unknown arguments are an error, never passed on.

    Validators are built on a model's first use, not at import: a server lists its tools from the schemas
    shipped in tools/input_schemas.json, and most of the 380 models are never called in a session.
    """

    model_config = ConfigDict(extra="forbid", populate_by_name=True, defer_build=True)


class Shape(BaseModel):
    """An object whose members the reference states only in its text: those are typed and checked, others pass
    through to Make (the text may not name them all)."""

    model_config = ConfigDict(extra="allow", populate_by_name=True, defer_build=True)


# Make's `pg[...]` query parameters; serialised as `pg[limit]=...` and so on. The names and bounds say what each
# is: a docstring would be the schema's description, repeated in every list tool's listing.
class Pagination(BaseModel):
    model_config = ConfigDict(extra="forbid")

    limit: int | None = Field(default=None, ge=1)
    offset: int | None = Field(default=None, ge=0)
    sortBy: str | None = None
    sortDir: Literal["asc", "desc"] | None = None


@dataclass(frozen=True, slots=True)
class Step:
    """One request a tool of several requests may send. Declared, so the tool's `_meta` lists it, its scopes
    count towards the tool's, and the rate budget and timeouts know it."""

    method: HttpMethod
    path: str  # template, e.g. "/scenarios/{scenarioId}/executions/{executionId}"
    scopes: tuple[str, ...] = ()
    rate_limit_exempt: bool = False
    min_timeout: float | None = None


class RequestPort(Protocol):
    """What a tool of several requests may do while it runs. server/ provides it for each call; tools/
    never imports server/. Every request shares the call's budget (MAKE_CALL_DEADLINE) and progress."""

    async def send(
        self,
        step: Step,
        path_params: Mapping[str, Any] | None = None,
        *,
        query: Sequence[tuple[str, str]] = (),
        body: Any = None,
        failure: str | None = None,
        content: bytes | None = None,
        content_type: str | None = None,
    ) -> Any:
        """Sends one declared request; returns Make's decoded body or raises the call's error, which says
        `failure` first when given (what the earlier requests did, and what to do instead). `body` travels as
        JSON; `content` instead is the whole body as is, of `content_type` (a section's JSONC text)."""
        ...

    async def progress(self, message: str) -> None:
        """Tells the client how the call is going (a no-op when it did not ask for progress)."""
        ...

    async def sleep(self, seconds: float) -> None:
        """Waits (on the server's clock, injected in tests)."""
        ...

    def time_left(self) -> float | None:
        """Seconds left of the call's budget; None when there is no deadline."""
        ...


# How a tool of several requests runs: its validated input and the port; returns the result body.
Runner = Callable[[Any, RequestPort], Awaitable[Any]]


@dataclass(frozen=True, slots=True)
class Run:
    """The requests of a generated operation that sends several (tools/runs.py): an overlay names the record
    (`Overlay.run`), and the generated `Operation` takes its `steps` and `run`."""

    steps: tuple[Step, ...]
    run: Runner


@dataclass(frozen=True, slots=True)
class ModelRef:
    """Where an input model is defined (`make_mcp.tools.inputs.hooks`, `HooksListInput`), for an `Operation` to import on
    first use: listing and selecting tools never need a model, and building all 380 classes takes a third of a
    second."""

    module: str
    name: str

    def load(self) -> type[MakeInput]:
        model = getattr(importlib.import_module(self.module), self.name)
        if not (isinstance(model, type) and issubclass(model, MakeInput)):
            raise TypeError(f"{self.module}.{self.name} is not an input model")
        return model


class InputModelField:
    """`Operation.input_model`: given a class or a `ModelRef`, always read as the class (a `ModelRef` is loaded
    on the first read and kept)."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, operation: object, owner: type | None = None) -> type[MakeInput]:
        if operation is None:
            raise AttributeError(self.name)  # read on the class: the field has no default
        held = vars(operation)
        value = held[self.name]
        if isinstance(value, ModelRef):
            value = held[self.name] = value.load()
        return value

    def __set__(self, operation: object, value: type[MakeInput] | ModelRef) -> None:
        # Reached only from the dataclass's __init__: Operation is frozen.
        vars(operation)[self.name] = value


@dataclass(frozen=True)
class TrimmedFields:
    """The result fields of a list tool whose Make operation has no `cols[]`: Make answers every field, and the
    shape stage keeps `default` of each item (and its `id`) unless the call's `cols` names others from
    `documented` (the fields the reference documents for the list's items) or is `["*"]` (all Make answered)."""

    default: tuple[str, ...]
    documented: tuple[str, ...]


@dataclass(frozen=True)
class Operation:
    """One Make API operation exposed as one MCP tool."""

    name: str
    title: str
    description: str
    toolset: str
    method: HttpMethod
    path: str
    scopes: tuple[str, ...]
    read_only: bool
    destructive: bool
    idempotent: bool
    # A class, or where the generated modules define it (a ModelRef); read, it is always the class. Required:
    # the descriptor is no default (type checkers take it for one, hence its place after the other required fields).
    input_model: InputModelField = InputModelField()
    # The key of the response body that holds the payload (e.g. "scenarios"); None when the body is the payload.
    response_key: str | None = None
    open_world: bool = True
    # Shape of the documented response body, when the reference documents one.
    output_schema: dict[str, Any] | None = None
    # Make does not count it against the organization's request limit, so neither does the rate budget.
    rate_limit_exempt: bool = False
    # Seconds a try may take at least (MAKE_TIMEOUT may be shorter), for operations Make keeps open longer.
    min_timeout: float | None = None
    # Field names of which a call must give exactly one (teamId or organizationId).
    exactly_one_of: tuple[str, ...] = ()
    # Field names of which a call must give at least one (a name, data or both).
    at_least_one_of: tuple[str, ...] = ()
    # The fields a list tool returns when the agent asks for none (empty: all that Make sends): asked of Make as
    # `cols[]`; each is one of the values `cols` accepts and a field the items carry.
    default_cols: tuple[str, ...] = ()
    # A list tool whose Make operation has no `cols[]`: the fields the shape stage keeps of each item.
    trimmed_fields: TrimmedFields | None = None
    # Another list tool without Make's `cols[]`: why it is returned whole instead (tools/result_fields.py).
    not_trimmed: str | None = None
    # Its place in the default listing (MAKE_TOOL_MODE=core), lowest first; None: reached through the discovery tools.
    core_rank: int | None = None
    # Query pairs (wire name, value) sent when the call gives that parameter no value: the official tool set's
    # defaults (cols[]=*, confirmed=true once the user has confirmed, useDefaults=requiredOnly).
    default_query: tuple[tuple[str, str], ...] = ()
    # (the reference's spelling, the items') of `cols` values: the first is taken for the second.
    column_aliases: tuple[tuple[str, str], ...] = ()
    # A destructive tool asks to confirm only the calls that send one of these fields (empty: every call).
    destructive_fields: tuple[str, ...] = ()
    # Its success may change which of the caller's scenarios are callable as tools (or how): they are found again.
    changes_scenarios: bool = False
    # A tool of several requests: `run` sends `steps` through the port instead of the one request above.
    steps: tuple[Step, ...] = ()
    run: Runner | None = None
    # Extra `_meta` entries of the tool (e.g. {"make/scenario": {...}} on a scenario's own tool).
    meta: Mapping[str, Any] | None = None
    # A builder tool (tools/builder.py): the name of the server/builder handler that runs it, sending only `steps`.
    builder: str | None = None
    # A write of a scenario's blueprint: checked by the builder before it is sent, unless the call says
    # skipValidation (server/pipeline.py's check stage).
    checks_blueprint: bool = False
    # A call may run as an MCP task (the client asks; the call answers at once and the work goes on): a scenario run,
    # or a call that may outlast the client's wait (a builder check over many modules, a blueprint write it checks).
    runs_as_task: bool = False
