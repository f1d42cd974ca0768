"""In-memory state of one sandbox instance: the fake Make account, its tokens and its request log."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from make_mcp.server.sandbox.faults import FaultPlan

# Each resource kind numbers its ids from its own base, so an id of one kind is never a valid id of another.
ID_BASES: dict[str, int] = {
    "organization": 101,
    "team": 201,
    "user": 301,
    "scenario": 401,
    "folder": 501,
    "dataStructure": 601,
    "dataStore": 701,
    "hook": 801,
    "connection": 901,
    "record": 0xA1B2C3D4E500,
    "execution": 0,
    "udid": 0,
    # Undocumented resources (resources_undocumented.py)
    "privateSpace": 1101,
    "customRole": 1201,
    "connectedSystem": 0,
    "credentialRequest": 0,
    "credential": 0,
}

RATE_WINDOW_SECONDS = 60.0


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str  # the full URL path as received, e.g. "/api/v2/scenarios/401"
    query: list[tuple[str, str]]
    body: Any  # parsed JSON, the raw text when it is not JSON, or None when empty
    headers: dict[str, str]  # lower-cased names, without Authorization
    raw_body: bytes = b""  # the body's bytes as sent (binary bodies such as icons do not survive `body`)


@dataclass(frozen=True)
class TokenGrant:
    token: str
    scopes: frozenset[str]
    organization_id: int  # whose request budget the token spends
    auth_used: str = "token"  # set per request from the Authorization scheme


@dataclass(frozen=True)
class RunPlan:
    """How runs of one sandbox scenario behave (resources_scenario_runs.py): what they output, how long they take
    on the sandbox's clock, and whether the scenario's interface fails to load."""

    outputs: Callable[[dict[str, Any]], dict[str, Any]] | None = None
    seconds: float = 1.0
    interface_error: str | None = None


@dataclass
class SandboxState:
    clock: Callable[[], float] = time.time
    rate_limit_per_minute: int | None = None
    requests: list[RecordedRequest] = field(default_factory=list)
    faults: FaultPlan = field(default_factory=FaultPlan)  # scripted failures for tests (faults.py)
    tokens: dict[str, TokenGrant] = field(default_factory=dict)
    user: dict[str, Any] = field(default_factory=dict)
    organizations: dict[int, dict[str, Any]] = field(default_factory=dict)
    teams: dict[int, dict[str, Any]] = field(default_factory=dict)
    scenarios: dict[int, dict[str, Any]] = field(default_factory=dict)
    blueprints: dict[int, dict[str, Any]] = field(default_factory=dict)  # scenarioId -> blueprint
    interfaces: dict[int, dict[str, Any]] = field(default_factory=dict)  # scenarioId -> {"input", "output"}
    folders: dict[int, dict[str, Any]] = field(default_factory=dict)  # {id, name, parentId, teamId}
    data_structures: dict[int, dict[str, Any]] = field(default_factory=dict)
    data_stores: dict[int, dict[str, Any]] = field(default_factory=dict)  # without the computed records/size
    records: dict[int, dict[str, dict[str, Any]]] = field(default_factory=dict)  # dataStoreId -> key -> data
    hooks: dict[int, dict[str, Any]] = field(default_factory=dict)  # scenarioId is derived, not stored
    connections: dict[int, dict[str, Any]] = field(default_factory=dict)
    executions: dict[str, dict[str, Any]] = field(default_factory=dict)  # id -> {scenarioId, startedMs, outputs, log}
    incomplete: dict[str, dict[str, Any]] = field(default_factory=dict)  # dlqId -> incomplete execution
    # Undocumented resources that Make's SDK uses (resources_undocumented.py).
    private_spaces: dict[int, dict[str, Any]] = field(default_factory=dict)
    custom_roles: dict[int, dict[str, Any]] = field(default_factory=dict)
    connected_systems: dict[str, dict[str, Any]] = field(default_factory=dict)  # uuid -> connected system
    sdk_endpoints: dict[tuple[str, str, str], dict[str, Any]] = field(default_factory=dict)  # (app, version, name)
    sdk_sections: dict[tuple[str, ...], Any] = field(default_factory=dict)  # (app, version[, endpoint], section)
    credential_requests: dict[str, dict[str, Any]] = field(default_factory=dict)  # id -> request with credentials
    run_plans: dict[int, RunPlan] = field(default_factory=dict)  # scenarioId -> how its runs behave
    _last_ids: dict[str, int] = field(default_factory=dict)
    _rate_windows: dict[int, deque[float]] = field(default_factory=dict)

    def add_token(self, token: str, scopes: Iterable[str]) -> None:
        organization_id = min(self.organizations, default=0)
        self.tokens[token] = TokenGrant(token, frozenset(scopes), organization_id)

    def next_id(self, kind: str) -> int:
        last = self._last_ids.get(kind, ID_BASES[kind] - 1)
        self._last_ids[kind] = last + 1
        return last + 1

    def claim_id(self, kind: str, used: int) -> None:
        """Keep the counter ahead of an id assigned by hand (seed data)."""
        self._last_ids[kind] = max(self._last_ids.get(kind, ID_BASES[kind] - 1), used)

    def now_iso(self) -> str:
        return iso_timestamp(self.clock())

    def throttle(self, organization_id: int) -> int | None:
        """Count one request against the organization's rolling minute; return seconds to wait when over."""
        if self.rate_limit_per_minute is None:
            return None
        now = self.clock()
        window = self._rate_windows.setdefault(organization_id, deque())
        while window and window[0] <= now - RATE_WINDOW_SECONDS:
            window.popleft()
        if len(window) >= self.rate_limit_per_minute:
            wait = window[0] + RATE_WINDOW_SECONDS - now if window else RATE_WINDOW_SECONDS
            return max(1, int(-(-wait // 1)))  # whole seconds, rounded up
        window.append(now)
        return None


def iso_timestamp(seconds: float) -> str:
    moment = datetime.fromtimestamp(seconds, tz=UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"
