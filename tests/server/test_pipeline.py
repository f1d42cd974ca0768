"""One tool call as stages: a tool of several requests through its port, and one budget for the whole call."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated, Any

import anyio
import httpx2
import mcp_types as types
import pytest
from mcp import Client
from pydantic import Field

from make_mcp.server.engine.confirmation import CONFIRMATION_FIELD, Confirmations
from make_mcp.server.engine.connect import open_make_client
from make_mcp.server.engine.operations import fill_path
from make_mcp.server.engine.scopes import discover_scopes
from make_mcp.server.engine.selection import Catalogue
from make_mcp.server.make_api.client import MakeClient, RetryPolicy
from make_mcp.server.protocol.app import build_server
from make_mcp.server.protocol.listing import tool_definition
from make_mcp.server.protocol.results import call_result
from make_mcp.server.protocol.runner import ToolRunner
from make_mcp.server.support.config import Settings
from make_mcp.tools.catalogue import BodyField, MakeInput, Operation, PathParam, RequestPort, Step
from make_mcp.tools.registry import ALL_OPERATIONS
from tests.conftest import LoopbackSandbox

READ = Step("GET", "/scenarios/{scenarioId}", scopes=("scenarios:read",))
RENAME = Step("PATCH", "/scenarios/{scenarioId}", scopes=("scenarios:write",))


class RenameInput(MakeInput):
    scenarioId: Annotated[int, PathParam()] = Field(description="The scenario.")
    name: Annotated[str, BodyField()] = Field(description="Its new name.")


async def rename_and_read(validated: Any, port: RequestPort) -> Any:
    """Test-only run: renames the scenario, then reads it back, telling the client of each step."""
    before = await port.send(READ, {"scenarioId": validated.scenarioId})
    await port.progress("renamed, reading it back")
    await port.send(RENAME, {"scenarioId": validated.scenarioId}, body={"name": validated.name})
    after = await port.send(READ, {"scenarioId": validated.scenarioId})
    return {"before": before["scenario"]["name"], "after": after["scenario"]["name"], "timeLeft": port.time_left()}


RENAME_AND_READ = Operation(
    name="scenarios_rename-and-read",
    title="Rename a scenario and read it back",
    description="Test-only tool of several requests.",
    toolset="scenarios",
    method="GET",
    path="/scenarios/{scenarioId}",
    scopes=(),
    input_model=RenameInput,
    read_only=False,
    destructive=True,
    idempotent=False,
    steps=(READ, RENAME),
    run=rename_and_read,
)


def text_of(result: types.CallToolResult) -> str:
    return "\n".join(block.text for block in result.content if isinstance(block, types.TextContent))


@asynccontextmanager
async def own_tool_client(
    sandbox: LoopbackSandbox, *, token: str | None = None, elicitation_callback: Any = None, **overrides: Any
) -> AsyncIterator[Client]:
    """A server whose catalogue holds the test-only tool as a caller's own, next to the scenarios toolset."""
    settings = Settings(
        api_key=token or sandbox.token, zone=sandbox.url, allow_custom_zone=True, rate_limit=0, **overrides
    )
    async with open_make_client(settings) as make:
        granted = await discover_scopes(make)
        catalogue = Catalogue.select(
            ALL_OPERATIONS, toolsets=frozenset({"scenarios"}), granted_scopes=granted, extra=(RENAME_AND_READ,)
        )
        server = build_server(ToolRunner(settings, make, catalogue, Confirmations()))
        async with Client(server, elicitation_callback=elicitation_callback) as client:
            yield client


def sent(sandbox: LoopbackSandbox, since: int) -> list[tuple[str, str]]:
    return [(r.method, r.path) for r in sandbox.state.requests[since:]]


