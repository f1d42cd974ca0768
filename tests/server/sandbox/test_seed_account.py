"""The seeded account the task benchmark runs on: large, with what the tasks look for, and the same every time."""

from __future__ import annotations

from make_mcp.server.sandbox import SandboxState, demo_state
from make_mcp.server.sandbox.seed_account import AccountSize, seed_large_account


def seeded(size: AccountSize | None = None) -> SandboxState:
    state = demo_state()
    seed_large_account(state, size or AccountSize())
    return state


def test_the_account_has_hundreds_of_scenarios_with_runs_failures_and_records() -> None:
    state = seeded()
    assert len(state.scenarios) >= 300
    assert len(state.executions) >= 500
    assert any(scenario["dlqCount"] for scenario in state.scenarios.values())
    assert sum(len(records) for records in state.records.values()) >= 300
    assert sum(1 for c in state.connections.values() if c["expire"] is not None) >= AccountSize().expired_connections
    hooked = {scenario["hookId"] for scenario in state.scenarios.values() if scenario["hookId"] is not None}
    assert len(hooked) == len(state.hooks)  # every webhook triggers a scenario


def test_the_same_size_gives_the_same_account() -> None:
    small = AccountSize(scenarios=20, webhooks=4, connections=6, data_stores=2, records_per_store=5)
    first, second = seeded(small), seeded(small)
    assert first.scenarios == second.scenarios
    assert first.executions.keys() == second.executions.keys()
