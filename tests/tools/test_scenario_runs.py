"""The hand-written scenario-run tools: making a scenario callable (two requests, in order) and stopping a run."""

from __future__ import annotations

import pytest

from make_mcp.server.engine.operations import build_request, input_schema, validate_input
from make_mcp.server.errors import InvalidArguments
from make_mcp.server.sandbox import demo_state
from make_mcp.server.scenario_tools.discovery import discover_scenarios
from make_mcp.server.support.scenario_choice import parse_choice
from make_mcp.tools.registry import ALL_OPERATIONS
from make_mcp.tools.scenario_runs import OPERATIONS
from tests.server.sandbox.support import FakeClock
from tests.server.scenario_tools_support import sandbox_port

MAKE_CALLABLE = next(op for op in OPERATIONS if op.name == "scenarios_make-callable")
STOP = next(op for op in OPERATIONS if op.name == "executions_stop")
INTERFACE = {
    "scenarioId": 402,
    "input": [
        {"name": "day", "type": "date", "label": "Digest day", "required": True},
        {
            "name": "channel",
            "type": "select",
            "options": [{"label": "Email", "value": "email"}, {"value": "slack"}],
            "default": "email",
        },
    ],
    "output": [{"name": "sent", "type": "boolean"}],
}


def test_the_tools_are_declared_as_destructive_run_control_in_the_scenarios_toolset() -> None:
    assert all(op in ALL_OPERATIONS and op.toolset == "scenarios" for op in OPERATIONS)
    assert STOP.meta == {"documented": False} and MAKE_CALLABLE.meta is None
    assert all(op.destructive and not op.read_only and op.open_world for op in OPERATIONS)
    assert [(s.method, s.path) for s in MAKE_CALLABLE.steps] == [
        ("PATCH", "/scenarios/{scenarioId}"),
        ("PATCH", "/scenarios/{scenarioId}/interface"),
    ]
    assert MAKE_CALLABLE.run is not None and STOP.run is None
    assert input_schema(STOP.input_model)["required"] == ["scenarioId", "executionId"]


async def test_making_a_scenario_callable_sets_on_demand_scheduling_then_the_interface() -> None:
    state = demo_state(clock=FakeClock())
    assert MAKE_CALLABLE.run is not None
    async with sandbox_port(state) as port:
        arguments = validate_input(MAKE_CALLABLE.input_model, MAKE_CALLABLE.name, INTERFACE)
        result = await MAKE_CALLABLE.run(arguments, port)
        assert [path for _, path in port.sent] == ["/scenarios/402", "/scenarios/402/interface"]
        before = await discover_scenarios(port, parse_choice("scenario:402"))
        state.scenarios[402].update(isActive=True)  # as scenarios_activate would
        after = await discover_scenarios(port, parse_choice("scenario:402"))
    scheduling = next(r for r in state.requests if r.method == "PATCH" and r.path == "/api/v2/scenarios/402")
    assert scheduling.query == [("confirmed", "true")] and scheduling.body == {"scheduling": '{"type":"on-demand"}'}
    assert state.scenarios[402]["scheduling"] == {"type": "on-demand"}
    assert result["interface"]["input"][0] == {"name": "day", "type": "date", "label": "Digest day", "required": True}
    assert result["interface"]["output"] == [{"name": "sent", "type": "boolean"}]
    assert "not active" in before.left_out[0].reason
    assert after.found[0].inputs == result["interface"]["input"]


def test_an_interface_with_an_unknown_type_or_without_names_is_refused_before_sending() -> None:
    bad = {"scenarioId": 402, "input": [{"name": "", "type": "text"}, {"name": "x", "type": "colour"}]}
    with pytest.raises(InvalidArguments) as refused:
        validate_input(MAKE_CALLABLE.input_model, MAKE_CALLABLE.name, bad)
    assert "- input.0.name:" in str(refused.value) and "- input.1.type:" in str(refused.value)


def test_stop_sends_the_force_flag_only_when_given() -> None:
    plain = build_request(STOP, validate_input(STOP.input_model, STOP.name, {"scenarioId": 405, "executionId": "e1"}))
    forced = build_request(
        STOP, validate_input(STOP.input_model, STOP.name, {"scenarioId": 405, "executionId": "e1", "force": True})
    )
    assert (plain.method, plain.path, plain.body) == ("POST", "/scenarios/405/executions/e1/stop", None)
    assert forced.body == {"force": True}
