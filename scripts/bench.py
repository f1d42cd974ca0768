"""Benchmark of the MCP server over stdio against the sandbox Make API on loopback.

Measures start-up, tools/list size (bytes and cl100k tokens) per listing mode, per-call latency and
throughput of a cheap read tool next to a direct HTTP floor, and the server's peak memory. With
--official, the same for Make's official tool set (npm @makehq/sdk) served by scripts/official_make_mcp.mjs.
Start-ups are interleaved (one of each server, then again), so a change in the machine's load falls on all
servers alike; the report gives each median and its ratio to the official tool set's. make-mcp starts twice
over: with an account configuration (the sandbox on loopback, as the official's) and with its built-in sandbox. Calls are interleaved
too: a block of sequential calls on each path in turn (every server and the floor), and so on.

    .venv/bin/python scripts/bench.py [--quick] [--official] [--baseline ../main] [--json FILE]
    .venv/bin/python scripts/bench.py --startup-only [--official] [--baseline ../main] [--startups 15]

--startup-only measures start-up alone; --baseline DIR adds another make-mcp checkout (its own .venv's
Python when it has one) to the start-ups and the calls, to compare a change with the code before it in one run.

Prints a Markdown report to stdout. Everything it talks to is on 127.0.0.1 (only --official's npm
install reaches the npm registry); every loop is bounded in count and the whole run by --deadline.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import math
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import httpx2

from make_mcp.server.sandbox import SANDBOX_TOKEN

ROOT = Path(__file__).resolve().parents[1]

HOST = "127.0.0.1"
PROTOCOL_VERSION = "2025-11-25"  # a handshake version both our server and the official TypeScript SDK speak
CALL_TOOL = "hooks_get"  # one GET /hooks/{hookId} in both tool sets, and in make-mcp's default listing
CALL_ARGUMENTS = {"hookId": 801}
FLOOR_PATH = "/hooks/801"
REQUEST_TIMEOUT = 60.0  # seconds for any single request or start-up
FRAME_LIMIT = 64 * 1024 * 1024  # longest stdout line accepted from a server (tools/list is one line)
OFFICIAL_PACKAGES = ("@makehq/sdk@1.6.10", "@modelcontextprotocol/sdk@1.32.2")
OFFICIAL_SCRIPT = ROOT / "scripts" / "official_make_mcp.mjs"
MODEL_VISIBLE = ("name", "description", "inputSchema")
OFFICIAL_NAME = "official (@makehq/sdk)"
PYCACHE = Path(tempfile.gettempdir()) / "make-mcp-bench-pycache"
BUILT_IN_SANDBOX = "built-in sandbox"  # the start-up without an account: MAKE_SANDBOX, in the server's own process

# Listing modes measured over the wire; each is the shipped default configuration plus these settings.
LISTINGS: tuple[tuple[str, dict[str, str]], ...] = (
    ("default (core mode, default toolsets)", {}),
    ("full mode, default toolsets", {"MAKE_TOOL_MODE": "full"}),
    (
        "full mode, all toolsets (MAKE_TOOLSETS=all): the full catalogue",
        {"MAKE_TOOL_MODE": "full", "MAKE_TOOLSETS": "all"},
    ),
    ("full mode, read-only, default toolsets", {"MAKE_TOOL_MODE": "full", "MAKE_READ_ONLY": "1"}),
    ("discovery mode", {"MAKE_TOOL_MODE": "discovery"}),
)


@dataclass(frozen=True)
class Counts:
    startups: int
    calls: int
    concurrent: int
    rounds: int
    warmup: int


FULL = Counts(startups=5, calls=500, concurrent=50, rounds=5, warmup=20)
QUICK = Counts(startups=2, calls=20, concurrent=10, rounds=2, warmup=3)


@dataclass
class Listing:
    name: str
    tools: int
    bytes: int  # the whole tools/list response as the server wrote it
    tokens: int
    visible_bytes: int  # only what clients hand to the model: each tool's name, description and inputSchema
    visible_tokens: int


@dataclass
class Latency:
    name: str
    calls: int
    median_ms: float
    p99_ms: float


@dataclass
class Throughput:
    name: str
    concurrent: int
    rounds: int
    calls_per_s: float  # median over the rounds


@dataclass
class Startup:
    name: str
    runs: int
    initialize_ms: float  # median, spawn -> initialize answered
    tools_list_ms: float  # median, spawn -> first tools/list answered
    official_ratio: str = ""  # "3.9x / 3.7x": initialize / tools/list medians over the official tool set's


@dataclass
class Memory:
    name: str
    peak_rss_mib: float


@dataclass
class Results:
    machine: dict[str, Any]
    counts: dict[str, int]
    startup: list[Startup] = field(default_factory=list[Startup])
    listings: list[Listing] = field(default_factory=list[Listing])
    latency: list[Latency] = field(default_factory=list[Latency])
    throughput: list[Throughput] = field(default_factory=list[Throughput])
    memory: list[Memory] = field(default_factory=list[Memory])
    catalogue: str = ""
    official: str = "not measured (run with --official)"


# --- a minimal JSON-RPC client over a server's stdio: exact bytes, nothing between us and the server ---


class BenchError(Exception):
    pass


class StdioPeer:
    """One MCP server subprocess, spoken to with newline-delimited JSON-RPC."""

    def __init__(self, name: str, process: asyncio.subprocess.Process, stderr_path: Path) -> None:
        self.name = name
        self.process = process
        self.stderr_path = stderr_path
        self._next_id = 0
        self._waiting: dict[int, asyncio.Future[tuple[dict[str, Any], bytes]]] = {}
        self._reader = asyncio.create_task(self._read())

    @classmethod
    async def spawn(cls, name: str, argv: Sequence[str], env: Mapping[str, str], cwd: Path) -> StdioPeer:
        stderr_file = tempfile.NamedTemporaryFile(prefix="make-mcp-bench-", suffix=".stderr", delete=False)  # noqa: SIM115
        with stderr_file:
            process = await asyncio.create_subprocess_exec(
                *argv,
                stdin=asyncio.subprocess.PIPE,
                stdout=asyncio.subprocess.PIPE,
                stderr=stderr_file,
                env=dict(env),
                cwd=cwd,
                limit=FRAME_LIMIT,
            )
        return cls(name, process, Path(stderr_file.name))

    async def _read(self) -> None:
        assert self.process.stdout is not None
        problem = "closed its stdout"
        try:
            while line := await self.process.stdout.readline():
                frame = line.rstrip(b"\r\n")
                message = json.loads(frame)
                key = message.get("id") if isinstance(message, dict) else None
                future = self._waiting.pop(key, None) if isinstance(key, int) else None
                if future is not None and not future.done():
                    future.set_result((message, frame))
        except (ValueError, OSError) as error:  # not JSON, or a line over FRAME_LIMIT
            problem = f"wrote something unreadable on stdout ({type(error).__name__})"
        finally:
            for future in self._waiting.values():
                if not future.done():
                    future.set_exception(BenchError(f"{self.name} {problem}"))
            self._waiting.clear()

    def _write(self, message: dict[str, Any]) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(json.dumps(message, separators=(",", ":")).encode() + b"\n")

    def send(self, method: str, params: dict[str, Any]) -> asyncio.Future[tuple[dict[str, Any], bytes]]:
        """Writes one request; the future gives the response and its frame exactly as the server wrote it."""
        self._next_id += 1
        future: asyncio.Future[tuple[dict[str, Any], bytes]] = asyncio.get_running_loop().create_future()
        self._waiting[self._next_id] = future
        self._write({"jsonrpc": "2.0", "id": self._next_id, "method": method, "params": params})
        return future

    async def request(self, method: str, params: dict[str, Any]) -> tuple[dict[str, Any], bytes]:
        future = self.send(method, params)
        assert self.process.stdin is not None
        await self.process.stdin.drain()
        async with asyncio.timeout(REQUEST_TIMEOUT):
            message, frame = await future
        if "error" in message:
            raise BenchError(f"{self.name}: {method} failed: {message['error']}")
        return message["result"], frame

    async def initialize(self) -> None:
        params = {
            "protocolVersion": PROTOCOL_VERSION,
            "capabilities": {},
            "clientInfo": {"name": "make-mcp-bench", "version": "1"},
        }
        await self.request("initialize", params)
        self._write({"jsonrpc": "2.0", "method": "notifications/initialized"})

    def peak_rss_mib(self) -> float:
        """VmHWM of the server process: the most resident memory it has had so far."""
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        raise BenchError("no VmHWM in /proc status")

    def stderr_tail(self) -> str:
        try:
            return self.stderr_path.read_text(errors="replace")[-2000:].strip()
        except OSError:
            return ""

    async def close(self) -> None:
        if self.process.stdin is not None and not self.process.stdin.is_closing():
            self.process.stdin.close()
        await stop_process(self.process)
        self._reader.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await self._reader
        with contextlib.suppress(OSError):
            self.stderr_path.unlink()


async def stop_process(process: asyncio.subprocess.Process, grace: float = 5.0) -> None:
    """Waits for a process to end, then asks it (SIGTERM), then makes it (SIGKILL)."""
    for action in (None, process.terminate, process.kill):
        if process.returncode is not None:
            return
        if action is not None:
            with contextlib.suppress(ProcessLookupError):
                action()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(process.wait(), grace)


@contextlib.asynccontextmanager
async def peer(name: str, argv: Sequence[str], env: Mapping[str, str], cwd: Path) -> AsyncIterator[StdioPeer]:
    server = await StdioPeer.spawn(name, argv, env, cwd)
    try:
        yield server
    except BenchError:
        tail = server.stderr_tail()
        if tail:
            sys.stderr.write(f"--- {name} stderr ---\n{tail}\n")
        raise
    finally:
        await server.close()


# --- the servers under test ---


@dataclass(frozen=True)
class ServerUnderTest:
    name: str
    argv: tuple[str, ...]
    env: dict[str, str]
    cwd: Path


def clean_env() -> dict[str, str]:
    """The environment without MAKE_* settings; Python keeps byte-code, as an installed package has it, in a
    cache of the benchmark's own (PYTHONPYCACHEPREFIX), so no checkout is written to."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("MAKE_")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(PYCACHE)
    return env


