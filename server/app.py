"""Builds the MCP server from the catalogue: one low-level Server whose tools are the selected operations."""

from __future__ import annotations

import difflib
import hashlib
import json
import logging
import re
import time
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import anyio
import mcp_types as types
from mcp.server.context import ServerRequestContext
from mcp.server.lowlevel import Server
from mcp_types.version import MODERN_PROTOCOL_VERSIONS

import tools
from server.client import MakeClient, MakeRequest, Sleep
from server.config import Settings
from server.confirmation import CONFIRMATION_FIELD, Confirmations
from server.discovery import (
    CALL_TOOL,
    DESCRIBE_TOOL,
    DISCOVERY_TOOLS,
    SEARCH_TOOL,
    CallInput,
    DescribeInput,
    SearchInput,
    ToolIndex,
)
from server.errors import MakeError, MakeMcpError, MissingScope, ToolNotAvailable
from server.operations import (
    build_request,
    dumps,
    field_wires,
    input_schema,
    shape_result_and_text,
    validate_arguments,
    validate_input,
    without_left_out,
)
from tools.catalogue import Operation
from tools.registry import ALL_OPERATIONS

log = logging.getLogger("make_mcp.app")

SERVER_NAME = "make-mcp"
SERVER_VERSION = "0.1.0"


def instructions_for(settings: Settings | None) -> str:
    """What an agent should know before its first call, for this configuration (sent with `initialize`)."""
    parts = ["Tools operate a Make.com account through the Make API v2; names are <resource>_<action>."]
    if settings is not None and settings.tool_mode == "discovery":
        parts.append("Find a tool with tools_search, read its schema with tools_describe, run it with tools_call.")
    defaults = [
        f"{name} defaults to {value}"
        for name, value in (
            ("teamId", settings and settings.team),
            ("organizationId", settings and settings.organization),
        )
        if value
    ]
    if defaults:
        parts.append(f"Where left out, {' and '.join(defaults)}.")
    else:
        parts.append("Most lists need a teamId or organizationId: organizations_list, then teams_list, give them.")
    parts.append("Lists page with pg.limit/pg.offset; cols picks the fields returned.")
    if settings is None or settings.confirm_destructive:
        parts.append(
            "A destructive tool needs the user's consent: the client asks them where it can; otherwise the tool "
            "answers with a preview and a confirmation token: show the preview to the user and repeat the call "
            "with the token only if they agree."
        )
    parts.append(
        "Why a scenario failed: executions_list lists its runs, incomplete-executions_list the failed runs "
        "waiting to be fixed and retried."
    )
    return " ".join(parts)


DEFAULT_TOOLSETS = (
    "scenarios",
    "incomplete-executions",
    "data-stores",
    "data-structures",
    "hooks",
    "connections",
    "teams",
    "organizations",
    "users",
)
_CONFIRM_KEY = "confirm"
HEARTBEAT_SECONDS = 10.0  # between progress notifications while Make has not answered a call
INPUT_SCHEMAS_PATH = Path(tools.__file__).with_name("input_schemas.json")


class ConfigurationError(Exception):
    """A setting names something that does not exist (e.g. an unknown toolset)."""


def selected_toolsets(setting: str, known: Iterable[str]) -> frozenset[str]:
    known_set = frozenset(known)
    names = {name.strip() for name in setting.split(",") if name.strip()}
    if names == {"all"}:
        return known_set
    if "default" in names:
        names = (names - {"default"}) | set(DEFAULT_TOOLSETS)
    unknown = sorted(names - known_set)
    if unknown:
        raise ConfigurationError(
            f"MAKE_TOOLSETS names unknown toolsets {', '.join(unknown)}; known: {', '.join(sorted(known_set))}"
        )
    return frozenset(names)


