"""tools/list over stateless HTTP with its wire form kept: the SDK shapes a listing for the wire (validated against
the protocol version's schema, then dumped) on every request, the costliest part of answering one. The listing
is still the handler's for each request (the caller's own tools); only its wire form, per listing and protocol
version, is kept and used again while that listing is the one handed out, with its JSON for an answer written here
(server/http/inline.py) rather than by the SDK."""

from __future__ import annotations

from typing import Any

import pydantic_core
from mcp.server.context import CallNext, HandlerResult, ServerRequestContext
from mcp.server.lowlevel import Server
from mcp_types import methods
from pydantic import ValidationError

from make_mcp.server.protocol.sdk_private import wire_result
from make_mcp.server.support.bounded_cache import BoundedCache

LIST_TOOLS = "tools/list"
MAX_WIRE_FORMS = 256  # listings (one per grant, and per caller with scenario tools) times protocol versions


class KeptListings:
    """Server middleware answering a tools/list without a cursor from the wire form kept for the listing its
    handler hands out; anything else (and a request the SDK would refuse) goes the SDK's way.

    Only for born-ready connections (stateless HTTP): the SDK's check that a session was initialized is not
    repeated here."""

    def __init__(self, server: Server[Any]) -> None:
        self._server = server
        # (id of the listing, protocol version) -> the listing (so a reused id is told apart) and its wire form
        self._wire: BoundedCache[tuple[int, str], tuple[object, dict[str, Any]]] = BoundedCache(MAX_WIRE_FORMS)
        # id of a wire form's tools -> the wire form (holding them, so the id stays theirs) and its JSON once encoded
        self._json: BoundedCache[int, tuple[dict[str, Any], bytes | None]] = BoundedCache(MAX_WIRE_FORMS)
        self.shaped = 0  # how many wire forms were made (the rest were kept ones)

    async def __call__(self, ctx: ServerRequestContext[Any, Any], call_next: CallNext) -> HandlerResult:
        handler = self._server.get_request_handler(LIST_TOOLS)
        if ctx.method != LIST_TOOLS or handler is None or (ctx.params and "cursor" in ctx.params):
            return await call_next(ctx)
        version = ctx.protocol_version
        try:
            methods.validate_client_request(LIST_TOOLS, version, ctx.params)
            params = handler.params_type.model_validate(ctx.params or {}, by_name=False)
        except (KeyError, ValidationError):
            return await call_next(ctx)  # the SDK's refusal
        listing = await handler.handler(ctx, params)
        key = (id(listing), version)
        kept = self._wire.get(key)
        if kept is None or kept[0] is not listing:
            kept = (listing, wire_result(self._server, LIST_TOOLS, version, listing))
            self._wire.put(key, kept)
            self._json.put(id(kept[1].get("tools")), (kept[1], None))
            self.shaped += 1
        return dict(kept[1])

    def json_of(self, result: dict[str, Any]) -> bytes:
        """`result` as JSON: encoded once for a copy of a kept wire form (the SDK hands out copies of what this
        returned), anew for anything else."""
        known = self._json.get(id(result.get("tools")))
        if known is None or not same_entries(known[0], result):
            return pydantic_core.to_json(result)
        wire, encoded = known
        if encoded is None:
            encoded = pydantic_core.to_json(wire)
            self._json.put(id(wire["tools"]), (wire, encoded))
        return encoded


def same_entries(wire: dict[str, Any], result: dict[str, Any]) -> bool:
    """Whether `result` is a copy of `wire`: the same keys, each holding the very same value."""
    return len(wire) == len(result) and all(key in result and result[key] is value for key, value in wire.items())
