"""Faults on the way to Make: the MCP server, driven by a real mcp Client, against the loopback sandbox with
scripted faults (server/sandbox/faults.py). Every call ends with a result or a readable error, the server keeps
answering, and a request that may already have been carried out is never sent twice.

Retry waits go to a fake sleep; slow answers meet a 0.2 s client timeout, so nothing here really waits long.
"""

from __future__ import annotations

import json
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import anyio
import httpx2
import mcp_types as types
import pytest
from mcp import Client

from make_mcp.server.engine.confirmation import Confirmations
from make_mcp.server.engine.connect import load_catalogue, open_make_client
from make_mcp.server.errors import MakeUnreachable
from make_mcp.server.make_api.client import MakeClient, MakeRequest, RetryPolicy
from make_mcp.server.protocol.app import build_server
from make_mcp.server.protocol.runner import ToolRunner
from make_mcp.server.sandbox import SANDBOX_TOKEN, create_sandbox_app, demo_state
from make_mcp.server.sandbox.faults import (
    Fault,
    custom,
    deeply_nested,
    dropped,
    hang,
    html_page,
    inflating,
    malformed_json,
    mislabelled_gzip,
    non_finite_numbers,
    rate_limited,
    server_error,
    trickle,
)
from make_mcp.server.support.config import Settings
from tests.conftest import LoopbackSandbox

# Generous bound for one call: with fake sleeps and a 0.2 s timeout every call here ends far sooner.
DEADLINE = 20.0
SHORT_TIMEOUT = 0.2
ROOMY_TIMEOUT = 10.0  # for faults that answer at once: a busy machine must not turn them into timeouts
BLUEPRINT = {
    "name": "Parse JSON",
    "flow": [{"id": 1, "module": "json:ParseJSON", "version": 1}],
    "metadata": {"version": 1},
}
CREATE_ARGS = {"teamId": 201, "blueprint": BLUEPRINT, "scheduling": {"type": "on-demand"}}


class FakeSleep:
    def __init__(self) -> None:
        self.waits: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


@asynccontextmanager
async def mcp_client(
    sandbox: LoopbackSandbox, sleep: FakeSleep, *, mode: str = "auto", **overrides: Any
) -> AsyncIterator[Client]:
    options: dict[str, Any] = {"rate_limit": 0, "confirm_destructive": False, "max_retries": 2, **overrides}
    settings = Settings(api_key=sandbox.token, zone=sandbox.url, allow_custom_zone=True, **options)
    async with open_make_client(settings, sleep=sleep) as make:
        catalogue = await load_catalogue(settings, make)
        async with Client(build_server(ToolRunner(settings, make, catalogue, Confirmations())), mode=mode) as client:
            yield client


def timeout_for(fault: Fault) -> float:
    return SHORT_TIMEOUT if fault.kind in ("hang", "trickle") else ROOMY_TIMEOUT


def text_of(result: types.CallToolResult) -> str:
    return "\n".join(block.text for block in result.content if isinstance(block, types.TextContent))


async def call(client: Client, tool: str, arguments: dict[str, Any]) -> types.CallToolResult:
    """One tool call that must end in time with a result, not a protocol error."""
    with anyio.fail_after(DEADLINE):
        result = await client.call_tool(tool, arguments)
    assert "Traceback" not in text_of(result)
    assert "failed internally" not in text_of(result)
    return result


def sent(sandbox: LoopbackSandbox, method: str, path: str) -> int:
    return sum(1 for r in sandbox.state.requests if r.method == method and r.path == "/api/v2" + path)


async def still_answers(client: Client) -> None:
    result = await call(client, "scenarios_get", {"scenarioId": 401})
    assert not result.is_error, text_of(result)


@dataclass(frozen=True)
class Case:
    fault: Fault
    times: int
    ok: bool  # the call succeeds in the end (the retries outlast the fault)
    says: str  # part of the result's text
    sent: int  # how many times the sandbox received the request
    waits: int  # fake sleeps between tries


