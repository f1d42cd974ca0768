"""The MCP server: tools/list and tools/call handlers over the selected tools (the call itself: server/protocol/pipeline.py)."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

import mcp_types as types
from mcp.server._otel import OpenTelemetryMiddleware
from mcp.server.context import ServerRequestContext
from mcp.server.lowlevel import NotificationOptions, Server
from mcp.server.models import InitializationOptions
from opentelemetry import trace

from make_mcp.server.protocol import pipeline
from make_mcp.server.protocol.call import Caller
from make_mcp.server.protocol.runner import ToolRunner
from make_mcp.server.protocol.scenario_tools_live import FIRST_LISTING_WAIT_SECONDS
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
    from subscriptions/listen being served)."""

    def create_initialization_options(
        self,
        notification_options: NotificationOptions | None = None,
        experimental_capabilities: dict[str, dict[str, Any]] | None = None,
        extensions: dict[str, dict[str, Any]] | None = None,
    ) -> InitializationOptions:
        return super().create_initialization_options(
            notification_options or NotificationOptions(tools_changed=True), experimental_capabilities, extensions
        )


def build_server(
    runner: ToolRunner | None,
    *,
    runner_for: RunnerSource | None = None,
    caller_for: CallerSource | None = None,
    settings: Settings | None = None,
    scenario_tools_for: ScenarioToolsSource | None = None,
    first_listing_wait: float = FIRST_LISTING_WAIT_SECONDS,
) -> Server[Any]:
    """The MCP server. `runner` serves every call unless `runner_for` picks one per request, and each call acts
    for `caller_for`'s caller (multi-user HTTP: their credential and confirmations), else the runner's own.

    With no `runner`, `runner_for` gives it (it may wait, e.g. until the token's scopes are known). The
    instructions follow `settings`, else the runner's. With `scenario_tools_for`, the caller's scenario tools
    are listed first, refreshed after calls that change scenarios, and announced with tools/list_changed; a
    caller's first tools/list waits up to `first_listing_wait` seconds for them.
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
        if scenario_tools_for is not None:
            tools = await scenario_tools_for(ctx)
            return (await tools.listing_runner(ctx, first_listing_wait)).listing
        return (await pick(ctx)).listing

    async def on_call_tool(ctx: ServerRequestContext[Any], params: types.CallToolRequestParams) -> pipeline.Result:
        caller = None if caller_for is None else await caller_for(ctx)
        if scenario_tools_for is None:
            return await (await pick(ctx)).call(params.name, params.arguments, ctx, params, caller=caller)
        tools = await scenario_tools_for(ctx)
        chosen = await tools.call_runner(params.name, params.arguments, ctx)
        result = await chosen.call(params.name, params.arguments, ctx, params, caller=caller)
        await tools.after_call(params.name, params.arguments, result)
        return result

    async def on_subscriptions_listen(
        ctx: ServerRequestContext[Any], params: types.SubscriptionsListenRequestParams
    ) -> types.SubscriptionsListenResult:
        assert scenario_tools_for is not None
        return await (await scenario_tools_for(ctx)).announcer.listen(ctx, params)

    schemas = {tool.name: tool.input_schema for tool in runner.listing.tools} if runner is not None else None
    server = _Server(
        SERVER_NAME,
        version=SERVER_VERSION,
        instructions=instructions_for(settings or (runner.settings if runner is not None else None)),
        get_tool_input_schema=schemas.get if schemas is not None else None,
        on_list_tools=on_list_tools,
        on_call_tool=on_call_tool,
        on_subscriptions_listen=on_subscriptions_listen if scenario_tools_for is not None else None,
    )
    if not tracing_configured():
        # Its only middleware opens an OpenTelemetry span per message, recording nothing without a provider.
        server.middleware = [m for m in server.middleware if not isinstance(m, OpenTelemetryMiddleware)]
    return server


def tracing_configured() -> bool:
    """Whether an OpenTelemetry tracer provider is set (e.g. by `opentelemetry-instrument`) to record spans."""
    provider = trace.get_tracer_provider()
    return not isinstance(provider, trace.ProxyTracerProvider | trace.NoOpTracerProvider)
