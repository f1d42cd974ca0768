"""The sandbox's callable scenarios: interfaces, runs with computed outputs on the injected clock, refusals, stop."""

from __future__ import annotations

from make_mcp.server.sandbox import SandboxState, create_sandbox_app, demo_state
from make_mcp.server.sandbox.demo_scenario_tools import WEEKLY_REPORT_SECONDS, seed_on_demand_scenarios
from make_mcp.server.sandbox.resources_scenario_runs import RESPONSIVE_WINDOW_SECONDS
from tests.server.sandbox.support import FakeClock, client


def demo(clock: FakeClock | None = None) -> tuple[SandboxState, FakeClock]:
    clock = clock or FakeClock()
    return demo_state(clock=clock), clock


async def test_the_demo_has_callable_scenarios_with_every_common_input_type() -> None:
    state, _ = demo()
    async with client(create_sandbox_app(state)) as api:
        listed = await api.get("/scenarios", params={"teamId": 201, "isActive": "true"})
        interface = (await api.get("/scenarios/404/interface")).json()["interface"]
    on_demand = [s["id"] for s in listed.json()["scenarios"] if s["scheduling"] == {"type": "on-demand"}]
    assert on_demand == [404, 405, 407]
    types = {item["type"] for item in interface["input"]}
    assert {"text", "email", "number", "uinteger", "boolean", "date", "select", "collection", "array"} <= types
    interactions = next(item for item in interface["input"] if item["name"] == "interactions")
    assert isinstance(interactions["spec"], list)  # an array of collections
    assert [item["name"] for item in interface["output"]] == ["score", "tier", "reasons", "crmId"]
    assert state.scenarios[406]["isActive"] is False and state.scenarios[406]["scheduling"]["type"] == "on-demand"


async def test_a_responsive_run_answers_outputs_computed_from_its_inputs() -> None:
    state, _ = demo()
    async with client(create_sandbox_app(state)) as api:
        small = await api.post(
            "/scenarios/404/run", json={"data": {"name": "A", "email": "a@x.io"}, "responsive": True}
        )
        big = await api.post(
            "/scenarios/404/run",
            json={
                "data": {"name": "B", "email": "b@x.io", "employees": 800, "budget": 50_000, "source": "event"},
                "responsive": True,
            },
        )
    assert small.json()["status"] == "success" and small.json()["outputs"]["tier"] == "cold"
    assert big.json()["outputs"]["score"] == 10 + 30 + 25 + 10 and big.json()["outputs"]["tier"] == "hot"
    detail = state.executions[big.json()["executionId"]]
    assert detail["outputs"] == big.json()["outputs"]


async def test_a_run_longer_than_the_window_answers_running_and_finishes_on_the_clock() -> None:
    state, clock = demo()
    assert WEEKLY_REPORT_SECONDS > RESPONSIVE_WINDOW_SECONDS
    async with client(create_sandbox_app(state)) as api:
        started = await api.post("/scenarios/405/run", json={"data": {"weekStart": "2025-03-03"}, "responsive": True})
        execution_id = started.json()["executionId"]
        during = await api.get(f"/scenarios/405/executions/{execution_id}")
        clock.advance(WEEKLY_REPORT_SECONDS)
        after = await api.get(f"/scenarios/405/executions/{execution_id}")
    assert started.json() == {"executionId": execution_id, "status": "running"}
    assert during.json() == {"status": "RUNNING", "outputs": None}
    assert after.json()["status"] == "SUCCESS" and after.json()["outputs"]["pages"] == 12


async def test_a_second_run_is_refused_while_the_first_goes_on() -> None:
    state, clock = demo()
    async with client(create_sandbox_app(state)) as api:
        await api.post("/scenarios/405/run", json={"data": {"weekStart": "2025-03-03"}})
        refused = await api.post("/scenarios/405/run", json={"data": {"weekStart": "2025-03-03"}})
        clock.advance(WEEKLY_REPORT_SECONDS)
        later = await api.post("/scenarios/405/run", json={"data": {"weekStart": "2025-03-03"}})
        quick = [await api.post("/scenarios/404/run", json={"data": {"name": "A", "email": "a@x.io"}}) for _ in "ab"]
    assert refused.status_code == 400 and "already running" in refused.json()["detail"]
    assert later.status_code == 200
    assert [r.status_code for r in quick] == [200, 200]  # a run within the window is over when it answers


async def test_an_inactive_scenario_and_missing_required_inputs_are_refused() -> None:
    state, _ = demo()
    async with client(create_sandbox_app(state)) as api:
        inactive = await api.post("/scenarios/406/run", json={"data": {"olderThanDays": 30}})
        missing = await api.post("/scenarios/404/run", json={"data": {"name": "A"}})
    assert inactive.status_code == 400 and "not active" in inactive.json()["detail"]
    assert missing.status_code == 400 and missing.json()["suberrors"] == [
        {"message": "Missing value of required scenario input 'email'."}
    ]


async def test_one_interface_fails_to_load() -> None:
    state, _ = demo()
    async with client(create_sandbox_app(state)) as api:
        broken = await api.get("/scenarios/407/interface")
    assert broken.status_code == 500 and broken.json()["code"] == "SC500"


async def test_a_running_execution_can_be_stopped_once() -> None:
    state, _ = demo()
    async with client(create_sandbox_app(state)) as api:
        started = await api.post("/scenarios/405/run", json={"data": {"weekStart": "2025-03-03"}})
        execution_id = started.json()["executionId"]
        stopped = await api.post(f"/scenarios/405/executions/{execution_id}/stop", json={"force": True})
        again = await api.post(f"/scenarios/405/executions/{execution_id}/stop", json={})
        status = await api.get(f"/scenarios/405/executions/{execution_id}")
        bad = await api.post(f"/scenarios/405/executions/{execution_id}/stop", json={"force": "yes"})
        unknown = await api.post("/scenarios/405/executions/nope/stop", json={})
    assert stopped.json() == {"executionId": execution_id, "status": "stopped", "force": True}
    assert again.status_code == 400 and "not running" in again.json()["detail"]
    assert status.json()["status"] == "ERROR" and status.json()["error"]["name"] == "ExecutionInterrupted"
    assert bad.status_code == 400 and unknown.status_code == 404


async def test_stopping_needs_the_run_scope() -> None:
    state, _ = demo()
    state.add_token("read-only-token", {"scenarios:read"})
    async with client(create_sandbox_app(state), token="read-only-token") as api:
        refused = await api.post("/scenarios/405/executions/abc/stop", json={})
    assert refused.status_code == 403 and "scenarios:run" in refused.json()["detail"]


def test_seeding_500_callable_scenarios_gives_each_its_own_id_and_interface() -> None:
    state, _ = demo()
    ids = seed_on_demand_scenarios(state, 500)
    assert len(set(ids)) == 500 and ids[0] == 408
    assert all(state.scenarios[i]["isActive"] and state.interfaces[i]["output"] for i in ids)