# A GET /scenarios/401 (idempotent) through scenarios_get, with max_retries=2.
GET_CASES = {
    "429 storm with Retry-After, outlasted": Case(rate_limited("7"), 2, True, '"id":401', 3, 2),
    "429 storm with Retry-After, longer than the retries": Case(rate_limited("7"), 5, False, "wait 7 s", 3, 2),
    "429 storm without Retry-After": Case(rate_limited(), 5, False, "wait a minute", 3, 2),
    "Retry-After beyond the longest wait": Case(rate_limited("3600"), 1, False, "wait 3600 s", 1, 0),
    "Retry-After that is not a number": Case(rate_limited("soon"), 5, False, "429", 3, 2),
    "Retry-After of infinity": Case(rate_limited("inf"), 5, False, "wait a minute", 3, 2),
    "5xx burst, outlasted": Case(server_error(503), 2, True, '"id":401', 3, 2),
    "5xx burst, longer than the retries": Case(server_error(500), 5, False, "server-side problem", 3, 2),
    "HTML error page": Case(html_page(502), 5, False, "HTML page", 3, 2),
    "error body that is not an object": Case(custom(500, ["boom"]), 5, False, "500", 3, 2),
    "malformed JSON answer": Case(malformed_json(200), 1, False, "not valid JSON", 1, 0),
    "HTML page with status 200": Case(html_page(200), 1, False, "HTML page", 1, 0),
    "no answer before the timeout": Case(hang(), 5, False, "no answer in time", 3, 2),
    "an answer dribbled out slower than the timeout": Case(trickle(), 5, False, "no answer in time", 3, 2),
    "connection dropped once": Case(dropped(), 1, True, '"id":401', 2, 1),
    "connection dropped every time": Case(dropped(), 5, False, "connection failed", 3, 2),
    "gzip answer inflating past the cap": Case(inflating(40 * 2**20), 1, False, "was larger than 32 MiB", 1, 0),
    "gzip label on a plain answer": Case(mislabelled_gzip(), 1, False, "could not be decompressed", 1, 0),
    "JSON nested 20,000 deep": Case(deeply_nested(20_000), 1, False, "nested deeper than 128 levels", 1, 0),
    "JSON nested 900 deep": Case(deeply_nested(900), 1, False, "nested deeper than 128 levels", 1, 0),
    "JSON nested 128 deep, the most that is read": Case(deeply_nested(128), 1, True, "[[[[", 1, 0),
}


@pytest.mark.parametrize("case", GET_CASES.values(), ids=GET_CASES.keys())
async def test_a_read_through_a_fault_ends_with_a_result_or_a_clear_error_and_the_server_keeps_answering(
    loopback_sandbox: LoopbackSandbox, case: Case
) -> None:
    sleep = FakeSleep()
    async with mcp_client(loopback_sandbox, sleep, timeout=timeout_for(case.fault)) as client:
        loopback_sandbox.state.faults.add(case.fault, method="GET", path="/scenarios/401", times=case.times)
        result = await call(client, "scenarios_get", {"scenarioId": 401})
        tries = sent(loopback_sandbox, "GET", "/scenarios/401")
        waits = len(sleep.waits)  # before the check below, whose short timeout a busy machine may retry
        loopback_sandbox.state.faults.clear()
        await still_answers(client)
    assert result.is_error is not case.ok, text_of(result)
    assert case.says in text_of(result)
    assert "<html" not in text_of(result).lower()
    assert "scenarios_get" in text_of(result) or case.ok
    assert tries == case.sent
    assert waits == case.waits


async def test_nan_and_infinity_in_makes_answer_reach_the_result_as_null_in_valid_json(
    loopback_sandbox: LoopbackSandbox,
) -> None:
    async with mcp_client(loopback_sandbox, FakeSleep()) as client:
        loopback_sandbox.state.faults.add(non_finite_numbers(), method="GET", path="/scenarios/401")
        result = await call(client, "scenarios_get", {"scenarioId": 401})
    assert not result.is_error, text_of(result)
    shown = json.loads(text_of(result), parse_constant=lambda constant: pytest.fail(f"{constant} in the result"))
    # Each non-finite number became null, which the shape stage drops like every empty value.
    shown["scenario"].pop("blueprint")  # from the second request, which the fault leaves alone
    assert shown == {"scenario": {"id": 401, "name": "x"}}
    assert result.structured_content is not None
    json.dumps(result.structured_content, allow_nan=False)


