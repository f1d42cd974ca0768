"""Credential requests for what a blueprint needs and the team lacks: Make answers with a link (`publicUri`) the
person opens to authorize a connection or store a key themselves, so no secret ever passes through the agent."""

from __future__ import annotations

from typing import Any

from make_mcp.server.builder.context import BuildContext
from make_mcp.server.builder.manifests import ModuleSpec
from make_mcp.server.errors import InvalidArguments
from make_mcp.tools.builder import CREATE_CREDENTIAL_REQUEST

# The component kinds a credential request can supply, and the request body field naming each.
REQUESTABLE = {"connection": "connection", "key": "key"}


async def credential_request(
    build: BuildContext, team_id: int | None, components: list[dict[str, Any]], specs: dict[int, ModuleSpec]
) -> dict[str, Any]:
    """One request per missing connection or key type; the links the person opens, and what else is missing."""
    if team_id is None:
        raise InvalidArguments("extract_blueprint_components", ["- teamId: a credential request belongs to a team"])
    links = []
    others = []
    for component in components:
        if component.get("missing") is not True:
            continue
        body_field = REQUESTABLE.get(component["kind"])
        kind_type = str(component.get("type") or "").split(" or ")[0]
        if body_field is None or not kind_type:
            others.append(
                f"{component['kind']} for modules {component['modules']}: create it in Make (or with its "
                f"_create tool) and put its ID in the blueprint"
            )
            continue
        body = {
            "name": f"Authorize {kind_type} for a scenario",
            "teamId": team_id,
            body_field: _component(body_field, team_id, kind_type, component, specs),
        }
        answer = await build.port.send(CREATE_CREDENTIAL_REQUEST, body=body)
        link = answer.get("publicUri") if isinstance(answer, dict) else None
        request = answer.get("request") if isinstance(answer, dict) else None
        links.append(
            {
                "kind": component["kind"],
                "type": kind_type,
                "publicUri": link,
                "requestId": request.get("id") if isinstance(request, dict) else None,
            }
        )
    result: dict[str, Any] = {"links": links}
    if links:
        result["next"] = (
            "Give the person each publicUri to open and authorize; then list the team's connections "
            "(or keys) again for the new IDs. The secret never passes through you."
        )
    if others:
        result["notRequestable"] = others
    return result


def _component(
    body_field: str, team_id: int, kind_type: str, component: dict[str, Any], specs: dict[int, ModuleSpec]
) -> dict[str, Any]:
    modules = [specs[m] for m in component["modules"] if isinstance(m, int) and m in specs]
    shaped: dict[str, Any] = {"teamId": team_id}
    if body_field == "connection":
        shaped["accountName"] = kind_type
        shaped["scopes"] = component.get("scopes", [])
    else:
        shaped["type"] = kind_type
    if modules:
        shaped["appName"] = modules[0].app
        shaped["appVersion"] = str(modules[0].version)
        shaped["appModules"] = sorted({m.name for m in modules if m.app == modules[0].app})
    return shaped
