"""Bad input for every tool: arbitrary JSON and schema-shaped-but-wrong arguments, hostile path values.

Each call runs the ToolRunner in-process against an in-process sandbox, through a transport that records
every request. Whatever the arguments: the call returns a result (no exception, no internal failure), a
refusal of the arguments sends nothing, and every request goes to the configured host under /api/v2 with
each path value percent-encoded into exactly one path segment.
"""

from __future__ import annotations

import json
import os
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from functools import cache
from typing import Any
from urllib.parse import unquote

import httpx2
import mcp_types as types
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from mcp import Client
from pydantic import ValidationError

from make_mcp.server.engine.confirmation import Confirmations
from make_mcp.server.engine.discovery import DISCOVERY_TOOLS
from make_mcp.server.engine.selection import Catalogue
from make_mcp.server.engine.shaping import trimmed_fields
from make_mcp.server.errors import InvalidArguments
from make_mcp.server.make_api.client import MakeClient, RetryPolicy
from make_mcp.server.protocol.app import build_server
from make_mcp.server.protocol.listing import tool_definition
from make_mcp.server.protocol.results import call_result
from make_mcp.server.protocol.runner import ToolRunner
from make_mcp.server.sandbox import SANDBOX_TOKEN, SandboxState, create_sandbox_app, demo_state
from make_mcp.server.support.config import Settings
from make_mcp.tools.catalogue import Operation
from make_mcp.tools.registry import ALL_OPERATIONS, TRIMMED_FIELDS

HOST = "zone.make-mcp.test"
BASE_URL = f"https://{HOST}/api/v2"
EXAMPLES_PER_TOOL = int(os.environ.get("FUZZ_EXAMPLES", "8"))  # raise it for a deeper local run
OPERATIONS = {op.name: op for op in ALL_OPERATIONS}
DEMO_IDS = {"organizationId": 101, "teamId": 201, "userId": 301, "scenarioId": 401, "folderId": 501}

# Values that have broken URL builders, HTTP libraries and servers.
HOSTILE_TEXT = [
    "",
    " ",
    ".",
    "..",
    "...",
    "../",
    "../../users/me",
    "..%2F..%2Fusers%2Fme",
    "%2e%2e",
    "a/b",
    "/",
    "//evil.example.com/x",
    "http://evil.example.com/",
    "@evil.example.com",
    "?teamId=1",
    "#fragment",
    "%2F",
    "%00",
    "\x00",
    "\r\nX-Injected: 1",
    "a b\tc",
    "é",
    "日本語",
    "🙂",
    "\u202e",
    "\ud800",
    "x" * 5_000,
    "é" * 30_000,
    "y" * 70_000,
]
HOSTILE_INTEGERS = [-1, 0, 2**31, 2**63, 10**40, -(10**40)]

text = st.one_of(st.sampled_from(HOSTILE_TEXT), st.text(max_size=12))
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.sampled_from(HOSTILE_INTEGERS),
    st.floats(allow_nan=False, allow_infinity=False),
    text,
)
nested = st.one_of(scalars, st.lists(scalars, max_size=2), st.dictionaries(text, scalars, max_size=2))
json_values = st.one_of(scalars, st.lists(nested, max_size=3), st.dictionaries(text, nested, max_size=3))


def typed_value(schema: Mapping[str, Any], name: str = "") -> st.SearchStrategy[Any]:
    """A value of the schema's shape: often valid, often at the edge of what the shape allows."""
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    if "anyOf" in schema:
        return st.one_of([typed_value(option, name) for option in schema["anyOf"]])
    kind = schema.get("type")
    if kind == "integer":
        ids = [DEMO_IDS[name]] if name in DEMO_IDS else []
        return st.one_of(st.sampled_from([*ids, 1, *HOSTILE_INTEGERS]), st.integers(min_value=-5, max_value=10**6))
    if kind == "number":
        return st.floats(allow_nan=False, allow_infinity=False)
    if kind == "string":
        return text
    if kind == "boolean":
        return st.booleans()
    if kind == "array":
        items = schema.get("items") or {}
        return st.lists(typed_value(items) if items else json_values, max_size=4)
    if kind == "object" and "properties" in schema:
        return shaped_object(schema)
    if kind == "object":
        return st.dictionaries(text, json_values, max_size=4)
    return json_values


