"""The caller's scenarios as tools, end to end: a real mcp Client, in memory and in both protocol eras, against the
sandbox on an injected clock, through the stdio server's start-up (server/runtime.py Startup)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import anyio
import httpx2
import mcp_types as types
import pytest
from jsonschema import Draft202012Validator
from mcp import Client

from make_mcp.server.engine.selection import ToolChoice
from make_mcp.server.make_api.client import MakeClient, RetryPolicy
from make_mcp.server.protocol.app import build_server
from make_mcp.server.runtime import Startup
from make_mcp.server.sandbox import SANDBOX_TOKEN, create_sandbox_app, demo_state
from make_mcp.server.support.config import Settings
from tests.server.sandbox.support import FakeClock

MODES = ["legacy", "auto"]
LEAD = "score_a_lead_404"
REPORT = "generate_weekly_report_405"
RECHECK_SECONDS = 600.0


class Make:
    """The demo sandbox on a fake clock, and a sleep that moves it (tests never sleep)."""

    def __init__(self) -> None:
        self.clock = FakeClock()
        self.state = demo_state(clock=self.clock)
        self.requests: list[str] = []
        self.slept: list[float] = []
        self.recheck = anyio.Event()
        app = create_sandbox_app(self.state)
        inner = httpx2.ASGITransport(app=app)

        async def counting(request: httpx2.Request) -> httpx2.Response:
            self.requests.append(f"{request.method} {request.url.path}")
            return await inner.handle_async_request(request)

        self.transport = httpx2.MockTransport(counting)

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        if seconds == RECHECK_SECONDS:  # the periodic re-check waits until the test lets the time pass
            await self.recheck.wait()
            self.recheck = anyio.Event()
        self.clock.advance(seconds)
        await anyio.lowlevel.checkpoint()


@asynccontextmanager
async def scenario_client(
    make: Make, *, mode: str, background: bool = False, first_listing_wait: float | None = None, **overrides: Any
) -> AsyncIterator[tuple[Client, Startup]]:
    """`background`: refreshes after a call run in the server's task group, as `make-mcp serve` runs them."""
    overrides.setdefault("team", 201)
    overrides.setdefault("scenario_refresh", 0)
    settings = Settings(api_key=SANDBOX_TOKEN, rate_limit=0, **overrides)
    client = MakeClient(
        "http://sandbox/api/v2",
        authorization=f"Token {SANDBOX_TOKEN}",
        transport=make.transport,
        sleep=make.sleep,
        retry=RetryPolicy(max_retries=1, deadline=settings.call_deadline or None),
    )
    startup = Startup(settings, client, None, ToolChoice.from_settings(settings), sleep=make.sleep)
    waits = {} if first_listing_wait is None else {"first_listing_wait": first_listing_wait}
    server = build_server(
        None, runner_for=startup.runner, settings=settings, scenario_tools_for=startup.scenario_tools, **waits
    )
    try:
        async with anyio.create_task_group() as tasks:
            startup.background = tasks if background else None
            tasks.start_soon(startup.run)
            tasks.start_soon(startup.keep_scenario_tools_fresh)
            async with Client(server, mode=mode) as mcp:
                yield mcp, startup
            tasks.cancel_scope.cancel()
    finally:
        await client.aclose()


def text_of(result: types.CallToolResult) -> str:
    return "\n".join(block.text for block in result.content if isinstance(block, types.TextContent))


@pytest.mark.parametrize("mode", MODES)
async def test_the_callers_scenarios_are_listed_first_typed_from_their_interfaces(mode: str) -> None:
    async with scenario_client(Make(), mode=mode) as (client, _):
        tools = (await client.list_tools()).tools
    names = [tool.name for tool in tools]
    assert names[:2] == [LEAD, REPORT]
    assert "archive_stale_leads_406" not in names  # inactive
    lead = tools[0]
    assert lead.input_schema["required"] == ["name", "email"]
    assert lead.input_schema["properties"]["employees"]["title"] == "Company size"
    assert lead.output_schema is not None and "outputs" in lead.output_schema["properties"]
    assert lead.annotations is not None and lead.annotations.open_world_hint and not lead.annotations.read_only_hint
    assert lead.meta is not None and lead.meta["make/scenario"]["scenarioId"] == 404


@pytest.mark.parametrize("mode", MODES)
async def test_discovery_mode_lists_the_scenario_tools_next_to_the_three_discovery_tools(mode: str) -> None:
    async with scenario_client(Make(), mode=mode, tool_mode="discovery") as (client, _):
        names = [tool.name for tool in (await client.list_tools()).tools]
    assert names == [LEAD, REPORT, "tools_search", "tools_describe", "tools_call"]


