"""make_mcp.server.http.inline: a stateless request asking for no progress is answered where it arrives, with what
the SDK's own path answers for it in either era; what the SDK would refuse is still the SDK's to answer."""

from __future__ import annotations

import json
from types import SimpleNamespace
from typing import Any

import httpx2
import pytest
from mcp.shared.exceptions import MCPError, NoBackChannelError
from mcp.shared.message import ServerMessageMetadata
from mcp.shared.transport_context import TransportContext
from mcp_types import INTERNAL_ERROR, METHOD_NOT_FOUND, ErrorData, JSONRPCRequest
from starlette.datastructures import Headers

from make_mcp.server.http.inline import Exchange, OneExchange, error_answer, params_refused
from make_mcp.server.support.config import Settings
from tests.server.test_http_hostile import http_server

HANDSHAKE = "2025-11-25"
MODERN = "2026-07-28"
ENVELOPE = {
    "io.modelcontextprotocol/protocolVersion": MODERN,
    "io.modelcontextprotocol/clientInfo": {"name": "test", "version": "1"},
    "io.modelcontextprotocol/clientCapabilities": {},
}


def post_of(
    version: str, method: str, params: dict[str, Any], *, progress: bool = False
) -> tuple[dict[str, str], bytes]:
    """The headers and body a client of `version` sends for `method` (with a progress token: the event stream side)."""
    meta: dict[str, Any] = dict(ENVELOPE) if version == MODERN else {}
    if progress:
        meta["progressToken"] = "p1"
    headers = {
        "Accept": "application/json, text/event-stream",
        "Content-Type": "application/json",
        "MCP-Protocol-Version": version,
    }
    if version == MODERN:
        headers["Mcp-Method"] = method
        if "name" in params:
            headers["Mcp-Name"] = params["name"]
    body = {"jsonrpc": "2.0", "id": 7, "method": method, "params": {**params, **({"_meta": meta} if meta else {})}}
    return headers, json.dumps(body).encode()


def answer_of(response: httpx2.Response) -> dict[str, Any]:
    """The JSON-RPC answer in a JSON body or the last message of an event stream."""
    if response.headers.get("content-type", "").startswith("text/event-stream"):
        data = [line[5:].strip() for line in response.text.splitlines() if line.startswith("data:")]
        return [json.loads(item) for item in data if item][-1]
    return response.json()


async def both_ways(url: str, version: str, method: str, params: dict[str, Any]) -> list[tuple[int, str, Any]]:
    """(status, content type, answer) of the request answered in place, then of the same one with a progress token
    (the SDK's session manager)."""
    seen: list[tuple[int, str, Any]] = []
    async with httpx2.AsyncClient(timeout=30) as http:
        for progress in (False, True):
            headers, body = post_of(version, method, params, progress=progress)
            response = await http.post(url, content=body, headers=headers)
            kind = response.headers.get("content-type", "").split(";")[0]
            seen.append((response.status_code, kind, answer_of(response)))
    return seen


@pytest.mark.parametrize("version", [HANDSHAKE, MODERN])
@pytest.mark.parametrize(
    ("method", "params"),
    [
        ("tools/list", {}),
        ("tools/call", {"name": "teams_get", "arguments": {"teamId": 201}}),
        ("tools/call", {"name": "teams_get", "arguments": {}}),
        ("no/such-method", {}),
        ("ping", {}),
        (
            "initialize",
            {"protocolVersion": HANDSHAKE, "capabilities": {}, "clientInfo": {"name": "test", "version": "1"}},
        ),
    ],
)
async def test_a_request_answered_in_place_carries_what_the_sdks_own_path_answers_in_either_era(
    version: str, method: str, params: dict[str, Any]
) -> None:
    with http_server(Settings(sandbox=True)) as url:
        (status, kind, answer), (sdk_status, _, sdk_answer) = await both_ways(url, version, method, params)
    assert kind == "application/json"
    assert (status, answer) == (sdk_status, sdk_answer)
    if method == "no/such-method":
        assert answer["error"]["code"] == METHOD_NOT_FOUND
    elif version == HANDSHAKE or method not in ("initialize", "ping"):  # not 2026-era methods: refused either way
        assert "result" in answer


