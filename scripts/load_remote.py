"""Load test of remote use: users signed in with Make, served by two make-mcp processes sharing one Redis.

Processes, all on loopback: a redis-server, the sandbox Make API (whose OAuth endpoints approve at once), and two
`make-mcp serve --transport http` with one MAKE_PUBLIC_URL, MAKE_REDIS_URL and MAKE_STATE_KEY. Each user signs in
once at the first instance (registration, make-mcp's consent page, Make, the callback, the token exchange: the
steps a browser and an MCP client take), then calls tools with make-mcp's access token, alternating between the
two instances call by call, as a load balancer would send them. A call refused or answered with another user's
identity counts as an error.

With --rate-limit N both instances get MAKE_RATE_LIMIT=N, and the sandbox answers 429 past N requests a minute of
its organization, as Make does: the budget shared in Redis holds when Make never answered 429 although the
instances together asked for more (their waits show in make_mcp_rate_budget_wait_seconds, read from each
instance's /metrics at the end).

    .venv/bin/python scripts/load_remote.py [--users 10] [--duration 10] [--calls 200] [--rate-limit N] [--json FILE]

Needs redis-server on PATH (apt-get install redis-server). Reports sign-in time, throughput, latency, errors and
what both instances' /metrics say about Make's answers and the budget's waits.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
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
for path in (ROOT, ROOT / "scripts"):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

from load_http import HOST, free_port, percentile, stop, wait_for_port  # noqa: E402

REDIRECT_URI = "http://127.0.0.1:9/callback"  # the MCP client's; never listened on
STATE_KEY = "load-remote-state-key-0123456789"


@dataclass
class Tally:
    calls: int = 0
    errors: int = 0
    by_instance: list[int] = field(default_factory=lambda: [0, 0])
    latencies: list[float] = field(default_factory=list[float])
    sign_ins: list[float] = field(default_factory=list[float])
    first_errors: list[str] = field(default_factory=list[str])

    def note(self, problem: str) -> None:
        self.errors += 1
        if len(self.first_errors) < 5:
            self.first_errors.append(problem[:300])


async def sign_in(base: str) -> str:
    """What a browser and an MCP client do to sign in with Make; returns make-mcp's access token."""
    import httpx2

    from server.auth import pkce_pair

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


async def sign_in_timed(base: str, tokens: list[str], tally: Tally) -> None:
    started = time.perf_counter()
    try:
        tokens.append(await sign_in(base))
    except Exception as error:
        tally.note(f"sign-in: {type(error).__name__}: {error}")
    tally.sign_ins.append(time.perf_counter() - started)


