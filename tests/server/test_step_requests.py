"""A declared step becomes its request in one function, whoever sends it (a tool's run, scenario discovery)."""

from __future__ import annotations

import pytest

from make_mcp.server.engine.operations import step_request
from make_mcp.server.errors import InvalidArguments
from make_mcp.tools.catalogue import Step

RUN = Step("POST", "/scenarios/{scenarioId}/run", ("scenarios:run",), rate_limit_exempt=True, min_timeout=45.0)


def test_a_step_s_request_carries_its_path_values_query_body_and_its_budget_and_timeout_facts() -> None:
    request = step_request("a_tool", RUN, {"scenarioId": 5}, query=[("confirmed", "true")], body={"data": {}})
    assert (request.method, request.path, request.query, request.body) == (
        "POST",
        "/scenarios/5/run",
        [("confirmed", "true")],
        {"data": {}},
    )
    assert request.operation == "a_tool"
    assert request.rate_limited is False and request.min_timeout == 45.0


def test_a_path_value_no_segment_can_carry_is_refused_before_any_request() -> None:
    with pytest.raises(InvalidArguments):
        step_request("a_tool", RUN, {"scenarioId": ".."})


def test_both_request_ports_build_a_step_s_request_with_step_request_alone() -> None:
    import inspect

    from make_mcp.server.engine.pipeline import CallPort
    from make_mcp.server.scenario_tools.port import DiscoveryPort

    for port in (CallPort, DiscoveryPort):
        source = inspect.getsource(port.send)
        assert "step_request(" in source and "MakeRequest(" not in source, port.__name__
