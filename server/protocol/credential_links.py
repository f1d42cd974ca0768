"""Links a person opens to add a credential (a builder tool's credential requests), offered by URL-mode
elicitation where the client supports it: the client shows the link to the person, and the agent's result says
only that it was shown. Elsewhere the links stay in the result for the agent to pass on. Either way no secret
passes through the agent: the person authorizes on Make's page."""

from __future__ import annotations

import logging
from typing import Any

from mcp.server.context import ServerRequestContext

log = logging.getLogger("make_mcp.app")

# Where a builder answer holds them (server/builder/credentials.py).
REQUEST_KEY = "credentialRequest"


async def offer_links(request: ServerRequestContext[Any] | None, body: Any) -> Any:
    links = _links(body)
    if request is None or not links or not _opens_urls(request):
        return body
    for link in links:
        url = link.get("publicUri")
        if not isinstance(url, str):
            continue
        message = f"Authorize a {link.get('kind', 'credential')} ({link.get('type')}) for the scenario being built."
        try:
            answer = await request.session.elicit_url(
                message, url, str(link.get("requestId") or url), related_request_id=request.request_id
            )
        except Exception:  # no back channel on this transport: the links stay in the result
            log.debug("could not offer a credential link by elicitation", exc_info=True)
            return body
        del link["publicUri"]
        link["shownToPerson"] = answer.action  # accept, decline or cancel
    return body


def _links(body: Any) -> list[dict[str, Any]]:
    part = body.get(REQUEST_KEY) if isinstance(body, dict) else None
    links = part.get("links") if isinstance(part, dict) else None
    return [link for link in links if isinstance(link, dict)] if isinstance(links, list) else []


def _opens_urls(request: ServerRequestContext[Any]) -> bool:
    try:
        capabilities = request.session.client_capabilities
    except Exception:  # no session capabilities on this transport
        return False
    elicitation = capabilities.elicitation if capabilities is not None else None
    return elicitation is not None and elicitation.url is not None
