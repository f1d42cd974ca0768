"""Start-up of the stdio server: `initialize` does not wait for Make, tools/list and tools/call do."""

from __future__ import annotations

import gc
import json
from typing import Any

import anyio
import httpx2
import mcp_types as types
import pytest
from mcp import Client

from make_mcp.server.cli.tools import print_tools
from make_mcp.server.engine.confirmation import Confirmations
from make_mcp.server.engine.connect import load_catalogue, new_rate_budget, open_make_client, rate_budget_key
from make_mcp.server.engine.discovery import DISCOVERY_TOOLS
from make_mcp.server.engine.selection import Catalogue, ToolChoice
from make_mcp.server.make_api.auth import LoginError
from make_mcp.server.make_api.client import MakeClient, RateBudget
from make_mcp.server.protocol.app import build_server
from make_mcp.server.protocol.listing import tool_definition
from make_mcp.server.protocol.runner import ToolRunner
from make_mcp.server.runtime import Startup, collect_once_started
from make_mcp.server.sandbox import create_sandbox_app, demo_state
from make_mcp.server.sandbox.faults import stalled
from make_mcp.server.support.collection import GC_THRESHOLDS
from make_mcp.server.support.config import TOOL_MODES, Settings
from make_mcp.server.support.state import LocalState, SharedRateBudget
from make_mcp.tools.registry import ALL_OPERATIONS, CORE_TOOLS
from tests.conftest import LoopbackSandbox
from tests.server.test_app import InstantSleep

TOKEN = "11111111-2222-4333-8444-555555555555"
GRANTED = ["teams:read", "organizations:read"]


class SlowMake:
    """A Make that answers the scopes question only when the test lets it."""

    def __init__(self) -> None:
        self.release = anyio.Event()
        self.paths: list[str] = []

    async def __call__(self, request: httpx2.Request) -> httpx2.Response:
        self.paths.append(request.url.path)
        if request.url.path.endswith("/users/me/current-authorization"):
            await self.release.wait()
            return httpx2.Response(200, json={"authorization": {"scope": GRANTED}})
        if request.url.path.endswith("/organizations/7"):
            return httpx2.Response(200, json={"organization": {"id": 7, "license": {"apiLimit": 240}}})
        if request.url.path.endswith("/teams/201"):
            return httpx2.Response(200, json={"team": {"id": 201, "name": "Ops"}})
        return httpx2.Response(404, json={"message": "Not found", "code": "IM004"})


def settings(**overrides: Any) -> Settings:
    return Settings(api_key=TOKEN, zone="eu1.make.com", **overrides)


def make_client(make: SlowMake, budget: RateBudget | None = None) -> MakeClient:
    return MakeClient(
        "https://eu1.make.com/api/v2",
        authorization=f"Token {TOKEN}",
        transport=httpx2.MockTransport(make),
        budget=budget,
    )


@pytest.mark.parametrize("mode", ["legacy", "auto"])
async def test_initialize_is_answered_before_make_tells_the_scopes_and_tools_list_then_lists_what_they_allow(
    mode: str,
) -> None:
    make = SlowMake()
    config = settings(toolsets="all", tool_mode="full", rate_limit=0)
    startup = Startup(config, make_client(make), None, ToolChoice.from_settings(config))
    server = build_server(None, runner_for=startup.runner)
    async with anyio.create_task_group() as tasks:
        tasks.start_soon(startup.run)
        async with Client(server, mode=mode) as client:
            assert not make.release.is_set()  # initialized while the scopes question is unanswered
            make.release.set()
            listed = await client.list_tools()
            result = await client.call_tool("teams_get", {"teamId": 201})
    expected = Catalogue.select(ALL_OPERATIONS, granted_scopes=frozenset(GRANTED))
    assert sorted(tool.name for tool in listed.tools) == sorted(op.name for op in expected.operations)
    by_name = {op.name: op for op in expected.operations}
    assert [tool.model_dump() for tool in listed.tools] == [
        tool_definition(by_name[tool.name], confirm=config.confirm_destructive).model_dump() for tool in listed.tools
    ]
    assert not result.is_error
    assert result.structured_content == {"team": {"id": 201, "name": "Ops"}}


