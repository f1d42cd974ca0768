"""server/http/gateway.py against hostile callers. Scope lookups under a flood: a refused credential is remembered for a
short while (by its hash), one credential has one lookup in flight at a time, and lookups over all credentials
are bounded. Malformed frames: the SDK's streamable HTTP answers each with a 400 and a JSON-RPC error."""

from __future__ import annotations

import socket
import threading

import anyio
import httpx2
import uvicorn

from make_mcp.server.engine.confirmation import Confirmations
from make_mcp.server.http.gateway import MAX_CONCURRENT_LOOKUPS, REFUSAL_TTL_SECONDS, Callers, Unauthorized
from make_mcp.server.http.serve import create_http_app
from make_mcp.server.make_api.client import MakeClient, RetryPolicy
from make_mcp.server.support.config import Settings

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


# Bodies that are no JSON-RPC message, and the error code the SDK answers each with.
MALFORMED_BODIES = {
    "params of the wrong type": ('{"jsonrpc":"2.0","id":7,"method":"tools/list","params":[1,2]}', -32602),
    "a batch": ('[{"jsonrpc":"2.0","id":1,"method":"ping"}]', -32602),
    "a lone surrogate": ('{"jsonrpc":"2.0","id":8,"method":"tools/call","params":{"name":"a\\ud800"}}', -32700),
    "nesting 900 deep": ('{"jsonrpc":"2.0","id":9,"method":"tools/call","params":{"a":' + deep(900) + "}}", -32700),
    "nesting 20,000 deep": (deep(20_000), -32700),
    "no jsonrpc member": ('{"id":10,"method":"tools/list"}', -32602),
}


async def test_the_sdk_answers_each_malformed_frame_over_http_with_a_400_and_a_json_rpc_error() -> None:
    app = create_http_app(Settings(sandbox=True))
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)  # listening already: requests wait for uvicorn to start
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{sock.getsockname()[1]}/mcp"
    headers = {"Content-Type": "application/json", "Accept": "application/json, text/event-stream"}
    answers: dict[str, httpx2.Response] = {}
    try:
        async with httpx2.AsyncClient(timeout=30) as http:
            for name, (body, _) in MALFORMED_BODIES.items():
                answers[name] = await http.post(url, content=body, headers=headers)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
    for name, (_, code) in MALFORMED_BODIES.items():
        assert answers[name].status_code == 400, name
        error = answers[name].json()
        assert error["id"] is None and error["error"]["code"] == code, (name, error)
