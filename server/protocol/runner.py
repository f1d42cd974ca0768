"""The tools of one catalogue for a running server: their listing, and each call run through the pipeline."""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from typing import Any

import anyio
import mcp_types as types
from mcp.server.context import ServerRequestContext

from make_mcp.server.engine.confirmation import Confirmations
from make_mcp.server.engine.discovery import CALL_TOOL, ToolIndex
from make_mcp.server.engine.selection import Catalogue
from make_mcp.server.make_api.client import MakeClient
from make_mcp.server.protocol import pipeline
from make_mcp.server.protocol.call import CallContext, Caller
from make_mcp.server.protocol.listing import listing
from make_mcp.server.support.config import Settings
from make_mcp.server.support.sleep import Sleep
from make_mcp.tools.registry import ALL_OPERATIONS

log = logging.getLogger("make_mcp.app")


class ToolRunner:
    """The tools of one catalogue: their listing, and each call run through server/protocol/pipeline.py for a caller."""

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
        return await self.run(self.context(caller, ctx, params), name, arguments)

    def context(
        self,
        caller: Caller | None,
        ctx: ServerRequestContext[Any] | None = None,
        params: types.CallToolRequestParams | None = None,
    ) -> CallContext:
        """A fresh context for one call acting for `caller` (None: the client's own credential)."""
        return CallContext(
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

    async def run(self, call: CallContext, name: str, arguments: Mapping[str, Any] | None) -> pipeline.Result:
        """Runs one call in the context given (a task's worker makes its own)."""
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
