"""Streamable HTTP transport for many users: each request brings its own Make credential.

A request reaches MCP only after two checks: its Host and Origin are ones this server answers to (DNS rebinding),
and it carries a usable credential, either its own `Authorization: Token ...` / `Bearer ...` or, when the operator
allows it, the server's MAKE_API_KEY / MAKE_ACCESS_TOKEN. Anything else is answered 401 (or 403 / 421) with a
JSON-RPC error body. Each credential's scopes are learned from Make once and kept for a while under the
credential's hash; each call acts for its request's caller only (their credential and confirmations). With a
shared state (MAKE_REDIS_URL) the scopes and the refusals are kept there too, so every instance asks Make once.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import time
from collections.abc import AsyncIterator, Callable, Coroutine, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import anyio
from anyio.abc import TaskGroup
from mcp.server.auth.middleware.bearer_auth import AuthenticatedUser
from mcp.server.auth.provider import AccessToken
from mcp.server.context import ServerRequestContext
from mcp.server.lowlevel import Server
from mcp.server.streamable_http_manager import StreamableHTTPASGIApp
from mcp.server.transport_security import (
    DEFAULT_MAX_REQUEST_BODY_SIZE,
    TransportSecurityMiddleware,
    TransportSecuritySettings,
)
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from make_mcp.server.engine.call import Caller
from make_mcp.server.engine.confirmation import Confirmations
from make_mcp.server.engine.connect import open_make_client
from make_mcp.server.engine.scopes import read_scopes
from make_mcp.server.engine.selection import ToolChoice, catalogue_names
from make_mcp.server.errors import (
    AuthenticationFailed,
    MakeApiError,
    MakeError,
    MakeUnreachable,
    RateLimited,
    Unauthorized,
)
from make_mcp.server.http.answers import ByAnswerForm
from make_mcp.server.http.listings import KeptListings
from make_mcp.server.http.lookup_bounds import LookupBounds, TooManyLookups, client_address
from make_mcp.server.http.sessions import SharedSessions
from make_mcp.server.make_api.client import MakeClient
from make_mcp.server.protocol.app import build_server
from make_mcp.server.protocol.runner import ToolRunner
from make_mcp.server.protocol.scenario_tools_live import CallerTools
from make_mcp.server.protocol.sdk_private import lifespan_state
from make_mcp.server.protocol.task_store import sealer_for
from make_mcp.server.protocol.tasks import TaskManager
from make_mcp.server.scenario_tools.port import DiscoveryPort
from make_mcp.server.scenario_tools.store import ScenarioToolStore, caller_key
from make_mcp.server.scenario_tools.tools import ScenarioToolSettings
from make_mcp.server.support.bounded_cache import BoundedCache
from make_mcp.server.support.config import Settings
from make_mcp.server.support.sleep import Sleep
from make_mcp.server.support.state import LocalState, SharedState, StateUnavailable
from make_mcp.tools.catalogue import Operation

if TYPE_CHECKING:
    from make_mcp.server.builder.service import BuilderService

log = logging.getLogger("make_mcp.http")

MCP_PATH = "/mcp"
LOOPBACK_HOSTS = ("127.0.0.1:*", "localhost:*", "[::1]:*")
LOOPBACK_ORIGINS = ("http://127.0.0.1:*", "http://localhost:*", "http://[::1]:*")
SCOPE_CACHE_TTL_SECONDS = 300.0  # a token's scopes are asked again after this, so a changed grant shows up
SCOPE_CACHE_MAX_ENTRIES = 1024  # least recently used credentials are forgotten beyond this
REFUSAL_TTL_SECONDS = 30.0  # a credential Make refused is refused again without asking, for this long
MAX_CONCURRENT_LOOKUPS = 8  # scope lookups in flight at once over all credentials; more wait their turn
SCOPE_SETS_MAX_ENTRIES = 64  # tool listings kept for distinct grants; a runner keeps its own alive anyway
MAX_AUTHORIZATION_LENGTH = 4096
SERVER_CREDENTIAL = "server"  # cache key of requests served with the server's own credential
CALLER_SCOPE_KEY = "make_mcp.caller"  # the caller the gateway resolved for an HTTP request, for its MCP messages
GRANT_SCOPE_KEY = (
    "make_mcp.grant"  # make_mcp.server.http.remote_auth marks a request of one signed in with Make with their grant
)
CREDENTIAL_SCHEMES = {"token": "Token", "bearer": "Bearer"}
UNAUTHORIZED_CODE = -32001  # JSON-RPC's range for server-defined errors
SHARED_SCOPES = "scopes:"  # + a credential's fingerprint: its scopes in the shared state
SHARED_REFUSAL = "refused:"  # + a credential's fingerprint: Make refused it lately


@functools.lru_cache(maxsize=SCOPE_CACHE_MAX_ENTRIES)  # asked on every request: once per credential instead
def fingerprint(authorization: str) -> str:
    """What identifies a credential in caches and logs: its SHA-256, never the credential itself."""
    return hashlib.sha256(authorization.encode()).hexdigest()


@functools.lru_cache(maxsize=SCOPE_CACHE_MAX_ENTRIES)  # one per caller, not one per request
def user_of(key: str) -> AuthenticatedUser:
    """Who a request is in the SDK's terms (a stateful session stays theirs): the caller's key, no secret."""
    return AuthenticatedUser(AccessToken(token=key, client_id=key, scopes=[]))


def parse_authorization(header: str | None) -> str | None:
    """The normalized `Token x` / `Bearer x` header, None when there is none; Unauthorized when malformed."""
    if header is None or not header.strip():
        return None
    scheme, _, credential = header.strip().partition(" ")
    credential = credential.strip()
    canonical = CREDENTIAL_SCHEMES.get(scheme.lower())
    if (
        canonical is None
        or not credential
        or len(header) > MAX_AUTHORIZATION_LENGTH
        or not credential.isascii()
        or not credential.isprintable()
        or " " in credential  # the only whitespace that is printable ASCII
    ):
        raise Unauthorized(
            "malformed_credentials",
            "The Authorization header must be 'Token <Make API token>' or 'Bearer <Make OAuth access token>'.",
        )
    return f"{canonical} {credential}"


def transport_security(settings: Settings) -> TransportSecuritySettings:
    """Loopback Hosts and Origins always; the configured ones besides."""
    return TransportSecuritySettings(
        enable_dns_rebinding_protection=True,
        allowed_hosts=[*LOOPBACK_HOSTS, *_listed(settings.http_allowed_hosts)],
        allowed_origins=[*LOOPBACK_ORIGINS, *_listed(settings.http_allowed_origins)],
    )


def _listed(setting: str) -> list[str]:
    return [item.strip() for item in setting.split(",") if item.strip()]


def lends_server_credential(settings: Settings) -> bool:
    """Whether a request without its own credential is served with the server's (single-tenant use)."""
    has_one = settings.has_credentials or settings.sandbox
    return has_one and not settings.http_require_client_credentials


