"""The client-side rate budget: a burst over the organization's plan limit waits (on a fake clock) instead
of meeting Make's 429, the limit is learned from the organization's license, MAKE_RATE_LIMIT=0 turns
the budget off, and running a scenario, which Make exempts from the limit, spends none of it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx2
import mcp_types as types
import pytest
from mcp import Client

from make_mcp.server.engine.confirmation import Confirmations
from make_mcp.server.engine.connect import LOWEST_PLAN_RATE_LIMIT, learn_rate_limit, load_catalogue, open_make_client
from make_mcp.server.engine.operations import build_request, validate_arguments
from make_mcp.server.make_api.client import MakeClient
from make_mcp.server.protocol.app import build_server
from make_mcp.server.protocol.runner import ToolRunner
from make_mcp.server.sandbox import SANDBOX_TOKEN, SandboxState, create_sandbox_app, demo_state
from make_mcp.server.support.config import Settings
from make_mcp.tools.registry import ALL_OPERATIONS
from tests.conftest import LoopbackSandbox

BURST = 10
START = 1_750_000_000.0


class FakeTime:
    """One clock for the sandbox's rate window and the server's budget; sleeping moves it forward."""

    def __init__(self) -> None:
        self.now = START
        self.waits: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.now += seconds


@asynccontextmanager
async def mcp_client(sandbox: LoopbackSandbox, time: FakeTime, **overrides: Any) -> AsyncIterator[Client]:
    settings = Settings(api_key=sandbox.token, zone=sandbox.url, allow_custom_zone=True, max_retries=0, **overrides)
    async with open_make_client(settings, sleep=time.sleep, clock=time) as make:
        catalogue = await load_catalogue(settings, make)
        async with Client(build_server(ToolRunner(settings, make, catalogue, Confirmations()))) as client:
            yield client


def limited_sandbox(sandbox: LoopbackSandbox, time: FakeTime, per_minute: int) -> None:
    """Make the sandbox enforce `per_minute` on the fake clock, and say so in the organization's license."""
    sandbox.state.clock = time
    sandbox.state.rate_limit_per_minute = per_minute
    sandbox.state.organizations[101]["license"]["apiLimit"] = per_minute


# A read of one request (scenarios_get sends two: the scenario and its blueprint).
ONE_REQUEST_READ = "blueprints_get"


async def burst(client: Client) -> list[types.CallToolResult]:
    return [await client.call_tool(ONE_REQUEST_READ, {"scenarioId": 401}) for _ in range(BURST)]


async def test_a_burst_over_the_plan_limit_waits_for_the_budget_instead_of_meeting_a_429(
    loopback_sandbox: LoopbackSandbox,
) -> None:
    time = FakeTime()
    limited_sandbox(loopback_sandbox, time, BURST - 1)
    async with mcp_client(loopback_sandbox, time) as client:  # MAKE_RATE_LIMIT unset: learned from the license
        results = await burst(client)
    assert [result.is_error for result in results] == [False] * BURST
    # Start-up spent 3 requests (scopes, the organization list, the organization); the 10th request overall
    # waited for the first to leave the one-minute window.
    assert time.waits == [60.0]


async def test_without_the_budget_the_same_burst_meets_the_sandboxs_429(loopback_sandbox: LoopbackSandbox) -> None:
    time = FakeTime()
    limited_sandbox(loopback_sandbox, time, BURST - 1)
    async with mcp_client(loopback_sandbox, time, rate_limit=0) as client:
        results = await burst(client)
    refused = [result for result in results if result.is_error]
    assert refused and time.waits == []
    text = refused[0].content[0]
    assert isinstance(text, types.TextContent) and "429" in text.text and "wait" in text.text


async def test_an_explicit_rate_limit_is_used_without_asking_make(loopback_sandbox: LoopbackSandbox) -> None:
    time = FakeTime()
    limited_sandbox(loopback_sandbox, time, BURST - 1)
    async with mcp_client(loopback_sandbox, time, rate_limit=BURST - 1) as client:
        results = await burst(client)
    assert not any(result.is_error for result in results)
    assert not any(request.path.startswith("/api/v2/organizations") for request in loopback_sandbox.state.requests)
    assert time.waits == [60.0]


@asynccontextmanager
async def in_process(state: SandboxState, token: str = SANDBOX_TOKEN) -> AsyncIterator[MakeClient]:
    transport = httpx2.ASGITransport(app=create_sandbox_app(state))
    client = MakeClient("http://sandbox.test/api/v2", authorization=f"Token {token}", transport=transport)
    try:
        yield client
    finally:
        await client.aclose()


async def test_the_limit_is_the_license_api_limit_of_the_only_organization() -> None:
    state = demo_state()
    state.organizations[101]["license"]["apiLimit"] = 240
    async with in_process(state) as client:
        assert await learn_rate_limit(client, None) == 240
    assert [r.path for r in state.requests] == ["/api/v2/organizations", "/api/v2/organizations/101"]


async def test_the_configured_organization_is_asked_directly() -> None:
    state = demo_state()
    state.organizations[101]["license"]["apiLimit"] = 1000
    async with in_process(state) as client:
        assert await learn_rate_limit(client, 101) == 1000
    assert [r.path for r in state.requests] == ["/api/v2/organizations/101"]


@pytest.mark.parametrize("setup", ["two organizations", "no organizations:read scope", "no apiLimit"])
async def test_the_lowest_plan_limit_applies_when_make_does_not_tell_which(setup: str) -> None:
    state = demo_state()
    token = SANDBOX_TOKEN
    if setup == "two organizations":
        state.organizations[102] = {**state.organizations[101], "id": 102, "name": "Second"}
    elif setup == "no organizations:read scope":
        token = "0b7f7f0e-1111-4222-8333-444455556666"
        state.add_token(token, ["scenarios:read"])
    else:
        del state.organizations[101]["license"]["apiLimit"]
    async with in_process(state, token) as client:
        assert await learn_rate_limit(client, None) == LOWEST_PLAN_RATE_LIMIT == 60


async def test_running_a_scenario_is_outside_the_budget_as_make_exempts_it_from_the_organizations_limit(
    loopback_sandbox: LoopbackSandbox,
) -> None:
    time = FakeTime()
    limited_sandbox(loopback_sandbox, time, BURST - 1)
    async with mcp_client(loopback_sandbox, time, rate_limit=BURST - 1, confirm_destructive=False) as client:
        runs = [await client.call_tool("scenarios_run", {"scenarioId": 401}) for _ in range(2 * BURST)]
        assert not any(result.is_error for result in runs)
        assert time.waits == []
        # The runs spent nothing: after start-up's one request (scopes) the rest of the minute is still there.
        gets = [await client.call_tool(ONE_REQUEST_READ, {"scenarioId": 401}) for _ in range(BURST - 2)]
        assert not any(result.is_error for result in gets) and time.waits == []
        await client.call_tool(ONE_REQUEST_READ, {"scenarioId": 401})
    assert time.waits == [60.0]


def test_only_the_scenario_run_request_is_marked_exempt_from_the_budget() -> None:
    by_name = {op.name: op for op in ALL_OPERATIONS}
    assert {name for name, op in by_name.items() if op.rate_limit_exempt} == {"scenarios_run"}
    run, get = by_name["scenarios_run"], by_name["scenarios_get"]
    assert build_request(run, validate_arguments(run, {"scenarioId": 401})).rate_limited is False
    assert build_request(get, validate_arguments(get, {"scenarioId": 401})).rate_limited is True
