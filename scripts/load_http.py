"""Load test of the streamable HTTP transport with many users at once, everything on loopback.

Processes: the sandbox Make API (this script in --sandbox-child mode, with one token per user and a few
different grants), one or two `make-mcp serve --transport http` pointed at it with no credential of their own
(with `--instances 2`, also a redis-server both use through MAKE_REDIS_URL), and this script, which opens one
mcp Client per user and instance. Each user sends its own `Authorization: Token ...`, or with `--sign-in`
signs in with Make once at the first instance (registration, make-mcp's consent page, Make, the callback, the
token exchange) and sends make-mcp's access token. Every session lists its tools on each instance, then calls
a read tool of its grant and `users_me-authorization` in turn, alternating between the instances call by call
as a load balancer would; an answer that shows another user's grant or tools counts as an isolation violation.

That mixed phase is the historical figure: the servers' CPU from the users' first request to its end, over its
calls. The `mcp` client lists the tools again before calling one it has not seen listed (core mode does not list
`users_me-authorization`), so the requests on the wire are counted by JSON-RPC method. Two more phases follow
(--split-duration seconds each, 0: none), every user waiting for the others between phases so each phase's server
CPU is its own: `calls`, only the listed read tool (tools/call alone), and `lists`, only tools/list; each reports
the servers' CPU per request of that method.

--stateful keeps MCP sessions (MAKE_HTTP_STATELESS=0). --baseline DIR runs the same load against the make-mcp of
another checkout (its own .venv's Python when it has one), in turn with this one for --rounds rounds, to compare
a change with the code before it in one run; the sandbox is this checkout's for both.

With --rate-limit N every instance gets MAKE_RATE_LIMIT=N and the sandbox answers 429 past N requests a minute
of its organization, as Make does: the budget (shared in Redis with two instances) holds when Make never
answered 429; the waits for it are read from each instance's /metrics at the end.

    .venv/bin/python scripts/load_http.py [--sessions 30] [--duration 15] [--calls 400] [--mode mixed]
        [--instances 1|2] [--sign-in] [--rate-limit N] [--split-duration 10] [--stateful]
        [--baseline DIR] [--rounds 1] [--json FILE]

Bounded: each session stops each phase after --calls calls or its seconds, whichever comes first, and each
run is cut off its phases' seconds + 240 seconds after it starts. Reports throughput, latency, errors, what
the instances' /metrics say about Make's answers, and the servers' CPU and peak resident memory (VmHWM,
Linux, summed over the instances). `--instances 2` needs redis-server on PATH (apt-get install redis-server).
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urljoin, urlsplit

ROOT = Path(__file__).resolve().parents[1]

HOST = "127.0.0.1"
STARTUP_TIMEOUT = 60.0
TEAM = 201
REDIRECT_URI = "http://127.0.0.1:9/callback"  # the MCP client's, for --sign-in; never listened on
STATE_KEY = "load-http-state-key-0123456789abcd"
# Grants handed out in turn: (name, scopes, the read tool it may call, a tool it must not see).
PROFILES: tuple[tuple[str, frozenset[str], str, str], ...] = (
    ("scenarios", frozenset({"scenarios:read", "organizations:read"}), "scenarios_list", "data-stores_list"),
    ("data-stores", frozenset({"datastores:read", "organizations:read"}), "data-stores_list", "scenarios_list"),
    (
        "hooks",
        frozenset({"hooks:read", "organizations:read", "teams:read"}),
        "hooks_list",
        "scenarios_list",
    ),
)


def user_token(index: int) -> str:
    return f"10ad7e57-0000-4000-8000-{index:012d}"


def profile_of(index: int) -> tuple[str, frozenset[str], str, str]:
    return PROFILES[index % len(PROFILES)]


# --- the sandbox Make API, in a process of its own ---


def serve_sandbox_child(port: int, users: int, rate_limit: int = 0) -> None:
    """The sandbox on `port` with a token per user; `rate_limit` > 0: it answers 429 past that many requests per
    minute of its organization, as Make does."""
    import uvicorn

    from make_mcp.server.sandbox import create_sandbox_app, demo_state

    state = demo_state()
    state.rate_limit_per_minute = rate_limit or None
    for index in range(users):
        state.add_token(user_token(index), profile_of(index)[1])
    uvicorn.run(create_sandbox_app(state), host=HOST, port=port, log_level="warning", access_log=False)


# --- processes ---


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


async def wait_for_port(port: int, process: subprocess.Popen[bytes], name: str, log: Path) -> None:
    import anyio

    deadline = time.monotonic() + STARTUP_TIMEOUT
    while True:
        if process.poll() is not None:
            raise SystemExit(f"{name} exited with {process.returncode}:\n{log.read_text()[-2000:]}")
        try:
            stream = await anyio.connect_tcp(HOST, port)
        except OSError:
            if time.monotonic() > deadline:
                raise SystemExit(f"{name} did not listen on {HOST}:{port} within {STARTUP_TIMEOUT:.0f} s") from None
            await anyio.sleep(0.05)
            continue
        await stream.aclose()
        return


def rss_kib(pid: int) -> dict[str, int]:
    """VmRSS (now) and VmHWM (the most so far) of a process, in KiB."""
    values: dict[str, int] = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            values[key] = int(rest.split()[0])
    return values


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time a process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


# --- the load ---

SPLIT_PHASES = ("calls", "lists")  # after the mixed phase: tools/call alone, then tools/list alone
END = "end"


@dataclass
class Tally:
    calls: int = 0  # the mixed phase's, the first listings included (the historical figure)
    tool_errors: int = 0
    failures: int = 0  # exceptions: sign-in, transport, protocol
    isolation_violations: int = 0
    by_instance: list[int] = field(default_factory=list[int])
    latencies: list[float] = field(default_factory=list[float])
    sign_ins: list[float] = field(default_factory=list[float])
    first_errors: list[str] = field(default_factory=list[str])
    phase: str = "mixed"  # the phase under way, for the wire counts
    done: dict[str, int] = field(default_factory=dict[str, int])  # requests of this script per phase
    wire: dict[str, dict[str, int]] = field(default_factory=dict[str, dict[str, int]])  # phase -> method -> count

    def note(self, problem: str) -> None:
        if len(self.first_errors) < 5:
            self.first_errors.append(problem[:300])

    def count_done(self, instance: int, seconds: float) -> None:
        self.done[self.phase] = self.done.get(self.phase, 0) + 1
        if self.phase == "mixed":
            self.calls += 1
            self.by_instance[instance] += 1
            self.latencies.append(seconds)

    async def count_wire(self, request: Any) -> None:
        """An httpx2 request hook: every request the clients send, by JSON-RPC method (or HTTP method)."""
        try:
            method = str(json.loads(request.content)["method"])
        except (ValueError, KeyError, TypeError):  # a GET event stream or a DELETE: no JSON-RPC body
            method = request.method
        counts = self.wire.setdefault(self.phase, {})
        counts[method] = counts.get(method, 0) + 1


class Phases:
    """Where the sessions wait for each other after the mixed phase and between the others, so the servers' CPU
    read at each boundary is that phase's alone."""

    def __init__(self, names: list[str], sessions: int) -> None:
        import anyio

        self.names = [*names, END]
        self._sessions = sessions
        self._arrived = dict.fromkeys(self.names, 0)
        self.ready = {name: anyio.Event() for name in self.names}  # every session has arrived
        self.begun = {name: anyio.Event() for name in self.names}
        self.stop_at = dict.fromkeys(self.names, 0.0)

    async def enter(self, name: str) -> None:
        self._arrive(name)
        await self.begun[name].wait()

    def leave_after(self, name: str) -> None:
        """A session that stops in phase `name` (it failed): the others need not wait for it any longer."""
        start = self.names.index(name) + 1 if name in self.names else 0
        for later in self.names[start:]:
            self._arrive(later)

    def _arrive(self, name: str) -> None:
        self._arrived[name] += 1
        if self._arrived[name] == self._sessions:
            self.ready[name].set()


