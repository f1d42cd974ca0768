"""The MCP server: tools/list and tools/call handlers over the selected tools (the call itself: server/engine/pipeline.py)."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import mcp_types as types
from mcp.server.context import HandlerResult, ServerRequestContext
from mcp.server.lowlevel import NotificationOptions, Server
from mcp.server.models import InitializationOptions
from mcp_types.version import MODERN_PROTOCOL_VERSIONS
from opentelemetry import trace

from make_mcp.server.engine.call import Caller
from make_mcp.server.protocol.announcer import Announcer
from make_mcp.server.protocol.icons import server_icons
from make_mcp.server.protocol.results import handler_result
from make_mcp.server.protocol.runner import ToolRunner
from make_mcp.server.protocol.scenario_tools_live import FIRST_LISTING_WAIT_SECONDS
from make_mcp.server.protocol.sdk_private import without_otel_spans
from make_mcp.server.protocol.surface import add_subscriptions, add_surface
from make_mcp.server.protocol.task_methods import (
    TASKS_EXTENSION,
    TaskMethods,
    created_2026,
    legacy_capability,
    wants_task_2026,
)
from make_mcp.server.protocol.task_store import TaskRecord
from make_mcp.server.protocol.tasks import TaskManager
from make_mcp.server.support.config import Settings
from make_mcp.tools.conventions import (
    DEFAULT_IDS,
    INSTRUCTIONS_BY_MODE,
    INSTRUCTIONS_INTRO,
    INSTRUCTIONS_NO_DEFAULTS,
    INSTRUCTIONS_PAGING,
    INSTRUCTIONS_WHY_FAILED,
)

if TYPE_CHECKING:
    from make_mcp.server.protocol.scenario_tools_live import CallerTools

log = logging.getLogger("make_mcp.app")

SERVER_NAME = "make-mcp"
SERVER_VERSION = "0.1.0"


def instructions_for(settings: Settings | None) -> str:
    """What an agent should know before its first call, for this configuration (sent with `initialize`)."""
    parts = [INSTRUCTIONS_INTRO]
    mode = settings.tool_mode if settings is not None else None
    if mode in INSTRUCTIONS_BY_MODE:
        parts.append(INSTRUCTIONS_BY_MODE[mode])
    defaults = [
        f"{default.field} defaults to {value}"
        for default in DEFAULT_IDS
        if (value := getattr(settings, default.setting) if settings is not None else None)
    ]
    parts.append(f"Where left out, {' and '.join(defaults)}." if defaults else INSTRUCTIONS_NO_DEFAULTS)
    parts.append(INSTRUCTIONS_PAGING)
    if settings is None or settings.confirm_destructive:
        parts.append(
            "A destructive tool needs the user's consent: the client asks them where it can; otherwise the tool "
            "answers with a preview and a confirmation token: show the preview to the user and repeat the call "
            "with the token only if they agree."
        )
    parts.append(INSTRUCTIONS_WHY_FAILED)
    return " ".join(parts)


RunnerSource = Callable[[ServerRequestContext[Any]], Awaitable[ToolRunner]]
CallerSource = Callable[[ServerRequestContext[Any]], Awaitable[Caller]]
# The caller's scenario tools (server/protocol/scenario_tools_live.py): their runner replaces the one of `runner_for`.
ScenarioToolsSource = Callable[[ServerRequestContext[Any]], Awaitable["CallerTools"]]


class _Server(Server[Any]):
    """The SDK's server, advertising `tools.listChanged` in the handshake era too (2026-era clients learn it
    from subscriptions/listen being served), and 2025-11-25's `tasks` when it runs calls as tasks."""

    offers_tasks = False
    announces_resources = False  # resources/subscribe served, and notifications/resources/list_changed sent

    def get_capabilities(
        self,
        notification_options: NotificationOptions | None = None,
        experimental_capabilities: dict[str, dict[str, Any]] | None = None,
        extensions: dict[str, dict[str, Any]] | None = None,
        *,
        protocol_version: str | None = None,
    ) -> types.ServerCapabilities:
        capabilities = super().get_capabilities(
            notification_options, experimental_capabilities, extensions, protocol_version=protocol_version
        )
        if self.offers_tasks and protocol_version not in MODERN_PROTOCOL_VERSIONS:
            capabilities.tasks = legacy_capability()
        return capabilities

    def create_initialization_options(
        self,
        notification_options: NotificationOptions | None = None,
        experimental_capabilities: dict[str, dict[str, Any]] | None = None,
        extensions: dict[str, dict[str, Any]] | None = None,
    ) -> InitializationOptions:
        notification_options = notification_options or NotificationOptions(
            tools_changed=True, resources_changed=self.announces_resources
        )
        return super().create_initialization_options(notification_options, experimental_capabilities, extensions)