def ours(zone: str, *, for_calls: bool, **settings: str) -> ServerUnderTest:
    env = clean_env()
    env.update(MAKE_API_KEY=SANDBOX_TOKEN, MAKE_ZONE=zone, MAKE_ALLOW_CUSTOM_ZONE="1", MAKE_RATE_LIMIT="0")
    if for_calls:
        env["MAKE_CONFIRM_DESTRUCTIVE"] = "0"
    # The catalogue alone, comparable with the official tool set (scripts/bench_scenario_tools.py: scenario tools).
    env["MAKE_SCENARIO_TOOLS"] = "off"
    env.update(settings)
    return ServerUnderTest("make-mcp", (sys.executable, "-m", "make_mcp.server.cli.main", "serve"), env, ROOT)


def ours_sandboxed() -> ServerUnderTest:
    """make-mcp serving its built-in sandbox (MAKE_SANDBOX, no account), in its own process; otherwise as `ours`."""
    env = clean_env()
    env.update(MAKE_SANDBOX="1", MAKE_RATE_LIMIT="0", MAKE_CONFIRM_DESTRUCTIVE="0", MAKE_SCENARIO_TOOLS="off")
    argv = (sys.executable, "-m", "make_mcp.server.cli.main", "serve")
    return ServerUnderTest(f"make-mcp, {BUILT_IN_SANDBOX}", argv, env, ROOT)


