"""Streamable HTTP for many users, end to end over loopback: make_mcp.server.http.gateway's app served by uvicorn on one port,
the sandbox as Make on another, and real mcp clients that each send their own user's credential."""

from __future__ import annotations

import json
import logging
import os
import socket
import subprocess
import sys
import threading
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import anyio
import httpx2
import mcp_types as types
import pytest
import uvicorn
from mcp import Client
from mcp.client.streamable_http import streamable_http_client
from mcp.shared.exceptions import MCPError
from mcp_types.version import MODERN_PROTOCOL_VERSIONS
from pydantic import ValidationError
from starlette.applications import Starlette

from make_mcp.server.engine.confirmation import Confirmations
from make_mcp.server.http.gateway import Callers, Unauthorized, parse_authorization
from make_mcp.server.http.serve import create_http_app, exposure_warnings
from make_mcp.server.make_api.client import MakeClient
from make_mcp.server.support.config import Settings, describe_validation_error
from make_mcp.server.support.state import LocalState
from tests.conftest import TEST_FIRST_LISTING_WAIT, LoopbackSandbox

MODES = ["legacy", "auto"]
# Two users of one Make organization with different grants.
ALICE = "a11ce000-0000-4000-8000-00000000a11c"
BOB = "b0b00000-0000-4000-8000-000000000b0b"
ALICE_SCOPES = {"scenarios:read", "scenarios:write", "organizations:read"}
BOB_SCOPES = {"datastores:read", "organizations:read"}
INITIALIZE = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "initialize",
    "params": {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "t", "version": "1"}},
}
MCP_HEADERS = {"Accept": "application/json, text/event-stream", "Content-Type": "application/json"}


@dataclass
class HttpServer:
    app: Starlette
    url: str  # the MCP endpoint, e.g. http://127.0.0.1:41235/mcp

    @property
    def callers(self) -> Callers:
        callers = self.app.state.gateway.callers
        assert callers is not None
        return callers


@pytest.fixture
def sandbox_users(loopback_sandbox: LoopbackSandbox) -> LoopbackSandbox:
    loopback_sandbox.state.add_token(ALICE, ALICE_SCOPES)
    loopback_sandbox.state.add_token(BOB, BOB_SCOPES)
    return loopback_sandbox


@pytest.fixture
def start_http(sandbox_users: LoopbackSandbox) -> Iterator[Callable[..., HttpServer]]:
    """Starts make_mcp.server.http.gateway's app on a free loopback port with the given settings; stops them all afterwards."""
    running: list[tuple[uvicorn.Server, threading.Thread, socket.socket]] = []

    def start(**overrides: Any) -> HttpServer:
        overrides.setdefault("zone", sandbox_users.url)
        overrides.setdefault("allow_custom_zone", True)
        overrides.setdefault("http_first_listing_wait", TEST_FIRST_LISTING_WAIT)
        app = create_http_app(Settings(**overrides))
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", 0))
        sock.listen(128)
        server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
        thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
        thread.start()
        running.append((server, thread, sock))
        return HttpServer(app, f"http://127.0.0.1:{sock.getsockname()[1]}/mcp")

    yield start
    for server, thread, sock in running:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


@asynccontextmanager
async def user_client(url: str, token: str | None, *, mode: str = "auto") -> AsyncIterator[Client]:
    headers = {} if token is None else {"Authorization": f"Token {token}"}
    async with (
        httpx2.AsyncClient(headers=headers, timeout=httpx2.Timeout(30, read=300)) as http,
        Client(streamable_http_client(url, http_client=http), mode=mode) as client,
    ):
        yield client


async def post(url: str, body: Any, **headers: str) -> httpx2.Response:
    async with httpx2.AsyncClient(timeout=30) as http:
        return await http.post(url, json=body, headers={**MCP_HEADERS, **headers})


def text_of(result: types.CallToolResult) -> str:
    return "\n".join(block.text for block in result.content if isinstance(block, types.TextContent))


def names(listing: types.ListToolsResult) -> set[str]:
    return {tool.name for tool in listing.tools}


