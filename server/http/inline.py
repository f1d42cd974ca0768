"""A stateless request answered in the task that received it, with one JSON body, in either era.

For a handshake-era request the SDK's session manager builds a transport, its memory streams and message router, a
task group running a dispatcher and a session, and a task for the handler, then tears them down; for a 2026-era
one it checks the Host, Origin and Accept headers again, reads the envelope, and shapes its answer twice (a dump,
then the standard library's encoder). Over stateless HTTP a request asking for no progress has nothing but its
answer to receive and the server cannot ask the client anything on it, so none of that carries anything here.

Such a request goes to the server's handlers the way the SDK's 2026-era entry sends one (`serve_one`: the SDK's
own runner, with its validation, middleware, initialize and wire form of results), with what each era's SDK path
gives it: the handshake era its version from the MCP-Protocol-Version header (or the default), the 2026 era the
SDK's own checks of the envelope and headers (`classify_inbound_request`, routing and Mcp-Param-* headers); and
each era's answer to a handler's failure. A request any of those checks would refuse, or that is anything but one
well-formed JSON-RPC request, is not answered here (None from `exchange_of`): the SDK answers it as before."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, cast

import anyio
import pydantic_core
from mcp.server.connection import Connection
from mcp.server.lowlevel import Server
from mcp.server.runner import modern_error_data, serve_one
from mcp.shared.dispatcher import CallOptions
from mcp.shared.exceptions import NoBackChannelError
from mcp.shared.inbound import (
    ERROR_CODE_HTTP_STATUS,
    MCP_PARAM_HEADER_PREFIX,
    MCP_PROTOCOL_VERSION_HEADER,
    InboundModernRoute,
    classify_inbound_request,
    find_duplicated_routing_header,
    validate_mcp_param_headers,
)
from mcp.shared.jsonrpc_dispatcher import handler_exception_to_error_data
from mcp.shared.message import ServerMessageMetadata
from mcp.shared.transport_context import TransportContext
from mcp_types import (
    DEFAULT_NEGOTIATED_VERSION,
    ErrorData,
    JSONRPCError,
    JSONRPCRequest,
    RequestId,
    jsonrpc_message_adapter,
)
from mcp_types.version import HANDSHAKE_PROTOCOL_VERSIONS
from pydantic import ValidationError
from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.types import Scope, Send

log = logging.getLogger("make_mcp.http")

VERSION_HEADER = MCP_PROTOCOL_VERSION_HEADER.encode("ascii")  # as the SDK's session manager looks for it
PARAM_HEADER_PREFIX = MCP_PARAM_HEADER_PREFIX.lower()
JSON_CONTENT_TYPE = "application/json"
JSON_HEADERS = [(b"content-type", JSON_CONTENT_TYPE.encode())]
LISTEN = "subscriptions/listen"  # answered with a stream of notifications: the SDK's


@dataclass(frozen=True)
class Exchange:
    """One request to answer here: its connection (era, client) and transport context as the SDK's path for its
    era makes them."""

    request: JSONRPCRequest
    connection: Connection
    transport: TransportContext
    modern: bool


def exchange_of(server: Server[Any], scope: Scope, body: bytes) -> Exchange | None:
    """The request in `body` when it is one the SDK's path for its era would serve; None for anything else."""
    headers = Headers(scope=scope)
    if not is_json(headers.get("content-type", "")):
        return None
    version = next((value.decode("latin-1") for key, value in scope["headers"] if key == VERSION_HEADER), None)
    if version is None or version in HANDSHAKE_PROTOCOL_VERSIONS:
        return handshake_exchange(body, version or DEFAULT_NEGOTIATED_VERSION)
    return modern_exchange(server, headers, body)


def handshake_exchange(body: bytes, version: str) -> Exchange | None:
    """As the SDK's handshake-era transport reads a POST (its decoder, its union of messages)."""
    try:
        message = jsonrpc_message_adapter.validate_python(pydantic_core.from_json(body), by_name=False)
    except (ValueError, ValidationError):
        return None
    if not isinstance(message, JSONRPCRequest):
        return None
    transport = TransportContext(kind="streamable-http", can_send_request=False)
    return Exchange(message, Connection.from_envelope(version, None, None), transport, modern=False)