async def test_garbage_collection_resumes_once_started_less_often_skipping_what_start_up_made() -> None:
    make = SlowMake()
    config = settings(rate_limit=0)
    startup = Startup(config, make_client(make), None, ToolChoice.from_settings(config))
    frozen = gc.get_freeze_count()
    thresholds = gc.get_threshold()
    gc.disable()  # as serve_stdio does
    try:
        async with anyio.create_task_group() as tasks:
            tasks.start_soon(startup.run)
            tasks.start_soon(collect_once_started, startup, True)
            await anyio.wait_all_tasks_blocked()
            paused_while_asking = not gc.isenabled()
            make.release.set()
            await startup.started()
            await anyio.wait_all_tasks_blocked()
            tasks.cancel_scope.cancel()
        assert paused_while_asking
        assert gc.isenabled() and gc.get_freeze_count() > frozen
        assert gc.get_threshold() == GC_THRESHOLDS
    finally:
        gc.unfreeze()
        gc.enable()
        gc.set_threshold(*thresholds)


async def test_a_call_sent_before_make_tells_the_scopes_waits_and_is_then_checked_against_them() -> None:
    make = SlowMake()
    config = settings(toolsets="all", rate_limit=0)
    startup = Startup(config, make_client(make), None, ToolChoice.from_settings(config))
    server = build_server(None, runner_for=startup.runner)
    results: list[types.CallToolResult] = []
    async with anyio.create_task_group() as tasks:
        tasks.start_soon(startup.run)
        async with Client(server) as client:

            async def call() -> None:
                results.append(await client.call_tool("scenarios_list", {"teamId": 201}))

            async with anyio.create_task_group() as calls:
                calls.start_soon(call)
                await anyio.wait_all_tasks_blocked()
                assert results == []
                make.release.set()
    assert results[0].is_error
    text = results[0].content[0]
    assert isinstance(text, types.TextContent)
    assert "scenarios:read" in text.text
    assert not any(path.endswith("/scenarios") for path in make.paths)


async def test_the_rate_budget_is_the_organizations_limit_once_the_tools_are_ready() -> None:
    make = SlowMake()
    make.release.set()
    config = settings(organization=7)
    budget = RateBudget(60)
    startup = Startup(config, make_client(make, budget), budget, ToolChoice.from_settings(config))
    await startup.run()
    runner = await startup.runner()
    assert budget.per_minute == 240
    assert {op.name for op in runner.catalogue.operations} <= {op.name for op in ALL_OPERATIONS}


async def test_when_make_stalls_on_the_scopes_the_listing_shows_every_tool_after_the_wait_and_list_changed_corrects_it() -> (
    None
):
    state = demo_state()
    state.add_token(TOKEN, GRANTED)
    make_answers = anyio.Event()
    state.faults.add(stalled(make_answers), path="/users/me/current-authorization")
    config = settings(toolsets="all", tool_mode="full", rate_limit=0, scenario_tools="off")
    client = MakeClient(
        "http://sandbox.test/api/v2",
        authorization=f"Token {TOKEN}",
        transport=httpx2.ASGITransport(app=create_sandbox_app(state)),
    )
    sleep = InstantSleep()
    startup = Startup(config, client, None, ToolChoice.from_settings(config), sleep=sleep)
    server = build_server(
        None, runner_for=startup.runner, scenario_tools_for=startup.scenario_tools, listing_for=startup.listing
    )
    changed = anyio.Event()

    async def on_message(message: Any) -> None:
        if isinstance(message, types.ToolListChangedNotification):
            changed.set()

    try:
        with anyio.fail_after(30):  # a bound on a server that waits for Make regardless, not a timing
            async with anyio.create_task_group() as tasks:
                tasks.start_soon(startup.run)
                async with Client(server, mode="legacy", message_handler=on_message) as mcp:
                    provisional = await mcp.list_tools()
                    assert not changed.is_set()
                    make_answers.set()
                    await changed.wait()
                    corrected = await mcp.list_tools()
                tasks.cancel_scope.cancel()
    finally:
        await client.aclose()
    assert config.listing_wait in sleep.waits
    assert sorted(tool.name for tool in provisional.tools) == sorted(op.name for op in ALL_OPERATIONS)
    expected = Catalogue.select(ALL_OPERATIONS, granted_scopes=frozenset(GRANTED))
    assert sorted(tool.name for tool in corrected.tools) == sorted(op.name for op in expected.operations)
    assert len(corrected.tools) < len(provisional.tools)
    assert sum(request.path.endswith("/current-authorization") for request in state.requests) == 1