@dataclass(frozen=True)
class User:
    """One user of the load: what they may call and see."""

    index: int
    authorization: str
    signed_in: bool
    mode: str

    def calls(self) -> tuple[tuple[str, dict[str, Any]], ...]:
        if self.signed_in:  # a grant of Make's sign-in, not one of the profiles
            return (("users_me", {}),)
        return ((profile_of(self.index)[2], {"teamId": TEAM}), ("users_me-authorization", {}))

    def tools(self) -> tuple[str, str | None]:
        """A tool the user's listing must show, and one it must not (None: no other grant's tool to look for)."""
        if self.signed_in:
            return "users_me", None
        return profile_of(self.index)[2], profile_of(self.index)[3]


async def sign_in(base: str) -> str:
    """What a browser and an MCP client do to sign in with Make; returns make-mcp's access token."""
    import httpx2

    from make_mcp.server.make_api.auth import pkce_pair

    async with httpx2.AsyncClient(timeout=30, follow_redirects=False) as http:
        client = (await http.post(f"{base}/register", json={"redirect_uris": [REDIRECT_URI]})).json()
        verifier, challenge = pkce_pair()
        query = {
            "response_type": "code",
            "client_id": client["client_id"],
            "redirect_uri": REDIRECT_URI,
            "state": "load",
            "code_challenge": challenge,
            "code_challenge_method": "S256",
        }
        answer = await http.get(f"{base}/authorize?{urlencode(query)}")
        for _ in range(10):
            if answer.status_code == 200 and "<form" in answer.text:  # make-mcp's consent page: allow
                fields = dict(re.findall(r"name='(\w+)' value='([^']*)'", answer.text))
                answer = await http.post(f"{base}/oauth/consent", data={**fields, "decision": "allow"})
                continue
            location = answer.headers["location"]
            if location.startswith(REDIRECT_URI):
                code = parse_qs(urlsplit(location).query)["code"][0]
                break
            answer = await http.get(urljoin(str(answer.request.url), location))
        else:
            raise RuntimeError("the sign-in did not come back to the client")
        form = {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": REDIRECT_URI,
            "client_id": client["client_id"],
            "client_secret": client["client_secret"],
            "code_verifier": verifier,
        }
        tokens = (await http.post(f"{base}/token", data=form)).json()
    return tokens["access_token"]


