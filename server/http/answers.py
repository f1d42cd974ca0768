"""Stateless HTTP: a request that asks for no progress is answered with one JSON body, not an event stream.

Over stateless HTTP nothing but its answer can reach such a request's stream: progress goes only to a request
with a progress token, and there is no session for anything else to be sent to (2026-era subscriptions/listen is
answered with a stream in either mode). An event stream costs the SDK a stream, a task group and its tasks per
request, so those requests are answered in the task that received them (server/http/inline.py), in either era.
The rest go to the SDK's session manager, answering with event streams as before: a progress token anywhere in
the body, a body past the cap, a client that does not accept both forms, anything but POST, and anything but one
JSON-RPC request the SDK would serve (notifications, batches, what it refuses: its answers are its own). A call
that may run long keeps the event stream too (a tool whose record runs it as a task, such as a scenario run or a
builder check; a scenario tool; tools_call, whose inner tool may be one: any tool but the catalogue's others): its
keepalive comment every 15 s holds the connection open through a proxy that closes a silent one sooner than
MAKE_CALL_DEADLINE (55 s)."""

from __future__ import annotations

import functools
from typing import Any

from mcp.server.lowlevel import Server
from mcp.server.streamable_http import check_accept_headers
from mcp_types import JSONRPCRequest
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from make_mcp.server.http.inline import answer_inline, exchange_of
from make_mcp.server.http.listings import KeptListings
from make_mcp.tools.registry import ALL_OPERATIONS

PROGRESS_TOKEN = b'"progressToken"'  # in a request's _meta: the client wants progress on this request's stream


class ByAnswerForm:
    """ASGI app answering each stateless request here with one JSON body, or sending it to `streams` (the SDK's
    session manager, event streams)."""

    def __init__(
        self, server: Server[Any], listings: KeptListings, streams: ASGIApp, max_body: int, lifespan_state: Any
    ) -> None:
        self.server = server
        self.listings = listings
        self.streams = streams
        self.max_body = max_body  # past this the body is not read here (the SDK refuses it: 413)
        self.lifespan_state = lifespan_state  # the server's, as its session manager hands it to each request

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["method"] != "POST" or not accepts_both(scope):
            await self.streams(scope, receive, send)
            return
        read, whole = await read_body(receive, self.max_body)
        body = b"".join(message.get("body", b"") for message in read if message["type"] == "http.request")
        exchange = exchange_of(self.server, scope, body) if whole else None
        if exchange is None or wants_a_stream(body, exchange.request):
            await self.streams(scope, replaying(read, receive), send)
            return
        await answer_inline(self.server, self.lifespan_state, exchange, self.listings.json_of, scope, send)


def wants_a_stream(body: bytes, request: JSONRPCRequest) -> bool:
    """Whether the request asks for progress or calls a tool that may run long (see the module's docstring)."""
    if PROGRESS_TOKEN in body:
        return True
    if request.method != "tools/call":
        return False
    return (request.params or {}).get("name") not in quick_tools()


@functools.cache
def quick_tools() -> frozenset[str]:
    """The catalogue's tools that never run as a task; the rest, and any tool outside the catalogue (scenario
    tools, tools_call whose inner tool may run long), keep the event stream."""
    return frozenset(op.name for op in ALL_OPERATIONS if not op.runs_as_task)


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
