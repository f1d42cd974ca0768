"""The command line: serve, tools, doctor, login, logout, sandbox."""

from make_mcp.server.protocol.lazy_sdk import compile_annotations_once, skip_pydantic_plugins

# Both before the commands import pydantic (server/protocol/lazy_sdk.py).
skip_pydantic_plugins()
compile_annotations_once()
