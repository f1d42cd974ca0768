"""How many scope lookups at Make callers may cause: per client address and in all, per minute.

Every request with a token the server has not seen asks Make for that token's scopes, so a flood of made-up
tokens would become a flood of requests to Make. Past either bound the request is answered 429 with Retry-After
instead. The counts live in the shared state (Redis with MAKE_REDIS_URL: every instance together; else this
process), falling back to this process's own when Redis does not answer.

The client address is the connecting peer's, unless MAKE_HTTP_TRUST_FORWARDED names the header the proxy in front
sets (X-Forwarded-For or Forwarded); its last entry is the one that proxy added, the others are the client's say.
An IPv6 address counts by its /64, which one host usually holds whole.
"""

from __future__ import annotations

import ipaddress
import logging
import math
from collections.abc import Callable

from starlette.types import Scope

from make_mcp.server.support.config import ForwardedHeader, Settings
from make_mcp.server.support.state import LocalState, SharedState, StateUnavailable

log = logging.getLogger("make_mcp.http")

LOOKUP_WINDOW_SECONDS = 60.0
ALL_ADDRESSES = "lookups:all"
ONE_ADDRESS = "lookups:address:"  # + the client address


class TooManyLookups(Exception):
    """A scope lookup past a bound; `seconds` until one fits again."""

    def __init__(self, seconds: float, whose: str) -> None:
        super().__init__(f"too many new credentials {whose}")
        self.seconds = seconds
        self.whose = whose

    @property
    def retry_after(self) -> str:
        return str(max(1, math.ceil(self.seconds)))


class LookupBounds:
    def __init__(self, settings: Settings, shared: SharedState | None, clock: Callable[[], float]) -> None:
        self._per_address = settings.http_lookups_per_address
        self._in_all = settings.http_lookups_total
        self._shared = shared
        self._local = LocalState(clock=clock)
        self._clock = clock

    async def admit(self, address: str) -> None:
        """Counts one lookup for `address`; TooManyLookups when it would pass a bound (then it is not counted
        in all, so one address past its bound takes nothing from the others)."""
        wait = await self._admit(ONE_ADDRESS + address, self._per_address)
        if wait > 0:
            raise TooManyLookups(wait, "from this address")
        wait = await self._admit(ALL_ADDRESSES, self._in_all)
        if wait > 0:
            raise TooManyLookups(wait, "from all addresses")

    async def _admit(self, key: str, limit: int) -> float:
        now = self._clock()
        if self._shared is not None:
            try:
                return await self._shared.admit(key, limit, LOOKUP_WINDOW_SECONDS, now)
            except StateUnavailable as error:
                log.warning("%s; counting scope lookups in this process meanwhile", error)
        return await self._local.admit(key, limit, LOOKUP_WINDOW_SECONDS, now)


def client_address(scope: Scope, header: ForwardedHeader) -> str:
    """The address a request's lookups count against (see the module's docstring)."""
    peer = scope.get("client")
    address = peer[0] if peer else "unknown"
    if header != "off":
        forwarded = _last_forwarded(scope, header)
        if forwarded is not None:
            address = forwarded
    return _counted_as(address)


def _last_forwarded(scope: Scope, header: ForwardedHeader) -> str | None:
    name = header.encode()
    values = [value.decode("latin-1") for key, value in scope.get("headers", []) if key.lower() == name]
    entries = [entry.strip() for value in values for entry in value.split(",") if entry.strip()]
    if not entries:
        return None
    last = entries[-1]
    if header == "forwarded":
        pairs = {
            key.strip().lower(): value.strip() for key, _, value in (part.partition("=") for part in last.split(";"))
        }
        last = pairs.get("for", "").strip('"')
        if last.startswith("["):  # [v6]:port
            last = last[1:].partition("]")[0]
        elif last.count(":") == 1:  # v4:port
            last = last.partition(":")[0]
    return last or None


def _counted_as(address: str) -> str:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address[:64]  # not an address (a proxy's obfuscated name): counted as it is
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network((ip, 64), strict=False))
    return str(ip)
