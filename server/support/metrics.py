"""Prometheus metrics of one make-mcp process, served at /metrics over HTTP.

The metric objects live in their own registry and are fed through the small `record_*` functions, so callers
(the call pipeline, MakeClient, the rate budget, the HTTP app) never build label values themselves. Labels are
bounded sets: a tool outside the catalogue counts as "other", statuses are numbers or one word. No label, and
so no sample, ever carries a token, an argument or an identifier of a Make resource.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:  # the HTTP stack is imported only where HTTP is served (stdio start-up stays light)
    from prometheus_client import CollectorRegistry, Counter, Histogram
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.types import ASGIApp, Message, Receive, Scope, Send

RetryReason = Literal["rate_limited", "server_error", "unreachable"]

OTHER = "other"
LATENCY_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)
WAIT_BUCKETS = (0.1, 0.5, 1.0, 2.0, 5.0, 10.0, 30.0, 60.0)

_recording = True


def stop_recording() -> None:
    """For a process that serves no /metrics (stdio): from now on nothing is counted, so prometheus_client is
    never imported and a call spends nothing on metrics."""
    global _recording
    _recording = False


def recording() -> bool:
    return _recording


@dataclass(frozen=True)
class Instruments:
    """The process's registry and metric objects."""

    registry: CollectorRegistry
    tool_calls: Counter
    tool_call_seconds: Histogram
    make_requests: Counter
    make_request_seconds: Histogram
    retry_waits: Histogram
    rate_budget_waits: Histogram
    http_requests: Counter
    http_request_seconds: Histogram


@cache
def instruments() -> Instruments:
    """Made on first use: prometheus_client is imported then, not at start-up (stdio serves no /metrics)."""
    from prometheus_client import CollectorRegistry, Counter, Histogram

    registry = CollectorRegistry(auto_describe=True)
    return Instruments(
        registry=registry,
        tool_calls=Counter(
            "make_mcp_tool_calls", "Tool calls answered, by tool and outcome.", ["tool", "outcome"], registry=registry
        ),
        tool_call_seconds=Histogram(
            "make_mcp_tool_call_seconds",
            "Time to answer a tool call.",
            ["tool"],
            buckets=LATENCY_BUCKETS,
            registry=registry,
        ),
        make_requests=Counter(
            "make_mcp_make_requests",
            "Requests sent to Make, by method and answer status.",
            ["method", "status"],
            registry=registry,
        ),
        make_request_seconds=Histogram(
            "make_mcp_make_request_seconds",
            "Time Make took to answer one request.",
            buckets=LATENCY_BUCKETS,
            registry=registry,
        ),
        retry_waits=Histogram(
            "make_mcp_retry_wait_seconds",
            "Waits before retrying a request to Make.",
            ["reason"],
            buckets=WAIT_BUCKETS,
            registry=registry,
        ),
        rate_budget_waits=Histogram(
            "make_mcp_rate_budget_wait_seconds",
            "Waits for room in the per-organization rate budget before a request.",
            buckets=WAIT_BUCKETS,
            registry=registry,
        ),
        http_requests=Counter(
            "make_mcp_http_requests",
            "HTTP requests this server answered, by path and status.",
            ["path", "status"],
            registry=registry,
        ),
        http_request_seconds=Histogram(
            "make_mcp_http_request_seconds",
            "Time to answer an HTTP request.",
            ["path"],
            buckets=LATENCY_BUCKETS,
            registry=registry,
        ),
    )


def record_make_request(method: str, status: int | None, seconds: float) -> None:
    """One attempt sent to Make; `status` None: no answer (a transport failure or a timeout)."""
    if not _recording:
        return
    verb = method.upper() if method.upper() in ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS") else OTHER
    instruments().make_requests.labels(verb, "no_answer" if status is None else str(status)).inc()
    instruments().make_request_seconds.observe(seconds)


def record_retry_wait(reason: RetryReason, seconds: float) -> None:
    if not _recording:
        return
    instruments().retry_waits.labels(reason).observe(seconds)


def record_rate_budget_wait(seconds: float) -> None:
    if not _recording:
        return
    instruments().rate_budget_waits.observe(seconds)


async def metrics_endpoint(request: Request) -> Response:
    from prometheus_client.exposition import CONTENT_TYPE_PLAIN_0_0_4, generate_latest
    from starlette.responses import Response

    return Response(generate_latest(instruments().registry), media_type=CONTENT_TYPE_PLAIN_0_0_4)


class HttpMetrics:
    """ASGI middleware counting each HTTP request by path (only the given ones, else "other") and status."""

    def __init__(self, app: ASGIApp, paths: Iterable[str]) -> None:
        self.app = app
        self._paths = frozenset(paths)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        label = path if path in self._paths else OTHER
        started = time.perf_counter()
        status = 500  # what the client sees when the app fails before answering

        async def sending(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            instruments().http_requests.labels(label, str(status)).inc()
            instruments().http_request_seconds.labels(label).observe(time.perf_counter() - started)
