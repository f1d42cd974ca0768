"""Scenario tools as Operations: what each declares, curation and read-only mode, and the whole start-up path."""

from __future__ import annotations

from pathlib import Path

from jsonschema import Draft202012Validator

from make_mcp.server.engine.operations import input_schema
from make_mcp.server.sandbox import demo_state
from make_mcp.server.sandbox.demo_scenario_tools import seed_on_demand_scenarios
from make_mcp.server.scenario_tools.curation import CuratedScenario
from make_mcp.server.scenario_tools.discovery import Discovery, FoundScenario, LeftOut
from make_mcp.server.scenario_tools.naming import TOOL_NAME
from make_mcp.server.scenario_tools.running import RUN_STEPS
from make_mcp.server.scenario_tools.tools import (
    TOOLSET,
    ScenarioTools,
    ScenarioToolSettings,
    build_scenario_tools,
    find_scenario_tools,
)
from make_mcp.server.support.config import Settings
from make_mcp.server.support.scenario_choice import parse_choice
from make_mcp.tools.registry import ALL_OPERATIONS
from tests.server.sandbox.support import FakeClock
from tests.server.scenario_tools_support import sandbox_port

CATALOGUE = [operation.name for operation in ALL_OPERATIONS]


def found(scenario_id: int, name: str = "Score a lead", description: str = "") -> FoundScenario:
    return FoundScenario(
        scenario_id=scenario_id,
        name=name,
        description=description,
        team_id=201,
        organization_id=101,
        inputs=[{"name": "email", "type": "email", "required": True}],
        outputs=[{"name": "score", "type": "integer"}],
    )


def test_a_scenario_tool_declares_its_run_its_steps_its_scenario_and_open_world_annotations() -> None:
    tools = build_scenario_tools(Discovery(found=(found(404, description="Scores a lead."),)), taken_names=CATALOGUE)
    (tool,) = tools.operations
    assert tool.name == "score_a_lead_404" and tool.title == "Score a lead"
    assert tool.description == "Scores a lead. It returns the outputs score (integer)."
    assert tool.toolset == TOOLSET
    assert (tool.open_world, tool.read_only, tool.destructive, tool.idempotent) == (True, False, False, False)
    assert tool.meta == {"make/scenario": {"scenarioId": 404, "teamId": 201, "organizationId": 101}}
    assert tool.steps == RUN_STEPS and tool.run is not None
    assert (tool.method, tool.path, tool.scopes) == ("POST", "/scenarios/{scenarioId}/run", ("scenarios:run",))
    assert tool.rate_limit_exempt
    schema = input_schema(tool.input_model)
    assert schema["required"] == ["email"] and "anyOf" not in schema
    assert tool.output_schema is not None
    Draft202012Validator.check_schema(tool.output_schema)


def test_curation_names_describes_and_marks_tools_and_read_only_mode_keeps_only_read_only_ones() -> None:
    discovery = Discovery(found=(found(404), found(405, "Generate weekly report")))
    curation = {
        404: CuratedScenario(404, name="score_lead", description="Rates a lead", read_only=True),
        405: CuratedScenario(405, confirm=True),
    }
    tools = build_scenario_tools(discovery, taken_names=CATALOGUE, curation=curation)
    lead, report = tools.operations
    assert (lead.name, lead.read_only, lead.destructive) == ("score_lead", True, False)
    assert lead.description.startswith("Rates a lead.")
    assert (report.name, report.read_only, report.destructive) == ("generate_weekly_report_405", False, True)
    read_only = build_scenario_tools(discovery, taken_names=CATALOGUE, curation=curation, read_only=True)
    assert [tool.name for tool in read_only.operations] == ["score_lead"]
    assert [(left.scenario_id, left.reason) for left in read_only.left_out] == [
        (405, "read-only mode: the curation file does not mark it read_only")
    ]
    assert build_scenario_tools(discovery, taken_names=CATALOGUE, read_only=True).operations == ()


def test_a_curated_name_taken_by_the_catalogue_falls_back_to_the_generated_one_and_says_so() -> None:
    curation = {404: CuratedScenario(404, name="scenarios_run")}
    tools = build_scenario_tools(Discovery(found=(found(404),)), taken_names=CATALOGUE, curation=curation)
    assert tools.names() == {"score_a_lead_404"}
    assert tools.problems == (
        "scenario 404 is offered as score_a_lead_404: the tool name 'scenarios_run' is already taken",
    )


def test_the_name_length_setting_bounds_every_name() -> None:
    many = tuple(found(n, "A very long scenario name that goes on and on and on") for n in range(1, 30))
    tools = build_scenario_tools(Discovery(found=many), taken_names=CATALOGUE, name_max_length=24)
    assert all(len(name) <= 24 and TOOL_NAME.match(name) for name in tools.names())
    assert len(tools.names()) == 29


