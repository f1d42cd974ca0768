"""server/http/gateway.py against hostile callers. Scope lookups under a flood: a refused credential is remembered for a
short while (by its hash), one credential has one lookup in flight at a time, and lookups over all credentials
are bounded. Malformed frames: the SDK's streamable HTTP answers each with a 400 and a JSON-RPC error."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import anyio
import httpx2
import uvicorn

from make_mcp.server.engine.confirmation import Confirmations
from make_mcp.server.http.gateway import MAX_CONCURRENT_LOOKUPS, REFUSAL_TTL_SECONDS, Callers, Unauthorized
from make_mcp.server.http.serve import create_http_app
from make_mcp.server.make_api.client import MakeClient, RetryPolicy
from make_mcp.server.support.config import Settings
from make_mcp.server.support.sleep import Sleep
from tests.conftest import LoopbackSandbox

GOOD = "900d0000-0000-4000-8000-00000000900d"
BAD = "bad00000-0000-4000-8000-0000000000ba"
SCOPES = {"authorization": {"scope": ["scenarios:read", "organizations:read"]}}


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class Make:
    """Answers the scope lookup: 200 for GOOD, 401 for anything else; each answer waits until released."""

    def __init__(self) -> None:
        self.lookups: list[str] = []
        self.in_flight = 0
        self.most_in_flight = 0
        self.release = anyio.Event()

    async def __call__(self, request: httpx2.Request) -> httpx2.Response:
        self.lookups.append(request.headers["Authorization"])
        self.in_flight += 1
        self.most_in_flight = max(self.most_in_flight, self.in_flight)
        await self.release.wait()
        self.in_flight -= 1
        if request.headers["Authorization"] == f"Token {GOOD}":
            return httpx2.Response(200, json=SCOPES)
        return httpx2.Response(401, json={"message": "Invalid credentials", "code": "IM001"})


def callers_on(make: Make, clock: FakeClock) -> tuple[Callers, MakeClient]:
    client = MakeClient(
        "https://eu1.make.com/api/v2", transport=httpx2.MockTransport(make), retry=RetryPolicy(max_retries=0)
    )
    settings = Settings(zone="eu1.make.com", api_key=None)
    return Callers(settings, client, Confirmations(), clock=clock), client


async def flood(callers: Callers, headers: list[str]) -> list[str]:
    """Each header's runner asked for at once; what each request ended in."""
    outcomes: list[str] = []

    async def one(header: str) -> None:
        try:
            await callers.entry(header)
            outcomes.append("served")
        except Unauthorized as refusal:
            outcomes.append(refusal.reason)

    async with anyio.create_task_group() as group:
        for header in headers:
            group.start_soon(one, header)
    return outcomes


async def test_three_hundred_requests_with_one_wrong_token_cost_make_one_lookup_within_the_ttl() -> None:
    make, clock = Make(), FakeClock()
    callers, client = callers_on(make, clock)
    try:
        make.release.set()
        with anyio.fail_after(10):
            concurrent = await flood(callers, [f"Token {BAD}"] * 150)
            clock.now += REFUSAL_TTL_SECONDS - 1
            one_by_one = [await flood(callers, [f"Token {BAD}"]) for _ in range(150)]
        assert make.lookups == [f"Token {BAD}"]
        assert set(concurrent) == {"rejected_credentials"} and len(concurrent) == 150
        assert all(outcome == ["rejected_credentials"] for outcome in one_by_one)
        clock.now += 2  # the refusal is forgotten: the token may have been fixed meanwhile
        assert await flood(callers, [f"Token {BAD}"]) == ["rejected_credentials"]
        assert len(make.lookups) == 2
    finally:
        await client.aclose()


async def test_the_first_requests_of_a_good_token_at_once_share_one_lookup() -> None:
    make, clock = Make(), FakeClock()
    callers, client = callers_on(make, clock)
    try:
        async with anyio.create_task_group() as group:
            group.start_soon(flood, callers, [f"Token {GOOD}"] * 50)
            await anyio.wait_all_tasks_blocked()
            make.release.set()
        assert make.lookups == [f"Token {GOOD}"]
    finally:
        await client.aclose()


async def test_lookups_of_many_new_tokens_at_once_are_bounded() -> None:
    make, clock = Make(), FakeClock()
    callers, client = callers_on(make, clock)
    tokens = [f"Token {index:08d}-0000-4000-8000-000000000000" for index in range(40)]
    try:
        outcomes: list[str] = []

        async def run() -> None:
            outcomes.extend(await flood(callers, tokens))

        async with anyio.create_task_group() as group:
            group.start_soon(run)
            await anyio.wait_all_tasks_blocked()
            assert make.in_flight == MAX_CONCURRENT_LOOKUPS
            make.release.set()
        assert make.most_in_flight == MAX_CONCURRENT_LOOKUPS
        assert len(make.lookups) == 40 and set(outcomes) == {"rejected_credentials"}
    finally:
        await client.aclose()


