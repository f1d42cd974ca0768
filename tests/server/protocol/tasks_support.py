"""A make-mcp server with tasks over the sandbox on a fake clock whose time passes only when a test lets it,
and the two eras' task requests as a client sends them."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from typing import Any, Literal

import anyio
import httpx2
import mcp_types as types
from mcp import Client
from mcp.client.extension import ClaimContext, ClientExtension, ResultClaim
from mcp.client.session import MessageHandlerFnT
from pydantic import ConfigDict, TypeAdapter

from make_mcp.server.engine.call import Caller
from make_mcp.server.engine.confirmation import Confirmations
from make_mcp.server.engine.selection import ToolChoice
from make_mcp.server.make_api.client import MakeClient, RetryPolicy
from make_mcp.server.protocol.app import build_server
from make_mcp.server.protocol.task_methods import TASKS_EXTENSION
from make_mcp.server.protocol.tasks import TaskManager
from make_mcp.server.runtime import Startup
from make_mcp.server.sandbox import SANDBOX_TOKEN, create_sandbox_app, demo_state
from make_mcp.server.support.config import Settings
from make_mcp.server.support.state import LocalState, Sealer, SharedState
from tests.server.sandbox.support import FakeClock

REPORT = "generate_weekly_report_405"  # the sandbox's three-minute run
LEAD = "score_a_lead_404"  # done within Make's window
ANY = TypeAdapter(dict[str, Any])


class HeldMake:
    """The demo sandbox; once held, each sleep of the server waits until the test lets time pass (tests never
    sleep)."""

    def __init__(self) -> None:
        self.clock = FakeClock()
        self.state = demo_state(clock=self.clock)
        self.requests: list[str] = []
        self.gate = anyio.Event()
        self.gate.set()
        inner = httpx2.ASGITransport(app=create_sandbox_app(self.state))

        async def counting(request: httpx2.Request) -> httpx2.Response:
            self.requests.append(f"{request.method} {request.url.path}")
            return await inner.handle_async_request(request)

        self.transport = httpx2.MockTransport(counting)

    async def sleep(self, seconds: float) -> None:
        await self.gate.wait()
        self.clock.advance(seconds)
        await anyio.lowlevel.checkpoint()

    def hold(self) -> None:
        self.gate = anyio.Event()

    def let_time_pass(self) -> None:
        self.gate.set()


class TaskHandle(types.Result):
    """The 2026-era answer of a call run as a task, as the client receives it."""

    model_config = ConfigDict(extra="allow")
    result_type: Literal["task"] = "task"


async def _never(handle: TaskHandle, ctx: ClaimContext) -> types.CallToolResult:
    raise AssertionError("the tests read the task themselves (allow_claimed=True)")


class TasksExtension(ClientExtension):
    identifier = TASKS_EXTENSION

    def claims(self) -> Sequence[ResultClaim[Any]]:
        return (ResultClaim(result_type="task", model=TaskHandle, resolve=_never),)


@asynccontextmanager
async def task_server(
    make: HeldMake,
    manager: TaskManager,
    *,
    mode: str = "2026-07-28",
    extensions: Sequence[ClientExtension] = (),
    token: str | None = None,  # the credential the client's calls carry (None: the server's own)
    on_message: MessageHandlerFnT | None = None,  # the client's handler of the server's notifications
    **overrides: Any,  # settings
) -> AsyncIterator[Client]:
    """A server with tasks whose workers run in a task group of this context; `manager` may be shared by several."""
    overrides = {"team": 201, "scenario_refresh": 0, **overrides}
    settings = Settings(api_key=SANDBOX_TOKEN, rate_limit=0, **overrides)
    client = MakeClient(
        "http://sandbox/api/v2",
        authorization=f"Token {SANDBOX_TOKEN}",
        transport=make.transport,
        sleep=make.sleep,
        retry=RetryPolicy(max_retries=1, deadline=settings.call_deadline or None),
    )
    startup = Startup(settings, client, None, ToolChoice.from_settings(settings), sleep=make.sleep)

    caller = Caller(None if token is None else f"Token {token}", Confirmations.from_setting(None))

    async def caller_for(ctx: Any) -> Caller:
        return caller

    server = build_server(
        None,
        runner_for=startup.runner,
        caller_for=caller_for,
        settings=settings,
        scenario_tools_for=startup.scenario_tools,
        tasks=manager,
    )
    try:
        async with anyio.create_task_group() as group:
            manager.attach(group)
            group.start_soon(startup.run)
            async with Client(server, mode=mode, extensions=list(extensions), message_handler=on_message) as mcp:
                await mcp.list_tools()
                yield mcp
            group.cancel_scope.cancel()
    finally:
        await client.aclose()


def new_manager(make: HeldMake, state: SharedState | None = None, sealer: Sealer | None = None) -> TaskManager:
    return TaskManager(state or LocalState(), sealer=sealer, clock=make.clock, sleep=make.sleep)


async def call_as_task(mcp: Client, name: str, arguments: dict[str, Any]) -> str:
    """A 2026-era call run as a task; its task's ID."""
    created = await mcp.session.call_tool(name, arguments, allow_claimed=True)
    assert isinstance(created, TaskHandle), created
    assert created.model_extra is not None and created.model_extra["status"] == "working"
    return created.model_extra["taskId"]


async def task_request(mcp: Client, method: str, task_id: str) -> dict[str, Any]:
    """tasks/get, tasks/cancel (or 2025's tasks/result) of a task, as a client sends it."""
    params = types.GetTaskRequestParams(task_id=task_id)
    return await mcp.session.send_request(
        types.Request[types.GetTaskRequestParams, Any](method=method, params=params), ANY
    )


def following(task: dict[str, Any]) -> bool:
    """The worker follows Make's execution: it named the run and waits to check it again (on the held clock)."""
    return "still running" in task.get("statusMessage", "")


def ended(task: dict[str, Any]) -> bool:
    return task["status"] != "working"


async def polled_until(mcp: Client, task_id: str, reached: Callable[[dict[str, Any]], bool]) -> dict[str, Any]:
    """tasks/get as a client polls it, until the task has `reached` that point. Not anyio.wait_all_tasks_blocked:
    on asyncio it can return while the worker only waits for a task group's child to be reaped, or for Redis."""
    with anyio.fail_after(10):
        while not reached(task := await task_request(mcp, "tasks/get", task_id)):
            await anyio.sleep(0.01)
    return task
