"""State that every make-mcp instance behind one address must share, in process or in Redis.

`LocalState` (the default) keeps it in this process; `RedisState` (MAKE_REDIS_URL) keeps it in a Redis server,
so instances behind one load balancer behave as one server. Both offer the same few operations: values with a
lifetime, a single-use take, a lock per key, and a sliding window of admissions (the rate budget). What is kept
(grants, registered clients, codes, tokens, refusals, scopes) is decided by the modules that use it; Make tokens
are sealed with `Sealer` before they are stored.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import importlib
import secrets
import time
from abc import ABC, abstractmethod
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from typing import Any

import anyio

from make_mcp.server.errors import ConfigurationError
from make_mcp.server.support.metrics import record_rate_budget_wait
from make_mcp.server.support.sleep import Sleep

KEY_PREFIX = "make-mcp:"
LOCK_SECONDS = 30.0  # a lock held longer than this (a crashed holder) is given up
RATE_WINDOW_SECONDS = 60.0  # Make counts requests per minute
# Make counts a request when it arrives, the budget when it is sent: a request sent early in one window may
# arrive late, one sent at the window's end early. Counting over a little more than a minute keeps the two
# windows apart (on loopback under load, 60.0 let a few 429s through; 61 none).
BUDGET_WINDOW_SECONDS = RATE_WINDOW_SECONDS + 1.0
SWEEP_SECONDS = 60.0  # how often the in-process state forgets expired values nobody asked for again

# Keeps the oldest admissions inside the window, admits one more if there is room (0), or says how long
# to wait for the oldest one to leave the window. One script, so two instances can never both take the last slot.
_ADMIT_SCRIPT = """
local key, now, window, limit, member = KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4]
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
if redis.call('ZCARD', key) < limit then
  redis.call('ZADD', key, now, member)
  redis.call('PEXPIRE', key, math.ceil(window * 1000))
  return '0'
end
local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
return tostring(tonumber(oldest[2]) + window - now)
"""


class StateUnavailable(Exception):
    """The shared state could not be reached; the message says which and never holds a secret."""


class SharedState(ABC):
    """Keys are plain names ('grant:...'); values are bytes. Every value but a client's has a lifetime."""

    @abstractmethod
    async def get(self, key: str) -> bytes | None: ...

    @abstractmethod
    async def put(self, key: str, value: bytes, ttl: float | None) -> None:
        """Stores `value` for `ttl` seconds (None: until deleted)."""

    @abstractmethod
    async def take(self, key: str) -> bytes | None:
        """The value, deleted in the same step: of two instances taking one key, only one gets it."""

    @abstractmethod
    async def delete(self, key: str) -> None: ...

    @abstractmethod
    def lock(self, key: str) -> AbstractAsyncContextManager[Any]:
        """An async context manager held by one task of one instance at a time."""

    @abstractmethod
    async def admit(self, key: str, limit: int, window: float, now: float) -> float:
        """0 when one more event fits `limit` per `window` seconds (and it is counted); else seconds to wait."""

    @abstractmethod
    async def ping(self) -> None:
        """Returns when the state is reachable; StateUnavailable otherwise."""

    async def aclose(self) -> None:
        return None


@dataclass
class _Entry:
    value: bytes
    expires: float | None


