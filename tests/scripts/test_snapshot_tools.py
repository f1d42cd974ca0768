"""The committed tools/list snapshot is exactly what the catalogue advertises now."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tools.registry import ALL_OPERATIONS

ROOT = Path(__file__).resolve().parents[2]
SNAPSHOT_SCRIPT = ROOT / "scripts" / "snapshot_tools.py"
SNAPSHOT = ROOT / "tests" / "tools" / "snapshots" / "tools_list.json"


def test_the_advertised_tools_match_the_committed_snapshot() -> None:
    result = subprocess.run(
        [sys.executable, str(SNAPSHOT_SCRIPT), "--check"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
        timeout=300,
    )
    assert result.returncode == 0, f"tools/list drifted from the snapshot:\n{result.stdout}{result.stderr}"


def test_the_snapshot_holds_every_tool_once_with_everything_a_client_is_sent() -> None:
    tools = json.loads(SNAPSHOT.read_text(encoding="utf-8"))["tools"]
    assert [tool["name"] for tool in tools] == sorted(operation.name for operation in ALL_OPERATIONS)
    for tool in tools:
        assert {"name", "title", "description", "inputSchema", "annotations", "_meta"} <= tool.keys(), tool["name"]