async def authorization_of(index: int, base: str | None, authorizations: dict[int, str], tally: Tally) -> None:
    """User `index`'s Authorization header: its sandbox token, or with `base` make-mcp's token after signing in."""
    if base is None:
        authorizations[index] = f"Token {user_token(index)}"
        return
    started = time.perf_counter()
    try:
        authorizations[index] = f"Bearer {await sign_in(base)}"
    except Exception as error:  # a user who cannot sign in counts, the others go on
        tally.failures += 1
        tally.note(f"user {index} sign-in: {type(error).__name__}: {error}")
    tally.sign_ins.append(time.perf_counter() - started)


async def list_tools(client: Any, user: User, instance: int, tally: Tally) -> None:
    started = time.perf_counter()
    listing = await client.list_tools()
    tally.count_done(instance, time.perf_counter() - started)
    listed = {tool.name for tool in listing.tools}
    must, must_not = user.tools()
    if must not in listed or (must_not is not None and must_not in listed):
        tally.isolation_violations += 1
        tally.note(f"user {user.index}: tools/list of instance {instance} shows another grant's tools")


async def call_tool(client: Any, user: User, instance: int, call: tuple[str, dict[str, Any]], tally: Tally) -> None:
    import mcp_types as types

    name, arguments = call
    started = time.perf_counter()
    result = await client.call_tool(name, arguments)
    tally.count_done(instance, time.perf_counter() - started)
    if result.is_error:
        tally.tool_errors += 1
        text = " ".join(b.text for b in result.content if isinstance(b, types.TextContent))
        tally.note(f"user {user.index} {name} on instance {instance}: {text}")
        return
    if name == "users_me-authorization" and not user.signed_in:
        granted = set((result.structured_content or {}).get("authorization", {}).get("scope", []))
        if granted != profile_of(user.index)[1]:
            tally.isolation_violations += 1
            tally.note(f"user {user.index}: users_me-authorization answered another grant")


