"""Stateless HTTP: a request that asks for no progress is answered with one JSON body, not an event stream.

Over stateless HTTP nothing but its answer can reach such a request's stream: progress goes only to a request
with a progress token, and there is no session for anything else to be sent to (2026-era subscriptions/listen is
answered with a stream in either mode). An event stream still costs the SDK a stream, a task group and its tasks
per request, so those requests go to the SDK's session manager in its JSON answer mode; the rest (a progress token
anywhere in the body, a body past the cap, a client that does not accept both forms, anything but POST) go to the
one answering with event streams, as before. Both are the SDK's own. (An event stream also carries a keepalive
comment every 15 s; a JSON answer none, while a call ends within MAKE_CALL_DEADLINE, 55 s by default.)"""

from __future__ import annotations

from mcp.server.streamable_http import check_accept_headers
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

PROGRESS_TOKEN = b'"progressToken"'  # in a request's _meta: the client wants progress on this request's stream


class ByAnswerForm:
    """ASGI app sending each stateless request to `json` (one JSON body) or `streams` (an event stream)."""

    def __init__(self, streams: ASGIApp, json: ASGIApp, max_body: int) -> None:
        self.streams = streams
        self.json = json
        self.max_body = max_body  # past this the body is not read here (the SDK refuses it: 413)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["method"] != "POST" or not accepts_both(scope):
            await self.streams(scope, receive, send)
            return
        read, whole = await read_body(receive, self.max_body)
        body = b"".join(message.get("body", b"") for message in read if message["type"] == "http.request")
        app = self.json if whole and PROGRESS_TOKEN not in body else self.streams
        await app(scope, replaying(read, receive), send)


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
