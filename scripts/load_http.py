"""Load test of the streamable HTTP transport with many users at once, everything on loopback.

Three processes: the sandbox Make API (this script in --sandbox-child mode, with one token per user and
a few different grants), `make-mcp serve --transport http` pointed at it with no credential of its own,
and this script, which opens one mcp Client per user, each sending its own `Authorization: Token ...`.
Every session lists its tools and then calls a read tool of its grant and `users_me-authorization` in
turn; an answer that shows another user's grant or tools counts as an isolation violation.

    .venv/bin/python scripts/load_http.py [--sessions 30] [--duration 15] [--calls 400] [--mode mixed] [--json FILE]

Bounded: each session stops after --calls calls or --duration seconds, whichever comes first, and the
whole run is cut off --duration + 120 seconds after it starts. Reports throughput, latency, errors and
the server process's peak resident memory (VmHWM, Linux).
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

HOST = "127.0.0.1"
STARTUP_TIMEOUT = 60.0
TEAM = 201
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

    from server.sandbox import SandboxState, create_sandbox_app

    state = SandboxState.demo()
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
    failures: int = 0  # exceptions: transport, protocol
    isolation_violations: int = 0
    latencies: list[float] = field(default_factory=list[float])
    first_errors: list[str] = field(default_factory=list[str])

    def note(self, problem: str) -> None:
        if len(self.first_errors) < 5:
            self.first_errors.append(problem[:300])


async def one_session(url: str, index: int, mode: str, stop_at: float, max_calls: int, tally: Tally) -> None:
    import httpx2
    import mcp_types as types
    from mcp import Client
    from mcp.client.streamable_http import streamable_http_client

    _, scopes, read_tool, forbidden_tool = profile_of(index)
    headers = {"Authorization": f"Token {user_token(index)}"}
    try:
        async with (
            httpx2.AsyncClient(headers=headers, timeout=httpx2.Timeout(30, read=120)) as http,
            Client(streamable_http_client(url, http_client=http), mode=mode) as client,
        ):
            started = time.perf_counter()
            listing = await client.list_tools()
            tally.latencies.append(time.perf_counter() - started)
            tally.calls += 1
            listed = {tool.name for tool in listing.tools}
            if read_tool not in listed or forbidden_tool in listed:
                tally.isolation_violations += 1
                tally.note(f"user {index}: tools/list shows another grant's tools")
            for call in range(max_calls - 1):
                if time.monotonic() >= stop_at:
                    break
                name, arguments = (read_tool, {"teamId": TEAM}) if call % 2 == 0 else ("users_me-authorization", {})
                started = time.perf_counter()
                result = await client.call_tool(name, arguments)
                tally.latencies.append(time.perf_counter() - started)
                tally.calls += 1
                if result.is_error:
                    tally.tool_errors += 1
                    text = " ".join(b.text for b in result.content if isinstance(b, types.TextContent))
                    tally.note(f"user {index} {name}: {text}")
                    continue
                if name == "users_me-authorization":
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


async def run(args: argparse.Namespace) -> dict[str, Any]:
    import anyio

    workdir = Path(tempfile.mkdtemp(prefix="load_http_"))
    sandbox_port, server_port = free_port(), free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith("MAKE_")}
    sandbox_log = workdir / "sandbox.log"
    server_log = workdir / "server.log"
    with sandbox_log.open("wb") as sandbox_err:
        sandbox = subprocess.Popen(
            [
                sys.executable,
                str(Path(__file__).resolve()),
                "--sandbox-child",
                str(sandbox_port),
                str(args.sessions),
                "0",
            ],
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=sandbox_err,
        )
    server_env = {
        **env,
        "MAKE_ZONE": f"http://{HOST}:{sandbox_port}",
        "MAKE_ALLOW_CUSTOM_ZONE": "1",
        "MAKE_LOG_LEVEL": "WARNING",
    }
    server_argv = [sys.executable, "-m", "server.cli", "serve", "--transport", "http", "--port", str(server_port)]
    with server_log.open("wb") as server_err:
        server = subprocess.Popen(
            server_argv, cwd=ROOT, env=server_env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=server_err
        )
    try:
        await wait_for_port(sandbox_port, sandbox, "the sandbox", sandbox_log)
        await wait_for_port(server_port, server, "the MCP server", server_log)
        idle = rss_kib(server.pid)
        cpu_before = cpu_seconds(server.pid), cpu_seconds(sandbox.pid), time.process_time()
        url = f"http://{HOST}:{server_port}/mcp"
        tally = Tally()
        modes = {"legacy": ["legacy"], "auto": ["auto"], "mixed": ["legacy", "auto"]}[args.mode]
        began = time.monotonic()
        stop_at = began + args.duration
        with anyio.fail_after(args.duration + 120):
            async with anyio.create_task_group() as group:
                for index in range(args.sessions):
                    group.start_soon(one_session, url, index, modes[index % len(modes)], stop_at, args.calls, tally)
        elapsed = time.monotonic() - began
        memory = rss_kib(server.pid)
        cpu = (
            cpu_seconds(server.pid) - cpu_before[0],
            cpu_seconds(sandbox.pid) - cpu_before[1],
            time.process_time() - cpu_before[2],
        )
    finally:
        stop(server)
        stop(sandbox)
    return {
        "sessions": args.sessions,
        "mode": args.mode,
        "grants": len(PROFILES),
        "seconds": round(elapsed, 2),
        "calls": tally.calls,
        "throughput_per_s": round(tally.calls / elapsed, 1),
        "latency_ms": {
            "p50": round(statistics.median(tally.latencies) * 1000, 1) if tally.latencies else 0.0,
            "p95": round(percentile(tally.latencies, 95) * 1000, 1),
            "max": round(max(tally.latencies, default=0.0) * 1000, 1),
        },
        "tool_errors": tally.tool_errors,
        "failed_sessions": tally.failures,
        "isolation_violations": tally.isolation_violations,
        "errors": tally.tool_errors + tally.failures + tally.isolation_violations,
        "server_rss_mib": {
            "idle": round(idle["VmRSS"] / 1024, 1),
            "after": round(memory["VmRSS"] / 1024, 1),
            "peak": round(memory["VmHWM"] / 1024, 1),
        },
        "cpu_seconds": {"server": round(cpu[0], 2), "sandbox": round(cpu[1], 2), "clients": round(cpu[2], 2)},
        "cpus": os.cpu_count(),
        "server_cpu_ms_per_call": round(cpu[0] / max(tally.calls, 1) * 1000, 2),
        "first_errors": tally.first_errors,
        "logs": str(workdir),
    }


def report(result: dict[str, Any]) -> str:
    latency, rss = result["latency_ms"], result["server_rss_mib"]
    lines = [
        f"streamable HTTP load: {result['sessions']} sessions ({result['mode']} mode), "
        f"{result['grants']} different grants, {result['seconds']} s",
        f"  calls            {result['calls']} ({result['throughput_per_s']} per second)",
        f"  latency          p50 {latency['p50']} ms, p95 {latency['p95']} ms, max {latency['max']} ms",
        f"  errors           {result['errors']} (tool errors {result['tool_errors']}, failed sessions "
        f"{result['failed_sessions']}, isolation violations {result['isolation_violations']})",
        f"  CPU              server {result['cpu_seconds']['server']} s "
        f"({result['server_cpu_ms_per_call']} ms per call), sandbox {result['cpu_seconds']['sandbox']} s, "
        f"the clients (this process) {result['cpu_seconds']['clients']} s; {result['cpus']} CPUs",
        f"  server RSS       idle {rss['idle']} MiB, after {rss['after']} MiB, peak {rss['peak']} MiB",
    ]
    lines.extend(f"  error: {problem}" for problem in result["first_errors"])
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--sessions", type=int, default=30, help="concurrent users, each with its own token")
    parser.add_argument("--duration", type=float, default=15.0, help="seconds of load")
    parser.add_argument("--calls", type=int, default=400, help="most calls per session")
    parser.add_argument("--mode", choices=["legacy", "auto", "mixed"], default="mixed", help="protocol era")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument(
        "--sandbox-child", nargs=3, type=int, metavar=("PORT", "USERS", "RATE_LIMIT"), help=argparse.SUPPRESS
    )
    args = parser.parse_args(argv)
    if args.sandbox_child:
        serve_sandbox_child(*args.sandbox_child)
        return 0
    if not 1 <= args.sessions <= 500 or args.duration <= 0 or args.calls < 1:
        parser.error("--sessions must be 1-500, --duration positive, --calls at least 1")

    import anyio

    result = anyio.run(run, args)
    print(report(result))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n")
    return 0 if result["errors"] == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
