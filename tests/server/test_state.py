"""The shared state, in process and in a real Redis server, and two make-mcp instances sharing one Redis."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import anyio
import httpx2
import mcp_types as types
import pytest
import redis
import uvicorn
from mcp import Client
from mcp.client.streamable_http import streamable_http_client
from starlette.types import ASGIApp, Receive, Scope, Send

from make_mcp.server.http.serve import create_http_app
from make_mcp.server.sandbox import SANDBOX_TOKEN, SandboxState, create_sandbox_app, demo_state
from make_mcp.server.sandbox.oauth import SANDBOX_CLIENT_SECRET, SANDBOX_CONFIDENTIAL_CLIENT_ID
from make_mcp.server.support.config import Settings
from make_mcp.server.support.state import (
    BUDGET_WINDOW_SECONDS,
    SWEEP_SECONDS,
    LocalState,
    RedisState,
    Sealer,
    SharedRateBudget,
    SharedState,
)
from tests.conftest import LoopbackSandbox
from tests.server.test_cli import server_env
from tests.server.test_remote import wait_for_line
from tests.server.test_remote_auth import (
    Browser,
    MemoryStorage,
    Running,
    exchange,
    free_socket,
    oauth_provider,
    post_mcp,
    serve,
    sign_in_by_hand,
    signed_in_client,
    text_of,
)

__all__ = ["serve"]  # a fixture used here

STATE_KEY = "test-state-key-0123456789abcdef"


@pytest.fixture(scope="module")
def redis_url() -> Iterator[str]:
    """A real redis-server on a free loopback port, for this module's tests; it keeps nothing on disk."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is not installed (apt-get install -y redis-server; .ci/run installs it)")
    with free_socket() as probe:  # a port free a moment ago; redis-server binds it itself
        port = probe.getsockname()[1]
    command = [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert process.stdout is not None
    for line in process.stdout:  # its own word that it listens, instead of polling
        if "Ready to accept connections" in line:
            break
    else:
        raise AssertionError(f"redis-server did not start (exit {process.wait()})")
    drain = threading.Thread(target=process.stdout.read, daemon=True)  # its later lines never fill the pipe
    drain.start()
    try:
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=10)
        drain.join(timeout=10)
        process.stdout.close()


@pytest.fixture
def raw_redis(redis_url: str) -> Iterator[redis.Redis]:
    client = redis.Redis.from_url(redis_url)
    client.flushdb()
    yield client
    client.close()


class FakeClock:
    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(params=["local", "redis"])
async def state(request: pytest.FixtureRequest) -> AsyncIterator[SharedState]:
    if request.param == "local":
        yield LocalState()
        return
    request.getfixturevalue("raw_redis")  # an empty database
    shared = RedisState(request.getfixturevalue("redis_url"))
    yield shared
    await shared.aclose()


async def test_a_value_is_kept_until_it_is_deleted(state: SharedState) -> None:
    await state.put("grant:a", b"one", 60)
    await state.put("client:b", b"two", None)
    assert await state.get("grant:a") == b"one"
    assert await state.get("client:b") == b"two"
    await state.delete("grant:a")
    assert await state.get("grant:a") is None
    assert await state.get("missing") is None


async def test_of_many_takes_of_one_key_at_once_exactly_one_gets_the_value(state: SharedState) -> None:
    await state.put("code:x", b"grant-1", 60)
    got: list[bytes | None] = []

    async def take() -> None:
        got.append(await state.take("code:x"))

    async with anyio.create_task_group() as tasks:
        for _ in range(20):
            tasks.start_soon(take)
    assert got.count(b"grant-1") == 1 and got.count(None) == 19


def stored_value(raw_redis: redis.Redis, key: bytes) -> bytes:
    """What a key holds: a value, or a window's members (the admissions of a rate budget or lookup bound)."""
    if raw_redis.type(key) == b"zset":
        return b" ".join(raw_redis.zrange(key, 0, -1))  # pyright: ignore[reportArgumentType, reportCallIssue]
    return raw_redis.get(key) or b""  # pyright: ignore[reportReturnType]


