"""The MCP results a tool call answers with, made from the engine's plain answer in this one place."""

from __future__ import annotations

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


def tool_result(answer: Answer) -> types.CallToolResult:
    """The tool's answer as it is (a task's result)."""
    content: list[types.ContentBlock] = [types.TextContent(type="text", text=answer.text)]
    if answer.is_error:
        return types.CallToolResult(content=content, is_error=True)
    return types.CallToolResult(content=content, structured_content=answer.structured)
