"""Scenario runs as tasks through a real MCP client (the 2026-07-28 tasks extension, in memory), on the sandbox's
fake clock: the call answers at once, the task follows Make's execution, cancel stops it, Redis keeps it across a
restart, and nobody else can see it. The 2025-11-25 era is tested over HTTP (test_tasks_http.py)."""

from __future__ import annotations

from typing import Any

import anyio
import pytest
import redis
from jsonschema import Draft202012Validator
from mcp import MCPError
from mcp.shared.subscriptions import ResourceUpdated

from make_mcp.server.sandbox.demo_scenario_tools import WEEKLY_REPORT_SECONDS
from make_mcp.server.support.state import RedisState, Sealer
from tests.server.protocol.tasks_support import (
    LEAD,
    REPORT,
    HeldMake,
    TasksExtension,
    call_as_task,
    ended,
    following,
    new_manager,
    polled_until,
    task_request,
    task_server,
)
from tests.server.test_state import redis_url  # noqa: F401 (a fixture: a real redis-server)

WEEK = {"weekStart": "2025-03-03"}
OTHER_TOKEN = "0712e000-0000-4000-8000-000000000712"


async def test_a_run_answers_at_once_with_a_task_that_follows_makes_execution_to_the_typed_outputs() -> None:
    make = HeldMake()
    async with task_server(make, new_manager(make), extensions=[TasksExtension()]) as mcp:
        tool = next(t for t in (await mcp.list_tools()).tools if t.name == REPORT)
        make.hold()
        task_id = await call_as_task(mcp, REPORT, WEEK)
        working = await polled_until(mcp, task_id, following)
        make.let_time_pass()
        done = await polled_until(mcp, task_id, ended)
    assert len(task_id) >= 40  # 32 random bytes
    assert working["status"] == "working" and "still running" in working["statusMessage"]
    assert "result" not in working
    assert done["status"] == "completed"
    structured = done["result"]["structuredContent"]
    assert structured["status"] == "SUCCESS" and structured["outputs"]["reportUrl"].endswith("2025-03-03.pdf")
    assert tool.output_schema is not None
    Draft202012Validator(tool.output_schema).validate(structured)
    assert make.clock() - done_started(done) >= WEEKLY_REPORT_SECONDS  # the three minutes passed on the fake clock


def done_started(task: dict[str, Any]) -> float:
    from datetime import datetime

    return datetime.fromisoformat(task["createdAt"].replace("Z", "+00:00")).timestamp()


async def test_cancelling_a_task_stops_the_make_execution() -> None:
    make = HeldMake()
    async with task_server(make, new_manager(make), extensions=[TasksExtension()]) as mcp:
        make.hold()
        task_id = await call_as_task(mcp, REPORT, WEEK)
        await polled_until(mcp, task_id, following)
        acknowledged = await task_request(mcp, "tasks/cancel", task_id)
        cancelled = await task_request(mcp, "tasks/get", task_id)
        with pytest.raises(MCPError, match="already ended"):
            await task_request(mcp, "tasks/cancel", task_id)
    assert acknowledged.get("resultType") == "complete"
    assert cancelled["status"] == "cancelled" and "Make stopped execution" in cancelled["statusMessage"]
    stops = [r for r in make.requests if r.startswith("POST") and r.endswith("/stop")]
    assert len(stops) == 1 and "/scenarios/405/executions/" in stops[0]
    execution_id = stops[0].split("/")[-2]
    assert make.state.executions[execution_id]["stopped"] is True


async def test_scenarios_run_runs_as_a_task_once_confirmed_with_the_token_its_first_task_answered() -> None:
    make = HeldMake()
    arguments: dict[str, Any] = {"scenarioId": 405, "data": WEEK, "responsive": False}
    async with task_server(make, new_manager(make), extensions=[TasksExtension()]) as mcp:
        asked = await call_as_task(mcp, "scenarios_run", arguments)
        preview = (await polled_until(mcp, asked, ended))["result"]["structuredContent"]
        confirmed = await call_as_task(mcp, "scenarios_run", {**arguments, "confirmation": preview["confirmation"]})
        done = await polled_until(mcp, confirmed, ended)
    assert preview["confirmationRequired"] is True
    assert done["status"] == "completed", done
    assert done["result"]["structuredContent"]["status"] == "SUCCESS"
    assert done["result"]["structuredContent"]["outputs"]["pages"] == 12


