"""A handshake-era tools/call's plain answer goes out as the SDK would shape it; anything else takes its path."""

from __future__ import annotations

from typing import Any

import pytest
from mcp_types import methods

from make_mcp.server.engine.outcome import Answer
from make_mcp.server.protocol.plain_calls import plain_wire
from make_mcp.server.protocol.results import answer_fields
from tests.conftest import LoopbackSandbox
from tests.server.test_app import mcp_client, text_of
from tests.server.test_stdio import INITIALIZE, PING, frame, serve_over_pipes, tool_call

ANSWERS = [
    Answer.of({"scenario": {"id": 401, "name": "Ünïcode ✓", "tags": [1, 2.5, None, True], "empty": {}}}),
    Answer(None, "Make answered 404: no such scenario", is_error=True),
    Answer(None, "plain text only"),
    Answer.of({}),
]


@pytest.mark.parametrize("answer", ANSWERS)
def test_a_plain_answer_goes_out_at_the_handshake_era_exactly_as_the_sdk_shapes_it(answer: Answer) -> None:
    fields = answer_fields(answer)
    assert plain_wire(fields) == methods.serialize_server_result("tools/call", "2025-11-25", fields)


@pytest.mark.parametrize(
    "result",
    [
        {"content": [{"type": "image", "data": "AA==", "mimeType": "image/png"}], "isError": False},
        {"content": [{"type": "text", "text": "x", "annotations": None}], "isError": False},
        {"content": [{"type": "text", "text": 5}], "isError": False},
        {"content": [], "isError": "no"},
        {"content": [], "structuredContent": [1, 2]},
        {"content": [], "resultType": "task"},
        {"content": [], "_meta": {"x": 1}},
        {"task": {"taskId": "t"}},
    ],
)
def test_a_result_of_another_shape_is_left_to_the_sdk(result: dict[str, Any]) -> None:
    assert plain_wire(result) is None


async def test_a_handshake_era_call_answers_as_the_2026_era_does(loopback_sandbox: LoopbackSandbox) -> None:
    answers = []
    for mode in ("legacy", "auto"):
        async with mcp_client(loopback_sandbox, mode=mode) as client:
            result = await client.call_tool("scenarios_list", {"teamId": 201, "cols": ["id", "name"]})
            answers.append((result.is_error, text_of(result), result.structured_content))
    assert answers[0] == answers[1]
    assert answers[0][0] is False and answers[0][2] is not None


def test_over_stdio_calls_before_the_handshake_or_with_bad_params_get_the_sdks_errors_and_plain_answers_no_result_type(
    loopback_sandbox: LoopbackSandbox,
) -> None:
    initialized = {"jsonrpc": "2.0", "method": "notifications/initialized"}
    lines = [tool_call(2, "data-stores_list", '{"teamId":201}'), frame(INITIALIZE), frame(initialized)]
    lines += [frame({"jsonrpc": "2.0", "id": 3, "method": "tools/call", "params": {"arguments": {}}})]
    lines += [tool_call(4, "data-stores_list", '{"teamId":201}'), frame(PING)]
    by_id = {answer["id"]: answer for answer in serve_over_pipes(loopback_sandbox, lines, {1, 2, 3, 4, 99})}
    for early_or_bad in (2, 3):
        assert by_id[early_or_bad]["error"] == {"code": -32602, "message": "Invalid request parameters", "data": ""}
    result = by_id[4]["result"]
    assert result.keys() == {"content", "isError", "structuredContent"} and result["isError"] is False