async def one_phase(clients: list[Any], user: User, phase: str, stop_at: float, max_calls: int, tally: Tally) -> None:
    """mixed: a read tool and users_me-authorization in turn; calls: the read tool alone; lists: tools/list alone;
    each alternating between the instances."""
    calls = user.calls()
    for number in range(max_calls):
        if time.monotonic() >= stop_at:
            return
        instance = number % len(clients)
        if phase == "lists":
            await list_tools(clients[instance], user, instance, tally)
        else:
            call = calls[number % len(calls)] if phase == "mixed" else calls[0]
            await call_tool(clients[instance], user, instance, call, tally)


async def one_session(
    urls: list[str], user: User, phases: Phases, mixed_stop_at: float, max_calls: int, tally: Tally
) -> None:
    import httpx2
    from mcp import Client
    from mcp.client.streamable_http import streamable_http_client

    phase = "mixed"
    try:
        async with contextlib.AsyncExitStack() as stack:
            clients = []
            for url in urls:
                http = await stack.enter_async_context(
                    httpx2.AsyncClient(
                        headers={"Authorization": user.authorization},
                        timeout=httpx2.Timeout(30, read=120),
                        event_hooks={"request": [tally.count_wire]},
                    )
                )
                client = Client(streamable_http_client(url, http_client=http), mode=user.mode)
                clients.append(await stack.enter_async_context(client))
            for instance, client in enumerate(clients):
                await list_tools(client, user, instance, tally)
            await one_phase(clients, user, phase, mixed_stop_at, max_calls - len(clients), tally)
            for phase in phases.names:
                await phases.enter(phase)
                if phase != END:
                    await one_phase(clients, user, phase, phases.stop_at[phase], max_calls, tally)
    except Exception as error:  # a failed session counts, the others go on
        tally.failures += 1
        tally.note(f"user {user.index}: {type(error).__name__}: {error}")
    finally:
        phases.leave_after(phase)


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def milliseconds(values: list[float]) -> dict[str, float]:
    return {
        "p50": round(statistics.median(values) * 1000, 1) if values else 0.0,
        "p95": round(percentile(values, 95) * 1000, 1),
        "max": round(max(values, default=0.0) * 1000, 1),
    }


async def scrape(urls: list[str]) -> dict[str, Any]:
    """Make's answers by status and the rate budget's waits, summed over the instances' /metrics."""
    import httpx2
    from prometheus_client.parser import text_string_to_metric_families

    by_status: dict[str, int] = {}
    waits = 0
    async with httpx2.AsyncClient(timeout=30) as http:
        for url in urls:
            for family in text_string_to_metric_families((await http.get(url)).text):
                for sample in family.samples:
                    if sample.name == "make_mcp_make_requests_total":
                        status = sample.labels["status"]
                        by_status[status] = by_status.get(status, 0) + int(sample.value)
                    elif sample.name == "make_mcp_rate_budget_wait_seconds_count":
                        waits += int(sample.value)
    return {"make_answers_by_status": dict(sorted(by_status.items())), "rate_budget_waits": waits}


def server_command(checkout: Path) -> tuple[list[str], Path]:
    """How to start make-mcp of `checkout` (this one or a --baseline): its own .venv's Python when it has one."""
    python = checkout / ".venv" / "bin" / "python"
    executable = str(python) if checkout != ROOT and python.exists() else sys.executable
    return [executable, "-m", "make_mcp.server.cli.main", "serve", "--transport", "http"], checkout


