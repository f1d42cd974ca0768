"""Endpoints per team: profiles from a TOML file, each at /mcp/<name> with its own tools."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import httpx2
import pytest
from mcp import Client
from mcp.client.streamable_http import streamable_http_client

from make_mcp.server.http.profiles import ProfilesError, load_profiles
from make_mcp.server.support.config import Settings
from tests.conftest import LoopbackSandbox
from tests.server.test_remote_auth import (
    Browser,
    MemoryStorage,
    Running,
    oauth_provider,
    post_mcp,
    serve,
    signed_in_client,
)

__all__ = ["serve"]  # a fixture used here

PROFILES = """
[profiles.readers]
toolsets = "scenarios"
read_only = true

[profiles.ops]
toolsets = "all"
tool_mode = "discovery"

[profiles.orders]
toolsets = "scenarios"
scenario_tools = "scenario:403"
"""


@pytest.fixture
def profiles_file(tmp_path: Path) -> Path:
    path = tmp_path / "profiles.toml"
    path.write_text(PROFILES, encoding="utf-8")
    return path


async def tool_names(url: str, token: str) -> set[str]:
    async with (
        httpx2.AsyncClient(headers={"Authorization": f"Token {token}"}, timeout=30) as http,
        Client(streamable_http_client(url, http_client=http)) as client,
    ):
        return {tool.name for tool in (await client.list_tools()).tools}


def test_profiles_change_only_toolsets_read_only_mode_and_scenario_selection(profiles_file: Path) -> None:
    readers, ops, orders = load_profiles(profiles_file)
    base = Settings(api_key="k" * 20, team=7)  # pyright: ignore[reportArgumentType]
    assert (readers.name, readers.path) == ("readers", "/mcp/readers")
    applied = readers.apply(base)
    assert (applied.toolsets, applied.read_only, applied.tool_mode, applied.team) == ("scenarios", True, "core", 7)
    assert (ops.apply(base).toolsets, ops.apply(base).tool_mode, ops.apply(base).read_only) == (
        "all",
        "discovery",
        False,
    )
    assert (orders.apply(base).scenario_tools, base.scenario_tools) == ("scenario:403", "auto")


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("[profiles.readers]\nzone = 'evil.example'\n", "zone"),
        ("[profiles.Readers]\nread_only = true\n", "profile name"),
        ("[profiles.readers\n", "not valid TOML"),
        ("[other]\nx = 1\n", "expected [profiles.<name>]"),
        ("[profiles.readers]\ntool_mode = 'everything'\n", "tool_mode"),
        ("[profiles.readers]\nscenario_tools = 'team:x'\n", "scenario_tools"),
    ],
)
def test_a_profiles_file_that_cannot_be_used_is_refused_naming_the_file_and_the_problem(
    tmp_path: Path, text: str, said: str
) -> None:
    path = tmp_path / "profiles.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ProfilesError) as raised:
        load_profiles(path)
    assert "MAKE_PROFILES_FILE" in str(raised.value) and str(path) in str(raised.value) and said in str(raised.value)


async def test_each_profile_is_served_at_its_own_path_with_its_own_tools(
    loopback_sandbox: LoopbackSandbox, serve: Callable[..., Running], profiles_file: Path
) -> None:
    running = serve(loopback_sandbox, profiles_file=profiles_file)
    everything = await tool_names(running.mcp_url, loopback_sandbox.token)
    readers = await tool_names(f"{running.mcp_url}/readers", loopback_sandbox.token)
    ops = await tool_names(f"{running.mcp_url}/ops", loopback_sandbox.token)
    assert "scenarios_create" in everything and "data-stores_list" in everything
    assert "scenarios_list" in readers and "scenarios_create" not in readers and "data-stores_list" not in readers
    # Discovery mode: the three discovery tools, and the caller's scenario tools (listed in every mode).
    scenario_tools = {"sync_order_on_demand_403", "score_a_lead_404", "generate_weekly_report_405"}
    assert ops - scenario_tools == {"tools_search", "tools_describe", "tools_call"}
    # A profile's own scenario selection: only scenario 403 becomes a tool there.
    orders = await tool_names(f"{running.mcp_url}/orders", loopback_sandbox.token)
    assert orders & scenario_tools == {"sync_order_on_demand_403"} and "scenarios_list" in orders
    assert everything & scenario_tools == scenario_tools
    assert (await post_mcp(f"{running.mcp_url}/nope", f"Token {loopback_sandbox.token}")).status_code == 404


async def test_a_token_signed_in_for_one_profile_is_refused_at_another_endpoint(
    loopback_sandbox: LoopbackSandbox, serve: Callable[..., Running], profiles_file: Path
) -> None:
    running = serve(loopback_sandbox, profiles_file=profiles_file)
    readers_url = f"{running.mcp_url}/readers"
    storage = MemoryStorage()
    async with signed_in_client(oauth_provider(readers_url, Browser(), storage), readers_url) as client:
        listed = {tool.name for tool in (await client.list_tools()).tools}
    assert "scenarios_list" in listed and "scenarios_create" not in listed
    assert storage.tokens is not None
    bearer = f"Bearer {storage.tokens.access_token}"
    assert (await post_mcp(readers_url, bearer)).status_code == 200
    elsewhere = await post_mcp(running.mcp_url, bearer)
    assert elsewhere.status_code == 401  # issued for /mcp/readers (RFC 8707 resource), not for /mcp
    async with httpx2.AsyncClient(timeout=30) as http:
        metadata = (await http.get(f"{running.base}/.well-known/oauth-protected-resource/mcp/readers")).json()
    assert metadata["resource"] == readers_url
