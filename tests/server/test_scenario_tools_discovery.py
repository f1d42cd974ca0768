"""Discovery finds the active on-demand scenarios the setting selects, with their interfaces, through the port.

The demo sandbox (server/sandbox/demo_scenario_tools.py): 403 (team 202) and 404, 405 (team 201) qualify; 406 is
inactive; 407's interface fails to load; 401 and 402 are not on-demand.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import anyio
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from make_mcp.server.errors import MakeApiError
from make_mcp.server.sandbox import demo_state
from make_mcp.server.sandbox.demo_scenario_tools import seed_on_demand_scenarios
from make_mcp.server.sandbox.faults import server_error
from make_mcp.server.scenario_tools.discovery import (
    PAGE_SIZE,
    Discovery,
    discover_one,
    discover_scenarios,
    is_active,
    scheduling_type,
    why_not_callable,
)
from make_mcp.server.scenario_tools.tools import build_scenario_tools
from make_mcp.server.support.scenario_choice import parse_choice
from make_mcp.tools.catalogue import Step
from tests.server.sandbox.support import FakeClock
from tests.server.scenario_tools_support import sandbox_port


def ids(discovery: Discovery) -> list[int]:
    return [found.scenario_id for found in discovery.found]


def reasons(discovery: Discovery) -> dict[int, str]:
    return {left.scenario_id: left.reason for left in discovery.left_out}


async def test_auto_with_a_default_team_finds_that_teams_callable_scenarios_and_their_interfaces() -> None:
    async with sandbox_port() as port:
        discovery = await discover_scenarios(port, parse_choice("auto"), team=201)
    assert ids(discovery) == [404, 405]
    lead = discovery.found[0]
    assert (lead.name, lead.team_id, lead.organization_id) == ("Score a lead", 201, 101)
    assert lead.description.startswith("Scores a sales lead")
    assert [item["name"] for item in lead.inputs][:3] == ["name", "email", "company"]
    assert [item["name"] for item in lead.outputs] == ["score", "tier", "reasons", "crmId"]
    assert list(reasons(discovery)) == [407]
    assert "its interface could not be read" in reasons(discovery)[407]
    assert "500" in reasons(discovery)[407]
    assert discovery.problems == ()


async def test_auto_without_a_team_reads_every_organization_the_token_sees() -> None:
    async with sandbox_port() as port:
        discovery = await discover_scenarios(port, parse_choice("auto"))
        sent = list(port.sent)
    assert ids(discovery) == [403, 404, 405]
    assert discovery.found[0].organization_id == 101 and discovery.found[0].team_id == 202
    assert sent[0] == ("GET", "/organizations")
    assert ("GET", "/scenarios") in sent


async def test_organization_mode_uses_the_default_organization() -> None:
    async with sandbox_port() as port:
        discovery = await discover_scenarios(port, parse_choice("organization"), team=201, organization=101)
        sent = list(port.sent)
    assert ids(discovery) == [403, 404, 405]
    assert ("GET", "/organizations") not in sent


async def test_off_sends_nothing() -> None:
    async with sandbox_port() as port:
        assert await discover_scenarios(port, parse_choice("off"), team=201) == Discovery()
        assert port.sent == []


async def test_scenarios_named_by_id_that_do_not_qualify_are_left_out_saying_what_to_do() -> None:
    async with sandbox_port() as port:
        discovery = await discover_scenarios(port, parse_choice("scenario:406,401,403,999999"))
    assert ids(discovery) == [403]
    why = reasons(discovery)
    assert "not active" in why[406] and "scenarios_activate" in why[406]
    assert "scheduling is immediately, not on-demand" in why[401]
    assert "could not be read" in why[999999] and "404" in why[999999]


async def test_a_folder_entry_lists_that_folder_in_the_default_team() -> None:
    state = demo_state(clock=FakeClock())
    state.folders[502] = {"id": 502, "name": "Agent tools", "parentId": None, "teamId": 201}
    state.scenarios[405]["folderId"] = 502
    async with sandbox_port(state) as port:
        in_team = await discover_scenarios(port, parse_choice("folder:502"), team=201)
        anywhere = await discover_scenarios(port, parse_choice("folder:502"))
    assert ids(in_team) == ids(anywhere) == [405]


async def test_a_team_entry_lists_that_team() -> None:
    async with sandbox_port() as port:
        discovery = await discover_scenarios(port, parse_choice("team:202"), team=201)
    assert ids(discovery) == [403]
    assert discovery.found[0].inputs[0]["name"] == "orderId"


async def test_the_curation_files_ids_are_exactly_what_is_read() -> None:
    async with sandbox_port() as port:
        discovery = await discover_scenarios(port, parse_choice("auto"), team=201, only=[405, 406])
        sent = list(port.sent)
    assert ids(discovery) == [405]
    assert list(reasons(discovery)) == [406]
    assert ("GET", "/scenarios") not in sent


async def test_every_page_is_read() -> None:
    state = demo_state(clock=FakeClock())
    seeded = seed_on_demand_scenarios(state, PAGE_SIZE * 2 + 50)
    async with sandbox_port(state) as port:
        discovery = await discover_scenarios(port, parse_choice("team:201"))
    assert ids(discovery) == [404, 405, *seeded]
    offsets = [value for request in state.requests for key, value in request.query if key == "pg[offset]"]
    assert offsets == ["0", str(PAGE_SIZE), str(PAGE_SIZE * 2)]


async def test_a_team_that_cannot_be_listed_is_a_problem_and_the_rest_still_lists() -> None:
    state = demo_state(clock=FakeClock())
    state.faults.add(server_error(503), method="GET", path="/scenarios", times=2)  # the first try and its retry
    async with sandbox_port(state) as port:
        discovery = await discover_scenarios(port, parse_choice("team:201,scenario:403"))
    assert ids(discovery) == [403]
    assert len(discovery.problems) == 1 and "the scenarios of team 201 could not be listed" in discovery.problems[0]


class CountingPort:
    """A port answering from a table, counting how many requests are in flight at once."""

    def __init__(self, scenarios: int) -> None:
        self.scenarios = scenarios
        self.in_flight = 0
        self.most_in_flight = 0

    async def send(
        self,
        step: Step,
        path_params: Mapping[str, Any] | None = None,
        *,
        query: Sequence[tuple[str, str]] = (),
        body: Any = None,
    ) -> Any:
        self.in_flight += 1
        self.most_in_flight = max(self.most_in_flight, self.in_flight)
        await anyio.sleep(0)
        await anyio.sleep(0)
        self.in_flight -= 1
        if step.path == "/scenarios":
            offset = int(dict(query)["pg[offset]"])
            count = max(0, min(PAGE_SIZE, self.scenarios - offset))
            return {
                "scenarios": [
                    {"id": n, "name": f"S{n}", "teamId": 1, "isActive": "true", "scheduling": '{"type":"on-demand"}'}
                    for n in range(offset + 1, offset + count + 1)
                ]
            }
        if step.path == "/teams/{teamId}":
            raise MakeApiError(operation="teams_get", status=403, code="SC403")
        assert path_params is not None
        if path_params["scenarioId"] % 10 == 0:
            return {"interface": {"input": "broken"}}
        return {"interface": {"input": None, "output": None}}

    async def progress(self, message: str) -> None:
        return None

    async def sleep(self, seconds: float) -> None:
        return None

    def time_left(self) -> float | None:
        return None


async def test_interface_reads_run_at_most_eight_at_once_and_a_bad_answer_leaves_only_that_scenario_out() -> None:
    port = CountingPort(scenarios=60)
    discovery = await discover_scenarios(port, parse_choice("team:1"))
    assert len(discovery.found) == 54
    assert sorted(reasons(discovery)) == list(range(10, 61, 10))
    assert all("'input' is not a list" in reason for reason in reasons(discovery).values())
    assert all(found.organization_id is None for found in discovery.found)  # GET /teams refused: unknown
    assert 1 < port.most_in_flight <= 8


@pytest.mark.parametrize(
    ("scenario", "kind", "active"),
    [
        ({"scheduling": {"type": "on-demand"}, "isActive": True}, "on-demand", True),
        ({"scheduling": '{"type": "on-demand"}', "isActive": "true"}, "on-demand", True),
        ({"scheduling": "not json", "isActive": False}, None, False),
        ({"scheduling": ["on-demand"], "isActive": 1}, None, False),
        ({}, None, False),
    ],
)
def test_scheduling_and_activity_are_read_whatever_their_form(
    scenario: dict[str, Any], kind: str | None, active: bool
) -> None:
    assert scheduling_type(scenario) == kind
    assert is_active(scenario) is active
    assert (why_not_callable(scenario) is None) is (kind == "on-demand" and active)


ANY_JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 500) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=12,
)
SCENARIO_LIKE = st.fixed_dictionaries(
    {
        "id": st.integers(1, 30) | st.sampled_from(["3", -1, None]),
        "isActive": st.sampled_from([True, True, "true", False, None, 1]),
        "scheduling": st.sampled_from(
            [{"type": "on-demand"}, {"type": "on-demand"}, '{"type":"on-demand"}', "{", None]
        ),
    },
    optional={"name": ANY_JSON, "teamId": ANY_JSON, "description": ANY_JSON},
)
INTERFACE_ITEMS = st.lists(st.fixed_dictionaries({"name": st.text(max_size=4), "type": ANY_JSON}), max_size=3)


def mostly(shape: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Make's shape three times in four, any JSON otherwise."""
    return st.one_of(shape, shape, shape, ANY_JSON)


