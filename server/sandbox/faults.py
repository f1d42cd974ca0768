"""Scripted faults: make the sandbox fail the ways a network, a proxy and Make itself can.

A test puts rules on `state.faults`; each request that matches a rule (after it has been recorded in
`state.requests`) gets the rule's fault instead of the normal answer, for the rule's number of times:

    state.faults.add(rate_limited(retry_after="2"), path="/scenarios", times=3)
    state.faults.add(dropped(), method="POST", path="/scenarios/*/run", after_processing=True)

`after_processing=True` lets the sandbox carry the request out first (a scenario is created, a run
starts) and only then fails: the case where a client must not send the request again.

`stalled(release)` holds the normal answer until the test sets `release`: Make slow, then answering.

`hang` and `dropped` need a real server connection (uvicorn on loopback): `hang` answers nothing until
the client goes away; `dropped` closes the connection without a response. In-process (an ASGI
transport) `hang` waits until the caller gives up and `dropped` raises ConnectionAbortedError.
"""

from __future__ import annotations

import json
import zlib
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from typing import Any, Literal

import anyio
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

FaultKind = Literal["status", "hang", "trickle", "dropped", "stall"]
API_PREFIX = "/api/v2"


@dataclass(frozen=True)
class Fault:
    kind: FaultKind
    status: int = 200
    body: bytes = b""
    content_type: str = "application/json"
    headers: tuple[tuple[str, str], ...] = ()
    release: anyio.Event | None = field(default=None, compare=False)  # a stall's end

    def response(self) -> Response:
        if self.kind == "hang":
            return _Hang()
        if self.kind == "trickle":
            return _Trickle()
        if self.kind == "dropped":
            return _Dropped()
        return Response(self.body, status_code=self.status, media_type=self.content_type, headers=dict(self.headers))


def rate_limited(retry_after: str | None = None) -> Fault:
    """Make's 429, with or without a Retry-After header."""
    body = {
        "message": "Requests limit for organization exceeded, please try again later.",
        "code": "SC429",
        "detail": "Fault injected by the sandbox.",
    }
    headers = (("Retry-After", retry_after),) if retry_after is not None else ()
    return Fault("status", 429, json.dumps(body).encode(), headers=headers)


def server_error(status: int = 500) -> Fault:
    body = {"message": "Internal Server Error", "code": f"SC{status}", "detail": "Fault injected by the sandbox."}
    return Fault("status", status, json.dumps(body).encode())


def html_page(status: int = 502) -> Fault:
    """What a load balancer or proxy in front of Make answers: an HTML page, not Make's JSON."""
    page = f"<!DOCTYPE html><html><head><title>{status}</title></head><body><h1>{status} Bad Gateway</h1></body></html>"
    return Fault("status", status, page.encode(), content_type="text/html; charset=utf-8")


def malformed_json(status: int = 200) -> Fault:
    """A body that says it is JSON and is not (cut off in the middle)."""
    return Fault("status", status, b'{"scenarios": [{"id": 401, "name": "Onboard')


def custom(status: int, body: Any, headers: dict[str, str] | None = None) -> Fault:
    """Any JSON answer, e.g. an error body of an unusual shape."""
    return Fault("status", status, json.dumps(body).encode(), headers=tuple((headers or {}).items()))


def inflating(size: int) -> Fault:
    """A gzip-compressed JSON answer that inflates to about `size` bytes from a body a thousandth of that."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    inflated = b'{"blob": "' + b"0" * size + b'"}'
    return Fault(
        "status", 200, compressor.compress(inflated) + compressor.flush(), headers=(("Content-Encoding", "gzip"),)
    )


def mislabelled_gzip() -> Fault:
    """A plain JSON answer whose Content-Encoding says gzip."""
    return Fault("status", 200, b'{"scenario": {"id": 401}}', headers=(("Content-Encoding", "gzip"),))


def deeply_nested(depth: int) -> Fault:
    """JSON arrays nested `depth` levels deep."""
    return Fault("status", 200, b"[" * depth + b"]" * depth)


def non_finite_numbers() -> Fault:
    """An answer with NaN, Infinity and a number too large for a float: accepted by many JSON parsers, not JSON."""
    return Fault("status", 200, b'{"scenario": {"id": 401, "name": "x", "score": NaN, "max": Infinity, "big": 1e999}}')


def hang() -> Fault:
    """Never answers; the request ends only when the client gives up and closes the connection."""
    return Fault("hang")


def stalled(release: anyio.Event) -> Fault:
    """Make is slow: the request's normal answer comes only once `release` is set (the test's clock moved)."""
    return Fault("stall", release=release)


def trickle() -> Fault:
    """Sends the status line and headers at once, then one byte of body now and then, forever."""
    return Fault("trickle")


def dropped() -> Fault:
    """Closes the connection without any response."""
    return Fault("dropped")


@dataclass
class FaultRule:
    fault: Fault
    method: str  # "*" for any
    path: str  # fnmatch pattern on the path after /api/v2, e.g. "/scenarios/*/run"
    times: int | None  # None: every matching request
    after_processing: bool = False


@dataclass(frozen=True)
class InjectedFault:
    method: str
    path: str
    kind: FaultKind
    status: int


@dataclass
class FaultPlan:
    rules: list[FaultRule] = field(default_factory=list[FaultRule])
    injected: list[InjectedFault] = field(default_factory=list[InjectedFault])  # what was served, in order

    def add(
        self,
        fault: Fault,
        *,
        method: str = "*",
        path: str = "*",
        times: int | None = 1,
        after_processing: bool = False,
    ) -> FaultPlan:
        self.rules.append(FaultRule(fault, method.upper(), path, times, after_processing))
        return self

    def take(self, method: str, full_path: str) -> FaultRule | None:
        """The first rule matching this request, with one of its uses spent; None when none matches."""
        path = full_path[len(API_PREFIX) :] if full_path.startswith(API_PREFIX) else full_path
        for rule in self.rules:
            if rule.method not in ("*", method.upper()) or not fnmatchcase(path, rule.path):
                continue
            if rule.times is not None:
                rule.times -= 1
                if rule.times <= 0:
                    self.rules.remove(rule)
            self.injected.append(InjectedFault(method.upper(), path, rule.fault.kind, rule.fault.status))
            return rule
        return None

    def clear(self) -> None:
        self.rules.clear()


async def _wait_for_disconnect(receive: Receive) -> None:
    while (await receive())["type"] != "http.disconnect":
        pass


class _Hang(Response):
    def __init__(self) -> None:
        super().__init__()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await _wait_for_disconnect(receive)


class _Trickle(Response):
    interval = 0.05

    def __init__(self) -> None:
        super().__init__()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = [(b"content-type", b"application/json")]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        async with anyio.create_task_group() as group:

            async def drip() -> None:
                while True:
                    await send({"type": "http.response.body", "body": b" ", "more_body": True})
                    await anyio.sleep(self.interval)

            group.start_soon(drip)
            await _wait_for_disconnect(receive)
            group.cancel_scope.cancel()


class _Dropped(Response):
    def __init__(self) -> None:
        super().__init__()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        # ASGI has no way to drop a connection; uvicorn's receive is bound to the request cycle that holds it.
        transport = getattr(getattr(receive, "__self__", None), "transport", None)
        if transport is None:
            raise ConnectionAbortedError("sandbox fault: connection dropped")
        transport.abort()
        await _wait_for_disconnect(receive)  # the server notices the loss and sends nothing
