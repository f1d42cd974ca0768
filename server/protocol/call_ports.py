"""The protocol side of a call's ports (server/engine/ports.py): progress notifications, and the person at the
client asked by elicitation, in either protocol era, through the MCP request the call came with."""

from __future__ import annotations

import itertools
import logging
from typing import Any

import mcp_types as types
from mcp.server.context import ServerRequestContext
from mcp_types.version import MODERN_PROTOCOL_VERSIONS

from make_mcp.server.engine.call import CallProgress
from make_mcp.server.engine.ports import PriorAnswer
from make_mcp.server.support.sleep import Sleep

log = logging.getLogger("make_mcp.app")

# What a consent question asks for: nothing but the person's action (accept, decline or cancel).
NO_FIELDS: types.ElicitRequestedSchema = {"type": "object", "properties": {}}


def request_progress(ctx: ServerRequestContext[Any] | None, sleep: Sleep) -> CallProgress | None:
    """Progress notifications for the request; the heartbeat only when it came with a progress token (reports
    without one cost nothing: the SDK drops them)."""
    if ctx is None:
        return None
    count = itertools.count(1)

    async def report(message: str) -> None:
        try:
            await ctx.session.report_progress(next(count), None, message)
        except Exception:  # progress is a courtesy: a transport without it must not fail the call
            log.debug("could not report progress", exc_info=True)

    return CallProgress(report, sleep, heartbeat_wanted=(ctx.meta or {}).get("progress_token") is not None)


def person_at(
    ctx: ServerRequestContext[Any] | None, params: types.CallToolRequestParams | None
) -> RequestPerson | None:
    """The person behind the request's client, when the client can ask them (elicitation)."""
    if ctx is None:
        return None
    try:
        capabilities = ctx.session.client_capabilities
    except Exception:  # no session capabilities on this transport
        return None
    if capabilities is None or capabilities.elicitation is None:
        return None
    return RequestPerson(ctx, params, opens_urls=capabilities.elicitation.url is not None)


class RequestPerson:
    """make_mcp.server.engine.ports.Person through one MCP request."""

    def __init__(
        self, ctx: ServerRequestContext[Any], params: types.CallToolRequestParams | None, *, opens_urls: bool
    ) -> None:
        self._ctx = ctx
        self._params = params
        self.opens_urls = opens_urls
        self.in_rounds = ctx.protocol_version in MODERN_PROTOCOL_VERSIONS

    def answer(self, key: str) -> PriorAnswer | None:
        params = self._params
        answer = (params.input_responses or {}).get(key) if params is not None else None
        if params is None or not isinstance(answer, types.ElicitResult) or params.request_state is None:
            return None
        return PriorAnswer(params.request_state, answer.action == "accept")

    async def confirm(self, message: str) -> bool:
        result = await self._ctx.session.elicit_form(message, NO_FIELDS, self._ctx.request_id)
        return result.action == "accept"

    async def open_url(self, message: str, url: str, ref: str) -> str:
        answer = await self._ctx.session.elicit_url(message, url, ref, related_request_id=self._ctx.request_id)
        return answer.action