async def test_start_up_finds_the_default_teams_tools_from_the_settings() -> None:
    settings = Settings(sandbox=True, team=201, organization=101)
    async with sandbox_port() as port:
        tools = await find_scenario_tools(port, ScenarioToolSettings.from_settings(settings), taken_names=CATALOGUE)
    assert sorted(tools.names()) == ["generate_weekly_report_405", "score_a_lead_404"]
    assert [(left.scenario_id, left.name) for left in tools.left_out] == [(407, "Sync CRM contacts")]
    assert not set(tools.names()) & set(CATALOGUE)


async def test_start_up_with_a_curation_file_offers_exactly_its_scenarios(tmp_path: Path) -> None:
    path = tmp_path / "scenarios.toml"
    path.write_text('[[scenario]]\nid = 403\nname = "sync_order"\n\n[[scenario]]\nid = 406\n', encoding="utf-8")
    settings = Settings(sandbox=True, team=201, scenario_file=path)
    async with sandbox_port() as port:
        tools = await find_scenario_tools(port, ScenarioToolSettings.from_settings(settings), taken_names=CATALOGUE)
    assert tools.names() == {"sync_order"}
    assert [left.scenario_id for left in tools.left_out] == [406]


async def test_scenario_tools_off_sends_nothing() -> None:
    settings = Settings(sandbox=True, scenario_tools="off")
    async with sandbox_port() as port:
        tools = await find_scenario_tools(port, ScenarioToolSettings.from_settings(settings), taken_names=CATALOGUE)
        assert port.sent == []
    assert tools.operations == ()


async def test_five_hundred_scenarios_become_five_hundred_distinct_tools() -> None:
    state = demo_state(clock=FakeClock())
    seed_on_demand_scenarios(state, 500)
    async with sandbox_port(state) as port:
        tools = await find_scenario_tools(
            port, ScenarioToolSettings(parse_choice("auto"), team=201), taken_names=CATALOGUE
        )
    assert len(tools.names()) == len(tools.operations) == 502


def test_a_refresh_keeps_unchanged_tools_and_tells_whether_the_list_changed() -> None:
    first = build_scenario_tools(Discovery(found=(found(404), found(405, "Report"))), taken_names=CATALOGUE)
    same = build_scenario_tools(
        Discovery(found=(found(404), found(405, "Report"))), taken_names=CATALOGUE, previous=first
    )
    assert all(new is old for new, old in zip(same.operations, first.operations, strict=True))
    assert not same.changed_from(first)
    renamed = build_scenario_tools(
        Discovery(found=(found(404), found(405, "Weekly report"))), taken_names=CATALOGUE, previous=same
    )
    assert renamed.operations[0] is first.operations[0] and renamed.operations[1].name == "weekly_report_405"
    assert renamed.changed_from(same)
    assert ScenarioTools().changed_from(None) is False and first.changed_from(None)


async def test_after_a_scenario_is_made_callable_and_activated_a_refresh_lists_its_tool() -> None:
    state = demo_state(clock=FakeClock())
    config = ScenarioToolSettings(parse_choice("auto"), team=201)
    async with sandbox_port(state) as port:
        before = await find_scenario_tools(port, config, taken_names=CATALOGUE)
        unchanged = await find_scenario_tools(port, config, taken_names=CATALOGUE, previous=before)
        state.scenarios[402].update(isActive=True, scheduling={"type": "on-demand"})
        after = await find_scenario_tools(port, config, taken_names=CATALOGUE, previous=unchanged)
    assert not unchanged.changed_from(before)
    assert after.changed_from(unchanged)
    assert after.names() - before.names() == {"daily_mrr_digest_402"}


def test_the_report_lists_what_was_left_out_and_the_problems() -> None:
    tools = ScenarioTools(
        left_out=(LeftOut(407, "Sync CRM contacts", "its interface could not be read: Make answered 500"),),
        problems=("the scenarios of team 9 could not be listed: Make answered 403",),
    )
    assert tools.report() == [
        "scenario 407 (Sync CRM contacts) is not a tool: its interface could not be read: Make answered 500",
        "the scenarios of team 9 could not be listed: Make answered 403",
    ]


def test_the_settings_give_the_scenario_tool_configuration(tmp_path: Path) -> None:
    path = tmp_path / "scenarios.toml"
    settings = Settings(
        sandbox=True, team=201, scenario_tools="team:202,5", scenario_file=path, scenario_refresh=0, read_only=True
    )
    config = ScenarioToolSettings.from_settings(settings)
    assert config == ScenarioToolSettings(
        parse_choice("team:202,scenario:5"), team=201, curation_file=path, read_only=True, refresh_seconds=None
    )
    assert ScenarioToolSettings.from_settings(Settings(sandbox=True)).refresh_seconds == 300.0