def startup_targets(zone: str, baselines: Sequence[Path]) -> list[ServerUnderTest]:
    """make-mcp with an account configuration (the sandbox on loopback) and with its built-in sandbox; the
    same two for each baseline checkout."""
    return [
        ours(zone, for_calls=True),
        ours_sandboxed(),
        *(server for path in baselines for server in (baseline(zone, path), baseline_sandboxed(path))),
    ]


def baseline(zone: str, checkout: Path) -> ServerUnderTest:
    """make-mcp of another checkout, as `ours` starts it, with that checkout's .venv Python when it has one."""
    return ServerUnderTest(f"make-mcp at {checkout}", baseline_argv(checkout), ours(zone, for_calls=True).env, checkout)


def baseline_sandboxed(checkout: Path) -> ServerUnderTest:
    """make-mcp of another checkout, as `ours_sandboxed` starts it."""
    name = f"make-mcp at {checkout}, {BUILT_IN_SANDBOX}"
    return ServerUnderTest(name, baseline_argv(checkout), ours_sandboxed().env, checkout)


def baseline_argv(checkout: Path) -> tuple[str, ...]:
    python = checkout / ".venv" / "bin" / "python"
    return (str(python) if python.exists() else sys.executable, "-m", cli_module(checkout) or "server.cli", "serve")


