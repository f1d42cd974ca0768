"""Stateful handlers: hooks (webhooks and mailhooks) and connections."""

from __future__ import annotations

import hashlib
from typing import Any

from make_mcp.server.sandbox.resources import (
    Call,
    PageDefaults,
    Registry,
    get_or_404,
    invalid,
    list_body,
    require_confirmation,
    require_team,
    scenarios_using,
    single_body,
)
from make_mcp.server.sandbox.state import SandboxState

HANDLERS = Registry()

HOOK_HOST = "hook.sandbox.invalid"  # a reserved name: sandbox hook addresses never reach anything real
HOOK_PAGES = PageDefaults(sort_by="id", sort_dir="asc", limit=10000)
CONNECTION_PAGES = PageDefaults(sort_by="name", sort_dir="asc", limit=10000)
HOOK_KEYS = (
    "id", "name", "teamId", "udid", "type", "packageName", "theme", "editable",
    "queueCount", "queueLimit", "enabled", "gone", "typeName", "data", "url",
)  # fmt: skip
HOOK_OPTIONS = ("method", "headers", "stringify")

# accountType (the app) -> (accountLabel, theme, kind of credentials)
APPS: dict[str, tuple[str, str, str]] = {
    "google": ("Google", "#fecd5f", "oauth"),
    "google-sheets": ("Google Sheets", "#0fa763", "oauth"),
    "slack": ("Slack", "#4a154b", "oauth"),
    "slack2": ("Slack", "#4a154b", "oauth"),
    "slack3": ("Slack", "#4a154b", "oauth"),
    "airtable2": ("Airtable", "#18bfff", "basic"),
    "openai-gpt-3": ("OpenAI", "#000000", "basic"),
    "http": ("HTTP", "#008cc9", "basic"),
}


# ---- hooks ----


def attached_scenario(state: SandboxState, hook_id: int) -> int | None:
    return next((s["id"] for s in state.scenarios.values() if s["hookId"] == hook_id), None)


def render_hook(state: SandboxState, hook: dict[str, Any]) -> dict[str, Any]:
    rendered = {key: hook[key] for key in HOOK_KEYS}
    scenario_id = attached_scenario(state, hook["id"])
    if scenario_id is not None:
        rendered["scenarioId"] = scenario_id
    return rendered


def add_hook(state: SandboxState, *, team_id: int, name: str, type_name: str, data: dict[str, Any]) -> dict[str, Any]:
    hook_id = state.next_id("hook")
    udid = hashlib.sha256(f"hook-{state.next_id('udid')}".encode()).hexdigest()[:32]
    mail = type_name == "gateway-mailhook"
    url = f"{udid}@{HOOK_HOST}" if mail else f"https://{HOOK_HOST}/{udid}"
    gateway = type_name.startswith("gateway-")
    hook = {
        "id": hook_id,
        "name": name,
        "teamId": team_id,
        "udid": udid,
        "type": "mail" if mail else "web",
        "packageName": None,
        "theme": "#c73a63" if gateway else "#6d00cc",
        "editable": gateway,
        "queueCount": 0,
        "queueLimit": 10000,
        "enabled": True,
        "gone": False,
        "typeName": type_name,
        "data": {**data, "teamId": team_id} if gateway else {**data, "teamId": team_id, "url": url},
        "url": url,
        "learning": True,  # Make starts learning the payload structure when a hook is created
    }
    state.hooks[hook_id] = hook
    return hook


def get_hook(call: Call) -> dict[str, Any]:
    return get_or_404(call.state.hooks, call.path_int("hookId"), "Hook")


@HANDLERS.on("GET", "/hooks")
def list_hooks(call: Call) -> Any:
    team_id = call.need_query_int("teamId")
    require_team(call.state, team_id)
    items = [render_hook(call.state, h) for h in call.state.hooks.values() if h["teamId"] == team_id]
    type_name = call.query_one("typeName")
    if type_name is not None:
        items = [h for h in items if h["typeName"] == type_name]
    assigned = call.query_flag("assigned")
    if assigned is not None:
        items = [h for h in items if ("scenarioId" in h) == assigned]
    for_scenario = call.query_int("viewForScenarioId")
    if for_scenario is not None:
        items = [h for h in items if h.get("scenarioId", for_scenario) == for_scenario]
    return list_body(call, "hooks", items, HOOK_PAGES, with_pg=False)


@HANDLERS.on("GET", "/hooks/{hookId}")
def get_hook_details(call: Call) -> Any:
    return single_body(call, "hook", render_hook(call.state, get_hook(call)))


@HANDLERS.on("POST", "/hooks")
def create_hook(call: Call) -> Any:
    fields = call.fields()
    name = fields.need_string("name", max_length=128)
    team_id = fields.need_int("teamId")
    type_name = fields.need_string("typeName")
    options = {option: fields.boolean(option) or False for option in HOOK_OPTIONS}
    fields.check()
    require_team(call.state, team_id)
    extra = {
        key: value for key, value in fields.body.items() if key not in ("name", "teamId", "typeName", *HOOK_OPTIONS)
    }
    data = {**options, "ip": None, "udt": None} if type_name == "gateway-webhook" else extra
    hook = add_hook(call.state, team_id=team_id, name=name, type_name=type_name, data=data)
    return {"hook": render_hook(call.state, hook)}


@HANDLERS.on("PATCH", "/hooks/{hookId}")
def update_hook(call: Call) -> Any:
    hook = get_hook(call)
    fields = call.fields()
    name = fields.string("name", max_length=128)
    fields.check()
    if name is not None:
        hook["name"] = name
    return {"hook": render_hook(call.state, hook)}