@dataclass(frozen=True)
class _Handlers:
    """The request handlers of one server, over where its runner and caller come from (see `build_server`)."""

    runner: ToolRunner | None
    runner_for: RunnerSource | None
    caller_for: CallerSource | None
    scenario_tools_for: ScenarioToolsSource | None
    first_listing_wait: float
    tasks: TaskManager | None
    listing_for: RunnerSource | None

    async def pick(self, ctx: ServerRequestContext[Any]) -> ToolRunner:
        if self.runner_for is not None:
            return await self.runner_for(ctx)
        assert self.runner is not None
        return self.runner

    async def on_list_tools(
        self, ctx: ServerRequestContext[Any], params: types.PaginatedRequestParams | None
    ) -> types.ListToolsResult:
        if self.listing_for is not None:
            return (await self.listing_for(ctx)).listing
        if self.scenario_tools_for is not None:
            tools = await self.scenario_tools_for(ctx)
            return (await tools.listing_runner(ctx, self.first_listing_wait)).listing
        return (await self.pick(ctx)).listing

    async def acting_for(self, ctx: ServerRequestContext[Any]) -> tuple[ToolRunner, Caller]:
        own = None if self.scenario_tools_for is None else await self.scenario_tools_for(ctx)
        if own is not None:
            own.announcer.remember(ctx)  # e.g. a client that reads resources hears that their list changed
        chosen = own.runner if own is not None else await self.pick(ctx)
        caller = None if self.caller_for is None else await self.caller_for(ctx)
        return chosen, caller or Caller(None, chosen.confirmations)

    async def start_task(
        self, ctx: ServerRequestContext[Any], params: types.CallToolRequestParams, ttl: int | None
    ) -> TaskRecord | None:
        """The call started as a task, or None when its tool runs plainly."""
        assert self.tasks is not None
        chosen, caller = await self.acting_for(ctx)
        own = None if self.scenario_tools_for is None else await self.scenario_tools_for(ctx)
        if own is not None:
            chosen = await own.call_runner(params.name, params.arguments, ctx)
        operation = chosen.catalogue.by_name.get(params.name)
        if operation is None or not operation.runs_as_task:
            return None

        async def changed(record: TaskRecord) -> None:  # to the caller's clients following the resources it changed
            if own is not None:
                await own.after_task(operation, params.arguments or {}, record)

        return await self.tasks.start(chosen, caller, params.name, params.arguments, ttl, changed)

    async def on_call_tool(self, ctx: ServerRequestContext[Any], params: types.CallToolRequestParams) -> HandlerResult:
        if self.tasks is not None and self.tasks.offered and wants_task_2026(ctx):
            record = await self.start_task(ctx, params, None)
            if record is not None:
                return created_2026(record)
        caller = None if self.caller_for is None else await self.caller_for(ctx)
        if self.scenario_tools_for is None:
            outcome = await (await self.pick(ctx)).call(params.name, params.arguments, ctx, params, caller=caller)
            return handler_result(outcome)
        tools = await self.scenario_tools_for(ctx)
        chosen = await tools.call_runner(params.name, params.arguments, ctx)
        outcome = await chosen.call(
            params.name, params.arguments, ctx, params, caller=caller, observers=[tools.after_call]
        )
        return handler_result(outcome)

    async def on_subscriptions_listen(
        self, ctx: ServerRequestContext[Any], params: types.SubscriptionsListenRequestParams
    ) -> types.SubscriptionsListenResult:
        return await (await self.announcer_for(ctx)).listen(ctx, params)

    async def announcer_for(self, ctx: ServerRequestContext[Any]) -> Announcer:
        assert self.scenario_tools_for is not None
        return (await self.scenario_tools_for(ctx)).announcer


