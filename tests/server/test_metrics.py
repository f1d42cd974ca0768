"""Prometheus metrics, /healthz and /readyz of the HTTP app."""

from __future__ import annotations

from collections.abc import Callable

import httpx2
import pytest
from mcp import Client
from mcp.client.streamable_http import streamable_http_client

from make_mcp.server.engine.outcome import Outcome, OutcomeKind, inner_name
from make_mcp.server.make_api.client import MakeClient, MakeRequest, RateBudget
from make_mcp.server.protocol.metrics import count_call, tool_label
from make_mcp.server.sandbox import demo_state
from make_mcp.server.support.metrics import instruments, record_make_request
from make_mcp.server.support.state import LocalState, SharedRateBudget
from tests.conftest import LoopbackSandbox
from tests.server.test_remote_auth import Running, free_socket, post_mcp, serve

__all__ = ["serve"]  # a fixture used here


def sample(name: str, **labels: str) -> float:
    return instruments().registry.get_sample_value(name, labels) or 0.0


def closed_port_url() -> str:
    with free_socket() as probe:
        return f"http://127.0.0.1:{probe.getsockname()[1]}"  # nothing listens there once it is closed


async def test_http_requests_are_counted_by_path_and_status_and_no_token_shows_in_the_metrics(
    loopback_sandbox: LoopbackSandbox, serve: Callable[..., Running]
) -> None:
    running = serve(loopback_sandbox)
    refused_before = sample("make_mcp_http_requests_total", path="/mcp", status="401")
    ok_before = sample("make_mcp_http_requests_total", path="/mcp", status="200")
    await post_mcp(running.mcp_url, "Token wrong-token-4f1d9c2b7a")
    await post_mcp(running.mcp_url, f"Token {loopback_sandbox.token}")
    async with httpx2.AsyncClient(timeout=30) as http:
        await http.get(f"{running.base}/no/such/path/tok-77f3e1")
        text = (await http.get(f"{running.base}/metrics")).text
    assert sample("make_mcp_http_requests_total", path="/mcp", status="401") == refused_before + 1
    assert sample("make_mcp_http_requests_total", path="/mcp", status="200") == ok_before + 1
    assert sample("make_mcp_http_requests_total", path="other", status="404") >= 1
    assert 'make_mcp_http_request_seconds_bucket{le="0.01",path="/mcp"}' in text
    for secret in ("wrong-token-4f1d9c2b7a", loopback_sandbox.token, "tok-77f3e1"):
        assert secret not in text


def ended(tool: str, kind: OutcomeKind, arguments: dict[str, object] | None = None) -> Outcome:
    return Outcome(tool, inner_name(tool, arguments), kind, None, None, None, 0.1)


def test_a_tool_outside_the_catalogue_is_counted_as_other() -> None:
    before = sample("make_mcp_tool_calls_total", tool="other", outcome="ok")
    count_call(ended("run_scenario_payroll_of_jane_doe", "ok"))
    count_call(ended("scenarios_list", "make_error"))
    assert sample("make_mcp_tool_calls_total", tool="other", outcome="ok") == before + 1
    assert sample("make_mcp_tool_calls_total", tool="scenarios_list", outcome="make_error") >= 1
    assert tool_label("scenarios_list") == "scenarios_list"


def test_make_requests_are_counted_by_method_and_status_and_failures_without_one() -> None:
    before = sample("make_mcp_make_requests_total", method="GET", status="429")
    record_make_request("get", 429, 0.05)
    record_make_request("POST", None, 30.0)
    assert sample("make_mcp_make_requests_total", method="GET", status="429") == before + 1
    assert sample("make_mcp_make_requests_total", method="POST", status="no_answer") >= 1


async def test_waits_of_the_shared_rate_budget_are_observed() -> None:
    before = sample("make_mcp_rate_budget_wait_seconds_count")
    now = [0.0]

    async def sleep(seconds: float) -> None:
        now[0] += seconds

    budget = SharedRateBudget(LocalState(), "org:1", 1, clock=lambda: now[0], sleep=sleep)
    await budget.acquire()
    await budget.acquire()  # waits a minute for room
    assert sample("make_mcp_rate_budget_wait_seconds_count") == before + 1
    assert sample("make_mcp_rate_budget_wait_seconds_sum") >= 60.0


async def test_healthz_answers_while_running_and_readyz_once_make_answers(
    loopback_sandbox: LoopbackSandbox, serve: Callable[..., Running]
) -> None:
    running = serve(loopback_sandbox)
    async with httpx2.AsyncClient(timeout=30) as http:
        alive = await http.get(f"{running.base}/healthz")
        ready = await http.get(f"{running.base}/readyz")
    assert alive.status_code == 200
    assert ready.status_code == 200 and ready.json() == {"ready": True, "checks": {"mcp": "ok", "make": "ok"}}