async def test_a_client_without_the_tasks_extension_gets_the_result_as_before() -> None:
    make = HeldMake()
    async with task_server(make, new_manager(make)) as mcp:
        result = await mcp.call_tool(LEAD, {"name": "Ana Silva", "email": "ana@example.com"})
    assert not result.is_error and result.structured_content is not None
    assert result.structured_content["status"] == "SUCCESS"


async def test_another_credential_is_told_the_task_does_not_exist() -> None:
    make = HeldMake()
    make.state.add_token(OTHER_TOKEN, {"scenarios:read", "scenarios:run", "scenarios:write"})
    manager = new_manager(make)
    async with (
        task_server(make, manager, extensions=[TasksExtension()]) as owner,
        task_server(make, manager, extensions=[TasksExtension()], token=OTHER_TOKEN) as other,
    ):
        make.hold()
        task_id = await call_as_task(owner, REPORT, WEEK)
        await polled_until(owner, task_id, following)  # the run is named: a cancel would stop it in Make
        for method in ("tasks/get", "tasks/cancel"):
            with pytest.raises(MCPError, match="Task not found"):
                await task_request(other, method, task_id)
        with pytest.raises(MCPError, match="Task not found"):
            await task_request(owner, "tasks/get", task_id[:-2] + "xx")
        still = await task_request(owner, "tasks/get", task_id)
        make.let_time_pass()
    assert still["status"] == "working"
    assert not [r for r in make.requests if r.endswith("/stop")]


async def test_a_task_outlives_a_server_restart_with_redis_sealed_there(redis_url: str) -> None:  # noqa: F811
    make = HeldMake()
    first, second = RedisState(redis_url), RedisState(redis_url)
    sealer = Sealer("the-state-key-of-every-instance")
    try:
        async with task_server(make, new_manager(make, first, sealer), extensions=[TasksExtension()]) as mcp:
            make.hold()
            task_id = await call_as_task(mcp, REPORT, WEEK)
            await polled_until(mcp, task_id, following)  # Redis holds the execution the run started
        # The first server is gone, its worker with it; the run goes on in Make. A minute later a new server
        # starts and is asked about the task.
        make.clock.advance(60)
        make.let_time_pass()
        async with task_server(make, new_manager(make, second, sealer), extensions=[TasksExtension()]) as mcp:
            picked_up = await task_request(mcp, "tasks/get", task_id)
            done = await polled_until(mcp, task_id, ended)
        kept = redis.Redis.from_url(redis_url)
        stored = [kept.get(key) for key in kept.keys("*task:*")]  # pyright: ignore[reportUnknownVariableType]
        kept.close()
    finally:
        await first.aclose()
        await second.aclose()
    assert picked_up["status"] == "working"
    assert done["status"] == "completed", done
    assert done["result"]["structuredContent"]["status"] == "SUCCESS"
    assert done["result"]["structuredContent"]["outputs"]["reportUrl"].endswith("2025-03-03.pdf")
    assert stored and not any(b"reportUrl" in value or task_id.encode() in value for value in stored)


async def test_a_listener_subscribed_to_the_runs_resources_hears_when_the_task_ends() -> None:
    make = HeldMake()
    async with task_server(make, new_manager(make), extensions=[TasksExtension()]) as mcp:
        make.hold()
        task_id = await call_as_task(mcp, REPORT, WEEK)
        working = await polled_until(mcp, task_id, following)
        execution = working["statusMessage"].split("execution ")[1].split(" ")[0]
        detail = f"make://scenarios/405/executions/{execution}"
        async with mcp.listen(resource_subscriptions=[detail]) as subscription:
            make.let_time_pass()
            with anyio.fail_after(10):
                event = await anext(aiter(subscription))
            done = await task_request(mcp, "tasks/get", task_id)
    assert isinstance(event, ResourceUpdated) and event.uri == detail
    assert done["status"] == "completed"
