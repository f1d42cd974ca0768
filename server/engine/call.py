"""What one tool call works with: whom it acts for, its context (client, budget, progress, the ports to the
protocol side) and its plan."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import anyio

from make_mcp.server.engine.confirmation import Confirmations
from make_mcp.server.engine.discovery import ToolIndex
from make_mcp.server.engine.ports import Builder, Definition, Person
from make_mcp.server.engine.selection import Catalogue
from make_mcp.server.errors import MakeMcpError
from make_mcp.server.make_api.client import CallBudget, MakeClient, MakeRequest
from make_mcp.server.support.config import Settings
from make_mcp.server.support.sleep import Sleep
from make_mcp.tools.catalogue import MakeInput, Operation

HEARTBEAT_SECONDS = 10.0  # between progress notifications while Make has not answered a call


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
    definition: Definition  # a tool's listed definition (tools_describe, tools_search)
    sleep: Sleep = anyio.sleep
    progress: CallProgress | None = None  # None: nobody is told (in-process calls, a client that did not ask)
    person: Person | None = None  # None: the person cannot be asked (in-process calls, a client without elicitation)
    builder: Builder | None = None  # builder tools and scenario-write checks; None: not offered
    # Hears each request sent and Make's answer (a task learns the execution a run started).
    observe: Callable[[MakeRequest, Any], Awaitable[None]] | None = None
    operation: Operation | None = field(init=False, default=None)  # the tool the call resolved to, once it has

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
    """The progress of one tool call, told through `report` (a progress notification, a task's status message):
    each wait before a retry, and when `heartbeat_wanted` a heartbeat every HEARTBEAT_SECONDS while Make has not
    answered, so the user sees the call is alive and clients that extend their timeout on progress keep waiting."""

    def __init__(self, report: Callable[[str], Awaitable[None]], sleep: Sleep, *, heartbeat_wanted: bool) -> None:
        self.report = report
        self.heartbeat_wanted = heartbeat_wanted
        self._sleep = sleep

    async def retry_wait(self, seconds: float, why: str) -> None:
        await self.report(f"{why}; trying again in {seconds:.0f} s")

    async def heartbeat(self) -> None:
        waited = 0.0
        while True:
            await self._sleep(HEARTBEAT_SECONDS)
            waited += HEARTBEAT_SECONDS
            await self.report(f"still waiting for Make ({waited:.0f} s)")
