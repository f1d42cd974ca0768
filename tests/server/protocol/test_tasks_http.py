"""Tasks over streamable HTTP in the 2025-11-25 era, as such a client sends them (plain JSON-RPC: the SDK's own
client refuses a tools/call answered with a task in that era), and a 2026-era SDK client beside it."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import anyio
import httpx2
from mcp import Client

from tests.conftest import LoopbackSandbox
from tests.server.protocol.tasks_support import TasksExtension, call_as_task, task_request
from tests.server.test_http import (  # noqa: F401 (sandbox_users and start_http are pytest fixtures)
    MCP_HEADERS,
    HttpServer,
    sandbox_users,
    start_http,
)

RUNNER = "ca201000-0000-4000-8000-0000000ca201"
STRANGER = "5e201000-0000-4000-8000-0000000e5201"
RUNNER_SCOPES = {"scenarios:read", "scenarios:run", "scenarios:write", "organizations:read", "teams:read"}
LEAD_RUN = {"scenarioId": 404, "data": {"name": "Ana Silva", "email": "ana@example.com"}, "responsive": True}
REPORT_RUN = {"scenarioId": 405, "data": {"weekStart": "2025-03-03"}, "responsive": False}


class LegacyClient:
    """A 2025-11-25 client speaking JSON-RPC over one stateless HTTP endpoint with its own token."""

    def __init__(self, url: str, token: str) -> None:
        self.url = url
        self.headers = {**MCP_HEADERS, "Authorization": f"Token {token}", "MCP-Protocol-Version": "2025-11-25"}
        self.ids = 0

    async def rpc(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        self.ids += 1
        body = {"jsonrpc": "2.0", "id": self.ids, "method": method, "params": params}
        async with httpx2.AsyncClient(timeout=30) as http:
            answer = await http.post(self.url, json=body, headers=self.headers)
        assert answer.status_code == 200, answer.text
        return _message(answer)

    async def run_as_task(self, arguments: dict[str, Any]) -> dict[str, Any]:
        """scenarios_run as a task, confirmed with the token its first task's result gives."""
        params = {"name": "scenarios_run", "arguments": arguments, "task": {"ttl": 600_000}}
        first = (await self.rpc("tools/call", params))["result"]["task"]
        preview = (await self.rpc("tasks/result", {"taskId": first["taskId"]}))["result"]["structuredContent"]
        params["arguments"] = {**arguments, "confirmation": preview["confirmation"]}
        return (await self.rpc("tools/call", params))["result"]["task"]


def _message(answer: httpx2.Response) -> dict[str, Any]:
    if answer.headers.get("content-type", "").startswith("text/event-stream"):
        data = [line[5:].strip() for line in answer.text.splitlines() if line.startswith("data:")]
        return json.loads(next(item for item in data if item))
    return answer.json()


async def until_the_run_is_named(client: LegacyClient, task_id: str) -> dict[str, Any]:
    """tasks/get until the task names Make's execution (the server runs in another thread: waited for)."""
    with anyio.fail_after(10):
        while "execution" not in (task := (await client.rpc("tasks/get", {"taskId": task_id}))["result"]).get(
            "statusMessage", ""
        ):
            await anyio.sleep(0.01)
    return task


async def test_a_2025_client_is_offered_tasks_and_reads_a_runs_outputs_from_tasks_result(
    start_http: Callable[..., HttpServer],  # noqa: F811
    sandbox_users: LoopbackSandbox,  # noqa: F811
) -> None:
    sandbox_users.state.add_token(RUNNER, RUNNER_SCOPES)
    server = start_http(team=201, scenario_refresh=0)
    client = LegacyClient(server.url, RUNNER)
    initialized = await client.rpc(
        "initialize",
        {"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "t", "version": "1"}},
    )
    listed = (await client.rpc("tools/list", {}))["result"]["tools"]
    task = await client.run_as_task(LEAD_RUN)
    result = (await client.rpc("tasks/result", {"taskId": task["taskId"]}))["result"]
    ended = (await client.rpc("tasks/get", {"taskId": task["taskId"]}))["result"]
    tasks = initialized["result"]["capabilities"]["tasks"]
    assert tasks["requests"]["tools"]["call"] == {} and "cancel" in tasks
    run_tool = next(tool for tool in listed if tool["name"] == "scenarios_run")
    assert run_tool["execution"] == {"taskSupport": "optional"}
    assert task["status"] == "working" and task["ttl"] == 600_000 and task["pollInterval"] > 0
    assert result["structuredContent"]["status"].upper() == "SUCCESS"
    assert result["structuredContent"]["outputs"]["tier"] in ("hot", "warm", "cold")
    assert result["_meta"]["io.modelcontextprotocol/related-task"] == {"taskId": task["taskId"]}
    assert ended["status"] == "completed"


async def test_a_2025_client_cancels_a_long_run_and_make_stops_it_while_a_stranger_finds_no_task(
    start_http: Callable[..., HttpServer],  # noqa: F811
    sandbox_users: LoopbackSandbox,  # noqa: F811
) -> None:
    sandbox_users.state.add_token(RUNNER, RUNNER_SCOPES)
    sandbox_users.state.add_token(STRANGER, RUNNER_SCOPES)
    server = start_http(team=201, scenario_refresh=0)
    owner, stranger = LegacyClient(server.url, RUNNER), LegacyClient(server.url, STRANGER)
    task = await owner.run_as_task(REPORT_RUN)
    named = await until_the_run_is_named(owner, task["taskId"])
    refused = [await stranger.rpc(method, {"taskId": task["taskId"]}) for method in ("tasks/get", "tasks/cancel")]
    cancelled = (await owner.rpc("tasks/cancel", {"taskId": task["taskId"]}))["result"]
    assert all(answer["error"]["message"] == "Task not found." for answer in refused)
    assert named["status"] == "working"
    assert cancelled["status"] == "cancelled" and "Make stopped execution" in cancelled["statusMessage"]
    stopped = [e for e in sandbox_users.state.executions.values() if e.get("stopped")]
    assert len(stopped) == 1


async def test_a_2026_client_over_http_gets_a_task_and_its_status(
    start_http: Callable[..., HttpServer],  # noqa: F811
    sandbox_users: LoopbackSandbox,  # noqa: F811
) -> None:
    from mcp.client.streamable_http import streamable_http_client

    sandbox_users.state.add_token(RUNNER, RUNNER_SCOPES)
    server = start_http(team=201, scenario_refresh=0)
    headers = {"Authorization": f"Token {RUNNER}"}
    async with (
        httpx2.AsyncClient(headers=headers, timeout=httpx2.Timeout(30, read=300)) as http,
        Client(streamable_http_client(server.url, http_client=http), extensions=[TasksExtension()]) as mcp,
    ):
        await mcp.list_tools()
        version = mcp.protocol_version
        asked = await call_as_task(mcp, "scenarios_run", {**LEAD_RUN})
        with anyio.fail_after(10):
            while (preview := await task_request(mcp, "tasks/get", asked))["status"] == "working":
                await anyio.sleep(0.01)
        confirmation = preview["result"]["structuredContent"]["confirmation"]
        task_id = await call_as_task(mcp, "scenarios_run", {**LEAD_RUN, "confirmation": confirmation})
        with anyio.fail_after(10):
            while (done := await task_request(mcp, "tasks/get", task_id))["status"] == "working":
                await anyio.sleep(0.01)
    assert version == "2026-07-28"
    assert done["status"] == "completed"
    assert done["result"]["structuredContent"]["outputs"]["tier"] in ("hot", "warm", "cold")