@dataclass(frozen=True)
class _Answer:
    """A credential's scopes (None: Make did not say) and for how many seconds they may be kept (0: not at all)."""

    scopes: frozenset[str] | None
    seconds: float


class _Lookup:
    """One credential's scope lookup in flight: other requests of that credential wait for its answer."""

    def __init__(self) -> None:
        self.done = anyio.Event()
        self.answer: _Answer | None = None


class _Refused(Unauthorized):
    """Make refused the credential; it stays refused for `seconds`."""

    def __init__(self, refusal: Unauthorized, seconds: float) -> None:
        super().__init__(refusal.reason, refusal.message)
        self.seconds = seconds


@dataclass(frozen=True)
class CallerEntry:
    """One credential's tools (a runner shared by every credential of the same grant) and whom its calls act for."""

    runner: ToolRunner
    caller: Caller
    scopes: frozenset[str] | None = None


class Callers:
    """Callers per credential: scopes learned once per credential hash, kept for a TTL, bounded in number.

    `shared` (Redis, when MAKE_REDIS_URL is set): the scopes and refusals are kept there as well, by the
    credential's hash and with their wall-clock end (`wall_clock`), so another instance uses them for the time
    they have left instead of asking Make again. The server's own credential is not shared: instances may differ.
    """

    def __init__(
        self,
        settings: Settings,
        client: MakeClient,
        confirmations: Confirmations,
        *,
        clock: Callable[[], float] = time.monotonic,
        ttl: float = SCOPE_CACHE_TTL_SECONDS,
        max_entries: int = SCOPE_CACHE_MAX_ENTRIES,
        choice: ToolChoice | None = None,  # None: the settings' (validated again)
        shared: SharedState | None = None,
        wall_clock: Callable[[], float] = time.time,
    ) -> None:
        self.settings = settings
        self._client = client
        self._confirmations = confirmations
        self._clock = clock
        self._ttl = ttl
        self._choice = choice if choice is not None else ToolChoice.from_settings(settings)
        self._entries: BoundedCache[str, CallerEntry] = BoundedCache(max_entries, clock=clock)
        # One runner per distinct set of scopes holds the catalogue and listing; credentials of one grant share it.
        self._runners: BoundedCache[frozenset[str] | None, ToolRunner] = BoundedCache(SCOPE_SETS_MAX_ENTRIES)
        # With a shared state, the builder's manifests are cached there for every instance.
        self._builder_service = None if shared is None else shared_builder(shared)
        # Every tool any caller could see: the input schemas the MCP server checks arguments against.
        self.schema_runner = self._runner_of(None)
        self.discoveries = 0  # how many times Make was asked for a credential's scopes
        self._refused: BoundedCache[str, bool] = BoundedCache(
            max_entries, clock=clock
        )  # credential hashes refused lately
        self._lookups: dict[str, _Lookup] = {}  # credential hash -> its lookup in flight
        self._lookup_slots = anyio.Semaphore(MAX_CONCURRENT_LOOKUPS)
        self._shared = shared
        self._wall_clock = wall_clock
        self._bounds = LookupBounds(settings, shared, clock if shared is None else wall_clock)
        # Each credential's own scenario tools (never shared: a runner of their own once they have any).
        self.scenario_store = ScenarioToolStore(
            ScenarioToolSettings.from_settings(settings), taken_names=catalogue_names(), max_callers=max_entries
        )
        self._scenario_tools: BoundedCache[str, tuple[CallerTools, frozenset[str] | None]] = BoundedCache(
            max_entries, on_evict=lambda key, _: self.scenario_store.forget(key)
        )
        self.background: TaskGroup | None = None  # where discovery runs (the lifespan's); None: within the request

    def credential(self, headers: Mapping[str, str]) -> str | None:
        """The request's own credential, or None for the server's; Unauthorized when there is no usable one."""
        own = parse_authorization(headers.get("authorization"))
        if own is not None:
            return own
        if lends_server_credential(self.settings):
            return None
        raise Unauthorized(
            "missing_credentials",
            "This server needs your Make credential: send 'Authorization: Token <Make API token>' "
            "or 'Authorization: Bearer <Make OAuth access token>' with every request.",
        )

    async def runner_for(self, ctx: ServerRequestContext[Any]) -> ToolRunner:
        """The tools of the credential on the HTTP request that carried this MCP message."""
        return (await self._entry_for(ctx)).runner

    async def caller_for(self, ctx: ServerRequestContext[Any]) -> Caller:
        """Whom a call carried by this HTTP request acts for."""
        return (await self._entry_for(ctx)).caller

    async def scenario_tools_for(self, ctx: ServerRequestContext[Any]) -> CallerTools:
        """The scenario tools of the credential on this request: found in the background on first use, found
        again in the background once older than MAKE_SCENARIO_REFRESH."""
        entry = await self._entry_for(ctx)
        authorization = entry.caller.authorization
        key = caller_key(authorization)
        known = self._scenario_tools.get(key)
        if known is None:
            port = DiscoveryPort(self._client, authorization)
            tools = CallerTools(self.scenario_store, key, port, self._builder(entry.scopes), self.background)
            self._scenario_tools.put(key, (tools, entry.scopes))
            await self._in_background(tools.discover)
            return tools
        tools, scopes = known
        if scopes != entry.scopes:  # the grant changed: the same scenario tools over the new catalogue
            tools.rebuild(self._builder(entry.scopes))
            self._scenario_tools.put(key, (tools, entry.scopes))
        if tools.found.is_set() and self.scenario_store.is_stale(key) and not tools.refreshing:
            await self._in_background(tools.refresh)
        return tools

    def _builder(self, scopes: frozenset[str] | None) -> Callable[[tuple[Operation, ...]], ToolRunner]:
        def build(scenario_tools: tuple[Operation, ...]) -> ToolRunner:
            if not scenario_tools:
                return self._runner_of(scopes)
            catalogue = self._choice.select(scopes, extra=scenario_tools)
            return ToolRunner(
                self.settings, self._client, catalogue, self._confirmations, builder=self._builder_service
            )

        return build

    async def _in_background(self, work: Callable[[], Coroutine[Any, Any, Any]]) -> None:
        if self.background is not None:
            self.background.start_soon(work)
        else:
            await work()

    async def _entry_for(self, ctx: ServerRequestContext[Any]) -> CallerEntry:
        request = ctx.request
        if not isinstance(request, Request):
            raise Unauthorized("missing_credentials", "This MCP message came without an HTTP request to identify.")
        resolved = request.scope.get(CALLER_SCOPE_KEY)  # the gateway's, once per HTTP request
        if isinstance(resolved, CallerEntry):
            return resolved
        address = functools.partial(client_address, request.scope, self.settings.http_trust_forwarded)
        return await self.entry(self.credential(request.headers), address)

    async def entry(self, authorization: str | None, address: Callable[[], str] = lambda: "unknown") -> CallerEntry:
        """The caller of `authorization` (None: the server's credential); Unauthorized when Make refuses it,
        TooManyLookups when Make would have to be asked and `address()` (or everyone) asked too often lately.
        (`address` is worked out only then: most requests are of a credential already known.)"""
        key = SERVER_CREDENTIAL if authorization is None else fingerprint(authorization)
        cached = self._entries.get(key)
        if cached is not None:
            return cached
        # Two first requests of one credential at once share one lookup (see _discover).
        answer = await self._discover(authorization, key, address())
        # One caller's token confirms nothing for another.
        caller = Caller(authorization, self._confirmations.for_subject(key))
        entry = CallerEntry(self._runner_of(answer.scopes), caller, answer.scopes)
        if answer.seconds > 0:
            self._entries.put(key, entry, ttl=answer.seconds)
        else:
            self._entries.pop(key)
        return entry

    def _runner_of(self, scopes: frozenset[str] | None) -> ToolRunner:
        # (A caller with tools of their own, such as their scenarios, will need a runner of their own:
        # `self._choice.select(scopes, extra=their_tools)`, kept in their entry instead of shared here.)
        runner = self._runners.get(scopes)
        if runner is None:
            runner = ToolRunner(
                self.settings,
                self._client,
                self._choice.select(scopes),
                self._confirmations,
                builder=self._builder_service,
            )
            self._runners.put(scopes, runner)
        return runner

    async def _discover(self, authorization: str | None, key: str, address: str) -> _Answer:
        """The credential's scopes and how long they may be kept.

        One lookup per credential at a time (requests arriving meanwhile share its answer), at most
        MAX_CONCURRENT_LOOKUPS over all credentials, and a refusal is remembered for REFUSAL_TTL_SECONDS: a
        flood of requests with a wrong token costs Make one request, not one each."""
        while True:
            if self._refused.peek(key):
                raise _rejected(authorization)
            pending = self._lookups.get(key)
            if pending is None:
                break
            await pending.done.wait()
            if pending.answer is not None:
                return pending.answer
            # That lookup was refused (the loop sees it) or did not finish: look again.
        lookup = self._lookups[key] = _Lookup()
        try:
            async with self._lookup_slots:
                lookup.answer = await self._learn(authorization, key, address)
        except _Refused as refused:
            self._refused.put(key, True, ttl=refused.seconds)
            raise
        finally:
            del self._lookups[key]
            lookup.done.set()
        return lookup.answer

    async def _learn(self, authorization: str | None, key: str, address: str) -> _Answer:
        """What another instance learned lately (the shared state), else Make's answer (within the lookup bounds),
        shared for the others."""
        shares = self._shared is not None and key != SERVER_CREDENTIAL
        if shares:
            known = await self._shared_answer(authorization, key)
            if known is not None:
                return known
        await self._bounds.admit(address)
        try:
            answer = await self._ask_make(authorization, key)
        except _Refused:
            if shares:
                await self._share(SHARED_REFUSAL + key, {}, REFUSAL_TTL_SECONDS)
            raise
        if shares and answer.seconds > 0:
            scopes = None if answer.scopes is None else sorted(answer.scopes)
            await self._share(SHARED_SCOPES + key, {"scopes": scopes}, answer.seconds)
        return answer

    async def _shared_answer(self, authorization: str | None, key: str) -> _Answer | None:
        """The credential's refusal or scopes as another instance stored them, for the time they have left."""
        refusal = await self._shared_value(SHARED_REFUSAL + key)
        if refusal is not None:
            raise _Refused(_rejected(authorization), refusal[1])
        found = await self._shared_value(SHARED_SCOPES + key)
        if found is None:
            return None
        value, left = found
        scopes = value.get("scopes")
        if scopes is None:
            return _Answer(None, left)
        if not isinstance(scopes, list) or not all(isinstance(scope, str) for scope in scopes):  # pyright: ignore[reportUnknownVariableType]
            return None  # not what this module stores: ask Make
        return _Answer(frozenset(scopes), min(left, self._ttl))  # pyright: ignore[reportUnknownArgumentType]

    async def _shared_value(self, name: str) -> tuple[dict[str, Any], float] | None:
        """A value of this module's in the shared state and its seconds left; None when there is none (or the
        state does not answer: Make can still be asked)."""
        assert self._shared is not None
        try:
            raw = await self._shared.get(name)
        except StateUnavailable as error:
            log.warning("%s", error)
            return None
        if raw is None:
            return None
        try:
            value = json.loads(raw)
            left = float(value["until"]) - self._wall_clock()
        except (ValueError, KeyError, TypeError):
            return None
        return (value, left) if isinstance(value, dict) and left > 0 else None  # pyright: ignore[reportUnknownVariableType]

    async def _share(self, name: str, value: dict[str, Any], seconds: float) -> None:
        assert self._shared is not None
        stored = {**value, "until": self._wall_clock() + seconds}
        try:
            await self._shared.put(name, json.dumps(stored).encode(), seconds)
        except StateUnavailable as error:  # this instance still knows it; the others ask Make themselves
            log.warning("%s", error)

    async def _ask_make(self, authorization: str | None, key: str) -> _Answer:
        self.discoveries += 1
        try:
            scopes = await read_scopes(self._client, authorization)
        except AuthenticationFailed:
            log.info("credential %s refused by Make", key[:12])
            raise _Refused(_rejected(authorization), REFUSAL_TTL_SECONDS) from None
        except MakeError as error:
            transient = isinstance(error, (MakeUnreachable, RateLimited)) or (
                isinstance(error, MakeApiError) and error.status >= 500
            )
            log.warning("scopes of credential %s unknown, listing every tool: %s", key[:12], type(error).__name__)
            return _Answer(None, 0.0 if transient else self._ttl)
        log.info("credential %s: %s", key[:12], "scopes unknown" if scopes is None else f"{len(scopes)} scopes")
        return _Answer(scopes, self._ttl)