class RefusedLogin:
    async def header(self) -> str | None:
        raise LoginError("the stored login expired; run `make-mcp login`")

    async def refreshed_after_401(self, failed_header: str) -> bool:
        return False


async def test_a_failure_while_asking_make_stops_the_server_with_that_error() -> None:
    config = settings()
    client = MakeClient(
        "https://eu1.make.com/api/v2", credentials=RefusedLogin(), transport=httpx2.MockTransport(SlowMake())
    )
    startup = Startup(config, client, None, ToolChoice.from_settings(config))
    with anyio.CancelScope() as serving:
        await startup.run(serving)
    assert serving.cancel_called
    with pytest.raises(LoginError, match="stored login expired"):
        startup.raise_failure()
    with pytest.raises(RuntimeError):
        await startup.runner()


def sandbox_settings(sandbox: LoopbackSandbox, **overrides: Any) -> Settings:
    # Scenario tools off unless asked: these tests count the catalogue's tools (tests/server/test_scenario_tools_live.py
    # lists scenario tools first).
    overrides.setdefault("scenario_tools", "off")
    return Settings(api_key=sandbox.token, zone=sandbox.url, allow_custom_zone=True, rate_limit=0, **overrides)


@pytest.mark.parametrize("mode", TOOL_MODES)
async def test_make_mcp_tools_json_prints_exactly_what_serving_lists_in_every_mode(
    loopback_sandbox: LoopbackSandbox, capsys: pytest.CaptureFixture[str], mode: str
) -> None:
    config = sandbox_settings(loopback_sandbox, tool_mode=mode)
    await print_tools(config, True)
    printed = json.loads(capsys.readouterr().out)
    async with open_make_client(config) as make:
        catalogue = await load_catalogue(config, make)
        # A 2025-11-25 client is served every field printed; 2026-07-28 has no `execution` (tasks are per call).
        server = build_server(ToolRunner(config, make, catalogue, Confirmations()))
        async with Client(server, mode="legacy") as client:
            served = await client.list_tools()
    assert printed["tools"] == served.model_dump(by_alias=True, exclude_none=True, mode="json")["tools"]
    assert (
        len(printed["tools"]) == {"core": len(CORE_TOOLS) + 3, "full": len(catalogue.operations), "discovery": 3}[mode]
    )


async def test_make_mcp_tools_prints_a_line_per_listed_tool_and_what_tools_call_reaches_besides(
    loopback_sandbox: LoopbackSandbox, capsys: pytest.CaptureFixture[str]
) -> None:
    config = sandbox_settings(loopback_sandbox)
    await print_tools(config, False)
    *rows, summary = capsys.readouterr().out.splitlines()
    async with open_make_client(config) as make:
        selected = len((await load_catalogue(config, make)).operations)
    assert [row.split()[0] for row in rows] == [*CORE_TOOLS, *DISCOVERY_TOOLS]
    assert rows[0].split()[1:] == ["scenarios", "read", "GET", "/scenarios"]
    assert rows[-1].split()[1:] == ["discovery", "any"]
    assert (
        summary
        == f"{len(CORE_TOOLS) + 3} tools listed in core mode; tools_call reaches {selected - len(CORE_TOOLS)} more"
    )


def test_the_rate_budget_is_this_process_s_unless_a_shared_state_is_given_then_one_per_zone_and_organization() -> None:
    settings = Settings(zone="eu2.make.com", rate_limit=40, organization=7)
    own = new_rate_budget(settings)
    shared = new_rate_budget(settings, shared=LocalState())
    assert isinstance(own, RateBudget) and own.per_minute == 40
    assert isinstance(shared, SharedRateBudget) and shared.per_minute == 40
    assert rate_budget_key(settings) == "eu2.make.com:org:7"
    assert rate_budget_key(settings.model_copy(update={"organization": None})) == "eu2.make.com:org:any"
    assert new_rate_budget(settings.model_copy(update={"rate_limit": 0}), shared=LocalState()) is None
