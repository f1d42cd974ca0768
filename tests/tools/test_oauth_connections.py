"""The hand-written OAuth 2.0 connection tools, through a real MCP client against the sandbox on loopback:
refusals name the field (and the directive and step) and send nothing; valid calls reach Make's endpoint
with the body Make expects."""

from __future__ import annotations

from typing import Any

import pytest

from make_mcp.tools.registry import ALL_OPERATIONS
from tests.conftest import LoopbackSandbox
from tests.server.test_app import mcp_client, text_of

HTTP_OAUTH2 = "connections_create-http-oauth2"
SET_OAUTH2 = "sdk-connections_set-oauth2"

CONNECTION: dict[str, Any] = {
    "teamId": 201,
    "accountName": "Acme CRM",
    "authorizeUri": "https://auth.acme.example/oauth/authorize",
    "tokenUri": "https://auth.acme.example/oauth/token",
    "scope": "contacts.read, deals.write",
    "clientId": "acme-client",
    "clientSecret": "acme-secret",
}

COMMUNICATION: dict[str, Any] = {
    "connectionName": "acme-oauth2",
    "authorize": {
        "url": "https://auth.acme.example/oauth/authorize",
        "qs": {"client_id": "{{common.clientId}}", "redirect_uri": "{{oauth.localRedirectUri}}"},
        "response": {"temp": {"code": "{{query.code}}"}},
    },
    "token": {
        "url": "https://auth.acme.example/oauth/token",
        "method": "POST",
        "body": {"code": "{{temp.code}}", "grant_type": "authorization_code"},
        "type": "urlencoded",
        "response": {
            "data": {"accessToken": "{{body.access_token}}", "expires": "{{addSeconds(now, body.expires_in)}}"},
            "expires": "{{addDays(now, 30)}}",
        },
    },
    "info": {"url": "https://api.acme.example/me", "response": {"uid": "{{body.id}}"}},
}


async def test_an_http_oauth2_connection_reaches_make_with_the_fields_make_expects(
    loopback_sandbox: LoopbackSandbox,
) -> None:
    async with mcp_client(loopback_sandbox, toolsets="connections") as client:
        result = await client.call_tool(
            HTTP_OAUTH2,
            {
                **CONNECTION,
                "scopeSeparator": "comma",
                "additionalAuthorizeParams": [{"name": "access_type", "value": "offline"}],
                "additionalRefreshParams": [{"name": "audience", "value": "crm"}],
                "tokenPlacement": "both",
            },
        )
    assert not result.is_error, text_of(result)
    assert result.structured_content is not None
    assert result.structured_content["connection"]["name"] == "Acme CRM"
    sent = loopback_sandbox.state.requests[-1]
    assert (sent.method, sent.path, sent.query) == ("POST", "/api/v2/connections", [("teamId", "201")])
    assert sent.body == {
        "accountName": "Acme CRM",
        "accountType": "oauth2",
        "flowType": "authorizationCode",
        "authorizeUri": "https://auth.acme.example/oauth/authorize",
        "tokenUri": "https://auth.acme.example/oauth/token",
        "scopeSeparator": ",",
        "scope": ["contacts.read", "deals.write"],
        "clientId": "acme-client",
        "clientSecret": "acme-secret",
        "additionalAuthorizeParams": [{"name": "access_type", "value": "offline"}],
        "additionalRefreshParams": [{"name": "audience", "value": "crm"}],
        "tokenPlacement": "both",
        "tokenName": "Bearer",
    }


async def test_an_implicit_flow_connection_needs_only_the_authorize_uri(loopback_sandbox: LoopbackSandbox) -> None:
    implicit = {key: value for key, value in CONNECTION.items() if key not in ("tokenUri", "clientSecret")}
    async with mcp_client(loopback_sandbox, toolsets="connections") as client:
        result = await client.call_tool(HTTP_OAUTH2, {**implicit, "flowType": "implicit", "scope": ["profile"]})
    assert not result.is_error, text_of(result)
    body = loopback_sandbox.state.requests[-1].body
    assert body["flowType"] == "implicit" and "tokenUri" not in body and body["scopeSeparator"] == " "


BAD_CONNECTIONS: list[tuple[dict[str, Any], str, str]] = [
    ({"tokenUri": None}, "tokenUri", "required by the authorizationCode flow"),
    ({"flowType": "implicit"}, "tokenUri", "not used by the implicit flow"),
    (
        {"flowType": "implicit", "tokenUri": None, "additionalTokenParams": [{"name": "a", "value": "b"}]},
        "additionalTokenParams",
        "implicit flow has no token",
    ),
    ({"authorizeUri": "http://auth.acme.example/oauth/authorize"}, "authorizeUri", "https://"),
    ({"tokenUri": "auth.acme.example/token"}, "tokenUri", "https://"),
    ({"flowType": "clientCredentials"}, "flowType", "authorizationCode"),
    ({"scopeSeparator": ";"}, "scopeSeparator", "must be"),
    ({"scopeSeparator": ",", "scope": ["a,b"]}, "scope", "separator"),
    ({"scope": ["read", "read"]}, "scope", "twice"),
    ({"tokenPlacement": "body"}, "tokenPlacement", "header"),
    ({"tokenName": "Bearer token"}, "tokenName", "one word"),
    (
        {"additionalAuthorizeParams": [{"name": "redirect_uri", "value": "https://evil.example"}]},
        "additionalAuthorizeParams",
        "set by Make itself",
    ),
    (
        {"additionalRefreshParams": [{"name": "grant_type", "value": "password"}]},
        "additionalRefreshParams",
        "set by Make itself",
    ),
    ({"customHeaders": [{"name": "Authorization", "value": "x"}]}, "customHeaders", "set by Make itself"),
    ({"customHeaders": [{"name": "Bad Header", "value": "x"}]}, "customHeaders", "not a valid HTTP header name"),
    ({"accountName": ""}, "accountName", "at least 1 character"),
    ({"accountType": "basic"}, "accountType", "oauth2"),
]


