"""How one tool call ended, worked out once where the call runs: what the protocol answers with, and the one
value logging, metrics and the scenario tools' refresh observe."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, cast

from make_mcp.server.engine.discovery import CALL_TOOL
from make_mcp.tools.catalogue import Operation

OutcomeKind = Literal["ok", "bad_input", "missing_scope", "asked_user", "not_confirmed", "make_error", "error"]


@dataclass(frozen=True)
class Outcome:
    tool: str  # the tool the client called
    inner: str | None  # for tools_call, the name of the tool it was asked to run (as given, known or not)
    kind: OutcomeKind
    payload: Any  # the answer sent back (the MCP result, while the pipeline sits in server/protocol/)
    error: Exception | None  # what the call raised on the way to an error answer
    operation: Operation | None  # the tool that ran, once resolved
    seconds: float
    arguments: Mapping[str, Any] = field(default_factory=dict[str, Any])  # those of the tool that ran, as given

    @property
    def ran(self) -> str:
        """The tool the call ran: tools_call's inner tool, else the one called."""
        return self.inner if self.inner is not None else self.tool


def inner_name(name: str, arguments: Mapping[str, Any] | None) -> str | None:
    """The tool tools_call is asked to run, when `name` is tools_call and it names one by a string."""
    inner = (arguments or {}).get("name") if name == CALL_TOOL else None
    return inner if isinstance(inner, str) else None


def inner_arguments(name: str, arguments: Mapping[str, Any] | None) -> Mapping[str, Any]:
    """The arguments of the tool a call runs: for tools_call, those it passes on."""
    if name == CALL_TOOL:
        inner = (arguments or {}).get("arguments")
        return cast(Mapping[str, Any], inner) if isinstance(inner, Mapping) else {}
    return arguments or {}
