"""What a token may do: its scopes, asked of Make through the declared users_me-authorization operation."""

from __future__ import annotations

import logging
from typing import Any

from make_mcp.server.engine.internal import request_without_arguments
from make_mcp.server.errors import MakeError
from make_mcp.server.make_api.client import MakeClient
from make_mcp.tools.conventions import SCOPES_OPERATION

log = logging.getLogger("make_mcp.scopes")


async def read_scopes(client: MakeClient, authorization: str | None = None) -> frozenset[str] | None:
    """The scopes of `authorization` (None: the client's own credential); None when Make's answer does not say.

    Make's refusals (MakeError) are the caller's to handle: a start-up lists every tool, a caller over HTTP may
    be refused.
    """
    body = await client.send(request_without_arguments(SCOPES_OPERATION), authorization=authorization)
    return scopes_in(body)


def scopes_in(body: Any) -> frozenset[str] | None:
    """authorization.scope of Make's answer, when it is a list of strings."""
    authorization = body.get("authorization") if isinstance(body, dict) else None  # pyright: ignore[reportUnknownMemberType]
    scopes = authorization.get("scope") if isinstance(authorization, dict) else None  # pyright: ignore[reportUnknownMemberType]
    if not isinstance(scopes, list) or not all(isinstance(scope, str) for scope in scopes):  # pyright: ignore[reportUnknownVariableType]
        return None
    return frozenset(scopes)  # pyright: ignore[reportUnknownArgumentType]


async def discover_scopes(client: MakeClient) -> frozenset[str] | None:
    """The server's own token's scopes; None (every tool listed) when Make does not say or cannot be asked."""
    try:
        scopes = await read_scopes(client)
    except MakeError as error:
        log.warning("could not learn the token's scopes, listing every tool: %s", error.message().splitlines()[0])
        return None
    if scopes is None:
        log.warning("Make's answer about the token's scopes was not understood; listing every tool")
    return scopes
