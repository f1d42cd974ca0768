"""The stdio transport over pipes: the same lines as the SDK's text stdin, frames only on stdout, and a JSON-RPC
error for each line that is no JSON-RPC message (which the SDK's own transport drops without a word)."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from collections.abc import AsyncIterator
from typing import Any, cast

import anyio
import mcp_types as types
import pytest
from mcp.server.stdio import stdio_server
from mcp.shared.message import SessionMessage

from make_mcp.server.engine.confirmation import Confirmations
from make_mcp.server.engine.connect import open_make_client
from make_mcp.server.engine.selection import Catalogue
from make_mcp.server.protocol.app import build_server
from make_mcp.server.protocol.runner import ToolRunner
from make_mcp.server.protocol.stdio import (
    _MAX_QUEUED_LINES,  # pyright: ignore[reportPrivateUsage]
    MAX_LINE_CHARS,
    PRE_REQUEST_FRAMES,
    OverlongLine,
    _LineReader,  # pyright: ignore[reportPrivateUsage]
    _Messages,  # pyright: ignore[reportPrivateUsage]
    framed,
)
from make_mcp.server.support.config import Settings
from make_mcp.tools.registry import ALL_OPERATIONS
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


async def read_all(reader: _LineReader) -> list[str | OverlongLine]:
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


@pytest.mark.parametrize(
    "chunks",
    [
        [b'{"id":3,"a":"' + b"x" * 50 + b'"}\n{"b":2}\n'],
        [b'{"id":3,"a":"', b"x" * 20, b"x" * 20, b"x" * 10 + b'"}\n{"b"', b":2}\n"],
        [b'{"id":3,"a":"' + b"x" * 50 + b'"}\n{"b":2}'],
    ],
    ids=["in one write", "across writes", "the last line without its newline"],
)
async def test_a_line_past_the_bound_is_not_kept_only_its_head_and_the_next_line_is_read_whole(
    chunks: list[bytes],
) -> None:
    reader = _LineReader(max_line_chars=40)
    for chunk in chunks:
        reader.data_received(chunk)
    reader.eof_received()
    overlong, *rest = await read_all(reader)
    assert isinstance(overlong, OverlongLine) and overlong.head.startswith('{"id":3,')
    assert [line.strip() for line in rest if isinstance(line, str)] == ['{"b":2}']


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
        [sys.executable, "-m", "make_mcp.server.cli.main", "serve"],
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
        call = {"name": "teams_list", "arguments": {"organizationId": 101}}
        process.stdin.write(frame({"jsonrpc": "2.0", "id": 3, "method": "tools/call", "params": call}))
        process.stdin.flush()
        answers += [json.loads(process.stdout.readline()) for _ in range(2)]
        process.stdin.close()
        rest = process.stdout.read()
        assert process.wait(timeout=60) == 0
    by_id = {answer["id"]: answer for answer in answers}
    assert by_id[1]["result"]["serverInfo"]["name"] == "make-mcp"
    assert "teams_list" in {tool["name"] for tool in by_id[2]["result"]["tools"]}
    assert 201 in [team["id"] for team in by_id[3]["result"]["structuredContent"]["teams"]]
    assert rest == b""


INITIALIZE = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "initialize",
    "params": {"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "t", "version": "1"}},
}
PING = {"jsonrpc": "2.0", "id": 99, "method": "ping"}


def deep(depth: int) -> str:
    return "[" * depth + "]" * depth


# Lines that are no JSON-RPC message, and the error each is answered with over pipes: (line, code, id, says).
MALFORMED: dict[str, tuple[str, int, int | str | None, str]] = {
    "params of the wrong type": ('{"jsonrpc":"2.0","id":7,"method":"tools/list","params":[1,2]}', -32600, 7, "params"),
    "a batch": (f"[{json.dumps(PING)}]", -32600, None, "batches are not supported"),
    "a lone surrogate": (
        '{"jsonrpc":"2.0","id":8,"method":"tools/call","params":{"name":"a\\ud800"}}',
        -32700,
        8,
        "lone surrogate",
    ),
    "nesting 900 deep": (
        '{"jsonrpc":"2.0","id":9,"method":"tools/call","params":{"name":"x","arguments":{"a":' + deep(900) + "}}}",
        -32700,
        9,
        "nests deeper than 200 levels",
    ),
    "arguments nesting 20,000 deep, the id last": (
        '{"jsonrpc":"2.0","method":"tools/call","params":{"name":"x","arguments":{"a":' + deep(20_000) + '}},"id":"z"}',
        -32700,
        "z",
        "nests deeper than 200 levels",
    ),
    "an integer of 5,000 digits": (
        '{"jsonrpc":"2.0","id":13,"method":"tools/call","params":{"name":"x","arguments":{"n":' + "9" * 5000 + "}}}",
        -32700,
        13,
        "4300 digits",
    ),
    "nesting 20,000 deep": (deep(20_000), -32700, None, "nests deeper"),
    "no jsonrpc member": ('{"id":10,"method":"tools/list"}', -32600, 10, "not a JSON-RPC 2.0"),
    "a bare string": ('"hello"', -32600, None, "must be a JSON object"),
    "not JSON at all": ("{'id': 11}", -32700, None, "Parse error"),
}


def serve_over_pipes(
    sandbox: LoopbackSandbox, lines: list[bytes], ids: set[int], toolsets: str = "data-stores", stderr: Any = None
) -> list[dict[str, Any]]:
    """Writes the lines to `make-mcp serve` over pipes and returns every frame it wrote until those answering
    `ids` (requests the server answers; lines are read in order, so every line before them has been dealt with)."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("MAKE_")}
    env.update(
        MAKE_API_KEY=sandbox.token,
        MAKE_ZONE=sandbox.url,
        MAKE_ALLOW_CUSTOM_ZONE="1",
        MAKE_RATE_LIMIT="0",
        MAKE_TOOLSETS=toolsets,
    )
    answers: list[dict[str, Any]] = []
    with subprocess.Popen(
        [sys.executable, "-m", "make_mcp.server.cli.main", "serve"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=stderr or subprocess.DEVNULL,
        env=env,
    ) as process:
        assert process.stdin is not None and process.stdout is not None
        process.stdin.write(b"".join(lines))
        process.stdin.flush()
        while not ids <= {answer.get("id") for answer in answers}:
            line = process.stdout.readline()
            assert line, f"the server stopped after {answers}"
            answers.append(json.loads(line))
        process.stdin.close()
        assert process.stdout.read() == b""
        assert process.wait(timeout=60) == 0
    return answers


def check_answers(answers: list[dict[str, Any]]) -> dict[Any, dict[str, Any]]:
    """Each malformed line's refusal, in order among themselves; the other answers by id."""
    refusals = [answer for answer in answers if "error" in answer]
    for (name, (_, code, message_id, says)), refusal in zip(MALFORMED.items(), refusals, strict=True):
        assert refusal["id"] == message_id, name
        assert refusal["error"]["code"] == code, (name, refusal)
        assert says in refusal["error"]["message"], (name, refusal)
    return {answer["id"]: answer for answer in answers if "error" not in answer}


def test_every_line_that_is_no_json_rpc_message_gets_a_json_rpc_error_over_pipes_and_the_server_goes_on(
    loopback_sandbox: LoopbackSandbox,
) -> None:
    nan_call = (
        '{"jsonrpc":"2.0","id":12,"method":"tools/call",'
        '"params":{"name":"data-store-records_create","arguments":{"dataStoreId":701,"data":{"n":NaN}}}}'
    )
    lines = [frame(INITIALIZE), frame({"jsonrpc": "2.0", "method": "notifications/initialized"}), b"\n"]
    lines += [line.encode() + b"\n" for line, *_ in MALFORMED.values()]
    lines += [nan_call.encode() + b"\n", frame(PING)]
    by_id = check_answers(serve_over_pipes(loopback_sandbox, lines, {1, 12, 99}))
    assert "result" in by_id[1]
    assert by_id[12]["result"]["isError"] is True
    assert "not a JSON number" in by_id[12]["result"]["content"][0]["text"]
    assert by_id[99] == {"jsonrpc": "2.0", "id": 99, "result": {}}
    assert not any(request.method == "POST" for request in loopback_sandbox.state.requests)


def tool_call(message_id: int, name: str, arguments: str) -> bytes:
    """A tools/call line with the arguments' JSON text as given (so it may hold what json.dumps never writes)."""
    params = f'{{"name":"{name}","arguments":{arguments}}}'
    return f'{{"jsonrpc":"2.0","id":{message_id},"method":"tools/call","params":{params}}}\n'.encode()


def test_arguments_and_json_text_past_the_bounds_get_a_tool_error_naming_the_bound_and_nothing_reaches_make(
    loopback_sandbox: LoopbackSandbox, tmp_path: Any
) -> None:
    deep_blueprint = json.dumps('{"name":"x","flow":' + deep(30_000) + "}")  # the blueprint as JSON text
    lines = [frame(INITIALIZE), frame({"jsonrpc": "2.0", "method": "notifications/initialized"})]
    lines += [
        tool_call(21, "data-store-records_create", '{"dataStoreId":701,"data":{"n":' + deep(150) + "}}"),
        tool_call(22, "scenarios_create", f'{{"teamId":201,"blueprint":{deep_blueprint},"scheduling":{{}}}}'),
        tool_call(23, "data-store-records_create", '{"dataStoreId":701,"data":"' + "[" * 5000 + '"}'),
        frame(PING),
    ]
    with (tmp_path / "stderr").open("wb") as stderr:
        answers = serve_over_pipes(loopback_sandbox, lines, {21, 22, 23, 99}, "data-stores,scenarios", stderr)
    by_id = {answer["id"]: answer for answer in answers}
    for message_id in (21, 22):
        assert by_id[message_id]["result"]["isError"] is True
        assert "nests deeper than" in by_id[message_id]["result"]["content"][0]["text"], by_id[message_id]
    assert "levels" in by_id[21]["result"]["content"][0]["text"]
    assert by_id[23]["result"]["isError"] is True
    assert "Traceback" not in (tmp_path / "stderr").read_text()
    assert not any(request.method == "POST" for request in loopback_sandbox.state.requests)


def test_a_line_longer_than_the_bound_is_answered_with_its_id_and_the_server_goes_on(
    loopback_sandbox: LoopbackSandbox,
) -> None:
    filler = "x" * (MAX_LINE_CHARS + 10)
    overlong = f'{{"jsonrpc":"2.0","id":31,"method":"tools/call","params":{{"name":"{filler}"}}}}\n'.encode()
    lines = [frame(INITIALIZE), frame({"jsonrpc": "2.0", "method": "notifications/initialized"}), overlong, frame(PING)]
    by_id = {answer["id"]: answer for answer in serve_over_pipes(loopback_sandbox, lines, {1, 31, 99})}
    assert by_id[31]["error"]["code"] == -32600
    assert "longer than 32 MiB" in by_id[31]["error"]["message"]
    assert by_id[99]["result"] == {}


class LinesIn:
    """A text stdin of the given lines, as the SDK's transport reads it; after them it waits until `out` holds
    the answer to the last one (lines are read in order, so every earlier line has been dealt with by then)."""

    def __init__(self, lines: list[str], out: Answered) -> None:
        self._lines = lines
        self._out = out

    def __aiter__(self) -> AsyncIterator[str]:
        return self._iterate()

    async def _iterate(self) -> AsyncIterator[str]:
        for line in self._lines:
            yield line
        await self._out.answered_last.wait()


class Answered:
    """The text of the frames written so far; `answered_last` is set once the ping's answer is among them."""

    def __init__(self) -> None:
        self.text = ""
        self.answered_last = anyio.Event()
        self.writes: list[str] = []

    def take(self, text: str) -> None:
        self.writes.append(text)
        self.text += text
        if f'"id":{PING["id"]},' in text.replace(" ", ""):
            self.answered_last.set()


class LinesOut(Answered):
    """A text stdout as the SDK's transport writes it."""

    async def write(self, text: str) -> None:
        self.take(text)

    async def flush(self) -> None:
        return None


class PipeOut(Answered):
    """A pipe as our framing writes it: bytes at once, and a drain that finds the reader keeping up, or `gone`."""

    def __init__(self) -> None:
        super().__init__()
        self.gone = False

    def write(self, data: bytes) -> None:
        self.take(data.decode())

    async def drain(self) -> None:
        if self.gone:
            raise ConnectionResetError("the client closed its end")


LINES = [json.dumps(INITIALIZE) + "\n", *(line + "\n" for line, *_ in MALFORMED.values()), json.dumps(PING) + "\n"]


async def test_the_sdks_own_stdio_transport_answers_none_of_these_lines_which_is_why_pipes_use_our_framing() -> None:
    # The transport of terminals, files and Windows: the SDK hands the server an exception per bad line and the
    # server answers nothing, so only the initialize and the ping get a reply.
    settings = Settings(sandbox=True)
    out = LinesOut()
    async with open_make_client(settings) as make:
        server = build_server(ToolRunner(settings, make, Catalogue(ALL_OPERATIONS), Confirmations()))
        async with stdio_server(cast(Any, LinesIn(LINES, out)), cast(Any, out)) as (read_stream, write_stream):
            with anyio.fail_after(30):
                await server.run(read_stream, write_stream, server.create_initialization_options())
    assert [json.loads(line)["id"] for line in out.text.splitlines()] == [1, 99]


async def test_our_framing_answers_the_same_lines_in_process() -> None:
    settings = Settings(sandbox=True)
    out = PipeOut()
    async with open_make_client(settings) as make:
        server = build_server(ToolRunner(settings, make, Catalogue(ALL_OPERATIONS), Confirmations()))
        async with framed(aiter(LinesIn(LINES, out)), out) as (read_stream, write_stream):
            with anyio.fail_after(30):
                await server.run(read_stream, write_stream, server.create_initialization_options())
    by_id = check_answers([json.loads(line) for line in out.text.splitlines()])
    assert set(by_id) == {1, 99}


async def test_an_answer_that_cannot_be_json_becomes_an_internal_error_for_its_id_and_the_transport_goes_on() -> None:
    out = PipeOut()
    unwritable = types.JSONRPCResponse(jsonrpc="2.0", id=5, result={"text": "a\ud800b"})
    async with framed(aiter(LinesIn([], out)), out) as (read_stream, write_stream):
        await write_stream.send(SessionMessage(unwritable))
        await write_stream.send(SessionMessage(types.JSONRPCResponse(jsonrpc="2.0", id=PING["id"], result={})))
        with anyio.fail_after(10):
            await out.answered_last.wait()
        await write_stream.aclose()
        await read_stream.aclose()
    assert [json.loads(line) for line in out.text.splitlines()] == [
        {
            "jsonrpc": "2.0",
            "id": 5,
            "error": {"code": -32603, "message": "Internal error: the answer could not be written as JSON"},
        },
        {"jsonrpc": "2.0", "id": 99, "result": {}},
    ]


async def test_answers_made_in_one_loop_turn_go_out_in_one_write_in_the_order_they_were_made() -> None:
    out = PipeOut()
    async with framed(aiter(LinesIn([], out)), out) as (read_stream, write_stream):
        for message_id in (1, 2, PING["id"]):  # sent without the loop turning between them, as by tasks in one turn
            await write_stream.send(SessionMessage(types.JSONRPCResponse(jsonrpc="2.0", id=message_id, result={})))
        assert out.writes == []
        with anyio.fail_after(10):
            await out.answered_last.wait()
        await write_stream.aclose()
        await read_stream.aclose()
    assert len(out.writes) == 1
    assert [json.loads(line)["id"] for line in out.writes[0].splitlines()] == [1, 2, PING["id"]]


async def test_the_read_stream_gives_the_messages_in_order_answers_bad_lines_between_and_ends_with_the_lines() -> None:
    out = PipeOut()
    lines = [json.dumps(INITIALIZE) + "\n", "\n", "{'id': 11}\n", json.dumps(PING) + "\n"]
    async with framed(aiter(LinesIn(lines, out)), out) as (read_stream, write_stream):
        with anyio.fail_after(10):
            first, second = await anext(read_stream), await anext(read_stream)
        assert isinstance(first, SessionMessage) and isinstance(second, SessionMessage)
        assert [first.message.id, second.message.id] == [1, PING["id"]]  # pyright: ignore[reportAttributeAccessIssue]
        await write_stream.send(SessionMessage(types.JSONRPCResponse(jsonrpc="2.0", id=PING["id"], result={})))
        with anyio.fail_after(10):
            assert [message async for message in read_stream] == []
        await read_stream.aclose()
        with pytest.raises(anyio.ClosedResourceError):
            await read_stream.receive()
    refusal, answer = (json.loads(line) for line in out.text.splitlines())
    assert refusal["error"]["code"] == -32700 and refusal["id"] is None
    assert answer == {"jsonrpc": "2.0", "id": PING["id"], "result": {}}


async def test_a_result_is_written_as_its_model_writes_it_non_finite_numbers_as_null() -> None:
    out = PipeOut()
    result = {"text": "é€\u2028", "n": [1.5, float("inf"), float("nan"), -0.0, 10**30], "none": None, "ok": True}
    answer = types.JSONRPCResponse(jsonrpc="2.0", id="a", result=result)
    async with framed(aiter(LinesIn([], out)), out) as (read_stream, write_stream):
        await write_stream.send(SessionMessage(answer))
        await write_stream.aclose()
        await read_stream.aclose()
    assert out.text == answer.model_dump_json(by_alias=True, exclude_unset=True) + "\n"


async def test_an_answer_to_a_client_that_closed_its_end_is_a_broken_stream_and_a_closed_stream_takes_none() -> None:
    out = PipeOut()
    answer = SessionMessage(types.JSONRPCResponse(jsonrpc="2.0", id=3, result={}))
    async with framed(aiter(LinesIn([], out)), out) as (read_stream, write_stream):
        out.gone = True
        with pytest.raises(anyio.BrokenResourceError):
            await write_stream.send(answer)
        await write_stream.aclose()
        with pytest.raises(anyio.ClosedResourceError):
            await write_stream.send(answer)
        await read_stream.aclose()


async def test_the_opening_request_is_read_ahead_and_given_again_after_the_frames_before_it() -> None:
    out = PipeOut()
    initialized = {"jsonrpc": "2.0", "method": "notifications/initialized"}
    early = [json.dumps({**initialized, "params": {"n": n}}) + "\n" for n in range(PRE_REQUEST_FRAMES + 2)]
    lines = [*early, json.dumps(INITIALIZE) + "\n", json.dumps(PING) + "\n"]
    async with framed(aiter(LinesIn(lines, out)), out) as (read_stream, _):
        assert isinstance(read_stream, _Messages)
        with anyio.fail_after(10):
            opening = await read_stream.opening_request()
            given = [await anext(read_stream) for _ in range(PRE_REQUEST_FRAMES + 2)]
        out.answered_last.set()
    assert opening is not None and opening.id == INITIALIZE["id"]
    kept = [message.message for message in given[:PRE_REQUEST_FRAMES]]
    assert [getattr(message, "params", None) for message in kept] == [{"n": n} for n in range(PRE_REQUEST_FRAMES)]
    assert [getattr(message.message, "id", None) for message in given[PRE_REQUEST_FRAMES:]] == [1, PING["id"]]


async def test_a_client_that_leaves_before_any_request_has_no_opening_request() -> None:
    out = PipeOut()
    out.answered_last.set()
    async with framed(aiter(LinesIn(["\n"], out)), out) as (read_stream, _):
        assert isinstance(read_stream, _Messages)
        with anyio.fail_after(10):
            assert await read_stream.opening_request() is None


def test_over_pipes_an_opening_request_with_the_2026_envelope_is_served_in_that_era_and_initialize_is_refused(
    loopback_sandbox: LoopbackSandbox,
) -> None:
    envelope = {
        "io.modelcontextprotocol/protocolVersion": "2026-07-28",
        "io.modelcontextprotocol/clientInfo": {"name": "test", "version": "1"},
        "io.modelcontextprotocol/clientCapabilities": {},
    }
    listing = {"jsonrpc": "2.0", "id": 5, "method": "tools/list", "params": {"_meta": envelope}}
    answers = serve_over_pipes(loopback_sandbox, [frame(listing), frame(INITIALIZE), frame(PING)], {5, 1, 99})
    by_id = {answer["id"]: answer for answer in answers}
    assert by_id[5]["result"]["resultType"] == "complete" and by_id[5]["result"]["tools"]
    assert by_id[1]["error"]["code"] == types.UNSUPPORTED_PROTOCOL_VERSION
