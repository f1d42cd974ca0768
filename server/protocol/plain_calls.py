"""A handshake-era tools/call answered without the SDK's re-shaping of its result.

The SDK's runner validates every result against the protocol version's model and dumps it again (a deep copy of
the structured content, about 16 µs a call). A tool's plain answer (one text item, the error flag, structured
content that is an object) is already the 2025-11-25 CallToolResult's wire shape less `resultType`, so this
middleware (innermost, after the tasks one) runs the SDK's own checks of the request, calls the handler and
sends such an answer as it is. Anything else takes the SDK's path unchanged: the 2026 era, a request before the
handshake, a result of another shape (checked and dumped by the SDK's function, as its runner does).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import mcp_types as types
from mcp.server.context import CallNext, HandlerResult, ServerMiddleware, ServerRequestContext
from mcp.shared.exceptions import MCPError
from mcp_types import methods
from mcp_types.version import MODERN_PROTOCOL_VERSIONS
from pydantic import ValidationError

from make_mcp.server.protocol.sdk_private import handshake_done

Handler = Callable[[ServerRequestContext[Any], types.CallToolRequestParams], Awaitable[HandlerResult]]

_PLAIN_FIELDS = frozenset({"content", "isError", "structuredContent", "resultType"})


def plain_calls(handler: Handler) -> ServerMiddleware[Any]:
    """The middleware answering handshake-era tools/call requests through `handler` (the tools/call handler)."""

    async def middleware(ctx: ServerRequestContext[Any, Any], call_next: CallNext) -> HandlerResult:
        version = ctx.protocol_version
        if ctx.method != "tools/call" or version in MODERN_PROTOCOL_VERSIONS or not handshake_done(ctx.session):
            return await call_next(ctx)
        params = ctx.params
        try:
            methods.validate_client_request("tools/call", version, params)  # as the SDK's runner: the surface first
        except KeyError:  # a version without tools/call: the SDK's answer
            return await call_next(ctx)
        result = await handler(ctx, types.CallToolRequestParams.model_validate(params or {}, by_name=False))
        wire = plain_wire(result) if isinstance(result, dict) else None
        return wire if wire is not None else _shaped(version, result)

    return middleware


def plain_wire(result: dict[str, Any]) -> dict[str, Any] | None:
    """A tool's plain answer as the handshake era's wire has it (without `resultType`); None for another shape."""
    if not _is_plain_answer(result):
        return None
    return {key: value for key, value in result.items() if key != "resultType"}


def _is_plain_answer(result: dict[str, Any]) -> bool:
    if not result.keys() <= _PLAIN_FIELDS or result.get("resultType", "complete") != "complete":
        return False
    content = result.get("content")
    if not isinstance(content, list) or not isinstance(result.get("isError", False), bool):
        return False
    if not isinstance(result.get("structuredContent", {}), dict):
        return False
    return all(
        type(item) is dict and item.keys() == {"type", "text"} and item["type"] == "text" and type(item["text"]) is str
        for item in content  # pyright: ignore[reportUnknownVariableType]
    )


def _shaped(version: str, result: HandlerResult) -> dict[str, Any]:
    """Any other result as the SDK's runner shapes it for the wire at `version` (tools/call has no cache hint)."""
    if isinstance(result, types.ErrorData):
        raise MCPError.from_error_data(result)
    if result is None:
        dumped: dict[str, Any] = {}
    elif isinstance(result, dict):
        dumped = dict(result)  # pyright: ignore[reportUnknownArgumentType]
    else:
        dumped = result.model_dump(by_alias=True, mode="json", exclude_none=True)
    try:
        return methods.serialize_server_result("tools/call", version, dumped)
    except ValidationError:
        raise MCPError(code=types.INTERNAL_ERROR, message="Handler returned an invalid result") from None
