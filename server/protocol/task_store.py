"""The records of tasks, kept in the shared state (in process, or Redis so a task outlives the server).

A task's ID is its only handle: 32 random bytes, never derived from anything. The record names its owner by the
SHA-256 of the credential that made it, and a record read for anyone else is as absent as an unknown ID.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

from pydantic import SecretStr

from make_mcp.server.support.state import Sealer, SharedState

Status = Literal["working", "completed", "failed", "cancelled"]
TERMINAL: frozenset[str] = frozenset({"completed", "failed", "cancelled"})
KEY = "task:"  # + the SHA-256 of the task's ID, so the store's keys are no handles themselves
OWN_CREDENTIAL = "server's own credential"


def new_task_id() -> str:
    return secrets.token_urlsafe(32)


def owner_of(authorization: str | None) -> str:
    """The owner a caller's records carry: their credential's SHA-256 (the server's own over stdio)."""
    return hashlib.sha256((authorization or OWN_CREDENTIAL).encode()).hexdigest()


def iso(seconds: float) -> str:
    return datetime.fromtimestamp(seconds, UTC).isoformat().replace("+00:00", "Z")


@dataclass
class TaskRecord:
    task_id: str
    owner: str
    tool: str
    created: float  # seconds since the epoch
    updated: float
    ttl_seconds: float
    status: Status = "working"
    message: str | None = None
    scenario_id: int | None = None
    execution_id: str | None = None
    result: dict[str, Any] | None = field(default=None)  # the CallToolResult's wire form, once ended

    @property
    def ended(self) -> bool:
        return self.status in TERMINAL


def sealer_for(state_key: SecretStr | None, shared: bool) -> Sealer | None:
    """MAKE_STATE_KEY's sealer for records kept in Redis; none in process (nothing of it is written anywhere)."""
    return Sealer(state_key.get_secret_value()) if shared and state_key is not None else None


class TaskStore:
    """`sealer` encrypts each record (its result holds the run's outputs) where the state leaves the process."""

    def __init__(self, state: SharedState, sealer: Sealer | None = None) -> None:
        self._state = state
        self._sealer = sealer or Sealer(None)

    async def load(self, task_id: str, owner: str) -> TaskRecord | None:
        """The caller's task of that ID; None when there is none, it expired, or another caller owns it."""
        sealed = await self._state.get(_key(task_id))
        raw = None if sealed is None else self._sealer.open(sealed)
        if raw is None:
            return None
        try:
            record = TaskRecord(**json.loads(raw))
        except (ValueError, TypeError):
            return None
        return record if secrets.compare_digest(record.owner, owner) else None

    async def save(self, record: TaskRecord, now: float) -> None:
        left = record.created + record.ttl_seconds - now
        if left > 0:
            sealed = self._sealer.seal(json.dumps(asdict(record)).encode())
            await self._state.put(_key(record.task_id), sealed, left)


def _key(task_id: str) -> str:
    return KEY + hashlib.sha256(task_id.encode()).hexdigest()
