"""The tools of one catalogue for a running server: their listing, and each call run through the engine's pipeline,
its outcome observed once (server/protocol/results.py makes it the MCP result)."""

from __future__ import annotations

import functools
import logging
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import anyio
import mcp_types as types
from mcp.server.context import ServerRequestContext

from make_mcp.server.engine import pipeline
from make_mcp.server.engine.call import CallContext, Caller
from make_mcp.server.engine.confirmation import Confirmations
from make_mcp.server.engine.discovery import ToolIndex
from make_mcp.server.engine.outcome import Outcome
from make_mcp.server.engine.selection import Catalogue
from make_mcp.server.make_api.client import MakeClient
from make_mcp.server.protocol.call_ports import person_at, request_progress
from make_mcp.server.protocol.listing import listing, tool_definition
from make_mcp.server.protocol.observers import CALL_OBSERVERS, Observer
from make_mcp.server.support.config import Settings
from make_mcp.server.support.sleep import Sleep
from make_mcp.tools.catalogue import Operation

if TYPE_CHECKING:
    from make_mcp.server.builder.service import BuilderService

log = logging.getLogger("make_mcp.app")


@functools.cache
def process_builder() -> BuilderService:
    """One builder per process, so every runner (one per caller over HTTP) shares its manifest cache. Imported
    here, not at start-up: most sessions never build a scenario."""
    from make_mcp.server.builder.service import BuilderService

    return BuilderService()


class ToolRunner:
    """The tools of one catalogue: their listing, and each call run through server/engine/pipeline.py for a caller."""

    def __init__(
        self,
        settings: Settings,
        client: MakeClient,
        catalogue: Catalogue,
        confirmations: Confirmations,
        *,
        sleep: Sleep = anyio.sleep,  # between progress heartbeats, and a tool's own waits
        builder: BuilderService | None = None,  # None: this process's builder (its manifests in memory)
    ) -> None:
        self.settings = settings
        self.client = client
        self.builder = builder
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
        observers: Sequence[Observer] = (),  # besides the log and the metrics
    ) -> Outcome:
        """Runs one tool call; its outcome goes through the log, the metrics and `observers`, in that order."""
        return await self.run(self.context(caller, ctx, params), name, arguments, observers)

    def context(
        self,
        caller: Caller | None,
        ctx: ServerRequestContext[Any] | None = None,
        params: types.CallToolRequestParams | None = None,
    ) -> CallContext:
        """A fresh context for one call acting for `caller` (None: the client's own credential), with the ports
        to the request `ctx` (progress, the person) when it came with one."""
        return CallContext(
            self.settings,
            self.client,
            self.catalogue,
            self.index,
            caller or Caller(None, self.confirmations),
            self.client.call_budget(),
            self.definition,
            self._sleep,
            progress=request_progress(ctx, self._sleep),
            person=person_at(ctx, params),
            builder=self.builder or process_builder(),
        )

    def definition(self, operation: Operation) -> dict[str, Any]:
        """The tool's tools/list definition as JSON."""
        tool = tool_definition(operation, confirm=self.settings.confirm_destructive)
        return tool.model_dump(by_alias=True, exclude_none=True, mode="json")

    async def run(
        self, call: CallContext, name: str, arguments: Mapping[str, Any] | None, observers: Sequence[Observer] = ()
    ) -> Outcome:
        """Runs one call in the context given (a task's worker makes its own); the outcome is observed once."""
        outcome = await pipeline.call_tool(call, name, arguments)
        for observer in (*CALL_OBSERVERS, *observers):
            await observer(outcome)
        return outcome
