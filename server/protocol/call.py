"""What one tool call works with: whom it acts for, its context (client, budget, progress) and its plan."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import anyio
import mcp_types as types
from mcp.server.context import ServerRequestContext

from make_mcp.server.engine.confirmation import Confirmations
from make_mcp.server.engine.discovery import ToolIndex
from make_mcp.server.engine.selection import Catalogue
from make_mcp.server.errors import MakeMcpError
from make_mcp.server.make_api.client import CallBudget, MakeClient, MakeRequest
from make_mcp.server.support.config import Settings
from make_mcp.server.support.sleep import Sleep
from make_mcp.tools.catalogue import MakeInput, Operation

if TYPE_CHECKING:  # the builder is loaded on its first use (protocol/runner.py process_builder)
    from make_mcp.server.builder.service import BuilderService

log = logging.getLogger("make_mcp.app")

HEARTBEAT_SECONDS = 10.0  # between progress notifications while Make has not answered a call

Result = types.CallToolResult | types.InputRequiredResult


@dataclass(frozen=True)
class Caller:
    """Whom a call acts for: the credential sent with its requests (None: the client's own) and the
    confirmations only their calls honour."""

    authorization: str | None
    confirmations: Confirmations


@dataclass
class CallContext:
    """What one tool call works with; made afresh for each call."""

    settings: Settings
    client: MakeClient
    catalogue: Catalogue
    index: ToolIndex
    caller: Caller
    budget: CallBudget
    sleep: Sleep = anyio.sleep
    request: ServerRequestContext[Any] | None = None  # the MCP request, None for in-process calls
    params: types.CallToolRequestParams | None = None
    builder: BuilderService | None = None  # builder tools and scenario-write checks; None: not offered
    progress: CallProgress | None = field(init=False)
    # Hears each request sent and Make's answer (a task learns the execution a run started).
    observe: Callable[[MakeRequest, Any], Awaitable[None]] | None = None
    operation: Operation | None = field(init=False, default=None)  # the tool the call resolved to, once it has

    def __post_init__(self) -> None:
        self.progress = None if self.request is None else CallProgress(self.request, self.sleep)

    async def send(self, request: MakeRequest) -> Any:
        """Sends one request of this call: the caller's credential, the call's budget, progress on waits."""
        body = await self._send(request)
        if self.observe is not None:
            await self.observe(request, body)
        return body

    async def _send(self, request: MakeRequest) -> Any:
        authorization, budget, progress = self.caller.authorization, self.budget, self.progress
        if progress is None:
            return await self.client.send(request, authorization=authorization, budget=budget)
        on_wait = progress.retry_wait
        if not progress.heartbeat_wanted:
            return await self.client.send(request, authorization=authorization, on_wait=on_wait, budget=budget)
        body: Any = None
        failure: MakeMcpError | None = None
        async with anyio.create_task_group() as heartbeat:
            heartbeat.start_soon(progress.heartbeat)
            try:
                body = await self.client.send(request, authorization=authorization, on_wait=on_wait, budget=budget)
            except MakeMcpError as error:  # raised out here, not wrapped in the task group's ExceptionGroup
                failure = error
            heartbeat.cancel_scope.cancel()
        if failure is not None:
            raise failure
        return body


@dataclass(frozen=True)
class Plan:
    """What a call will do once confirmed: one request, or the run of a tool of several requests."""

    operation: Operation
    validated: MakeInput
    request: MakeRequest | None  # None: `operation.run` (or its builder handler) sends the requests
    changes: str | None = None  # what a scenario update changes, shown in its confirmation instead of the blueprint


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
