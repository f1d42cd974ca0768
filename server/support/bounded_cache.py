"""One bounded cache: at most `max_entries` values, the least recently used dropped first, each value kept for an
optional lifetime measured on an injected clock."""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class BoundedCache(Generic[K, V]):
    """A least-recently-used map. `ttl` (seconds, None: no end) is each value's default lifetime; `put` may give
    one value its own. `on_evict` hears of each value dropped to make room (not of expired or popped ones)."""

    def __init__(
        self,
        max_entries: int,
        *,
        ttl: float | None = None,
        clock: Callable[[], float] = time.monotonic,
        on_evict: Callable[[K, V], None] | None = None,
    ) -> None:
        if max_entries < 1:
            raise ValueError("a bounded cache holds at least one entry")
        self.max_entries = max_entries
        self._ttl = ttl
        self._clock = clock
        self._on_evict = on_evict
        self._entries: OrderedDict[K, tuple[V, float | None]] = OrderedDict()

    def get(self, key: K) -> V | None:
        """The value under `key`, now the most recently used; None when absent or expired (then it is dropped)."""
        value = self.peek(key)
        if value is not None:
            self._entries.move_to_end(key)
        return value

    def peek(self, key: K) -> V | None:
        """Like `get`, without counting as a use."""
        found = self._entries.get(key)
        if found is None:
            return None
        value, expires = found
        if expires is not None and self._clock() >= expires:
            del self._entries[key]
            return None
        return value

    def put(self, key: K, value: V, *, ttl: float | None = None) -> None:
        """Keeps `value` under `key` as the most recently used, for `ttl` seconds (default: the cache's)."""
        lifetime = self._ttl if ttl is None else ttl
        self._entries[key] = (value, None if lifetime is None else self._clock() + lifetime)
        self._entries.move_to_end(key)
        while len(self._entries) > self.max_entries:
            old_key, (old_value, _) = self._entries.popitem(last=False)
            if self._on_evict is not None:
                self._on_evict(old_key, old_value)

    def pop(self, key: K) -> V | None:
        found = self._entries.pop(key, None)
        return None if found is None else found[0]

    def items(self) -> list[tuple[K, V]]:
        """A copy of what is kept, least recently used first (expired values included until next read)."""
        return [(key, value) for key, (value, _) in self._entries.items()]

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, key: object) -> bool:
        return key in self._entries

    def __iter__(self) -> Iterator[K]:
        return iter(list(self._entries))
