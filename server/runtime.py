"""Wires settings, the Make client (real or sandbox), the catalogue and a transport together."""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from functools import partial
from typing import Any
from urllib.parse import urlsplit

import anyio
import httpx2

from server.app import ToolRunner, build_server
from server.client import Credentials, MakeClient, RateBudget, RequestBudget, RetryPolicy, Sleep
from server.config import Settings
from server.confirmation import Confirmations
from server.errors import MakeError
from server.internal import internal_request
from server.scenario_tools.live import FIRST_LISTING_WAIT_SECONDS, CallerTools, DiscoveryPort
from server.scenario_tools.store import ScenarioToolStore, caller_key
from server.scenario_tools.tools import ScenarioTools, ScenarioToolSettings, find_scenario_tools
from server.scopes import discover_scopes
from server.selection import Catalogue, ToolChoice
from server.state import SharedRateBudget, SharedState
from server.stdio import stdio_streams
from tools.catalogue import Operation
from tools.conventions import ORGANIZATION_OPERATION, ORGANIZATIONS_OPERATION
from tools.registry import ALL_OPERATIONS

log = logging.getLogger("make_mcp")

SANDBOX_BASE_URL = "http://sandbox.make-mcp.invalid/api/v2"
LOWEST_PLAN_RATE_LIMIT = 60  # requests per minute on Make's Core plan


@asynccontextmanager
async def open_make_client(
    settings: Settings,
    *,
    sleep: Sleep = anyio.sleep,
    clock: Callable[[], float] | None = None,
    credentials: Credentials | None = None,
    shared: SharedState | None = None,
) -> AsyncIterator[MakeClient]:
    """The one client of the process: to Make's zone, or to an in-process sandbox; with its rate budget.

    Credentials: MAKE_API_KEY, else MAKE_ACCESS_TOKEN, else the tokens `make-mcp login` stored (renewed as
    they expire); `credentials` replaces that choice (tests). `shared`: the state of every instance (Redis),
    which then holds the rate budget.
    """
    client, budget = new_make_client(settings, sleep=sleep, clock=clock, credentials=credentials, shared=shared)
    try:
        await set_rate_budget(settings, client, budget)
        yield client
    finally:
        await client.aclose()


def new_make_client(
    settings: Settings,
    *,
    sleep: Sleep = anyio.sleep,
    clock: Callable[[], float] | None = None,
    credentials: Credentials | None = None,
    shared: SharedState | None = None,
) -> tuple[MakeClient, RequestBudget | None]:
    """The client, not yet asked anything, and its rate budget (None when there is none)."""
    retry = RetryPolicy(
        max_retries=settings.max_retries,
        max_retry_after=settings.max_retry_wait,
        deadline=settings.call_deadline or None,
    )
    budget = new_rate_budget(settings, sleep=sleep, clock=clock, shared=shared)
    if settings.sandbox:
        from server.sandbox import SANDBOX_TOKEN, SandboxState, create_sandbox_app

        transport = httpx2.ASGITransport(app=create_sandbox_app(SandboxState.demo()))
        client = MakeClient(
            SANDBOX_BASE_URL,
            authorization=f"Token {SANDBOX_TOKEN}",
            timeout=settings.timeout,
            retry=retry,
            transport=transport,
            sleep=sleep,
            budget=budget,
        )
    else:
        from server.auth import credentials_for

        client = MakeClient(
            settings.base_url,
            credentials=credentials if credentials is not None else credentials_for(settings),
            timeout=settings.timeout,
            retry=retry,
            sleep=sleep,
            budget=budget,
        )
    return client, budget


def new_rate_budget(
    settings: Settings,
    *,
    sleep: Sleep = anyio.sleep,
    clock: Callable[[], float] | None = None,
    shared: SharedState | None = None,
) -> RequestBudget | None:
    """This process's budget, or with `shared` one budget per organization for every instance using that state;
    None when there is none. `clock` defaults to monotonic time, or wall-clock time for a shared budget (every
    instance must read the same clock)."""
    # The built-in sandbox has no rate limit, so it gets a budget only when one is asked for.
    if settings.rate_limit == 0 or (settings.sandbox and settings.rate_limit is None):
        return None
    per_minute = settings.rate_limit or LOWEST_PLAN_RATE_LIMIT
    if shared is None:
        return RateBudget(per_minute, clock=clock or time.monotonic, sleep=sleep)
    return SharedRateBudget(shared, rate_budget_key(settings), per_minute, clock=clock or time.time, sleep=sleep)


