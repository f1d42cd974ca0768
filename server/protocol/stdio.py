"""Stdio for the MCP server: the SDK's framing, over non-blocking pipes instead of a thread per line.

The SDK's `stdio_server()` reads each line and writes (then flushes) each answer in a worker thread:
two or three thread hand-offs per call, and the one writer thread serialises every answer. When stdin
and stdout are pipes or sockets (how MCP clients start servers), the event loop can watch them itself:
lines are read as they arrive and answers are written without leaving the loop. Each line is parsed and
each message serialised with the SDK's own models, as its transport does; unlike it, a line that is no
JSON-RPC message is answered (-32700 parse error, -32600 invalid request: batches, params that are not
an object, nesting past the parser's limit, a lone surrogate) instead of dropped without a word. Anything
else (a terminal, a file, Windows, another async library) gets the SDK's transport unchanged.

As in the SDK, while serving fd 0 reads the null device and fd 1 points at stderr, so stray output of
the process cannot corrupt the wire; both are restored on exit.
"""

from __future__ import annotations

import asyncio
import codecs
import io
import json
import logging
import os
import stat
import sys
from collections import deque
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Protocol, Self, cast

import anyio
import mcp_types as types
from mcp.shared.message import SessionMessage
from pydantic import ValidationError
from pydantic_core import PydanticSerializationError, to_json

from make_mcp.server.protocol.sdk_private import ReadStream, WriteStream, serve_era
from make_mcp.server.support.json_bounds import bound_named, outline

log = logging.getLogger("make_mcp.stdio")

# Lines read but not yet taken by the server before the pipe is left unread (back-pressure on the client).
_MAX_QUEUED_LINES = 64
# A longer line is not kept: it is answered with an error (as large as the answers the client takes from Make).
MAX_LINE_CHARS = 32 * 2**20
_HEAD_CHARS = 4096  # what is kept of an over-long line, to find its id
PRE_REQUEST_FRAMES = 8  # frames before the first request kept for the server (the SDK's own limit)


@dataclass(frozen=True)
class OverlongLine:
    """A line past MAX_LINE_CHARS: only its head was kept."""

    head: str


def _is_pipe_or_socket(fd: int) -> bool:
    try:
        mode = os.fstat(fd).st_mode
    except OSError:
        return False
    return stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode)


def _loop_can_watch_stdio() -> bool:
    if sys.platform == "win32":
        return False
    try:
        asyncio.get_running_loop()
    except RuntimeError:  # another async library
        return False
    return _serves_fd(sys.stdin, 0) and _serves_fd(sys.stdout, 1)


def _serves_fd(stream: Any, fd: int) -> bool:
    """The sys stream is the process's own fd (as the SDK's claim requires) and that fd is a pipe or socket."""
    try:
        backed = stream.buffer.fileno() == fd
    except (AttributeError, OSError, ValueError):
        return False
    return backed and _is_pipe_or_socket(fd)


async def serve(server: Any, read_stream: Any, write_stream: Any) -> None:
    """`server.run` over stdio's streams. Over our own read stream, the client's first request is read ahead
    here to choose the protocol era, so the SDK's relay of every later message (a task and a memory stream
    between the read stream and the dispatcher) is left out; served as `Server.run` serves it otherwise."""
    options = server.create_initialization_options()
    if not isinstance(read_stream, _Messages):
        await server.run(read_stream, write_stream, options)
        return
    async with server.lifespan(server) as state:
        try:
            async with read_stream:
                opening = await read_stream.opening_request()
                await serve_era(server, opening, read_stream, write_stream, state, options)
        finally:
            await write_stream.aclose()


@asynccontextmanager
async def stdio_streams() -> AsyncIterator[tuple[ReadStream[SessionMessage | Exception], WriteStream[SessionMessage]]]:
    """(read_stream, write_stream) for `Server.run`, over the process's stdin and stdout."""
    if not _loop_can_watch_stdio():
        from mcp.server.stdio import stdio_server  # (and its Windows helpers) only for this fallback

        async with stdio_server() as streams:
            yield streams
        return
    async with _claimed_stdio() as (reader, writer), framed(reader, writer) as streams:
        yield streams


