"""scripts/load_remote.py signs users in with Make and spreads their calls over two instances sharing Redis."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LOAD = ROOT / "scripts" / "load_remote.py"


def test_a_small_load_of_signed_in_users_over_two_instances_completes_every_call_without_errors(
    tmp_path: Path,
) -> None:
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed (apt-get install -y redis-server; .ci/run installs it)")
    figures = tmp_path / "load.json"
    users, calls = 2, 4
    completed = subprocess.run(
        [
            sys.executable,
            str(LOAD),
            "--users",
            str(users),
            "--calls",
            str(calls),
            "--duration",
            "120",
            "--json",
            str(figures),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
        stdin=subprocess.DEVNULL,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "remote load: 2 signed-in users, 2 instances on one Redis" in completed.stdout
    result = json.loads(figures.read_text())
    assert result["calls"] == users * calls
    assert result["calls_by_instance"] == [users * calls // 2, users * calls // 2]  # alternated call by call
    assert result["errors"] == 0 and result["first_errors"] == []
    assert len(result["sign_in_ms"]) == 2 and result["sign_in_ms"]["p50"] > 0
