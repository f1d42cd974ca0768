"""The HTTP app's parts beside /mcp: sign-in with Make, the shared state, health, readiness and metrics.

- /healthz answers 200 while the process runs; /readyz answers 200 only when /mcp can serve (the MCP side is
  up, Make's zone answers, and Redis answers when MAKE_REDIS_URL is set), else 503 naming what is not.
- /metrics: Prometheus text (make_mcp.server.support.metrics).
- With MAKE_PUBLIC_URL: the OAuth 2.1 endpoints of make_mcp.server.http.remote_auth.
- With MAKE_PROFILES_FILE: an endpoint per profile, /mcp/<name> (make_mcp.server.http.profiles).
"""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, AsyncExitStack, asynccontextmanager

import anyio
import httpx2
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp

from make_mcp.server.engine.selection import default_scopes
from make_mcp.server.http.gateway import MCP_PATH, McpGateway
from make_mcp.server.http.profiles import ServedAt, load_profiles
from make_mcp.server.http.remote_auth import MakeSignIn, SignedInCallers, public_host
from make_mcp.server.make_api.client import USER_AGENT
from make_mcp.server.make_api.wire import AiohttpTransport
from make_mcp.server.support.config import Settings
from make_mcp.server.support.metrics import HttpMetrics, metrics_endpoint
from make_mcp.server.support.state import Sealer, SharedState, StateUnavailable, open_state

log = logging.getLogger("make_mcp.remote")

HEALTH_PATH = "/healthz"
READY_PATH = "/readyz"
METRICS_PATH = "/metrics"
MAKE_PROBE_SECONDS = 10.0  # readiness probes come often; Make is asked at most this often
PROBE_TIMEOUT_SECONDS = 3.0


def gateway_settings(settings: Settings) -> Settings:
    """With sign-in on, /mcp answers to MAKE_PUBLIC_URL's host, and never lends the server's own credential
    (a caller without a token is sent to sign in instead)."""
    host = public_host(settings)
    if host is None:
        return settings
    hosts = ",".join(part for part in (settings.http_allowed_hosts, host) if part)
    return settings.model_copy(update={"http_allowed_hosts": hosts, "http_require_client_credentials": True})


def assemble_http_app(
    settings: Settings, new_gateway: Callable[[Settings, SharedState | None], McpGateway]
) -> Starlette:
    """/mcp and each profile's /mcp/<name> (each a gateway of its own), behind sign-in with Make when it is on,
    beside the health, readiness, metrics and OAuth routes; one lifespan opens and closes them all.

    With MAKE_REDIS_URL every gateway keeps its rate budget, scopes and refusals in Redis too; without, they
    keep them in their own memory (the sign-in's state is then this process's)."""
    settings = gateway_settings(settings)
    profiles = [] if settings.profiles_file is None else load_profiles(settings.profiles_file)
    redis_url = settings.redis_url
    state = open_state(None if redis_url is None else redis_url.get_secret_value())
    shared = state if redis_url is not None else None
    gateways = {MCP_PATH: new_gateway(settings, shared)}
    gateways.update({profile.path: new_gateway(profile.apply(settings), shared) for profile in profiles})
    scopes = sorted({scope for gateway in gateways.values() for scope in default_scopes(gateway.settings)})
    remote = RemoteParts(settings, state, paths=list(gateways), scopes=scopes)
    endpoints = [
        Route(path, endpoint=remote.guard(gateway if path == MCP_PATH else ServedAt(gateway, MCP_PATH), path))
        for path, gateway in gateways.items()
    ]
    routes = [*remote.routes(lambda: all(g.callers is not None for g in gateways.values())), *endpoints]

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        async with AsyncExitStack() as stack:
            for gateway in gateways.values():
                await stack.enter_async_context(gateway.lifespan(app))
            if profiles:
                log.warning("profiles served at %s", ", ".join(profile.path for profile in profiles))
            yield

    app = Starlette(
        routes=routes,
        lifespan=remote.lifespan(lifespan),
        middleware=[Middleware(HttpMetrics, paths=[route.path for route in routes])],
    )
    app.state.gateway = gateways[MCP_PATH]
    app.state.gateways = gateways
    app.state.remote = remote
    return app


