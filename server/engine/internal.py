"""Requests the server makes for itself (scopes, the rate limit, doctor), each built from a declared operation."""

from __future__ import annotations

from functools import cache
from typing import Any

from make_mcp.server.engine.operations import build_request, validate_arguments
from make_mcp.server.make_api.client import MakeRequest
from make_mcp.tools.catalogue import MakeInput, Operation
from make_mcp.tools.registry import ALL_OPERATIONS


@cache
def _by_name() -> dict[str, Operation]:
    return {op.name: op for op in ALL_OPERATIONS}


def declared(name: str) -> Operation:
    """The operation of tools/registry.py named `name` (KeyError: a name tools/conventions.py got wrong)."""
    return _by_name()[name]


def internal_request(name: str, **arguments: Any) -> MakeRequest:
    """The request of the declared operation `name` with `arguments`, validated as a tool call's would be."""
    operation = declared(name)
    return build_request(operation, validate_arguments(operation, arguments))


def request_without_arguments(name: str) -> MakeRequest:
    """The request of the declared operation `name`, one with no parameters, as internal_request(name) builds it,
    without importing its input model (the token's scopes at start-up would import some 40 models of users' tools
    for an empty one). Tests check that the operations asked this way have none."""
    return build_request(declared(name), MakeInput.model_construct())