async def test_bad_http_oauth2_connections_name_the_field_and_send_nothing(loopback_sandbox: LoopbackSandbox) -> None:
    problems: list[str] = []
    async with mcp_client(loopback_sandbox, toolsets="connections") as client:
        before = len(loopback_sandbox.state.requests)
        for change, field, reason in BAD_CONNECTIONS:
            arguments = {key: value for key, value in {**CONNECTION, **change}.items() if value is not None}
            result = await client.call_tool(HTTP_OAUTH2, arguments)
            text = text_of(result)
            if not (result.is_error and f"- {field}:" in text and reason in text and "nothing was sent" in text):
                problems.append(f"{change}: {text}")
        sent = loopback_sandbox.state.requests[before:]
    assert not problems, "\n".join(problems)
    assert sent == []


async def test_a_custom_app_oauth2_communication_is_uploaded_as_the_api_section(
    loopback_sandbox: LoopbackSandbox,
) -> None:
    async with mcp_client(loopback_sandbox, toolsets="sdk-apps") as client:
        uploaded = await client.call_tool(SET_OAUTH2, COMMUNICATION)
        read = await client.call_tool("sdk-connections_get-oauth2", {"connectionName": "acme-oauth2"})
    assert not uploaded.is_error, text_of(uploaded)
    assert not read.is_error, text_of(read)
    put, get = loopback_sandbox.state.requests[-2:]
    assert (put.method, put.path) == ("PUT", "/api/v2/sdk/apps/connections/acme-oauth2/api")
    assert put.body == {key: value for key, value in COMMUNICATION.items() if key != "connectionName"}
    assert (get.method, get.path) == ("GET", "/api/v2/sdk/apps/connections/acme-oauth2/api")


async def test_a_token_step_without_authorize_is_accepted_with_condition_true(
    loopback_sandbox: LoopbackSandbox,
) -> None:
    token = {**COMMUNICATION["token"], "condition": True}
    async with mcp_client(loopback_sandbox, toolsets="sdk-apps") as client:
        result = await client.call_tool(SET_OAUTH2, {"connectionName": "acme-oauth2", "token": token})
    assert not result.is_error, text_of(result)
    assert loopback_sandbox.state.requests[-1].body == {"token": token}


def _with(step: str, request: dict[str, Any] | list[dict[str, Any]]) -> dict[str, Any]:
    return {**COMMUNICATION, step: request}


BAD_COMMUNICATIONS: list[tuple[dict[str, Any], list[str]]] = [
    (
        _with("token", {**COMMUNICATION["token"], "pagination": {"qs": {"page": "{{pagination.page}}"}}}),
        ["- token:", "pagination directive", "token"],
    ),
    (_with("preauthorize", {"url": "https://x.example", "aws": {"key": "k"}}), ["- preauthorize:", "aws directive"]),
    (_with("info", {"url": "https://x.example", "response": {"limit": 10}}), ["- info:", "response.limit"]),
    (
        _with("refresh", [{"url": "https://x.example"}, {"url": "https://y.example", "response": {"iterate": "x"}}]),
        ["- refresh:", "response.iterate", "refresh[1]"],
    ),
    (
        _with("invalidate", {"url": "https://x.example", "response": {"output": {}}}),
        ["- invalidate:", "response.output"],
    ),
    (_with("info", []), ["- info:", "holds no request"]),
    (_with("info", {"response": "{{body}}"}), ["- info:", "info.response must be an object"]),
    ({"connectionName": "acme-oauth2", "token": COMMUNICATION["token"]}, ["token.condition must be true"]),
    (
        {"connectionName": "acme-oauth2", "token": {**COMMUNICATION["token"], "condition": "{{false}}"}},
        ["token.condition must be true"],
    ),
    ({"connectionName": "acme-oauth2"}, ["communication is empty"]),
    ({**COMMUNICATION, "url": "https://x.example"}, ["- url:", "is not a parameter"]),
]


@pytest.mark.parametrize("mode", ["legacy", "auto"])
async def test_bad_communications_name_the_directive_and_step_and_send_nothing(
    loopback_sandbox: LoopbackSandbox, mode: str
) -> None:
    problems: list[str] = []
    async with mcp_client(loopback_sandbox, mode=mode, toolsets="sdk-apps") as client:
        before = len(loopback_sandbox.state.requests)
        for arguments, expected in BAD_COMMUNICATIONS:
            result = await client.call_tool(SET_OAUTH2, arguments)
            text = text_of(result)
            if not (result.is_error and all(part in text for part in expected) and "nothing was sent" in text):
                problems.append(f"{expected}: {text}")
        sent = loopback_sandbox.state.requests[before:]
    assert not problems, "\n".join(problems)
    assert sent == []


def test_the_hand_written_tools_are_registered_in_their_toolsets_with_the_documented_scopes() -> None:
    tools = {op.name: op for op in ALL_OPERATIONS}
    assert tools[HTTP_OAUTH2].toolset == "connections"
    assert tools[HTTP_OAUTH2].scopes == tools["connections_create"].scopes
    assert tools[SET_OAUTH2].toolset == tools["sdk-connections_get-oauth2"].toolset == "sdk-apps"
    assert tools[SET_OAUTH2].scopes == tools["sdk-connections_set-section"].scopes
    assert tools["sdk-connections_get-oauth2"].read_only and not tools[SET_OAUTH2].read_only
