"""The builder's checks and blueprint writes as tasks through a real MCP client, in both protocol eras (in
memory): the call answers at once, the task tells how many modules it has checked, its result is the plain
call's, and cancel stops the check. Scenario runs as tasks: test_tasks.py."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import anyio
import httpx2
import pytest
from mcp import Client

from make_mcp.server.protocol.runner import process_builder
from tests.server.protocol.tasks_support import (
    HeldMake,
    TasksExtension,
    call_as_task,
    ended,
    new_manager,
    polled_until,
    task_request,
    task_server,
)

BLUEPRINT = json.loads((Path(__file__).parents[1] / "builder" / "fixtures" / "full-blueprint.json").read_text())
CHECK = {"blueprint": BLUEPRINT, "teamId": 201}
SHEETS_APP = "/imt/apps/google-sheets/2"  # the third and last module's app


@pytest.fixture(autouse=True)
def no_manifest_cached() -> None:
    """Each test reads the apps from Make (the process's builder keeps the manifests it has read)."""
    process_builder.cache_clear()


class HeldApp:
    """Holds the request for one app's manifest until the test lets it through; says whether Make answered it."""

    def __init__(self, make: HeldMake, path: str) -> None:
        self.path, self.released, self.answered, self.asked = path, anyio.Event(), False, anyio.Event()
        inner = make.transport

        async def holding(request: httpx2.Request) -> httpx2.Response:
            if request.url.path.endswith(self.path):
                self.asked.set()
                await self.released.wait()
            response = await inner.handle_async_request(request)
            self.answered = self.answered or request.url.path.endswith(self.path)
            return response

        make.transport = httpx2.MockTransport(holding)


async def settle() -> None:
    """Until every task waits, for the checks that nothing more happens (a write, Make's answer): on asyncio
    anyio.wait_all_tasks_blocked may return a moment early, which can let a slip pass but never fails a test.
    What a test reads from a task is polled for instead (polled_until)."""
    with anyio.fail_after(10):
        await anyio.wait_all_tasks_blocked()


async def test_a_blueprint_check_runs_as_a_task_telling_the_modules_checked_and_ends_with_the_plain_result() -> None:
    make = HeldMake()
    held = HeldApp(make, SHEETS_APP)
    async with task_server(make, new_manager(make), extensions=[TasksExtension()]) as mcp:
        make.hold()  # no heartbeat overwrites the progress while the app is held
        task_id = await call_as_task(mcp, "blueprints_validate", CHECK)
        with anyio.fail_after(10):
            await held.asked.wait()
        working = await task_request(mcp, "tasks/get", task_id)
        held.released.set()
        make.let_time_pass()
        done = await polled_until(mcp, task_id, ended)
    async with task_server(make, new_manager(make)) as mcp:  # a client without the tasks extension
        plain = await mcp.call_tool("blueprints_validate", CHECK)
    assert working["status"] == "working" and working["statusMessage"] == "2 of 3 modules checked"
    assert done["status"] == "completed"
    assert done["result"]["structuredContent"] == plain.structured_content
    assert "valid" in done["result"]["structuredContent"]


async def test_cancelling_a_blueprint_check_stops_it_before_the_held_app_is_read() -> None:
    make = HeldMake()
    held = HeldApp(make, SHEETS_APP)
    async with task_server(make, new_manager(make), extensions=[TasksExtension()]) as mcp:
        make.hold()
        task_id = await call_as_task(mcp, "blueprints_validate", CHECK)
        with anyio.fail_after(10):
            await held.asked.wait()
        await task_request(mcp, "tasks/cancel", task_id)
        cancelled = await task_request(mcp, "tasks/get", task_id)
        held.released.set()
        make.let_time_pass()
        await settle()
        after = await task_request(mcp, "tasks/get", task_id)
    assert cancelled["status"] == "cancelled" and cancelled["statusMessage"] == "cancelled; blueprints_validate stopped"
    assert after["status"] == "cancelled" and "result" not in after
    assert held.answered is False
    assert not [r for r in make.requests if r.endswith("/stop")]  # no run to stop


async def test_a_2025_listing_says_the_builder_checks_and_blueprint_writes_may_run_as_tasks_and_no_other() -> None:
    make = HeldMake()
    async with task_server(make, new_manager(make), mode="legacy", toolsets="all", tool_mode="full") as mcp:
        tools = (await mcp.list_tools()).tools
    optional = {t.name for t in tools if t.execution is not None and t.execution.task_support == "optional"}
    expected = {"blueprints_validate", "blueprints_audit", "extract_blueprint_components", "scenarios_create"}
    assert expected | {"scenarios_update", "scenarios_run"} <= optional
    assert not optional & {"scenarios_list", "blueprints_diff", "validate_module_configuration", "teams_list"}


async def test_a_client_without_tasks_gets_the_audit_as_before() -> None:
    make = HeldMake()
    async with task_server(make, new_manager(make), toolsets="all", tool_mode="full") as mcp:
        result = await mcp.call_tool("blueprints_audit", {"blueprint": BLUEPRINT})
    assert not result.is_error and result.structured_content is not None
    assert "flow" in result.structured_content and "findings" in result.structured_content


async def legacy_call_as_task(mcp: Client, name: str, arguments: dict[str, Any]) -> dict[str, Any]:
    """A 2025-11-25 tools/call with `task`, as such a client sends it; the task it is answered with. Sent raw:
    the SDK's client checks a tools/call's answer as a tool result in that era (test_tasks_http.py does it over HTTP)."""
    params = {"name": name, "arguments": arguments, "task": {"ttl": 600_000}}
    raw = await mcp.session._dispatcher.send_raw_request("tools/call", params, {})  # pyright: ignore[reportPrivateUsage]
    return raw["task"]


legacy_request = task_request  # tasks/get, tasks/result, tasks/cancel are sent alike in both eras


async def test_a_2025_client_audits_a_saved_blueprint_as_a_task_and_reads_the_plain_result() -> None:
    make = HeldMake()
    audit = {"scenarioId": 405}
    async with task_server(make, new_manager(make), mode="legacy", toolsets="all", tool_mode="full") as mcp:
        task = await legacy_call_as_task(mcp, "blueprints_audit", audit)
        result = await legacy_request(mcp, "tasks/result", task["taskId"])
        ended = await legacy_request(mcp, "tasks/get", task["taskId"])
        plain = await mcp.call_tool("blueprints_audit", audit)
    assert task["status"] == "working" and task["ttl"] == 600_000
    assert ended["status"] == "completed"
    assert result["structuredContent"] == plain.structured_content and result["structuredContent"]["flow"]


async def test_a_2025_client_cancels_a_blueprint_write_while_its_check_reads_the_apps() -> None:
    make = HeldMake()
    held = HeldApp(make, SHEETS_APP)
    create = {"teamId": 201, "blueprint": BLUEPRINT, "scheduling": {"type": "immediately"}}
    async with task_server(make, new_manager(make), mode="legacy", toolsets="all", tool_mode="full") as mcp:
        make.hold()
        task = await legacy_call_as_task(mcp, "scenarios_create", create)
        with anyio.fail_after(10):
            await held.asked.wait()
        working = await legacy_request(mcp, "tasks/get", task["taskId"])
        cancelled = await legacy_request(mcp, "tasks/cancel", task["taskId"])
        held.released.set()
        make.let_time_pass()
        await settle()
    assert working["status"] == "working" and working["statusMessage"] == "2 of 3 modules checked"
    assert cancelled["status"] == "cancelled" and "scenarios_create stopped" in cancelled["statusMessage"]
    assert not [r for r in make.requests if r == "POST /api/v2/scenarios"]  # stopped before the write


async def test_a_2025_client_creates_a_scenario_from_a_blueprint_as_a_task_once_its_check_has_passed() -> None:
    make = HeldMake()
    create = {"teamId": 201, "blueprint": BLUEPRINT, "scheduling": {"type": "immediately"}}
    async with task_server(make, new_manager(make), mode="legacy", toolsets="all", tool_mode="full") as mcp:
        task = await legacy_call_as_task(mcp, "scenarios_create", create)
        result = await legacy_request(mcp, "tasks/result", task["taskId"])
    assert not result.get("isError"), result["content"][0]["text"]
    created = result["structuredContent"]["scenario"]
    assert created["name"] == BLUEPRINT["name"] and created["teamId"] == 201
    assert created["usedPackages"] == ["gateway", "json", "google-sheets"]
    assert [r for r in make.requests if r == "POST /api/v2/scenarios"] == ["POST /api/v2/scenarios"]