async def test_the_window_admits_its_limit_then_says_how_long_to_wait(state: SharedState) -> None:
    waits = [await state.admit("budget:org", 3, 60.0, now) for now in (100.0, 101.0, 102.0, 103.0)]
    assert waits == [0.0, 0.0, 0.0, pytest.approx(57.0)]
    assert await state.admit("budget:org", 3, 60.0, 160.5) == 0.0  # the first one left the window


async def test_the_windows_of_keys_idle_for_a_window_are_forgotten_in_process() -> None:
    state = LocalState()
    for index in range(500):  # one key per client address
        await state.admit(f"lookups:address:10.0.{index // 250}.{index % 250}", 5, 60.0, 100.0)
    await state.admit("lookups:address:busy", 5, 60.0, 100.0 + SWEEP_SECONDS)
    assert await state.admit("lookups:address:busy", 5, 60.0, 100.0 + SWEEP_SECONDS + 1) == 0.0
    assert list(state._windows) == ["lookups:address:busy"]  # pyright: ignore[reportPrivateUsage]


async def test_a_lock_lets_one_holder_in_at_a_time(state: SharedState) -> None:
    await state.put("counter", b"0", 60)

    async def increment() -> None:
        async with state.lock("counter"):
            value = int(await state.get("counter") or b"0")
            await anyio.sleep(0)  # another task runs here; without the lock it would read the same value
            await state.put("counter", str(value + 1).encode(), 60)

    async with anyio.create_task_group() as tasks:
        for _ in range(8):
            tasks.start_soon(increment)
    assert await state.get("counter") == b"8"


async def test_local_values_expire_after_their_lifetime_and_are_forgotten_unasked() -> None:
    clock = FakeClock()
    local = LocalState(clock=clock)
    await local.put("access:t", b"x", 60)
    await local.put("signin:s", b"y", 600)
    clock.now += 59.9
    assert await local.get("access:t") == b"x"
    clock.now += 0.1
    assert await local.get("access:t") is None
    clock.now += 600
    await local.put("client:c", b"z", None)  # a later put sweeps what nobody asked for again
    assert set(local._entries) == {"client:c"}  # pyright: ignore[reportPrivateUsage]


async def test_redis_values_are_given_their_lifetime(redis_url: str, raw_redis: redis.Redis) -> None:
    shared = RedisState(redis_url)
    await shared.put("access:t", b"x", 60)
    await shared.put("client:c", b"y", None)
    await shared.aclose()
    assert 59_000 < int(raw_redis.pttl("make-mcp:access:t")) <= 60_000  # pyright: ignore[reportArgumentType]
    assert raw_redis.pttl("make-mcp:client:c") == -1  # no expiry


async def test_an_unreachable_redis_is_a_clear_error_without_the_url_s_password() -> None:
    with free_socket() as probe:
        port = probe.getsockname()[1]  # nothing listens here once the socket is closed
    shared = RedisState(f"redis://:hunter2-secret@127.0.0.1:{port}/0")
    with pytest.raises(Exception) as raised:
        await shared.ping()
    await shared.aclose()
    assert "MAKE_REDIS_URL" in str(raised.value) and "hunter2" not in str(raised.value)


def test_sealed_values_open_only_with_their_key() -> None:
    sealer = Sealer(STATE_KEY)
    sealed = sealer.seal(b'{"access_token": "sbx-at-secret"}')
    assert b"sbx-at-secret" not in sealed
    assert sealer.open(sealed) == b'{"access_token": "sbx-at-secret"}'
    assert Sealer("another-key-0123456789").open(sealed) is None
    assert not Sealer(None).seals and Sealer(None).seal(b"x") == b"x"