@dataclass
class Catalogue:
    """The operations this server offers, and why the others are hidden."""

    operations: tuple[Operation, ...]
    granted_scopes: frozenset[str] | None = None  # None: unknown, so nothing is hidden for lack of a scope
    hidden: dict[str, str] = field(default_factory=dict[str, str])  # tool name -> reason
    lacking: dict[str, list[str]] = field(default_factory=dict[str, list[str]])  # hidden tool -> scopes it lacks
    by_name: dict[str, Operation] = field(init=False)

    def __post_init__(self) -> None:
        self.by_name = {op.name: op for op in self.operations}

    def missing_scopes(self, operation: Operation) -> list[str]:
        if self.granted_scopes is None:
            return []
        return [scope for scope in operation.scopes if scope not in self.granted_scopes]

    @classmethod
    def select(
        cls,
        operations: Iterable[Operation],
        *,
        toolsets: frozenset[str] | None = None,
        read_only: bool = False,
        granted_scopes: frozenset[str] | None = None,
    ) -> Catalogue:
        """Toolsets, read-only mode and the token's scopes are all filters over one list."""
        visible: list[Operation] = []
        hidden: dict[str, str] = {}
        lacking: dict[str, list[str]] = {}
        for op in operations:
            missing = [s for s in op.scopes if granted_scopes is not None and s not in granted_scopes]
            if toolsets is not None and op.toolset not in toolsets:
                hidden[op.name] = f"its toolset {op.toolset!r} is not enabled (MAKE_TOOLSETS / --toolsets)"
            elif read_only and not op.read_only:
                hidden[op.name] = "it changes data and the server is in read-only mode"
            elif missing:
                hidden[op.name] = f"the token lacks the scope {', '.join(missing)}"
                lacking[op.name] = missing
            else:
                visible.append(op)
        return cls(tuple(visible), granted_scopes, hidden, lacking)


@cache
def _shipped_input_schemas() -> dict[str, dict[str, Any]]:
    """`input_schema(model)` of every tool, written by scripts/snapshot_tools.py: reading it beats building 380."""
    return json.loads(INPUT_SCHEMAS_PATH.read_text(encoding="utf-8"))


def tool_definition(operation: Operation, *, confirm: bool) -> types.Tool:
    schema = _shipped_input_schemas()[operation.name]
    if confirm and operation.destructive:
        schema = _with_confirmation_field(schema)
    return types.Tool(
        name=operation.name,
        title=operation.title,
        description=operation.description,
        input_schema=schema,
        output_schema=_advertised_output_schema(operation),
        annotations=types.ToolAnnotations(
            read_only_hint=operation.read_only,
            destructive_hint=operation.destructive,
            idempotent_hint=operation.idempotent,
            open_world_hint=operation.open_world,
        ),
        _meta={
            "make/operation": {
                "method": operation.method,
                "path": operation.path,
                "scopes": list(operation.scopes),
                "toolset": operation.toolset,
            }
        },
    )


def _advertised_output_schema(operation: Operation) -> dict[str, Any] | None:
    """The documented shape, narrowed to the payload key when there is one: it is all a client needs to check."""
    schema = operation.output_schema
    if schema is None or operation.response_key is None:
        return schema
    payload = schema.get("properties", {}).get(operation.response_key)
    if payload is None:
        return schema
    return {"type": "object", "properties": {operation.response_key: payload}}


@cache
def _confirmation_property() -> dict[str, Any]:
    return {
        "anyOf": [{"type": "string"}, {"type": "null"}],
        "description": "Token of this tool's preview; omit on the first call.",
    }


def _with_confirmation_field(schema: dict[str, Any]) -> dict[str, Any]:
    return {**schema, "properties": {**schema["properties"], CONFIRMATION_FIELD: _confirmation_property()}}


def discovery_tool_definitions() -> list[types.Tool]:
    return [
        types.Tool(
            name=name,
            title=title,
            description=description,
            input_schema=input_schema(model),  # pyright: ignore[reportArgumentType]
            annotations=types.ToolAnnotations(
                title=title,
                read_only_hint=read_only,
                destructive_hint=not read_only,
                idempotent_hint=read_only,
                open_world_hint=not read_only,
            ),
        )
        for name, (title, description, model, read_only) in DISCOVERY_TOOLS.items()
    ]


def error_result(message: str) -> types.CallToolResult:
    return types.CallToolResult(content=[types.TextContent(type="text", text=message)], is_error=True)


def structured_result(structured: dict[str, Any]) -> types.CallToolResult:
    return types.CallToolResult(
        content=[types.TextContent(type="text", text=dumps(structured))], structured_content=structured
    )