@pytest.mark.parametrize("mode", MODES)
async def test_a_run_returns_the_outputs_as_structured_content_matching_the_output_schema(mode: str) -> None:
    async with scenario_client(Make(), mode=mode) as (client, _):
        tool = next(t for t in (await client.list_tools()).tools if t.name == LEAD)
        arguments = {"name": "Ana Silva", "email": "ana@example.com", "employees": 250, "source": "referral"}
        result = await client.call_tool(LEAD, arguments)
    assert not result.is_error, text_of(result)
    structured = result.structured_content
    assert structured is not None and structured["status"] == "SUCCESS" and structured["executionId"]
    assert structured["outputs"]["tier"] in ("hot", "warm", "cold") and structured["outputs"]["score"] > 10
    assert tool.output_schema is not None
    Draft202012Validator(tool.output_schema).validate(structured)


@pytest.mark.parametrize("mode", MODES)
async def test_invalid_arguments_name_each_field_and_nothing_is_sent(mode: str) -> None:
    make = Make()
    async with scenario_client(make, mode=mode) as (client, _):
        await client.list_tools()
        before = list(make.requests)
        result = await client.call_tool(LEAD, {"email": "not-an-email", "employees": 0})
    assert result.is_error
    text = text_of(result)
    assert "- name:" in text and "- email:" in text and "- employees:" in text
    assert make.requests == before


@pytest.mark.parametrize("mode", MODES)
async def test_a_run_that_outlasts_makes_window_is_followed_with_progress_on_the_injected_clock(mode: str) -> None:
    make = Make()
    heard: list[str | None] = []

    async def on_progress(progress: float, total: float | None, message: str | None) -> None:
        heard.append(message)

    async with scenario_client(make, mode=mode, call_deadline=600) as (client, _):
        await client.list_tools()
        with anyio.fail_after(20):
            result = await client.call_tool(REPORT, {"weekStart": "2025-03-03"}, progress_callback=on_progress)
    assert not result.is_error, text_of(result)
    structured = result.structured_content
    assert structured is not None and structured["status"] == "SUCCESS"
    assert structured["outputs"]["reportUrl"].endswith("2025-03-03.pdf")
    assert heard and all(message and "still running" in message for message in heard)
    assert sum(make.slept) >= 100  # the sandbox's three minutes passed on the fake clock


@pytest.mark.parametrize("mode", MODES)
async def test_a_run_past_the_call_deadline_hands_back_its_execution_and_how_to_fetch_it(mode: str) -> None:
    async with scenario_client(Make(), mode=mode, call_deadline=30) as (client, _):
        await client.list_tools()
        result = await client.call_tool(REPORT, {"weekStart": "2025-03-03"})
    assert not result.is_error, text_of(result)
    structured = result.structured_content
    assert structured is not None and structured["status"] == "RUNNING" and structured["executionId"]
    assert "executions_get-detail" in structured["next"] and "executions_stop" in structured["next"]


async def tool_names(client: Client) -> list[str]:
    return [tool.name for tool in (await client.list_tools()).tools]


INTERFACE = {"input": [{"name": "query", "type": "text", "required": True}], "output": []}


async def changes_heard(client: Client, mode: str, act: Any, *, later: bool = False) -> int:
    """How many tools/list_changed the client hears for `act`, in the client's era: sent before the call's answer,
    or (`later`) by the server on its own, waited for a little."""
    patience = 5.0 if later else 0.5
    if mode == "legacy":
        heard = anyio.Event()
        original = client.session._message_handler  # pyright: ignore[reportPrivateUsage]

        async def on_message(message: Any) -> None:
            if isinstance(message, types.ToolListChangedNotification):
                heard.set()
            if original is not None:
                await original(message)

        client.session._message_handler = on_message  # pyright: ignore[reportPrivateUsage]
        await act()
        with anyio.move_on_after(patience):
            await heard.wait()
        return int(heard.is_set())
    count = 0
    async with client.listen(tools_list_changed=True) as subscription:
        await act()
        with anyio.move_on_after(patience):
            async for _ in subscription:
                count += 1
                break
    return count


