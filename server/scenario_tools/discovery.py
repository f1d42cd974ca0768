"""Finding the scenarios a token may run as tools: the active ones with on-demand scheduling, and their interfaces.

Everything goes through a `RequestPort` (tools/catalogue.py), the same port a tool call gets, so discovery shares
the client's auth, retries and rate budget. Lists are read page by page; scenario and interface reads run at most
`concurrency` at a time. A failure never breaks the listing: a scenario whose interface cannot be read is left
out with its reason, a team that cannot be listed is a problem in the report.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

import anyio

from make_mcp.server.errors import MakeMcpError
from make_mcp.server.support.scenario_choice import ScenarioChoice
from make_mcp.tools.catalogue import RequestPort, Step

T = TypeVar("T")
R = TypeVar("R")

LIST_ORGANIZATIONS = Step("GET", "/organizations", ("organizations:read",))
GET_TEAM = Step("GET", "/teams/{teamId}", ("teams:read",))
LIST_SCENARIOS = Step("GET", "/scenarios", ("scenarios:read",))
GET_SCENARIO = Step("GET", "/scenarios/{scenarioId}", ("scenarios:read",))
GET_INTERFACE = Step("GET", "/scenarios/{scenarioId}/interface", ("scenarios:read",))
DISCOVERY_STEPS = (LIST_ORGANIZATIONS, GET_TEAM, LIST_SCENARIOS, GET_SCENARIO, GET_INTERFACE)

PAGE_SIZE = 200
MAX_PAGES = 100  # 20,000 scenarios per team or organization; past that the listing says it stopped
DEFAULT_CONCURRENCY = 8
# The properties discovery reads of each listed scenario.
COLUMNS = ("id", "name", "teamId", "description", "folderId", "isActive", "scheduling")


@dataclass(frozen=True, slots=True)
class FoundScenario:
    """A scenario that qualifies as a tool, with its interface."""

    scenario_id: int
    name: str
    description: str
    team_id: int | None
    organization_id: int | None
    inputs: Any  # the interface's `input` items as Make gave them (a list, or None)
    outputs: Any  # likewise `output`


@dataclass(frozen=True, slots=True)
class LeftOut:
    """A scenario that was asked for (or found) but is not a tool, and why."""

    scenario_id: int
    name: str | None
    reason: str


@dataclass(frozen=True, slots=True)
class Discovery:
    found: tuple[FoundScenario, ...] = ()
    left_out: tuple[LeftOut, ...] = ()
    problems: tuple[str, ...] = ()  # listings that failed (a team, an organization)


@dataclass
class _Listing:
    """Scenarios seen so far, by ID (first sighting wins), and what went wrong."""

    scenarios: dict[int, dict[str, Any]] = field(default_factory=dict[int, dict[str, Any]])
    organization_of_team: dict[int, int] = field(default_factory=dict[int, int])
    left_out: list[LeftOut] = field(default_factory=list[LeftOut])
    problems: list[str] = field(default_factory=list[str])

    def add(self, scenario: Mapping[str, Any], organization_id: int | None = None) -> None:
        scenario_id = _int(scenario.get("id"))
        if scenario_id is not None and scenario_id not in self.scenarios:
            self.scenarios[scenario_id] = dict(scenario)
            team_id = _int(scenario.get("teamId"))
            if team_id is not None and organization_id is not None:
                self.organization_of_team.setdefault(team_id, organization_id)


def _int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return None


def scheduling_type(scenario: Mapping[str, Any]) -> str | None:
    """`scheduling.type`; Make sends `scheduling` as an object or as its JSON text."""
    scheduling = scenario.get("scheduling")
    if isinstance(scheduling, str):
        try:
            scheduling = json.loads(scheduling)
        except ValueError:
            return None
    if isinstance(scheduling, Mapping):
        kind = cast(Mapping[str, Any], scheduling).get("type")
        return kind if isinstance(kind, str) else None
    return None


def is_active(scenario: Mapping[str, Any]) -> bool:
    value = scenario.get("isActive")
    return value is True or (isinstance(value, str) and value.strip().lower() == "true")


def why_not_callable(scenario: Mapping[str, Any]) -> str | None:
    """None when the scenario qualifies; else what would make it callable."""
    kind = scheduling_type(scenario)
    if kind != "on-demand":
        return f"its scheduling is {kind or 'unreadable'}, not on-demand: set it to on-demand (scenarios_make-callable)"
    if not is_active(scenario):
        return "it is not active: activate it (scenarios_activate) to offer it"
    return None


async def _bounded(items: Sequence[T], work: Callable[[T], Awaitable[R]], concurrency: int) -> list[R]:
    results: list[R | None] = [None] * len(items)
    limiter = anyio.CapacityLimiter(max(1, concurrency))

    async def one(index: int, item: T) -> None:
        async with limiter:
            results[index] = await work(item)

    async with anyio.create_task_group() as group:
        for index, item in enumerate(items):
            group.start_soon(one, index, item)
    return cast(list[R], results)


async def _list_pages(port: RequestPort, scope: tuple[str, int], folder_id: int | None, listing: _Listing) -> None:
    """Every active scenario of one team or organization (optionally one folder), all pages."""
    key, value = scope
    base = [(key, str(value)), ("isActive", "true"), *(("cols[]", column) for column in COLUMNS)]
    if folder_id is not None:
        base.append(("folderId", str(folder_id)))
    what = f"{'team' if key == 'teamId' else 'organization'} {value}" + (
        f" folder {folder_id}" if folder_id is not None else ""
    )
    organization_id = value if key == "organizationId" else None
    for page in range(MAX_PAGES):
        query = [*base, ("pg[limit]", str(PAGE_SIZE)), ("pg[offset]", str(page * PAGE_SIZE))]
        try:
            body = await port.send(LIST_SCENARIOS, query=query)
        except MakeMcpError as error:
            listing.problems.append(f"the scenarios of {what} could not be listed: {error.message()}")
            return
        items = body.get("scenarios") if isinstance(body, Mapping) else None
        if not isinstance(items, list):
            listing.problems.append(f"the scenarios of {what} could not be listed: Make's answer had no list")
            return
        for item in cast(list[Any], items):
            if isinstance(item, Mapping):
                listing.add(cast(Mapping[str, Any], item), organization_id)
        if len(cast(list[Any], items)) < PAGE_SIZE:
            return
    listing.problems.append(f"the scenarios of {what}: stopped after {MAX_PAGES * PAGE_SIZE}")


async def _organizations(port: RequestPort, listing: _Listing) -> list[int]:
    try:
        body = await port.send(LIST_ORGANIZATIONS, query=[("pg[limit]", "1000")])
    except MakeMcpError as error:
        listing.problems.append(f"the token's organizations could not be listed: {error.message()}")
        return []
    items = body.get("organizations") if isinstance(body, Mapping) else None
    if not isinstance(items, list):
        listing.problems.append("the token's organizations could not be listed: Make's answer had no list")
        return []
    found = [_int(cast(Mapping[str, Any], o).get("id")) for o in cast(list[Any], items) if isinstance(o, Mapping)]
    return [o for o in found if o is not None]


def _scopes(choice: ScenarioChoice, team: int | None, organization: int | None) -> list[tuple[str, int]] | None:
    """Teams and organizations to list as ("teamId"|"organizationId", id); None: every organization seen."""
    if choice.mode == "auto" and team is not None:
        return [("teamId", team)]
    if choice.mode in ("auto", "organization"):
        return [("organizationId", organization)] if organization is not None else None
    return [("teamId", t) for t in choice.teams] + [("organizationId", o) for o in choice.organizations]


async def _read_scenario(port: RequestPort, scenario_id: int, listing: _Listing) -> None:
    try:
        body = await port.send(GET_SCENARIO, {"scenarioId": scenario_id})
    except MakeMcpError as error:
        listing.left_out.append(LeftOut(scenario_id, None, f"it could not be read: {error.message()}"))
        return
    scenario = body.get("scenario") if isinstance(body, Mapping) else None
    if not isinstance(scenario, Mapping):
        listing.left_out.append(LeftOut(scenario_id, None, "Make's answer held no scenario"))
        return
    listing.add(cast(Mapping[str, Any], scenario))


async def _read_interface(port: RequestPort, scenario: dict[str, Any], organization_id: int | None) -> Any:
    scenario_id = cast(int, _int(scenario.get("id")))
    name = str(scenario.get("name") or f"Scenario {scenario_id}")
    try:
        body = await port.send(GET_INTERFACE, {"scenarioId": scenario_id})
    except MakeMcpError as error:
        return LeftOut(scenario_id, name, f"its interface could not be read: {error.message()}")
    interface = body.get("interface") if isinstance(body, Mapping) else None
    if not isinstance(interface, Mapping):
        return LeftOut(scenario_id, name, "its interface could not be read: Make's answer held no interface object")
    interface = cast(Mapping[str, Any], interface)
    inputs, outputs = interface.get("input"), interface.get("output")
    for part, value in (("input", inputs), ("output", outputs)):
        if value is not None and not isinstance(value, list):
            return LeftOut(scenario_id, name, f"its interface could not be read: '{part}' is not a list of fields")
    return FoundScenario(
        scenario_id=scenario_id,
        name=name,
        description=str(scenario.get("description") or ""),
        team_id=_int(scenario.get("teamId")),
        organization_id=organization_id,
        inputs=inputs,
        outputs=outputs,
    )


async def _team_organizations(port: RequestPort, teams: Collection[int], listing: _Listing, concurrency: int) -> None:
    async def one(team_id: int) -> None:
        try:
            body = await port.send(GET_TEAM, {"teamId": team_id})
        except MakeMcpError:
            return  # the organization is then unknown; the tool works without it
        team = body.get("team") if isinstance(body, Mapping) else None
        organization_id = (
            _int(cast(Mapping[str, Any], team).get("organizationId")) if isinstance(team, Mapping) else None
        )
        if organization_id is not None:
            listing.organization_of_team.setdefault(team_id, organization_id)

    await _bounded(sorted(teams), one, concurrency)


async def discover_scenarios(
    port: RequestPort,
    choice: ScenarioChoice,
    *,
    team: int | None = None,
    organization: int | None = None,
    only: Collection[int] | None = None,
    concurrency: int = DEFAULT_CONCURRENCY,
) -> Discovery:
    """The callable scenarios `choice` selects (with MAKE_TEAM / MAKE_ORGANIZATION as `team`/`organization`).

    `only`: the curation file's scenario IDs; then exactly these are read, whatever `choice` says (unless off).
    """
    if choice.mode == "off":
        return Discovery()
    listing = _Listing()
    wanted = list(only) if only is not None else list(choice.scenarios)
    if only is None:
        scopes = _scopes(choice, team, organization)
        if scopes is None or (choice.mode == "list" and choice.folders and team is None):
            organizations = await _organizations(port, listing)
            if scopes is None:
                scopes = [("organizationId", o) for o in organizations]
            folder_scopes = [("organizationId", o) for o in organizations]
        else:
            folder_scopes = [("teamId", team)] if team is not None else []
        jobs: list[tuple[tuple[str, int], int | None]] = [(scope, None) for scope in scopes]
        jobs += [(scope, folder) for folder in choice.folders for scope in folder_scopes]
        await _bounded(jobs, lambda job: _list_pages(port, job[0], job[1], listing), concurrency)
    missing = [scenario_id for scenario_id in wanted if scenario_id not in listing.scenarios]
    await _bounded(missing, lambda scenario_id: _read_scenario(port, scenario_id, listing), concurrency)

    candidates: list[dict[str, Any]] = []
    named = set(wanted)
    for scenario_id, scenario in sorted(listing.scenarios.items()):
        if only is not None and scenario_id not in named:
            continue
        reason = why_not_callable(scenario)
        if reason is None:
            candidates.append(scenario)
        elif scenario_id in named:  # asked for by ID: say why it is not a tool
            listing.left_out.append(LeftOut(scenario_id, str(scenario.get("name") or ""), reason))
    unknown_teams = {
        t for s in candidates if (t := _int(s.get("teamId"))) is not None and t not in listing.organization_of_team
    }
    if unknown_teams and organization is not None and choice.mode == "auto":
        listing.organization_of_team.update(dict.fromkeys(unknown_teams, organization))
    elif unknown_teams:
        await _team_organizations(port, unknown_teams, listing, concurrency)

    def organization_of(scenario: dict[str, Any]) -> int | None:
        team_id = _int(scenario.get("teamId"))
        return listing.organization_of_team.get(team_id) if team_id is not None else None

    read = await _bounded(candidates, lambda s: _read_interface(port, s, organization_of(s)), concurrency)
    found = tuple(r for r in read if isinstance(r, FoundScenario))
    left_out = [*listing.left_out, *(r for r in read if isinstance(r, LeftOut))]
    return Discovery(found, tuple(sorted(left_out, key=lambda o: o.scenario_id)), tuple(listing.problems))


@dataclass(frozen=True, slots=True)
class OneScenario:
    """What reading one scenario again says about its tool: `found` (it is one), `left_out` (it was asked for by
    ID and is not one, and why), neither (it is not chosen, or gone). `decided` is False when whether the choice
    covers it cannot be told without listing again (its team's organization is not known)."""

    found: FoundScenario | None = None
    left_out: LeftOut | None = None
    decided: bool = True


async def discover_one(
    port: RequestPort,
    choice: ScenarioChoice,
    scenario_id: int,
    *,
    team: int | None = None,
    organization: int | None = None,
    only: Collection[int] | None = None,
    organization_of_team: Mapping[int, int] | None = None,
) -> OneScenario:
    """One scenario read again after a call changed it: at most two requests (the scenario, its interface).

    `organization_of_team`: what earlier discoveries learned, so no team is asked for."""
    named = scenario_id in (only if only is not None else choice.scenarios)
    if choice.mode == "off" or (only is not None and not named):
        return OneScenario()
    listing = _Listing()
    await _read_scenario(port, scenario_id, listing)
    scenario = listing.scenarios.get(scenario_id)
    if scenario is None:  # deleted, or not readable with this token
        return OneScenario(left_out=listing.left_out[0] if named and listing.left_out else None)
    team_id = _int(scenario.get("teamId"))
    organization_id = _int(scenario.get("organizationId"))
    if organization_id is None and team_id is not None:
        organization_id = (organization_of_team or {}).get(team_id)
    chosen = named or _chosen(choice, scenario, team_id, organization_id, team=team, organization=organization)
    if chosen is None:
        return OneScenario(decided=False)
    if not chosen:
        return OneScenario()
    reason = why_not_callable(scenario)
    if reason is not None:
        return OneScenario(left_out=LeftOut(scenario_id, str(scenario.get("name") or ""), reason) if named else None)
    if organization_id is None and choice.mode == "auto" and team is not None:
        organization_id = organization  # as a full discovery takes it for the default team's scenarios
    read = await _read_interface(port, scenario, organization_id)
    return OneScenario(found=read) if isinstance(read, FoundScenario) else OneScenario(left_out=read)


def _chosen(
    choice: ScenarioChoice,
    scenario: Mapping[str, Any],
    team_id: int | None,
    organization_id: int | None,
    *,
    team: int | None,
    organization: int | None,
) -> bool | None:
    """Whether a listing by `choice` would include the scenario (not asked for by ID); None: cannot tell."""
    if choice.mode == "auto" and team is not None:
        return team_id == team
    if choice.mode in ("auto", "organization"):
        if organization is None:  # every organization the token sees, and it sees this one
            return True
        return None if organization_id is None else organization_id == organization
    folder_id = _int(scenario.get("folderId"))
    if folder_id in choice.folders and (team is None or team_id == team):
        return True
    if team_id in choice.teams:
        return True
    if not choice.organizations:
        return False
    return None if organization_id is None else organization_id in choice.organizations
