"""The stdio transport over pipes: the same lines as the SDK's text stdin, and frames only on stdout."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from typing import Any

import pytest

from server.stdio import _MAX_QUEUED_LINES, _LineReader  # pyright: ignore[reportPrivateUsage]
from tests.conftest import LoopbackSandbox

CHUNKINGS: dict[str, list[bytes]] = {
    "one line per write": [b'{"a":1}\n', b'{"b":2}\n'],
    "lines split across writes": [b'{"a"', b':1}\n{"b":', b"2}\n"],
    "several lines in one write": [b'{"a":1}\n{"b":2}\n{"c":3}\n'],
    "CRLF endings": [b'{"a":1}\r\n{"b":2}\r\n'],
    "CR and LF of one ending in separate writes": [b'{"a":1}\r', b'\n{"b":2}\r', b"\n"],
    "a lone CR ends a line": [b'{"a":1}\r{"b":2}\n'],
    "empty lines": [b"\n\n", b'{"a":1}\n\n'],
    "a character split across writes": ['{"a":"é€"}\n'.encode()[:7], '{"a":"é€"}\n'.encode()[7:]],
    "bytes that are not UTF-8": [b'{"a":"\xff\xfe"}\n', b"\xc3"],
    "a last line without its newline": [b'{"a":1}\n{"b":2}'],
    "a line longer than any read buffer": [b'{"a":"' + b"x" * 200_000, b'"}\n'],
    "nothing at all": [],
}


class FakeTransport:
    def __init__(self) -> None:
        self.calls: list[str] = []

    def pause_reading(self) -> None:
        self.calls.append("pause")

    def resume_reading(self) -> None:
        self.calls.append("resume")


async def read_all(reader: _LineReader) -> list[str]:
    return [line async for line in reader]


def sdk_lines(data: bytes) -> list[str]:
    """What the SDK's stdin gives for the same bytes: a UTF-8 TextIOWrapper (errors replaced), line by line."""
    return list(io.TextIOWrapper(io.BytesIO(data), encoding="utf-8", errors="replace"))


@pytest.mark.parametrize("chunks", CHUNKINGS.values(), ids=CHUNKINGS.keys())
async def test_lines_read_from_a_pipe_are_exactly_those_the_sdk_stdin_reads(chunks: list[bytes]) -> None:
    reader = _LineReader()
    for chunk in chunks:
        reader.data_received(chunk)
    reader.eof_received()
    assert await read_all(reader) == sdk_lines(b"".join(chunks))


async def test_reading_stops_while_many_lines_wait_and_resumes_once_they_are_taken() -> None:
    reader = _LineReader()
    transport = FakeTransport()
    reader.connection_made(transport)  # pyright: ignore[reportArgumentType]
    reader.data_received(b"{}\n" * (_MAX_QUEUED_LINES + 10))
    assert transport.calls == ["pause"]
    lines = [await anext(reader) for _ in range(_MAX_QUEUED_LINES + 10)]
    assert lines == ["{}\n"] * (_MAX_QUEUED_LINES + 10)
    assert transport.calls == ["pause", "resume"]


async def test_a_lost_pipe_ends_the_lines_after_those_already_read() -> None:
    reader = _LineReader()
    reader.data_received(b'{"a":1}\n{"b"')
    reader.connection_lost(OSError("gone"))
    assert await read_all(reader) == ['{"a":1}\n', '{"b"']


def frame(message: dict[str, Any]) -> bytes:
    return json.dumps(message).encode() + b"\n"


def test_the_server_over_pipes_answers_split_and_crlf_frames_and_writes_only_frames_to_stdout(
    loopback_sandbox: LoopbackSandbox,
) -> None:
    env = {key: value for key, value in os.environ.items() if not key.startswith("MAKE_")}
    env.update(
        MAKE_API_KEY=loopback_sandbox.token,
        MAKE_ZONE=loopback_sandbox.url,
        MAKE_ALLOW_CUSTOM_ZONE="1",
        MAKE_RATE_LIMIT="0",
        MAKE_TOOLSETS="teams",
    )
    initialize = frame(
        {
            "jsonrpc": "2.0",
            "id": 1,
            "method": "initialize",
            "params": {
                "protocolVersion": "2025-11-25",
                "capabilities": {},
                "clientInfo": {"name": "t", "version": "1"},
            },
        }
    )
    with subprocess.Popen(
        [sys.executable, "-m", "server.cli", "serve"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=env,
    ) as process:
        assert process.stdin is not None and process.stdout is not None
        process.stdin.write(initialize[:40])
        process.stdin.flush()
        process.stdin.write(initialize[40:-1] + b"\r\n")
        process.stdin.flush()
        answers = [json.loads(process.stdout.readline())]
        process.stdin.write(frame({"jsonrpc": "2.0", "method": "notifications/initialized"}))
        process.stdin.write(frame({"jsonrpc": "2.0", "id": 2, "method": "tools/list", "params": {}}))
        call = {"name": "teams_get", "arguments": {"teamId": 201}}
        process.stdin.write(frame({"jsonrpc": "2.0", "id": 3, "method": "tools/call", "params": call}))
        process.stdin.flush()
        answers += [json.loads(process.stdout.readline()) for _ in range(2)]
        process.stdin.close()
        rest = process.stdout.read()
        assert process.wait(timeout=60) == 0
    by_id = {answer["id"]: answer for answer in answers}
    assert by_id[1]["result"]["serverInfo"]["name"] == "make-mcp"
    assert {tool["name"] for tool in by_id[2]["result"]["tools"]} >= {"teams_get", "teams_list"}
    assert by_id[3]["result"]["structuredContent"]["team"]["id"] == 201
    assert rest == b""