def rate_budget_key(settings: Settings) -> str:
    """Make counts requests per organization of a zone: MAKE_ORGANIZATION's, else one budget for the zone."""
    zone = "sandbox" if settings.sandbox else urlsplit(settings.base_url).netloc
    return f"{zone}:org:{settings.organization or 'any'}"


async def set_rate_budget(settings: Settings, client: MakeClient, budget: RequestBudget | None) -> None:
    """Learns the organization's API limit for the budget, unless MAKE_RATE_LIMIT gives it (or there is no budget)."""
    if budget is not None and settings.rate_limit is None:
        budget.per_minute = await learn_rate_limit(client, settings.organization)
        log.info("rate budget: %d requests per minute", budget.per_minute)


async def learn_rate_limit(client: MakeClient, organization_id: int | None) -> int:
    """The organization's API limit (license.apiLimit); the lowest plan's when Make does not tell it."""
    try:
        if organization_id is None:
            listed = await client.send(internal_request(ORGANIZATIONS_OPERATION))
            organizations = _field(listed, "organizations")
            ids = [_field(org, "id") for org in organizations] if isinstance(organizations, list) else []
            if len(ids) != 1 or not isinstance(ids[0], int):
                log.info("rate budget: not exactly one organization; set MAKE_ORGANIZATION or MAKE_RATE_LIMIT")
                return LOWEST_PLAN_RATE_LIMIT
            organization_id = ids[0]
        body = await client.send(internal_request(ORGANIZATION_OPERATION, organizationId=organization_id))
    except MakeError as error:
        log.warning("could not learn the organization's API limit: %s", error.message().splitlines()[0])
        return LOWEST_PLAN_RATE_LIMIT
    limit = _field(_field(_field(body, "organization"), "license"), "apiLimit")
    if isinstance(limit, int) and not isinstance(limit, bool) and limit > 0:
        return limit
    return LOWEST_PLAN_RATE_LIMIT


def _field(value: Any, key: str) -> Any:
    return value.get(key) if isinstance(value, dict) else None  # pyright: ignore[reportUnknownMemberType]


async def load_catalogue(settings: Settings, client: MakeClient) -> Catalogue:
    """The tools this configuration offers: toolsets, read-only mode and the token's scopes applied."""
    choice = ToolChoice.from_settings(settings)
    return choice.select(await discover_scopes(client))


async def serve_stdio(settings: Settings) -> None:
    """Serves MCP over stdio; `initialize` is answered while Make is still asked about the token.

    The scopes and the rate limit are asked for at once, while the client initializes; tools/list and
    tools/call wait for them, so they answer exactly as if the server had asked before serving.
    """
    choice = ToolChoice.from_settings(settings)  # a bad setting stops us before we serve
    client, budget = new_make_client(settings)
    try:
        startup = Startup(settings, client, budget, choice)
        server = build_server(
            None,
            runner_for=startup.runner,
            settings=settings,
            scenario_tools_for=startup.scenario_tools,
            listing_for=startup.listing,
        )
        async with stdio_streams() as (read_stream, write_stream), anyio.create_task_group() as tasks:
            tasks.start_soon(startup.run, tasks.cancel_scope)
            tasks.start_soon(startup.keep_scenario_tools_fresh)
            await server.run(read_stream, write_stream, server.create_initialization_options())
            tasks.cancel_scope.cancel()
        startup.raise_failure()
    finally:
        await client.aclose()