async def test_a_refusal_is_remembered_by_the_tokens_hash_never_the_token() -> None:
    make, clock = Make(), FakeClock()
    callers, client = callers_on(make, clock)
    make.release.set()
    try:
        await flood(callers, [f"Token {BAD}"])
    finally:
        await client.aclose()
    remembered = repr(vars(callers))
    assert BAD not in remembered


def deep(depth: int) -> str:
    return "[" * depth + "]" * depth


MCP_HEADERS = {"Content-Type": "application/json", "Accept": "application/json, text/event-stream"}
# Bodies that are no JSON-RPC message, and the error code the SDK answers each with.
MALFORMED_BODIES = {
    "params of the wrong type": ('{"jsonrpc":"2.0","id":7,"method":"tools/list","params":[1,2]}', -32602),
    "a batch": ('[{"jsonrpc":"2.0","id":1,"method":"ping"}]', -32602),
    "a lone surrogate": ('{"jsonrpc":"2.0","id":8,"method":"tools/call","params":{"name":"a\\ud800"}}', -32700),
    "nesting 900 deep": ('{"jsonrpc":"2.0","id":9,"method":"tools/call","params":{"a":' + deep(900) + "}}", -32700),
    "nesting 20,000 deep": (deep(20_000), -32700),
    "an integer of 5,000 digits": (
        '{"jsonrpc":"2.0","id":11,"method":"ping","params":{"n":' + "9" * 5000 + "}}",
        -32700,
    ),
    "no jsonrpc member": ('{"id":10,"method":"tools/list"}', -32602),
}