@pytest.mark.parametrize("unreachable", ["make", "redis"])
async def test_readyz_is_503_naming_what_does_not_answer(
    unreachable: str, serve: Callable[..., Running], request: pytest.FixtureRequest
) -> None:
    if unreachable == "make":
        running = serve(LoopbackSandbox(demo_state(), closed_port_url()))
    else:
        redis_url = f"redis://{closed_port_url().removeprefix('http://')}/0"
        running = serve(request.getfixturevalue("loopback_sandbox"), redis_url=redis_url, state_key="k" * 16)
    async with httpx2.AsyncClient(timeout=30) as http:
        ready = await http.get(f"{running.base}/readyz")
        alive = await http.get(f"{running.base}/healthz")
    assert alive.status_code == 200
    assert ready.status_code == 503
    checks = ready.json()["checks"]
    assert checks[unreachable] != "ok"
    assert all(value == "ok" for name, value in checks.items() if name != unreachable)


async def test_tool_calls_are_counted_by_tool_and_outcome_and_no_token_or_argument_shows_in_the_metrics(
    loopback_sandbox: LoopbackSandbox, serve: Callable[..., Running]
) -> None:
    running = serve(loopback_sandbox, scenario_tools="off")  # their discovery would add requests to the count
    ok_before = sample("make_mcp_tool_calls_total", tool="users_me", outcome="ok")
    bad_before = sample("make_mcp_tool_calls_total", tool="data-stores_list", outcome="bad_input")
    timed_before = sample("make_mcp_tool_call_seconds_count", tool="users_me")
    answered_before = sample("make_mcp_make_requests_total", method="GET", status="200")
    async with (
        httpx2.AsyncClient(headers={"Authorization": f"Token {loopback_sandbox.token}"}, timeout=30) as http,
        Client(streamable_http_client(running.mcp_url, http_client=http), mode="legacy") as client,
    ):
        await client.list_tools()
        assert not (await client.call_tool("users_me", {})).is_error
        refused = await client.call_tool("data-stores_list", {"teamId": "argument-value-5e2b"})
        assert refused.is_error
    async with httpx2.AsyncClient(timeout=30) as http:
        text = (await http.get(f"{running.base}/metrics")).text
    assert sample("make_mcp_tool_calls_total", tool="users_me", outcome="ok") == ok_before + 1
    assert sample("make_mcp_tool_calls_total", tool="data-stores_list", outcome="bad_input") == bad_before + 1
    assert sample("make_mcp_tool_call_seconds_count", tool="users_me") == timed_before + 1
    # The scope lookup and users_me; the refused call sent nothing.
    assert sample("make_mcp_make_requests_total", method="GET", status="200") == answered_before + 2
    assert 'make_mcp_tool_calls_total{outcome="ok",tool="users_me"}' in text
    assert "make_mcp_make_request_seconds_bucket" in text
    for secret in (loopback_sandbox.token, "argument-value-5e2b"):
        assert secret not in text


def test_a_call_through_tools_call_is_counted_under_the_tool_it_calls() -> None:
    labels = ("scenarios_list", "other", "tools_search", "tools_call")
    before = {label: sample("make_mcp_tool_calls_total", tool=label, outcome="ok") for label in labels}
    count_call(ended("tools_call", "ok", {"name": "scenarios_list", "arguments": {}}))
    count_call(ended("tools_call", "ok", {"name": "my private scenario"}))
    count_call(ended("tools_search", "ok", {"query": "payroll"}))
    count_call(ended("tools_call", "ok", {"name": {"not": "a name"}}))
    after = {label: sample("make_mcp_tool_calls_total", tool=label, outcome="ok") for label in labels}
    assert {label: after[label] - before[label] for label in labels} == dict.fromkeys(labels, 1.0)


def test_a_call_waiting_for_the_user_counts_as_not_confirmed() -> None:
    before = sample("make_mcp_tool_calls_total", tool="scenarios_delete", outcome="not_confirmed")
    count_call(ended("scenarios_delete", "asked_user"))
    assert sample("make_mcp_tool_calls_total", tool="scenarios_delete", outcome="not_confirmed") == before + 1


async def test_retry_waits_and_waits_of_this_process_s_budget_are_observed() -> None:
    answers = [httpx2.Response(429, headers={"Retry-After": "2"}, json={"message": "slow down"}), httpx2.Response(200)]
    now = [0.0]

    async def sleep(seconds: float) -> None:
        now[0] += seconds

    client = MakeClient(
        "https://eu1.make.com/api/v2",
        authorization="Token t0ken-never-a-label",
        transport=httpx2.MockTransport(lambda request: answers.pop(0)),
        sleep=sleep,
        budget=RateBudget(1, clock=lambda: now[0], sleep=sleep),
    )
    retried_before = sample("make_mcp_retry_wait_seconds_count", reason="rate_limited")
    retried_sum_before = sample("make_mcp_retry_wait_seconds_sum", reason="rate_limited")
    budget_before = sample("make_mcp_rate_budget_wait_seconds_count")
    limited_before = sample("make_mcp_make_requests_total", method="GET", status="429")
    try:
        await client.send(MakeRequest("GET", "/users/me"))  # 429, a wait of 2 s, then one minute for the budget
    finally:
        await client.aclose()
    assert sample("make_mcp_retry_wait_seconds_count", reason="rate_limited") == retried_before + 1
    assert sample("make_mcp_retry_wait_seconds_sum", reason="rate_limited") == retried_sum_before + 2
    assert sample("make_mcp_rate_budget_wait_seconds_count") == budget_before + 1
    assert sample("make_mcp_make_requests_total", method="GET", status="429") == limited_before + 1