INTERFACE = st.fixed_dictionaries({"input": mostly(INTERFACE_ITEMS), "output": mostly(INTERFACE_ITEMS)})
ANSWERS_BY_PATH = st.fixed_dictionaries(
    {
        "/organizations": st.lists(
            mostly(
                st.fixed_dictionaries({"organizations": st.lists(st.fixed_dictionaries({"id": st.integers(1, 3)}))})
            ),
            min_size=1,
            max_size=2,
        ),
        "/scenarios": st.lists(
            mostly(st.fixed_dictionaries({"scenarios": st.lists(SCENARIO_LIKE, max_size=4)})), max_size=3
        ),
        "/scenarios/{scenarioId}": st.lists(mostly(st.fixed_dictionaries({"scenario": SCENARIO_LIKE})), max_size=2),
        "/teams/{teamId}": st.lists(mostly(st.fixed_dictionaries({"team": ANY_JSON})), max_size=2),
        "/scenarios/{scenarioId}/interface": st.lists(
            mostly(st.fixed_dictionaries({"interface": INTERFACE})), max_size=6
        ),
    }
)


class HostilePort:
    """Answers each request with the next drawn answer for its path; when those run out, with a Make error."""

    def __init__(self, answers: dict[str, list[Any]]) -> None:
        self.answers = answers

    async def send(
        self,
        step: Step,
        path_params: Mapping[str, Any] | None = None,
        *,
        query: Sequence[tuple[str, str]] = (),
        body: Any = None,
    ) -> Any:
        queue = self.answers.get(step.path) or []
        if not queue:
            raise MakeApiError(operation="discovery", status=500, code="SC500")
        return queue.pop(0)

    async def progress(self, message: str) -> None:
        return None

    async def sleep(self, seconds: float) -> None:
        return None

    def time_left(self) -> float | None:
        return None


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(ANSWERS_BY_PATH, st.sampled_from(["auto", "team:1,scenario:3", "folder:2", "organization"]))
def test_any_answers_from_make_give_a_discovery_never_a_crash(answers: dict[str, list[Any]], setting: str) -> None:
    async def discover() -> Discovery:
        return await discover_scenarios(HostilePort(answers), parse_choice(setting), team=None, organization=None)

    discovery = anyio.run(discover)
    tools = build_scenario_tools(discovery, taken_names=["scenarios_list"])
    assert len(tools.operations) + len(tools.left_out) >= len(discovery.found)


