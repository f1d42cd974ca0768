"""Serving streamable HTTP: the app (/mcp per profile, sign-in, health, metrics) under uvicorn, with a shutdown
that lets the answers in flight finish."""

from __future__ import annotations

import gc
import logging
import time
from collections.abc import Callable, Iterable
from typing import Any

import anyio
import uvicorn
from starlette.applications import Starlette
from starlette.types import ASGIApp, Receive, Scope, Send

from make_mcp.server.http.gateway import MCP_PATH, McpGateway, lends_server_credential
from make_mcp.server.http.remote import assemble_http_app
from make_mcp.server.support.collection import collect_less_often
from make_mcp.server.support.config import Settings
from make_mcp.server.support.sleep import Sleep
from make_mcp.server.support.state import SharedState

log = logging.getLogger("make_mcp.http")


def collect_less() -> None:
    """After start-up: what exists now stays (never scanned again), and collections come less often."""
    gc.collect()
    gc.freeze()
    collect_less_often()


def create_http_app(
    settings: Settings,
    *,
    clock: Callable[[], float] = time.monotonic,
    wall_clock: Callable[[], float] = time.time,
    sleep: Sleep = anyio.sleep,
) -> Starlette:
    """The ASGI app of `make-mcp serve --transport http`; its lifespan opens the Make client. The clocks and the
    sleep are for tests: `clock` times the caches of one process, `wall_clock` what instances share."""

    def new_gateway(endpoint_settings: Settings, shared: SharedState | None) -> McpGateway:
        return McpGateway(endpoint_settings, clock=clock, shared=shared, wall_clock=wall_clock, sleep=sleep)

    return assemble_http_app(settings, new_gateway)


def exposure_warnings(settings: Settings) -> Iterable[str]:
    if settings.host in ("127.0.0.1", "localhost", "::1"):
        return
    yield (
        f"listening on {settings.host}: tokens travel in clear text unless a TLS proxy is in front, "
        "and requests must name a Host in MAKE_HTTP_ALLOWED_HOSTS"
    )
    if lends_server_credential(settings):
        yield (
            "requests without a credential act with the server's own Make credential; "
            "set MAKE_HTTP_REQUIRE_CLIENT_CREDENTIALS=1 unless every caller may use it"
        )


class AnswersInFlight:
    """ASGI middleware counting the requests still being answered, event streams (GET) aside: those never end
    on their own, so shutdown ends them once every answer is out."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.count = 0
        self._changed = anyio.Event()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] == "GET":
            await self.app(scope, receive, send)
            return
        self.count += 1
        try:
            await self.app(scope, receive, send)
        finally:
            self.count -= 1
            self._changed.set()

    async def all_answered(self) -> None:
        while self.count:
            self._changed = anyio.Event()
            await self._changed.wait()


class GracefulServer(uvicorn.Server):
    """uvicorn, whose shutdown lets the answers in flight finish (within its bound) before the event streams end.

    sse-starlette ends every SSE response the moment uvicorn is told to exit, answers to calls in flight
    included; with its automatic drain off, the streams end when `AppStatus.should_exit` is set, here."""

    def __init__(
        self, config: uvicorn.Config, answers: AnswersInFlight, on_started: Callable[[], None] = lambda: None
    ) -> None:
        super().__init__(config)
        self.answers = answers
        self.on_started = on_started  # once the app's lifespan has started (the catalogue and listings are built)

    async def startup(self, sockets: list[Any] | None = None) -> None:
        await super().startup(sockets)
        self.on_started()

    async def shutdown(self, sockets: list[Any] | None = None) -> None:
        from sse_starlette.sse import AppStatus

        async def end_streams_once_answered() -> None:
            await self.answers.all_answered()
            AppStatus.should_exit = True

        async with anyio.create_task_group() as streams:
            streams.start_soon(end_streams_once_answered)
            try:
                await super().shutdown(sockets)
            finally:
                streams.cancel_scope.cancel()


async def serve_http(settings: Settings) -> None:
    from sse_starlette.sse import AppStatus

    AppStatus.disable_automatic_graceful_drain()
    app = AnswersInFlight(create_http_app(settings))
    for warning in exposure_warnings(settings):
        log.warning("%s", warning)
    log.warning(
        "MCP over streamable HTTP on http://%s:%d%s (%s)",
        settings.host,
        settings.port,
        MCP_PATH,
        "stateless" if settings.http_stateless else "sessions",
    )
    config = uvicorn.Config(
        app,
        host=settings.host,
        port=settings.port,
        lifespan="on",
        access_log=False,
        http="httptools",  # less CPU per request than h11
        log_config=None,  # our stderr logging; uvicorn's default writes access lines to stdout
        proxy_headers=False,  # whose address a request comes from: MAKE_HTTP_TRUST_FORWARDED decides
        # SIGTERM: stop accepting, let the calls in flight finish within this bound, then close.
        timeout_graceful_shutdown=settings.http_shutdown_timeout,
    )
    await GracefulServer(config, app, on_started=collect_less).serve()