class _Out(Protocol):
    """Where frames go: written at once (the pipe's transport buffers what it cannot take yet)."""

    def write(self, data: bytes) -> None: ...

    async def drain(self) -> None:
        """Waits while the pipe's reader is behind; ConnectionError once it is gone."""
        ...


@asynccontextmanager
async def framed(
    lines: AsyncIterator[str | OverlongLine], out: _Out
) -> AsyncIterator[tuple[ReadStream[SessionMessage | Exception], WriteStream[SessionMessage]]]:
    """MCP messages from `lines` and onto `out`, as the SDK's stdio transport frames them; a line that is not
    a JSON-RPC message is answered with a JSON-RPC error on `out` (blank lines are skipped).

    No task and no memory stream in between (each would cost the call a hand-off through the loop): a line is
    parsed when the server asks for the next message, and an answer is queued where the server sends it."""
    frames = _Frames(out, asyncio.get_running_loop())
    try:
        yield _Messages(lines, frames), frames
    finally:
        frames.flush()


class _Stream:
    """A stream `async with` closes."""

    async def aclose(self) -> None:
        raise NotImplementedError

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc_val: BaseException | None, exc_tb: TracebackType | None
    ) -> None:
        await self.aclose()


class _Messages(_Stream):
    """The read stream: the next line that is a JSON-RPC message, parsed with the SDK's models."""

    def __init__(self, lines: AsyncIterator[str | OverlongLine], frames: _Frames) -> None:
        self._lines = lines
        self._frames = frames
        self._closed = False
        self._lead: deque[SessionMessage] = deque()  # read by opening_request, given again first

    async def opening_request(self) -> types.JSONRPCRequest | None:
        """The client's first request (None if the client leaves first), read ahead and given again by
        `receive` with the frames before it (up to the SDK's limit of those; it drops the others likewise)."""
        while True:
            try:
                message = await self._read()
            except (anyio.EndOfStream, anyio.ClosedResourceError):
                return None
            if isinstance(message.message, types.JSONRPCRequest):
                self._lead.append(message)
                return message.message
            if len(self._lead) < PRE_REQUEST_FRAMES:
                self._lead.append(message)

    async def receive(self) -> SessionMessage:
        if self._lead and not self._closed:
            return self._lead.popleft()
        return await self._read()

    async def _read(self) -> SessionMessage:
        while True:
            if self._closed:
                raise anyio.ClosedResourceError
            try:
                line = await anext(self._lines)
            except StopAsyncIteration:
                raise anyio.EndOfStream from None
            if isinstance(line, OverlongLine):
                self._frames.put(overlong_refusal(line))
                continue
            if not line.strip():
                continue
            try:
                message = types.jsonrpc_message_adapter.validate_json(line, by_name=False)
            except ValidationError as error:
                self._frames.put(refusal_of(line, error))
                continue
            return SessionMessage(message)

    def __aiter__(self) -> _Messages:
        return self

    async def __anext__(self) -> SessionMessage:
        try:
            return await self.receive()
        except anyio.EndOfStream:
            raise StopAsyncIteration from None

    async def aclose(self) -> None:
        self._closed = True


class _Frames(_Stream):
    """The write stream: each message as one line, queued; those queued in one loop turn go out in one write."""

    def __init__(self, out: _Out, loop: asyncio.AbstractEventLoop) -> None:
        self._out = out
        self._loop = loop
        self._queued: list[bytes] = []
        self._closed = False

    def put(self, frame: bytes) -> None:
        if not frame:
            return
        if not self._queued:
            self._loop.call_soon(self.flush)  # after the tasks ready in this turn, which may queue more
        self._queued.append(frame)

    def flush(self) -> None:
        if self._queued:
            data = b"".join(self._queued)
            self._queued.clear()
            self._out.write(data)

    async def send(self, item: SessionMessage, /) -> None:
        if self._closed:
            raise anyio.ClosedResourceError
        self.put(_frame_of(item.message))
        try:
            await self._out.drain()
        except ConnectionError as error:  # the client closed its end: nothing more can reach it
            raise anyio.BrokenResourceError from error

    async def aclose(self) -> None:
        self._closed = True
        self.flush()