async def test_two_instances_share_one_rate_budget(redis_url: str, raw_redis: redis.Redis) -> None:
    clock = FakeClock()
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)
        clock.now += seconds

    first, second = RedisState(redis_url), RedisState(redis_url)
    budgets = [SharedRateBudget(shared, "org:101", 3, clock=clock, sleep=sleep) for shared in (first, second)]
    for budget in (budgets[0], budgets[1], budgets[0]):
        await budget.acquire()
        clock.now += 1
    await budgets[1].acquire()  # the fourth request in one minute, from either instance, waits
    await first.aclose()
    await second.aclose()
    assert waits == [pytest.approx(57.0 + BUDGET_WINDOW_SECONDS - 60)]


# --- Two make-mcp instances behind one address, sharing one Redis ---


async def test_a_sign_in_at_one_instance_is_honoured_by_the_other_and_a_revoke_at_either_holds_for_both(
    loopback_sandbox: LoopbackSandbox, serve: Callable[..., Running], redis_url: str, raw_redis: redis.Redis
) -> None:
    shared = {"redis_url": redis_url, "state_key": STATE_KEY}
    first = serve(loopback_sandbox, **shared)
    second = serve(loopback_sandbox, public_url=first.base, **shared)  # one public address for both
    browser, storage = Browser(), MemoryStorage()
    async with signed_in_client(oauth_provider(first.mcp_url, browser, storage), first.mcp_url) as client:
        await client.list_tools()
    assert storage.tokens is not None
    token = f"Bearer {storage.tokens.access_token}"
    answers = [await post_mcp(running.mcp_url, token) for running in (first, second, first, second)]
    assert [answer.status_code for answer in answers] == [200, 200, 200, 200]
    # A code issued by one instance is exchanged at the other, once.
    hand = await sign_in_by_hand(first)
    assert (await exchange(second, hand)).status_code == 200
    assert (await exchange(first, hand)).status_code == 400
    # Make's tokens are kept sealed: no Make token is readable in Redis.
    grants = [raw_redis.get(key) for key in raw_redis.scan_iter("make-mcp:grant:*")]
    assert len(grants) == 1  # the replayed code revoked its grant
    assert all(b"sbx-at-" not in (grant or b"") for grant in grants)
    assert b"mcp_at_" not in b"".join(stored_value(raw_redis, key) for key in raw_redis.scan_iter("make-mcp:*"))
    assert storage.client is not None
    async with httpx2.AsyncClient(timeout=30) as http:
        revoked = await http.post(
            f"{second.base}/revoke",
            data={
                "token": storage.tokens.access_token,
                "client_id": storage.client.client_id or "",
                "client_secret": storage.client.client_secret or "",
            },
        )
    assert revoked.status_code == 200
    assert (await post_mcp(first.mcp_url, token)).status_code == 401


async def test_instances_renewing_make_s_token_at_once_renew_it_once_and_all_use_it(
    loopback_sandbox: LoopbackSandbox, serve: Callable[..., Running], redis_url: str, raw_redis: redis.Redis
) -> None:
    shared = {"redis_url": redis_url, "state_key": STATE_KEY}
    first = serve(loopback_sandbox, **shared)
    second = serve(loopback_sandbox, public_url=first.base, **shared)
    tokens = (await exchange(first, await sign_in_by_hand(first))).json()
    later = time.time() + 290
    for running in (first, second):
        running.sign_in.clock = lambda: later
    loopback_sandbox.state.clock = lambda: later
    bearer = f"Bearer {tokens['access_token']}"
    answers: list[httpx2.Response] = []

    async def call(running: Running) -> None:
        answers.append(await post_mcp(running.mcp_url, bearer))

    async with anyio.create_task_group() as tasks:  # both instances find Make's token about to expire at once
        for running in (first, second, first, second):
            tasks.start_soon(call, running)
    assert [answer.status_code for answer in answers] == [200] * 4, [a.text for a in answers]
    renewals = [r for r in loopback_sandbox.state.requests if (r.body or {}).get("grant_type") == "refresh_token"]
    assert len(renewals) == 1  # Make's refresh token works once: one instance renewed, the others took its token


