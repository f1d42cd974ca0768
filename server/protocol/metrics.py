"""What a tool call's end adds to the process's metrics: the tool's label and how the call ended."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

import mcp_types as types

from make_mcp.server.engine.discovery import CALL_TOOL, DESCRIBE_TOOL, SEARCH_TOOL
from make_mcp.server.errors import InvalidArguments, MakeError, MissingScope, ToolNotAvailable, UnusableCredential
from make_mcp.server.support.metrics import OTHER, instruments, recording
from make_mcp.tools.registry import ALL_OPERATIONS

ToolOutcome = Literal["ok", "bad_input", "missing_scope", "not_confirmed", "make_error", "error"]

_TOOLS = frozenset(op.name for op in ALL_OPERATIONS) | {SEARCH_TOOL, DESCRIBE_TOOL, CALL_TOOL}


def tool_label(name: str) -> str:
    """The tool's name when it is one of the catalogue's; "other" for anything else (e.g. a user's scenario tool)."""
    return name if name in _TOOLS else OTHER


def called_tool(name: str, arguments: Mapping[str, Any] | None) -> str:
    """The label of a call: for tools_call (discovery mode), the tool it calls."""
    inner = (arguments or {}).get("name") if name == CALL_TOOL else None
    return tool_label(inner) if isinstance(inner, str) else tool_label(name)


def tool_outcome(result: types.CallToolResult | types.InputRequiredResult, error: Exception | None) -> ToolOutcome:
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
        return "not_confirmed"  # the user is asked first
    if (result.structured_content or {}).get("confirmationRequired") is True:
        return "not_confirmed"
    return "error" if result.is_error else "ok"


def record_tool_call(tool: str, outcome: ToolOutcome, seconds: float) -> None:
    if not recording():
        return
    label = tool_label(tool)
    instruments().tool_calls.labels(label, outcome).inc()
    instruments().tool_call_seconds.labels(label).observe(seconds)
