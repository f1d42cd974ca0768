"""Scenario tools run against the sandbox through a port: outputs, long runs on the injected clock, refusals."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import anyio
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from make_mcp.server.engine.operations import build_request, validate_input
from make_mcp.server.errors import MakeApiError, MakeUnreachable
from make_mcp.server.sandbox import demo_state
from make_mcp.server.sandbox.demo import every_scope
from make_mcp.server.sandbox.demo_scenario_tools import LEAD_OUTPUTS, WEEKLY_REPORT_SECONDS, score_lead
from make_mcp.server.scenario_tools.discovery import discover_scenarios
from make_mcp.server.scenario_tools.running import (
    RunScopeMissing,
    ScenarioAlreadyRunning,
    ScenarioInactive,
    ScenarioRunFailed,
    make_runner,
    parse_status,
)
from make_mcp.server.scenario_tools.schema import OutputShape, input_model, result_schema
from make_mcp.server.scenario_tools.tools import ScenarioTools, build_scenario_tools
from make_mcp.server.support.scenario_choice import parse_choice
from make_mcp.tools.catalogue import Operation, Step
from make_mcp.tools.registry import ALL_OPERATIONS
from make_mcp.tools.scenario_runs import OPERATIONS as SCENARIO_RUN_OPERATIONS
from tests.server.sandbox.support import FakeClock
from tests.server.scenario_tools_support import SandboxPort, sandbox_port

STOP = next(op for op in SCENARIO_RUN_OPERATIONS if op.name == "executions_stop")
LEAD = {
    "name": "Ana Silva",
    "email": "ana@example.com",
    "employees": 600,
    "budget": 12_000,
    "source": "referral",
    "referrer": "Bob",
    "interactions": [{"channel": "meeting", "date": "2025-03-02"}, {"channel": "email"}],
}


async def tools_of(port: SandboxPort, setting: str = "scenario:404,405,406") -> ScenarioTools:
    discovery = await discover_scenarios(port, parse_choice(setting), team=201)
    return build_scenario_tools(discovery, taken_names=[op.name for op in ALL_OPERATIONS])


def tool(tools: ScenarioTools, scenario_id: int) -> Operation:
    return next(op for op in tools.operations if op.meta and op.meta["make/scenario"]["scenarioId"] == scenario_id)


async def call(op: Operation, port: SandboxPort, arguments: dict[str, Any]) -> Any:
    assert op.run is not None
    return await op.run(validate_input(op.input_model, op.name, arguments), port)


async def test_a_run_returns_the_outputs_the_scenario_computed_from_the_inputs() -> None:
    async with sandbox_port() as port:
        lead = tool(await tools_of(port), 404)
        result = await call(lead, port, LEAD)
    assert lead.name == "score_a_lead_404"
    assert result["status"] == "SUCCESS" and result["executionId"]
    assert result["outputs"] == score_lead(LEAD)
    assert result["outputs"]["tier"] == "hot"
    assert port.progress_messages == []


async def test_the_run_sends_the_given_inputs_under_makes_names_with_responsive_true() -> None:
    state = demo_state(clock=FakeClock())
    async with sandbox_port(state) as port:
        lead = tool(await tools_of(port), 404)
        await call(lead, port, {"name": "Ana", "email": "ana@example.com", "address": {"city": "Lisbon"}})
    run = next(r for r in state.requests if r.path == "/api/v2/scenarios/404/run")
    assert run.method == "POST"
    assert run.body == {
        "data": {"name": "Ana", "email": "ana@example.com", "address": {"city": "Lisbon"}},
        "responsive": True,
    }


async def test_a_run_that_outlasts_the_window_is_followed_with_progress_until_the_call_deadline() -> None:
    clock = FakeClock()
    async with sandbox_port(clock=clock, deadline=55.0) as port:
        report = tool(await tools_of(port), 405)
        result = await call(report, port, {"weekStart": "2025-03-03", "recipients": ["a@example.com"]})
        elapsed = clock() - port.started
        assert result["status"] == "RUNNING" and result["outputs"] == {}
        assert "executions_get-detail with scenarioId=405 and executionId=" + result["executionId"] in result["next"]
        assert len(port.progress_messages) >= 3
        assert all("is still running" in message for message in port.progress_messages)
        assert 40 <= elapsed <= 55  # followed until the deadline was nearly spent, never past it
        # Later, the run has finished in Make: the status request the answer points to gives the outputs.
        clock.advance(WEEKLY_REPORT_SECONDS)
        detail = await port.send(
            Step("GET", "/scenarios/{scenarioId}/executions/{executionId}"),
            {"scenarioId": 405, "executionId": result["executionId"]},
        )
    assert detail["status"] == "SUCCESS" and detail["outputs"]["recipients"] == 1


async def test_without_a_deadline_a_long_run_is_followed_to_its_outputs() -> None:
    clock = FakeClock()
    async with sandbox_port(clock=clock, deadline=None) as port:
        report = tool(await tools_of(port), 405)
        result = await call(report, port, {"weekStart": "2025-03-03", "format": "html"})
    assert result["status"] == "SUCCESS"
    assert result["outputs"]["reportUrl"] == "https://reports.example.com/weekly/2025-03-03.html"
    assert WEEKLY_REPORT_SECONDS <= clock() - port.started <= WEEKLY_REPORT_SECONDS + 15
    assert port.progress_messages


async def test_a_second_run_while_one_goes_on_is_refused_saying_to_wait_and_a_stopped_run_frees_it() -> None:
    clock = FakeClock()
    async with sandbox_port(clock=clock, deadline=10.0) as port:
        report = tool(await tools_of(port), 405)
        first = await call(report, port, {"weekStart": "2025-03-03"})
        with pytest.raises(ScenarioAlreadyRunning) as refused:
            await call(report, port, {"weekStart": "2025-03-03"})
        assert "wait for it to finish" in str(refused.value)
        stop = build_request(
            STOP, validate_input(STOP.input_model, STOP.name, {"scenarioId": 405, "executionId": first["executionId"]})
        )
        stopped = await port.client.send(stop)
        assert stopped["status"] == "stopped"
        detail = await port.send(
            Step("GET", "/scenarios/{scenarioId}/executions/{executionId}"),
            {"scenarioId": 405, "executionId": first["executionId"]},
        )
        assert detail["status"] == "ERROR" and detail["error"]["name"] == "ExecutionInterrupted"
        again = await call(report, port, {"weekStart": "2025-03-10"})
    assert again["status"] == "RUNNING" and again["executionId"] != first["executionId"]


async def test_an_inactive_scenario_is_refused_saying_to_activate_it() -> None:
    async with sandbox_port() as port:
        discovery = await discover_scenarios(port, parse_choice("scenario:406"))
        assert discovery.found == ()  # discovery leaves it out; a run that gets there anyway is explained
        runner = make_runner("archive_stale_leads_406", 406)
        model = input_model("Archive", [{"name": "olderThanDays", "type": "uinteger", "required": True}])
        with pytest.raises(ScenarioInactive) as refused:
            await runner(validate_input(model, "archive", {"olderThanDays": 30}), port)
    assert "activate it (scenarios_activate)" in str(refused.value)
    assert "Scenario is not active" in str(refused.value)


async def test_a_token_without_the_run_scope_is_told_which_scope_to_add() -> None:
    state = demo_state(clock=FakeClock())
    state.add_token("no-run-scope-token", every_scope() - {"scenarios:run"})
    async with sandbox_port(state, token="no-run-scope-token") as port:
        lead = tool(await tools_of(port), 404)
        with pytest.raises(RunScopeMissing) as refused:
            await call(lead, port, {"name": "Ana", "email": "ana@example.com"})
    assert "scenarios:run" in str(refused.value) and "403" in str(refused.value)


class ScriptedPort:
    """Answers each request with the next scripted answer (or raises it), counting sleeps."""

    def __init__(self, *answers: Any, time_left: float | None = 55.0) -> None:
        self.answers = list(answers)
        self.left = time_left
        self.sent: list[Step] = []
        self.progress_messages: list[str] = []

    async def send(
        self,
        step: Step,
        path_params: Mapping[str, Any] | None = None,
        *,
        query: Sequence[tuple[str, str]] = (),
        body: Any = None,
    ) -> Any:
        self.sent.append(step)
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    async def progress(self, message: str) -> None:
        self.progress_messages.append(message)

    async def sleep(self, seconds: float) -> None:
        if self.left is not None:
            self.left -= seconds

    def time_left(self) -> float | None:
        return self.left


NO_INPUTS = input_model("Nothing", None)
LEAD_SHAPE = OutputShape(LEAD_OUTPUTS)


async def test_outputs_are_coerced_to_their_declared_types_and_the_rest_is_kept_apart() -> None:
    fitting = {"executionId": "e9", "status": "success", "outputs": {"score": "70", "tier": None, "extra": [1]}}
    assert (await run_scripted(ScriptedPort(fitting), LEAD_SHAPE))["outputs"] == {"score": 70, "extra": [1]}
    odd = {"executionId": "e9", "status": "success", "outputs": {"score": "high", "tier": "hot"}}
    result = await run_scripted(ScriptedPort(odd), LEAD_SHAPE)
    assert result["outputs"] == {} and result["unexpectedOutputs"] == {"score": "high", "tier": "hot"}
    listed = await run_scripted(ScriptedPort({"executionId": "e9", "status": "success", "outputs": [1, 2]}), LEAD_SHAPE)
    assert listed["outputs"] == {} and listed["unexpectedOutputs"] == [1, 2]
    for result in (fitting, odd):
        Draft202012Validator(result_schema(LEAD_SHAPE)).validate(await run_scripted(ScriptedPort(result), LEAD_SHAPE))


async def run_scripted(port: ScriptedPort, shape: OutputShape | None = None) -> Any:
    return await make_runner("report_9", 9, shape)(validate_input(NO_INPUTS, "report_9", {}), port)


async def test_a_run_that_ended_in_error_is_an_error_naming_the_failure_and_the_execution() -> None:
    port = ScriptedPort({"executionId": "e9", "status": "error", "error": {"name": "DataError", "message": "bad row"}})
    with pytest.raises(ScenarioRunFailed) as failed:
        await run_scripted(port)
    assert "DataError - bad row" in str(failed.value)
    assert "executions_get-detail with scenarioId=9 and executionId=e9" in str(failed.value)


async def test_a_window_timeout_error_is_a_run_still_going_not_a_failure() -> None:
    timeout = MakeApiError(operation="report_9", status=504, code="SC504", make_message="Gateway Timeout")
    result = await run_scripted(ScriptedPort(timeout))
    assert result["status"] == "RUNNING" and result["executionId"] is None
    assert "executions_list with scenarioId=9" in result["next"]


async def test_an_answer_without_outputs_is_followed_and_numeric_statuses_are_understood() -> None:
    port = ScriptedPort({"executionId": "e9"}, {"status": "RUNNING"}, {"status": 2, "outputs": {"rows": 3}})
    result = await run_scripted(port)
    assert result == {"executionId": "e9", "status": "WARNING", "outputs": {"rows": 3}}
    assert [step.path for step in port.sent][1:] == ["/scenarios/{scenarioId}/executions/{executionId}"] * 2
    assert len(port.progress_messages) == 2


async def test_following_stops_before_the_deadline_with_the_status_so_far() -> None:
    port = ScriptedPort({"executionId": "e9", "status": "running"}, *[{"status": "running"}] * 50, time_left=20.0)
    result = await run_scripted(port)
    assert result["status"] == "RUNNING" and result["executionId"] == "e9"
    assert port.left is not None and port.left >= 5.0  # what is left serves the last request and the answer


async def test_a_failed_status_check_still_hands_back_the_execution_id() -> None:
    unreachable = MakeUnreachable(operation="report_9", reason="no answer in time")
    result = await run_scripted(ScriptedPort({"executionId": "e9", "status": "running"}, unreachable))
    assert result["status"] == "RUNNING" and result["executionId"] == "e9"
    assert "executionId=e9" in result["next"] and "checking its status failed: Could not reach Make" in result["next"]


async def test_an_unknown_status_is_returned_as_it_is_without_following() -> None:
    port = ScriptedPort({"executionId": "e9", "status": "stopped"})
    assert await run_scripted(port) == {"executionId": "e9", "status": "STOPPED", "outputs": {}}
    assert len(port.sent) == 1


async def test_other_make_errors_pass_through_unchanged() -> None:
    error = MakeApiError(operation="report_9", status=400, code="IM005", make_message="Invalid input parameters")
    with pytest.raises(MakeApiError) as raised:
        await run_scripted(ScriptedPort(error))
    assert type(raised.value) is MakeApiError


@pytest.mark.parametrize(
    ("value", "status"),
    [
        (1, "SUCCESS"),
        ("2", "WARNING"),
        (3, "ERROR"),
        ("success", "SUCCESS"),
        ("RUNNING", "RUNNING"),
        ("in_progress", "RUNNING"),
        ("stopped", "STOPPED"),
        (None, None),
        ("", None),
        (True, None),
    ],
)
def test_status_is_parsed_whatever_its_type(value: Any, status: str | None) -> None:
    assert parse_status(value) == status


ANY_JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 5) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=10,
)
RUN_ANSWER = st.fixed_dictionaries(
    {},
    optional={
        "executionId": ANY_JSON,
        "status": st.sampled_from([1, 2, 3, "running", "RUNNING", "success", "error", "", None, "odd"]) | ANY_JSON,
        "outputs": ANY_JSON,
        "error": ANY_JSON,
    },
)


@settings(max_examples=200)
@given(st.lists(RUN_ANSWER | ANY_JSON, min_size=1, max_size=12), st.sampled_from([None, 3.0, 30.0]))
def test_any_answers_from_make_give_a_result_or_a_clear_error_never_a_crash(
    answers: list[Any], left: float | None
) -> None:
    async def run() -> Any:
        return await run_scripted(ScriptedPort(*answers, time_left=left), LEAD_SHAPE)

    try:
        result = anyio.run(run)
    except ScenarioRunFailed as failed:
        assert "ended in error" in str(failed)
        return
    except IndexError:  # the scripted answers ran out: the runner kept following a run still going
        return
    assert result["status"] and isinstance(result["outputs"], dict)
    assert result["executionId"] is None or isinstance(result["executionId"], str)
    Draft202012Validator(result_schema(LEAD_SHAPE)).validate(result)  # what MCP clients check
    if result["status"] == "RUNNING":
        assert result["next"]