async def test_tool_calls_work_through_either_instance(
    loopback_sandbox: LoopbackSandbox, serve: Callable[..., Running], redis_url: str, raw_redis: redis.Redis
) -> None:
    shared = {"redis_url": redis_url, "state_key": STATE_KEY}
    first = serve(loopback_sandbox, **shared)
    second = serve(loopback_sandbox, public_url=first.base, **shared)
    browser, storage = Browser(), MemoryStorage()
    async with signed_in_client(oauth_provider(first.mcp_url, browser, storage), first.mcp_url) as client:
        await client.list_tools()
    async with signed_in_client(oauth_provider(second.mcp_url, Browser(), storage), second.mcp_url) as client:
        result = await client.call_tool("users_me", {})
    assert not result.is_error, text_of(result)
    assert len(browser.visited) == 5  # signed in once, at the first instance


async def test_with_redis_unreachable_a_make_mcp_token_is_answered_503_and_a_pasted_token_still_works(
    loopback_sandbox: LoopbackSandbox, serve: Callable[..., Running]
) -> None:
    with free_socket() as probe:
        down = f"redis://127.0.0.1:{probe.getsockname()[1]}/0"  # nothing listens there once it is closed
    running = serve(loopback_sandbox, redis_url=down, state_key=STATE_KEY)
    signed_in = await post_mcp(running.mcp_url, f"Bearer mcp_at_{'x' * 43}")
    pasted = await post_mcp(running.mcp_url, f"Token {loopback_sandbox.token}")
    async with httpx2.AsyncClient(timeout=30) as http:
        register = await http.post(f"{running.base}/register", json={"redirect_uris": ["http://127.0.0.1:9/cb"]})
    assert signed_in.status_code == 503 and signed_in.json()["error"]["data"]["reason"] == "state_unavailable"
    assert register.status_code == 503 and register.json()["error"] == "temporarily_unavailable"
    assert pasted.status_code == 200


async def test_two_make_mcp_processes_on_one_redis_serve_one_signed_in_user_and_either_may_die(
    loopback_sandbox: LoopbackSandbox, redis_url: str, raw_redis: redis.Redis
) -> None:
    ports = []
    for _ in range(2):
        with free_socket() as probe:  # ports free a moment ago; each process binds its own
            ports.append(probe.getsockname()[1])
    public = f"http://127.0.0.1:{ports[0]}"
    env = server_env(
        MAKE_ZONE=loopback_sandbox.url,
        MAKE_OAUTH_BASE=loopback_sandbox.url,
        MAKE_ALLOW_CUSTOM_ZONE="1",
        MAKE_CLIENT_ID=SANDBOX_CONFIDENTIAL_CLIENT_ID,
        MAKE_CLIENT_SECRET=SANDBOX_CLIENT_SECRET,
        MAKE_PUBLIC_URL=public,
        MAKE_REDIS_URL=redis_url,
        MAKE_STATE_KEY=STATE_KEY,
        MAKE_LOG_LEVEL="INFO",
    )
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "make_mcp.server.cli.main", "serve", "--transport", "http", "--port", str(port)],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for port in ports
    ]
    try:
        for process in processes:
            assert process.stderr is not None
            wait_for_line(process.stderr, "running on", [])
            threading.Thread(target=process.stderr.read, daemon=True).start()  # its log never fills the pipe
        urls = [f"http://127.0.0.1:{port}/mcp" for port in ports]
        storage = MemoryStorage()
        async with signed_in_client(oauth_provider(urls[0], Browser(), storage), urls[0]) as client:
            await client.list_tools()
        assert storage.tokens is not None
        bearer = f"Bearer {storage.tokens.access_token}"
        before = [(await post_mcp(urls[i % 2], bearer)).status_code for i in range(6)]
        processes[0].kill()  # the instance that signed the user in dies
        processes[0].wait(timeout=10)
        after = [(await post_mcp(urls[1], bearer)).status_code for _ in range(3)]
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
            process.communicate(timeout=10)
    assert before == [200] * 6
    assert after == [200] * 3  # nothing of the sign-in lived only in the process that died


