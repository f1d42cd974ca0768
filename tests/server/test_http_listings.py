"""make_mcp.server.http.listings: tools/list answered from the wire form kept per listing, over a real mcp Client in
memory against servers built as the HTTP gateway builds them."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from types import SimpleNamespace
from typing import Any

import pytest
from mcp import Client

from make_mcp.server.engine.confirmation import Confirmations
from make_mcp.server.engine.connect import open_make_client
from make_mcp.server.engine.selection import ToolChoice
from make_mcp.server.http.listings import KeptListings
from make_mcp.server.make_api.client import MakeClient
from make_mcp.server.protocol.app import build_server
from make_mcp.server.protocol.runner import ToolRunner
from make_mcp.server.support.config import Settings
from tests.conftest import LoopbackSandbox

MODES = ["legacy", "auto"]
SCENARIO_SCOPES = frozenset({"scenarios:read", "organizations:read"})
HOOK_SCOPES = frozenset({"hooks:read", "organizations:read"})


@asynccontextmanager
async def make_client(sandbox: LoopbackSandbox) -> AsyncIterator[tuple[Settings, MakeClient]]:
    settings = Settings(api_key=sandbox.token, zone=sandbox.url, allow_custom_zone=True, rate_limit=0)
    async with open_make_client(settings) as make:
        yield settings, make


def runner_of(settings: Settings, make: MakeClient, scopes: frozenset[str] | None) -> ToolRunner:
    return ToolRunner(settings, make, ToolChoice.from_settings(settings).select(scopes), Confirmations())


def wire(listing: Any) -> list[dict[str, Any]]:
    return [tool.model_dump(by_alias=True, exclude_none=True) for tool in listing.tools]


@pytest.mark.parametrize("mode", MODES)
async def test_a_kept_listing_is_what_the_sdk_sends_in_each_protocol_era(
    loopback_sandbox: LoopbackSandbox, mode: str
) -> None:
    async with make_client(loopback_sandbox) as (settings, make):
        runner = runner_of(settings, make, None)
        plain = build_server(runner)
        kept_server = build_server(runner)
        kept = KeptListings(kept_server)
        kept_server.middleware.append(kept)
        async with Client(plain, mode=mode) as client:
            by_sdk = await client.list_tools()
        async with Client(kept_server, mode=mode) as client:
            first = await client.list_tools()
            second = await client.list_tools()
    assert wire(first) == wire(by_sdk) and wire(second) == wire(by_sdk)
    assert first.model_dump(exclude={"tools"}) == by_sdk.model_dump(exclude={"tools"})
    assert len(first.tools) > 20
    assert kept.shaped == 1  # the second listing used the kept wire form


async def test_each_listing_handed_out_is_answered_with_its_own_wire_form(loopback_sandbox: LoopbackSandbox) -> None:
    async with make_client(loopback_sandbox) as (settings, make):
        scenarios, hooks = runner_of(settings, make, SCENARIO_SCOPES), runner_of(settings, make, HOOK_SCOPES)
        handed_out = [scenarios]

        async def runner_for(ctx: Any) -> ToolRunner:
            return handed_out[0]

        server = build_server(scenarios, runner_for=runner_for)
        kept = KeptListings(server)
        server.middleware.append(kept)
        async with Client(server, mode="legacy") as client:
            seen = [{tool.name for tool in (await client.list_tools()).tools}]
            handed_out[0] = hooks
            seen.append({tool.name for tool in (await client.list_tools()).tools})
            handed_out[0] = scenarios
            seen.append({tool.name for tool in (await client.list_tools()).tools})
    assert "scenarios_list" in seen[0] and "hooks_list" not in seen[0]
    assert "hooks_list" in seen[1] and "scenarios_list" not in seen[1]
    assert seen[2] == seen[0]
    assert kept.shaped == 2  # one per listing; the third answer was the first one's kept form


async def test_a_kept_listing_is_encoded_once_and_a_changed_copy_is_encoded_anew(
    loopback_sandbox: LoopbackSandbox,
) -> None:
    import pydantic_core

    async with make_client(loopback_sandbox) as (settings, make):
        server = build_server(runner_of(settings, make, SCENARIO_SCOPES))
        kept = KeptListings(server)
        ctx = SimpleNamespace(method="tools/list", params=None, protocol_version="2025-11-25")

        async def sdk(ctx: Any) -> Any:
            raise AssertionError("a plain listing is answered from the kept wire form")

        first = await kept(ctx, sdk)  # pyright: ignore[reportArgumentType]
        second = await kept(ctx, sdk)  # pyright: ignore[reportArgumentType]
    assert isinstance(first, dict) and isinstance(second, dict)
    encoded = kept.json_of(dict(first))
    assert encoded == pydantic_core.to_json(first)
    assert kept.json_of(dict(second)) is encoded  # the same listing: its JSON as encoded the first time
    changed = {**first, "nextCursor": "2"}
    assert kept.json_of(changed) == pydantic_core.to_json(changed)
    other_tools = {**first, "tools": list(first["tools"][:1])}
    assert kept.json_of(other_tools) == pydantic_core.to_json(other_tools)