def cli_module(checkout: Path) -> str | None:
    """The command line's module in a make-mcp checkout: layered (make_mcp.server.cli.main) or from before the
    layers (server.cli, run from the checkout); None when `checkout` is no make-mcp checkout."""
    if (checkout / "server" / "cli" / "main.py").is_file():
        return "make_mcp.server.cli.main"
    return "server.cli" if (checkout / "server" / "cli.py").is_file() else None


def official(zone: str, directory: Path) -> ServerUnderTest:
    env = clean_env()
    env.update(MAKE_API_KEY=SANDBOX_TOKEN, MAKE_ZONE=zone)
    node = shutil.which("node") or "node"
    return ServerUnderTest(OFFICIAL_NAME, (node, str(directory / OFFICIAL_SCRIPT.name)), env, directory)


def install_official(directory: Path) -> str:
    """npm-installs the official packages into `directory` (once) beside a copy of our serving script."""
    npm = shutil.which("npm")
    if npm is None or shutil.which("node") is None:
        raise BenchError("node and npm are needed for --official")
    directory.mkdir(parents=True, exist_ok=True)
    manifest = directory / "package.json"
    wanted = {name: version for name, _, version in (spec.rpartition("@") for spec in OFFICIAL_PACKAGES)}
    installed = json.loads(manifest.read_text()).get("dependencies", {}) if manifest.exists() else {}
    if installed != wanted or not (directory / "node_modules").is_dir():
        manifest.write_text(json.dumps({"private": True, "type": "module", "dependencies": {}}) + "\n")
        sys.stderr.write(f"bench: npm install {' '.join(OFFICIAL_PACKAGES)} into {directory}\n")
        subprocess.run(
            [npm, "install", "--no-audit", "--no-fund", "--save-exact", *OFFICIAL_PACKAGES],
            cwd=directory,
            check=True,
            timeout=600,
            stdin=subprocess.DEVNULL,
            stdout=sys.stderr,
        )
    # Node resolves the script's imports next to the script, so the script runs from that directory.
    shutil.copyfile(OFFICIAL_SCRIPT, directory / OFFICIAL_SCRIPT.name)
    return ", ".join(OFFICIAL_PACKAGES)


# --- the sandbox Make API on loopback, in a process of its own ---


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


@contextlib.asynccontextmanager
async def sandbox() -> AsyncIterator[str]:
    """`make-mcp sandbox` on a free loopback port; yields its zone (http://127.0.0.1:PORT)."""
    port = free_port()
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "make_mcp.server.cli.main",
        "sandbox",
        "--host",
        HOST,
        "--port",
        str(port),
        cwd=ROOT,
        env=clean_env(),
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )
    zone = f"http://{HOST}:{port}"
    try:
        async with direct_client(zone) as client:
            deadline = time.monotonic() + REQUEST_TIMEOUT
            while True:
                if process.returncode is not None:
                    raise BenchError(f"the sandbox exited with {process.returncode}")
                with contextlib.suppress(httpx2.TransportError):
                    if (await client.get(FLOOR_PATH)).status_code == 200:
                        break
                if time.monotonic() > deadline:
                    raise BenchError("the sandbox did not answer within its start-up time")
                await asyncio.sleep(0.1)
        yield zone
    finally:
        with contextlib.suppress(ProcessLookupError):
            process.terminate()
        await stop_process(process)