@contextmanager
def http_server(settings: Settings, clock: FakeClock | None = None, sleep: Sleep = anyio.sleep) -> Iterator[str]:
    """server.http's app served by uvicorn on a free loopback port, as `serve_http` serves it (uvicorn reads
    no proxy header); yields its /mcp address. `clock`: the time of its caches and lookup bounds; `sleep`: its
    waits (before a retry)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.bind(("127.0.0.1", 0))
    sock.listen(512)  # listening already: requests wait for uvicorn to start
    clocks = {} if clock is None else {"clock": clock, "wall_clock": clock}
    app = create_http_app(settings, sleep=sleep, **clocks)
    config = uvicorn.Config(app, log_level="warning", lifespan="on", proxy_headers=False)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}/mcp"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


async def test_the_sdk_answers_each_malformed_frame_over_http_with_a_400_and_a_json_rpc_error() -> None:
    answers: dict[str, httpx2.Response] = {}
    with http_server(Settings(sandbox=True)) as url:
        async with httpx2.AsyncClient(timeout=30) as http:
            for name, (body, _) in MALFORMED_BODIES.items():
                answers[name] = await http.post(url, content=body, headers=MCP_HEADERS)
    for name, (_, code) in MALFORMED_BODIES.items():
        assert answers[name].status_code == 400, name
        error = answers[name].json()
        assert error["id"] is None and error["error"]["code"] == code, (name, error)


def answer_of(response: httpx2.Response) -> dict[str, Any]:
    """The JSON-RPC answer of a POST, sent as JSON or as one server-sent event."""
    if response.headers["content-type"].startswith("text/event-stream"):
        data = [line[len("data:") :] for line in response.text.splitlines() if line.startswith("data:")]
        return json.loads(data[-1])
    return response.json()


async def test_arguments_and_json_text_past_the_bounds_get_a_tool_error_over_http_and_nothing_reaches_make(
    loopback_sandbox: LoopbackSandbox,
) -> None:
    settings = Settings(zone=loopback_sandbox.url, allow_custom_zone=True, toolsets="data-stores,scenarios")
    deep_blueprint = json.dumps('{"name":"x","flow":' + deep(30_000) + "}")  # the blueprint as JSON text
    calls = {
        "arguments 150 deep": ("data-store-records_create", '{"dataStoreId":701,"data":{"n":' + deep(150) + "}}"),
        "a blueprint's text 30,000 deep": ("scenarios_create", f'{{"teamId":201,"blueprint":{deep_blueprint}}}'),
    }
    headers = {**MCP_HEADERS, "Authorization": f"Token {loopback_sandbox.token}"}
    answers: dict[str, dict[str, Any]] = {}
    with http_server(settings) as url:
        async with httpx2.AsyncClient(timeout=30) as http:
            for index, (name, (tool, arguments)) in enumerate(calls.items()):
                params = f'{{"name":"{tool}","arguments":{arguments}}}'
                body = f'{{"jsonrpc":"2.0","id":{index},"method":"tools/call","params":{params}}}'
                answers[name] = answer_of(await http.post(url, content=body, headers=headers))
    for name, answer in answers.items():
        assert answer["result"]["isError"] is True, (name, answer)
        assert "nests deeper than" in answer["result"]["content"][0]["text"], (name, answer)
    assert not any(request.method == "POST" for request in loopback_sandbox.state.requests)


PING_BODY = {"jsonrpc": "2.0", "id": 1, "method": "ping"}


def made_up_token(index: int) -> str:
    return f"{index:08x}-0000-4000-8000-000000000000"


async def send_all(url: str, header_sets: list[dict[str, str]]) -> list[httpx2.Response]:
    """One POST per header set, all at once, each with a made-up token of its own."""
    answers: list[httpx2.Response] = []
    limits = httpx2.Limits(max_connections=len(header_sets))
    async with httpx2.AsyncClient(timeout=60, limits=limits) as http:

        async def one(headers: dict[str, str]) -> None:
            answers.append(await http.post(url, json=PING_BODY, headers={**MCP_HEADERS, **headers}))

        async with anyio.create_task_group() as group:
            for headers in header_sets:
                group.start_soon(one, headers)
    return answers


def lookups_seen(sandbox: LoopbackSandbox) -> int:
    return sum(1 for request in sandbox.state.requests if request.path.endswith("/current-authorization"))


def flood_settings(sandbox: LoopbackSandbox, **overrides: Any) -> Settings:
    return Settings(
        zone=sandbox.url,
        allow_custom_zone=True,
        http_lookups_per_address=10,
        http_lookups_total=25,
        **overrides,
    )


async def test_a_flood_of_made_up_tokens_from_one_address_costs_make_the_address_bound_and_the_rest_get_429(
    loopback_sandbox: LoopbackSandbox,
) -> None:
    clock = FakeClock()
    # Each request also claims another address: without MAKE_HTTP_TRUST_FORWARDED that claim counts for nothing.
    floods = [
        {"Authorization": f"Token {made_up_token(index)}", "X-Forwarded-For": f"10.0.0.{index}"} for index in range(100)
    ]
    with http_server(flood_settings(loopback_sandbox), clock) as url:
        answers = await send_all(url, floods)
        first_lookups = lookups_seen(loopback_sandbox)
        clock.now += 61  # a minute later the address may cause lookups again
        later = await send_all(url, [{"Authorization": f"Token {made_up_token(1000)}"}])
    assert first_lookups == 10
    assert sorted(answer.status_code for answer in answers) == [401] * 10 + [429] * 90
    busy = [answer for answer in answers if answer.status_code == 429]
    assert {answer.headers["Retry-After"] for answer in busy} == {"60"}
    assert {answer.json()["error"]["data"]["reason"] for answer in busy} == {"too_many_lookups"}
    assert "from this address" in busy[0].json()["error"]["message"]
    assert [answer.status_code for answer in later] == [401] and lookups_seen(loopback_sandbox) == 11


async def test_with_a_trusted_proxy_header_each_forwarded_address_has_its_bound_and_all_together_theirs(
    loopback_sandbox: LoopbackSandbox,
) -> None:
    clock = FakeClock()
    one_address = [
        {"Authorization": f"Token {made_up_token(index)}", "X-Forwarded-For": "203.0.113.9, 10.0.0.1"}
        for index in range(20)
    ]
    many_addresses = [
        {"Authorization": f"Token {made_up_token(100 + index)}", "X-Forwarded-For": f"10.0.1.{index // 2}"}
        for index in range(40)
    ]
    settings = flood_settings(loopback_sandbox, http_trust_forwarded="x-forwarded-for")
    with http_server(settings, clock) as url:
        from_one = await send_all(url, one_address)
        from_many = await send_all(url, many_addresses)
    assert sorted(answer.status_code for answer in from_one) == [401] * 10 + [429] * 10
    assert sorted(answer.status_code for answer in from_many) == [401] * 15 + [429] * 25
    assert all(
        "from all addresses" in answer.json()["error"]["message"] for answer in from_many if answer.status_code == 429
    )
    assert lookups_seen(loopback_sandbox) == 25
