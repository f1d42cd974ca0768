"""Wires settings, the Make client (real or sandbox), the catalogue and a transport together."""

from __future__ import annotations

import gc
import logging
from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any

import anyio
from anyio.abc import TaskGroup

from make_mcp.server.engine.confirmation import Confirmations
from make_mcp.server.engine.connect import new_make_client, set_rate_budget
from make_mcp.server.engine.scopes import discover_scopes
from make_mcp.server.engine.selection import ToolChoice, catalogue_names
from make_mcp.server.make_api.client import MakeClient, RequestBudget
from make_mcp.server.protocol.app import build_server
from make_mcp.server.protocol.runner import ToolRunner
from make_mcp.server.protocol.scenario_tools_live import FIRST_LISTING_WAIT_SECONDS, CallerTools
from make_mcp.server.protocol.stdio import serve, stdio_streams
from make_mcp.server.protocol.task_store import sealer_for
from make_mcp.server.protocol.tasks import TaskManager
from make_mcp.server.scenario_tools.port import DiscoveryPort
from make_mcp.server.scenario_tools.store import ScenarioToolStore, caller_key
from make_mcp.server.scenario_tools.tools import ScenarioTools, ScenarioToolSettings, find_scenario_tools
from make_mcp.server.support.collection import collect_less_often
from make_mcp.server.support.config import Settings
from make_mcp.server.support.metrics import stop_recording
from make_mcp.server.support.sleep import Sleep
from make_mcp.server.support.state import open_state
from make_mcp.tools.catalogue import Operation

log = logging.getLogger("make_mcp")


async def serve_stdio(settings: Settings) -> None:
    """Serves MCP over stdio; `initialize` is answered while Make is still asked about the token.

    The scopes and the rate limit are asked for at once, while the client initializes; tools/list and
    tools/call wait for them, so they answer exactly as if the server had asked before serving.
    """
    choice = ToolChoice.from_settings(settings)  # a bad setting stops us before we serve
    stop_recording()  # stdio serves no /metrics
    collecting = gc.isenabled()
    gc.disable()  # until started: see collect_once_started
    client, budget = new_make_client(settings)
    # With MAKE_REDIS_URL a task outlives this process: the client's next server follows it on.
    redis_url = settings.redis_url
    state = open_state(None if redis_url is None else redis_url.get_secret_value())
    try:
        startup = Startup(settings, client, budget, choice)
        manager = TaskManager(state, sealer=sealer_for(settings.state_key, redis_url is not None))
        server = build_server(
            None,
            runner_for=startup.runner,
            settings=settings,
            scenario_tools_for=startup.scenario_tools,
            tasks=manager,
            listing_for=startup.listing,
        )
        async with stdio_streams() as (read_stream, write_stream), anyio.create_task_group() as tasks:
            manager.attach(tasks)
            startup.background = tasks
            tasks.start_soon(startup.run, tasks.cancel_scope)
            tasks.start_soon(collect_once_started, startup, collecting)
            tasks.start_soon(startup.keep_scenario_tools_fresh)
            await serve(server, read_stream, write_stream)
            tasks.cancel_scope.cancel()
        startup.raise_failure()
    finally:
        if collecting:
            gc.enable()
        await client.aclose()
        await state.aclose()


async def collect_once_started(startup: Startup, collecting: bool) -> None:
    """Start-up (the sandbox, the client, the runner, the client's first messages) makes many objects that live
    as long as the process and little garbage: collections meanwhile find next to nothing, at a tenth of the
    start-up's time. Once started, what it made is frozen (later collections skip it) and collection resumes,
    less often (server/support/collection.py)."""
    await startup.started()
    gc.freeze()
    collect_less_often()
    if collecting:
        gc.enable()


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
        self.background: TaskGroup | None = None  # where scenario tools are refreshed after a call; None: within it
        self.store = ScenarioToolStore(ScenarioToolSettings.from_settings(settings), taken_names=catalogue_names())

    async def started(self) -> None:
        """Returns once Make has answered the start-up's questions and the tools are known, or start-up failed."""
        await self._ready.wait()

    async def runner(self, ctx: Any = None) -> ToolRunner:
        """The runner, once the catalogue is known (waits until then); the scenario tools found so far first."""
        return (await self.scenario_tools(ctx)).runner

    async def scenario_tools(self, ctx: Any = None) -> CallerTools:
        if not self._ready.is_set():  # anyio's wait yields to the loop even when set: once per call, for nothing
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
            self._tools = CallerTools(
                self.store, caller_key(None), DiscoveryPort(self.client, None), self._build, self.background
            )

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


def stdio_confirmations(settings: Settings) -> Confirmations:
    """Over stdio a client may start a new process for each call: the key is kept in the config directory."""
    from make_mcp.server.make_api.auth import config_dir

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
