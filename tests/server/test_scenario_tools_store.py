"""Each caller's scenario tools are kept apart, discovered once for concurrent requests, and refreshed."""

from __future__ import annotations

import dataclasses

import anyio

from make_mcp.server.sandbox import SANDBOX_TOKEN, demo_state
from make_mcp.server.scenario_tools.store import ScenarioToolStore, caller_key
from make_mcp.server.scenario_tools.tools import ScenarioToolSettings
from make_mcp.server.support.scenario_choice import parse_choice
from make_mcp.tools.registry import ALL_OPERATIONS
from tests.server.sandbox.support import FakeClock
from tests.server.scenario_tools_support import sandbox_port

CONFIG = ScenarioToolSettings(parse_choice("auto"), team=201)
CATALOGUE = [operation.name for operation in ALL_OPERATIONS]


def store(
    *, max_age: float | None = None, max_callers: int = 1_000, clock: FakeClock | None = None
) -> ScenarioToolStore:
    config = dataclasses.replace(CONFIG, refresh_seconds=max_age)
    return ScenarioToolStore(config, CATALOGUE, max_callers=max_callers, clock=clock or FakeClock())


def test_a_callers_key_is_stable_and_does_not_reveal_the_credential() -> None:
    key = caller_key(f"Token {SANDBOX_TOKEN}")
    assert key == caller_key(f"Token {SANDBOX_TOKEN}") != caller_key("Token other")
    assert SANDBOX_TOKEN not in key and len(key) == 64


async def test_one_caller_never_gets_another_callers_tools() -> None:
    clock = FakeClock()
    state = demo_state(clock=clock)
    state.add_token("token-without-scenario-scopes", {"teams:read"})
    tools = store()
    async with (
        sandbox_port(state, clock=clock) as maker,
        sandbox_port(state, clock=clock, token="token-without-scenario-scopes") as stranger,
    ):
        mine = await tools.get(caller_key("maker"), maker)
        theirs = await tools.get(caller_key("stranger"), stranger)
    assert mine.names() == {"score_a_lead_404", "generate_weekly_report_405"}
    assert theirs.operations == () and "could not be listed" in theirs.problems[0]
    assert tools.current(caller_key("maker")) is mine and tools.current(caller_key("nobody")) is None


async def test_concurrent_first_requests_share_one_discovery_and_later_ones_reuse_it() -> None:
    clock = FakeClock()
    state = demo_state(clock=clock)
    tools = store()
    async with sandbox_port(state, clock=clock) as port:
        async with anyio.create_task_group() as group:
            for _ in range(5):
                group.start_soon(tools.get, caller_key("maker"), port)
        listings = [r for r in state.requests if r.path == "/api/v2/scenarios"]
        await tools.get(caller_key("maker"), port)
    assert len(listings) == 1
    assert len([r for r in state.requests if r.path == "/api/v2/scenarios"]) == 1


async def test_tools_older_than_the_refresh_setting_are_discovered_again() -> None:
    clock = FakeClock()
    state = demo_state(clock=clock)
    tools = store(max_age=300.0, clock=clock)
    async with sandbox_port(state, clock=clock) as port:
        first = await tools.get("k", port)
        clock.advance(299)
        assert await tools.get("k", port) is first
        state.scenarios[405]["isActive"] = False
        clock.advance(1)
        later = await tools.get("k", port)
    assert later.names() == {"score_a_lead_404"}
    assert later.operations[0] is first.operations[0]  # unchanged scenarios keep their tool


async def test_refresh_says_whether_tools_list_changed() -> None:
    clock = FakeClock()
    state = demo_state(clock=clock)
    tools = store()
    async with sandbox_port(state, clock=clock) as port:
        assert await tools.refresh("k", port) is True  # from nothing to two tools
        assert await tools.refresh("k", port) is False
        state.scenarios[406]["isActive"] = True  # as scenarios_activate would
        assert await tools.refresh("k", port) is True
    current = tools.current("k")
    assert current is not None and "archive_stale_leads_406" in current.names()


async def test_the_store_keeps_at_most_max_callers() -> None:
    tools = store(max_callers=2)
    async with sandbox_port() as port:
        for key in ("a", "b", "c"):
            await tools.get(key, port)
        await tools.get("b", port)
        await tools.get("d", port)
    assert [tools.current(key) is not None for key in "abcd"] == [False, True, False, True]