def direct_client(zone: str) -> httpx2.AsyncClient:
    return httpx2.AsyncClient(
        base_url=f"{zone}/api/v2", headers={"Authorization": f"Token {SANDBOX_TOKEN}"}, timeout=REQUEST_TIMEOUT
    )


# --- measurements ---


def percentile(values: Sequence[float], pct: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(pct / 100 * len(ordered)) - 1)]


def latency(name: str, seconds: Sequence[float]) -> Latency:
    return Latency(name, len(seconds), statistics.median(seconds) * 1000, percentile(seconds, 99) * 1000)


def check_call(result: dict[str, Any], who: str) -> None:
    if result.get("isError"):
        raise BenchError(f"{who}: {CALL_TOOL} answered with an error: {json.dumps(result)[:500]}")


async def start_once(target: ServerUnderTest) -> tuple[float, float]:
    """Seconds from spawn to initialize answered, and to the first tools/list answered."""
    started = time.perf_counter()
    async with peer(target.name, target.argv, target.env, target.cwd) as server:
        await server.initialize()
        initialized = time.perf_counter() - started
        await server.request("tools/list", {})
        return initialized, time.perf_counter() - started


async def measure_startups(targets: Sequence[ServerUnderTest], runs: int) -> list[Startup]:
    """Each target's start-up medians over `runs`, the targets' runs interleaved: one start of each, again.
    One start of each comes first and is not counted (it fills the byte-code and disk caches)."""
    for target in targets:
        await start_once(target)
    times: dict[str, list[tuple[float, float]]] = {target.name: [] for target in targets}
    for _ in range(runs):
        for target in targets:
            times[target.name].append(await start_once(target))
    startups = [
        Startup(
            name,
            runs,
            statistics.median(initialized for initialized, _ in seconds) * 1000,
            statistics.median(listed for _, listed in seconds) * 1000,
        )
        for name, seconds in times.items()
    ]
    official = next((startup for startup in startups if startup.name == OFFICIAL_NAME), None)
    if official is not None:
        for startup in startups:
            startup.official_ratio = (
                f"{startup.initialize_ms / official.initialize_ms:.2f}x / "
                f"{startup.tools_list_ms / official.tools_list_ms:.2f}x"
            )
    return startups


async def measure_listing(
    name: str, target: ServerUnderTest, count_tokens: Callable[[str], int]
) -> tuple[Listing, set[str]]:
    async with peer(target.name, target.argv, target.env, target.cwd) as server:
        await server.initialize()
        result, frame = await server.request("tools/list", {})
    names = {tool["name"] for tool in result["tools"]}
    visible = model_visible(result["tools"])
    listing = Listing(
        name, len(names), len(frame), count_tokens(frame.decode()), len(visible.encode()), count_tokens(visible)
    )
    return listing, names


def model_visible(tools: Sequence[Mapping[str, Any]]) -> str:
    """The part of a listing clients pass to the model, the same way for every server: compact JSON of each
    tool's name, description and inputSchema (no title, annotations, outputSchema or _meta)."""
    kept = [{key: tool[key] for key in MODEL_VISIBLE if key in tool} for tool in tools]
    return json.dumps(kept, separators=(",", ":"), ensure_ascii=False)


def catalogue_note(listed: set[str]) -> str:
    """Whether the all-toolsets listing is the whole catalogue (it is when the token has every scope)."""
    from make_mcp.tools.registry import ALL_OPERATIONS

    every = {op.name for op in ALL_OPERATIONS}
    if listed == every:
        return f"The catalogue has {len(every)} operations; the sandbox token has every scope, so all toolsets list all of them."
    return f"The catalogue has {len(every)} operations; all toolsets list {len(listed & every)} of them."


@dataclass(frozen=True)
class CallPath:
    """One way to make the measured call: a server over stdio, or the direct HTTP floor."""

    name: str
    one: Callable[[], Awaitable[None]]  # one call, start to answer
    burst: Callable[[int], Awaitable[None]]  # that many calls at once