async def test_of_many_requests_at_once_from_two_instances_only_the_limit_is_admitted(
    redis_url: str, raw_redis: redis.Redis
) -> None:
    clock = FakeClock()  # never moves: whoever is not admitted waits for good
    waiting: list[float] = []

    async def wait_for_good(seconds: float) -> None:
        waiting.append(seconds)
        await anyio.sleep_forever()

    first, second = RedisState(redis_url), RedisState(redis_url)
    budgets = [SharedRateBudget(shared, "org:7", 5, clock=clock, sleep=wait_for_good) for shared in (first, second)]
    admitted: list[int] = []

    async def acquire(index: int) -> None:
        await budgets[index % 2].acquire()
        admitted.append(index)

    async with anyio.create_task_group() as tasks:
        for index in range(16):
            tasks.start_soon(acquire, index)
        with anyio.fail_after(10):
            while len(admitted) + len(waiting) < 16:  # every task has been admitted or is waiting
                await anyio.sleep(0)
        tasks.cancel_scope.cancel()
    await first.aclose()
    await second.aclose()
    assert len(admitted) == 5 and len(waiting) == 11


class WallClock:
    """The wall clock both instances read, moved on only by their waits: the test never sleeps."""

    def __init__(self) -> None:
        self.now = 1_800_000_000.0
        self.waits: dict[str, list[float]] = {}
        self._lock = threading.Lock()  # the instances run in threads of their own

    def __call__(self) -> float:
        with self._lock:
            return self.now

    def advance(self, seconds: float) -> None:
        with self._lock:
            self.now += seconds

    def sleep_of(self, instance: str) -> Callable[[float], Awaitable[None]]:
        async def sleep(seconds: float) -> None:
            with self._lock:
                self.waits.setdefault(instance, []).append(seconds)
                self.now += seconds
            await anyio.sleep(0)

        return sleep


class TimedMake:
    """The sandbox, noting the wall-clock time and the credential of each request to the API."""

    def __init__(self, state: SandboxState, clock: WallClock) -> None:
        self.app = create_sandbox_app(state)
        self.clock = clock
        self.seen: list[tuple[float, str]] = []

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"].startswith("/api/v2"):
            authorization = dict(scope["headers"]).get(b"authorization", b"").decode()
            self.seen.append((self.clock(), authorization))
        await self.app(scope, receive, send)


@pytest.fixture
def on_loopback() -> Iterator[Callable[[ASGIApp], str]]:
    """Serves ASGI apps on free loopback ports (lifespan on); each call returns the app's base address."""
    running: list[tuple[uvicorn.Server, threading.Thread, socket.socket]] = []

    def start(app: ASGIApp) -> str:
        sock = free_socket()
        server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
        thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
        thread.start()
        while not server.started:  # the lifespan has run
            time.sleep(0.01)
        running.append((server, thread, sock))
        return f"http://127.0.0.1:{sock.getsockname()[1]}"

    yield start
    for server, thread, sock in running:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


async def call_users_me(url: str, token: str) -> types.CallToolResult:
    async with (
        httpx2.AsyncClient(headers={"Authorization": f"Token {token}"}, timeout=30) as http,
        Client(streamable_http_client(url, http_client=http), mode="legacy") as client,
    ):
        await client.list_tools()
        return await client.call_tool("users_me", {})


async def test_two_instances_on_one_redis_share_one_rate_budget_and_one_scope_lookup_per_credential(
    redis_url: str, raw_redis: redis.Redis, on_loopback: Callable[[ASGIApp], str]
) -> None:
    clock = WallClock()
    make = TimedMake(demo_state(), clock)
    zone = on_loopback(make)
    # Scenario tools off: their discovery would spend the three requests a minute this test counts.
    settings = Settings(
        zone=zone,
        allow_custom_zone=True,
        redis_url=redis_url,
        state_key=STATE_KEY,  # pyright: ignore[reportArgumentType]
        rate_limit=3,
        scenario_tools="off",
    )
    apps = {
        name: create_http_app(settings, wall_clock=clock, sleep=clock.sleep_of(name)) for name in ("first", "second")
    }
    urls = {name: f"{on_loopback(app)}/mcp" for name, app in apps.items()}
    results: list[types.CallToolResult] = []
    for name in ("first", "second", "first", "second", "first", "second"):  # one user, alternately
        results.append(await call_users_me(urls[name], SANDBOX_TOKEN))
        clock.advance(1)
    assert [result.is_error for result in results] == [False] * 6
    times = sorted(when for when, _ in make.seen)
    assert len(times) == 7  # one scope lookup and six calls
    assert all(later - earlier >= 60 for earlier, later in zip(times, times[3:], strict=False))  # 3 a minute at most
    assert clock.waits.keys() == {"first", "second"}  # each instance waited for the other's requests too
    callers = {name: app.state.gateway.callers for name, app in apps.items()}
    assert (callers["first"].discoveries, callers["second"].discoveries) == (1, 0)  # the second used the first's