@pytest.mark.parametrize(
    ("authorization", "reason"),
    [
        (None, "missing_credentials"),
        ("Basic dXNlcjpwYXNz", "malformed_credentials"),
        ("Token", "malformed_credentials"),
        ("Token not-a-make-token", "rejected_credentials"),
    ],
)
async def test_a_request_without_a_usable_credential_is_refused_with_401_and_a_json_body_before_mcp(
    start_http: Callable[..., HttpServer], sandbox_users: LoopbackSandbox, authorization: str | None, reason: str
) -> None:
    server = start_http()
    headers = {} if authorization is None else {"Authorization": authorization}
    response = await post(server.url, INITIALIZE, **headers)
    assert response.status_code == 401
    assert "Token" in response.headers["www-authenticate"]
    body = response.json()
    assert body["error"]["data"]["reason"] == reason
    assert "Authorization" in body["error"]["message"] or "credential" in body["error"]["message"]
    # Only a well-formed token is shown to Make, once, to learn whether it is valid.
    asked = [r for r in sandbox_users.state.requests if r.path.endswith("/current-authorization")]
    assert len(asked) == (1 if reason == "rejected_credentials" else 0)
    assert not [r for r in sandbox_users.state.requests if not r.path.endswith("/current-authorization")]


async def test_an_mcp_client_without_a_credential_is_told_what_to_send(start_http: Callable[..., HttpServer]) -> None:
    server = start_http()
    refusal = pytest.RaisesExc(MCPError, match="Authorization: Token")
    with pytest.RaisesGroup(refusal, flatten_subgroups=True):
        async with user_client(server.url, None, mode="legacy") as client:
            await client.list_tools()