@pytest.mark.parametrize("mode", MODES)
async def test_setting_an_interface_then_activating_a_scenario_announces_the_new_tool(mode: str) -> None:
    async with scenario_client(Make(), mode=mode, confirm_destructive=False) as (client, _):
        assert "archive_stale_leads_406" not in await tool_names(client)

        async def set_interface() -> None:
            result = await client.call_tool("scenarios_set-interface", {"scenarioId": 406, "interface": INTERFACE})
            assert not result.is_error, text_of(result)

        async def activate() -> None:
            result = await client.call_tool("scenarios_activate", {"scenarioId": 406})
            assert not result.is_error, text_of(result)

        # 406 is inactive: a new interface changes no tool, so nothing is announced; activating it does.
        assert await changes_heard(client, mode, set_interface) == 0
        assert await changes_heard(client, mode, activate) == 1
        names = await tool_names(client)
    assert names[names.index("archive_stale_leads_406") - 1] == REPORT


@pytest.mark.parametrize("mode", MODES)
async def test_a_changed_interface_of_a_listed_scenario_is_announced(mode: str) -> None:
    async with scenario_client(Make(), mode=mode, confirm_destructive=False) as (client, _):
        await client.list_tools()

        async def set_interface() -> None:
            result = await client.call_tool("scenarios_set-interface", {"scenarioId": 404, "interface": INTERFACE})
            assert not result.is_error, text_of(result)

        assert await changes_heard(client, mode, set_interface) == 1
        lead = next(t for t in (await client.list_tools()).tools if t.name == LEAD)
    assert lead.input_schema["required"] == ["query"]


@pytest.mark.parametrize("mode", MODES)
async def test_the_periodic_recheck_announces_a_scenario_changed_behind_the_servers_back(mode: str) -> None:
    make = Make()
    async with scenario_client(make, mode=mode, scenario_refresh=RECHECK_SECONDS) as (client, _):
        assert LEAD in await tool_names(client)

        async def deactivate_in_make() -> None:
            make.state.scenarios[404]["isActive"] = False
            make.recheck.set()  # the re-check's time has come

        assert await changes_heard(client, mode, deactivate_in_make, later=True) == 1
        assert LEAD not in await tool_names(client)


@pytest.mark.parametrize("mode", MODES)
async def test_the_curation_file_names_describes_and_gates_the_offered_scenarios(mode: str, tmp_path: Path) -> None:
    curation = tmp_path / "scenarios.toml"
    curation.write_text(
        '[[scenario]]\nid = 404\nname = "score_lead"\ndescription = "Scores a sales lead."\nconfirm = true\n',
        encoding="utf-8",
    )
    async with scenario_client(Make(), mode=mode, scenario_file=curation) as (client, _):
        tools = (await client.list_tools()).tools
        result = await client.call_tool("score_lead", {"name": "Ana", "email": "ana@example.com"})
    assert tools[0].name == "score_lead" and tools[0].description and "Scores a sales lead." in tools[0].description
    assert REPORT not in [tool.name for tool in tools]  # only the curated scenarios are offered
    assert result.structured_content is not None and result.structured_content.get("confirmationRequired") is True


@pytest.mark.parametrize("mode", MODES)
async def test_initialize_is_answered_while_discovery_is_still_going(mode: str) -> None:
    make = Make()
    gate = anyio.Event()
    inner = make.transport

    async def held(request: httpx2.Request) -> httpx2.Response:
        if request.url.path.endswith("/interface"):
            await gate.wait()
        return await inner.handle_async_request(request)

    make.transport = httpx2.MockTransport(held)
    async with scenario_client(make, mode=mode) as (client, startup):
        assert client.protocol_version  # connected while every interface request is still held
        await startup.scenario_tools()
        assert not (await startup.scenario_tools()).found.is_set()
        gate.set()
        with anyio.fail_after(5):
            await (await startup.scenario_tools()).found.wait()
        assert LEAD in await tool_names(client)


@pytest.mark.parametrize("mode", MODES)
async def test_make_mcp_serve_over_stdio_lists_and_runs_the_sandboxes_scenario_tools(mode: str) -> None:
    import os
    import sys

    from mcp import StdioServerParameters

    env = {key: value for key, value in os.environ.items() if not key.startswith("MAKE_")}
    env.update(MAKE_SANDBOX="1", MAKE_TEAM="201", MAKE_SCENARIO_REFRESH="0")
    command = StdioServerParameters(command=sys.executable, args=["-m", "make_mcp.server.cli.main", "serve"], env=env)
    with anyio.fail_after(60):
        async with Client(command, mode=mode) as client:
            names = [tool.name for tool in (await client.list_tools()).tools]
            result = await client.call_tool(LEAD, {"name": "Ana", "email": "ana@example.com", "employees": 250})
    assert names[:2] == [LEAD, REPORT]
    assert not result.is_error, text_of(result)
    assert result.structured_content is not None and result.structured_content["outputs"]["score"] > 10