async def drive(
    args: argparse.Namespace, urls: list[str], base: str, cpu: Callable[[], tuple[float, float, float]]
) -> tuple[Tally, dict[str, dict[str, Any]]]:
    """Every user signs in (with --sign-in), then the phases run; each phase's seconds and CPU (servers, sandbox,
    this process) from its start to the next one's."""
    import anyio

    tally = Tally(by_instance=[0] * len(urls))
    modes = {"legacy": ["legacy"], "auto": ["auto"], "mixed": ["legacy", "auto"]}[args.mode]
    split: list[str] = list(SPLIT_PHASES) if args.split_duration > 0 else []
    phases = Phases(split, args.sessions)
    authorizations: dict[int, str] = {}
    boundaries: dict[str, tuple[float, tuple[float, float, float]]] = {}
    with anyio.fail_after(args.duration + len(split) * args.split_duration + 240):
        async with anyio.create_task_group() as group:  # everyone signs in at once, then the load begins
            for index in range(args.sessions):
                group.start_soon(authorization_of, index, base if args.sign_in else None, authorizations, tally)
        boundaries["mixed"] = time.monotonic(), cpu()
        async with anyio.create_task_group() as group:
            for index, authorization in sorted(authorizations.items()):
                user = User(index, authorization, args.sign_in, modes[index % len(modes)])
                mixed_stop_at = boundaries["mixed"][0] + args.duration
                group.start_soon(one_session, urls, user, phases, mixed_stop_at, args.calls, tally)
            if len(authorizations) < args.sessions:  # who could not sign in takes no part
                for _ in range(args.sessions - len(authorizations)):
                    phases.leave_after("mixed")
            for phase in phases.names:
                await phases.ready[phase].wait()
                boundaries[phase] = time.monotonic(), cpu()
                phases.stop_at[phase] = boundaries[phase][0] + args.split_duration
                tally.phase = phase
                phases.begun[phase].set()
    names = ["mixed", *phases.names]
    spent: dict[str, dict[str, Any]] = {}
    for phase, following in itertools.pairwise(names):
        (began, at_start), (ended, at_end) = boundaries[phase], boundaries[following]
        server, sandbox, clients = (end - start for start, end in zip(at_start, at_end, strict=True))
        spent[phase] = {"seconds": ended - began, "server": server, "sandbox": sandbox, "clients": clients}
    return tally, spent


