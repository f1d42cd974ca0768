"""A RequestPort for tests: sends through a real MakeClient to the in-process sandbox, on an injected clock.

Sleeping moves the clock (the sandbox's too, when they share it), so a run that outlasts Make's window is
followed in no time; progress messages are kept for the test to read.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from typing import Any
from urllib.parse import quote

import httpx2

from make_mcp.server.make_api.client import MakeClient, MakeRequest, RetryPolicy
from make_mcp.server.sandbox import SANDBOX_TOKEN, SandboxState, create_sandbox_app, demo_state
from make_mcp.tools.catalogue import Step
from tests.server.sandbox.support import FakeClock


def fill_path(template: str, path_params: Mapping[str, Any] | None) -> str:
    path = template
    for name, value in (path_params or {}).items():
        path = path.replace("{" + name + "}", quote(str(value), safe=""))
    assert "{" not in path, f"unfilled path parameter in {path}"
    return path


class SandboxPort:
    """Satisfies make_mcp.tools.catalogue.RequestPort."""

    def __init__(self, client: MakeClient, clock: FakeClock, *, deadline: float | None = 55.0, tool: str = "") -> None:
        self.client = client
        self.clock = clock
        self.deadline = deadline
        self.started = clock()
        self.tool = tool
        self.progress_messages: list[str] = []
        self.sent: list[tuple[str, str]] = []  # (method, path) of each request

    async def send(
        self,
        step: Step,
        path_params: Mapping[str, Any] | None = None,
        *,
        query: Sequence[tuple[str, str]] = (),
        body: Any = None,
        content: bytes | None = None,
        content_type: str | None = None,
    ) -> Any:
        path = fill_path(step.path, path_params)
        self.sent.append((step.method, path))
        request = MakeRequest(
            step.method,
            path,
            list(query),
            body,
            self.tool or f"{step.method} {step.path}",
            content=content,
            content_type=content_type,
            rate_limited=not step.rate_limit_exempt,
            min_timeout=step.min_timeout,
        )
        return await self.client.send(request)

    async def progress(self, message: str) -> None:
        self.progress_messages.append(message)

    async def sleep(self, seconds: float) -> None:
        self.clock.advance(seconds)

    def time_left(self) -> float | None:
        return None if self.deadline is None else self.deadline - (self.clock() - self.started)


async def _no_wait(seconds: float) -> None:
    return None


@asynccontextmanager
async def sandbox_port(
    state: SandboxState | None = None,
    *,
    clock: FakeClock | None = None,
    token: str = SANDBOX_TOKEN,
    deadline: float | None = 55.0,
    tool: str = "",
) -> AsyncIterator[SandboxPort]:
    """A port onto a demo sandbox (or `state`) sharing `clock` with it."""
    clock = clock or FakeClock()
    state = state if state is not None else demo_state(clock=clock)
    transport = httpx2.ASGITransport(app=create_sandbox_app(state))
    client = MakeClient(
        "http://sandbox/api/v2",
        authorization=f"Token {token}",
        transport=transport,
        sleep=_no_wait,
        retry=RetryPolicy(max_retries=1),
    )
    try:
        yield SandboxPort(client, clock, deadline=deadline, tool=tool)
    finally:
        await client.aclose()
