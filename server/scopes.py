"""What the token may do: its scopes, learned from Make at start-up."""

from __future__ import annotations

import logging

from server.client import MakeClient, MakeRequest
from server.errors import MakeError

log = logging.getLogger("make_mcp.scopes")


async def discover_scopes(client: MakeClient) -> frozenset[str] | None:
    """The token's scopes from GET /users/me/current-authorization; None when Make does not say."""
    request = MakeRequest("GET", "/users/me/current-authorization", operation="scope discovery")
    try:
        body = await client.send(request)
    except MakeError as error:
        log.warning("could not learn the token's scopes, listing every tool: %s", error.message().splitlines()[0])
        return None
    scopes = body.get("authorization", {}).get("scope") if isinstance(body, dict) else None
    if not isinstance(scopes, list) or not all(isinstance(scope, str) for scope in scopes):
        log.warning("Make's answer about the token's scopes was not understood; listing every tool")
        return None
    return frozenset(scopes)