class LocalState(SharedState):
    """This process's memory: right for one instance, and the default."""

    def __init__(self, *, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._entries: dict[str, _Entry] = {}
        self._locks: dict[str, anyio.Lock] = {}
        self._windows: dict[str, list[float]] = {}
        self._swept = clock()
        self._windows_swept: float | None = None
        self._longest_window = 0.0

    async def get(self, key: str) -> bytes | None:
        entry = self._entries.get(key)
        if entry is None:
            return None
        if entry.expires is not None and self._clock() >= entry.expires:
            del self._entries[key]
            return None
        return entry.value

    async def put(self, key: str, value: bytes, ttl: float | None) -> None:
        self._drop_expired()
        self._entries[key] = _Entry(value, None if ttl is None else self._clock() + ttl)

    async def take(self, key: str) -> bytes | None:
        value = await self.get(key)
        self._entries.pop(key, None)
        return value

    async def delete(self, key: str) -> None:
        self._entries.pop(key, None)

    def lock(self, key: str) -> anyio.Lock:
        return self._locks.setdefault(key, anyio.Lock())

    async def admit(self, key: str, limit: int, window: float, now: float) -> float:
        self._forget_idle_windows(window, now)
        admitted = [t for t in self._windows.get(key, []) if t > now - window]
        self._windows[key] = admitted
        if len(admitted) < limit:
            admitted.append(now)
            return 0.0
        return admitted[0] + window - now

    async def ping(self) -> None:
        return None

    def _forget_idle_windows(self, window: float, now: float) -> None:
        """Keys admitted nothing for the longest window are forgotten (many keys: one per client address)."""
        self._longest_window = max(self._longest_window, window)
        if self._windows_swept is not None and now - self._windows_swept < SWEEP_SECONDS:
            return
        self._windows_swept = now
        idle = now - self._longest_window
        for key in [key for key, times in self._windows.items() if not times or times[-1] <= idle]:
            del self._windows[key]

    def _drop_expired(self) -> None:
        now = self._clock()
        if now - self._swept < SWEEP_SECONDS:  # a sweep looks at every entry: not on every put
            return
        self._swept = now
        for key in [key for key, entry in self._entries.items() if entry.expires is not None and now >= entry.expires]:
            del self._entries[key]


class RedisState(SharedState):
    """A Redis server shared by every instance (MAKE_REDIS_URL); needs the `redis` package (make-mcp[remote])."""

    def __init__(self, url: str, *, prefix: str = KEY_PREFIX) -> None:
        try:
            redis_asyncio = importlib.import_module("redis.asyncio")
        except ImportError:
            raise ConfigurationError(
                "MAKE_REDIS_URL is set but the redis package is missing: pip install 'make-mcp[remote]'"
            ) from None
        self._redis: Any = redis_asyncio.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=5)
        self._prefix = prefix
        self._admit = self._redis.register_script(_ADMIT_SCRIPT)
        self._errors: tuple[type[BaseException], ...] = (
            importlib.import_module("redis.exceptions").RedisError,
            OSError,
        )

    async def get(self, key: str) -> bytes | None:
        return await self._call(self._redis.get, self._prefix + key)

    async def put(self, key: str, value: bytes, ttl: float | None) -> None:
        milliseconds = None if ttl is None else max(1, int(ttl * 1000))
        await self._call(self._redis.set, self._prefix + key, value, px=milliseconds)

    async def take(self, key: str) -> bytes | None:
        return await self._call(self._redis.getdel, self._prefix + key)

    async def delete(self, key: str) -> None:
        await self._call(self._redis.delete, self._prefix + key)

    @asynccontextmanager
    async def lock(self, key: str) -> AsyncIterator[None]:
        lock = self._redis.lock(f"{self._prefix}lock:{key}", timeout=LOCK_SECONDS, blocking_timeout=LOCK_SECONDS)
        acquired = await self._call(lock.acquire)
        if not acquired:
            raise StateUnavailable(f"the shared lock {key.split(':')[0]} was not free within {LOCK_SECONDS:g} s")
        try:
            yield
        finally:
            # Expired meanwhile: another holder may have it now, and it frees itself anyway.
            with contextlib.suppress(*self._errors):
                await lock.release()

    async def admit(self, key: str, limit: int, window: float, now: float) -> float:
        member = f"{now!r}:{secrets.token_hex(4)}"
        answer = await self._call(self._admit, keys=[self._prefix + key], args=[repr(now), window, limit, member])
        return float(answer.decode() if isinstance(answer, bytes) else answer)

    async def ping(self) -> None:
        await self._call(self._redis.ping)

    async def aclose(self) -> None:
        await self._redis.aclose()

    async def _call(self, method: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        try:
            return await method(*args, **kwargs)
        except self._errors as error:
            # The URL may hold a password; the error's own text may repeat it, so only its kind is told.
            raise StateUnavailable(
                f"Redis (MAKE_REDIS_URL) is unreachable or failed ({type(error).__name__})"
            ) from None


def open_state(redis_url: str | None, *, clock: Callable[[], float] = time.monotonic) -> SharedState:
    return LocalState(clock=clock) if redis_url is None else RedisState(redis_url)


class Sealer:
    """Encrypts values before they are stored (Fernet, keyed from MAKE_STATE_KEY); `Sealer(None)` keeps them as is,
    which only the in-process state may use: nothing of it is ever written anywhere."""

    def __init__(self, key: str | None) -> None:
        self._fernet: Any = None
        if key is not None:
            try:
                fernet = importlib.import_module("cryptography.fernet")
            except ImportError:
                raise ConfigurationError(
                    "MAKE_STATE_KEY is set but the cryptography package is missing: pip install 'make-mcp[remote]'"
                ) from None
            # Any long enough string serves as the key: its SHA-256 is the 32 bytes Fernet wants.
            derived = hashlib.sha256(b"make-mcp state key\0" + key.encode()).digest()
            self._fernet = fernet.Fernet(base64.urlsafe_b64encode(derived))
            self._invalid: type[Exception] = fernet.InvalidToken

    @property
    def seals(self) -> bool:
        return self._fernet is not None

    def seal(self, value: bytes) -> bytes:
        return value if self._fernet is None else self._fernet.encrypt(value)

    def open(self, sealed: bytes) -> bytes | None:
        """The value, or None when it was sealed with another key (or altered)."""
        if self._fernet is None:
            return sealed
        try:
            return self._fernet.decrypt(sealed)
        except self._invalid:
            return None


class SharedRateBudget:
    """A requests-per-minute budget shared by every instance using one state: the same `acquire()` as
    make_mcp.server.make_api.client.RateBudget, so a MakeClient can be given either."""

    def __init__(
        self,
        state: SharedState,
        key: str,
        per_minute: int,
        *,
        clock: Callable[[], float] = time.time,
        sleep: Sleep = anyio.sleep,
        on_wait: Callable[[float], None] = record_rate_budget_wait,
    ) -> None:
        self.per_minute = per_minute
        self._state = state
        self._key = f"budget:{key}"
        # Wall-clock time, not monotonic: every instance must read the same clock.
        self._clock = clock
        self._sleep = sleep
        self._on_wait = on_wait

    async def acquire(self) -> None:
        while True:
            wait = await self._state.admit(self._key, self.per_minute, BUDGET_WINDOW_SECONDS, self._clock())
            if wait <= 0:
                return
            self._on_wait(wait)
            await self._sleep(wait)
