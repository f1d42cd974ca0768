"""mcp.json's ready-to-paste entries work as written: the sandbox entry serves, the account entry names real settings."""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

from mcp import Client
from mcp.client.stdio import StdioServerParameters

from make_mcp.server.support.config import KNOWN_ZONES, Settings

ROOT = Path(__file__).resolve().parents[1]
ENTRIES = json.loads((ROOT / "mcp.json").read_text(encoding="utf-8"))["mcpServers"]


def installed(command: str) -> str:
    """The command as the project's environment installs it (the console script next to this Python)."""
    found = shutil.which(command, path=str(Path(sys.executable).parent))
    assert found is not None, f"{command} is not installed next to {sys.executable}"
    return found


async def test_the_sandbox_entry_serves_the_demo_account_as_written() -> None:
    entry = ENTRIES["make-sandbox"]
    env = {key: value for key, value in os.environ.items() if not key.startswith("MAKE_")}
    env.update(entry.get("env", {}))
    params = StdioServerParameters(command=installed(entry["command"]), args=entry["args"], env=env)
    async with Client(params) as client:
        names = {tool.name for tool in (await client.list_tools()).tools}
        result = await client.call_tool("scenarios_list", {"teamId": 201})
    assert {"scenarios_list", "data-stores_list", "hooks_list"} <= names
    assert not result.is_error and result.structured_content is not None


def test_the_account_entry_sets_a_token_a_known_zone_and_a_team() -> None:
    entry = ENTRIES["make"]
    assert entry["command"] == "make-mcp" and entry["args"] == ["serve"]
    env = entry["env"]
    assert set(env) == {"MAKE_API_KEY", "MAKE_ZONE", "MAKE_TEAM"}
    assert env["MAKE_ZONE"] in KNOWN_ZONES
    assert {f"MAKE_{name.upper()}" for name in Settings.model_fields} >= set(env)