def modern_exchange(server: Server[Any], headers: Headers, body: bytes) -> Exchange | None:
    """As the SDK's 2026-era entry reads a POST, through every check it makes before serving the request."""
    try:
        message = json.loads(body)
        request = JSONRPCRequest.model_validate(message)
    except (ValueError, RecursionError, ValidationError):
        return None
    if not isinstance(message, dict) or "id" not in message or request.method == LISTEN:
        return None
    if find_duplicated_routing_header(headers.items()) is not None:
        return None
    first_values = dict(reversed(headers.items()))  # what dict(headers) holds, built in one pass
    verdict = classify_inbound_request(cast(dict[str, Any], message), headers=first_values)
    if not isinstance(verdict, InboundModernRoute) or params_refused(server, request, headers):
        return None
    connection = Connection.from_envelope(verdict.protocol_version, verdict.client_info, verdict.client_capabilities)
    transport = TransportContext(kind="streamable-http", can_send_request=False, headers=headers)
    return Exchange(request, connection, transport, modern=True)


def params_refused(server: Server[Any], request: JSONRPCRequest, headers: Headers) -> bool:
    """Whether the SDK's check of a 2026-era tools/call's Mcp-Param-* headers against the tool's schema would
    refuse it, or could (the schema only from a listing, or its lookup failing): left to the SDK."""
    params = request.params or {}
    name, arguments = params.get("name"), params.get("arguments")
    if request.method != "tools/call" or not isinstance(name, str):
        return False
    if arguments is not None and not isinstance(arguments, Mapping):
        return False
    arguments = cast(Mapping[str, Any], arguments or {})
    if not arguments and not any(header.startswith(PARAM_HEADER_PREFIX) for header in headers):
        return False
    lookup = server.get_tool_input_schema
    if lookup is None:
        return True
    try:
        schema = lookup(name)
    except Exception:
        return True
    return schema is not None and validate_mcp_param_headers(schema, arguments, headers) is not None


def is_json(content_type: str) -> bool:
    """The SDK's tests of a POST's Content-Type: its transport security's, and its handshake-era transport's."""
    media_types = content_type.split(";")[0].split(",")
    return content_type.lower().startswith(JSON_CONTENT_TYPE) and any(
        part.strip() == JSON_CONTENT_TYPE for part in media_types
    )


@dataclass
class OneExchange:
    """The dispatch context of one request answered with one JSON body: what the handler sends besides its answer
    (notifications, progress) has no wire to go on and is dropped, as in the SDK's JSON answer mode."""

    request_id: RequestId
    message_metadata: ServerMessageMetadata
    transport: TransportContext
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
    server: Server[Any],
    lifespan_state: Any,
    exchange: Exchange,
    encode: Callable[[dict[str, Any]], bytes],
    scope: Scope,
    send: Send,
) -> None:
    """Runs the exchange's request through the server's handlers and sends its answer (or error) as JSON, the
    result as `encode` writes it (a listing's JSON is kept: KeptListings.json_of)."""
    request = exchange.request
    metadata = ServerMessageMetadata(request_context=Request(scope), can_send_request=False)
    context = OneExchange(request.id, metadata, exchange.transport)
    status = 200
    try:
        result = await serve_one(
            server,
            context,
            request.method,
            request.params,
            connection=exchange.connection,
            lifespan_state=lifespan_state,
        )
    except Exception as failure:
        status, body = error_answer(exchange, failure)
    else:
        body = b'{"jsonrpc":"2.0","id":%b,"result":%b}' % (pydantic_core.to_json(request.id), encode(result))
    length = (b"content-length", str(len(body)).encode())
    await send({"type": "http.response.start", "status": status, "headers": [*JSON_HEADERS, length]})
    await send({"type": "http.response.body", "body": body})


def error_answer(exchange: Exchange, failure: Exception) -> tuple[int, bytes]:
    """A handler's failure as the SDK answers it in the exchange's era: the 2026 era's HTTP status per error and
    its generic internal error; the handshake era's 200 with code 0 and the failure's text."""
    request = exchange.request
    if exchange.modern:
        error = modern_error_data(failure)
        answer = JSONRPCError(jsonrpc="2.0", id=request.id, error=error)
        body = answer.model_dump(mode="json", by_alias=True, exclude_none=True)
        return ERROR_CODE_HTTP_STATUS.get(error.code, 200), json.dumps(body, separators=(",", ":")).encode()
    error = handler_exception_to_error_data(failure)
    if error is None:
        log.exception("handler for %r raised", request.method)
        error = ErrorData(code=0, message=str(failure))
    answer = JSONRPCError(jsonrpc="2.0", id=request.id, error=error)
    return 200, answer.model_dump_json(by_alias=True, exclude_unset=True).encode()
