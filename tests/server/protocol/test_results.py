"""The protocol side turns the engine's plain outcome into the MCP result of each way a call ends."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import mcp_types as types
import pytest
from pydantic import BaseModel

from make_mcp.server.engine.outcome import Answer, NeedsInput, Outcome, OutcomeKind, Payload, outcome_kind
from make_mcp.server.errors import InvalidArguments, MakeApiError, MissingScope
from make_mcp.server.protocol.results import call_result, handler_result

PREVIEW = {"confirmationRequired": True, "preview": "Delete scenario", "confirmation": "token"}


def ended(
    payload: Payload,
    error: Exception | None = None,
    *,
    tool: str = "scenarios_get",
    inner: str | None = None,
    arguments: Mapping[str, Any] | None = None,
) -> Outcome:
    kind = outcome_kind(payload, error)
    return Outcome(tool, inner, kind, payload, error, None, 0.0, arguments or {})


def test_an_answer_is_a_call_tool_result_with_its_text_and_its_structured_content() -> None:
    result = call_result(ended(Answer.of({"scenario": {"id": 401}})))
    assert isinstance(result, types.CallToolResult) and not result.is_error
    assert result.structured_content == {"scenario": {"id": 401}}
    assert [block.model_dump(exclude_none=True) for block in result.content] == [
        {"type": "text", "text": '{"scenario":{"id":401}}'}
    ]


def test_an_error_answer_is_an_error_result_with_its_message_and_no_structured_content() -> None:
    result = call_result(ended(Answer.error("Make answered 404.")))
    assert isinstance(result, types.CallToolResult) and result.is_error and result.structured_content is None
    assert result.content == [types.TextContent(type="text", text="Make answered 404.")]


def test_a_question_is_an_input_required_result_asking_by_form_under_its_key_with_its_state() -> None:
    result = call_result(ended(NeedsInput("confirm", "Allow this change in Make? Delete scenario 402", "signed")))
    assert isinstance(result, types.InputRequiredResult) and result.request_state == "signed"
    asked = (result.input_requests or {})["confirm"]
    assert isinstance(asked, types.ElicitRequest) and isinstance(asked.params, types.ElicitRequestFormParams)
    assert asked.params.message == "Allow this change in Make? Delete scenario 402"
    assert asked.params.requested_schema == {"type": "object", "properties": {}}


@pytest.mark.parametrize(
    ("payload", "error", "kind", "result_type", "is_error"),
    [
        (Answer.of({"ok": True}), None, "ok", types.CallToolResult, False),
        (Answer.of(PREVIEW), None, "not_confirmed", types.CallToolResult, False),
        (NeedsInput("confirm", "Allow?", "s"), None, "asked_user", types.InputRequiredResult, None),
        (
            Answer.error("bad"),
            InvalidArguments("teams_get", ["- teamId: not a number"]),
            "bad_input",
            types.CallToolResult,
            True,
        ),
        (Answer.error("scope"), MissingScope("teams_get", ["teams:read"]), "missing_scope", types.CallToolResult, True),
        (Answer.error("make"), MakeApiError("scenarios_get", 404), "make_error", types.CallToolResult, True),
        (Answer.error("declined"), None, "error", types.CallToolResult, True),
    ],
)
def test_each_way_a_call_ends_has_its_kind_and_its_mcp_result(
    payload: Payload, error: Exception | None, kind: OutcomeKind, result_type: type, is_error: bool | None
) -> None:
    assert outcome_kind(payload, error) == kind
    result = call_result(ended(payload, error))
    assert isinstance(result, result_type)
    if isinstance(result, types.CallToolResult):
        assert result.is_error is is_error


def test_an_answer_cut_to_the_budget_links_the_resource_of_the_tool_tools_call_ran_with_its_arguments() -> None:
    cut = {"execution": {"status": 1}, "truncated": {"shownChars": 10}}
    outcome = ended(
        Answer.of(cut),
        tool="tools_call",
        inner="executions_get-detail",
        arguments={"scenarioId": 401, "executionId": "abc"},
    )
    result = call_result(outcome)
    assert isinstance(result, types.CallToolResult)
    link = result.content[-1]
    assert isinstance(link, types.ResourceLink) and link.uri == "make://scenarios/401/executions/abc"
    assert (result.structured_content or {})["truncated"]["resource"] == link.uri


def test_an_answer_cut_to_the_budget_without_the_resource_s_address_in_its_arguments_links_nothing() -> None:
    outcome = ended(Answer.of({"truncated": {"shownChars": 10}}), tool="executions_get-detail", arguments={})
    result = call_result(outcome)
    assert isinstance(result, types.CallToolResult) and len(result.content) == 1


HANDLER_OUTCOMES = {
    "an answer": ended(Answer.of({"scenario": {"id": 401, "name": "é"}})),
    "an error answer": ended(Answer.error("Make answered 404.")),
    "an answer with no structured content": ended(Answer(None, "plain")),
    "an answer cut to the budget, linking its resource": ended(
        Answer.of({"execution": {}, "truncated": {"shownChars": 10}}),
        tool="tools_call",
        inner="executions_get-detail",
        arguments={"scenarioId": 401, "executionId": "abc"},
    ),
    "an answer cut to the budget, linking nothing": ended(Answer.of({"truncated": {"shownChars": 10}}), arguments={}),
    "a question": ended(NeedsInput("confirm", "Allow?", "signed")),
}


@pytest.mark.parametrize("outcome", HANDLER_OUTCOMES.values(), ids=HANDLER_OUTCOMES.keys())
def test_the_handler_s_result_goes_out_as_the_mcp_result_would(outcome: Outcome) -> None:
    sent = handler_result(outcome)
    wire = sent.model_dump(by_alias=True, mode="json", exclude_none=True) if isinstance(sent, BaseModel) else sent
    assert wire == call_result(outcome).model_dump(by_alias=True, mode="json", exclude_none=True)


def test_a_plain_answer_is_handed_to_the_sdk_as_its_wire_fields_with_no_model_made() -> None:
    assert handler_result(ended(Answer.of({"ok": True}))) == {
        "content": [{"type": "text", "text": '{"ok":true}'}],
        "structuredContent": {"ok": True},
        "isError": False,
        "resultType": "complete",
    }
