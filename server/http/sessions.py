"""Stateful MCP sessions every instance can serve, when the instances share a state (MAKE_REDIS_URL).

The SDK keeps a session's transport in the process that opened it and answers 404 elsewhere. Here, when an
initialize opens a session, what the session needs afterwards (its owner, the client's initialize parameters
and the negotiated protocol version) is kept in the shared state, renewed on each use. A request for a session
this process does not hold but the shared state knows is served by a session recreated here as already
initialized, for the same owner only. A DELETE ends it for every instance.
"""

from __future__ import annotations

import hashlib
import json
import logging
from typing import Any

import anyio
from anyio.abc import TaskStatus
from mcp.server.auth.middleware.bearer_auth import AuthenticatedUser, authorization_context
from mcp.server.connection import Connection
from mcp.server.runner import serve_connection
from mcp.server.streamable_http import MCP_SESSION_ID_HEADER, StreamableHTTPServerTransport
from mcp.server.streamable_http_manager import DEFAULT_SESSION_IDLE_TIMEOUT, StreamableHTTPSessionManager
from mcp.shared.jsonrpc_dispatcher import JSONRPCDispatcher
from mcp.shared.transport_context import TransportContext
from mcp_types import InitializeRequestParams
from mcp_types.version import HANDSHAKE_PROTOCOL_VERSIONS, LATEST_HANDSHAKE_VERSION
from pydantic import ValidationError
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from make_mcp.server.http.profiles import ENDPOINT_KEY
from make_mcp.server.protocol.sdk_private import adopt_session, discard_session, holds_session, lifespan_state
from make_mcp.server.support.state import SharedState, StateUnavailable

log = logging.getLogger("make_mcp.sessions")

SHARED_SESSION = "session:"  # + endpoint path + " " + session id: its owner and the client's initialize parameters
MAX_INITIALIZE_BODY = 64 * 1024  # an opening request larger than this is served, just not shared


def _key(scope: Scope, session_id: str) -> str:
    """A session belongs to the endpoint it was opened at: a profile's /mcp/<name> offers other tools."""
    return f"{SHARED_SESSION}{scope.get(ENDPOINT_KEY, scope['path'])} {session_id}"


