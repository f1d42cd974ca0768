"""A declared step becomes its request in one function, whoever sends it (a tool's run, scenario discovery)."""

from __future__ import annotations

from pathlib import Path

import pytest

from make_mcp.server.engine.operations import step_request
from make_mcp.server.errors import InvalidArguments
from make_mcp.tools.catalogue import Step

ROOT = Path(__file__).resolve().parents[2]
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


def test_requests_are_made_only_by_the_engine_s_request_builders() -> None:
    makers = sorted(
        str(path.relative_to(ROOT))
        for path in (ROOT / "server").rglob("*.py")
        if "sandbox" not in path.parts and "MakeRequest(" in path.read_text(encoding="utf-8")
    )
    assert makers == ["server/engine/operations.py"]
