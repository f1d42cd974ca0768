"""scripts/bench_tasks.py runs the fourteen tasks end to end on make-mcp and reports calls and tokens for each."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from make_mcp.server.sandbox import demo_state
from make_mcp.server.sandbox.seed_account import seed_large_account

ROOT = Path(__file__).resolve().parents[2]
BENCH_TASKS = ROOT / "scripts" / "bench_tasks.py"


def test_the_task_benchmark_runs_every_task_in_each_mode_and_counts_calls_and_tokens(tmp_path: Path) -> None:
    figures = tmp_path / "tasks.json"
    completed = subprocess.run(
        [sys.executable, str(BENCH_TASKS), "--json", str(figures), "--deadline", "300"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=360,
        stdin=subprocess.DEVNULL,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    assert "| **the first eight** |" in completed.stdout and "| **all 14** |" in completed.stdout
    default, full, discovery = json.loads(figures.read_text())
    assert default["tools"] <= 40 and full["tools"] > 100 and discovery["tools"] == 3
    assert discovery["listing_tokens"] < 2_000 < default["listing_tokens"] <= 6_000 < full["listing_tokens"]
    for mode in (default, full, discovery):
        assert len(mode["tasks"]) == 14
        assert all(task["calls"] >= 1 and task["result_tokens"] > 0 for task in mode["tasks"])
        assert "tools_search did not find" not in json.dumps(mode)
    # A tool the listing does not show costs a search and a describe call first.
    calls = [sum(t["calls"] for t in mode["tasks"]) for mode in (full, default, discovery)]
    assert calls == sorted(calls) and calls[0] < calls[2]
    failed = default["tasks"][0]["note"]
    assert f"failing scenarios of {seeded_team_scenarios()}" in failed  # every page of the team's was read


def seeded_team_scenarios() -> int:
    state = demo_state()
    seed_large_account(state)
    return sum(1 for scenario in state.scenarios.values() if scenario["teamId"] == 201)
