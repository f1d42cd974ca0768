"""Stateless HTTP: a request that asks for no progress is answered with one JSON body, not an event stream.

Over stateless HTTP nothing but its answer can reach such a request's stream: progress goes only to a request
with a progress token, and there is no session for anything else to be sent to (2026-era subscriptions/listen is
answered with a stream in either mode). An event stream costs the SDK a stream, a task group and its tasks per
request, so those requests are answered with one JSON body: a handshake-era request in the task that received it
(server/http/inline.py), a 2026-era one by the SDK's session manager in its JSON answer mode (its 2026-era entry
serves the request in place too, with that era's checks of the envelope and headers). The rest go to the SDK's
session manager answering with event streams, as before: a progress token anywhere in the body, a body past the
cap, a client that does not accept both forms, anything but POST, and anything but one well-formed JSON-RPC
request (notifications, batches, what the SDK refuses: answered by the SDK as before). A call that may run long
keeps the event stream too (a tool whose record runs it as a task, such as a scenario run or a builder check; a
scenario tool; tools_call, whose inner tool may be one: any tool but the catalogue's others): its keepalive
comment every 15 s holds the connection open through a proxy that closes a silent one sooner than
MAKE_CALL_DEADLINE (55 s)."""

from __future__ import annotations

import functools
from typing import Any

import pydantic_core
from mcp.server.lowlevel import Server
from mcp.server.streamable_http import check_accept_headers
from mcp.shared.inbound import MCP_PROTOCOL_VERSION_HEADER
from mcp_types import DEFAULT_NEGOTIATED_VERSION, JSONRPCRequest, jsonrpc_message_adapter
from mcp_types.version import HANDSHAKE_PROTOCOL_VERSIONS
from pydantic import ValidationError
from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from make_mcp.server.http.inline import answer_inline
from make_mcp.tools.registry import ALL_OPERATIONS

PROGRESS_TOKEN = b'"progressToken"'  # in a request's _meta: the client wants progress on this request's stream
VERSION_HEADER = MCP_PROTOCOL_VERSION_HEADER.encode("ascii")  # as the SDK's session manager looks for it
JSON_CONTENT_TYPE = "application/json"


class ByAnswerForm:
    """ASGI app sending each stateless request to `streams` (an event stream), `json` (a 2026-era request, one
    JSON body) or answering it here (a handshake-era request, one JSON body)."""

    def __init__(
        self, server: Server[Any], streams: ASGIApp, json: ASGIApp, max_body: int, lifespan_state: Any
    ) -> None:
        self.server = server
        self.streams = streams
        self.json = json
        self.max_body = max_body  # past this the body is not read here (the SDK refuses it: 413)
        self.lifespan_state = lifespan_state  # the server's, as its session managers hand it to each request

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["method"] != "POST" or not accepts_both(scope):
            await self.streams(scope, receive, send)
            return
        read, whole = await read_body(receive, self.max_body)
        body = b"".join(message.get("body", b"") for message in read if message["type"] == "http.request")
        message = decoded(body) if whole else None
        version = protocol_version(scope)
        handshake_era = version is None or version in HANDSHAKE_PROTOCOL_VERSIONS
        request = one_request(scope, message) if handshake_era else None
        if not whole or wants_a_stream(body, message) or (handshake_era and request is None):
            await self.streams(scope, replaying(read, receive), send)
        elif request is None:
            await self.json(scope, replaying(read, receive), send)
        else:
            era = version or DEFAULT_NEGOTIATED_VERSION
            await answer_inline(self.server, self.lifespan_state, request, era, scope, send)


def decoded(body: bytes) -> Any:
    """The body's JSON, None when it is none (the SDK refuses it the same way on either side)."""
    try:
        return pydantic_core.from_json(body)
    except ValueError:
        return None


def wants_a_stream(body: bytes, message: Any) -> bool:
    """Whether the request asks for progress or calls a tool that may run long (see the module's docstring)."""
    if PROGRESS_TOKEN in body:
        return True
    if b'"tools/call"' not in body:
        return False
    params = message.get("params") if isinstance(message, dict) else None
    name = params.get("name") if isinstance(params, dict) else None  # pyright: ignore[reportUnknownMemberType]
    return name not in quick_tools()


@functools.cache
def quick_tools() -> frozenset[str]:
    """The catalogue's tools that never run as a task; the rest, and any tool outside the catalogue (scenario
    tools, tools_call whose inner tool may run long), keep the event stream."""
    return frozenset(op.name for op in ALL_OPERATIONS if not op.runs_as_task)


def one_request(scope: Scope, message: Any) -> JSONRPCRequest | None:
    """The JSON-RPC request the body holds, as the SDK's handshake-era transport reads it; None for anything
    else (no JSON body, a notification, a batch, a response, a body it refuses), left to the SDK to answer."""
    if message is None or not is_json(Headers(scope=scope).get("content-type", "")):
        return None
    try:
        parsed = jsonrpc_message_adapter.validate_python(message, by_name=False)
    except ValidationError:
        return None
    return parsed if isinstance(parsed, JSONRPCRequest) else None


def is_json(content_type: str) -> bool:
    """The SDK's tests of a POST's Content-Type: its transport security's, then its transport's."""
    media_types = content_type.split(";")[0].split(",")
    return content_type.lower().startswith(JSON_CONTENT_TYPE) and any(
        part.strip() == JSON_CONTENT_TYPE for part in media_types
    )


def protocol_version(scope: Scope) -> str | None:
    """The first MCP-Protocol-Version header, as the SDK's session manager reads it to pick the era."""
    return next((value.decode("latin-1") for key, value in scope["headers"] if key == VERSION_HEADER), None)


def accepts_both(scope: Scope) -> bool:
    """Whether the client accepts JSON and event streams (else the event stream side answers, 406 as before)."""
    return all(check_accept_headers(Request(scope)))


async def read_body(receive: Receive, max_body: int) -> tuple[list[Message], bool]:
    """The request's messages read, and whether they hold its whole body within `max_body` bytes."""
    read: list[Message] = []
    size = 0
    while True:
        message = await receive()
        read.append(message)
        if message["type"] != "http.request":
            return read, False
        size += len(message.get("body", b""))
        if size > max_body:
            return read, False
        if not message.get("more_body", False):
            return read, True


def replaying(read: list[Message], receive: Receive) -> Receive:
    """`receive` that hands out the messages already read first."""
    pending = list(read)

    async def replay() -> Message:
        if pending:
            return pending.pop(0)
        return await receive()

    return replay
