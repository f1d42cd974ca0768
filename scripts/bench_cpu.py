"""CPU time per call of the MCP server over stdio against the sandbox Make API on loopback.

Wall-clock figures move with the machine's load; CPU time barely does. This measures the server process's own
CPU time (every thread, from /proc/<pid>/task/*/schedstat, in nanoseconds) over N sequential calls of
scripts/bench.py's call tool, and over rounds of calls in flight together, and divides by the calls. With
--official, Make's official tool set (npm @makehq/sdk) the same way, in the same run. Linux only.

    .venv/bin/python scripts/bench_cpu.py [--calls 2000] [--concurrent 50] [--rounds 20] [--official]
        [--baseline ../main] [--variant NAME=VALUE ...]

Each --variant adds our server once more with that environment variable set, measured in turn with the rest.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import statistics
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

import bench  # scripts/bench.py: the sandbox, the servers under test and the stdio client

ROUNDS = 5  # sequential runs per server, interleaved; the median is reported


def cpu_ns(pid: int) -> int:
    """The process's CPU time so far, over all its threads, in nanoseconds."""
    total = 0
    for task in Path(f"/proc/{pid}/task").iterdir():
        with contextlib.suppress(OSError):
            total += int((task / "schedstat").read_text().split()[0])
    return total


async def measure(server: bench.StdioPeer, calls: int, concurrent: int, rounds: int) -> tuple[float, float]:
    """(CPU µs per sequential call, CPU µs per call with `concurrent` in flight) of the server process."""
    arguments = {"name": bench.CALL_TOOL, "arguments": bench.CALL_ARGUMENTS}
    pid = server.process.pid
    for _ in range(50):
        await server.request("tools/call", arguments)
    before = cpu_ns(pid)
    for _ in range(calls):
        result, _ = await server.request("tools/call", arguments)
        bench.check_call(result, server.name)
    sequential = (cpu_ns(pid) - before) / calls / 1000
    assert server.process.stdin is not None
    before = cpu_ns(pid)
    for _ in range(rounds):
        futures = [server.send("tools/call", arguments) for _ in range(concurrent)]
        await server.process.stdin.drain()
        for message, _ in await asyncio.gather(*futures):
            bench.check_call(message.get("result", {"isError": True}), server.name)
    in_flight = (cpu_ns(pid) - before) / (rounds * concurrent) / 1000
    return sequential, in_flight


async def run(args: argparse.Namespace) -> list[str]:
    async with bench.sandbox() as zone:
        targets = [bench.ours(zone, for_calls=True)]
        for variant in args.variant:
            name, _, value = variant.partition("=")
            plain = bench.ours(zone, for_calls=True, **{name: value})
            targets.append(bench.ServerUnderTest(f"make-mcp with {variant}", plain.argv, plain.env, plain.cwd))
        targets += [bench.baseline(zone, Path(checkout)) for checkout in args.baseline]
        if args.official:
            directory = Path(tempfile.gettempdir()) / "make-mcp-bench-official"
            targets.append(bench.official(zone, directory))
            bench.install_official(directory)
        figures: dict[str, list[tuple[float, float]]] = {target.name: [] for target in targets}
        for _ in range(ROUNDS):
            for target in targets:
                async with bench.peer(target.name, target.argv, target.env, target.cwd) as server:
                    await server.initialize()
                    await server.request("tools/list", {})
                    figures[target.name].append(await measure(server, args.calls, args.concurrent, args.rounds))
    lines = [
        f"CPU time of the server process per {bench.CALL_TOOL} call (median of {ROUNDS} runs; µs)",
        "",
        f"| server | sequential ({args.calls} calls) | {args.concurrent} in flight ({args.rounds} rounds) |",
        "|---|---:|---:|",
    ]
    for name, runs in figures.items():
        sequential = statistics.median(run[0] for run in runs)
        in_flight = statistics.median(run[1] for run in runs)
        lines.append(f"| {name} | {sequential:.0f} | {in_flight:.0f} |")
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--concurrent", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--official", action="store_true")
    parser.add_argument("--baseline", action="append", default=[], help="another make-mcp checkout to measure")
    parser.add_argument("--variant", action="append", default=[], help="NAME=VALUE: our server with this set too")
    args = parser.parse_args(argv)
    print("\n".join(asyncio.run(run(args))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