def refused_posts() -> dict[str, tuple[dict[str, str], bytes]]:
    modern_headers, modern_body = post_of(MODERN, "tools/list", {})
    handshake_headers, handshake_body = post_of(HANDSHAKE, "tools/list", {})
    bare = json.loads(modern_body)
    del bare["params"]["_meta"]
    return {
        "a 2026-era request without its envelope": (modern_headers, json.dumps(bare).encode()),
        "a 2026-era request whose Mcp-Method header names another method": (
            {**modern_headers, "Mcp-Method": "tools/call"},
            modern_body,
        ),
        "a 2026-era notification": (
            modern_headers,
            json.dumps({"jsonrpc": "2.0", "method": "notifications/initialized"}).encode(),
        ),
        "a handshake-era notification": (
            handshake_headers,
            json.dumps({"jsonrpc": "2.0", "method": "notifications/initialized"}).encode(),
        ),
        "a handshake-era batch": (handshake_headers, b"[" + handshake_body + b"]"),
        "a body that is not JSON": (handshake_headers, b"{nope"),
        "a body of another media type": ({**handshake_headers, "Content-Type": "text/plain"}, handshake_body),
        "a JSON body of a type the transport does not take": (
            {**handshake_headers, "Content-Type": "application/json-seq"},
            handshake_body,
        ),
    }


async def test_what_the_sdk_would_refuse_is_still_answered_by_the_sdk() -> None:
    statuses: dict[str, int] = {}
    with http_server(Settings(sandbox=True)) as url:
        async with httpx2.AsyncClient(timeout=30) as http:
            for name, (headers, body) in refused_posts().items():
                statuses[name] = (await http.post(url, content=body, headers=headers)).status_code
    assert statuses == {
        "a 2026-era request without its envelope": 400,
        "a 2026-era request whose Mcp-Method header names another method": 400,
        "a 2026-era notification": 202,
        "a handshake-era notification": 202,
        "a handshake-era batch": 400,
        "a body that is not JSON": 400,
        "a body of another media type": 400,
        "a JSON body of a type the transport does not take": 415,
    }


def exchange(modern: bool) -> Exchange:
    from mcp.server.connection import Connection

    request = JSONRPCRequest(jsonrpc="2.0", id=3, method="tools/call", params={"name": "teams_get"})
    connection = Connection.from_envelope(MODERN if modern else HANDSHAKE, None, None)
    return Exchange(request, connection, TransportContext(kind="streamable-http", can_send_request=False), modern)


def test_an_unexpected_failure_is_answered_as_each_eras_sdk_path_answers_it() -> None:
    handshake_status, handshake_body = error_answer(exchange(modern=False), RuntimeError("it broke"))
    modern_status, modern_body = error_answer(exchange(modern=True), RuntimeError("it broke"))
    assert (handshake_status, json.loads(handshake_body)) == (
        200,
        {"jsonrpc": "2.0", "id": 3, "error": {"code": 0, "message": "it broke"}},
    )
    assert modern_status == 200  # the SDK maps only the protocol's refusals to HTTP statuses
    assert json.loads(modern_body) == {
        "jsonrpc": "2.0",
        "id": 3,
        "error": {"code": INTERNAL_ERROR, "message": "Internal server error"},
    }


def test_a_protocol_error_keeps_its_code_in_either_era() -> None:
    refusal = MCPError.from_error_data(ErrorData(code=METHOD_NOT_FOUND, message="Method not found"))
    for modern in (False, True):
        _, body = error_answer(exchange(modern), refusal)
        assert json.loads(body)["error"] == {"code": METHOD_NOT_FOUND, "message": "Method not found"}


async def test_a_request_answered_in_place_has_no_back_channel_and_its_notifications_go_nowhere() -> None:
    context = OneExchange(3, ServerMessageMetadata(), TransportContext(kind="streamable-http", can_send_request=False))
    assert not context.can_send_request
    with pytest.raises(NoBackChannelError):
        await context.send_raw_request("roots/list", None)
    await context.notify("notifications/message", {"level": "info", "data": "x"})  # dropped, never raised
    await context.progress(0.5)


REGION_SCHEMA = {"type": "object", "properties": {"region": {"type": "string", "x-mcp-header": "Region"}}}


def call_of(arguments: dict[str, Any]) -> JSONRPCRequest:
    return JSONRPCRequest(jsonrpc="2.0", id=1, method="tools/call", params={"name": "t", "arguments": arguments})


def test_a_2026_era_call_whose_mcp_param_headers_the_sdk_would_refuse_or_must_list_tools_for_is_left_to_it() -> None:
    def server(lookup: Any) -> Any:
        return SimpleNamespace(get_tool_input_schema=lookup)

    def broken(name: str) -> Any:
        raise RuntimeError("no schema")

    def headers(**extra: str) -> Headers:
        return Headers(headers=extra)

    region = server(lambda name: REGION_SCHEMA)
    assert params_refused(region, call_of({"region": "eu"}), headers())  # the header its schema asks for is missing
    assert not params_refused(region, call_of({"region": "eu"}), headers(**{"mcp-param-region": "eu"}))
    assert not params_refused(region, call_of({}), headers())  # nothing to compare
    assert params_refused(server(None), call_of({"region": "eu"}), headers())  # the SDK would list the tools
    assert params_refused(server(broken), call_of({"region": "eu"}), headers())