async def run(args: argparse.Namespace, checkout: Path = ROOT) -> dict[str, Any]:
    redis_server = shutil.which("redis-server")
    if args.instances > 1 and redis_server is None:
        raise SystemExit("redis-server is not installed (apt-get install -y redis-server)")
    workdir = Path(tempfile.mkdtemp(prefix="load_http_"))
    env = {key: value for key, value in os.environ.items() if not key.startswith("MAKE_")}
    sandbox_port = free_port()
    ports = [free_port() for _ in range(args.instances)]
    base = f"http://{HOST}:{ports[0]}"
    processes: list[subprocess.Popen[bytes]] = []

    def start(name: str, argv: list[str], extra: dict[str, str], cwd: Path = ROOT) -> subprocess.Popen[bytes]:
        with (workdir / f"{name}.log").open("wb") as log:
            process = subprocess.Popen(
                argv, cwd=cwd, env={**env, **extra}, stdin=subprocess.DEVNULL, stdout=log, stderr=log
            )
        processes.append(process)
        return process

    server_env = {
        "MAKE_ZONE": f"http://{HOST}:{sandbox_port}",
        "MAKE_ALLOW_CUSTOM_ZONE": "1",
        "MAKE_LOG_LEVEL": "WARNING",
        "MAKE_HTTP_STATELESS": "0" if args.stateful else "1",
    }
    if args.rate_limit:
        server_env["MAKE_RATE_LIMIT"] = str(args.rate_limit)
    if args.sign_in:
        from make_mcp.server.sandbox.oauth import SANDBOX_CLIENT_SECRET, SANDBOX_CONFIDENTIAL_CLIENT_ID

        server_env |= {
            "MAKE_OAUTH_BASE": f"http://{HOST}:{sandbox_port}",
            "MAKE_CLIENT_ID": SANDBOX_CONFIDENTIAL_CLIENT_ID,
            "MAKE_CLIENT_SECRET": SANDBOX_CLIENT_SECRET,
            "MAKE_PUBLIC_URL": base,
            "MAKE_STATE_KEY": STATE_KEY,
        }
    try:
        if args.instances > 1:
            assert redis_server is not None
            redis_port = free_port()
            redis_argv = [redis_server, "--port", str(redis_port), "--bind", HOST, "--save", "", "--appendonly", "no"]
            redis = start("redis", redis_argv, {})
            await wait_for_port(redis_port, redis, "redis-server", workdir / "redis.log")
            server_env |= {"MAKE_REDIS_URL": f"redis://{HOST}:{redis_port}/0", "MAKE_STATE_KEY": STATE_KEY}
        sandbox_argv = [sys.executable, str(Path(__file__).resolve()), "--sandbox-child", str(sandbox_port)]
        sandbox = start("sandbox", [*sandbox_argv, str(args.sessions), str(args.rate_limit)], {})
        await wait_for_port(sandbox_port, sandbox, "the sandbox", workdir / "sandbox.log")
        command, cwd = server_command(checkout)
        servers = [
            start(f"make-mcp-{index}", [*command, "--port", str(port)], server_env, cwd)
            for index, port in enumerate(ports)
        ]
        for index, (server, port) in enumerate(zip(servers, ports, strict=True)):
            await wait_for_port(port, server, f"make-mcp {index}", workdir / f"make-mcp-{index}.log")
        idle = [rss_kib(server.pid) for server in servers]

        def cpu() -> tuple[float, float, float]:
            return sum(cpu_seconds(s.pid) for s in servers), cpu_seconds(sandbox.pid), time.process_time()

        urls = [f"http://{HOST}:{port}/mcp" for port in ports]
        tally, spent = await drive(args, urls, base, cpu)
        memory = [rss_kib(server.pid) for server in servers]
        metrics = await scrape([f"http://{HOST}:{port}/metrics" for port in ports])
    finally:
        for process in reversed(processes):
            stop(process)
    return figures(args, checkout, tally, spent, idle, memory, metrics) | {"logs": str(workdir)}


def phase_figures(phase: str, tally: Tally, spent: dict[str, Any]) -> dict[str, Any]:
    """One split phase: its requests on the wire and the servers' CPU per request of the phase's method."""
    wire = tally.wire.get(phase, {})
    method = {"calls": "tools/call", "lists": "tools/list"}[phase]
    return {
        "seconds": round(spent["seconds"], 2),
        "requests": tally.done.get(phase, 0),
        "wire": dict(sorted(wire.items())),
        "server_cpu_s": round(spent["server"], 3),
        "server_cpu_ms_per_request": round(spent["server"] / max(wire.get(method, 0), 1) * 1000, 2),
    }


