"""Subscriptions to resources in the 2025-11-25 era through a real MCP client, in memory and over HTTP, against
the sandbox: a subscribed connection hears notifications/resources/updated when the resource changes through its
caller's calls and tasks, notifications/resources/list_changed when a scenario comes or goes, nothing once
unsubscribed, and another credential's connection hears nothing. The 2026 era's listen: test_tasks.py."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import anyio
import httpx2
import mcp_types as types
import pytest
from mcp import Client, MCPError
from mcp.client.streamable_http import streamable_http_client

from tests.conftest import LoopbackSandbox
from tests.server.protocol.tasks_support import REPORT, HeldMake, following, new_manager, polled_until, task_server
from tests.server.protocol.test_builder_tasks import BLUEPRINT, legacy_call_as_task, no_manifest_cached  # noqa: F401
from tests.server.protocol.test_tasks_http import LegacyClient
from tests.server.test_http import (  # noqa: F401 (sandbox_users and start_http are pytest fixtures)
    HttpServer,
    sandbox_users,
    start_http,
)

BLUEPRINT_402 = "make://scenarios/402/blueprint"
TEAM_SCENARIOS = "make://teams/201/scenarios"
RENAME = {"scenarioId": 402, "name": "Weekly MRR digest"}
WRITER = "ca201000-0000-4000-8000-0000000ca202"
OTHER_WRITER = "5e201000-0000-4000-8000-0000000e5202"
WRITER_SCOPES = {"scenarios:read", "scenarios:write", "organizations:read", "teams:read"}

# The client's resources/subscribe is deprecated for the 2026 era only; these tests speak 2025-11-25.
pytestmark = pytest.mark.filterwarnings("ignore::mcp.shared.exceptions.MCPDeprecationWarning")


class Heard:
    """The resource notifications one client connection received, in order."""

    def __init__(self) -> None:
        self.updated: list[str] = []
        self.list_changed = 0
        self._news = anyio.Event()

    async def __call__(self, message: Any) -> None:
        if isinstance(message, types.ResourceUpdatedNotification):
            self.updated.append(str(message.params.uri))
        elif isinstance(message, types.ResourceListChangedNotification):
            self.list_changed += 1
        else:
            return
        self._news.set()
        self._news = anyio.Event()

    async def until(self, reached: Callable[[Heard], bool]) -> None:
        """Waits for the notifications that reach that point (over HTTP they come after the call's answer)."""
        with anyio.fail_after(10):
            while not reached(self):
                await self._news.wait()


async def test_the_2025_handshake_offers_subscriptions_and_the_resource_list_changing() -> None:
    make = HeldMake()
    async with task_server(make, new_manager(make), mode="legacy") as mcp:
        resources = mcp.server_capabilities.resources
    assert resources is not None and resources.subscribe is True and resources.list_changed is True


async def test_a_subscribed_connection_hears_its_blueprint_changed_and_nothing_more_once_unsubscribed() -> None:
    make = HeldMake()
    heard = Heard()
    async with task_server(make, new_manager(make), mode="legacy", confirm_destructive=False, on_message=heard) as mcp:
        await mcp.subscribe_resource(BLUEPRINT_402)
        await mcp.subscribe_resource(TEAM_SCENARIOS)
        renamed = await mcp.call_tool("scenarios_update", RENAME)
        await heard.until(lambda h: len(h.updated) == 2)
        await mcp.unsubscribe_resource(BLUEPRINT_402)
        again = await mcp.call_tool("scenarios_update", {**RENAME, "name": "Monthly MRR digest"})
        await heard.until(lambda h: len(h.updated) == 3)
        activated = await mcp.call_tool("scenarios_activate", {"scenarioId": 402})
        await heard.until(lambda h: len(h.updated) == 4)
    assert not renamed.is_error and not again.is_error and not activated.is_error
    # The blueprint once: the later rename is told only to the team's scenarios, which an activation changes too.
    assert heard.updated == [TEAM_SCENARIOS, BLUEPRINT_402, TEAM_SCENARIOS, TEAM_SCENARIOS]
    assert heard.list_changed == 0


async def test_an_address_no_template_serves_cannot_be_subscribed_to() -> None:
    make = HeldMake()
    async with task_server(make, new_manager(make), mode="legacy") as mcp:
        with pytest.raises(MCPError, match="resources/templates/list"):
            await mcp.subscribe_resource("make://nothing/here")


async def test_a_created_then_deleted_scenario_changes_the_resource_list_which_lists_its_blueprint_meanwhile() -> None:
    make = HeldMake()
    heard = Heard()
    create = {"teamId": 201, "blueprint": BLUEPRINT, "scheduling": {"type": "immediately"}}
    async with task_server(
        make, new_manager(make), mode="legacy", toolsets="all", confirm_destructive=False, on_message=heard
    ) as mcp:
        before = {str(r.uri) for r in (await mcp.list_resources()).resources}
        created = await mcp.call_tool("scenarios_create", create)
        await heard.until(lambda h: h.list_changed == 1)
        assert created.structured_content is not None, created.content
        blueprint = f"make://scenarios/{created.structured_content['scenario']['id']}/blueprint"
        meanwhile = {str(r.uri) for r in (await mcp.list_resources()).resources}
        await mcp.subscribe_resource(blueprint)
        await mcp.call_tool("scenarios_delete", {"scenarioId": created.structured_content["scenario"]["id"]})
        await heard.until(lambda h: h.list_changed == 2 and blueprint in h.updated)
        after = {str(r.uri) for r in (await mcp.list_resources()).resources}
    assert BLUEPRINT_402 in before and blueprint not in before
    assert meanwhile == before | {blueprint}
    assert after == before


async def test_a_2025_client_following_a_runs_execution_hears_when_its_task_ends() -> None:
    make = HeldMake()
    heard = Heard()
    async with task_server(make, new_manager(make), mode="legacy", on_message=heard) as mcp:
        make.hold()
        task = await legacy_call_as_task(mcp, REPORT, {"weekStart": "2025-03-03"})
        working = await polled_until(mcp, task["taskId"], following)
        execution = working["statusMessage"].split("execution ")[1].split(" ")[0]
        detail = f"make://scenarios/405/executions/{execution}"
        await mcp.subscribe_resource(detail)
        assert heard.updated == []  # subscribed after Make named the execution
        make.let_time_pass()
        await heard.until(lambda h: detail in h.updated)
        done = await polled_until(mcp, task["taskId"], lambda t: t["status"] != "working")
    assert heard.updated == [detail] and done["status"] == "completed"


def connect(url: str, http: httpx2.AsyncClient, heard: Heard) -> Client:
    return Client(streamable_http_client(url, http_client=http), mode="legacy", message_handler=heard)


def http_of(token: str) -> httpx2.AsyncClient:
    return httpx2.AsyncClient(headers={"Authorization": f"Token {token}"}, timeout=httpx2.Timeout(30, read=300))


async def test_over_http_only_the_connection_that_subscribed_with_the_writers_credential_hears_its_change(
    start_http: Callable[..., HttpServer],  # noqa: F811
    sandbox_users: LoopbackSandbox,  # noqa: F811
) -> None:
    sandbox_users.state.add_token(WRITER, WRITER_SCOPES)
    sandbox_users.state.add_token(OTHER_WRITER, WRITER_SCOPES)
    server = start_http(team=201, scenario_refresh=0, confirm_destructive=False, http_stateless=False)
    writer, other = Heard(), Heard()
    async with (
        http_of(WRITER) as my_http,
        http_of(OTHER_WRITER) as their_http,
        connect(server.url, my_http, writer) as mine,
        connect(server.url, their_http, other) as theirs,
    ):
        await mine.subscribe_resource(BLUEPRINT_402)
        await theirs.subscribe_resource(BLUEPRINT_402)
        await mine.call_tool("scenarios_update", RENAME)
        await writer.until(lambda h: BLUEPRINT_402 in h.updated)
        await theirs.call_tool("scenarios_update", {**RENAME, "name": "Their digest"})
        await other.until(lambda h: BLUEPRINT_402 in h.updated)
        await mine.unsubscribe_resource(BLUEPRINT_402)
        await mine.subscribe_resource(TEAM_SCENARIOS)
        await mine.call_tool("scenarios_update", {**RENAME, "name": "My digest"})
        await mine.call_tool("scenarios_activate", {"scenarioId": 402})  # the team's scenarios alone
        await writer.until(lambda h: h.updated.count(TEAM_SCENARIOS) == 2)
    # Each heard of its own changes only (the other's would have come first), and once unsubscribed from the
    # blueprint the writer heard of the team's scenarios alone (the blueprint's would have come between).
    assert writer.updated == [BLUEPRINT_402, TEAM_SCENARIOS, TEAM_SCENARIOS]
    assert other.updated == [BLUEPRINT_402]


async def test_stateless_http_offers_no_subscriptions_which_it_could_never_deliver(
    start_http: Callable[..., HttpServer],  # noqa: F811
    sandbox_users: LoopbackSandbox,  # noqa: F811
) -> None:
    sandbox_users.state.add_token(WRITER, WRITER_SCOPES)
    server = start_http(team=201, scenario_refresh=0, http_stateless=True)
    client = LegacyClient(server.url, WRITER)
    hello = {"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "t", "version": "1"}}
    initialized = await client.rpc("initialize", hello)
    refused = await client.rpc("resources/subscribe", {"uri": BLUEPRINT_402})
    resources = initialized["result"]["capabilities"]["resources"]
    assert resources.get("subscribe") is not True and resources.get("listChanged") is not True
    assert refused["error"]["code"] == -32601  # method not found