@pytest.mark.parametrize("mode", MODES)
async def test_each_user_sees_their_own_tools_and_identity_through_interleaved_calls(
    start_http: Callable[..., HttpServer], mode: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    server = start_http(team=201)
    async with user_client(server.url, ALICE, mode=mode) as alice, user_client(server.url, BOB, mode=mode) as bob:
        # "auto" speaks the stateless 2026 era over HTTP, "legacy" the initialize handshake.
        assert (alice.protocol_version in MODERN_PROTOCOL_VERSIONS) == (mode == "auto")
        alice_tools = names(await alice.list_tools())
        bob_tools = names(await bob.list_tools())
        alice_who = await alice.call_tool("users_me-authorization", {})
        bob_who = await bob.call_tool("users_me-authorization", {})
        alice_scenarios = await alice.call_tool("scenarios_list", {"cols": ["id"]})
        bob_scenarios = await bob.call_tool("scenarios_list", {"cols": ["id"]})
        bob_stores = await bob.call_tool("data-stores_list", {})
        alice_stores = await alice.call_tool("data-stores_list", {})

        # Many calls of both users at once: each answer still carries its caller's own grant.
        seen: dict[str, list[set[str]]] = {"alice": [], "bob": []}

        async def whoami(who: str, client: Client) -> None:
            result = await client.call_tool("users_me-authorization", {})
            assert result.structured_content is not None
            seen[who].append(set(result.structured_content["authorization"]["scope"]))

        async with anyio.create_task_group() as group:
            for _ in range(10):
                group.start_soon(whoami, "alice", alice)
                group.start_soon(whoami, "bob", bob)

    assert {"scenarios_list", "scenarios_update"} <= alice_tools and "data-stores_list" not in alice_tools
    assert "data-stores_list" in bob_tools and not {"scenarios_list", "scenarios_update"} & bob_tools
    assert alice_who.structured_content is not None and bob_who.structured_content is not None
    assert set(alice_who.structured_content["authorization"]["scope"]) == ALICE_SCOPES
    assert set(bob_who.structured_content["authorization"]["scope"]) == BOB_SCOPES
    assert not alice_scenarios.is_error, text_of(alice_scenarios)
    assert bob_scenarios.is_error and "scenarios:read" in text_of(bob_scenarios)
    assert not bob_stores.is_error, text_of(bob_stores)
    assert alice_stores.is_error and "datastores:read" in text_of(alice_stores)
    assert seen == {"alice": [ALICE_SCOPES] * 10, "bob": [BOB_SCOPES] * 10}
    # Each credential's scopes were asked of Make once, and no log line holds a token.
    assert server.callers.discoveries == 2
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert ALICE not in logged and BOB not in logged and ALICE[:8] not in logged


async def test_a_server_credential_serves_requests_without_one_unless_client_credentials_are_required(
    start_http: Callable[..., HttpServer], sandbox_users: LoopbackSandbox
) -> None:
    lending = start_http(api_key=sandbox_users.token)
    async with user_client(lending.url, None, mode="legacy") as client:
        result = await client.call_tool("data-stores_list", {"teamId": 201})
    assert not result.is_error, text_of(result)
    # A request with its own token is still served with its own, never the server's.
    async with user_client(lending.url, BOB, mode="legacy") as bob:
        bob_tools = names(await bob.list_tools())
    assert "scenarios_list" not in bob_tools

    strict = start_http(api_key=sandbox_users.token, http_require_client_credentials=True)
    refused = await post(strict.url, INITIALIZE)
    assert refused.status_code == 401
    assert refused.json()["error"]["data"]["reason"] == "missing_credentials"


@pytest.mark.parametrize(
    ("headers", "status", "reason"),
    [
        ({"Origin": "http://evil.example"}, 403, "invalid_origin"),
        ({"Origin": "https://127.0.0.1.evil.example"}, 403, "invalid_origin"),
        ({"Host": "evil.example"}, 421, "invalid_host"),
        ({"Host": "127.0.0.1.evil.example:80"}, 421, "invalid_host"),
    ],
)
async def test_a_foreign_origin_or_host_is_refused_even_with_a_valid_token(
    start_http: Callable[..., HttpServer],
    sandbox_users: LoopbackSandbox,
    headers: dict[str, str],
    status: int,
    reason: str,
) -> None:
    server = start_http()
    response = await post(server.url, INITIALIZE, Authorization=f"Token {ALICE}", **headers)
    assert response.status_code == status
    assert response.json()["error"]["data"]["reason"] == reason
    assert not sandbox_users.state.requests  # refused before the token was used at all


async def test_configured_hosts_and_origins_are_accepted_besides_loopback(
    start_http: Callable[..., HttpServer],
) -> None:
    server = start_http(http_allowed_hosts="mcp.example.com", http_allowed_origins="https://app.example.com")
    response = await post(
        server.url, INITIALIZE, Authorization=f"Token {ALICE}", Host="mcp.example.com", Origin="https://app.example.com"
    )
    loopback = await post(server.url, INITIALIZE, Authorization=f"Token {ALICE}", Origin="http://localhost:5173")
    assert response.status_code == 200, response.text
    assert loopback.status_code == 200, loopback.text


@pytest.mark.parametrize("mode", MODES)
async def test_a_destructive_call_is_confirmed_in_two_stateless_requests_and_only_by_its_own_user(
    start_http: Callable[..., HttpServer], sandbox_users: LoopbackSandbox, mode: str
) -> None:
    sandbox_users.state.add_token("ca201000-0000-4000-8000-0000000ca201", ALICE_SCOPES)  # a third user, same grant
    server = start_http()
    async with user_client(server.url, ALICE, mode=mode) as alice:
        preview = await alice.call_tool("scenarios_delete", {"scenarioId": 402})
    assert not preview.is_error, text_of(preview)
    assert preview.structured_content is not None and preview.structured_content["confirmationRequired"] is True
    token = preview.structured_content["confirmation"]
    assert 402 in sandbox_users.state.scenarios

    async with user_client(server.url, "ca201000-0000-4000-8000-0000000ca201", mode=mode) as carol:
        stolen = await carol.call_tool("scenarios_delete", {"scenarioId": 402, "confirmation": token})
    assert stolen.is_error and "Not confirmed" in text_of(stolen)
    assert 402 in sandbox_users.state.scenarios

    async with user_client(server.url, ALICE, mode=mode) as alice:  # a new connection: nothing kept but the token
        done = await alice.call_tool("scenarios_delete", {"scenarioId": 402, "confirmation": token})
    assert not done.is_error, text_of(done)
    assert 402 not in sandbox_users.state.scenarios


async def test_processes_sharing_make_confirm_secret_accept_each_others_confirmations(
    start_http: Callable[..., HttpServer], sandbox_users: LoopbackSandbox
) -> None:
    secret = "correct horse battery staple 42"
    first, second = start_http(confirm_secret=secret), start_http(confirm_secret=secret)
    stranger = start_http()
    async with user_client(first.url, ALICE, mode="legacy") as alice:
        preview = await alice.call_tool("scenarios_delete", {"scenarioId": 401})
    assert preview.structured_content is not None
    token = preview.structured_content["confirmation"]
    async with user_client(stranger.url, ALICE, mode="legacy") as alice:
        refused = await alice.call_tool("scenarios_delete", {"scenarioId": 401, "confirmation": token})
    assert refused.is_error and 401 in sandbox_users.state.scenarios
    async with user_client(second.url, ALICE, mode="legacy") as alice:
        done = await alice.call_tool("scenarios_delete", {"scenarioId": 401, "confirmation": token})
    assert not done.is_error, text_of(done)
    assert 401 not in sandbox_users.state.scenarios


async def test_a_stateful_session_answers_only_the_credential_that_opened_it(
    start_http: Callable[..., HttpServer],
) -> None:
    server = start_http(http_stateless=False)
    opened = await post(server.url, INITIALIZE, Authorization=f"Token {ALICE}")
    assert opened.status_code == 200
    session = opened.headers["mcp-session-id"]
    listing = {"jsonrpc": "2.0", "id": 2, "method": "tools/list", "params": {}}
    protocol = {"Mcp-Session-Id": session, "Mcp-Protocol-Version": "2025-06-18"}
    hijack = await post(server.url, listing, Authorization=f"Token {BOB}", **protocol)
    own = await post(server.url, listing, Authorization=f"Token {ALICE}", **protocol)
    assert hijack.status_code == 404
    assert own.status_code == 200 and "scenarios_list" in own.text


async def test_a_stateless_server_answers_get_with_405_and_a_stateful_one_opens_its_stream(
    start_http: Callable[..., HttpServer], sandbox_users: LoopbackSandbox
) -> None:
    stateless, stateful = start_http(), start_http(http_stateless=False)
    async with httpx2.AsyncClient(timeout=30) as http:
        refused = await http.get(
            stateless.url, headers={"Accept": "text/event-stream", "Authorization": f"Token {ALICE}"}
        )
    assert refused.status_code == 405
    assert refused.headers["allow"] == "POST"
    assert refused.json()["error"]["data"]["reason"] == "method_not_allowed"
    assert not sandbox_users.state.requests  # refused before the token was shown to Make
    opened = await post(stateful.url, INITIALIZE, Authorization=f"Token {ALICE}")
    protocol = {"Mcp-Session-Id": opened.headers["mcp-session-id"], "Mcp-Protocol-Version": "2025-06-18"}
    async with (
        httpx2.AsyncClient(timeout=30) as http,
        http.stream(
            "GET", stateful.url, headers={"Accept": "text/event-stream", "Authorization": f"Token {ALICE}", **protocol}
        ) as stream,
    ):
        assert stream.status_code == 200
        assert stream.headers["content-type"].startswith("text/event-stream")


def start_http_server(env: dict[str, str], tries: int = 3) -> tuple[subprocess.Popen[str], int]:
    """`make-mcp serve --transport http` on a port that was free a moment ago, once it says it has started.

    On a busy machine another process may take the port between the probe and the server's bind: the server
    then exits, and another free port is tried."""
    seen: list[str] = []
    for _ in range(tries):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        command = [
            sys.executable,
            "-m",
            "make_mcp.server.cli.main",
            "serve",
            "--transport",
            "http",
            "--port",
            str(port),
        ]
        process = subprocess.Popen(
            command, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        assert process.stderr is not None
        for line in process.stderr:  # no credential configured: it must not fall back to the built-in sandbox
            assert "built-in sandbox" not in line
            seen.append(line)
            if "startup complete" in line:
                return process, port
        process.communicate(timeout=10)
    raise AssertionError("make-mcp serve --transport http did not start:\n" + "".join(seen[-40:]))


async def test_make_mcp_serve_transport_http_serves_each_user_with_their_own_token_on_the_given_port(
    sandbox_users: LoopbackSandbox,
) -> None:
    env = {key: value for key, value in os.environ.items() if not key.startswith("MAKE_")}
    env.update(MAKE_ZONE=sandbox_users.url, MAKE_ALLOW_CUSTOM_ZONE="1", MAKE_LOG_LEVEL="INFO", MAKE_TEAM="201")
    process, port = start_http_server(env)
    try:
        url = f"http://127.0.0.1:{port}/mcp"
        refused = await post(url, INITIALIZE)
        async with user_client(url, BOB, mode="legacy") as bob:
            stores = await bob.call_tool("data-stores_list", {})
    finally:
        process.terminate()
        out, _ = process.communicate(timeout=10)
    assert refused.status_code == 401
    assert not stores.is_error, text_of(stores)
    assert any(r.path.endswith("/data-stores") for r in sandbox_users.state.requests)
    assert out == ""  # stdout stays empty over HTTP too


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def test_scopes_another_instance_learned_are_used_for_the_time_they_have_left() -> None:
    lookups: list[str] = []

    def make(request: httpx2.Request) -> httpx2.Response:
        lookups.append(request.headers["Authorization"])
        return httpx2.Response(200, json={"authorization": {"scope": ["scenarios:read"]}})

    clock = FakeClock()  # both instances' clocks move together here; the shared state reads the wall clock
    shared = LocalState(clock=clock)
    client = MakeClient("https://eu1.make.com/api/v2", transport=httpx2.MockTransport(make))
    settings = Settings(zone="eu1.make.com", api_key=None)
    first, second = (
        Callers(settings, client, Confirmations(), clock=clock, ttl=300, shared=shared, wall_clock=clock)
        for _ in range(2)
    )
    token = "Token 5ca1ab1e-0000-4000-8000-00000000cafe"
    try:
        await first.entry(token)
        clock.now += 250
        entry = await second.entry(token)  # from the shared state: 50 s left
        clock.now += 49
        assert await second.entry(token) is entry
        clock.now += 2
        await second.entry(token)  # gone everywhere: Make is asked again
    finally:
        await client.aclose()
    assert entry.caller.authorization == token and entry.runner.catalogue.granted_scopes == {"scenarios:read"}
    assert len(lookups) == 2 and (first.discoveries, second.discoveries) == (1, 1)
    assert "5ca1ab1e" not in repr(shared._entries)  # pyright: ignore[reportPrivateUsage]  # kept by its hash only


async def test_scopes_are_learned_once_per_credential_and_again_after_the_ttl_within_a_bounded_cache(
    sandbox_users: LoopbackSandbox,
) -> None:
    carol = "ca201000-0000-4000-8000-0000000ca201"
    sandbox_users.state.add_token(carol, BOB_SCOPES)
    settings = Settings(zone=sandbox_users.url, allow_custom_zone=True)
    clock = FakeClock()
    client = MakeClient(sandbox_users.base_url, authorization=None)
    try:
        callers = Callers(settings, client, Confirmations(), clock=clock, ttl=60, max_entries=2)
        alice = await callers.entry(f"Token {ALICE}")
        assert await callers.entry(f"Token {ALICE}") is alice
        assert alice.caller.authorization == f"Token {ALICE}"
        clock.now += 61
        assert await callers.entry(f"Token {ALICE}") is not alice  # expired: asked again
        bob = await callers.entry(f"Token {BOB}")
        third = await callers.entry(f"Token {carol}")  # a third credential: the least recent (Alice) goes
        assert await callers.entry(f"Token {carol}") is third
        await callers.entry(f"Token {ALICE}")
        with pytest.raises(Unauthorized):
            await callers.entry("Token 00000000-0000-4000-8000-000000000000")
    finally:
        await client.aclose()
    assert callers.discoveries == 6
    # Same grant, one shared listing; but each caller acts with its own credential.
    assert third.runner is bob.runner and third.runner.listing is not alice.runner.listing
    assert (bob.caller.authorization, third.caller.authorization) == (f"Token {BOB}", f"Token {carol}")


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("Token abc", "Token abc"),
        ("bearer  xyz ", "Bearer xyz"),
        ("TOKEN abc", "Token abc"),
        (None, None),
        ("  ", None),
    ],
)
def test_authorization_headers_are_normalized_to_the_two_schemes_make_knows(
    header: str | None, expected: str | None
) -> None:
    assert parse_authorization(header) == expected