def figures(
    args: argparse.Namespace,
    checkout: Path,
    tally: Tally,
    spent: dict[str, dict[str, Any]],
    idle: list[dict[str, int]],
    memory: list[dict[str, int]],
    metrics: dict[str, Any],
) -> dict[str, Any]:
    def mib(values: list[dict[str, int]], key: str) -> float:
        return round(sum(value[key] for value in values) / 1024, 1)

    mixed = spent["mixed"]
    split = {phase: phase_figures(phase, tally, spent[phase]) for phase in SPLIT_PHASES if phase in spent}
    limited = metrics["make_answers_by_status"].get("429", 0)
    budget_held = not args.rate_limit or limited == 0
    return {
        "server": "this checkout" if checkout == ROOT else str(checkout),
        "sessions": args.sessions,
        "instances": args.instances,
        "stateful": args.stateful,
        "sign_in": args.sign_in,
        "mode": args.mode,
        "grants": 1 if args.sign_in else len(PROFILES),
        "seconds": round(mixed["seconds"], 2),
        "calls": tally.calls,
        "calls_by_instance": tally.by_instance,
        "throughput_per_s": round(tally.calls / mixed["seconds"], 1),
        "latency_ms": milliseconds(tally.latencies),
        "sign_in_ms": milliseconds(tally.sign_ins),
        "tool_errors": tally.tool_errors,
        "failed_sessions": tally.failures,
        "isolation_violations": tally.isolation_violations,
        "rate_limit_per_minute": args.rate_limit or None,
        "make_answers_by_status": metrics["make_answers_by_status"],
        "rate_budget_waits": metrics["rate_budget_waits"],
        "budget_held": budget_held,
        "errors": tally.tool_errors + tally.failures + tally.isolation_violations + (0 if budget_held else 1),
        "server_rss_mib": {"idle": mib(idle, "VmRSS"), "after": mib(memory, "VmRSS"), "peak": mib(memory, "VmHWM")},
        "cpu_seconds": {key: round(mixed[key], 2) for key in ("server", "sandbox", "clients")},
        "cpus": os.cpu_count(),
        "server_cpu_ms_per_call": round(mixed["server"] / max(tally.calls, 1) * 1000, 2),
        "wire": dict(sorted(tally.wire.get("mixed", {}).items())),
        "phases": split,
        "server_cpu_ms_per_tools_call": split["calls"]["server_cpu_ms_per_request"] if split else None,
        "server_cpu_ms_per_tools_list": split["lists"]["server_cpu_ms_per_request"] if split else None,
        "first_errors": tally.first_errors,
    }


def report(result: dict[str, Any]) -> str:
    latency, rss = result["latency_ms"], result["server_rss_mib"]
    shared = ", sharing one Redis" if result["instances"] > 1 else ""
    who = "signed in with Make" if result["sign_in"] else f"{result['grants']} different grants"
    kept = "sessions kept" if result["stateful"] else "stateless"
    by_instance = " / ".join(map(str, result["calls_by_instance"]))
    lines = [
        f"streamable HTTP load on make-mcp of {result['server']}: {result['sessions']} sessions "
        f"({result['mode']} mode, {kept}), {who}, {result['instances']} instance(s){shared}, {result['seconds']} s",
        f"  calls            {result['calls']} ({result['throughput_per_s']} per second; by instance {by_instance})",
        f"  on the wire      {wire_text(result['wire'])}",
        f"  latency          p50 {latency['p50']} ms, p95 {latency['p95']} ms, max {latency['max']} ms",
        f"  errors           {result['errors']} (tool errors {result['tool_errors']}, failed sessions "
        f"{result['failed_sessions']}, isolation violations {result['isolation_violations']})",
        f"  Make answered    {result['make_answers_by_status']} (the instances' /metrics)",
        f"  CPU              servers {result['cpu_seconds']['server']} s "
        f"({result['server_cpu_ms_per_call']} ms per call), sandbox {result['cpu_seconds']['sandbox']} s, "
        f"the clients (this process) {result['cpu_seconds']['clients']} s; {result['cpus']} CPUs",
    ]
    for phase, method in (("calls", "tools/call"), ("lists", "tools/list")):
        if phase in result["phases"]:
            figures = result["phases"][phase]
            lines.append(
                f"  {method + ' alone':<16} servers {figures['server_cpu_ms_per_request']} ms of CPU per {method} "
                f"({figures['seconds']} s; on the wire {wire_text(figures['wire'])})"
            )
    lines.append(f"  servers' RSS     idle {rss['idle']} MiB, after {rss['after']} MiB, peak {rss['peak']} MiB")
    if result["sign_in"]:
        sign_in = result["sign_in_ms"]
        lines.append(f"  sign-in          p50 {sign_in['p50']} ms, max {sign_in['max']} ms (all users at once)")
    if result["rate_limit_per_minute"]:
        limited = result["make_answers_by_status"].get("429", 0)
        lines.append(
            f"  budget           {result['rate_limit_per_minute']} a minute for all instances: "
            f"{result['rate_budget_waits']} waits, {limited} answers 429 "
            f"({'held' if result['budget_held'] else 'NOT held'})"
        )
    lines.extend(f"  error: {problem}" for problem in result["first_errors"])
    return "\n".join(lines)