def _rejected(authorization: str | None) -> Unauthorized:
    whose = "the server's" if authorization is None else "this"
    return Unauthorized(
        "rejected_credentials",
        f"Make did not accept {whose} credential (401): check the token, that it has not expired, "
        "and that it belongs to this server's zone.",
    )


def refusal_response(status: int, reason: str, message: str, headers: Mapping[str, str] | None = None) -> JSONResponse:
    body = {
        "jsonrpc": "2.0",
        "id": None,
        "error": {"code": UNAUTHORIZED_CODE, "message": message, "data": {"reason": reason}},
    }
    return JSONResponse(body, status_code=status, headers=dict(headers or {}))


class McpGateway:
    """The ASGI endpoint at /mcp: Host/Origin and credential checks, then the MCP streamable HTTP app."""

    def __init__(
        self,
        settings: Settings,
        *,
        clock: Callable[[], float] = time.monotonic,
        shared: SharedState | None = None,
        wall_clock: Callable[[], float] = time.time,
        sleep: Sleep = anyio.sleep,
    ) -> None:
        """`shared`: the state of every instance behind one address (MAKE_REDIS_URL), which then holds the rate
        budget, the scopes and the refusals; `wall_clock` is read there (all instances read the same time)."""
        self.choice = ToolChoice.from_settings(settings)  # an unknown toolset stops start-up, not the first request
        self.settings = settings
        self.security = transport_security(settings)
        self.callers: Callers | None = None
        self._clock = clock
        self._shared = shared
        self._wall_clock = wall_clock
        self._sleep = sleep
        self._mcp: ASGIApp | None = None
        self._sessions: SharedSessions | None = None  # stateful with a shared state: sessions every instance serves
        self._origin_check = TransportSecurityMiddleware(self.security)

    @asynccontextmanager
    async def lifespan(self, app: Starlette) -> AsyncIterator[None]:
        shared, wall_clock = self._shared, self._wall_clock
        budget_clock = None if shared is None else wall_clock
        client_settings = _client_settings(self.settings)
        async with open_make_client(client_settings, sleep=self._sleep, clock=budget_clock, shared=shared) as client:
            confirmations = Confirmations.from_setting(
                None if self.settings.confirm_secret is None else self.settings.confirm_secret.get_secret_value()
            )
            callers = Callers(
                self.settings,
                client,
                confirmations,
                clock=self._clock,
                choice=self.choice,
                shared=shared,
                wall_clock=wall_clock,
            )
            tasks = TaskManager(
                shared or LocalState(clock=wall_clock),
                sealer=sealer_for(self.settings.state_key, shared is not None),
                clock=wall_clock,
                sleep=self._sleep,
            )
            server = build_server(
                callers.schema_runner,
                runner_for=callers.runner_for,
                caller_for=callers.caller_for,
                scenario_tools_for=callers.scenario_tools_for,
                first_listing_wait=self.settings.http_first_listing_wait,
                tasks=tasks,
                pushes=not self.settings.http_stateless,
            )
            async with self._endpoint(server) as mcp_app, anyio.create_task_group() as background:
                callers.background = background  # scenario tool discovery of each caller
                tasks.attach(background)  # the workers of tasks
                self.callers, self._mcp = callers, mcp_app
                if shared is not None and not self.settings.http_stateless:
                    self._sessions = SharedSessions(server.session_manager, shared)
                try:
                    yield
                finally:
                    self.callers = self._mcp = self._sessions = None
                    background.cancel_scope.cancel()

    @asynccontextmanager
    async def _endpoint(self, server: Server[Any]) -> AsyncIterator[ASGIApp]:
        """The SDK's streamable HTTP for `server`, running. Stateless, the requests that ask for no progress are
        answered with one JSON body where they arrive (server/http/answers.py), and tools/list from the wire forms
        kept (KeptListings: stateless connections are born ready)."""
        server.streamable_http_app(  # makes the session manager; its Starlette app would only route to it
            streamable_http_path=MCP_PATH,
            stateless_http=self.settings.http_stateless,
            transport_security=self.security,
            host=self.settings.host,
        )
        streams = server.session_manager
        if not self.settings.http_stateless:
            async with streams.run():
                yield StreamableHTTPASGIApp(streams)
            return
        listings = KeptListings(server)
        server.middleware.append(listings)
        async with streams.run():
            yield ByAnswerForm(
                server, listings, StreamableHTTPASGIApp(streams), DEFAULT_MAX_REQUEST_BODY_SIZE, lifespan_state(streams)
            )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self._mcp is None or self.callers is None:
            await refusal_response(503, "not_ready", "The server is starting or stopping; try again.")(
                scope, receive, send
            )
            return
        request = Request(scope, receive)
        refused = await self._origin_check.validate_request(request, is_post=False)
        if refused is not None:
            what = "Host" if refused.status_code == 421 else "Origin"
            message = f"This server does not answer to this {what}; see MAKE_HTTP_ALLOWED_{what.upper()}S."
            await refusal_response(refused.status_code, f"invalid_{what.lower()}", message)(scope, receive, send)
            return
        if self.settings.http_stateless and request.method == "GET":
            # Stateless, no request outlives its answer, so a GET stream would never carry anything.
            message = "This server is stateless: it opens no event stream; send requests with POST."
            await refusal_response(405, "method_not_allowed", message, {"Allow": "POST"})(scope, receive, send)
            return
        try:
            authorization = self.callers.credential(request.headers)
            address = functools.partial(client_address, scope, self.settings.http_trust_forwarded)
            # Now, so a refused token never reaches MCP; the request's messages use this resolution.
            scope[CALLER_SCOPE_KEY] = await self.callers.entry(authorization, address)
        except Unauthorized as refusal:
            challenge = {"WWW-Authenticate": 'Token realm="make-mcp", Bearer realm="make-mcp"'}
            await refusal_response(401, refusal.reason, refusal.message, challenge)(scope, receive, send)
            return
        except TooManyLookups as busy:
            log.info("scope lookup refused: %s", busy)
            message = (
                f"Too many new credentials {busy.whose} to ask Make about lately; "
                f"try again in {busy.retry_after} s (a credential already known is served meanwhile)."
            )
            await refusal_response(429, "too_many_lookups", message, {"Retry-After": busy.retry_after})(
                scope, receive, send
            )
            return
        # A stateful session stays with the credential that opened it (the SDK compares these identities).
        key = SERVER_CREDENTIAL if authorization is None else fingerprint(authorization)
        key = scope.get(GRANT_SCOPE_KEY) or key  # one signed in with Make stays themselves when Make's token renews
        scope["user"] = user_of(key)
        if self._sessions is not None:
            await self._sessions(scope, receive, send, key, self._mcp)
            return
        await self._mcp(scope, receive, send)


def _client_settings(settings: Settings) -> Settings:
    """Make's rate limit is per organization and many callers spend many organizations' limits: no budget unless
    MAKE_RATE_LIMIT asks for one (then a cap on the whole process, or with MAKE_REDIS_URL on every instance)."""
    if settings.rate_limit is None:
        return settings.model_copy(update={"rate_limit": 0})
    return settings


def shared_builder(shared: SharedState) -> BuilderService:
    """The builder of every instance using `shared`: its manifests cached there."""
    from make_mcp.server.builder.service import BuilderService  # only when there is a shared state

    return BuilderService(shared)