def declares_param_headers(schema: Any) -> bool:
    """Whether a JSON Schema declares an `x-mcp-header` anywhere (a tool argument also sent as a header)."""
    if isinstance(schema, dict):
        return "x-mcp-header" in schema or any(declares_param_headers(value) for value in schema.values())  # pyright: ignore[reportUnknownVariableType]
    return isinstance(schema, list) and any(declares_param_headers(value) for value in schema)  # pyright: ignore[reportUnknownVariableType]


def build_server(
    runner: ToolRunner | None,
    *,
    runner_for: RunnerSource | None = None,
    caller_for: CallerSource | None = None,
    settings: Settings | None = None,
    scenario_tools_for: ScenarioToolsSource | None = None,
    first_listing_wait: float = FIRST_LISTING_WAIT_SECONDS,
    tasks: TaskManager | None = None,
    listing_for: RunnerSource | None = None,
    pushes: bool = True,
) -> Server[Any]:
    """The MCP server. `runner` serves every call unless `runner_for` picks one per request, and each call acts
    for `caller_for`'s caller (multi-user HTTP: their credential and confirmations), else the runner's own.

    With no `runner`, `runner_for` gives it (it may wait, e.g. until the token's scopes are known). The
    instructions follow `settings`, else the runner's. With `scenario_tools_for`, the caller's scenario tools
    are listed first, refreshed after calls that change scenarios, and announced with tools/list_changed; a
    caller's first tools/list waits up to `first_listing_wait` seconds for them. With `tasks`, a scenario run
    asked for as a task (either protocol era) answers at once with one. `listing_for`, when given, picks the
    runner of tools/list (the stdio start-up's bounded wait). Where the transport `pushes` (stdio, in memory,
    stateful HTTP; not stateless HTTP, which sends nothing outside a request's answer), a handshake-era client of
    a server with `scenario_tools_for` may also follow resources with resources/subscribe and hears
    resources/list_changed.
    """
    if runner is None and runner_for is None:
        raise ValueError("build_server needs a runner or runner_for")
    handlers = _Handlers(runner, runner_for, caller_for, scenario_tools_for, first_listing_wait, tasks, listing_for)
    # The SDK checks a 2026-era call's Mcp-Param-* headers against the schema it is given, walking it each call;
    # a schema declaring no header has nothing to check, so only those that declare one are given (none today).
    schemas = (
        {tool.name: tool.input_schema for tool in runner.listing.tools if declares_param_headers(tool.input_schema)}
        if runner is not None
        else None
    )
    server = _Server(
        SERVER_NAME,
        version=SERVER_VERSION,
        instructions=instructions_for(settings or (runner.settings if runner is not None else None)),
        icons=server_icons(),
        get_tool_input_schema=schemas.get if schemas is not None else None,
        on_list_tools=handlers.on_list_tools,
        on_subscriptions_listen=handlers.on_subscriptions_listen if scenario_tools_for is not None else None,
    )
    if not tracing_configured():
        # The SDK's own middleware opens an OpenTelemetry span per message; without a provider none is recorded.
        server.middleware = without_otel_spans(server.middleware)
    # Registered here rather than as on_call_tool: a 2026-era task answer is no CallToolResult.
    server.add_request_handler("tools/call", types.CallToolRequestParams, handlers.on_call_tool)
    if tasks is not None:
        _add_tasks(server, tasks, handlers)
    add_surface(server, handlers.acting_for)
    if scenario_tools_for is not None and pushes:
        add_subscriptions(server, handlers.announcer_for)
        server.announces_resources = True
    return server


def _add_tasks(server: _Server, tasks: TaskManager, handlers: _Handlers) -> None:
    """MCP tasks in both protocol eras: their methods, the middleware that starts a call as one, the capability."""
    methods = TaskMethods(tasks, handlers.acting_for, handlers.start_task)
    for method, params_type, handler in methods.handlers():
        server.add_request_handler(method, params_type, handler)
    server.middleware.append(methods.middleware)
    server.extensions[TASKS_EXTENSION] = {}
    server.offers_tasks = True


def tracing_configured() -> bool:
    """Whether an OpenTelemetry tracer provider is set (e.g. by `opentelemetry-instrument`) to record spans."""
    provider = trace.get_tracer_provider()
    return not isinstance(provider, trace.ProxyTracerProvider | trace.NoOpTracerProvider)
