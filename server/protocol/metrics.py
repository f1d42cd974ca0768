"""What a tool call's end adds to the process's metrics: the tool's label and how the call ended."""

from __future__ import annotations

from make_mcp.server.engine.discovery import CALL_TOOL, DESCRIBE_TOOL, SEARCH_TOOL
from make_mcp.server.engine.outcome import Outcome
from make_mcp.server.support.metrics import OTHER, instruments, recording
from make_mcp.tools.registry import ALL_OPERATIONS

_TOOLS = frozenset(op.name for op in ALL_OPERATIONS) | {SEARCH_TOOL, DESCRIBE_TOOL, CALL_TOOL}


def tool_label(name: str) -> str:
    """The tool's name when it is one of the catalogue's; "other" for anything else (e.g. a user's scenario tool)."""
    return name if name in _TOOLS else OTHER


def count_call(outcome: Outcome) -> None:
    """A call by the tool it ran (tools_call's by its inner tool) and how it ended; never by its arguments."""
    if not recording():
        return
    label = tool_label(outcome.ran)
    kind = "not_confirmed" if outcome.kind == "asked_user" else outcome.kind
    instruments().tool_calls.labels(label, kind).inc()
    instruments().tool_call_seconds.labels(label).observe(outcome.seconds)