def wire_text(wire: dict[str, int]) -> str:
    return ", ".join(f"{method} {count}" for method, count in sorted(wire.items(), key=lambda item: -item[1]))


def comparison(runs: list[dict[str, Any]]) -> dict[str, dict[str, float | None]]:
    """Per server, the median over its rounds of the servers' CPU per call (mixed), per tools/call, per tools/list."""
    keys = ("server_cpu_ms_per_call", "server_cpu_ms_per_tools_call", "server_cpu_ms_per_tools_list")
    table: dict[str, dict[str, float | None]] = {}
    for server in dict.fromkeys(run["server"] for run in runs):
        mine = [run for run in runs if run["server"] == server]
        table[server] = {
            key: round(statistics.median(values), 2)
            if (values := [r[key] for r in mine if r[key] is not None])
            else None
            for key in keys
        }
    return table


def comparison_text(table: dict[str, dict[str, float | None]], rounds: int) -> str:
    lines = [f"servers' CPU per request, median of {rounds} round(s): mixed per call / tools/call / tools/list"]
    for server, row in table.items():
        lines.append(f"  {server}: " + " / ".join("-" if value is None else f"{value} ms" for value in row.values()))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--sessions", type=int, default=30, help="concurrent users, each with its own token")
    parser.add_argument("--duration", type=float, default=15.0, help="seconds of the mixed load")
    parser.add_argument("--calls", type=int, default=400, help="most calls per session and phase")
    parser.add_argument("--mode", choices=["legacy", "auto", "mixed"], default="mixed", help="protocol era")
    parser.add_argument("--instances", type=int, choices=[1, 2], default=1, help="make-mcp processes (2: on one Redis)")
    parser.add_argument("--sign-in", action="store_true", help="users sign in with Make (OAuth) instead of tokens")
    parser.add_argument("--rate-limit", type=int, default=0, help="Make's requests per minute, shared (0: none)")
    parser.add_argument(
        "--split-duration",
        type=float,
        default=10.0,
        help="seconds of tools/call alone, then tools/list alone (0: none)",
    )
    parser.add_argument(
        "--stateful", action="store_true", help="sessions kept between requests (MAKE_HTTP_STATELESS=0)"
    )
    parser.add_argument(
        "--baseline", type=Path, action="append", default=[], help="another make-mcp checkout to run in turn"
    )
    parser.add_argument("--rounds", type=int, default=1, help="runs of each server, in turn")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument(
        "--sandbox-child", nargs=3, type=int, metavar=("PORT", "USERS", "RATE_LIMIT"), help=argparse.SUPPRESS
    )
    args = parser.parse_args(argv)
    if args.sandbox_child:
        serve_sandbox_child(*args.sandbox_child)
        return 0
    if not 1 <= args.sessions <= 500 or args.duration <= 0 or args.calls < args.instances or args.rate_limit < 0:
        parser.error("--sessions must be 1-500, --duration positive, --calls at least --instances, --rate-limit 0+")
    if args.split_duration < 0 or not 1 <= args.rounds <= 20:
        parser.error("--split-duration must be 0+, --rounds 1-20")
    checkouts = [ROOT, *(path.resolve() for path in args.baseline)]
    missing = [str(path) for path in checkouts if not (path / "server" / "cli" / "main.py").is_file()]
    if missing:
        parser.error(f"not a make-mcp checkout with make_mcp.server.cli.main: {', '.join(missing)}")

    import anyio

    runs: list[dict[str, Any]] = []
    for round_number in range(args.rounds):  # in turn, the first server alternating, so the load falls on each alike
        for checkout in checkouts if round_number % 2 == 0 else checkouts[::-1]:
            runs.append(anyio.run(run, args, checkout))
            print(report(runs[-1]), flush=True)
    result = {**runs[0], "errors": sum(run["errors"] for run in runs)}
    if len(runs) > 1:
        result |= {"runs": runs, "comparison": comparison(runs)}
        print(comparison_text(result["comparison"], args.rounds))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n")
    return 0 if result["errors"] == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
