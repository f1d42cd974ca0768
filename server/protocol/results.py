"""The MCP results a tool call answers with."""

from __future__ import annotations

from typing import Any

import mcp_types as types

from make_mcp.server.engine.operations import dumps
from make_mcp.server.engine.outcome import OutcomeKind
from make_mcp.server.errors import InvalidArguments, MakeError, MissingScope, ToolNotAvailable, UnusableCredential


def error_result(message: str) -> types.CallToolResult:
    return types.CallToolResult(content=[types.TextContent(type="text", text=message)], is_error=True)


def structured_result(structured: dict[str, Any], text: str | None = None) -> types.CallToolResult:
    """`structured` as the result; `text` is its JSON text when the caller already wrote it."""
    return types.CallToolResult(
        content=[types.TextContent(type="text", text=dumps(structured) if text is None else text)],
        structured_content=structured,
    )


def outcome_kind(result: types.CallToolResult | types.InputRequiredResult, error: Exception | None) -> OutcomeKind:
    """How a call ended: `error` is what it raised on the way to its (error) result, None when it raised nothing."""
    if isinstance(error, InvalidArguments | ToolNotAvailable | UnusableCredential):
        return "bad_input"
    if isinstance(error, MissingScope):
        return "missing_scope"
    if isinstance(error, MakeError):
        return "make_error"
    if error is not None:
        return "error"
    if isinstance(result, types.InputRequiredResult):
        return "asked_user"
    if (result.structured_content or {}).get("confirmationRequired") is True:
        return "not_confirmed"
    return "error" if result.is_error else "ok"
