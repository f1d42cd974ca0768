"""The MCP server: tools/list and tools/call handlers over the selected tools (the call itself: server/pipeline.py)."""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import TYPE_CHECKING, Any

import anyio
import mcp_types as types
from mcp.server.context import ServerRequestContext
from mcp.server.lowlevel import NotificationOptions, Server
from mcp.server.models import InitializationOptions

from server import pipeline
from server.client import MakeClient, Sleep
from server.config import Settings
from server.confirmation import Confirmations
from server.discovery import CALL_TOOL, ToolIndex
from server.listing import listing
from server.pipeline import CallContext, Caller
from server.scenario_tools.live import FIRST_LISTING_WAIT_SECONDS
from server.selection import Catalogue
from tools.conventions import (
    DEFAULT_IDS,
    INSTRUCTIONS_BY_MODE,
    INSTRUCTIONS_INTRO,
    INSTRUCTIONS_NO_DEFAULTS,
    INSTRUCTIONS_PAGING,
    INSTRUCTIONS_WHY_FAILED,
)
from tools.registry import ALL_OPERATIONS

if TYPE_CHECKING:
    from server.scenario_tools.live import CallerTools

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


class ToolRunner:
    """The tools of one catalogue: their listing, and each call run through server/pipeline.py for a caller."""

    def __init__(
        self,
        settings: Settings,
        client: MakeClient,
        catalogue: Catalogue,
        confirmations: Confirmations,
        *,
        sleep: Sleep = anyio.sleep,  # between progress heartbeats, and a tool's own waits
    ) -> None:
        self.settings = settings
        self.client = client
        self.catalogue = catalogue
        self.confirmations = confirmations
        self._sleep = sleep
        self.index = ToolIndex(catalogue.operations)
        self.listing = listing(catalogue, mode=settings.tool_mode, confirm=settings.confirm_destructive)

    async def call(
        self,
        name: str,
        arguments: Mapping[str, Any] | None,
        ctx: ServerRequestContext[Any] | None = None,
        params: types.CallToolRequestParams | None = None,
        *,
        caller: Caller | None = None,  # None: the client's own credential and this runner's confirmations
    ) -> pipeline.Result:
        """Runs one tool call; at INFO level, logs one key=value line per call (never its arguments)."""
        call = CallContext(
            self.settings,
            self.client,
            self.catalogue,
            self.index,
            caller or Caller(None, self.confirmations),
            self.client.call_budget(),
            self._sleep,
            ctx,
            params,
        )
        if not log.isEnabledFor(logging.INFO):
            return await pipeline.call_tool(call, name, arguments)
        started = time.perf_counter()
        result = await pipeline.call_tool(call, name, arguments)
        inner = (arguments or {}).get("name") if name == CALL_TOOL else None
        # Only a known name is logged, so nothing an agent wrote gets into the log.
        known = isinstance(inner, str) and (inner in _OPERATION_NAMES or inner in self.catalogue.by_name)
        log.info(
            "call tool=%s outcome=%s ms=%.1f",
            f"{inner} via={name}" if known else name,
            _outcome(result),
            (time.perf_counter() - started) * 1000,
        )
        return result


_OPERATION_NAMES = frozenset(op.name for op in ALL_OPERATIONS)


def _outcome(result: pipeline.Result) -> str:
    if isinstance(result, types.InputRequiredResult):
        return "asked-user"
    if result.is_error:
        return "error"
    structured = result.structured_content or {}
    return "confirmation-required" if structured.get("confirmationRequired") is True else "ok"


RunnerSource = Callable[[ServerRequestContext[Any]], Awaitable[ToolRunner]]
CallerSource = Callable[[ServerRequestContext[Any]], Awaitable[Caller]]
# The caller's scenario tools (server/scenario_tools/live.py): their runner replaces the one of `runner_for`.
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
    listing_for: RunnerSource | None = None,
) -> Server[Any]:
    """The MCP server. `runner` serves every call unless `runner_for` picks one per request, and each call acts
    for `caller_for`'s caller (multi-user HTTP: their credential and confirmations), else the runner's own.

    With no `runner`, `runner_for` gives it (it may wait, e.g. until the token's scopes are known). The
    instructions follow `settings`, else the runner's. With `scenario_tools_for`, the caller's scenario tools
    are listed first, refreshed after calls that change scenarios, and announced with tools/list_changed.
    `listing_for`, when given, picks the runner of tools/list (the stdio start-up's bounded wait).
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
        if listing_for is not None:
            return (await listing_for(ctx)).listing
        if scenario_tools_for is not None:
            tools = await scenario_tools_for(ctx)
            return (await tools.listing_runner(ctx, FIRST_LISTING_WAIT_SECONDS)).listing
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
    return _Server(
        SERVER_NAME,
        version=SERVER_VERSION,
        instructions=instructions_for(settings or (runner.settings if runner is not None else None)),
        get_tool_input_schema=schemas.get if schemas is not None else None,
        on_list_tools=on_list_tools,
        on_call_tool=on_call_tool,
        on_subscriptions_listen=on_subscriptions_listen if scenario_tools_for is not None else None,
    )