class RemoteParts:
    def __init__(
        self,
        settings: Settings,
        state: SharedState,
        *,
        paths: list[str] | None = None,
        scopes: list[str] | None = None,
        clock: Callable[[], float] = time.time,
        transport: httpx2.AsyncBaseTransport | None = None,
    ) -> None:
        self.settings = settings
        self.state = state
        key = settings.state_key
        self.sealer = Sealer(None if key is None else key.get_secret_value())
        self.sign_in: MakeSignIn | None = None
        if settings.public_url is not None:
            self.sign_in = MakeSignIn(
                settings,
                self.state,
                self.sealer,
                paths=paths or [MCP_PATH],
                scopes=scopes,
                clock=clock,
                transport=transport,
            )
        self._transport = transport
        self._clock = time.monotonic
        self._make_checked: tuple[float, str] | None = None

    def routes(self, mcp_ready: Callable[[], bool]) -> list[Route]:
        async def ready(request: Request) -> Response:
            checks = {"mcp": "ok" if mcp_ready() else "starting or stopping", "make": await self._make_reachable()}
            if self.settings.redis_url is not None:
                checks["redis"] = await self._redis_reachable()
            status = 200 if all(value == "ok" for value in checks.values()) else 503
            return JSONResponse({"ready": status == 200, "checks": checks}, status_code=status)

        routes = [
            Route(HEALTH_PATH, _alive, methods=["GET"]),
            Route(READY_PATH, ready, methods=["GET"]),
            Route(METRICS_PATH, metrics_endpoint, methods=["GET"]),
        ]
        if self.sign_in is not None:
            routes.extend(self.sign_in.routes())
        return routes

    def guard(self, mcp: ASGIApp, path: str = MCP_PATH) -> ASGIApp:
        """The MCP endpoint at `path` as it is, or behind sign-in with Make."""
        return mcp if self.sign_in is None else SignedInCallers(mcp, self.sign_in, path=path)

    def lifespan(
        self, inner: Callable[[Starlette], AbstractAsyncContextManager[None]]
    ) -> Callable[[Starlette], AbstractAsyncContextManager[None]]:
        @asynccontextmanager
        async def lifespan(app: Starlette) -> AsyncIterator[None]:
            where = "in Redis (MAKE_REDIS_URL)" if self.settings.redis_url is not None else "in this process"
            if self.sign_in is not None:
                log.warning("users sign in with Make at %s; state kept %s", self.settings.public_url, where)
            try:
                await self.state.ping()
            except StateUnavailable as error:
                log.warning("%s; requests needing the shared state fail until it answers", error)
            try:
                async with inner(app):
                    yield
            finally:
                await self.state.aclose()

        return lifespan

    async def _redis_reachable(self) -> str:
        try:
            with anyio.fail_after(PROBE_TIMEOUT_SECONDS):
                await self.state.ping()
        except (StateUnavailable, TimeoutError):
            return "unreachable"
        return "ok"

    async def _make_reachable(self) -> str:
        if self.settings.sandbox:
            return "ok"  # in process
        now = self._clock()
        if self._make_checked is not None and now - self._make_checked[0] < MAKE_PROBE_SECONDS:
            return self._make_checked[1]
        verdict = await self._probe_make()
        self._make_checked = (now, verdict)
        return verdict

    async def _probe_make(self) -> str:
        """Any answer below 500 from the zone (a 401 for this credential-less request) means Make is there."""
        try:
            async with httpx2.AsyncClient(
                timeout=PROBE_TIMEOUT_SECONDS,
                transport=self._transport or AiohttpTransport(),
                trust_env=False,
                follow_redirects=False,
            ) as http:
                with anyio.fail_after(PROBE_TIMEOUT_SECONDS):
                    answer = await http.get(f"{self.settings.base_url}/users/me", headers={"User-Agent": USER_AGENT})
        except (httpx2.TransportError, TimeoutError) as error:
            return f"unreachable ({type(error).__name__})"
        return "ok" if answer.status_code < 500 else f"answering {answer.status_code}"


async def _alive(request: Request) -> Response:
    return JSONResponse({"alive": True})