def _frame_of(message: types.JSONRPCMessage) -> bytes:
    """The message as one line. One that cannot be JSON (text holding a lone surrogate) does not end the
    transport: a response becomes an internal error for its id, anything else is left out and logged."""
    try:
        if isinstance(message, types.JSONRPCResponse):
            # The result is already the wire's JSON values (the SDK dumped it): written as is, not through the model.
            wire = {"jsonrpc": "2.0", "id": message.id, "result": message.result}
            return to_json(wire, inf_nan_mode="null") + b"\n"
        return message.model_dump_json(by_alias=True, exclude_unset=True).encode() + b"\n"
    except PydanticSerializationError:
        if isinstance(message, types.JSONRPCResponse | types.JSONRPCError):
            return _error_frame(
                message.id, types.INTERNAL_ERROR, "Internal error: the answer could not be written as JSON"
            )
        log.warning("a %s could not be written as JSON and was left out", type(message).__name__)
        return b""


def refusal_of(line: str, error: ValidationError) -> bytes:
    """The JSON-RPC error frame answering a line the SDK's models refused: a parse error when it is no JSON
    the parser takes (carrying the line's id when one can be read, so the request is answered), else an invalid
    request, with the line's id when it has a usable one."""
    problem = error.errors(include_url=False, include_input=False)[0]
    if problem["type"] == "json_invalid":
        said = str(problem.get("ctx", {}).get("error", "not JSON"))
        bound = bound_named(said)
        if bound is not None:
            said = bound
        elif "surrogate" in said or "hex escape" in said:
            said = "it holds a lone surrogate escape (\\ud800-\\udfff alone), which is no Unicode character"
        _, message_id = outline(line)
        log.warning("answered a line the parser refused: %s", said[:200])
        return _error_frame(message_id, types.PARSE_ERROR, f"Parse error: {said[:200]}")
    try:
        frame: Any = json.loads(line)
    except (ValueError, RecursionError):
        frame = None
    if isinstance(frame, list):
        return _error_frame(
            None, types.INVALID_REQUEST, "Invalid Request: batches are not supported; send one message a line"
        )
    if not isinstance(frame, dict):
        return _error_frame(None, types.INVALID_REQUEST, "Invalid Request: a message must be a JSON object")
    raw_id = frame.get("id")  # pyright: ignore[reportUnknownMemberType, reportUnknownVariableType]
    message_id = raw_id if isinstance(raw_id, str | int) and not isinstance(raw_id, bool) else None
    params = frame.get("params")  # pyright: ignore[reportUnknownMemberType, reportUnknownVariableType]
    if params is not None and not isinstance(params, dict):
        return _error_frame(message_id, types.INVALID_REQUEST, "Invalid Request: params must be an object")
    return _error_frame(
        message_id, types.INVALID_REQUEST, "Invalid Request: not a JSON-RPC 2.0 request, notification or response"
    )


def overlong_refusal(line: OverlongLine) -> bytes:
    _, message_id = outline(line.head)
    said = f"the message is longer than {MAX_LINE_CHARS // 2**20} MiB, the most a line may hold"
    log.warning("answered a line the parser refused: %s", said)
    return _error_frame(message_id, types.INVALID_REQUEST, f"Invalid Request: {said}")


def _error_frame(message_id: str | int | None, code: int, message: str) -> bytes:
    frame = {"jsonrpc": "2.0", "id": message_id, "error": {"code": code, "message": message}}
    return json.dumps(frame).encode() + b"\n"