async def test_one_changed_scenario_of_the_default_team_is_read_again_in_two_requests() -> None:
    async with sandbox_port() as port:
        one = await discover_one(port, parse_choice("auto"), 404, team=201, organization_of_team={201: 101})
        sent = list(port.sent)
    assert one.decided and one.found is not None and one.found.name == "Score a lead"
    assert one.found.organization_id == 101  # known from an earlier discovery: no request for the team
    assert sent == [("GET", "/scenarios/404"), ("GET", "/scenarios/404/interface")]


async def test_one_scenario_outside_the_choice_or_not_callable_costs_one_request_and_gives_no_tool() -> None:
    async with sandbox_port() as port:
        other_team = await discover_one(port, parse_choice("auto"), 403, team=201)
        inactive = await discover_one(port, parse_choice("auto"), 406, team=201)
        named_inactive = await discover_one(port, parse_choice("scenario:406"), 406)
        sent = list(port.sent)
    assert other_team.decided and other_team.found is None and other_team.left_out is None
    assert inactive.found is None and inactive.left_out is None  # not asked for by ID: nothing to say
    assert named_inactive.left_out is not None and "scenarios_activate" in named_inactive.left_out.reason
    assert sent == [("GET", "/scenarios/403"), ("GET", "/scenarios/406"), ("GET", "/scenarios/406")]


async def test_one_scenario_not_in_the_curation_file_or_with_scenario_tools_off_sends_nothing() -> None:
    async with sandbox_port() as port:
        uncurated = await discover_one(port, parse_choice("auto"), 404, team=201, only=[405])
        off = await discover_one(port, parse_choice("off"), 404, team=201)
        assert port.sent == []
    assert uncurated.found is None and off.found is None


async def test_one_scenario_whose_organization_is_unknown_asks_for_a_full_discovery() -> None:
    """Make's scenario has no organizationId: in organization mode only a listing (or a known team) tells."""
    scenario = {"id": 9, "name": "Nine", "teamId": 7, "isActive": True, "scheduling": {"type": "on-demand"}}
    interface = {"interface": {"input": [], "output": []}}

    def port() -> HostilePort:
        return HostilePort(
            {"/scenarios/{scenarioId}": [{"scenario": scenario}], "/scenarios/{scenarioId}/interface": [interface]}
        )

    choice = parse_choice("organization")
    unknown = await discover_one(port(), choice, 9, organization=5)
    known = await discover_one(port(), choice, 9, organization=5, organization_of_team={7: 5})
    elsewhere = await discover_one(port(), choice, 9, organization=5, organization_of_team={7: 6})
    assert not unknown.decided and unknown.found is None
    assert known.decided and known.found is not None and known.found.organization_id == 5
    assert elsewhere.decided and elsewhere.found is None
