"""The MCP results a tool call answers with."""

from __future__ import annotations

from typing import Any

import mcp_types as types

from make_mcp.server.engine.operations import dumps


def error_result(message: str) -> types.CallToolResult:
    return types.CallToolResult(content=[types.TextContent(type="text", text=message)], is_error=True)


def structured_result(structured: dict[str, Any], text: str | None = None) -> types.CallToolResult:
    """`structured` as the result; `text` is its JSON text when the caller already wrote it."""
    return types.CallToolResult(
        content=[types.TextContent(type="text", text=dumps(structured) if text is None else text)],
        structured_content=structured,
    )