class Gate:
    """Holds Make's requests to one scenario (GET /scenarios/<id>...) while closed, noting that one came."""

    def __init__(self, make: Make, scenario_id: int) -> None:
        self.closed = False
        self.reached = anyio.Event()
        self.opened = anyio.Event()
        inner = make.transport
        prefix = f"/api/v2/scenarios/{scenario_id}"

        async def gated(request: httpx2.Request) -> httpx2.Response:
            if self.closed and request.method == "GET" and request.url.path.startswith(prefix):
                self.reached.set()
                await self.opened.wait()
            return await inner.handle_async_request(request)

        make.transport = httpx2.MockTransport(gated)

    async def open(self) -> None:
        self.closed = False
        self.opened.set()


@pytest.mark.parametrize("mode", MODES)
async def test_a_scenario_changing_call_is_answered_first_then_reads_only_that_scenario_again(mode: str) -> None:
    make = Make()
    gate = Gate(make, 404)
    async with scenario_client(make, mode=mode, background=True, confirm_destructive=False) as (client, _):
        assert LEAD in await tool_names(client)
        before = len(make.requests)
        gate.closed = True  # the refresh's reads of scenario 404 wait: the answer must not
        result = await client.call_tool("scenarios_update", {"scenarioId": 404, "name": "Rank a lead"})
        assert not result.is_error, text_of(result)
        answered = make.requests[before:]
        with anyio.fail_after(5):
            await gate.reached.wait()
        assert await changes_heard(client, mode, gate.open, later=True) == 1
        names = await tool_names(client)
    assert answered == ["PATCH /api/v2/scenarios/404"]
    extra = make.requests[before + len(answered) :]
    assert extra == ["GET /api/v2/scenarios/404", "GET /api/v2/scenarios/404/interface"]
    assert "rank_a_lead_404" in names and LEAD not in names and REPORT in names


@pytest.mark.parametrize("mode", MODES)
async def test_deleting_a_scenario_drops_its_tool_without_asking_make_again(mode: str) -> None:
    make = Make()
    async with scenario_client(make, mode=mode, background=True, confirm_destructive=False) as (client, _):
        assert LEAD in await tool_names(client)
        before = len(make.requests)

        async def delete() -> None:
            result = await client.call_tool("scenarios_delete", {"scenarioId": 404})
            assert not result.is_error, text_of(result)

        assert await changes_heard(client, mode, delete, later=True) == 1
        names = await tool_names(client)
    assert make.requests[before:] == ["DELETE /api/v2/scenarios/404"]
    assert LEAD not in names and REPORT in names


@pytest.mark.parametrize("mode", MODES)
async def test_activating_a_callable_scenario_makes_it_a_tool_after_two_reads_of_it(mode: str) -> None:
    make = Make()
    async with scenario_client(make, mode=mode, background=True, confirm_destructive=False) as (client, _):
        made = await client.call_tool("scenarios_make-callable", {"scenarioId": 406, "input": INTERFACE["input"]})
        assert not made.is_error, text_of(made)
        assert "archive_stale_leads_406" not in await tool_names(client)  # still inactive
        before = len(make.requests)

        async def activate() -> None:
            result = await client.call_tool("scenarios_activate", {"scenarioId": 406})
            assert not result.is_error, text_of(result)

        heard = await changes_heard(client, mode, activate, later=True)
        names = await tool_names(client)
    assert heard == 1 and "archive_stale_leads_406" in names
    assert make.requests[before:] == [
        "POST /api/v2/scenarios/406/start",
        "GET /api/v2/scenarios/406",
        "GET /api/v2/scenarios/406/interface",
    ]


@pytest.mark.parametrize("mode", MODES)
async def test_a_first_listing_past_its_wait_gives_the_catalogue_and_the_scenario_tools_follow_announced(
    mode: str,
) -> None:
    make = Make()
    gate = Gate(make, 404)
    gate.closed = True  # discovery cannot read scenario 404's interface yet
    async with scenario_client(make, mode=mode, first_listing_wait=0.0) as (client, _):
        first = await tool_names(client)
        assert await changes_heard(client, mode, gate.open, later=True) == 1
        later = await tool_names(client)
    assert LEAD not in first and "scenarios_list" in first
    assert later[:2] == [LEAD, REPORT]
