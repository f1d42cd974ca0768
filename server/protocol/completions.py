"""Completions of prompt and resource template arguments: teams, scenarios, folders, connections, data stores,
executions, apps and modules, from listings Make gives the caller.

Each listing is asked with the caller's own credential, for the team the other arguments (or MAKE_TEAM) name, so
nothing of a team the caller cannot see is offered; it is kept a minute per credential and team. An answer
waits at most ANSWER_SECONDS for Make: a listing not there by then is offered by the next keystroke.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import TYPE_CHECKING, Any

import anyio
import mcp_types as types

from make_mcp.server.engine.call import Caller
from make_mcp.server.errors import MakeMcpError
from make_mcp.server.protocol.resources import ResourceUnavailable, app_manifest, app_modules, read_operation
from make_mcp.server.support.bounded_cache import BoundedCache

if TYPE_CHECKING:
    from make_mcp.server.protocol.runner import ToolRunner

ANSWER_SECONDS = 0.2
CACHE_SECONDS = 60.0
CACHE_ENTRIES = 512
MAX_VALUES = 100  # the most one completion may return

# The argument, the tool listing its values, where in the answer, and which other argument scopes the listing.
Choice = tuple[str, str, str, str | None]
LISTINGS: tuple[Choice, ...] = (
    ("scenarioId", "scenarios_list", "scenarios", "teamId"),
    ("folderId", "folders_list", "scenariosFolders", "teamId"),
    ("connectionId", "connections_list", "connections", "teamId"),
    ("dataStoreId", "data-stores_list", "dataStores", "teamId"),
    ("executionId", "executions_list", "scenarioLogs", "scenarioId"),
)


class Completer:
    """Answers completion/complete for one server; its cache is bounded and keyed by the caller's credential."""

    def __init__(self, *, clock: Callable[[], float] = time.monotonic) -> None:
        self._cache: BoundedCache[tuple[str, ...], list[tuple[str, str]]] = BoundedCache(
            CACHE_ENTRIES, ttl=CACHE_SECONDS, clock=clock
        )

    async def complete(
        self, runner: ToolRunner, caller: Caller, argument: str, typed: str, context: Mapping[str, str]
    ) -> types.Completion:
        given = {**_defaults(runner), **{k: v for k, v in context.items() if v}}
        options: list[tuple[str, str]] = []
        with anyio.move_on_after(ANSWER_SECONDS):
            options = await self._options(runner, caller, argument, given)
        matching = [value for value, label in options if _matches(typed, value, label)]
        return types.Completion(values=matching[:MAX_VALUES], total=len(matching), has_more=len(matching) > MAX_VALUES)

    async def _options(
        self, runner: ToolRunner, caller: Caller, argument: str, given: Mapping[str, str]
    ) -> list[tuple[str, str]]:
        if argument == "teamId":
            return await self._cached(
                caller, ("teams", given.get("organizationId", "")), lambda: _teams(runner, caller, given)
            )
        if argument == "appName":
            return await self._cached(caller, ("apps", given.get("teamId", "")), lambda: _apps(runner, caller, given))
        if argument == "moduleName" and given.get("appName") and given.get("appVersion"):
            key = ("modules", given["appName"], given["appVersion"])
            return await self._cached(caller, key, lambda: _modules(runner, caller, given))
        for name, tool, items, scope in LISTINGS:
            if name == argument and scope is not None and given.get(scope):
                fetch = _listing(runner, caller, tool, items, {scope: given[scope]})
                return await self._cached(caller, (tool, given[scope]), fetch)
        return []

    async def _cached(
        self, caller: Caller, key: tuple[str, ...], fetch: Callable[[], Awaitable[list[tuple[str, str]]]]
    ) -> list[tuple[str, str]]:
        full = (hashlib.sha256((caller.authorization or "").encode()).hexdigest(), *key)
        hit = self._cache.get(full)
        if hit is not None:
            return hit
        try:
            options = await fetch()
        except (MakeMcpError, ResourceUnavailable):  # no scope, no such team: nothing to offer
            options = []
        self._cache.put(full, options)
        return options


def _defaults(runner: ToolRunner) -> dict[str, str]:
    settings = runner.settings
    defaults = {"teamId": settings.team, "organizationId": settings.organization}
    return {key: str(value) for key, value in defaults.items() if value is not None}


def _matches(typed: str, value: str, label: str) -> bool:
    typed = typed.strip().lower()
    return not typed or value.lower().startswith(typed) or typed in label.lower()


def _listing(
    runner: ToolRunner, caller: Caller, tool: str, items: str, arguments: Mapping[str, Any]
) -> Callable[[], Awaitable[list[tuple[str, str]]]]:
    async def fetch() -> list[tuple[str, str]]:
        body = await read_operation(runner, caller, tool, arguments)
        return _pairs(body.get(items) if isinstance(body, Mapping) else None, "id", "name")

    return fetch


async def _teams(runner: ToolRunner, caller: Caller, given: Mapping[str, str]) -> list[tuple[str, str]]:
    organizations = [given["organizationId"]] if given.get("organizationId") else None
    if organizations is None:
        listed = await read_operation(runner, caller, "organizations_list", {})
        organizations = [value for value, _ in _pairs(listed.get("organizations"), "id", "name")][:5]
    teams: list[tuple[str, str]] = []
    for organization in organizations:
        body = await read_operation(runner, caller, "teams_list", {"organizationId": int(organization)})
        teams.extend(_pairs(body.get("teams"), "id", "name"))
    return teams


async def _apps(runner: ToolRunner, caller: Caller, given: Mapping[str, str]) -> list[tuple[str, str]]:
    from make_mcp.server.make_api.client import MakeRequest

    query = [("teamId", given["teamId"])] if given.get("teamId") else []
    body = await runner.context(caller).send(MakeRequest("GET", "/imt/apps", query, None, "completion/complete"))
    return _pairs(body.get("apps") if isinstance(body, Mapping) else None, "name", "label")


async def _modules(runner: ToolRunner, caller: Caller, given: Mapping[str, str]) -> list[tuple[str, str]]:
    app = await app_manifest(runner, caller, given["appName"], given["appVersion"])
    return _pairs(app_modules(app), "name", "label")


def _pairs(items: Any, value_key: str, label_key: str) -> list[tuple[str, str]]:
    if not isinstance(items, list):
        return []
    return [
        (str(item[value_key]), str(item.get(label_key) or ""))
        for item in items  # pyright: ignore[reportUnknownVariableType]
        if isinstance(item, Mapping) and item.get(value_key) is not None  # pyright: ignore[reportUnknownMemberType]
    ]
