"""scripts/load_http.py runs a small bounded load against the HTTP transport and reports it faithfully."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
LOAD = ROOT / "scripts" / "load_http.py"


def run_load(tmp_path: Path, *flags: str) -> tuple[subprocess.CompletedProcess[str], dict[str, Any]]:
    figures = tmp_path / "load.json"
    completed = subprocess.run(
        [sys.executable, str(LOAD), *flags, "--duration", "120", "--json", str(figures)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
        stdin=subprocess.DEVNULL,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr[-3000:]
    return completed, json.loads(figures.read_text())


def test_a_small_load_of_users_with_different_grants_completes_every_call_without_errors(tmp_path: Path) -> None:
    sessions, calls = 4, 3
    completed, result = run_load(tmp_path, "--sessions", str(sessions), "--calls", str(calls), "--mode", "mixed")
    assert result["sessions"] == sessions and result["grants"] == 3 and result["instances"] == 1
    assert result["calls"] == sessions * calls  # bounded by --calls, long before --duration
    assert result["errors"] == 0 and result["isolation_violations"] == 0, result["first_errors"]
    assert result["server_rss_mib"]["peak"] >= result["server_rss_mib"]["idle"] > 0
    assert "errors           0" in completed.stdout


def test_users_signed_in_with_make_alternate_their_calls_over_two_instances_sharing_redis_within_a_budget(
    tmp_path: Path,
) -> None:
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed (apt-get install -y redis-server; .ci/run installs it)")
    sessions, calls = 2, 4
    completed, result = run_load(
        tmp_path,
        *("--sessions", str(sessions), "--calls", str(calls), "--instances", "2", "--sign-in"),
        *("--rate-limit", "600"),
    )
    assert "2 instance(s), sharing one Redis" in completed.stdout
    assert result["calls"] == sessions * calls
    assert result["calls_by_instance"] == [sessions * calls // 2] * 2  # alternated call by call
    assert result["errors"] == 0 and result["first_errors"] == []
    assert result["sign_in_ms"]["p50"] > 0
    assert result["budget_held"] and "429" not in result["make_answers_by_status"]
    assert "budget           600 a minute for all instances" in completed.stdout
