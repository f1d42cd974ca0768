"""Scenario tools as Operations: one per callable scenario, built from its interface at run time."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from make_mcp.server.scenario_tools.curation import CuratedScenario, load_curation
from make_mcp.server.scenario_tools.discovery import (
    Discovery,
    FoundScenario,
    LeftOut,
    OneScenario,
    discover_one,
    discover_scenarios,
)
from make_mcp.server.scenario_tools.naming import DEFAULT_MAX_LENGTH, NameBook, description, tool_name
from make_mcp.server.scenario_tools.running import RUN, RUN_STEPS, make_runner
from make_mcp.server.scenario_tools.schema import OutputShape, describe_outputs, input_model, result_schema
from make_mcp.server.support.scenario_choice import ScenarioChoice, parse_choice
from make_mcp.tools.catalogue import Operation, RequestPort

if TYPE_CHECKING:
    from make_mcp.server.support.config import Settings

TOOLSET = "scenario-tools"


@dataclass(frozen=True, slots=True)
class ScenarioTools:
    """A caller's scenario tools, and what discovery left out (for doctor and `make-mcp tools`)."""

    operations: tuple[Operation, ...] = ()
    left_out: tuple[LeftOut, ...] = ()
    problems: tuple[str, ...] = ()  # listings that failed, curated names that could not be used
    # What each operation was built from, in the same order: a refresh reuses an operation whose source is unchanged.
    sources: tuple[tuple[FoundScenario, CuratedScenario | None], ...] = ()
    # What they were built from: a change to one scenario replaces its part.
    discovery: Discovery = field(default_factory=Discovery)

    def names(self) -> frozenset[str]:
        return frozenset(operation.name for operation in self.operations)

    def changed_from(self, previous: ScenarioTools | None) -> bool:
        """Whether tools/list would differ (the moment for notifications/tools/list_changed)."""
        return self.operations != (previous.operations if previous is not None else ())

    def report(self) -> list[str]:
        """One line per scenario left out and per problem, for doctor and `make-mcp tools`."""
        lines = [
            f"scenario {left.scenario_id} ({left.name or 'unnamed'}) is not a tool: {left.reason}"
            for left in self.left_out
        ]
        return lines + list(self.problems)


def _model_name(scenario_id: int) -> str:
    return f"Scenario{scenario_id}Input"


def scenario_operation(found: FoundScenario, name: str, curated: CuratedScenario | None = None) -> Operation:
    outputs_phrase = describe_outputs(found.outputs)
    if curated is not None and curated.description:
        text = description(found.name, curated.description, outputs_phrase)
    else:
        text = description(found.name, found.description, outputs_phrase)
    read_only = curated is not None and curated.read_only
    shape = OutputShape(found.outputs)
    return Operation(
        name=name,
        title=found.name[:120],
        description=text,
        toolset=TOOLSET,
        method=RUN.method,
        path=RUN.path,
        scopes=RUN.scopes,
        input_model=input_model(_model_name(found.scenario_id), found.inputs),
        read_only=read_only,
        # The curation file's confirm = true routes each run through the destructive-call confirmation.
        destructive=curated is not None and curated.confirm,
        idempotent=False,
        open_world=True,
        output_schema=result_schema(shape),
        rate_limit_exempt=True,
        min_timeout=RUN.min_timeout,
        steps=RUN_STEPS,
        run=make_runner(name, found.scenario_id, shape),
        runs_as_task=True,
        meta={
            "make/scenario": {
                "scenarioId": found.scenario_id,
                "teamId": found.team_id,
                "organizationId": found.organization_id,
            }
        },
    )


