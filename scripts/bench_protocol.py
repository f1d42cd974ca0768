"""Times the protocol surface beside tools, in process against the sandbox through the mcp client (2026-07-28):
a completion the first time (Make's listing fetched) and again (from the cache), a resource read, a prompt, and a
scenario run asked as a task (the call's answer, not the run).

    python scripts/bench_protocol.py [--runs 50]
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Awaitable, Callable
from typing import Any, Literal

import anyio
import mcp_types as types
from mcp import Client
from mcp.client.extension import ClaimContext, ClientExtension, ResultClaim
from pydantic import ConfigDict

from make_mcp.server.engine.connect import new_make_client
from make_mcp.server.engine.selection import ToolChoice
from make_mcp.server.protocol.app import build_server
from make_mcp.server.protocol.task_methods import TASKS_EXTENSION
from make_mcp.server.protocol.tasks import TaskManager
from make_mcp.server.runtime import Startup
from make_mcp.server.support.config import Settings
from make_mcp.server.support.state import LocalState


class Task(types.Result):
    model_config = ConfigDict(extra="allow")
    result_type: Literal["task"] = "task"


async def _unused(task: Task, ctx: ClaimContext) -> types.CallToolResult:
    raise RuntimeError("the benchmark reads the task itself")


class Tasks(ClientExtension):
    identifier = TASKS_EXTENSION

    def claims(self) -> list[ResultClaim[Any]]:
        return [ResultClaim(result_type="task", model=Task, resolve=_unused)]


async def timed(work: Callable[[], Awaitable[Any]]) -> float:
    started = time.perf_counter()
    await work()
    return (time.perf_counter() - started) * 1000


async def measure(mcp: Client, runs: int) -> dict[str, list[float]]:
    prompt = types.PromptReference(type="ref/prompt", name="audit_scenario")
    figures: dict[str, list[float]] = {"completion, cached": []}
    for _ in range(runs):
        figures["completion, cached"].append(
            await timed(lambda: mcp.complete(prompt, {"name": "scenarioId", "value": "40"}))
        )
    figures["resources/read blueprint"] = [
        await timed(lambda: mcp.read_resource("make://scenarios/404/blueprint")) for _ in range(runs)
    ]
    figures["prompts/get"] = [
        await timed(lambda: mcp.get_prompt("debug_failed_run", {"scenarioId": "404"})) for _ in range(runs)
    ]
    figures["tools/call as a task (answer)"] = [
        await timed(
            lambda: mcp.session.call_tool("generate_weekly_report_405", {"weekStart": "2025-03-03"}, allow_claimed=True)
        )
        for _ in range(min(runs, 1))
    ]
    return figures


async def served(work: Callable[[Client], Awaitable[Any]]) -> Any:
    """`work` with a client of a fresh server (its caches empty)."""
    settings = Settings(sandbox=True, team=201, scenario_refresh=0)
    client, budget = new_make_client(settings)
    startup = Startup(settings, client, budget, ToolChoice.from_settings(settings))
    manager = TaskManager(LocalState())
    server = build_server(
        None, runner_for=startup.runner, settings=settings, scenario_tools_for=startup.scenario_tools, tasks=manager
    )
    done: Any = None
    async with anyio.create_task_group() as group:
        manager.attach(group)
        group.start_soon(startup.run)
        async with Client(server, extensions=[Tasks()]) as mcp:
            await mcp.list_tools()
            done = await work(mcp)
        group.cancel_scope.cancel()
    await client.aclose()
    return done


async def cold_completion(mcp: Client) -> float:
    prompt = types.PromptReference(type="ref/prompt", name="audit_scenario")
    return await timed(lambda: mcp.complete(prompt, {"name": "scenarioId", "value": ""}))


async def main(runs: int) -> None:
    figures = await served(lambda mcp: measure(mcp, runs))
    figures["completion, cold (a fresh server each)"] = [await served(cold_completion) for _ in range(min(runs, 10))]
    print(f"{'request':34} {'median ms':>10} {'p95 ms':>8} {'max ms':>8}")
    for name, values in figures.items():
        ordered = sorted(values)
        p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
        print(f"{name:34} {statistics.median(values):10.1f} {p95:8.1f} {max(values):8.1f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="Times resources, prompts, completions and tasks in process.")
    parser.add_argument("--runs", type=int, default=50)
    anyio.run(main, parser.parse_args().runs)
