"""Benchmark of scenario tools: start-up and tools/list with 0, 50 and 500 callable scenarios.

Runs the stdio server's start-up (server/runtime.py Startup) in process against the sandbox Make API, through the
mcp client's in-memory transport, with `seed_on_demand_scenarios` adding the scenarios:

    .venv/bin/python scripts/bench_scenario_tools.py [--counts 0,50,500]

Prints a Markdown table: the time until `initialize` is answered, until the first discovery has ended, a
tools/list after it (median of 5), and how many tools it lists.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time

import anyio
import httpx2
from mcp import Client

from make_mcp.server.engine.selection import ToolChoice
from make_mcp.server.make_api.client import MakeClient
from make_mcp.server.protocol.app import build_server
from make_mcp.server.runtime import Startup
from make_mcp.server.sandbox import SANDBOX_TOKEN, create_sandbox_app, demo_state
from make_mcp.server.sandbox.demo_scenario_tools import seed_on_demand_scenarios
from make_mcp.server.support.config import Settings


async def measure(count: int) -> dict[str, float]:
    state = demo_state()
    seed_on_demand_scenarios(state, count)
    settings = Settings(api_key=SANDBOX_TOKEN, rate_limit=0, team=201, scenario_refresh=0)
    client = MakeClient(
        "http://sandbox/api/v2",
        authorization=f"Token {SANDBOX_TOKEN}",
        transport=httpx2.ASGITransport(app=create_sandbox_app(state)),
    )
    startup = Startup(settings, client, None, ToolChoice.from_settings(settings))
    server = build_server(None, runner_for=startup.runner, settings=settings, scenario_tools_for=startup.scenario_tools)
    try:
        async with anyio.create_task_group() as tasks:
            started = time.perf_counter()
            tasks.start_soon(startup.run)
            async with Client(server, mode="legacy") as mcp:
                initialized = time.perf_counter() - started
                await (await startup.scenario_tools()).found.wait()
                discovered = time.perf_counter() - started
                listings: list[float] = []
                tools = 0
                for _ in range(5):
                    before = time.perf_counter()
                    tools = len((await mcp.list_tools()).tools)
                    listings.append(time.perf_counter() - before)
            tasks.cancel_scope.cancel()
    finally:
        await client.aclose()
    return {
        "initialize_ms": initialized * 1000,
        "discovery_ms": discovered * 1000,
        "tools_list_ms": statistics.median(listings) * 1000,
        "tools": tools,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--counts", default="0,50,500", help="numbers of callable scenarios to seed")
    counts = [int(text) for text in parser.parse_args().counts.split(",")]
    lines = [
        "| scenarios seeded | initialize (ms) | first discovery done (ms) | tools/list (ms) | tools listed |",
        "|---|---|---|---|---|",
    ]
    for count in counts:
        figures = asyncio.run(measure(count))
        lines.append(
            f"| {count} | {figures['initialize_ms']:.0f} | {figures['discovery_ms']:.0f} | "
            f"{figures['tools_list_ms']:.0f} | {figures['tools']:.0f} |"
        )
    sys.stdout.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
