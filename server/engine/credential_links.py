"""Links a person opens to add a credential (a builder tool's credential requests), offered by URL-mode
elicitation where the client supports it: the client shows the link to the person, and the agent's result says
only that it was shown. Elsewhere the links stay in the result for the agent to pass on. Either way no secret
passes through the agent: the person authorizes on Make's page."""

from __future__ import annotations

import logging
from typing import Any

from make_mcp.server.engine.ports import Person

log = logging.getLogger("make_mcp.app")

# Where a builder answer holds them (server/builder/credentials.py).
REQUEST_KEY = "credentialRequest"


async def offer_links(person: Person | None, body: Any) -> Any:
    links = _links(body)
    if person is None or not links or not person.opens_urls:
        return body
    for link in links:
        url = link.get("publicUri")
        if not isinstance(url, str):
            continue
        message = f"Authorize a {link.get('kind', 'credential')} ({link.get('type')}) for the scenario being built."
        try:
            action = await person.open_url(message, url, str(link.get("requestId") or url))
        except Exception:  # no back channel on this transport: the links stay in the result
            log.debug("could not offer a credential link by elicitation", exc_info=True)
            return body
        del link["publicUri"]
        link["shownToPerson"] = action  # accept, decline or cancel
    return body


def _links(body: Any) -> list[dict[str, Any]]:
    part = body.get(REQUEST_KEY) if isinstance(body, dict) else None
    links = part.get("links") if isinstance(part, dict) else None
    return [link for link in links if isinstance(link, dict)] if isinstance(links, list) else []