async def test_a_lone_surrogate_in_makes_answer_reaches_the_result_as_a_replacement_character(
    loopback_sandbox: LoopbackSandbox,
) -> None:
    lone = custom(200, {"scenario": {"id": 401, "name": "a\ud800b"}})  # json.dumps writes it as an escape
    async with mcp_client(loopback_sandbox, FakeSleep()) as client:
        loopback_sandbox.state.faults.add(lone, method="GET", path="/scenarios/401")
        result = await call(client, "scenarios_get", {"scenarioId": 401})
        await still_answers(client)
    assert not result.is_error
    text_of(result).encode("utf-8")  # a stdio frame of it can be written
    shown = json.loads(text_of(result))
    shown["scenario"].pop("blueprint")  # from the second request, which the fault leaves alone
    assert shown == {"scenario": {"id": 401, "name": "a\ufffdb"}}


async def test_retry_after_is_honoured_with_the_fake_sleep_not_real_time(loopback_sandbox: LoopbackSandbox) -> None:
    sleep = FakeSleep()
    async with mcp_client(loopback_sandbox, sleep) as client:
        loopback_sandbox.state.faults.add(rate_limited("7"), path="/scenarios", times=2)
        result = await call(client, "scenarios_list", {"teamId": 201})
    assert not result.is_error, text_of(result)
    assert sleep.waits == [7.0, 7.0]


@pytest.mark.parametrize("mode", ["legacy", "auto"])
async def test_each_wait_for_a_retry_is_reported_to_the_client_as_progress(
    loopback_sandbox: LoopbackSandbox, mode: str
) -> None:
    sleep = FakeSleep()
    heard: list[tuple[float, str | None]] = []

    async def on_progress(progress: float, total: float | None, message: str | None) -> None:
        heard.append((progress, message))

    async with mcp_client(loopback_sandbox, sleep, mode=mode) as client:
        loopback_sandbox.state.faults.add(rate_limited("7"), path="/scenarios", times=1)
        loopback_sandbox.state.faults.add(server_error(503), path="/scenarios", times=1)
        with anyio.fail_after(DEADLINE):
            result = await client.call_tool("scenarios_list", {"teamId": 201}, progress_callback=on_progress)
    assert not result.is_error, text_of(result)
    assert heard == [
        (1, "Make's rate limit was reached; trying again in 7 s"),
        (2, f"Make answered 503; trying again in {sleep.waits[1]:.0f} s"),
    ]


async def test_a_long_429_storm_ends_at_the_call_deadline_telling_the_agent_how_long_to_wait(
    loopback_sandbox: LoopbackSandbox,
) -> None:
    sleep = FakeSleep()
    async with mcp_client(loopback_sandbox, sleep, max_retries=10, call_deadline=55) as client:
        loopback_sandbox.state.faults.add(rate_limited("20"), path="/scenarios", times=10)
        result = await call(client, "scenarios_list", {"teamId": 201})
        await still_answers(client)
    assert result.is_error and "wait 20 s" in text_of(result)
    assert sleep.waits == [20.0, 20.0]  # the third wait would pass the 55 s deadline
    assert sent(loopback_sandbox, "GET", "/scenarios") == 3


@dataclass(frozen=True)
class WriteCase:
    fault: Fault
    after_processing: bool  # the sandbox carried the request out before failing
    says: str


# Failures after which a POST may have been carried out: it must not be sent again.
UNSAFE_TO_REPEAT = {
    "5xx": WriteCase(server_error(500), False, "500"),
    "5xx after processing": WriteCase(server_error(502), True, "502"),
    "HTML page from a proxy": WriteCase(html_page(504), True, "HTML page"),
    "no answer before the timeout": WriteCase(hang(), False, "no answer in time"),
    "no answer, request carried out": WriteCase(hang(), True, "no answer in time"),
    "connection dropped": WriteCase(dropped(), False, "connection failed"),
    "connection dropped, request carried out": WriteCase(dropped(), True, "connection failed"),
    "answer dribbled out slowly": WriteCase(trickle(), True, "no answer in time"),
    "malformed JSON answer": WriteCase(malformed_json(200), True, "not valid JSON"),
}