class ToolRunner:
    """Runs one tool call: lookup, defaults, validation, scope check, confirmation, request, shaping."""

    def __init__(
        self,
        settings: Settings,
        client: MakeClient,
        catalogue: Catalogue,
        confirmations: Confirmations,
        *,
        authorization: str | None = None,  # None: the client's own credential
        sleep: Sleep = anyio.sleep,  # between progress heartbeats
    ) -> None:
        self._sleep = sleep
        self.settings = settings
        self.client = client
        self.catalogue = catalogue
        self.confirmations = confirmations
        self.authorization = authorization
        self.index = ToolIndex(catalogue.operations)
        if settings.tool_mode == "discovery":
            tools = discovery_tool_definitions()
        else:
            tools = [tool_definition(op, confirm=settings.confirm_destructive) for op in catalogue.operations]
        self.listing = types.ListToolsResult(tools=tools)

    def with_defaults(self, operation: Operation, arguments: Mapping[str, Any]) -> dict[str, Any]:
        """Fills teamId / organizationId from MAKE_TEAM / MAKE_ORGANIZATION when the caller left them out.

        Where either one will do, the team is filled in only when the caller gave neither, and an optional
        organizationId next to a teamId is never filled in: Make refuses the two together on such lists.
        """
        filled = dict(arguments)
        fields = operation.input_model.model_fields
        defaults = {"teamId": self.settings.team, "organizationId": self.settings.organization}
        if operation.exactly_one_of:
            if not any(filled.get(name) is not None for name in operation.exactly_one_of):
                name = next((name for name in operation.exactly_one_of if defaults.get(name) is not None), None)
                if name is not None:
                    filled[name] = defaults[name]
            return filled
        for name, value in defaults.items():
            if value is None or name not in fields or name in filled:
                continue
            if name == "organizationId" and "teamId" in fields and not fields[name].is_required():
                continue
            filled[name] = value
        return filled

    def operation(self, name: str) -> Operation:
        operation = self.catalogue.by_name.get(name)
        if operation is not None:
            return operation
        lacking = self.catalogue.lacking.get(name)
        if lacking:
            raise self._missing_scope(name, lacking)
        reason = self.catalogue.hidden.get(name)
        if reason is not None:
            raise ToolNotAvailable(f"The tool {name} is not available here because {reason}.")
        close = difflib.get_close_matches(name, list(self.catalogue.by_name), n=3, cutoff=0.75)
        suggestion = f" Did you mean {' or '.join(close)}?" if close else ""
        where = "tools_search finds tools by words." if self.settings.tool_mode == "discovery" else "See tools/list."
        raise ToolNotAvailable(f"There is no tool named {name!r}.{suggestion} {where}")

    def _missing_scope(self, name: str, missing: list[str]) -> MissingScope:
        # A caller's own token (HTTP) is looked at on each request; the server's own only at start-up.
        granted = self.catalogue.granted_scopes or ()
        return MissingScope(name, missing, granted=granted, per_request=self.authorization is not None)

    async def call(
        self,
        name: str,
        arguments: Mapping[str, Any] | None,
        ctx: ServerRequestContext[Any] | None = None,
        params: types.CallToolRequestParams | None = None,
    ) -> types.CallToolResult | types.InputRequiredResult:
        """Runs one tool call; at INFO level, logs one key=value line per call (never its arguments)."""
        if not log.isEnabledFor(logging.INFO):
            return await self._call(name, arguments, ctx, params)
        started = time.perf_counter()
        result = await self._call(name, arguments, ctx, params)
        inner = (arguments or {}).get("name") if name == CALL_TOOL else None
        known = isinstance(inner, str) and inner in _OPERATION_NAMES  # only a known name: nothing injected
        log.info(
            "call tool=%s outcome=%s ms=%.1f",
            f"{inner} via={name}" if known else name,
            _outcome(result),
            (time.perf_counter() - started) * 1000,
        )
        return result

    async def _call(
        self,
        name: str,
        arguments: Mapping[str, Any] | None,
        ctx: ServerRequestContext[Any] | None,
        params: types.CallToolRequestParams | None,
    ) -> types.CallToolResult | types.InputRequiredResult:
        try:
            if name in DISCOVERY_TOOLS and self.settings.tool_mode == "discovery":
                return await self._discovery(name, arguments or {}, ctx, params)
            operation = self.operation(name)
            arguments = without_left_out(operation.input_model, arguments or {})
            confirmation = arguments.pop(CONFIRMATION_FIELD, None) if operation.destructive else None
            validated = validate_arguments(operation, self.with_defaults(operation, arguments))
            missing = self.catalogue.missing_scopes(operation)
            if missing:
                raise self._missing_scope(operation.name, missing)
            request = build_request(operation, validated)
            if operation.destructive and self.settings.confirm_destructive:
                unconfirmed = await self._confirm(operation, arguments, confirmation, request, ctx, params)
                if unconfirmed is not None:
                    return unconfirmed
            body = await self._send(request, None if ctx is None else CallProgress(ctx, self._sleep))
            structured, text = shape_result_and_text(operation, validated, body, self.settings.result_max_chars)
            return types.CallToolResult(
                content=[types.TextContent(type="text", text=text)], structured_content=structured
            )
        except MakeMcpError as error:
            log.debug("tool %s failed: %s", name, type(error).__name__)
            return error_result(error.message())
        except Exception as error:  # a bug of ours: say so without leaking internals
            log.exception("tool %s crashed", name)
            return error_result(f"make-mcp failed internally while running {name} ({type(error).__name__}).")

    async def _send(self, request: MakeRequest, progress: CallProgress | None) -> Any:
        if progress is None:
            return await self.client.send(request, authorization=self.authorization)
        if not progress.heartbeat_wanted:
            return await self.client.send(request, authorization=self.authorization, on_wait=progress.retry_wait)
        body: Any = None
        failure: MakeMcpError | None = None
        async with anyio.create_task_group() as heartbeat:
            heartbeat.start_soon(progress.heartbeat)
            try:
                body = await self.client.send(request, authorization=self.authorization, on_wait=progress.retry_wait)
            except MakeMcpError as error:  # raised out here, not wrapped in the task group's ExceptionGroup
                failure = error
            heartbeat.cancel_scope.cancel()
        if failure is not None:
            raise failure
        return body

    async def _discovery(
        self,
        name: str,
        arguments: Mapping[str, Any],
        ctx: ServerRequestContext[Any] | None,
        params: types.CallToolRequestParams | None,
    ) -> types.CallToolResult | types.InputRequiredResult:
        if name == SEARCH_TOOL:
            search = validate_input(SearchInput, name, arguments)
            found = self.index.search(search.query, search.toolset, search.limit)
            return structured_result({"tools": found, "count": len(found)})
        if name == DESCRIBE_TOOL:
            described = validate_input(DescribeInput, name, arguments)
            tool = tool_definition(self.operation(described.name), confirm=self.settings.confirm_destructive)
            return structured_result(tool.model_dump(by_alias=True, exclude_none=True, mode="json"))
        call = validate_input(CallInput, name, arguments)
        if call.name in DISCOVERY_TOOLS:
            raise ToolNotAvailable("tools_call runs Make tools, not the discovery tools themselves.")
        return await self._call(call.name, call.arguments, ctx, params)

    async def _confirm(
        self,
        operation: Operation,
        arguments: Mapping[str, Any],
        confirmation: Any,
        request: MakeRequest,
        ctx: ServerRequestContext[Any] | None,
        params: types.CallToolRequestParams | None,
    ) -> types.CallToolResult | types.InputRequiredResult | None:
        """None when the call may proceed; otherwise the answer that asks for confirmation."""
        if isinstance(confirmation, str) and confirmation:
            problem = self.confirmations.check(confirmation, operation.name, _effect(request))
            if problem is None:
                return None
            return error_result(f"Not confirmed: {problem}; nothing was changed. Call without confirmation again.")
        preview = await self._preview(operation, request, arguments)
        if ctx is not None and _client_can_elicit(ctx):
            return await self._elicit(operation, request, preview, ctx, params)
        token = self.confirmations.issue(operation.name, _effect(request))
        return structured_result(
            {
                "confirmationRequired": True,
                "preview": preview,
                "confirmation": token,
                "next": f"Show the preview to the user. Only if they agree, call {operation.name} again with the "
                f"same arguments plus confirmation={token!r} (valid 5 minutes).",
            }
        )

    async def _elicit(
        self,
        operation: Operation,
        request: MakeRequest,
        preview: str,
        ctx: ServerRequestContext[Any],
        params: types.CallToolRequestParams | None,
    ) -> types.CallToolResult | types.InputRequiredResult | None:
        message = f"Allow this change in Make? {preview}"
        schema: types.ElicitRequestedSchema = {"type": "object", "properties": {}}
        if ctx.protocol_version in MODERN_PROTOCOL_VERSIONS:
            responses = params.input_responses if params is not None else None
            answer = (responses or {}).get(_CONFIRM_KEY)
            state = params.request_state if params is not None else None
            if isinstance(answer, types.ElicitResult) and state is not None:
                if self.confirmations.check(state, operation.name, _effect(request)) is not None:
                    return error_result("Not confirmed: the confirmation expired or does not match; nothing changed.")
                return None if answer.action == "accept" else _declined(operation)
            ask = types.ElicitRequest(params=types.ElicitRequestFormParams(message=message, requested_schema=schema))
            return types.InputRequiredResult(
                input_requests={_CONFIRM_KEY: ask},
                request_state=self.confirmations.issue(operation.name, _effect(request)),
            )
        result = await ctx.session.elicit_form(message, schema, ctx.request_id)
        return None if result.action == "accept" else _declined(operation)

    async def _preview(self, operation: Operation, request: MakeRequest, arguments: Mapping[str, Any]) -> str:
        """What the call will do: the resource by name where a GET of it can tell, and what the call sends."""
        action = f"{operation.title} ({operation.method} {request.path})"
        name = await self._name_of_target(operation, request)
        if name:
            action = f"{action}: {name}"
        sent = _sent_arguments(operation, arguments)
        return f"{action}; with {sent}" if sent else action

    async def _name_of_target(self, operation: Operation, request: MakeRequest) -> str | None:
        """The name of the resource the path addresses, read with the GET of its nearest `{id}` prefix."""
        template, concrete = operation.path.split("/"), request.path.split("/")
        if len(template) != len(concrete):
            return None
        for end in range(len(template), 1, -1):
            getter = _getters_by_path().get("/".join(template[:end])) if template[end - 1].startswith("{") else None
            if getter is None:
                continue
            get = MakeRequest("GET", "/".join(concrete[:end]), operation=getter.name)
            try:
                return _resource_name(await self.client.send(get, authorization=self.authorization))
            except MakeError:
                return None
        return None