async def test_a_tool_of_several_requests_sends_each_declared_step_and_returns_what_its_run_returns(
    loopback_sandbox: LoopbackSandbox,
) -> None:
    heard: list[str | None] = []

    async def on_progress(progress: float, total: float | None, message: str | None) -> None:
        heard.append(message)

    async with own_tool_client(loopback_sandbox, confirm_destructive=False) as client:
        listed = [tool.name for tool in (await client.list_tools()).tools]
        before = len(loopback_sandbox.state.requests)
        result = await client.call_tool(
            "scenarios_rename-and-read", {"scenarioId": 401, "name": "Renamed"}, progress_callback=on_progress
        )
    assert not result.is_error, text_of(result)
    assert listed[0] == "scenarios_rename-and-read"  # a caller's own tools come first
    assert sent(loopback_sandbox, before) == [
        ("GET", "/api/v2/scenarios/401"),
        ("PATCH", "/api/v2/scenarios/401"),
        ("GET", "/api/v2/scenarios/401"),
    ]
    structured = result.structured_content or {}
    assert structured["before"] != "Renamed" and structured["after"] == "Renamed"
    assert 0 < structured["timeLeft"] <= Settings().call_deadline
    assert "renamed, reading it back" in heard


def test_a_tool_of_several_requests_lists_every_request_and_needs_the_scopes_of_all_of_them() -> None:
    tool = tool_definition(RENAME_AND_READ, confirm=True)
    described = (tool.meta or {})["make/operation"]
    assert described["requests"] == [  # each once, although the operation's own request is a step too
        {"method": "GET", "path": "/scenarios/{scenarioId}"},
        {"method": "PATCH", "path": "/scenarios/{scenarioId}"},
    ]
    assert described["scopes"] == ["scenarios:read", "scenarios:write"]
    assert CONFIRMATION_FIELD in tool.input_schema["properties"]
    reader = frozenset({"scenarios:read"})
    catalogue = Catalogue.select((), granted_scopes=reader, extra=(RENAME_AND_READ,))
    assert catalogue.missing_scopes(RENAME_AND_READ) == ["scenarios:write"]
    assert catalogue.hidden == {"scenarios_rename-and-read": "the token lacks the scope scenarios:write"}


async def test_a_step_scope_the_token_lacks_is_refused_by_name_before_any_request(
    loopback_sandbox: LoopbackSandbox,
) -> None:
    reader = "0b7f7f0e-1111-4222-8333-777788889999"
    loopback_sandbox.state.add_token(reader, ["scenarios:read", "organizations:read"])
    async with own_tool_client(loopback_sandbox, token=reader) as client:
        before = len(loopback_sandbox.state.requests)
        refused = await client.call_tool("scenarios_rename-and-read", {"scenarioId": 401, "name": "x"})
        after = len(loopback_sandbox.state.requests)
    assert refused.is_error
    assert text_of(refused).startswith("scenarios_rename-and-read needs the scope scenarios:write")
    assert after == before


async def test_a_confirmation_covers_every_step_and_binds_the_validated_input(
    loopback_sandbox: LoopbackSandbox,
) -> None:
    async with own_tool_client(loopback_sandbox) as client:
        before = len(loopback_sandbox.state.requests)
        asked = await client.call_tool("scenarios_rename-and-read", {"scenarioId": 401, "name": "Renamed"})
        previewed = sent(loopback_sandbox, before)
        preview = (asked.structured_content or {})["preview"]
        token = (asked.structured_content or {})["confirmation"]
        other = await client.call_tool(
            "scenarios_rename-and-read", {"scenarioId": 401, "name": "Else", CONFIRMATION_FIELD: token}
        )
        respelled = await client.call_tool(
            "scenarios_rename-and-read", {"scenarioId": "401", "name": "Renamed", CONFIRMATION_FIELD: token}
        )
    assert "may send GET /scenarios/{scenarioId}, PATCH /scenarios/{scenarioId})" in preview
    assert 'name="Renamed"' in preview
    assert previewed == [("GET", "/api/v2/scenarios/401")]  # only the preview's read: nothing changed yet
    assert other.is_error and "Not confirmed" in text_of(other)
    assert not respelled.is_error, text_of(respelled)
    assert loopback_sandbox.state.scenarios[401]["name"] == "Renamed"