@HANDLERS.on("DELETE", "/hooks/{hookId}")
def delete_hook(call: Call) -> Any:
    hook = get_hook(call)
    if attached_scenario(call.state, hook["id"]) is not None:
        require_confirmation(call, "The hook is used in a scenario, which will stop working without it.")
    del call.state.hooks[hook["id"]]
    return {"hook": hook["id"]}


@HANDLERS.on("POST", "/hooks/{hookId}/enable")
def enable_hook(call: Call) -> Any:
    get_hook(call)["enabled"] = True
    return {"success": True}


@HANDLERS.on("POST", "/hooks/{hookId}/disable")
def disable_hook(call: Call) -> Any:
    get_hook(call)["enabled"] = False
    return {"success": True}


@HANDLERS.on("POST", "/hooks/{hookId}/learn-start")
def start_learning(call: Call) -> Any:
    get_hook(call)["learning"] = True
    return {"success": True}


@HANDLERS.on("POST", "/hooks/{hookId}/learn-stop")
def stop_learning(call: Call) -> Any:
    get_hook(call)["learning"] = False
    return {"success": True}


@HANDLERS.on("GET", "/hooks/{hookId}/ping")
def ping_hook(call: Call) -> Any:
    hook = get_hook(call)
    attached = attached_scenario(call.state, hook["id"]) is not None
    return {"address": hook["url"], "attached": attached, "learning": hook["learning"], "gone": hook["gone"]}


@HANDLERS.on("POST", "/hooks/{hookId}/set-data")
def set_hook_data(call: Call) -> Any:
    hook = get_hook(call)
    changes = call.fields().body
    changed = any(hook["data"].get(key) != value for key, value in changes.items())
    hook["data"].update(changes)
    return {"changed": changed}


# ---- connections ----


def add_connection(
    state: SandboxState,
    *,
    team_id: int,
    name: str,
    app: str,
    scopes: list[str],
    data: dict[str, Any],
    metadata: dict[str, Any] | None = None,
) -> dict[str, Any]:
    label, theme, kind = APPS.get(app, (app.replace("-", " ").title(), "#6d00cc", "basic"))
    connection = {
        "id": state.next_id("connection"),
        "name": name,
        "accountName": app,
        "accountLabel": label,
        "packageName": None,
        "expire": None,
        "metadata": metadata,
        "teamId": team_id,
        "theme": theme,
        "upgradeable": False,
        "scopesCnt": len(scopes),
        "scoped": True,
        "accountType": kind,
        "editable": kind == "basic",
        "uid": None,
        "organizationId": state.teams[team_id]["organizationId"],
    }
    state.connections[connection["id"]] = {**connection, "scopes": scopes, "data": data}
    return connection


def render_connection(connection: dict[str, Any], *, with_scopes: bool = False) -> dict[str, Any]:
    rendered = {key: value for key, value in connection.items() if key not in ("scopes", "data")}
    if with_scopes:
        rendered["scopes"] = [{"id": scope, "account": connection["accountName"]} for scope in connection["scopes"]]
    return rendered


def get_connection(call: Call) -> dict[str, Any]:
    return get_or_404(call.state.connections, call.path_int("connectionId"), "Connection")


@HANDLERS.on("GET", "/connections")
def list_connections(call: Call) -> Any:
    team_id = call.need_query_int("teamId")
    require_team(call.state, team_id)
    items = [render_connection(c) for c in call.state.connections.values() if c["teamId"] == team_id]
    types = call.query_list("type")
    if types:
        items = [c for c in items if c["accountName"] in types]
    return list_body(call, "connections", items, CONNECTION_PAGES, with_pg=False)


@HANDLERS.on("GET", "/connections/{connectionId}")
def get_connection_details(call: Call) -> Any:
    return single_body(call, "connection", render_connection(get_connection(call), with_scopes=True))


@HANDLERS.on("POST", "/connections")
def create_connection(call: Call) -> Any:
    team_id = call.need_query_int("teamId")
    fields = call.fields()
    # Make's naming: the request's accountName is the connection's name, accountType is the app.
    name = fields.need_string("accountName", max_length=128)
    app = fields.need_string("accountType")
    scopes = fields.array("scopes") or []
    fields.check()
    require_team(call.state, team_id)
    data = {key: value for key, value in fields.body.items() if key not in ("accountName", "accountType", "scopes")}
    connection = add_connection(
        call.state, team_id=team_id, name=name, app=app, scopes=[str(s) for s in scopes], data=data
    )
    return single_body(call, "connection", connection)


@HANDLERS.on("PATCH", "/connections/{connectionId}")
def rename_connection(call: Call) -> Any:
    connection = get_connection(call)
    fields = call.fields()
    name = fields.need_string("name", max_length=128)
    fields.check()
    connection["name"] = name
    return single_body(call, "connection", render_connection(connection))


@HANDLERS.on("DELETE", "/connections/{connectionId}")
def delete_connection(call: Call) -> Any:
    connection = get_connection(call)
    if scenarios_using(call.state, "__IMTCONN__", connection["id"]):
        require_confirmation(call, "The connection is used in a scenario, which will stop working without it.")
    del call.state.connections[connection["id"]]
    return {"connection": connection["id"]}


@HANDLERS.on("POST", "/connections/{connectionId}/test")
def verify_connection(call: Call) -> Any:
    get_connection(call)
    return {"verified": True}


@HANDLERS.on("GET", "/connections/{connectionId}/editable-data-schema")
def editable_connection_parameters(call: Call) -> Any:
    return {"editableParameters": sorted(get_connection(call)["data"])}


@HANDLERS.on("POST", "/connections/{connectionId}/set-data")
def set_connection_data(call: Call) -> Any:
    connection = get_connection(call)
    if not connection["editable"]:
        raise invalid(["Cannot edit this connection."])
    connection["data"] = dict(call.fields().body)
    return {"changed": True}