async def stdio_path(target: ServerUnderTest, stack: contextlib.AsyncExitStack, results: Results) -> CallPath:
    """A started server, initialized and listing CALL_TOOL; its peak memory is noted when the stack closes."""
    arguments = {"name": CALL_TOOL, "arguments": CALL_ARGUMENTS}
    server = await stack.enter_async_context(peer(target.name, target.argv, target.env, target.cwd))
    stack.callback(
        lambda: results.memory.append(Memory(f"{target.name} server after the calls", server.peak_rss_mib()))
    )
    await server.initialize()
    tools, _ = await server.request("tools/list", {})
    if CALL_TOOL not in {tool["name"] for tool in tools["tools"]}:
        raise BenchError(f"{target.name} does not list {CALL_TOOL}")

    async def one() -> None:
        result, _ = await server.request("tools/call", arguments)
        check_call(result, target.name)

    async def burst(count: int) -> None:
        assert server.process.stdin is not None
        futures = [server.send("tools/call", arguments) for _ in range(count)]
        await server.process.stdin.drain()
        async with asyncio.timeout(REQUEST_TIMEOUT):
            answers = await asyncio.gather(*futures)
        for message, _ in answers:
            check_call(message.get("result", {"isError": True, "error": message.get("error")}), target.name)

    return CallPath(f"{target.name} over stdio, {CALL_TOOL}", one, burst)


async def floor_path(zone: str, stack: contextlib.AsyncExitStack) -> CallPath:
    client = await stack.enter_async_context(direct_client(zone))

    async def one() -> None:
        response = await client.get(FLOOR_PATH)
        if response.status_code != 200:
            raise BenchError(f"the sandbox answered {response.status_code} to GET {FLOOR_PATH}")
        response.json()

    async def burst(count: int) -> None:
        async with asyncio.timeout(REQUEST_TIMEOUT):
            await asyncio.gather(*(one() for _ in range(count)))

    return CallPath(f"floor: direct httpx2 GET {FLOOR_PATH}", one, burst)