async def test_a_credential_make_refused_at_one_instance_is_refused_at_the_other_without_asking_make(
    redis_url: str, raw_redis: redis.Redis, on_loopback: Callable[[ASGIApp], str]
) -> None:
    make = TimedMake(demo_state(), WallClock())
    settings = Settings(zone=on_loopback(make), allow_custom_zone=True, redis_url=redis_url, state_key=STATE_KEY)  # pyright: ignore[reportArgumentType]
    first, second = create_http_app(settings), create_http_app(settings)
    urls = [f"{on_loopback(app)}/mcp" for app in (first, second)]
    wrong = "Token 0badc0de-0000-4000-8000-00000000beef"
    answers = [(await post_mcp(url, wrong)).status_code for url in (urls[0], urls[1], urls[1])]
    assert answers == [401, 401, 401]
    assert [who for _, who in make.seen] == [wrong]  # Make was asked once, by the first instance
    assert second.state.gateway.callers.discoveries == 0
    keys = list(raw_redis.scan_iter("make-mcp:*"))
    stored = b" ".join([*keys, *(stored_value(raw_redis, key) for key in keys)])
    assert b"refused:" in stored and b"0badc0de" not in stored  # kept by the credential's hash only


class RoundRobin(httpx2.AsyncBaseTransport):
    """A load balancer in the client: each HTTP request goes to the next instance's port in turn."""

    def __init__(self, ports: list[int]) -> None:
        self.ports = ports
        self.sent: list[int] = []
        self.statuses: list[int] = []
        self._http = httpx2.AsyncHTTPTransport()

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        port = self.ports[len(self.sent) % len(self.ports)]
        self.sent.append(port)
        request.url = request.url.copy_with(port=port)
        response = await self._http.handle_async_request(request)
        self.statuses.append(response.status_code)
        return response

    async def aclose(self) -> None:
        await self._http.aclose()


@pytest.mark.parametrize("stateless", [True, False])
async def test_one_client_session_alternating_between_two_instances_works_stateless_and_with_sessions(
    stateless: bool, redis_url: str, raw_redis: redis.Redis, on_loopback: Callable[[ASGIApp], str]
) -> None:
    make = TimedMake(demo_state(), WallClock())
    settings = Settings(
        zone=on_loopback(make),
        allow_custom_zone=True,
        redis_url=redis_url,  # pyright: ignore[reportArgumentType]
        state_key=STATE_KEY,  # pyright: ignore[reportArgumentType]
        http_stateless=stateless,
    )
    bases = [on_loopback(create_http_app(settings)) for _ in range(2)]
    balancer = RoundRobin([int(base.rsplit(":", 1)[1]) for base in bases])
    outcomes: list[bool] = []
    async with (
        httpx2.AsyncClient(transport=balancer, headers={"Authorization": f"Token {SANDBOX_TOKEN}"}, timeout=30) as http,
        Client(streamable_http_client(f"{bases[0]}/mcp", http_client=http), mode="legacy") as client,
    ):
        await client.list_tools()
        for _ in range(4):
            outcomes.append(not (await client.call_tool("users_me", {})).is_error)
    assert set(balancer.sent) == set(balancer.ports)  # both instances were reached
    assert outcomes == [True] * 4
    assert 404 not in balancer.statuses