@cache
def _getters_by_path() -> dict[str, Operation]:
    """GET operations that need nothing but their path, by path template."""
    getters: dict[str, Operation] = {}
    for op in ALL_OPERATIONS:
        needs_only_path = all(fw.wire.location == "path" for fw in field_wires(op.input_model) if fw.required)
        if op.method == "GET" and needs_only_path:
            getters.setdefault(op.path, op)
    return getters


PREVIEW_VALUE_CHARS = 80
PREVIEW_CHARS = 400
SECRET_ARGUMENT = re.compile(r"password|secret|token|api_?key|credential", re.IGNORECASE)


def _sent_arguments(operation: Operation, arguments: Mapping[str, Any]) -> str:
    """The arguments besides the path ids, shortened, so the user sees what will be changed or sent."""
    model = operation.input_model
    location = {
        key: fw.wire.location
        for fw in field_wires(model)
        for key in (fw.field, model.model_fields[fw.field].alias)
        if key
    }
    shown: list[str] = []
    for name, value in arguments.items():
        if location.get(name, "path") == "path":  # path ids are in the preview already; unknown names are not sent
            continue
        text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)
        if SECRET_ARGUMENT.search(name):
            text = "(hidden)"
        elif len(text) > PREVIEW_VALUE_CHARS:
            text = text[: PREVIEW_VALUE_CHARS - 1] + "…"
        shown.append(f"{name}={text}")
    joined = ", ".join(shown)
    return joined if len(joined) <= PREVIEW_CHARS else joined[: PREVIEW_CHARS - 1] + "…"


