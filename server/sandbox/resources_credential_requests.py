"""Stateful credential requests: what a scenario needs that the team lacks, as a request whose link (publicUri) the
person opens to authorize each connection or key. The four ways of creating one share one store; modules named
by app derive their connection types and OAuth scopes from the app catalogue."""

from __future__ import annotations

import hashlib
from typing import Any

from make_mcp.server.sandbox.catalogue import find_app
from make_mcp.server.sandbox.resources import (
    Call,
    Fields,
    PageDefaults,
    Registry,
    invalid,
    list_body,
    not_found,
    require_team,
    single_body,
)
from make_mcp.server.sandbox.state import SandboxState, iso_timestamp

HANDLERS = Registry()

REQUEST_PAGES = PageDefaults(sort_by="createdAt", sort_dir="asc", limit=100)
REQUEST_KEYS = (
    "id", "organizationId", "teamId", "userId", "name", "description", "externalProviderId", "makeProviderId",
    "createdAt", "updatedAt", "expiresAt", "status", "shouldSendEmail", "emailSentAt",
)  # fmt: skip
EXPIRES_AFTER_SECONDS = 30 * 86_400
PUBLIC_URI = "https://make.com/credential-requests/{id}/authorize"


def opaque_id(state: SandboxState, kind: str) -> str:
    number = state.next_id(kind)
    return hashlib.sha256(f"{kind}-{number}".encode()).hexdigest()[:24]


def credential(component: str, name: str, scope: list[str], origin: dict[str, Any]) -> dict[str, Any]:
    """A credential row before it joins a request: a connection (account) or a key (keychain) to authorize."""
    return {
        "component": component,
        "type": {"account": "oauth", "keychain": "basic"}.get(component, component),
        "name": name,
        "label": str(origin.get("label") or origin.get("nameOverride") or ""),
        "description": str(origin.get("description") or ""),
        "scope": scope,
        "appName": origin.get("appName"),
        "appModules": list(origin.get("appModules") or []),
        "appVersion": None if origin.get("appVersion") is None else str(origin["appVersion"]),
    }


def from_modules(item: Any, problems: list[str]) -> list[dict[str, Any]]:
    """The connections and webhooks the named modules of a catalogue app need, with their scopes merged."""
    if not isinstance(item, dict) or not isinstance(item.get("appName"), str):
        problems.append("Each credential needs an 'appName' and its 'appModules'.")
        return []
    app = find_app(item["appName"])
    if app is None:
        problems.append(f"App '{item['appName']}' not found.")
        return []
    wanted: dict[tuple[str, str], list[str]] = {}
    for name in item.get("appModules") or []:
        module = app.module(str(name))
        if module is None:
            problems.append(f"App '{app.name}' has no module '{name}'.")
            continue
        account = module["account"]
        if account:
            scopes = wanted.setdefault(("account", account if isinstance(account, str) else account[0]), [])
            scopes.extend(scope for scope in module["scope"] if scope not in scopes)
        if module["hook"]:
            wanted.setdefault(("hook", module["hook"]), [])
    return [credential(component, name, scope, item) for (component, name), scope in wanted.items()]


def from_types(items: Any, component: str, problems: list[str]) -> list[dict[str, Any]]:
    """Connections or keys named by their type (`{"type", "scope"?, ...}`)."""
    rows: list[dict[str, Any]] = []
    for item in items if isinstance(items, list) else []:
        if not isinstance(item, dict) or not isinstance(item.get("type"), str):
            problems.append(f"Each {'connection' if component == 'account' else 'key'} needs a 'type'.")
            continue
        scope = [str(s) for s in item.get("scope") or item.get("scopes") or []]
        rows.append(credential(component, item["type"], scope, item))
    return rows


def provider_id(call: Call, provider: Any) -> int | None:
    """An existing user's ID, or a new ID for a person invited by name and email."""
    if isinstance(provider, int) and not isinstance(provider, bool):
        return provider
    if isinstance(provider, dict) and isinstance(provider.get("email"), str):
        return call.state.next_id("user")
    return None


def store_request(
    call: Call, fields: Fields, team_id: int, rows: list[dict[str, Any]], provider: Any = None
) -> dict[str, Any]:
    """Checks, then keeps the request and its credentials; answers the request."""
    fields.check()
    team = require_team(call.state, team_id)
    request_id, now = opaque_id(call.state, "credentialRequest"), call.state.clock()
    request = {
        "id": request_id,
        "organizationId": team["organizationId"],
        "teamId": team_id,
        "userId": call.state.user.get("id"),
        "name": fields.body.get("name") or "Credential request",
        "description": fields.body.get("description"),
        "externalProviderId": None,
        "makeProviderId": provider_id(call, provider),
        "createdAt": iso_timestamp(now),
        "updatedAt": iso_timestamp(now),
        "expiresAt": iso_timestamp(now + EXPIRES_AFTER_SECONDS),
        "status": "pending",
        "shouldSendEmail": isinstance(provider, dict),
        "emailSentAt": iso_timestamp(now) if isinstance(provider, dict) else None,
    }
    credentials = [
        {
            "id": f"cred-{opaque_id(call.state, 'credential')[:12]}",
            "requestId": request_id,
            **row,
            "remoteId": None,
            "remoteScope": [],
            "tokenId": None,
            "createdAt": request["createdAt"],
            "updatedAt": request["createdAt"],
            "state": "pending",
            "declineReason": None,
        }
        for row in rows
    ]
    call.state.credential_requests[request_id] = {**request, "credentials": credentials, "provider": provider}
    return request