def build_scenario_tools(
    discovery: Discovery,
    *,
    taken_names: Iterable[str],
    curation: Mapping[int, CuratedScenario] | None = None,
    read_only: bool = False,
    name_max_length: int = DEFAULT_MAX_LENGTH,
    previous: ScenarioTools | None = None,
) -> ScenarioTools:
    """The tools of the scenarios found, named clear of `taken_names` (the catalogue's), in scenario-ID order.

    In read-only mode only scenarios the curation file marks read_only are offered. With `previous` (the last
    result for the same caller), an unchanged scenario keeps its Operation: same models, no list_changed."""
    book = NameBook(taken_names)
    reusable = {
        (operation.name, source[0].scenario_id): (source, operation)
        for source, operation in zip(
            previous.sources if previous else (), previous.operations if previous else (), strict=True
        )
    }
    operations: list[Operation] = []
    sources: list[tuple[FoundScenario, CuratedScenario | None]] = []
    left_out = list(discovery.left_out)
    problems = list(discovery.problems)
    for found in sorted(discovery.found, key=lambda f: f.scenario_id):
        curated = (curation or {}).get(found.scenario_id)
        if read_only and not (curated is not None and curated.read_only):
            left_out.append(
                LeftOut(found.scenario_id, found.name, "read-only mode: the curation file does not mark it read_only")
            )
            continue
        generated = tool_name(found.name, found.scenario_id, name_max_length)
        name, problem = book.claim(curated.name if curated and curated.name else generated, generated)
        if problem is not None:
            problems.append(f"scenario {found.scenario_id} is offered as {name}: {problem}")
        source = (found, curated)
        old_source, operation = reusable.get((name, found.scenario_id), (None, None))
        if operation is None or old_source != source:
            try:
                operation = scenario_operation(found, name, curated)
            except Exception as error:  # an interface pydantic cannot model must not break the other tools
                left_out.append(LeftOut(found.scenario_id, found.name, f"its interface could not be typed: {error}"))
                continue
        operations.append(operation)
        sources.append(source)
    return ScenarioTools(tuple(operations), tuple(left_out), tuple(problems), tuple(sources), discovery)


@dataclass(frozen=True, slots=True)
class ScenarioToolSettings:
    """What the scenario tools depend on, read from Settings once."""

    choice: ScenarioChoice
    team: int | None = None
    organization: int | None = None
    curation_file: Path | None = None
    read_only: bool = False
    name_max_length: int = DEFAULT_MAX_LENGTH
    refresh_seconds: float | None = None  # None: never discovered again on age alone

    @classmethod
    def from_settings(cls, settings: Settings) -> ScenarioToolSettings:
        return cls(
            choice=parse_choice(settings.scenario_tools),
            team=settings.team,
            organization=settings.organization,
            curation_file=settings.scenario_file,
            read_only=settings.read_only,
            name_max_length=settings.scenario_tool_name_max,
            refresh_seconds=settings.scenario_refresh or None,
        )


async def find_scenario_tools(
    port: RequestPort,
    config: ScenarioToolSettings,
    *,
    taken_names: Iterable[str],
    previous: ScenarioTools | None = None,
) -> ScenarioTools:
    """Discovers the caller's callable scenarios through `port` and builds their tools (`previous`: see
    build_scenario_tools; pass the caller's last result on a refresh).

    A curation file that cannot be used raises CurationError (a configuration error: report it at start-up).
    Make's failures never raise: they are in the result's left_out and problems."""
    curation = load_curation(config.curation_file) if config.curation_file is not None else None
    if config.choice.mode == "off":
        return ScenarioTools()
    discovery = await discover_scenarios(
        port,
        config.choice,
        team=config.team,
        organization=config.organization,
        only=list(curation) if curation is not None else None,
    )
    return _built(discovery, config, curation, taken_names, previous)


async def refind_scenario_tool(
    port: RequestPort,
    config: ScenarioToolSettings,
    previous: ScenarioTools,
    scenario_id: int,
    *,
    taken_names: Iterable[str],
    deleted: bool = False,
) -> ScenarioTools | None:
    """The caller's tools after a call changed one scenario: that scenario read again (at most two requests, none
    when it was `deleted`), every other tool kept. None when a full discovery is needed to tell whether the
    scenario is chosen (its team's organization is not known)."""
    curation = load_curation(config.curation_file) if config.curation_file is not None else None
    if config.choice.mode == "off":
        return ScenarioTools()
    one = OneScenario()
    if not deleted:
        one = await discover_one(
            port,
            config.choice,
            scenario_id,
            team=config.team,
            organization=config.organization,
            only=list(curation) if curation is not None else None,
            organization_of_team={
                found.team_id: found.organization_id
                for found in previous.discovery.found
                if found.team_id is not None and found.organization_id is not None
            },
        )
        if not one.decided:
            return None
    before = previous.discovery
    discovery = Discovery(
        tuple(f for f in before.found if f.scenario_id != scenario_id) + ((one.found,) if one.found else ()),
        tuple(o for o in before.left_out if o.scenario_id != scenario_id) + ((one.left_out,) if one.left_out else ()),
        before.problems,
    )
    return _built(discovery, config, curation, taken_names, previous)


def _built(
    discovery: Discovery,
    config: ScenarioToolSettings,
    curation: Mapping[int, CuratedScenario] | None,
    taken_names: Iterable[str],
    previous: ScenarioTools | None,
) -> ScenarioTools:
    return build_scenario_tools(
        discovery,
        taken_names=taken_names,
        curation=curation,
        read_only=config.read_only,
        name_max_length=config.name_max_length,
        previous=previous,
    )