def _resource_name(body: Any) -> str | None:
    if not isinstance(body, dict):
        return None
    for value in body.values():  # pyright: ignore[reportUnknownVariableType]
        if isinstance(value, dict) and isinstance(value.get("name"), str):  # pyright: ignore[reportUnknownMemberType]
            return f"{value['name']!r}"  # pyright: ignore[reportUnknownArgumentType]
    return None


def _effect(request: MakeRequest) -> dict[str, Any]:
    """What a call sends to Make. A confirmation is bound to it, so the confirmed call may spell its arguments
    another way (an object as JSON text, an ID as a string) but cannot do anything else."""
    content = hashlib.sha256(request.content).hexdigest() if request.content is not None else None
    return {
        "method": request.method,
        "path": request.path,
        "query": request.query,
        "body": request.body,
        "content": content,
        "headers": request.headers,
    }


def _declined(operation: Operation) -> types.CallToolResult:
    return error_result(f"The user did not confirm {operation.name}; nothing was changed.")


_OPERATION_NAMES = frozenset(op.name for op in ALL_OPERATIONS)


def _outcome(result: types.CallToolResult | types.InputRequiredResult) -> str:
    if isinstance(result, types.InputRequiredResult):
        return "asked-user"
    if result.is_error:
        return "error"
    structured = result.structured_content or {}
    return "confirmation-required" if structured.get("confirmationRequired") is True else "ok"


