"""The command line: serve, tools, doctor, login, logout, sandbox."""

from make_mcp.server.protocol.lazy_sdk import compile_annotations_once

compile_annotations_once()  # before the commands import pydantic (server/protocol/lazy_sdk.py)