def test_a_step_path_fills_each_parameter_as_one_percent_encoded_segment() -> None:
    filled = fill_path("hooks_logs", "/hooks/{hookId}/logs/{logId}", {"hookId": 7, "logId": "a/b c"})
    assert filled == "/hooks/7/logs/a%2Fb%20c"
    with pytest.raises(ValueError):
        fill_path("hooks_get", "/hooks/{hookId}", {})
    with pytest.raises(ValueError):
        fill_path("hooks_get", "/hooks/{hookId}", {"hookId": 1, "other": 2})


async def test_a_step_path_value_that_is_no_identifier_is_an_invalid_argument_and_nothing_is_sent() -> None:
    class Recorder:
        def __init__(self) -> None:
            self.paths: list[str] = []

        async def __call__(self, request: httpx2.Request) -> httpx2.Response:
            self.paths.append(request.url.path)
            return httpx2.Response(200, json={"scenario": {"name": "x"}})

    async def reads_dot_dot(validated: Any, port: RequestPort) -> Any:
        return await port.send(READ, {"scenarioId": ".."})

    operation = Operation(**{**_fields(RENAME_AND_READ), "run": reads_dot_dot, "destructive": False})
    make = Recorder()
    settings = Settings(api_key="test-token", rate_limit=0)
    api = MakeClient(settings.base_url, authorization="Token test-token", transport=httpx2.MockTransport(make))
    try:
        runner = ToolRunner(settings, api, Catalogue((operation,)), Confirmations())
        result = call_result(await runner.call(operation.name, {"scenarioId": 1, "name": "x"}))
    finally:
        await api.aclose()
    assert isinstance(result, types.CallToolResult) and result.is_error
    assert "is not a valid identifier" in text_of(result) and make.paths == []


def _fields(operation: Operation) -> dict[str, Any]:
    return {name: getattr(operation, name) for name in operation.__dataclass_fields__}


class SlowPreviewMake:
    """Make whose GET (the preview's) answers 503 with Retry-After until the call's budget is nearly spent."""

    def __init__(self, retry_after: float) -> None:
        self.retry_after = retry_after
        self.tries: list[tuple[str, float]] = []  # (method, the try's timeout)

    async def __call__(self, request: httpx2.Request) -> httpx2.Response:
        timeout = request.extensions["timeout"]["read"]
        self.tries.append((request.method, timeout))
        if request.method == "GET":
            return httpx2.Response(503, headers={"Retry-After": str(self.retry_after)}, json={"message": "busy"})
        return httpx2.Response(200, json={"scenario": 402})


class Waits:
    def __init__(self) -> None:
        self.seconds: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.seconds.append(seconds)
        await anyio.lowlevel.checkpoint()


async def test_a_destructive_call_whose_preview_is_slow_leaves_its_real_request_only_the_rest_of_the_budget() -> None:
    make, waits = SlowPreviewMake(retry_after=4), Waits()
    settings = Settings(api_key="test-token", rate_limit=0, call_deadline=10)
    api = MakeClient(
        settings.base_url,
        authorization="Token test-token",
        timeout=30,
        retry=RetryPolicy(max_retries=3, deadline=10),
        transport=httpx2.MockTransport(make),
        sleep=waits,
    )

    async def accept(context: Any, params: types.ElicitRequestParams) -> types.ElicitResult:
        return types.ElicitResult(action="accept")

    try:
        catalogue = Catalogue.select(ALL_OPERATIONS, toolsets=frozenset({"scenarios"}))
        server = build_server(ToolRunner(settings, api, catalogue, Confirmations()))
        # The legacy era asks the user within the call, so preview and request are one call's (the modern era
        # sends the request in a second round, a call of its own).
        async with Client(server, mode="legacy", elicitation_callback=accept) as client:
            result = await client.call_tool("scenarios_delete", {"scenarioId": 402})
    finally:
        await api.aclose()
    assert not result.is_error, text_of(result)
    methods = [method for method, _ in make.tries]
    assert methods == ["GET", "GET", "GET", "DELETE"]  # a third wait would not have fitted in the 10 s
    assert waits.seconds == [4.0, 4.0]
    first_get, delete = make.tries[0][1], make.tries[-1][1]
    assert first_get == pytest.approx(10, abs=0.5)
    assert delete == pytest.approx(10 - 4 - 4, abs=0.5)  # the rest of the call's 10 s, not 10 s of its own


