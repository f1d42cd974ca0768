"""The MCP results a tool call answers with, made from the engine's plain answer in this one place."""

from __future__ import annotations

from typing import Any

import mcp_types as types

from make_mcp.server.engine.outcome import Answer, NeedsInput, Outcome
from make_mcp.server.protocol.call_ports import NO_FIELDS
from make_mcp.server.protocol.resources import link_past_budget

Result = types.CallToolResult | types.InputRequiredResult


def call_result(outcome: Outcome) -> Result:
    """tools/call's result: the tool's answer (cut to the result budget, it links the resource that holds all of
    it, when one does), or (2026 era) the question the client asks the person first."""
    payload = outcome.payload
    if isinstance(payload, NeedsInput):
        ask = types.ElicitRequest(
            params=types.ElicitRequestFormParams(message=payload.message, requested_schema=NO_FIELDS)
        )
        return types.InputRequiredResult(input_requests={payload.key: ask}, request_state=payload.state)
    return link_past_budget(tool_result(payload), outcome.ran, outcome.arguments)


def handler_result(outcome: Outcome) -> Result | dict[str, Any]:
    """`call_result` as the tools/call handler returns it: an answer that links nothing as its wire fields, which
    the SDK checks against the protocol version's result and sends (no model made only to be dumped)."""
    payload = outcome.payload
    if isinstance(payload, Answer) and not _cut_to_budget(payload):
        return answer_fields(payload)
    return call_result(outcome)


def tool_result(answer: Answer) -> types.CallToolResult:
    """The tool's answer as it is (a task's result)."""
    return types.CallToolResult.model_validate(answer_fields(answer), by_name=False)


def answer_fields(answer: Answer) -> dict[str, Any]:
    """The tool's answer as CallToolResult's fields on the wire (its model's dump: resultType included, which the
    handshake era's result leaves out)."""
    fields: dict[str, Any] = {"content": [{"type": "text", "text": answer.text}], "isError": answer.is_error}
    if answer.structured is not None and not answer.is_error:
        fields["structuredContent"] = answer.structured
    fields["resultType"] = "complete"
    return fields


def _cut_to_budget(answer: Answer) -> bool:
    """Whether the answer was cut to the result budget (`link_past_budget` may then link the whole of it)."""
    return isinstance(answer.structured, dict) and isinstance(answer.structured.get("truncated"), dict)
