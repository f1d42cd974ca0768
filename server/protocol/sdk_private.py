"""Every private part of the MCP SDK (mcp 2.3.0) this server relies on, and nowhere else: the session manager's
table of sessions (to recreate a session another instance opened, server/http/sessions.py), the SDK's stream
protocols (stdio's own read and write streams, server/protocol/stdio.py), the runner's shaping of a result for the
wire (a listing serialized once, server/http/listings.py), the era-choosing serve loops (stdio without the
SDK's relay hop, server/protocol/stdio.py). server/protocol/lazy_sdk.py, which must run
before the SDK is imported, names the SDK modules it defers (a private one among them) but imports none.
tests/server/test_sdk_private.py checks all of them against the installed SDK and names what moved, so a new SDK
release fails there, loudly, before anything else does."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mcp.shared._stream_protocols import ReadStream, WriteStream

if TYPE_CHECKING:  # the HTTP stack stays unimported when stdio is served
    from anyio.abc import TaskGroup
    from mcp.server.streamable_http import StreamableHTTPServerTransport
    from mcp.server.streamable_http_manager import StreamableHTTPSessionManager

__all__ = [
    "ReadStream",
    "WriteStream",
    "adopt_session",
    "discard_session",
    "holds_session",
    "lifespan_state",
    "serve_era",
    "wire_result",
    "without_otel_spans",
]

# The attributes of StreamableHTTPSessionManager read or written here.
MANAGER_ATTRIBUTES = ("_server_instances", "_session_owners", "_task_group", "_lifespan_state", "_discard_session")


def holds_session(manager: StreamableHTTPSessionManager, session_id: str) -> bool:
    return session_id in manager._server_instances  # pyright: ignore[reportPrivateUsage]


def adopt_session(
    manager: StreamableHTTPSessionManager,
    session_id: str,
    transport: StreamableHTTPServerTransport,
    owner: Any | None,
) -> TaskGroup:
    """Puts a recreated session's transport (and its owner's authorization) in the manager's tables, as if the
    manager had opened it; the task group its server task must run in."""
    if owner is not None:
        manager._session_owners[session_id] = owner  # pyright: ignore[reportPrivateUsage]
    manager._server_instances[session_id] = transport  # pyright: ignore[reportPrivateUsage]
    task_group = manager._task_group  # pyright: ignore[reportPrivateUsage]
    assert task_group is not None, "the session manager is not running"
    return task_group


def lifespan_state(manager: StreamableHTTPSessionManager) -> Any:
    return manager._lifespan_state  # pyright: ignore[reportPrivateUsage]


async def discard_session(
    manager: StreamableHTTPSessionManager, session_id: str, transport: StreamableHTTPServerTransport
) -> None:
    await manager._discard_session(session_id, transport)  # pyright: ignore[reportPrivateUsage]


def without_otel_spans(middleware: list[Any]) -> list[Any]:
    """The server's middleware less the SDK's OpenTelemetry one, which opens a span per message (recorded by no
    one unless a tracer provider is configured)."""
    from mcp.server._otel import OpenTelemetryMiddleware

    return [m for m in middleware if not isinstance(m, OpenTelemetryMiddleware)]


async def serve_era(
    server: Any, opening: Any, read_stream: Any, write_stream: Any, lifespan_state: Any, options: Any
) -> None:
    """Serves a connection in the era its opening request (None: the client left first) chooses, as the SDK's
    `serve_dual_era_loop` does once it has peeked at that request; `read_stream` gives that request again."""
    from mcp.server import runner

    if opening is not None and opening.method != "initialize" and runner._has_modern_envelope(opening.params):  # pyright: ignore[reportPrivateUsage]
        await runner._serve_modern_stream(  # pyright: ignore[reportPrivateUsage]
            server, read_stream, write_stream, lifespan_state=lifespan_state, raise_exceptions=False
        )
        return
    await runner._serve_legacy_stream(  # pyright: ignore[reportPrivateUsage]
        server,
        read_stream,
        write_stream,
        lifespan_state=lifespan_state,
        session_id=None,
        init_options=options,
        raise_exceptions=False,
    )


def wire_result(server: Any, method: str, version: str, result: Any) -> dict[str, Any]:
    """`result` as the SDK's runner sends it at `version`: cache hints, the per-version sieve, the 2026 stamp."""
    from mcp.server.connection import Connection
    from mcp.server.runner import ServerRunner

    runner = ServerRunner(server, Connection.from_envelope(version, None, None), None)
    return runner._serialize(method, version, result)  # pyright: ignore[reportPrivateUsage]
