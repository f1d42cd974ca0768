"""How one tool call ended, worked out once where the call runs: the plain answer the protocol side turns into
its result (server/protocol/results.py), and the one value logging, metrics and the scenario tools' refresh
observe."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, cast

from make_mcp.server.engine.discovery import CALL_TOOL
from make_mcp.server.engine.operations import dumps
from make_mcp.server.errors import InvalidArguments, MakeError, MissingScope, ToolNotAvailable, UnusableCredential
from make_mcp.tools.catalogue import Operation

OutcomeKind = Literal["ok", "bad_input", "missing_scope", "asked_user", "not_confirmed", "make_error", "error"]


@dataclass(frozen=True)
class Answer:
    """A tool's answer: its structured result (None for an error's message alone) and its text."""

    structured: dict[str, Any] | None
    text: str
    is_error: bool = False

    @classmethod
    def of(cls, structured: dict[str, Any], text: str | None = None) -> Answer:
        """`structured` as the answer; `text` is its JSON text when the caller already wrote it."""
        return cls(structured, dumps(structured) if text is None else text)

    @classmethod
    def error(cls, message: str) -> Answer:
        return cls(None, message, is_error=True)


@dataclass(frozen=True)
class NeedsInput:
    """The call asks the person before it goes on (the 2026 era's multi-round-trip input): the client shows
    `message` and calls again with the person's answer under `key` and `state` (the consent it is bound to)."""

    key: str
    message: str
    state: str


Payload = Answer | NeedsInput


@dataclass(frozen=True)
class Outcome:
    tool: str  # the tool the client called
    inner: str | None  # for tools_call, the name of the tool it was asked to run (as given, known or not)
    kind: OutcomeKind
    payload: Payload  # the answer, which the protocol side sends back as its result
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


def outcome_kind(payload: Payload, error: Exception | None) -> OutcomeKind:
    """How a call ended: `error` is what it raised on the way to its (error) answer, None when it raised nothing."""
    if isinstance(error, InvalidArguments | ToolNotAvailable | UnusableCredential):
        return "bad_input"
    if isinstance(error, MissingScope):
        return "missing_scope"
    if isinstance(error, MakeError):
        return "make_error"
    if error is not None:
        return "error"
    if isinstance(payload, NeedsInput):
        return "asked_user"
    if (payload.structured or {}).get("confirmationRequired") is True:
        return "not_confirmed"
    return "error" if payload.is_error else "ok"