class Startup:
    """What a server learns from Make before its tools are known: the token's scopes and the rate limit; then,
    in the background, the scenarios the token may run as tools (and again every MAKE_SCENARIO_REFRESH).

    tools/call waits for the scopes. tools/list waits for them at most MAKE_LISTING_WAIT: a Make that stalls
    then gets every tool of the chosen toolsets listed (the scope check left to Make at call time, as when the
    scopes cannot be learned), and notifications/tools/list_changed once the scopes are known."""

    def __init__(
        self,
        settings: Settings,
        client: MakeClient,
        budget: RequestBudget | None,
        choice: ToolChoice,
        *,
        sleep: Sleep = anyio.sleep,  # between periodic re-checks of the scenario tools; the listing's wait
    ) -> None:
        self.settings = settings
        self.client = client
        self.budget = budget
        self.choice = choice
        self._sleep = sleep
        self._ready = anyio.Event()
        self._granted: frozenset[str] | None = None  # None: not known (yet), every tool
        self._confirmations: Confirmations | None = None
        self._tools: CallerTools | None = None
        self._failure: Exception | None = None
        self.store = ScenarioToolStore(ScenarioToolSettings.from_settings(settings), taken_names=catalogue_names())

    async def runner(self, ctx: Any = None) -> ToolRunner:
        """The runner, once the catalogue is known (waits until then); the scenario tools found so far first."""
        return (await self.scenario_tools(ctx)).runner

    async def scenario_tools(self, ctx: Any = None) -> CallerTools:
        await self._ready.wait()
        if self._tools is None:
            raise RuntimeError("the server could not start") from self._failure
        return self._tools

    async def listing(self, ctx: Any = None) -> ToolRunner:
        """The runner of tools/list: as `runner` once the scopes are known, else after MAKE_LISTING_WAIT seconds
        the one listing every tool (see the class's docstring)."""
        wait = self.settings.listing_wait
        if not await self._ready_within(wait) and self._tools is not None:
            log.warning(
                "Make has not told the token's scopes within %g s: listing every tool for now "
                "(tools/list_changed follows once it does)",
                wait,
            )
            return await self._tools.listing_runner(ctx, 0)
        return await (await self.scenario_tools(ctx)).listing_runner(ctx, FIRST_LISTING_WAIT_SECONDS)

    async def _ready_within(self, seconds: float) -> bool:
        if not self._ready.is_set():
            async with anyio.create_task_group() as race:

                async def first(wait: Callable[[], Awaitable[Any]]) -> None:
                    await wait()
                    race.cancel_scope.cancel()

                race.start_soon(first, self._ready.wait)
                race.start_soon(first, partial(self._sleep, seconds))
        return self._ready.is_set()

    async def run(self, on_failure: anyio.CancelScope | None = None) -> None:
        """Asks Make (both questions at once), then builds the runner; a failure cancels `on_failure`. Then
        finds the scenario tools (tools/list waits for them a little, tools/call of one of them until found)."""
        try:
            self._confirmations = stdio_confirmations(self.settings)
            self._tools = CallerTools(self.store, caller_key(None), DiscoveryPort(self.client, None), self._build)

            async def scopes() -> None:
                self._granted = await discover_scopes(self.client)

            async with anyio.create_task_group() as questions:
                questions.start_soon(scopes)
                questions.start_soon(set_rate_budget, self.settings, self.client, self.budget)
            self._tools.rebuild(self._build)  # the scopes known now
            log.info("serving %d tools over stdio", len(self._tools.runner.catalogue.operations))
        except Exception as error:
            self._tools = None
            self._failure = _single(error)
            if on_failure is not None:
                on_failure.cancel()
            return
        finally:
            self._ready.set()
        if self._granted is not None:  # a listing served meanwhile showed every tool
            await self._tools.announce_if_listed()
        await self._tools.discover()
        found = self._tools.tools
        log.info("scenario tools: %d", len(found.operations) if found is not None else 0)

    def _build(self, scenario_tools: tuple[Operation, ...]) -> ToolRunner:
        assert self._confirmations is not None
        catalogue = self.choice.select(self._granted, extra=scenario_tools)
        return ToolRunner(self.settings, self.client, catalogue, self._confirmations, sleep=self._sleep)

    async def keep_scenario_tools_fresh(self) -> None:
        """The periodic re-check of the scenario tools (MAKE_SCENARIO_REFRESH), until cancelled."""
        refresh = self.store.config.refresh_seconds
        if refresh is None or self.store.config.choice.mode == "off":
            return
        await self._ready.wait()
        if self._tools is not None:  # else the start-up failed, and says so
            await self._tools.refresh_every(refresh, self._sleep)

    def raise_failure(self) -> None:
        if self._failure is not None:
            raise self._failure


