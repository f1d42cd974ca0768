"""The HTTP app's operations side: graceful shutdown of `make-mcp serve --transport http` on SIGTERM."""

from __future__ import annotations

import logging
import signal
import subprocess
import sys
import threading
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from typing import IO

import anyio
import httpx2
import mcp_types as types
import uvicorn
from mcp import Client
from mcp.client.streamable_http import streamable_http_client
from sse_starlette.sse import AppStatus, EventSourceResponse
from starlette.types import Receive, Scope, Send

from make_mcp.server.http.serve import AnswersInFlight, GracefulServer
from make_mcp.server.sandbox import SANDBOX_TOKEN, create_sandbox_app, demo_state
from tests.server.test_cli import server_env
from tests.server.test_remote_auth import free_socket


class GatedMake:
    """The sandbox, holding each request for data stores until the test lets it through."""

    def __init__(self) -> None:
        self.app = create_sandbox_app(demo_state())
        self.arrived = threading.Event()
        self.release = threading.Event()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"].endswith("/data-stores"):
            self.arrived.set()
            await anyio.to_thread.run_sync(self.release.wait)
        await self.app(scope, receive, send)


def serve_gated(gate: GatedMake) -> Iterator[str]:
    sock = free_socket()
    server = uvicorn.Server(uvicorn.Config(gate, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        gate.release.set()
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


def wait_for_line(stream: IO[str], words: str, seen: list[str]) -> None:
    for line in stream:
        seen.append(line)
        if words in line:
            return
    raise AssertionError(f"the server never said {words!r}: {''.join(seen)[-2000:]}")


@contextmanager
def make_mcp_process(zone: str, shutdown_timeout: str) -> Iterator[tuple[subprocess.Popen[str], str, list[str]]]:
    """`make-mcp serve --transport http` in its own process; yields it, its /mcp address and its stderr lines."""
    with free_socket() as probe:
        port = probe.getsockname()[1]
    env = server_env(
        MAKE_ZONE=zone, MAKE_ALLOW_CUSTOM_ZONE="1", MAKE_LOG_LEVEL="INFO", MAKE_HTTP_SHUTDOWN_TIMEOUT=shutdown_timeout
    )
    command = [sys.executable, "-m", "make_mcp.server.cli.main", "serve", "--transport", "http", "--port", str(port)]
    process = subprocess.Popen(
        command, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    said: list[str] = []
    try:
        assert process.stderr is not None
        wait_for_line(process.stderr, "running on", said)
        yield process, f"http://127.0.0.1:{port}/mcp", said
    finally:
        if process.poll() is None:
            process.kill()
        process.communicate(timeout=10)


async def call_during_sigterm(
    process: subprocess.Popen[str], url: str, said: list[str], gate: GatedMake, *, release: bool
) -> list[types.CallToolResult | BaseException]:
    """Starts a call, sends SIGTERM while Make holds it, and (if `release`) lets Make answer once shutdown began."""
    assert process.stderr is not None
    stderr = process.stderr
    results: list[types.CallToolResult | BaseException] = []
    async with (
        httpx2.AsyncClient(headers={"Authorization": f"Token {SANDBOX_TOKEN}"}, timeout=30) as http,
        Client(streamable_http_client(url, http_client=http), mode="legacy") as client,
    ):
        await client.list_tools()  # the client checks results against the listing: it asks for it now

        async def call() -> None:
            try:
                results.append(await client.call_tool("data-stores_list", {"teamId": 201}))
            except Exception as error:  # the connection closed under it
                results.append(error)

        async with anyio.create_task_group() as tasks:
            tasks.start_soon(call)
            await anyio.to_thread.run_sync(gate.arrived.wait)  # the call is now waiting for Make
            process.send_signal(signal.SIGTERM)
            await anyio.to_thread.run_sync(wait_for_line, stderr, "Shutting down", said)
            if release:
                gate.release.set()
    return results


async def test_sigterm_lets_the_call_in_flight_finish_then_the_server_exits() -> None:
    gate = GatedMake()
    zones = serve_gated(gate)
    with make_mcp_process(next(zones), "20") as (process, url, said):
        results = await call_during_sigterm(process, url, said, gate, release=True)
        exit_code = process.wait(timeout=20)
    next(zones, None)
    assert isinstance(results[0], types.CallToolResult) and not results[0].is_error, results
    assert exit_code == -signal.SIGTERM  # uvicorn re-raises the signal once its graceful shutdown is done


async def test_sigterm_ends_a_call_that_outlasts_the_shutdown_bound() -> None:
    gate = GatedMake()
    zones = serve_gated(gate)
    with make_mcp_process(next(zones), "1") as (process, url, said):
        started = time.monotonic()
        with anyio.fail_after(30):
            await call_during_sigterm(process, url, said, gate, release=False)
        process.wait(timeout=20)
        took = time.monotonic() - started
    next(zones, None)
    assert took < 15  # the bound (1 s) held, not the call's own deadline (55 s)


class HeldAnswer:
    """An ASGI app answering POST with one SSE event once the test releases it, and GET with an endless stream."""

    def __init__(self) -> None:
        self.arrived = threading.Event()
        self.release = threading.Event()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        if scope["method"] == "GET":
            response = EventSourceResponse(self.forever())
        else:
            response = EventSourceResponse(self.answer())
        await response(scope, receive, send)

    async def answer(self) -> AsyncIterator[dict[str, str]]:
        self.arrived.set()
        await anyio.to_thread.run_sync(self.release.wait)
        yield {"data": "the answer"}

    async def forever(self) -> AsyncIterator[dict[str, str]]:
        yield {"data": "open"}
        await anyio.Event().wait()


class SaidShuttingDown(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.said = threading.Event()

    def emit(self, record: logging.LogRecord) -> None:
        if "Shutting down" in record.getMessage():
            self.said.set()


async def read_until_closed(stream: httpx2.Response) -> bytes:
    read = b""
    try:
        async for chunk in stream.aiter_bytes():
            read += chunk
    except httpx2.RemoteProtocolError:
        pass  # sse-starlette ends a stream on exit without the chunked body's last chunk
    return read


@contextmanager
def graceful_server(app: HeldAnswer) -> Iterator[tuple[GracefulServer, str, threading.Thread]]:
    AppStatus.disable_automatic_graceful_drain()  # what serve_http does
    sock = free_socket()
    answers = AnswersInFlight(app)
    server = GracefulServer(uvicorn.Config(answers, log_config=None, log_level="info", lifespan="off"), answers)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        yield server, f"http://127.0.0.1:{sock.getsockname()[1]}", thread
    finally:
        app.release.set()
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
        AppStatus.should_exit = False  # process-wide: other tests in this worker stream on
        AppStatus.enable_automatic_graceful_drain_mode()


async def test_on_exit_an_answer_in_flight_is_sent_in_full_and_only_then_do_event_streams_end() -> None:
    app = HeldAnswer()
    shutting_down = SaidShuttingDown()
    logging.getLogger("uvicorn.error").addHandler(shutting_down)
    try:
        with graceful_server(app) as (server, url, thread):
            async with (
                httpx2.AsyncClient(timeout=30) as http,
                http.stream("GET", url) as stream,
                http.stream("POST", url) as answer,
            ):
                await anyio.to_thread.run_sync(app.arrived.wait)
                server.handle_exit(signal.SIGTERM, None)  # what uvicorn's signal handler calls
                await anyio.to_thread.run_sync(shutting_down.said.wait)
                assert not AppStatus.should_exit  # the event streams wait for the answer in flight
                app.release.set()
                body = await answer.aread()
                streamed = await read_until_closed(stream)  # the server ends it once every answer is out
            await anyio.to_thread.run_sync(thread.join, 10)
    finally:
        logging.getLogger("uvicorn.error").removeHandler(shutting_down)
    assert b"data: the answer" in body
    assert b"data: open" in streamed
    assert not thread.is_alive()


def test_once_started_the_server_keeps_what_start_up_made_out_of_collections_which_come_less_often() -> None:
    import gc

    from make_mcp.server.http.serve import collect_less
    from make_mcp.server.support.collection import GC_THRESHOLDS

    thresholds = gc.get_threshold()
    started_with = [object() for _ in range(10)]
    try:
        collect_less()
        assert gc.get_threshold() == GC_THRESHOLDS
        assert gc.get_freeze_count() >= len(started_with)
    finally:
        gc.unfreeze()
        gc.set_threshold(*thresholds)