async def one_user(urls: list[str], token: str, stop_at: float, max_calls: int, tally: Tally) -> None:
    import httpx2
    from mcp import Client
    from mcp.client.streamable_http import streamable_http_client

    try:
        headers = {"Authorization": f"Bearer {token}"}
        async with (
            httpx2.AsyncClient(headers=headers, timeout=httpx2.Timeout(30, read=120)) as first_http,
            httpx2.AsyncClient(headers=headers, timeout=httpx2.Timeout(30, read=120)) as second_http,
            Client(streamable_http_client(urls[0], http_client=first_http)) as first,
            Client(streamable_http_client(urls[1], http_client=second_http)) as second,
        ):
            clients = (first, second)
            for client in clients:
                await client.list_tools()
            for call in range(max_calls):
                if time.monotonic() >= stop_at:
                    break
                instance = call % 2
                started = time.perf_counter()
                result = await clients[instance].call_tool("users_me", {})
                tally.latencies.append(time.perf_counter() - started)
                tally.calls += 1
                tally.by_instance[instance] += 1
                if result.is_error:
                    tally.note(f"instance {instance}: {result.content}")
    except Exception as error:  # a failed user counts, the others go on
        tally.note(f"{type(error).__name__}: {error}")


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
    if redis_server is None:
        raise SystemExit("redis-server is not installed (apt-get install -y redis-server)")
    workdir = Path(tempfile.mkdtemp(prefix="load_remote_"))
    env = {key: value for key, value in os.environ.items() if not key.startswith("MAKE_")}
    redis_port, sandbox_port = free_port(), free_port()
    ports = [free_port(), free_port()]
    base = f"http://{HOST}:{ports[0]}"
    processes: list[subprocess.Popen[bytes]] = []

    def start(name: str, argv: list[str], extra: dict[str, str]) -> subprocess.Popen[bytes]:
        with (workdir / f"{name}.log").open("wb") as log:
            process = subprocess.Popen(
                argv, cwd=ROOT, env={**env, **extra}, stdin=subprocess.DEVNULL, stdout=log, stderr=log
            )
        processes.append(process)
        return process

    try:
        redis = start(
            "redis", [redis_server, "--port", str(redis_port), "--bind", HOST, "--save", "", "--appendonly", "no"], {}
        )
        load_http = str(ROOT / "scripts" / "load_http.py")
        sandbox_argv = [sys.executable, load_http, "--sandbox-child", str(sandbox_port), "1", str(args.rate_limit)]
        sandbox = start("sandbox", sandbox_argv, {})
        await wait_for_port(redis_port, redis, "redis-server", workdir / "redis.log")
        await wait_for_port(sandbox_port, sandbox, "the sandbox", workdir / "sandbox.log")
        from server.sandbox.oauth import SANDBOX_CLIENT_SECRET, SANDBOX_CONFIDENTIAL_CLIENT_ID

        server_env = {
            "MAKE_ZONE": f"http://{HOST}:{sandbox_port}",
            "MAKE_OAUTH_BASE": f"http://{HOST}:{sandbox_port}",
            "MAKE_ALLOW_CUSTOM_ZONE": "1",
            "MAKE_CLIENT_ID": SANDBOX_CONFIDENTIAL_CLIENT_ID,
            "MAKE_CLIENT_SECRET": SANDBOX_CLIENT_SECRET,
            "MAKE_PUBLIC_URL": base,
            "MAKE_REDIS_URL": f"redis://{HOST}:{redis_port}/0",
            "MAKE_STATE_KEY": STATE_KEY,
        }
        if args.rate_limit:
            server_env["MAKE_RATE_LIMIT"] = str(args.rate_limit)
        servers = []
        for index, port in enumerate(ports):
            argv = [sys.executable, "-m", "server.cli", "serve", "--transport", "http", "--port", str(port)]
            servers.append(start(f"make-mcp-{index}", argv, server_env))
        for index, (server, port) in enumerate(zip(servers, ports, strict=True)):
            await wait_for_port(port, server, f"make-mcp {index}", workdir / f"make-mcp-{index}.log")
        urls = [f"http://{HOST}:{port}/mcp" for port in ports]
        tally = Tally()
        tokens: list[str] = []
        with anyio.fail_after(args.duration + 240):
            async with anyio.create_task_group() as group:  # everyone signs in at once, then the load begins
                for _ in range(args.users):
                    group.start_soon(sign_in_timed, base, tokens, tally)
            began = time.monotonic()
            async with anyio.create_task_group() as group:
                for token in tokens:
                    group.start_soon(one_user, urls, token, began + args.duration, args.calls, tally)
        elapsed = time.monotonic() - began
        metrics = await scrape([f"http://{HOST}:{port}/metrics" for port in ports])
    finally:
        for process in reversed(processes):
            stop(process)

    def ms(seconds: float) -> float:
        return round(seconds * 1000, 1)

    return {
        "users": args.users,
        "instances": 2,
        "seconds": round(elapsed, 2),
        "calls": tally.calls,
        "calls_by_instance": tally.by_instance,
        "throughput_per_s": round(tally.calls / elapsed, 1),
        "sign_in_ms": {
            "p50": ms(statistics.median(tally.sign_ins)) if tally.sign_ins else 0.0,
            "max": ms(max(tally.sign_ins, default=0.0)),
        },
        "latency_ms": {
            "p50": ms(statistics.median(tally.latencies)) if tally.latencies else 0.0,
            "p95": ms(percentile(tally.latencies, 95)),
            "max": ms(max(tally.latencies, default=0.0)),
        },
        "errors": tally.errors,
        "first_errors": tally.first_errors,
        "rate_limit_per_minute": args.rate_limit or None,
        "make_answers_by_status": metrics["make_answers_by_status"],
        "rate_budget_waits": metrics["rate_budget_waits"],
        "cpus": os.cpu_count(),
        "logs": str(workdir),
    }


def report(result: dict[str, Any]) -> str:
    latency = result["latency_ms"]
    lines = [
        f"remote load: {result['users']} signed-in users, {result['instances']} instances on one Redis, "
        f"{result['seconds']} s",
        f"  sign-in          p50 {result['sign_in_ms']['p50']} ms, max {result['sign_in_ms']['max']} ms "
        "(all users at once, before the load)",
        f"  calls            {result['calls']} ({result['throughput_per_s']} per second; by instance "
        f"{result['calls_by_instance'][0]} / {result['calls_by_instance'][1]})",
        f"  latency          p50 {latency['p50']} ms, p95 {latency['p95']} ms, max {latency['max']} ms",
        f"  errors           {result['errors']}",
        f"  Make answered    {result['make_answers_by_status']} (both instances' /metrics)",
    ]
    if result["rate_limit_per_minute"]:
        limited = result["make_answers_by_status"].get("429", 0)
        lines.append(
            f"  shared budget    {result['rate_limit_per_minute']} a minute for both: {result['rate_budget_waits']} "
            f"waits, {limited} answers 429 ({'held' if limited == 0 else 'NOT held'})"
        )
    lines.extend(f"  error: {problem}" for problem in result["first_errors"])
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--users", type=int, default=10, help="users signed in at once, each with their own grant")
    parser.add_argument("--duration", type=float, default=10.0, help="seconds of load")
    parser.add_argument("--calls", type=int, default=200, help="most calls per user")
    parser.add_argument("--rate-limit", type=int, default=0, help="Make's requests per minute, shared (0: none)")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)
    if not 1 <= args.users <= 200 or args.duration <= 0 or args.calls < 1 or args.rate_limit < 0:
        parser.error("--users must be 1-200, --duration positive, --calls at least 1, --rate-limit 0 or more")

    import anyio

    result = anyio.run(run, args)
    print(report(result))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n")
    return 0 if result["errors"] == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