class _LineReader(asyncio.Protocol):
    """Lines of a pipe as the SDK's text stdin gives them: UTF-8 (bad bytes replaced), universal newlines."""

    def __init__(self, max_line_chars: int = MAX_LINE_CHARS) -> None:
        self._decoder = io.IncrementalNewlineDecoder(codecs.getincrementaldecoder("utf-8")("replace"), translate=True)
        self._max_line_chars = max_line_chars
        self._pieces: list[str] = []  # of the line being read
        self._size = 0
        self._overlong: OverlongLine | None = None  # the line being skipped, past the bound
        self._lines: deque[str | OverlongLine] = deque()
        self._eof = False
        self._waiter: asyncio.Future[None] | None = None
        self._transport: asyncio.ReadTransport | None = None
        self._paused = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self._transport = cast(asyncio.ReadTransport, transport)

    def data_received(self, data: bytes) -> None:
        self._add(self._decoder.decode(data))

    def eof_received(self) -> bool | None:
        self._finish()
        return None

    def connection_lost(self, exc: Exception | None) -> None:
        self._finish()

    def _finish(self) -> None:
        if self._eof:
            return
        self._add(self._decoder.decode(b"", final=True))
        if self._overlong is not None or self._pieces:
            self._lines.append(self._overlong or "".join(self._pieces))
            self._pieces, self._size, self._overlong = [], 0, None
        self._eof = True
        self._wake()

    def _add(self, text: str) -> None:
        """Pieces of the line being read are kept apart and joined once it ends: a long line costs its length."""
        if not text:
            return
        *ends, rest = text.split("\n")
        for end in ends:
            self._extend(end)
            self._lines.append(self._overlong or "".join(self._pieces) + "\n")
            self._pieces, self._size, self._overlong = [], 0, None
        self._extend(rest)
        if not ends:
            return
        if len(self._lines) >= _MAX_QUEUED_LINES and self._transport is not None and not self._paused:
            self._paused = True
            self._transport.pause_reading()
        self._wake()

    def _extend(self, piece: str) -> None:
        if self._overlong is not None or not piece:
            return
        self._pieces.append(piece)
        self._size += len(piece)
        if self._size > self._max_line_chars:
            self._overlong = OverlongLine("".join(self._pieces)[:_HEAD_CHARS])
            self._pieces, self._size = [], 0

    def _wake(self) -> None:
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_result(None)

    def __aiter__(self) -> _LineReader:
        return self

    async def __anext__(self) -> str | OverlongLine:
        while not self._lines:
            if self._eof:
                raise StopAsyncIteration
            self._waiter = asyncio.get_running_loop().create_future()
            try:
                await self._waiter
            finally:
                self._waiter = None
        line = self._lines.popleft()
        if self._paused and len(self._lines) < _MAX_QUEUED_LINES // 2 and self._transport is not None:
            self._paused = False
            self._transport.resume_reading()
        return line


class _PipeWriter:
    """Bytes written straight to a non-blocking pipe; `drain` waits only when the reader falls behind."""

    def __init__(self, writer: asyncio.StreamWriter) -> None:
        self._writer = writer

    def write(self, data: bytes) -> None:
        self._writer.write(data)

    async def drain(self) -> None:
        await self._writer.drain()


@asynccontextmanager
async def _claimed_stdio() -> AsyncIterator[tuple[_LineReader, _PipeWriter]]:
    """The wire on private duplicates of fd 0 and 1, watched by the loop; fd 0 and 1 diverted meanwhile."""
    import fcntl

    loop = asyncio.get_running_loop()
    blocking = {fd: os.get_blocking(fd) for fd in (0, 1)}
    wire = {fd: fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 3) for fd in (0, 1)}
    transports: list[asyncio.BaseTransport] = []
    try:
        _divert_stdin()
        _divert_stdout()
        reader = _LineReader()
        read_transport, _ = await loop.connect_read_pipe(lambda: reader, os.fdopen(wire[0], "rb", buffering=0))
        transports.append(read_transport)
        write_transport, write_protocol = await loop.connect_write_pipe(
            asyncio.streams.FlowControlMixin, os.fdopen(wire[1], "wb", buffering=0)
        )
        transports.append(write_transport)
        writer = asyncio.StreamWriter(cast(asyncio.WriteTransport, write_transport), write_protocol, None, loop)
        yield reader, _PipeWriter(writer)
    finally:
        # Closing only unregisters the pipes now; they are closed (and their fds freed) on a later loop turn.
        for transport in transports:
            transport.close()
        for fd, duplicate in wire.items():
            with suppress(OSError):
                os.dup2(duplicate, fd)
                os.set_blocking(fd, blocking[fd])


def _divert_stdin() -> None:
    null = os.open(os.devnull, os.O_RDONLY)
    try:
        os.dup2(null, 0)
    finally:
        os.close(null)


def _divert_stdout() -> None:
    try:
        os.dup2(2, 1)
    except OSError:
        null = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(null, 1)
        finally:
            os.close(null)
