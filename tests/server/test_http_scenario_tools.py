"""Scenario tools over streamable HTTP: each credential gets its own, found in the background (both eras)."""

from __future__ import annotations

from collections.abc import Callable

import anyio
import pytest
from mcp import Client

from make_mcp.server.scenario_tools.store import caller_key
from tests.conftest import LoopbackSandbox
from tests.server.test_http import (  # noqa: F401 (sandbox_users and start_http are pytest fixtures)
    ALICE,
    BOB,
    MODES,
    HttpServer,
    names,
    sandbox_users,
    start_http,
    text_of,
    user_client,
)

CAROL = "ca201000-0000-4000-8000-0000000ca201"
RUNNER_SCOPES = {"scenarios:read", "scenarios:run", "scenarios:write", "organizations:read", "teams:read"}


async def listed_once_found(client: Client, server: HttpServer, token: str) -> set[str]:
    """tools/list after the caller's first discovery has ended (it runs in the background, on the server's loop)."""
    await client.list_tools()
    with anyio.fail_after(10):
        while server.callers.scenario_store.current(caller_key(f"Token {token}")) is None:
            await anyio.sleep(0.01)  # the server runs in another thread: its progress is waited for, not slept on
    return names(await client.list_tools())


@pytest.mark.parametrize("mode", MODES)
async def test_one_user_never_sees_another_users_scenario_tools(
    start_http: Callable[..., HttpServer],  # noqa: F811
    sandbox_users: LoopbackSandbox,  # noqa: F811
    mode: str,
) -> None:
    sandbox_users.state.add_token(CAROL, RUNNER_SCOPES)
    server = start_http(team=201, scenario_refresh=0)
    async with user_client(server.url, CAROL, mode=mode) as carol, user_client(server.url, BOB, mode=mode) as bob:
        carol_tools = await listed_once_found(carol, server, CAROL)
        bob_tools = await listed_once_found(bob, server, BOB)
        ran = await carol.call_tool("score_a_lead_404", {"name": "Ana", "email": "ana@example.com"})
        refused = await bob.call_tool("score_a_lead_404", {"name": "Ana", "email": "ana@example.com"})
    assert {"score_a_lead_404", "generate_weekly_report_405"} <= carol_tools
    assert not {name for name in bob_tools if name.endswith(("_404", "_405"))}  # Bob may not read scenarios
    assert not ran.is_error, text_of(ran)
    assert ran.structured_content is not None and ran.structured_content["status"] == "SUCCESS"
    assert refused.is_error and "score_a_lead_404" in text_of(refused)
    assert ALICE not in text_of(refused)