async def measure_calls(paths: Sequence[CallPath], counts: Counts) -> tuple[list[Latency], list[Throughput]]:
    """Each path's per-call latency and throughput, the paths interleaved: a block of sequential calls (a tenth
    of them) on each path in turn, then the next block; a round of concurrent calls on each in turn, again. A
    change in the machine's load then falls on every path alike."""
    for path in paths:
        for _ in range(counts.warmup):
            await path.one()
    seconds: dict[str, list[float]] = {path.name: [] for path in paths}
    blocks = min(10, counts.calls)
    for block in range(blocks):
        for path in paths:
            for _ in range(counts.calls // blocks + (block < counts.calls % blocks)):
                started = time.perf_counter()
                await path.one()
                seconds[path.name].append(time.perf_counter() - started)
    rates: dict[str, list[float]] = {path.name: [] for path in paths}
    for _ in range(counts.rounds):
        for path in paths:
            started = time.perf_counter()
            await path.burst(counts.concurrent)
            rates[path.name].append(counts.concurrent / (time.perf_counter() - started))
    latencies = [latency(path.name, seconds[path.name]) for path in paths]
    throughputs = [
        Throughput(path.name, counts.concurrent, counts.rounds, statistics.median(rates[path.name])) for path in paths
    ]
    return latencies, throughputs


async def run(counts: Counts, with_official: bool, official_dir: Path, baselines: Sequence[Path]) -> Results:
    import bpe_openai

    encoding = bpe_openai.get_encoding("cl100k_base")

    def count_tokens(text: str) -> int:
        return len(encoding.encode(text))

    results = Results(machine=machine(), counts=asdict(counts))
    async with sandbox() as zone:
        call_servers = [ours(zone, for_calls=True), *(baseline(zone, path) for path in baselines)]
        official_server = await install_for_bench(zone, official_dir, results) if with_official else None
        starting = startup_targets(zone, baselines)
        if official_server is not None:
            starting.append(official_server)
        results.startup += await measure_startups(starting, counts.startups)
        for name, settings in LISTINGS:
            measured, names = await measure_listing(name, ours(zone, for_calls=False, **settings), count_tokens)
            results.listings.append(measured)
            if settings.get("MAKE_TOOLSETS") == "all":
                results.catalogue = catalogue_note(names)
        if official_server is not None:
            try:
                listed, _ = await measure_listing("official tool set (MakeTools)", official_server, count_tokens)
                results.listings.append(listed)
            except (BenchError, OSError, subprocess.SubprocessError) as error:
                results.official = f"not measured: {error}"
                official_server = None
        async with contextlib.AsyncExitStack() as stack:
            paths = [await stdio_path(target, stack, results) for target in call_servers]
            paths.append(await floor_path(zone, stack))
            if official_server is not None:
                paths.append(await stdio_path(official_server, stack, results))
            results.latency, results.throughput = await measure_calls(paths, counts)
    results.machine["load_after"] = os.getloadavg()[0]
    return results


async def run_startups(counts: Counts, with_official: bool, official_dir: Path, baselines: Sequence[Path]) -> Results:
    """Start-up alone: this checkout, each baseline checkout and (with_official) the official tool set."""
    results = Results(machine=machine(), counts=asdict(counts))
    async with sandbox() as zone:
        targets = startup_targets(zone, baselines)
        official_server = await install_for_bench(zone, official_dir, results) if with_official else None
        if official_server is not None:
            targets.append(official_server)
        results.startup += await measure_startups(targets, counts.startups)
    results.machine["load_after"] = os.getloadavg()[0]
    return results


async def install_for_bench(zone: str, directory: Path, results: Results) -> ServerUnderTest | None:
    """The official tool set, installed; None (and the reason in the report) when it cannot be."""
    try:
        versions = await asyncio.to_thread(install_official, directory)
    except (BenchError, OSError, subprocess.SubprocessError) as error:
        results.official = f"not measured: {error}"
        return None
    results.official = f"measured: {versions}, served by scripts/official_make_mcp.mjs"
    return official(zone, directory)


def overhead(results: Results) -> str:
    """How much a call over stdio costs beyond the bare HTTP round trip, at the median."""
    floor = next((x for x in results.latency if x.name.startswith("floor")), None)
    if floor is None:
        return ""
    parts = [
        f"{x.name.split(' over ')[0]} adds {x.median_ms - floor.median_ms:.2f} ms"
        for x in results.latency
        if x is not floor
    ]
    return "Median over the floor: " + "; ".join(parts) + "."


def machine() -> dict[str, Any]:
    model = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return {
        "cores": os.cpu_count(),
        "cpu": model,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "date": time.strftime("%Y-%m-%d"),
        "load_before": os.getloadavg()[0],  # other work on the machine skews every figure
    }


# --- the report ---


def machine_line(results: Results) -> str:
    m = results.machine
    return (
        f"Machine: {m['cores']} cores ({m['cpu'] or 'cpu unknown'}), Python {m['python']}, {m['platform']}, "
        f"{m['date']}; 1-minute load average {m['load_before']:.2f} before, {m.get('load_after', 0.0):.2f} after."
    )


def startup_lines(results: Results) -> list[str]:
    return [
        "## Start-up",
        "",
        "Runs interleaved: one start of each server, then again, after one uncounted start of each (byte-code "
        "and disk caches filled, as for an installed package). Medians. make-mcp twice: with an account "
        "configuration (MAKE_API_KEY and MAKE_ZONE of the sandbox on loopback, as the official tool set is "
        f"started) and with its {BUILT_IN_SANDBOX} (MAKE_SANDBOX, no account); scenario tools off in both.",
        "",
        "| server | spawn to initialize answered (ms) | spawn to first tools/list answered (ms) "
        "| over the official's (initialize / tools/list) | runs |",
        "|---|---:|---:|---:|---:|",
        *(
            f"| {s.name} | {s.initialize_ms:.0f} | {s.tools_list_ms:.0f} | {s.official_ratio or '-'} | {s.runs} |"
            for s in results.startup
        ),
        "",
    ]


def startup_report(results: Results) -> str:
    lines = [
        "# make-mcp start-up",
        "",
        machine_line(results),
        "Sandbox Make API on 127.0.0.1 in its own process.",
        "",
        *startup_lines(results),
        "Official tool set: " + results.official,
        "",
    ]
    return "\n".join(lines)


def report(results: Results) -> str:
    c = results.counts
    lines = [
        "# make-mcp benchmark",
        "",
        machine_line(results),
        f"Counts: {c['startups']} start-ups, {c['calls']} sequential calls after {c['warmup']} warm-up calls, "
        f"{c['rounds']} rounds of {c['concurrent']} concurrent calls. Sandbox Make API on 127.0.0.1 in its own process.",
        "",
        *startup_lines(results),
        "## tools/list size",
        "",
        "Whole: bytes of the JSON-RPC response as the server wrote it; tokens are cl100k_base tokens of the same "
        "text. Model-visible: compact JSON of each tool's name, description and inputSchema only, what clients "
        "pass to the model, computed the same way for every server. Shipped defaults (confirmation on) plus the "
        "setting named. " + results.catalogue,
        "",
        "| listing | tools | whole: bytes | whole: cl100k tokens | model-visible: bytes | model-visible: tokens |",
        "|---|---:|---:|---:|---:|---:|",
        *(
            f"| {x.name} | {x.tools} | {x.bytes:,} | {x.tokens:,} | {x.visible_bytes:,} | {x.visible_tokens:,} |"
            for x in results.listings
        ),
        "",
        "## Per-call latency",
        "",
        f"`{CALL_TOOL}` with `{json.dumps(CALL_ARGUMENTS)}`, one call at a time on one session.",
        "",
        "| path | calls | median ms | p99 ms |",
        "|---|---:|---:|---:|",
        *(f"| {x.name} | {x.calls} | {x.median_ms:.2f} | {x.p99_ms:.2f} |" for x in results.latency),
        "",
        overhead(results),
        "",
        "## Throughput",
        "",
        "| path | concurrent | rounds | calls/s (median of rounds) |",
        "|---|---:|---:|---:|",
        *(f"| {x.name} | {x.concurrent} | {x.rounds} | {x.calls_per_s:.0f} |" for x in results.throughput),
        "",
        "## Peak memory",
        "",
        "| process | VmHWM MiB |",
        "|---|---:|",
        *(f"| {x.name} | {x.peak_rss_mib:.1f} |" for x in results.memory),
        "",
        "## Official tool set",
        "",
        results.official,
        "",
    ]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="small counts, for a smoke run")
    parser.add_argument("--official", action="store_true", help="also measure Make's official tool set (npm)")
    parser.add_argument("--startup-only", action="store_true", help="measure start-up only")
    parser.add_argument(
        "--baseline",
        type=Path,
        action="append",
        default=[],
        metavar="DIR",
        help="also measure the make-mcp checkout in DIR, interleaved with this one (repeatable)",
    )
    parser.add_argument("--official-dir", type=Path, default=Path(tempfile.gettempdir()) / "make-mcp-bench-official")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the figures as JSON")
    parser.add_argument("--deadline", type=float, default=1200.0, help="seconds the whole run may take")
    for name in ("startups", "calls", "concurrent", "rounds", "warmup"):
        parser.add_argument(f"--{name}", type=int, help=f"override the number of {name}")
    args = parser.parse_args(argv)
    base = QUICK if args.quick else FULL
    overrides = {name: getattr(args, name) for name in asdict(base) if getattr(args, name) is not None}
    if any(value < 1 for name, value in overrides.items() if name != "warmup"):
        parser.error("counts must be at least 1")
    counts = Counts(**{**asdict(base), **overrides})
    baselines = [path.resolve() for path in args.baseline]
    missing = [str(path) for path in baselines if cli_module(path) is None]
    if missing:
        parser.error(f"not a make-mcp checkout: {', '.join(missing)}")

    async def bounded() -> Results:
        async with asyncio.timeout(args.deadline):
            if args.startup_only:
                return await run_startups(counts, args.official, args.official_dir, baselines)
            return await run(counts, args.official, args.official_dir, baselines)

    try:
        results = asyncio.run(bounded())
    except TimeoutError:
        sys.stderr.write(f"bench: stopped after the {args.deadline:.0f} s deadline\n")
        return 1
    except BenchError as error:
        sys.stderr.write(f"bench: {error}\n")
        return 1
    sys.stdout.write(startup_report(results) if args.startup_only else report(results))
    if args.json is not None:
        args.json.write_text(json.dumps(asdict(results), indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