def catalogue_names() -> frozenset[str]:
    """The names scenario tools must never take: every catalogue tool's and discovery's."""
    from server.discovery import DISCOVERY_TOOLS

    return frozenset(op.name for op in ALL_OPERATIONS) | frozenset(DISCOVERY_TOOLS)


def stdio_confirmations(settings: Settings) -> Confirmations:
    """Over stdio a client may start a new process for each call: the key is kept in the config directory."""
    from server.auth import config_dir

    secret = settings.confirm_secret
    return Confirmations.for_stdio(None if secret is None else secret.get_secret_value(), config_dir())


def _single(error: Exception) -> Exception:
    """The first real error inside task-group wrappers, so callers can catch it by its own type."""
    while isinstance(error, ExceptionGroup) and error.exceptions:
        error = error.exceptions[0]  # pyright: ignore[reportUnknownMemberType]
    return error


async def find_own_scenario_tools(settings: Settings, client: MakeClient) -> ScenarioTools:
    """The server credential's scenario tools, found once (doctor and `make-mcp tools`)."""
    config = ScenarioToolSettings.from_settings(settings)
    return await find_scenario_tools(DiscoveryPort(client, None), config, taken_names=catalogue_names())


async def print_tools(settings: Settings, as_json: bool) -> None:
    """Writes what serving this configuration would list to stdout (a command of its own, not the MCP server):
    with `as_json` the tools/list payload itself, else a line per listed tool and what tools_call reaches besides."""
    import sys

    from server.discovery import CALL_TOOL
    from server.listing import listing

    async with open_make_client(settings) as client:
        scenario_tools = await find_own_scenario_tools(settings, client)
        choice = ToolChoice.from_settings(settings)
        catalogue = choice.select(await discover_scopes(client), extra=scenario_tools.operations)
    listed = listing(catalogue, mode=settings.tool_mode, confirm=settings.confirm_destructive)
    if as_json:
        sys.stdout.write(listed.model_dump_json(by_alias=True, exclude_none=True) + "\n")
        return
    for tool in listed.tools:
        op = catalogue.by_name.get(tool.name)
        if op is None:  # a discovery tool
            sys.stdout.write(f"{tool.name:48} {'discovery':24} {'any' if tool.name == CALL_TOOL else 'read':5}\n")
            continue
        sys.stdout.write(
            f"{op.name:48} {op.toolset:24} {'read' if op.read_only else 'write':5} {op.method} {op.path}\n"
        )
    names = {tool.name for tool in listed.tools}
    reached = sum(1 for op in catalogue.operations if op.name not in names)
    more = f"; tools_call reaches {reached} more" if reached else ""
    for line in scenario_tools.report():
        sys.stdout.write(f"left out: {line}\n")
    sys.stdout.write(f"{len(listed.tools)} tools listed in {settings.tool_mode} mode{more}\n")


def serve_sandbox(host: str, port: int, rate_limit: int | None) -> None:
    """Serves the sandbox Make API over HTTP, for pointing a server or a benchmark at it."""
    import uvicorn

    from server.sandbox import SandboxState, create_sandbox_app

    state = SandboxState.demo()
    state.rate_limit_per_minute = rate_limit
    log.warning("sandbox Make API on http://%s:%d/api/v2 (its demo token is in the README)", host, port)
    uvicorn.run(create_sandbox_app(state), host=host, port=port, log_level="warning")


async def doctor(settings: Settings) -> bool:
    import sys

    from server.doctor import run_doctor

    async with open_make_client(settings) as client:
        return await run_doctor(settings, client, sys.stdout)