async def test_in_discovery_mode_a_callers_own_tools_are_listed_next_to_the_three_discovery_tools(
    loopback_sandbox: LoopbackSandbox,
) -> None:
    async with own_tool_client(loopback_sandbox, tool_mode="discovery", confirm_destructive=False) as client:
        listed = [tool.name for tool in (await client.list_tools()).tools]
        called = await client.call_tool("scenarios_rename-and-read", {"scenarioId": 401, "name": "Direct"})
    assert listed == ["scenarios_rename-and-read", "tools_search", "tools_describe", "tools_call"]
    assert not called.is_error, text_of(called)


async def test_a_tool_of_several_requests_refuses_text_no_request_can_carry_before_its_run_starts() -> None:
    runs: list[Any] = []

    async def records(validated: Any, port: RequestPort) -> Any:
        runs.append(validated)
        return {}

    operation = Operation(**{**_fields(RENAME_AND_READ), "run": records, "destructive": False})
    settings = Settings(api_key="test-token", rate_limit=0)
    api = MakeClient(settings.base_url, authorization="Token test-token")
    try:
        runner = ToolRunner(settings, api, Catalogue((operation,)), Confirmations())
        result = call_result(await runner.call(operation.name, {"scenarioId": 1, "name": "bad \ud800 text"}))
    finally:
        await api.aclose()
    assert isinstance(result, types.CallToolResult) and result.is_error
    assert "not valid Unicode" in text_of(result) and runs == []


async def test_a_tools_own_waits_are_on_the_injected_clock_and_count_against_the_calls_budget() -> None:
    async def waits_then_tells(validated: Any, port: RequestPort) -> Any:
        await port.sleep(3)
        return {"timeLeft": port.time_left()}

    operation = Operation(**{**_fields(RENAME_AND_READ), "run": waits_then_tells, "destructive": False})
    waits = Waits()
    settings = Settings(api_key="test-token", rate_limit=0)
    api = MakeClient(settings.base_url, authorization="Token test-token", retry=RetryPolicy(deadline=10))
    try:
        runner = ToolRunner(settings, api, Catalogue((operation,)), Confirmations(), sleep=waits)
        result = call_result(await runner.call(operation.name, {"scenarioId": 1, "name": "x"}))
    finally:
        await api.aclose()
    assert isinstance(result, types.CallToolResult) and not result.is_error, text_of(result)
    assert waits.seconds == [3] and (result.structured_content or {})["timeLeft"] == 7


async def test_in_discovery_mode_a_tool_the_token_may_not_call_is_not_described_and_its_scope_is_named(
    loopback_sandbox: LoopbackSandbox,
) -> None:
    reader = "0b7f7f0e-1111-4222-8333-aaaabbbbcccc"
    loopback_sandbox.state.add_token(reader, ["scenarios:read", "organizations:read"])
    async with own_tool_client(loopback_sandbox, token=reader, tool_mode="discovery") as client:
        described = await client.call_tool("tools_describe", {"name": "scenarios_create"})
        readable = await client.call_tool("tools_describe", {"name": "scenarios_get"})
    assert described.is_error and text_of(described).startswith("scenarios_create needs the scope scenarios:write")
    assert not readable.is_error