@pytest.mark.parametrize("case", UNSAFE_TO_REPEAT.values(), ids=UNSAFE_TO_REPEAT.keys())
async def test_a_create_that_may_have_been_carried_out_is_never_sent_twice(
    loopback_sandbox: LoopbackSandbox, case: WriteCase
) -> None:
    sleep = FakeSleep()
    scenarios_before = len(loopback_sandbox.state.scenarios)
    async with mcp_client(loopback_sandbox, sleep, timeout=timeout_for(case.fault)) as client:
        loopback_sandbox.state.faults.add(
            case.fault, method="POST", path="/scenarios", times=None, after_processing=case.after_processing
        )
        result = await call(client, "scenarios_create", CREATE_ARGS)
        loopback_sandbox.state.faults.clear()
        await still_answers(client)
    assert result.is_error
    assert case.says in text_of(result)
    assert sent(loopback_sandbox, "POST", "/scenarios") == 1
    assert len(loopback_sandbox.state.scenarios) == scenarios_before + (1 if case.after_processing else 0)
    if case.fault.kind != "status":
        assert "check before repeating it" in text_of(result)


@pytest.mark.parametrize("mode", ["legacy", "auto"])
async def test_a_scenario_run_whose_answer_is_lost_is_not_run_again(
    loopback_sandbox: LoopbackSandbox, mode: str
) -> None:
    sleep = FakeSleep()
    executions_before = len(loopback_sandbox.state.executions)
    async with mcp_client(loopback_sandbox, sleep, mode=mode, timeout=SHORT_TIMEOUT) as client:
        loopback_sandbox.state.faults.add(dropped(), method="POST", path="/scenarios/401/run", after_processing=True)
        lost = await call(client, "scenarios_run", {"scenarioId": 401})
        again = await call(client, "scenarios_run", {"scenarioId": 401})
    assert lost.is_error and "may have been carried out" in text_of(lost)
    assert not again.is_error, text_of(again)
    assert sent(loopback_sandbox, "POST", "/scenarios/401/run") == 2  # one per call, none repeated by the server
    assert len(loopback_sandbox.state.executions) == executions_before + 2  # the lost one did run
    assert sleep.waits == []


async def test_a_rate_limited_create_is_retried_because_make_refused_it_before_doing_anything(
    loopback_sandbox: LoopbackSandbox,
) -> None:
    sleep = FakeSleep()
    scenarios_before = len(loopback_sandbox.state.scenarios)
    async with mcp_client(loopback_sandbox, sleep) as client:
        loopback_sandbox.state.faults.add(rate_limited("1"), method="POST", path="/scenarios", times=2)
        result = await call(client, "scenarios_create", CREATE_ARGS)
    assert not result.is_error, text_of(result)
    assert sent(loopback_sandbox, "POST", "/scenarios") == 3
    assert len(loopback_sandbox.state.scenarios) == scenarios_before + 1
    assert sleep.waits == [1.0, 1.0]


async def test_an_unreachable_zone_is_reported_after_the_retries_without_waiting() -> None:
    with socket.socket() as probe:  # a loopback port nothing listens on: every connection is refused
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    nowhere = LoopbackSandbox(demo_state(), f"http://127.0.0.1:{port}")
    sleep = FakeSleep()
    async with mcp_client(nowhere, sleep) as client:
        # A read: a write's blueprint check would first ask Make for the schema and manifests it has not cached.
        result = await call(client, "scenarios_list", {"teamId": 201})
        listing = await client.list_tools()
    assert result.is_error
    assert "Could not reach Make for scenarios_list: connection failed" in text_of(result)
    assert listing.tools
    assert len(sleep.waits) == 2 * 2  # scope discovery and the listing, each tried 1 + 2 times


async def test_the_timeout_bounds_each_try_even_on_a_transport_that_has_no_timeouts_of_its_own() -> None:
    state = demo_state()
    state.faults.add(hang(), path="/scenarios/401", times=None)
    client = MakeClient(
        "http://sandbox.test/api/v2",
        authorization=f"Token {SANDBOX_TOKEN}",
        timeout=SHORT_TIMEOUT,
        retry=RetryPolicy(max_retries=1),
        transport=httpx2.ASGITransport(app=create_sandbox_app(state)),
        sleep=FakeSleep(),
    )
    try:
        with anyio.fail_after(DEADLINE), pytest.raises(MakeUnreachable) as raised:
            await client.send(MakeRequest("GET", "/scenarios/401", operation="scenarios_get"))
    finally:
        await client.aclose()
    assert "no answer in time" in raised.value.message()
    assert len(state.requests) == 2
