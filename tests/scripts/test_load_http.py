"""scripts/load_http.py runs a small bounded load against the HTTP transport and reports it faithfully."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LOAD = ROOT / "scripts" / "load_http.py"


def test_a_small_load_of_users_with_different_grants_completes_every_call_without_errors(tmp_path: Path) -> None:
    figures = tmp_path / "load.json"
    sessions, calls = 4, 3
    completed = subprocess.run(
        [
            sys.executable,
            str(LOAD),
            *("--sessions", str(sessions), "--calls", str(calls), "--duration", "120"),
            *("--mode", "mixed", "--json", str(figures)),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
        stdin=subprocess.DEVNULL,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    result = json.loads(figures.read_text())
    assert result["sessions"] == sessions and result["grants"] == 3
    assert result["calls"] == sessions * calls  # bounded by --calls, long before --duration
    assert result["errors"] == 0 and result["isolation_violations"] == 0, result["first_errors"]
    assert result["server_rss_mib"]["peak"] >= result["server_rss_mib"]["idle"] > 0
    assert "errors           0" in completed.stdout
