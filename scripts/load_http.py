"""Load test of the streamable HTTP transport with many users at once, everything on loopback.

Processes: the sandbox Make API (this script in --sandbox-child mode, with one token per user and a few
different grants), one or two `make-mcp serve --transport http` pointed at it with no credential of their own
(with `--instances 2`, also a redis-server both use through MAKE_REDIS_URL), and this script, which opens one
mcp Client per user and instance. Each user sends its own `Authorization: Token ...`, or with `--sign-in`
signs in with Make once at the first instance (registration, make-mcp's consent page, Make, the callback, the
token exchange) and sends make-mcp's access token. Every session lists its tools on each instance, then calls
a read tool of its grant and `users_me-authorization` in turn, alternating between the instances call by call
as a load balancer would; an answer that shows another user's grant or tools counts as an isolation violation.

With --rate-limit N every instance gets MAKE_RATE_LIMIT=N and the sandbox answers 429 past N requests a minute
of its organization, as Make does: the budget (shared in Redis with two instances) holds when Make never
answered 429; the waits for it are read from each instance's /metrics at the end.

    .venv/bin/python scripts/load_http.py [--sessions 30] [--duration 15] [--calls 400] [--mode mixed]
        [--instances 1|2] [--sign-in] [--rate-limit N] [--json FILE]

Bounded: each session stops after --calls calls or --duration seconds, whichever comes first, and the
whole run is cut off --duration + 240 seconds after it starts. Reports throughput, latency, errors, what
the instances' /metrics say about Make's answers, and the servers' CPU and peak resident memory (VmHWM,
Linux, summed over the instances). `--instances 2` needs redis-server on PATH (apt-get install redis-server).
"""

from __future__ import annotations

import argparse
import contextlib
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


@dataclass
class Tally:
    calls: int = 0
    tool_errors: int = 0
    failures: int = 0  # exceptions: sign-in, transport, protocol
    isolation_violations: int = 0
    by_instance: list[int] = field(default_factory=list[int])
    latencies: list[float] = field(default_factory=list[float])
    sign_ins: list[float] = field(default_factory=list[float])
    first_errors: list[str] = field(default_factory=list[str])

    def note(self, problem: str) -> None:
        if len(self.first_errors) < 5:
            self.first_errors.append(problem[:300])


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


async def one_session(
    urls: list[str],
    index: int,
    authorization: str,
    signed_in: bool,
    mode: str,
    stop_at: float,
    max_calls: int,
    tally: Tally,
) -> None:
    import httpx2
    import mcp_types as types
    from mcp import Client
    from mcp.client.streamable_http import streamable_http_client

    _, scopes, read_tool, forbidden_tool = profile_of(index)
    calls = ((read_tool, {"teamId": TEAM}), ("users_me-authorization", {}))
    if signed_in:  # a grant of Make's sign-in, not one of the profiles: no other grant's tools to look for
        read_tool, forbidden_tool, calls = "users_me", None, (("users_me", {}),)
    try:
        async with contextlib.AsyncExitStack() as stack:
            clients = []
            for url in urls:
                http = await stack.enter_async_context(
                    httpx2.AsyncClient(headers={"Authorization": authorization}, timeout=httpx2.Timeout(30, read=120))
                )
                clients.append(
                    await stack.enter_async_context(Client(streamable_http_client(url, http_client=http), mode=mode))
                )
            for instance, client in enumerate(clients):
                started = time.perf_counter()
                listing = await client.list_tools()
                tally.latencies.append(time.perf_counter() - started)
                tally.calls += 1
                tally.by_instance[instance] += 1
                listed = {tool.name for tool in listing.tools}
                if read_tool not in listed or (forbidden_tool is not None and forbidden_tool in listed):
                    tally.isolation_violations += 1
                    tally.note(f"user {index}: tools/list of instance {instance} shows another grant's tools")
            for call in range(max_calls - len(clients)):
                if time.monotonic() >= stop_at:
                    break
                name, arguments = calls[call % len(calls)]
                instance = call % len(clients)
                started = time.perf_counter()
                result = await clients[instance].call_tool(name, arguments)
                tally.latencies.append(time.perf_counter() - started)
                tally.calls += 1
                tally.by_instance[instance] += 1
                if result.is_error:
                    tally.tool_errors += 1
                    text = " ".join(b.text for b in result.content if isinstance(b, types.TextContent))
                    tally.note(f"user {index} {name} on instance {instance}: {text}")
                    continue
                if name == "users_me-authorization" and not signed_in:
                    granted = set((result.structured_content or {}).get("authorization", {}).get("scope", []))
                    if granted != scopes:
                        tally.isolation_violations += 1
                        tally.note(f"user {index}: users_me-authorization answered another grant")
    except Exception as error:  # a failed session counts, the others go on
        tally.failures += 1
        tally.note(f"user {index}: {type(error).__name__}: {error}")


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


