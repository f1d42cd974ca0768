"""Benchmark of scenario tools on an account of many callable scenarios (seed_on_demand_scenarios).

Start-up: the stdio server's start-up (server/runtime.py Startup) in process against the sandbox Make API, through
the mcp client's in-memory transport, with 0, 50 and 500 callable scenarios: the time until `initialize` is
answered, until the first discovery has ended, a tools/list after it (median of 5), and how many tools it lists.

Changes (--changes N): N scenarios_update calls that rename one callable scenario on the 500-scenario account (the
sandbox in a process of its own), with scenario tools on and off, interleaved; each call's time to its answer
(median, p99) and the requests to Make each sent beyond its own, once its refresh (run after the answer, in the
server's task group as `make-mcp serve` runs it) has ended.

First listing over HTTP: `make-mcp serve --transport http`'s app on loopback (uvicorn, in a thread) against the
500-scenario sandbox (uvicorn, another thread); a new caller's first tools/list, before and once their scenario
tools are found.

    .venv/bin/python scripts/bench_scenario_tools.py [--counts 0,50,500] [--changes 40] [--scenarios 500]

Prints Markdown tables. Everything runs on 127.0.0.1, in this process and one sandbox process.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Any

import anyio
import anyio.abc
import httpx2
import uvicorn
from mcp import Client
from mcp.client.streamable_http import streamable_http_client

from make_mcp.server.engine.selection import ToolChoice
from make_mcp.server.http.serve import create_http_app
from make_mcp.server.make_api.client import MakeClient
from make_mcp.server.protocol.app import build_server
from make_mcp.server.runtime import Startup
from make_mcp.server.sandbox import SANDBOX_TOKEN, SandboxState, create_sandbox_app, demo_state
from make_mcp.server.sandbox.demo_scenario_tools import seed_on_demand_scenarios
from make_mcp.server.support.config import Settings

HOST = "127.0.0.1"


def seeded(count: int) -> tuple[SandboxState, list[int]]:
    state = demo_state()
    return state, seed_on_demand_scenarios(state, count)


class CountingTransport(httpx2.AsyncBaseTransport):
    """The sandbox in process (`state`), or over loopback, counting the requests Make is sent."""

    def __init__(self, state: SandboxState | None) -> None:
        self.inner: httpx2.AsyncBaseTransport = (
            httpx2.ASGITransport(app=create_sandbox_app(state)) if state is not None else httpx2.AsyncHTTPTransport()
        )
        self.sent = 0

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        self.sent += 1
        return await self.inner.handle_async_request(request)


@contextlib.asynccontextmanager
async def stdio_like(
    state: SandboxState | None, zone: str = "http://sandbox", **settings: Any
) -> AsyncIterator[tuple[Client, Startup, CountingTransport, Background]]:
    """The stdio server's start-up and MCP server in process, refreshes in its task group as `serve` runs them;
    Make is the sandbox of `state` in process, or (no state) the one at `zone`."""
    config = Settings(api_key=SANDBOX_TOKEN, rate_limit=0, team=201, scenario_refresh=0, **settings)
    transport = CountingTransport(state)
    client = MakeClient(f"{zone}/api/v2", authorization=f"Token {SANDBOX_TOKEN}", transport=transport)
    startup = Startup(config, client, None, ToolChoice.from_settings(config))
    server = build_server(None, runner_for=startup.runner, settings=config, scenario_tools_for=startup.scenario_tools)
    try:
        async with anyio.create_task_group() as tasks:
            background = Background(tasks)
            startup.background = background  # pyright: ignore[reportAttributeAccessIssue]
            tasks.start_soon(startup.run)
            async with Client(server, mode="legacy") as mcp:
                yield mcp, startup, transport, background
            tasks.cancel_scope.cancel()
    finally:
        await client.aclose()


async def measure_startup(count: int) -> dict[str, float]:
    state, _ = seeded(count)
    started = time.perf_counter()
    async with stdio_like(state) as (mcp, startup, _, _):
        initialized = time.perf_counter() - started
        await (await startup.scenario_tools()).found.wait()
        discovered = time.perf_counter() - started
        listings: list[float] = []
        tools = 0
        for _ in range(5):
            before = time.perf_counter()
            tools = len((await mcp.list_tools()).tools)
            listings.append(time.perf_counter() - before)
    return {
        "initialize_ms": initialized * 1000,
        "discovery_ms": discovered * 1000,
        "tools_list_ms": statistics.median(listings) * 1000,
        "tools": tools,
    }


class Background:
    """The server's task group for refreshes after a call, counting those not ended yet (so the benchmark can
    wait for them between calls)."""

    def __init__(self, tasks: anyio.abc.TaskGroup) -> None:
        self.tasks = tasks
        self.running = 0
        self.idle = anyio.Event()
        self.idle.set()

    def start_soon(self, func: Callable[[], Awaitable[Any]], *args: Any, name: object = None) -> None:
        if self.idle.is_set():
            self.idle = anyio.Event()
        self.running += 1

        async def run() -> None:
            try:
                await func(*args)
            finally:
                self.running -= 1
                if not self.running:
                    self.idle.set()

        self.tasks.start_soon(run, name=name)


async def measure_changes(scenarios: int, calls: int) -> dict[str, dict[str, float]]:
    """scenarios_update on one callable scenario, scenario tools on and off, a call of each in turn, against the
    seeded sandbox in a process of its own (so its work does not share the server's loop)."""
    _, ids = seeded(scenarios)  # the same IDs as the sandbox process's: seeding is deterministic
    target = ids[len(ids) // 2]
    seconds: dict[str, list[float]] = {"on": [], "off": []}
    extra: dict[str, list[int]] = {"on": [], "off": []}
    async with (
        sandbox_process(scenarios) as zone,
        stdio_like(None, zone, confirm_destructive=False) as on,
        stdio_like(None, zone, confirm_destructive=False, scenario_tools="off") as off,
    ):
        for _, startup, _, _ in (on, off):
            await (await startup.scenario_tools()).found.wait()
        for mcp, _, _, background in (on, off):  # the first call imports the tool's input model
            await mcp.call_tool("scenarios_update", {"scenarioId": target, "name": "Benchmark task warmed up"})
            await background.idle.wait()
        for call in range(calls):
            for label, (mcp, _, transport, background) in (("on", on), ("off", off)):
                arguments = {"scenarioId": target, "name": f"Benchmark task renamed {call} {label}"}
                sent = transport.sent
                started = time.perf_counter()
                result = await mcp.call_tool("scenarios_update", arguments)
                seconds[label].append(time.perf_counter() - started)
                if result.is_error:
                    raise SystemExit(f"scenarios_update failed: {result.content}")
                await background.idle.wait()  # the refresh after the answer
                extra[label].append(transport.sent - sent - 1)  # the call's own PATCH
    return {
        label: {
            "median_ms": statistics.median(values) * 1000,
            "p99_ms": sorted(values)[max(0, round(0.99 * len(values)) - 1)] * 1000,
            "extra_requests": max(extra[label]),
        }
        for label, values in seconds.items()
    }


@contextlib.asynccontextmanager
async def sandbox_process(scenarios: int) -> AsyncIterator[str]:
    """The seeded sandbox in a process of its own on a free loopback port; yields its zone."""
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        port = probe.getsockname()[1]
    argv = [sys.executable, __file__, "--sandbox-child", str(port), str(scenarios)]
    process = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    zone = f"http://{HOST}:{port}"
    try:
        async with httpx2.AsyncClient(timeout=5) as http:
            with anyio.fail_after(60):
                while True:
                    with contextlib.suppress(httpx2.TransportError):
                        await http.get(f"{zone}/api/v2/teams/201", headers={"Authorization": f"Token {SANDBOX_TOKEN}"})
                        break
                    await anyio.sleep(0.1)
        yield zone
    finally:
        process.terminate()
        process.wait(timeout=10)


def serve_sandbox_child(port: int, scenarios: int) -> None:
    state, _ = seeded(scenarios)
    uvicorn.run(create_sandbox_app(state), host=HOST, port=port, log_level="warning", access_log=False)


@contextlib.contextmanager
def served(app: Any) -> Iterator[str]:
    """An ASGI app on a free loopback port, in a thread of its own; yields its base URL."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind((HOST, 0))
    sock.listen(128)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        while not server.started:
            time.sleep(0.01)
        yield f"http://{HOST}:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


async def first_listing(url: str) -> tuple[float, int]:
    headers = {"Authorization": f"Token {SANDBOX_TOKEN}"}
    async with (
        httpx2.AsyncClient(headers=headers, timeout=60) as http,
        Client(streamable_http_client(url, http_client=http), mode="legacy") as mcp,
    ):
        started = time.perf_counter()
        tools = len((await mcp.list_tools()).tools)
        return time.perf_counter() - started, tools


def measure_http_first_listing(scenarios: int) -> dict[str, float]:
    state, _ = seeded(scenarios)
    with served(create_sandbox_app(state)) as zone:
        settings = Settings(zone=zone, allow_custom_zone=True, rate_limit=0, team=201, scenario_refresh=0)
        with served(create_http_app(settings)) as base:
            first, listed_first = asyncio.run(first_listing(f"{base}/mcp"))
            time.sleep(5.0)  # a new session of the same caller, once their discovery has had time
            again, listed_again = asyncio.run(first_listing(f"{base}/mcp"))
    return {
        "first_ms": first * 1000,
        "tools_first": listed_first,
        "later_ms": again * 1000,
        "tools_later": listed_again,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--counts", default="0,50,500", help="numbers of callable scenarios for the start-up table")
    parser.add_argument("--changes", type=int, default=40, help="scenarios_update calls each, on and off (0: none)")
    parser.add_argument("--scenarios", type=int, default=500, help="callable scenarios for the changes and HTTP")
    parser.add_argument("--sandbox-child", nargs=2, type=int, metavar=("PORT", "SCENARIOS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.sandbox_child:
        serve_sandbox_child(*args.sandbox_child)
        return
    lines = [
        "| scenarios seeded | initialize (ms) | first discovery done (ms) | tools/list (ms) | tools listed |",
        "|---|---|---|---|---|",
    ]
    for count in [int(text) for text in args.counts.split(",") if text]:
        figures = asyncio.run(measure_startup(count))
        lines.append(
            f"| {count} | {figures['initialize_ms']:.0f} | {figures['discovery_ms']:.0f} | "
            f"{figures['tools_list_ms']:.0f} | {figures['tools']:.0f} |"
        )
    if args.changes > 0:
        changes = asyncio.run(measure_changes(args.scenarios, args.changes))
        lines += [
            "",
            f"scenarios_update of one callable scenario, {args.scenarios} seeded, {args.changes} calls each:",
            "",
            "| scenario tools | median (ms) | p99 (ms) | most requests beyond the call's own |",
            "|---|---|---|---|",
            *(
                f"| {label} | {row['median_ms']:.2f} | {row['p99_ms']:.2f} | {row['extra_requests']:.0f} |"
                for label, row in changes.items()
            ),
        ]
    http = measure_http_first_listing(args.scenarios)
    lines += [
        "",
        f"A new HTTP caller's first tools/list, {args.scenarios} seeded: {http['first_ms']:.0f} ms "
        f"({http['tools_first']:.0f} tools); a new session of the same caller 5 s later: {http['later_ms']:.0f} ms "
        f"({http['tools_later']:.0f} tools).",
    ]
    sys.stdout.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