class SharedSessions:
    """Puts the sessions of `manager` in `shared` and recreates there the ones other instances opened."""

    def __init__(self, manager: StreamableHTTPSessionManager, shared: SharedState) -> None:
        self._manager = manager
        self._shared = shared
        self._ttl = float(manager.session_idle_timeout or DEFAULT_SESSION_IDLE_TIMEOUT)
        self._reviving = anyio.Lock()

    async def __call__(self, scope: Scope, receive: Receive, send: Send, owner: str, app: ASGIApp) -> None:
        """Serve one request of `owner` (their credential's identity) with `app`, the MCP app of `manager`."""
        headers = Headers(scope=scope)
        session_id = headers.get(MCP_SESSION_ID_HEADER)
        method = scope.get("method")
        if session_id is None:
            if method == "POST":
                await self._open(scope, receive, send, owner, app)
            else:
                await app(scope, receive, send)
            return
        key = _key(scope, session_id)
        stored = await self._stored(key)
        if stored is not None and stored.get("owner") == _digest(owner):
            await self._revive(session_id, stored, scope)
            if method == "DELETE":
                await self._forget(key)
            else:
                await self._keep(key, stored)
        await app(scope, receive, send)  # unknown or someone else's session: the SDK answers 404

    async def _open(self, scope: Scope, receive: Receive, send: Send, owner: str, app: ASGIApp) -> None:
        body, replay = await _buffered(receive)
        params = _initialize_params(body)
        opened: str | None = None

        async def watch(message: Message) -> None:
            nonlocal opened
            if message["type"] == "http.response.start" and message["status"] < 400:
                opened = Headers(raw=message.get("headers", [])).get(MCP_SESSION_ID_HEADER)
            await send(message)

        await app(scope, replay, watch if params is not None else send)
        if opened is not None and params is not None:
            requested = params.get("protocolVersion")
            version = requested if requested in HANDSHAKE_PROTOCOL_VERSIONS else LATEST_HANDSHAKE_VERSION
            await self._keep(_key(scope, opened), {"owner": _digest(owner), "params": params, "version": version})

    async def _revive(self, session_id: str, stored: dict[str, Any], scope: Scope) -> None:
        """Recreate the session here unless this process holds it already."""
        manager = self._manager
        async with self._reviving:  # two requests for one session at once recreate it once
            if holds_session(manager, session_id):
                return
            try:
                params = InitializeRequestParams.model_validate(stored.get("params"), by_name=False)
            except ValidationError:
                return
            version = str(stored.get("version") or LATEST_HANDSHAKE_VERSION)
            transport = StreamableHTTPServerTransport(
                mcp_session_id=session_id,
                is_json_response_enabled=manager.json_response,
                event_store=manager.event_store,
                security_settings=manager.security_settings,
                retry_interval=manager.retry_interval,
                idle_timeout=manager.session_idle_timeout,
            )
            user = scope.get("user")
            owner = authorization_context(user) if isinstance(user, AuthenticatedUser) else None
            task_group = adopt_session(manager, session_id, transport, owner)
            await task_group.start(self._run, session_id, transport, params, version)
            log.info("session %s recreated from the shared state", session_id[:12])

    async def _run(
        self,
        session_id: str,
        transport: StreamableHTTPServerTransport,
        params: InitializeRequestParams,
        version: str,
        *,
        task_status: TaskStatus[None] = anyio.TASK_STATUS_IGNORED,
    ) -> None:
        """The session's server task, as the SDK runs an opened one, its connection already initialized."""
        manager = self._manager
        async with transport.connect() as (read_stream, write_stream):
            task_status.started()
            try:
                idle_scope = transport.idle_scope or anyio.CancelScope()
                with idle_scope:
                    dispatcher: JSONRPCDispatcher[TransportContext] = JSONRPCDispatcher(
                        read_stream, write_stream, inline_methods=frozenset({"initialize"})
                    )
                    connection = Connection.for_loop(dispatcher, session_id=session_id, protocol_version_hint=version)
                    connection.client_params = params
                    connection.initialized.set()
                    await serve_connection(
                        manager.app,
                        dispatcher,
                        connection=connection,
                        lifespan_state=lifespan_state(manager),
                    )
            except Exception:
                log.exception("recreated session %s crashed", session_id[:12])
            finally:
                await discard_session(manager, session_id, transport)

    async def _stored(self, key: str) -> dict[str, Any] | None:
        try:
            raw = await self._shared.get(key)
        except StateUnavailable as error:
            log.warning("%s", error)
            return None
        if raw is None:
            return None
        try:
            value = json.loads(raw)
        except ValueError:
            return None
        return value if isinstance(value, dict) else None  # pyright: ignore[reportUnknownVariableType]

    async def _keep(self, key: str, value: dict[str, Any]) -> None:
        try:
            await self._shared.put(key, json.dumps(value).encode(), self._ttl)
        except StateUnavailable as error:  # the session still works on this instance
            log.warning("%s", error)

    async def _forget(self, key: str) -> None:
        try:
            await self._shared.delete(key)
        except StateUnavailable as error:
            log.warning("%s", error)


def _digest(owner: str) -> str:
    return hashlib.sha256(owner.encode()).hexdigest()


async def _buffered(receive: Receive) -> tuple[bytes, Receive]:
    """The request's body, read up to MAX_INITIALIZE_BODY, and a `receive` that gives the app all of it again."""
    messages: list[Message] = []
    body = b""
    while True:
        message = await receive()
        messages.append(message)
        if message["type"] != "http.request":
            break
        body += message.get("body", b"")
        if not message.get("more_body", False) or len(body) > MAX_INITIALIZE_BODY:
            break

    async def replay() -> Message:
        return messages.pop(0) if messages else await receive()

    return body, replay


def _initialize_params(body: bytes) -> dict[str, Any] | None:
    """The params of an initialize request, None for any other body."""
    try:
        message = json.loads(body)
    except ValueError:
        return None
    if not isinstance(message, dict) or message.get("method") != "initialize":  # pyright: ignore[reportUnknownMemberType]
        return None
    params = message.get("params")  # pyright: ignore[reportUnknownMemberType, reportUnknownVariableType]
    return params if isinstance(params, dict) else None  # pyright: ignore[reportUnknownVariableType]
