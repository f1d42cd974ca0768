"""A stateless handshake-era request answered in the task that received it, with one JSON body.

For such a request the SDK's session manager builds a transport, its memory streams and message router, a task
group running a dispatcher and a session, and a task for the handler, then tears them down: most of the CPU a quick
request costs the transport. None of it carries anything here: over stateless HTTP a request asking for no
progress has nothing but its answer to receive, and the server cannot ask the client anything on it. So the
request goes to the server's handlers as the SDK's 2026-era entry sends its requests (`serve_one`, the SDK's own
runner: validation, middleware, initialize, the result's wire form), with what the handshake-era path gives a
request (its era from the MCP-Protocol-Version header, the HTTP request on its context, no back channel) and its
way of answering a handler's failure."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import anyio
import pydantic_core
from mcp.server.connection import Connection
from mcp.server.lowlevel import Server
from mcp.server.runner import serve_one
from mcp.shared.dispatcher import CallOptions
from mcp.shared.exceptions import NoBackChannelError
from mcp.shared.jsonrpc_dispatcher import handler_exception_to_error_data
from mcp.shared.message import ServerMessageMetadata
from mcp.shared.transport_context import TransportContext
from mcp_types import ErrorData, JSONRPCError, JSONRPCRequest, RequestId
from starlette.requests import Request
from starlette.types import Scope, Send

log = logging.getLogger("make_mcp.http")

JSON_HEADERS = [(b"content-type", b"application/json")]
NO_BACK_CHANNEL = TransportContext(kind="streamable-http", can_send_request=False)


@dataclass
class OneExchange:
    """The dispatch context of one request answered with one JSON body: what the handler sends besides its answer
    (notifications, progress) has no wire to go on and is dropped, as in the SDK's JSON answer mode."""

    request_id: RequestId
    message_metadata: ServerMessageMetadata
    transport: TransportContext = NO_BACK_CHANNEL
    can_send_request: bool = False
    cancel_requested: anyio.Event = field(default_factory=anyio.Event)

    async def send_raw_request(
        self, method: str, params: Mapping[str, Any] | None, opts: CallOptions | None = None
    ) -> dict[str, Any]:
        raise NoBackChannelError(method)

    async def notify(self, method: str, params: Mapping[str, Any] | None, opts: CallOptions | None = None) -> None:
        return None

    async def progress(self, progress: float, total: float | None = None, message: str | None = None) -> None:
        return None


async def answer_inline(
    server: Server[Any], lifespan_state: Any, request: JSONRPCRequest, version: str, scope: Scope, send: Send
) -> None:
    """Runs `request` through the server's handlers at `version` and sends its answer (or error) as JSON."""
    metadata = ServerMessageMetadata(request_context=Request(scope), can_send_request=False)
    exchange = OneExchange(request.id, metadata)
    connection = Connection.from_envelope(version, None, None)
    try:
        result = await serve_one(
            server, exchange, request.method, request.params, connection=connection, lifespan_state=lifespan_state
        )
    except Exception as failure:
        body = error_body(request, failure)
    else:
        body = pydantic_core.to_json({"jsonrpc": "2.0", "id": request.id, "result": result})
    await send({"type": "http.response.start", "status": 200, "headers": [*JSON_HEADERS, content_length(body)]})
    await send({"type": "http.response.body", "body": body})


def error_body(request: JSONRPCRequest, failure: Exception) -> bytes:
    """A handler's failure as the SDK's handshake-era dispatcher answers it (code 0 and its text for the
    unexpected: that era's wire)."""
    error = handler_exception_to_error_data(failure)
    if error is None:
        log.exception("handler for %r raised", request.method)
        error = ErrorData(code=0, message=str(failure))
    answer = JSONRPCError(jsonrpc="2.0", id=request.id, error=error)
    return answer.model_dump_json(by_alias=True, exclude_unset=True).encode()


def content_length(body: bytes) -> tuple[bytes, bytes]:
    return b"content-length", str(len(body)).encode()
