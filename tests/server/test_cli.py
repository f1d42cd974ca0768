"""The `make-mcp` command: a real subprocess over stdio, and its configuration errors."""

from __future__ import annotations

import os
import subprocess
import sys

import mcp_types as types
import pytest
from mcp import Client
from mcp.client.stdio import StdioServerParameters

from make_mcp.server.cli.main import load_settings
from make_mcp.server.sandbox import demo_state
from tests.conftest import LoopbackSandbox


def server_env(**extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("MAKE_")}
    env.update(extra)
    return env


def stdio_params(*args: str, **env: str) -> StdioServerParameters:
    return StdioServerParameters(
        command=sys.executable, args=["-m", "make_mcp.server.cli.main", *args], env=server_env(**env)
    )


@pytest.mark.parametrize("mode", ["legacy", "auto"])
async def test_stdio_server_serves_a_real_account_configuration_against_the_loopback_sandbox(
    loopback_sandbox: LoopbackSandbox, mode: str
) -> None:
    params = stdio_params(
        "serve",
        MAKE_API_KEY=loopback_sandbox.token,
        MAKE_ZONE=loopback_sandbox.url,
        MAKE_ALLOW_CUSTOM_ZONE="1",
        MAKE_TEAM="201",
    )
    async with Client(params, mode=mode) as client:
        tools = (await client.list_tools()).tools
        result = await client.call_tool("scenarios_list", {"cols": ["id", "name"]})
    assert "scenarios_list" in {tool.name for tool in tools}
    assert not result.is_error
    assert result.structured_content is not None
    assert sorted(s["id"] for s in result.structured_content["scenarios"]) == [401, 402, 404, 405, 406, 407]
    # The token went over loopback to the sandbox, and only there.
    assert any(r.path.endswith("/scenarios") for r in loopback_sandbox.state.requests)


async def test_stdio_server_without_credentials_serves_the_built_in_sandbox_with_its_demo_team() -> None:
    async with Client(stdio_params("serve"), mode="legacy") as client:
        result = await client.call_tool("data-stores_list", {})
    assert not result.is_error, [b.text for b in result.content if isinstance(b, types.TextContent)]
    assert result.structured_content is not None
    assert result.structured_content["dataStores"][0]["id"] == 701


def test_sandbox_defaults_to_the_demo_team_and_organization_unless_others_are_set(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in [name for name in os.environ if name.startswith("MAKE_")]:
        monkeypatch.delenv(name)
    demo = demo_state()
    marketing = next(team for team in demo.teams.values() if team["name"] == "Marketing")
    chosen = load_settings({"sandbox": True})
    assert (chosen.team, chosen.organization) == (marketing["id"], marketing["organizationId"])
    assert load_settings({"sandbox": True, "team": 202}).team == 202
    assert load_settings({"api_key": "k"}).team is None


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"MAKE_ZONE": "evil.example.com", "MAKE_API_KEY": "x"}, "MAKE_ZONE"),
        ({"MAKE_TEAM": "abc", "MAKE_API_KEY": "x"}, "MAKE_TEAM"),
        ({"MAKE_TOOLSETS": "nonsense", "MAKE_SANDBOX": "1"}, "nonsense"),
    ],
)
def test_bad_configuration_exits_with_one_clear_line_and_no_traceback(env: dict[str, str], expected: str) -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "make_mcp.server.cli.main", "serve"],
        env=server_env(**env),
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    assert completed.returncode == 2
    assert completed.stdout == ""
    assert "Traceback" not in completed.stderr
    assert expected in completed.stderr
    assert len(completed.stderr.strip().splitlines()) == 1