class CallProgress:
    """Progress notifications of one tool call, for a client that asked for them (with a progress token):
    each wait before a retry, and a heartbeat every HEARTBEAT_SECONDS while Make has not answered, so the
    user sees the call is alive and clients that extend their timeout on progress keep waiting."""

    def __init__(self, ctx: ServerRequestContext[Any], sleep: Sleep) -> None:
        self._ctx = ctx
        self._sleep = sleep
        self._count = 0

    @property
    def heartbeat_wanted(self) -> bool:
        # Only a request that came with a progress token gets the heartbeat's extra task; reports without
        # one cost nothing (the SDK drops them), and in-process calls report to their callback without one.
        return (self._ctx.meta or {}).get("progress_token") is not None

    async def report(self, message: str) -> None:
        self._count += 1
        try:
            await self._ctx.session.report_progress(self._count, None, message)
        except Exception:  # progress is a courtesy: a transport without it must not fail the call
            log.debug("could not report progress", exc_info=True)

    async def retry_wait(self, seconds: float, why: str) -> None:
        await self.report(f"{why}; trying again in {seconds:.0f} s")

    async def heartbeat(self) -> None:
        waited = 0.0
        while True:
            await self._sleep(HEARTBEAT_SECONDS)
            waited += HEARTBEAT_SECONDS
            await self.report(f"still waiting for Make ({waited:.0f} s)")


def _client_can_elicit(ctx: ServerRequestContext[Any]) -> bool:
    try:
        capabilities = ctx.session.client_capabilities
    except Exception:  # no session capabilities on this transport
        return False
    return capabilities is not None and capabilities.elicitation is not None


RunnerSource = Callable[[ServerRequestContext[Any]], Awaitable[ToolRunner]]


def build_server(
    runner: ToolRunner | None, *, runner_for: RunnerSource | None = None, settings: Settings | None = None
) -> Server[Any]:
    """The MCP server. `runner` serves every call unless `runner_for` picks one per request (multi-user HTTP).

    With no `runner`, `runner_for` gives it (it may wait, e.g. until the token's scopes are known). The
    instructions follow `settings`, else the runner's.
    """
    if runner is None and runner_for is None:
        raise ValueError("build_server needs a runner or runner_for")

    async def pick(ctx: ServerRequestContext[Any]) -> ToolRunner:
        if runner_for is not None:
            return await runner_for(ctx)
        assert runner is not None
        return runner

    async def on_list_tools(
        ctx: ServerRequestContext[Any], params: types.PaginatedRequestParams | None
    ) -> types.ListToolsResult:
        return (await pick(ctx)).listing

    async def on_call_tool(
        ctx: ServerRequestContext[Any], params: types.CallToolRequestParams
    ) -> types.CallToolResult | types.InputRequiredResult:
        return await (await pick(ctx)).call(params.name, params.arguments, ctx, params)

    schemas = {tool.name: tool.input_schema for tool in runner.listing.tools} if runner is not None else None
    return Server(
        SERVER_NAME,
        version=SERVER_VERSION,
        instructions=instructions_for(settings or (runner.settings if runner is not None else None)),
        get_tool_input_schema=schemas.get if schemas is not None else None,
        on_list_tools=on_list_tools,
        on_call_tool=on_call_tool,
    )