def answer(request: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"request": request, **extra, "publicUri": PUBLIC_URI.format(id=request["id"])}


def stored(call: Call) -> dict[str, Any]:
    request = call.state.credential_requests.get(call.params.get("requestId", ""))
    if request is None or request["organizationId"] != call.grant.organization_id:
        raise not_found("Credential request")
    return request


# ---- creating ----


@HANDLERS.on("POST", "/credential-requests/requests/v2")
def create_request_v2(call: Call) -> Any:
    fields = call.fields()
    team_id = fields.need_int("teamId")
    fields.need_string("name")
    if not fields.has("provider"):
        fields.problems.append("Missing value of required parameter 'provider'.")
    items = fields.array("credentials", required=True) or []
    rows = [row for item in items for row in from_modules(item, fields.problems)]
    return answer(store_request(call, fields, team_id, rows, fields.body.get("provider")))


@HANDLERS.on("POST", "/credential-requests/requests")
def create_request(call: Call) -> Any:
    fields = call.fields()
    team_id = fields.need_int("teamId")
    fields.need_string("name")
    rows = [
        *from_types(fields.body.get("connections"), "account", fields.problems),
        *from_types(fields.body.get("keys"), "keychain", fields.problems),
    ]
    return answer(store_request(call, fields, team_id, rows, fields.body.get("provider")))


@HANDLERS.on("POST", "/credential-requests/actions/create-by-credentials")
def create_by_credentials(call: Call) -> Any:
    fields = call.fields()
    team_id = fields.need_int("teamId")
    rows = [
        *from_types(fields.body.get("connections"), "account", fields.problems),
        *from_types(fields.body.get("keys"), "keychain", fields.problems),
    ]
    request = store_request(call, fields, team_id, rows)
    return answer(request, credentials=call.state.credential_requests[request["id"]]["credentials"])


@HANDLERS.on("POST", "/credential-requests/actions/create")
def create_action(call: Call) -> Any:
    fields = call.fields()
    connection, key = fields.body.get("connection"), fields.body.get("key")
    chosen = connection if isinstance(connection, dict) else key if isinstance(key, dict) else None
    if chosen is None:
        raise invalid(["Give a 'connection' ({teamId, accountName, scopes?}) or a 'key' ({teamId, type})."])
    place = Fields(chosen)
    team_id = place.need_int("teamId")
    fields.problems.extend(f"{'connection' if chosen is connection else 'key'}: {p}" for p in place.problems)
    if chosen is connection:
        row = credential("account", str(chosen.get("accountName", "")), list(chosen.get("scopes") or []), chosen)
    else:
        row = credential("keychain", str(chosen.get("type", "")), [], chosen)
    if not row["name"]:
        fields.problems.append("The connection needs an 'accountName' (the key a 'type').")
    return answer(store_request(call, fields, team_id, [row]))


# ---- reading and deleting ----


@HANDLERS.on("GET", "/credential-requests/requests")
def list_requests(call: Call) -> Any:
    team_id = call.need_query_int("teamId")
    require_team(call.state, team_id)
    wanted = {name: call.query_one(name) for name in ("status", "name", "userId", "makeProviderId")}
    items = [
        {key: request[key] for key in REQUEST_KEYS}
        for request in call.state.credential_requests.values()
        if request["teamId"] == team_id
        and all(value is None or str(request[name]) == value for name, value in wanted.items())
    ]
    return list_body(call, "requests", items, REQUEST_PAGES)


@HANDLERS.on("GET", "/credential-requests/requests/{requestId}")
def get_request(call: Call) -> Any:
    request = stored(call)
    return single_body(call, "request", {key: request[key] for key in REQUEST_KEYS})


@HANDLERS.on("GET", "/credential-requests/requests/{requestId}/detail")
def get_request_detail(call: Call) -> Any:
    request = stored(call)
    provider = request["provider"] if isinstance(request["provider"], dict) else {}
    user = call.state.user
    detail = {
        **{key: request[key] for key in REQUEST_KEYS},
        "makeProvider": {"id": request["makeProviderId"], "email": provider.get("email"), "name": provider.get("name")},
        "user": {"id": user.get("id"), "email": user.get("email"), "name": user.get("name")},
        "credentials": request["credentials"],
    }
    return {"requestDetail": detail}


@HANDLERS.on("DELETE", "/credential-requests/requests/{requestId}")
def delete_request(call: Call) -> Any:
    request = stored(call)
    del call.state.credential_requests[request["id"]]
    return {"deleted": True}