@pytest.mark.parametrize("header", ["Basic abc", "Token a b", "Token", "Bearer \u00e9t\u00e9", "Token " + "x" * 5000])
def test_other_authorization_headers_are_refused(header: str) -> None:
    with pytest.raises(Unauthorized):
        parse_authorization(header)


def test_listening_off_loopback_warns_about_clear_text_and_a_lent_server_credential() -> None:
    assert list(exposure_warnings(Settings(sandbox=True))) == []
    lending = list(exposure_warnings(Settings(sandbox=True, host="0.0.0.0")))
    strict = list(exposure_warnings(Settings(sandbox=True, host="0.0.0.0", http_require_client_credentials=True)))
    assert len(lending) == 2 and "MAKE_HTTP_REQUIRE_CLIENT_CREDENTIALS" in lending[1]
    assert len(strict) == 1 and "TLS" in strict[0]


def test_a_short_confirm_secret_is_refused_naming_the_variable() -> None:
    with pytest.raises(ValidationError) as caught:
        Settings(sandbox=True, confirm_secret="too short")
    assert describe_validation_error(caught.value).startswith("MAKE_CONFIRM_SECRET: must be at least 16 characters")


@pytest.mark.parametrize("mode", MODES)
async def test_the_caller_is_resolved_once_per_http_request_however_many_handlers_ask(
    start_http: Callable[..., HttpServer], mode: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    resolved: list[str | None] = []
    entry = Callers.entry

    async def counted(self: Callers, authorization: str | None, address: Callable[[], str] = lambda: "unknown") -> Any:
        resolved.append(authorization)
        return await entry(self, authorization, address)

    monkeypatch.setattr(Callers, "entry", counted)
    server = start_http(team=201)
    sent: list[str] = []

    async def count(request: httpx2.Request) -> None:
        sent.append(request.method)

    headers = {"Authorization": f"Token {ALICE}"}
    async with (
        httpx2.AsyncClient(headers=headers, timeout=30, event_hooks={"request": [count]}) as http,
        Client(streamable_http_client(server.url, http_client=http), mode=mode) as alice,
    ):
        await alice.list_tools()
        before, posts_before = len(resolved), sent.count("POST")
        # tools/call asks for the runner, the caller and the scenario tools; one lookup per HTTP request serves them.
        result = await alice.call_tool("scenarios_list", {"cols": ["id"]})
        lookups, posts = len(resolved) - before, sent.count("POST") - posts_before
    assert not result.is_error
    assert posts >= 1 and lookups == posts
    assert set(resolved) == {f"Token {ALICE}"}


@pytest.mark.parametrize("mode", MODES)
async def test_each_users_listings_stay_their_own_when_listed_again_and_again_in_turn(
    start_http: Callable[..., HttpServer], mode: str
) -> None:
    server = start_http(team=201)
    async with user_client(server.url, ALICE, mode=mode) as alice, user_client(server.url, BOB, mode=mode) as bob:
        seen: dict[str, list[set[str]]] = {"alice": [], "bob": []}
        for _ in range(3):  # the second and third listings of each are answered from their kept wire forms
            seen["alice"].append(names(await alice.list_tools()))
            seen["bob"].append(names(await bob.list_tools()))
    assert "scenarios_list" in seen["alice"][0] and "data-stores_list" not in seen["alice"][0]
    assert "data-stores_list" in seen["bob"][0] and "scenarios_list" not in seen["bob"][0]
    assert seen == {"alice": [seen["alice"][0]] * 3, "bob": [seen["bob"][0]] * 3}


async def test_a_tools_list_with_malformed_params_is_still_refused_as_the_sdk_refuses_it(
    start_http: Callable[..., HttpServer],
) -> None:
    server = start_http(team=201)
    body = {
        "jsonrpc": "2.0",
        "id": 7,
        "method": "tools/list",
        "params": {"_meta": {"progressToken": {"not": "a token"}}},
    }
    answer = await post(server.url, body, Authorization=f"Token {ALICE}", **{"MCP-Protocol-Version": "2025-11-25"})
    lines = [line[len("data:") :] for line in answer.text.splitlines() if line.startswith("data:")]
    message = json.loads(lines[-1]) if lines else answer.json()
    assert message["id"] == 7 and message["error"]["code"] == -32602  # invalid params
    assert "result" not in message