async def run(args: argparse.Namespace) -> dict[str, Any]:
    import anyio

    redis_server = shutil.which("redis-server")
    if args.instances > 1 and redis_server is None:
        raise SystemExit("redis-server is not installed (apt-get install -y redis-server)")
    workdir = Path(tempfile.mkdtemp(prefix="load_http_"))
    env = {key: value for key, value in os.environ.items() if not key.startswith("MAKE_")}
    sandbox_port = free_port()
    ports = [free_port() for _ in range(args.instances)]
    base = f"http://{HOST}:{ports[0]}"
    processes: list[subprocess.Popen[bytes]] = []

    def start(name: str, argv: list[str], extra: dict[str, str]) -> subprocess.Popen[bytes]:
        with (workdir / f"{name}.log").open("wb") as log:
            process = subprocess.Popen(
                argv, cwd=ROOT, env={**env, **extra}, stdin=subprocess.DEVNULL, stdout=log, stderr=log
            )
        processes.append(process)
        return process

    server_env = {
        "MAKE_ZONE": f"http://{HOST}:{sandbox_port}",
        "MAKE_ALLOW_CUSTOM_ZONE": "1",
        "MAKE_LOG_LEVEL": "WARNING",
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
        servers = []
        for index, port in enumerate(ports):
            argv = [
                sys.executable,
                "-m",
                "make_mcp.server.cli.main",
                "serve",
                "--transport",
                "http",
                "--port",
                str(port),
            ]
            servers.append(start(f"make-mcp-{index}", argv, server_env))
        for index, (server, port) in enumerate(zip(servers, ports, strict=True)):
            await wait_for_port(port, server, f"make-mcp {index}", workdir / f"make-mcp-{index}.log")
        idle = [rss_kib(server.pid) for server in servers]
        cpu_before = sum(map(cpu_seconds, (s.pid for s in servers))), cpu_seconds(sandbox.pid), time.process_time()
        urls = [f"http://{HOST}:{port}/mcp" for port in ports]
        tally = Tally(by_instance=[0] * args.instances)
        modes = {"legacy": ["legacy"], "auto": ["auto"], "mixed": ["legacy", "auto"]}[args.mode]
        authorizations: dict[int, str] = {}
        with anyio.fail_after(args.duration + 240):
            async with anyio.create_task_group() as group:  # everyone signs in at once, then the load begins
                for index in range(args.sessions):
                    group.start_soon(authorization_of, index, base if args.sign_in else None, authorizations, tally)
            began = time.monotonic()
            stop_at = began + args.duration
            async with anyio.create_task_group() as group:
                for index, authorization in sorted(authorizations.items()):
                    mode = modes[index % len(modes)]
                    group.start_soon(
                        one_session, urls, index, authorization, args.sign_in, mode, stop_at, args.calls, tally
                    )
        elapsed = time.monotonic() - began
        memory = [rss_kib(server.pid) for server in servers]
        cpu = (
            sum(map(cpu_seconds, (s.pid for s in servers))) - cpu_before[0],
            cpu_seconds(sandbox.pid) - cpu_before[1],
            time.process_time() - cpu_before[2],
        )
        metrics = await scrape([f"http://{HOST}:{port}/metrics" for port in ports])
    finally:
        for process in reversed(processes):
            stop(process)

    def mib(values: list[dict[str, int]], key: str) -> float:
        return round(sum(value[key] for value in values) / 1024, 1)

    limited = metrics["make_answers_by_status"].get("429", 0)
    budget_held = not args.rate_limit or limited == 0
    return {
        "sessions": args.sessions,
        "instances": args.instances,
        "sign_in": args.sign_in,
        "mode": args.mode,
        "grants": 1 if args.sign_in else len(PROFILES),
        "seconds": round(elapsed, 2),
        "calls": tally.calls,
        "calls_by_instance": tally.by_instance,
        "throughput_per_s": round(tally.calls / elapsed, 1),
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
        "cpu_seconds": {"server": round(cpu[0], 2), "sandbox": round(cpu[1], 2), "clients": round(cpu[2], 2)},
        "cpus": os.cpu_count(),
        "server_cpu_ms_per_call": round(cpu[0] / max(tally.calls, 1) * 1000, 2),
        "first_errors": tally.first_errors,
        "logs": str(workdir),
    }


def report(result: dict[str, Any]) -> str:
    latency, rss = result["latency_ms"], result["server_rss_mib"]
    shared = ", sharing one Redis" if result["instances"] > 1 else ""
    who = "signed in with Make" if result["sign_in"] else f"{result['grants']} different grants"
    by_instance = " / ".join(map(str, result["calls_by_instance"]))
    lines = [
        f"streamable HTTP load: {result['sessions']} sessions ({result['mode']} mode), {who}, "
        f"{result['instances']} instance(s){shared}, {result['seconds']} s",
        f"  calls            {result['calls']} ({result['throughput_per_s']} per second; by instance {by_instance})",
        f"  latency          p50 {latency['p50']} ms, p95 {latency['p95']} ms, max {latency['max']} ms",
        f"  errors           {result['errors']} (tool errors {result['tool_errors']}, failed sessions "
        f"{result['failed_sessions']}, isolation violations {result['isolation_violations']})",
        f"  Make answered    {result['make_answers_by_status']} (the instances' /metrics)",
        f"  CPU              servers {result['cpu_seconds']['server']} s "
        f"({result['server_cpu_ms_per_call']} ms per call), sandbox {result['cpu_seconds']['sandbox']} s, "
        f"the clients (this process) {result['cpu_seconds']['clients']} s; {result['cpus']} CPUs",
        f"  servers' RSS     idle {rss['idle']} MiB, after {rss['after']} MiB, peak {rss['peak']} MiB",
    ]
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--sessions", type=int, default=30, help="concurrent users, each with its own token")
    parser.add_argument("--duration", type=float, default=15.0, help="seconds of load")
    parser.add_argument("--calls", type=int, default=400, help="most calls per session")
    parser.add_argument("--mode", choices=["legacy", "auto", "mixed"], default="mixed", help="protocol era")
    parser.add_argument("--instances", type=int, choices=[1, 2], default=1, help="make-mcp processes (2: on one Redis)")
    parser.add_argument("--sign-in", action="store_true", help="users sign in with Make (OAuth) instead of tokens")
    parser.add_argument("--rate-limit", type=int, default=0, help="Make's requests per minute, shared (0: none)")
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

    import anyio

    result = anyio.run(run, args)
    print(report(result))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n")
    return 0 if result["errors"] == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
