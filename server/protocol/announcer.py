"""Tells one caller's clients what changed, in both protocol eras the SDK speaks, from one source of events.

Each event (the tool list changed, the resource list changed, one resource changed) goes to the caller's own bus,
which serves their 2026-era `subscriptions/listen` streams, and to each handshake-era (2025-11-25) connection of
theirs: `notifications/tools/list_changed` and `notifications/resources/list_changed` to every one, and
`notifications/resources/updated` to those that subscribed to the resource with resources/subscribe. One announcer
per caller (their credential), so one user's changes never reach another user's connections.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from mcp.server.context import ServerRequestContext
from mcp.server.subscriptions import (
    InMemorySubscriptionBus,
    ListenHandler,
    ResourcesListChanged,
    ResourceUpdated,
    ToolsListChanged,
)
from mcp_types.version import MODERN_PROTOCOL_VERSIONS

from make_mcp.server.support.bounded_cache import BoundedCache

log = logging.getLogger("make_mcp.announcer")

MAX_SESSIONS = 64  # handshake-era connections of one caller told of changes
MAX_SUBSCRIPTIONS = 100  # resources one handshake-era connection may subscribe to


class TooManySubscriptions(Exception):
    """A connection already subscribed to MAX_SUBSCRIPTIONS resources."""


@dataclass
class _Connection:
    session: Any  # the latest of the SDK's session objects of this connection: any reaches its standalone channel
    uris: set[str] = field(default_factory=set[str])  # the resources it subscribed to


class Announcer:
    """One caller's listeners: their 2026-era listen streams (the bus) and their handshake-era connections."""

    def __init__(self) -> None:
        self.bus = InMemorySubscriptionBus()
        self.listen = ListenHandler(self.bus)  # serves this caller's subscriptions/listen (2026 era)
        # One entry per handshake-era connection seen (the SDK makes a session object per request), under the
        # connection's client_params, which stay the same object; the least recently seen dropped past the bound.
        self._connections: BoundedCache[int, _Connection] = BoundedCache(MAX_SESSIONS)

    def remember(self, ctx: ServerRequestContext[Any]) -> _Connection | None:
        """The request's handshake-era connection, now told of changes; None in the 2026 era (it listens)."""
        if ctx.protocol_version in MODERN_PROTOCOL_VERSIONS:
            return None
        key = id(ctx.session.client_params)
        connection = self._connections.get(key) or _Connection(ctx.session)
        connection.session = ctx.session
        self._connections.put(key, connection)
        return connection

    def subscribe(self, ctx: ServerRequestContext[Any], uri: str) -> None:
        """The request's connection hears of `uri` from now on (resources/subscribe, a handshake-era request)."""
        connection = self.remember(ctx)
        if connection is None:  # the SDK serves no resources/subscribe in the 2026 era: never reached
            return
        if uri not in connection.uris and len(connection.uris) >= MAX_SUBSCRIPTIONS:
            raise TooManySubscriptions(
                f"This connection already follows {MAX_SUBSCRIPTIONS} resources: resources/unsubscribe from one first."
            )
        connection.uris.add(uri)

    def unsubscribe(self, ctx: ServerRequestContext[Any], uri: str) -> None:
        connection = self.remember(ctx)
        if connection is not None:
            connection.uris.discard(uri)

    async def announce(self) -> None:
        """The caller's tool list changed."""
        await self.bus.publish(ToolsListChanged())
        await self._tell("send_tool_list_changed")

    async def resources_changed(self) -> None:
        """The caller's resource list changed."""
        await self.bus.publish(ResourcesListChanged())
        await self._tell("send_resource_list_changed")

    async def updated(self, uris: Iterable[str]) -> None:
        """Each of `uris` changed: told to listen streams and to connections subscribed to it."""
        for uri in uris:
            await self.bus.publish(ResourceUpdated(uri))
            await self._tell("send_resource_updated", uri, subscribed_to=uri)

    async def _tell(self, notify: str, *args: Any, subscribed_to: str | None = None) -> None:
        """Calls the session method `notify` (the SDK's public senders) of each connection (or each subscribed)."""
        for key, connection in self._connections.items():
            if subscribed_to is not None and subscribed_to not in connection.uris:
                continue
            try:
                await getattr(connection.session, notify)(*args)
            except Exception:  # a closed connection (stateless HTTP, a client gone) just misses it
                self._connections.pop(key)
                log.debug("could not tell a connection of a change", exc_info=True)
