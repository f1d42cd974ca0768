"""What watches each tool call's outcome, one chain for every call: the log line, the metrics, and whatever a
caller adds (the refresh of their scenario tools after a call that changes scenarios)."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from make_mcp.server.engine.outcome import Outcome, OutcomeKind
from make_mcp.server.protocol.metrics import count_call
from make_mcp.tools.registry import ALL_OPERATIONS

log = logging.getLogger("make_mcp.app")

Observer = Callable[[Outcome], Awaitable[None]]

_OPERATION_NAMES = frozenset(op.name for op in ALL_OPERATIONS)
_LOGGED: dict[OutcomeKind, str] = {
    "ok": "ok",
    "asked_user": "asked-user",
    "not_confirmed": "confirmation-required",
    "bad_input": "error",
    "missing_scope": "error",
    "make_error": "error",
    "error": "error",
}


async def log_call(outcome: Outcome) -> None:
    """At INFO level, one key=value line per call, never its arguments."""
    if not log.isEnabledFor(logging.INFO):
        return
    inner = outcome.inner
    # Only a known name is logged, so nothing an agent wrote gets into the log.
    known = inner is not None and (inner in _OPERATION_NAMES or getattr(outcome.operation, "name", None) == inner)
    log.info(
        "call tool=%s outcome=%s ms=%.1f",
        f"{inner} via={outcome.tool}" if known else outcome.tool,
        _LOGGED[outcome.kind],
        outcome.seconds * 1000,
    )


async def count_call_outcome(outcome: Outcome) -> None:
    count_call(outcome)


CALL_OBSERVERS: tuple[Observer, ...] = (log_call, count_call_outcome)