OTHER_TOKEN = "other-user-token-0123456789abcdef"
INITIALIZE = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "initialize",
    "params": {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "t", "version": "1"}},
}
LISTING = {"jsonrpc": "2.0", "id": 2, "method": "tools/list", "params": {}}


async def session_request(
    base: str, token: str, session: str | None, body: Any = None, path: str = "/mcp"
) -> httpx2.Response:
    headers = {
        "Accept": "application/json, text/event-stream",
        "Authorization": f"Token {token}",
        "Mcp-Protocol-Version": "2025-06-18",
    }
    if session is not None:
        headers["Mcp-Session-Id"] = session
    async with httpx2.AsyncClient(timeout=30) as http:
        if body is None:
            return await http.delete(f"{base}{path}", headers=headers)
        return await http.post(f"{base}{path}", json=body, headers=headers)


def two_stateful_instances(
    on_loopback: Callable[[ASGIApp], str], redis_url: str | None, profiles_file: Path | None = None
) -> list[str]:
    make = demo_state()
    make.add_token(OTHER_TOKEN, {"scenarios:read", "organizations:read"})
    settings = Settings(
        zone=on_loopback(create_sandbox_app(make)),
        allow_custom_zone=True,
        redis_url=redis_url,  # pyright: ignore[reportArgumentType]
        state_key=None if redis_url is None else STATE_KEY,  # pyright: ignore[reportArgumentType]
        http_stateless=False,
        profiles_file=profiles_file,
    )
    return [on_loopback(create_http_app(settings)) for _ in range(2)]


async def test_a_session_opened_at_one_instance_is_served_by_the_other_to_its_own_credential_only_until_deleted(
    redis_url: str, raw_redis: redis.Redis, on_loopback: Callable[[ASGIApp], str]
) -> None:
    first, second = two_stateful_instances(on_loopback, redis_url)
    opened = await session_request(first, SANDBOX_TOKEN, None, INITIALIZE)
    assert opened.status_code == 200
    session = opened.headers["mcp-session-id"]
    hijack = await session_request(second, OTHER_TOKEN, session, LISTING)
    own = await session_request(second, SANDBOX_TOKEN, session, LISTING)
    assert hijack.status_code == 404
    assert own.status_code == 200 and "users_me" in own.text
    deleted = await session_request(second, SANDBOX_TOKEN, session)
    assert deleted.status_code == 200
    assert not list(raw_redis.scan_iter("make-mcp:session:*"))
    assert (await session_request(second, SANDBOX_TOKEN, session, LISTING)).status_code == 404


async def test_a_session_opened_at_one_endpoint_is_unknown_at_another_profile_s_endpoint_of_the_other_instance(
    redis_url: str, on_loopback: Callable[[ASGIApp], str], tmp_path: Path
) -> None:
    profiles = tmp_path / "profiles.toml"
    profiles.write_text('[profiles.readers]\ntoolsets = "scenarios"\nread_only = true\n', encoding="utf-8")
    first, second = two_stateful_instances(on_loopback, redis_url, profiles)
    opened = await session_request(first, SANDBOX_TOKEN, None, INITIALIZE)
    assert opened.status_code == 200
    session = opened.headers["mcp-session-id"]
    elsewhere = await session_request(second, SANDBOX_TOKEN, session, LISTING, path="/mcp/readers")
    assert elsewhere.status_code == 404
    assert (await session_request(second, SANDBOX_TOKEN, session, LISTING)).status_code == 200


async def test_without_redis_a_session_opened_at_one_instance_is_unknown_at_the_other(
    on_loopback: Callable[[ASGIApp], str],
) -> None:
    first, second = two_stateful_instances(on_loopback, None)
    opened = await session_request(first, SANDBOX_TOKEN, None, INITIALIZE)
    assert opened.status_code == 200
    session = opened.headers["mcp-session-id"]
    assert (await session_request(second, SANDBOX_TOKEN, session, LISTING)).status_code == 404
    assert (await session_request(first, SANDBOX_TOKEN, session, LISTING)).status_code == 200