def shaped_object(schema: Mapping[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
    """The schema's properties, each holding a value of its type or of any other."""
    properties: dict[str, Any] = schema.get("properties", {})
    required = set(schema.get("required", []))

    def value(name: str) -> st.SearchStrategy[Any]:
        return st.one_of(typed_value(properties[name], name), json_values)

    return st.fixed_dictionaries(
        {name: value(name) for name in properties if name in required},
        optional={name: value(name) for name in properties if name not in required},
    )


@cache
def arguments_for(name: str) -> st.SearchStrategy[dict[str, Any]]:
    schema = schema_of(name)
    names = list(schema.get("properties", {}))
    arbitrary = st.dictionaries(st.sampled_from(names) | text if names else text, json_values, max_size=5)
    return st.one_of(arbitrary, shaped_object(schema), shaped_object(schema))


def schema_of(name: str) -> dict[str, Any]:
    if name in DISCOVERY_TOOLS:
        return DISCOVERY_TOOLS[name][2].model_json_schema()
    return tool_definition(OPERATIONS[name], confirm=False).input_schema


# Built once: reading the environment is the slowest part of a call here.
SETTINGS = {
    discovery: Settings(sandbox=True, confirm_destructive=False, tool_mode="discovery" if discovery else "full")
    for discovery in (False, True)
}


class RecordingTransport(httpx2.AsyncBaseTransport):
    """Passes requests to the in-process sandbox and keeps each one, to check where it went."""

    def __init__(self, state: SandboxState) -> None:
        self.inner = httpx2.ASGITransport(app=create_sandbox_app(state))
        self.requests: list[httpx2.Request] = []

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        self.requests.append(request)
        return await self.inner.handle_async_request(request)


@asynccontextmanager
async def runner_for(name: str) -> AsyncIterator[tuple[ToolRunner, RecordingTransport]]:
    """A runner offering one tool (or the discovery tools over all of them), on a fresh demo sandbox."""
    transport = RecordingTransport(demo_state())
    client = MakeClient(
        BASE_URL,
        authorization=f"Token {SANDBOX_TOKEN}",
        transport=transport,
        retry=RetryPolicy(max_retries=0),
    )
    discovery = name in DISCOVERY_TOOLS
    catalogue = Catalogue(ALL_OPERATIONS if discovery else (OPERATIONS[name],))
    try:
        yield ToolRunner(SETTINGS[discovery], client, catalogue, Confirmations()), transport
    finally:
        await client.aclose()


def text_of(result: types.CallToolResult) -> str:
    return "\n".join(block.text for block in result.content if isinstance(block, types.TextContent))


def valid_model(operation: Operation, arguments: dict[str, Any]) -> bool:
    """Whether the input model takes the arguments, an object or array sent as JSON text counting as its value."""
    if operation.destructive:
        arguments = {key: value for key, value in arguments.items() if key != "confirmation"}
    if operation.name in TRIMMED_FIELDS:  # its `cols` is the shape stage's, checked apart from the model
        try:
            trimmed_fields(operation, arguments.get("cols"))
        except InvalidArguments:
            return False
        arguments = {key: value for key, value in arguments.items() if key != "cols"}
    for candidate in (arguments, {key: json_value(value) for key, value in arguments.items()}):
        try:
            operation.input_model.model_validate(candidate)
        except ValidationError:
            continue
        return True
    return False


def json_value(value: Any) -> Any:
    if isinstance(value, str):
        try:
            decoded = json.loads(value)
        except ValueError:
            return value
        if isinstance(decoded, dict | list):
            return decoded
    return value


def assert_stays_on_the_zone(request: httpx2.Request, operation: Operation | None) -> None:
    url = request.url
    assert (url.scheme, url.host, url.port) == ("https", HOST, None), url
    raw_path = url.raw_path.split(b"?", 1)[0].decode("ascii")
    assert raw_path.startswith("/api/v2/"), raw_path
    if operation is None:
        return
    sent = raw_path.removeprefix("/api/v2").split("/")
    template = operation.path.split("/")
    assert len(sent) == len(template), (raw_path, operation.path)
    for segment, pattern in zip(sent, template, strict=True):
        if pattern.startswith("{"):
            assert unquote(segment) not in ("", ".", ".."), raw_path
        else:
            assert segment == pattern, (raw_path, operation.path)


async def check_call(name: str, arguments: dict[str, Any]) -> None:
    async with runner_for(name) as (runner, transport):
        result = call_result(await runner.call(name, arguments))
    assert isinstance(result, types.CallToolResult)
    said = text_of(result)
    assert "failed internally" not in said and "Traceback" not in said, said
    operation = OPERATIONS.get(name)
    for request in transport.requests:
        assert_stays_on_the_zone(request, operation)
    if "nothing was sent to Make" in said:
        assert transport.requests == [], said
    if operation is not None and not valid_model(operation, arguments):
        assert result.is_error and transport.requests == [], said


TOOL_NAMES = sorted(OPERATIONS) + sorted(DISCOVERY_TOOLS)


@pytest.mark.parametrize("name", TOOL_NAMES)
@settings(
    max_examples=EXAMPLES_PER_TOOL,
    deadline=None,
    database=None,
    phases=[Phase.explicit, Phase.generate, Phase.shrink],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)
@given(data=st.data())
async def test_any_arguments_end_in_a_result_and_invalid_ones_send_nothing(name: str, data: st.DataObject) -> None:
    arguments = data.draw(arguments_for(name), label="arguments")
    await check_call(name, arguments)


# Values that try to leave their path segment, the API root or the host.
PATH_ATTACKS = [
    "../../users/me",
    "..%2F..%2Fusers%2Fme",
    "%2e%2e",
    "a/b",
    "//evil.example.com/x",
    "http://evil.example.com/",
    "@evil.example.com",
    "?teamId=1",
    "#fragment",
    "%2F",
    "a b",
    "é日本🙂",
    "x" * 2_000,
]


def simplest_value(schema: Mapping[str, Any], name: str) -> Any:
    if "enum" in schema:
        return schema["enum"][0]
    if "anyOf" in schema:
        return simplest_value(schema["anyOf"][0], name)
    return {"integer": DEMO_IDS.get(name, 1), "number": 1, "boolean": False, "array": [], "object": {}}.get(
        schema.get("type", "string"), "x"
    )


def string_path_parameters() -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for name, operation in sorted(OPERATIONS.items()):
        properties = schema_of(name)["properties"]
        for segment in operation.path.split("/"):
            parameter = segment.strip("{}")
            if segment.startswith("{") and properties.get(parameter, {}).get("type") == "string":
                found.append((name, parameter))
    return found


@pytest.mark.parametrize(("name", "parameter"), string_path_parameters())
async def test_a_hostile_path_value_travels_as_one_encoded_segment_to_the_configured_zone(
    name: str, parameter: str
) -> None:
    operation = OPERATIONS[name]
    schema = schema_of(name)
    simplest = {key: simplest_value(schema["properties"][key], key) for key in schema.get("required", [])}
    position = operation.path.split("/").index("{" + parameter + "}")
    async with runner_for(name) as (runner, transport):
        for value in PATH_ATTACKS:
            before = len(transport.requests)
            result = call_result(await runner.call(name, {**simplest, parameter: value}))
            assert isinstance(result, types.CallToolResult)
            assert "failed internally" not in text_of(result)
            sent = transport.requests[before:]
            if "nothing was sent to Make" in text_of(result):  # refused, e.g. by the parameter's pattern
                assert sent == []
                continue
            assert len(sent) == 1, (value, text_of(result))
            assert_stays_on_the_zone(sent[0], operation)
            segment = (
                sent[0].url.raw_path.split(b"?", 1)[0].decode("ascii").removeprefix("/api/v2").split("/")[position]
            )
            assert unquote(segment) == value
        for value in ("", ".", ".."):
            before = len(transport.requests)
            refused = call_result(await runner.call(name, {**simplest, parameter: value}))
            assert isinstance(refused, types.CallToolResult)
            assert refused.is_error and "nothing was sent to Make" in text_of(refused)
            assert len(transport.requests) == before


HOSTILE_CALLS: list[tuple[str, Any]] = [
    ("scenarios_get", {"scenarioId": "../../users/me"}),
    ("scenarios_get", {"scenarioId": 10**40}),
    ("scenarios_get", None),
    ("scenarios_get", {"scenarioId": {"$ne": 1}}),
    ("scenarios_list", {"teamId": 201, "cols": ["id"] * 5_000}),
    ("scenarios_list", {"teamId": "é" * 70_000}),
    ("executions_get", {"scenarioId": 401, "executionId": "a\ud800b"}),
    ("executions_get", {"scenarioId": 401, "executionId": "../../../../users/me?x=#"}),
    ("data-store-records_create", {"dataStoreId": 701, "data": {"name": "\x00" * 10, "email": ["nested"]}}),
    ("../../etc/passwd", {}),
    ("", {"x": 1}),
]


@pytest.mark.parametrize("mode", ["legacy", "auto"])
async def test_hostile_calls_through_an_mcp_client_get_results_never_protocol_errors(mode: str) -> None:
    transport = RecordingTransport(demo_state())
    client = MakeClient(BASE_URL, authorization=f"Token {SANDBOX_TOKEN}", transport=transport)
    runner = ToolRunner(SETTINGS[False], client, Catalogue(ALL_OPERATIONS), Confirmations())
    try:
        async with Client(build_server(runner), mode=mode) as mcp:
            results = [await mcp.call_tool(name, arguments) for name, arguments in HOSTILE_CALLS]
            still = await mcp.call_tool("scenarios_get", {"scenarioId": 401})
    finally:
        await client.aclose()
    for (name, _), result in zip(HOSTILE_CALLS, results, strict=True):
        assert result.is_error, name
        assert "failed internally" not in text_of(result) and "Traceback" not in text_of(result)
    assert not still.is_error
    for request in transport.requests:
        assert_stays_on_the_zone(request, None)


RPC = {"appName": "app", "appVersion": "1", "rpcName": "list"}
UNSENDABLE_HEADER_VALUES = [
    "a\x0bb",
    " leading",
    "trailing ",
    "\tx",
    "line\nbreak",
    "cr\r",
    "nul\x00",
    "é",
    "日本",
    "\x7f",
]


@pytest.mark.parametrize("value", UNSENDABLE_HEADER_VALUES)
async def test_a_header_value_no_http_header_can_carry_is_refused_before_anything_is_sent(value: str) -> None:
    async with runner_for("rpcs_call") as (runner, transport):
        result = call_result(await runner.call("rpcs_call", {**RPC, "imtIgnoreRequired": value}))
    assert isinstance(result, types.CallToolResult)
    said = text_of(result)
    assert result.is_error and "nothing was sent to Make" in said, said
    assert "- imtIgnoreRequired: " in said and "HTTP header" in said
    assert "may have been carried out" not in said
    assert transport.requests == []


async def test_a_header_value_with_inner_spaces_and_tabs_is_sent_as_it_is() -> None:
    async with runner_for("rpcs_call") as (runner, transport):
        result = call_result(await runner.call("rpcs_call", {**RPC, "imtIgnoreRequired": "a b\tc"}))
    assert isinstance(result, types.CallToolResult)
    assert [request.headers["imt-ignore-required"] for request in transport.requests] == ["a b\tc"]


NON_FINITE_ARGUMENTS: list[tuple[str, dict[str, Any], str]] = [
    ("data-store-records_create", {"dataStoreId": 701, "data": {"score": float("nan")}}, "data.score"),
    ("data-store-records_create", {"dataStoreId": 701, "data": {"list": [1, float("inf")]}}, "data.list.1"),
    ("scenarios_get", {"scenarioId": float("-inf")}, "scenarioId"),
    ("rpcs_call", {**RPC, "data": {"x": float("nan")}}, "data.x"),
]


@pytest.mark.parametrize(("name", "arguments", "where"), NON_FINITE_ARGUMENTS)
async def test_nan_or_infinity_in_an_argument_is_refused_naming_where_and_nothing_is_sent(
    name: str, arguments: dict[str, Any], where: str
) -> None:
    async with runner_for(name) as (runner, transport):
        result = call_result(await runner.call(name, arguments))
    assert isinstance(result, types.CallToolResult)
    said = text_of(result)
    assert result.is_error and "nothing was sent to Make" in said, said
    assert f"- {where}: is " in said and "not a JSON number" in said, said
    assert transport.requests == []


async def test_a_bad_header_value_through_an_mcp_client_is_a_clear_error_not_an_unreachable_make() -> None:
    # NaN cannot be sent this way (the client's serialiser writes null): tests/server/test_stdio.py sends it raw.
    transport = RecordingTransport(demo_state())
    client = MakeClient(BASE_URL, authorization=f"Token {SANDBOX_TOKEN}", transport=transport)
    runner = ToolRunner(SETTINGS[False], client, Catalogue(ALL_OPERATIONS), Confirmations())
    try:
        async with Client(build_server(runner)) as mcp:
            vertical_tab = await mcp.call_tool("rpcs_call", {**RPC, "imtValidateSchema": "bad\x0bvalue"})
            leading_space = await mcp.call_tool("rpcs_call", {**RPC, "imtValidateSchema": " value"})
    finally:
        await client.aclose()
    for refused in (vertical_tab, leading_space):
        assert refused.is_error and "nothing was sent to Make" in text_of(refused), text_of(refused)
        assert "could not reach" not in text_of(refused).lower()
    assert transport.requests == []
