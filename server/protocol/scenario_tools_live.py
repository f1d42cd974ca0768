"""A caller's scenario tools in a running server: found in the background, listed first, kept fresh, announced.

`CallerTools` holds one caller's current runner (the catalogue with their scenario tools first) and rebuilds it
when discovery finds another set. Its announcer (server/protocol/announcer.py, one per caller, so one user's
changes never reach another user's clients) tells that caller's clients that tools/list changed, and which of
their resources changed after their calls and tasks.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, cast

import anyio
from anyio.abc import TaskGroup
from mcp.server.context import ServerRequestContext

from make_mcp.server.engine.outcome import Answer, Outcome, inner_name
from make_mcp.server.errors import MakeMcpError
from make_mcp.server.protocol.announcer import Announcer
from make_mcp.server.protocol.resources import changed_by, execution_uris
from make_mcp.server.protocol.task_store import TaskRecord
from make_mcp.server.scenario_tools.curation import CurationError
from make_mcp.server.scenario_tools.port import DiscoveryPort
from make_mcp.server.scenario_tools.store import ScenarioToolStore
from make_mcp.server.scenario_tools.tools import ScenarioTools
from make_mcp.tools.catalogue import Operation

if TYPE_CHECKING:
    from make_mcp.server.protocol.runner import ToolRunner

log = logging.getLogger("make_mcp.scenario_tools")

# How long tools/list waits for the first discovery before it answers with the catalogue alone (the scenario
# tools then follow with notifications/tools/list_changed). Over stdio the one client lists once, at start-up;
# over HTTP a new caller's first listing waits MAKE_HTTP_FIRST_LISTING_WAIT, however large their account.
FIRST_LISTING_WAIT_SECONDS = 5.0


class CallerTools:
    """One caller's scenario tools and the runner that lists them first."""

    def __init__(
        self,
        store: ScenarioToolStore,
        key: str,
        port: DiscoveryPort,
        build: Callable[[tuple[Operation, ...]], ToolRunner],
        background: TaskGroup | None = None,
    ) -> None:
        self.store = store
        self.background = background  # where refreshes after a call run, once it is answered; None: within it
        self.key = key
        self.port = port
        self._build = build
        self._operations: tuple[Operation, ...] = ()
        self._runner: ToolRunner | None = None  # built when first needed: by then the caller's scopes are often known
        self.found = anyio.Event()  # set once the first discovery has ended, however it ended
        self.announcer = Announcer()
        self.failure: Exception | None = None  # a curation file that cannot be used
        self._listed = False
        self.refreshing = False

    @property
    def tools(self) -> ScenarioTools | None:
        return self.store.current(self.key)

    @property
    def runner(self) -> ToolRunner:
        if self._runner is None:
            self._runner = self._build(self._operations)
        return self._runner

    def rebuild(self, build: Callable[[tuple[Operation, ...]], ToolRunner]) -> None:
        """A new way to build the runner (e.g. the caller's scopes changed)."""
        self._build = build
        self._runner = build(self._operations)

    async def announce_if_listed(self) -> None:
        """Tells the clients that listed these tools already that tools/list changed (the runner was rebuilt)."""
        if self._listed:
            await self.announcer.announce()

    async def discover(self) -> None:
        """The first discovery; tells clients that already listed the catalogue alone."""
        try:
            await self.store.get(self.key, self.port)
        except CurationError as error:
            self.failure = error
            log.error("scenario tools are off: %s", error)
        except Exception:  # discovery must never take the server down: the catalogue still works
            log.exception("scenario tool discovery failed")
        finally:
            self._apply()
            self.found.set()
        if self._listed and self.runner.catalogue.own:
            await self.announcer.announce()

    async def listing_runner(self, ctx: ServerRequestContext[Any] | None, wait: float) -> ToolRunner:
        """The runner for tools/list: waits up to `wait` seconds for the first discovery."""
        if ctx is not None:
            self.announcer.remember(ctx)
        with anyio.move_on_after(wait):
            await self.found.wait()
        self._listed = True
        return self.runner

    async def call_runner(
        self, name: str, arguments: Mapping[str, Any] | None, ctx: ServerRequestContext[Any] | None
    ) -> ToolRunner:
        """The runner for tools/call: one that knows `name` now, else the one after the first discovery."""
        name = inner_name(name, arguments) or name
        if ctx is not None:
            self.announcer.remember(ctx)
        if not self.found.is_set() and not _knows(self.runner, name):
            await self.found.wait()
        return self.runner

    async def refresh(self, scenario_id: int | None = None, *, deleted: bool = False) -> bool:
        """Discovers again (only `scenario_id`'s tool when given); announces and returns True when the tools
        changed."""
        self.refreshing = True
        try:
            if scenario_id is None:
                changed = await self.store.refresh(self.key, self.port)
            else:
                changed = await self.store.refresh_scenario(self.key, self.port, scenario_id, deleted=deleted)
        except (MakeMcpError, CurationError) as error:
            log.warning("scenario tools could not be refreshed: %s", error)
            return False
        finally:
            self.refreshing = False
        if changed:
            self._apply()
            await self.announcer.announce()
        return changed

    async def after_call(self, outcome: Outcome) -> None:
        """After a successful call that may have changed one of the caller's scenarios (see `changed`)."""
        operation = outcome.operation
        if outcome.kind != "ok" or operation is None or not operation.changes_scenarios:
            return
        answer = outcome.payload
        structured = (answer.structured or {}) if isinstance(answer, Answer) else {}
        await self.changed(operation, outcome.arguments, structured)

    async def after_task(self, operation: Operation, arguments: Mapping[str, Any], record: TaskRecord) -> None:
        """A task's run named its execution or the task ended: its run's resources changed, and a task that
        changed a scenario (a blueprint write) has changed it once it completed (see `changed`)."""
        if record.scenario_id is not None and record.execution_id is not None:
            await self.announcer.updated(execution_uris(record.scenario_id, record.execution_id))
        structured = (record.result or {}).get("structuredContent") or {}
        done = record.status == "completed" and structured.get("confirmationRequired") is not True
        if done and operation.changes_scenarios:
            await self.changed(operation, arguments, structured)

    async def changed(self, operation: Operation, arguments: Mapping[str, Any], structured: Mapping[str, Any]):
        """After a successful call that changed one of the caller's scenarios: the caller's connections hear which
        resources changed, and that scenario's tool is found again, in the background when there is one (the
        call's answer does not wait for it)."""
        scenario_id = _changed_scenario(arguments, structured)
        team = _changed_team(arguments, structured) or self.runner.settings.team
        changes = changed_by(operation, scenario_id, team)

        async def refresh() -> None:
            await self.announcer.updated(changes.uris)
            if changes.listed:
                await self.announcer.resources_changed()
            await self.refresh(scenario_id, deleted=operation.method == "DELETE")

        if self.background is not None:
            self.background.start_soon(refresh)
        else:
            await refresh()

    async def refresh_every(self, seconds: float, sleep: Callable[[float], Any] = anyio.sleep) -> None:
        """The periodic re-check (MAKE_SCENARIO_REFRESH), until cancelled."""
        await self.found.wait()
        while True:
            await sleep(seconds)
            await self.refresh()

    def _apply(self) -> None:
        tools = self.store.current(self.key)
        operations = tools.operations if tools is not None else ()
        if operations != self._operations:
            self._operations = operations
            self._runner = self._build(operations)


def _changed_scenario(arguments: Mapping[str, Any], structured: Mapping[str, Any]) -> int | None:
    """The scenario a successful call changed: the one its answer holds (a clone's is the new one), else the one
    it names; None when unknown."""
    made = structured.get("scenario")
    value = cast(Mapping[str, Any], made).get("id") if isinstance(made, Mapping) else arguments.get("scenarioId")
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    return int(value) if isinstance(value, str) and value.isdigit() else None


def _changed_team(arguments: Mapping[str, Any], structured: Mapping[str, Any]) -> int | None:
    """The team of the scenario a call changed, when the call or its answer names it."""
    made = structured.get("scenario")
    value = arguments.get("teamId") or (
        cast(Mapping[str, Any], made).get("teamId") if isinstance(made, Mapping) else None
    )
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _knows(runner: ToolRunner, name: str) -> bool:
    catalogue = runner.catalogue
    return name in catalogue.by_name or name in catalogue.lacking_scope or name in catalogue.hidden
