"""Each caller's scenario tools, kept between requests and refreshed on demand.

Over HTTP every caller brings their own credential, so every caller has their own tools: they are stored under
a key derived from the credential (`caller_key`, a hash: the credential itself is never kept), and one caller's
tools are never handed to another. Concurrent requests of one caller share one discovery. The store holds at
most `max_callers` callers, dropping the one unused longest.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import anyio

from make_mcp.server.scenario_tools.tools import (
    ScenarioTools,
    ScenarioToolSettings,
    find_scenario_tools,
    refind_scenario_tool,
)
from make_mcp.server.support.bounded_cache import BoundedCache
from make_mcp.tools.catalogue import RequestPort


def caller_key(authorization: str | None) -> str:
    """A stable key for one credential that does not reveal it (the stdio server's own: `caller_key(None)`)."""
    return hashlib.sha256((authorization or "").encode()).hexdigest()


@dataclass
class _Entry:
    lock: anyio.Lock
    tools: ScenarioTools | None = None
    found_at: float = 0.0


class ScenarioToolStore:
    def __init__(
        self,
        config: ScenarioToolSettings,
        taken_names: Iterable[str],
        *,
        max_callers: int = 1_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.config = config
        self.taken_names = frozenset(taken_names)
        self.max_callers = max_callers
        self._clock = clock
        self._entries: BoundedCache[str, _Entry] = BoundedCache(max_callers)

    def current(self, key: str) -> ScenarioTools | None:
        """The caller's tools as last found, without waiting; None before the first discovery ends."""
        entry = self._entries.peek(key)
        return entry.tools if entry is not None else None

    async def get(self, key: str, port: RequestPort) -> ScenarioTools:
        """The caller's tools: discovered on first use and again once older than MAKE_SCENARIO_REFRESH."""
        entry = self._entry(key)
        async with entry.lock:
            if entry.tools is None or self._stale(entry):
                await self._discover(entry, port)
            assert entry.tools is not None
            return entry.tools

    async def refresh(self, key: str, port: RequestPort) -> bool:
        """Discovers the caller's tools again (after a call that changed scenarios, or on the periodic re-check);
        True when tools/list changed, the moment to send notifications/tools/list_changed."""
        entry = self._entry(key)
        async with entry.lock:
            before = entry.tools
            await self._discover(entry, port)
            assert entry.tools is not None
            return entry.tools.changed_from(before)

    async def refresh_scenario(self, key: str, port: RequestPort, scenario_id: int, *, deleted: bool = False) -> bool:
        """After a call changed one scenario: that scenario's tool found again, the others kept (a full discovery
        when there is nothing to keep yet, or the scenario's place in the choice needs one); True when tools/list
        changed."""
        entry = self._entry(key)
        async with entry.lock:
            before = entry.tools
            after = None
            if before is not None:
                after = await refind_scenario_tool(
                    port, self.config, before, scenario_id, taken_names=self.taken_names, deleted=deleted
                )
            if after is None:
                await self._discover(entry, port)
            else:
                entry.tools = after
            assert entry.tools is not None
            return entry.tools.changed_from(before)

    def is_stale(self, key: str) -> bool:
        """Whether the caller's tools are older than MAKE_SCENARIO_REFRESH (False before the first discovery)."""
        entry = self._entries.peek(key)
        return entry is not None and entry.tools is not None and self._stale(entry)

    def forget(self, key: str) -> None:
        self._entries.pop(key)

    def _entry(self, key: str) -> _Entry:
        entry = self._entries.get(key)
        if entry is None:
            entry = _Entry(anyio.Lock())
            self._entries.put(key, entry)
        return entry

    def _stale(self, entry: _Entry) -> bool:
        max_age = self.config.refresh_seconds
        return max_age is not None and self._clock() - entry.found_at >= max_age

    async def _discover(self, entry: _Entry, port: RequestPort) -> None:
        entry.tools = await find_scenario_tools(port, self.config, taken_names=self.taken_names, previous=entry.tools)
        entry.found_at = self._clock()
