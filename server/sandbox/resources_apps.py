"""Stateful handlers of the app catalogue: search, manifests, modules needing credentials, themes, RPC options and
the blueprint JSON Schema (the endpoints behind Make's hosted builder tools; shapes in apps/README.md)."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

from make_mcp.server.sandbox.catalogue import App, find_app, parse_version, search
from make_mcp.server.sandbox.resources import (
    ApiError,
    Call,
    Registry,
    columns,
    get_or_404,
    invalid,
    not_found,
    require_team,
    select,
)

HANDLERS = Registry()

BLUEPRINT_SCHEMA_PATH = Path(__file__).with_name("blueprint-schema.json")
CONNECTION_FIELD = "__IMTCONN__"


@functools.cache
def blueprint_schema() -> dict[str, Any]:
    with BLUEPRINT_SCHEMA_PATH.open(encoding="utf-8") as handle:
        return json.load(handle)


def app_version(call: Call, name_param: str = "appName", version_param: str = "appVersion") -> tuple[App, int]:
    name, raw_version = call.params.get(name_param, ""), call.params.get(version_param, "")
    app = find_app(name)
    if app is None:
        raise not_found(f"App '{name}'")
    version = app.data["version"] if raw_version == "latest" else parse_version(raw_version)
    if version is None or version not in app.versions:
        served = ", ".join(str(v) for v in app.versions)
        raise ApiError(404, "SC404", "Not found", f"App '{name}' has no version {raw_version!r}; it has {served}.")
    return app, version


def check_scope(call: Call) -> None:
    """The organization and team named in the query must exist (Make answers 404 for others)."""
    organization_id = call.query_int("organizationId")
    if organization_id is not None:
        get_or_404(call.state.organizations, organization_id, "Organization")
    team_id = call.query_int("teamId")
    if team_id is not None:
        require_team(call.state, team_id)


@HANDLERS.on("GET", "/imt/apps")
def search_apps(call: Call) -> Any:
    check_scope(call)
    query = next((text for key in ("name", "search", "query") if (text := call.query_one(key))), "")
    scored = call.query_flag("scoredSearch") is True
    apps = [{**app.summary(), **({"score": score} if scored else {})} for score, app in search(query)]
    return {"apps": apps}


@HANDLERS.on("GET", "/imt/apps/{appName}/{appVersion}")
def get_app_manifest(call: Call) -> Any:
    check_scope(call)
    app, version = app_version(call)
    return {"app": app.manifest(version)}


def modules_with_credentials(call: Call, app: App) -> dict[str, Any]:
    needing = [module for module in app.modules if module["account"] or module["hook"]]
    cols = columns(call)
    return {
        "appModules": [
            select(
                {
                    "id": f"{app.name}:{module['name']}",
                    "name": module["name"],
                    "label": module["label"],
                    "type": module["type"],
                    "scope": module["scope"],
                    "hook": module["hook"],
                },
                cols or ["*"],
            )
            for module in needing
        ]
    }


@HANDLERS.on("GET", "/imt/apps/{appName}/{appVersion}/modules-with-credentials")
def list_modules_with_credentials(call: Call) -> Any:
    return modules_with_credentials(call, app_version(call)[0])


@HANDLERS.on("GET", "/credential-requests/apps/{name}/{version}/modules-with-credentials")
def list_credential_request_modules(call: Call) -> Any:
    return modules_with_credentials(call, app_version(call, "name", "version")[0])


@HANDLERS.on("GET", "/sdk/apps/themes")
def get_app_themes(call: Call) -> Any:
    names = [name.strip() for raw in call.query_list("names") for name in raw.split(",") if name.strip()]
    if not names:
        raise invalid(["Missing value of required parameter 'names'."])
    apps = [app for name in dict.fromkeys(names) if (app := find_app(name)) is not None]
    return {"apps": [{**{k: app.data[k] for k in ("name", "label", "theme")}, "isCompiled": True} for app in apps]}


@HANDLERS.on("POST", "/rpcs/{appName}/{appVersion}/{rpcName}")
def call_rpc(call: Call) -> Any:
    app, _ = app_version(call)
    rpc = app.rpc(call.params.get("rpcName", ""))
    if rpc is None:
        raise not_found(f"RPC '{call.params.get('rpcName')}' of app '{app.name}'")
    data = call.fields().body.get("data")
    if data is not None and not isinstance(data, dict):
        raise invalid(["Parameter 'data' must be an object."])
    if rpc["account"]:
        check_connection(call, (data or {}).get(CONNECTION_FIELD), rpc["account"])
    return {"code": "OK", "response": rpc["response"]}


def check_connection(call: Call, raw_id: Any, wanted: str | list[str]) -> None:
    """The RPC's connection: given, the caller's organization's, and of a type the RPC works with."""
    types = [wanted] if isinstance(wanted, str) else wanted
    if raw_id is None or raw_id == "":
        raise invalid(
            [
                f"Missing value of required parameter 'data.{CONNECTION_FIELD}' (a connection of type {' or '.join(types)})."
            ]
        )
    connection_id = parse_version(raw_id)
    if connection_id is None:
        raise invalid([f"Parameter 'data.{CONNECTION_FIELD}' must be a connection ID (an integer)."])
    connection = call.state.connections.get(connection_id)
    if connection is None or connection["organizationId"] != call.grant.organization_id:
        raise not_found("Connection")
    if connection["accountName"] not in types:
        raise invalid(
            [
                f"Connection {connection_id} is of type '{connection['accountName']}'; "
                f"this RPC needs a connection of type {' or '.join(types)}."
            ]
        )


@HANDLERS.on("GET", "/validation-schemas/blueprint")
def get_blueprint_schema(call: Call) -> Any:
    return {"blueprint": blueprint_schema()}
