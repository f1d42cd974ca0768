"""Stateful handlers of operations the reference does not document but Make's SDK calls.

Their routes come from tools/spec/official-undocumented-openapi.json (undocumented.py); the shapes of the answers
from the SDK's recorded responses. Connected systems, private spaces, custom roles, SDK app endpoints and the
SDK sections written here are kept in the sandbox's state; the rest echo what they were sent.
"""

from __future__ import annotations

import copy
import uuid
from typing import Any

from make_mcp.server.sandbox.resources import (
    ApiError,
    Call,
    PageDefaults,
    Registry,
    get_or_404,
    invalid,
    list_body,
    not_found,
    require_confirmation,
    scenarios_using,
    single_body,
)
from make_mcp.server.sandbox.state import SandboxState

HANDLERS = Registry()

BY_NAME = PageDefaults(sort_by="name", sort_dir="asc", limit=10000)
ROLE_CATEGORIES = ("organization", "team")
APP_SECTIONS = ("base", "groups", "install", "installSpec")
ENDPOINT_SECTIONS = ("api", "scope", "inputParameters", "outputParameters")
# Apps an on-premise agent can reach, as the enum answers them.
CONNECTED_SYSTEM_APPS = [
    {"name": "sap-agent", "label": "SAP"},
    {"name": "http", "label": "HTTP"},
    {"name": "database", "label": "Database"},
]


def seed_private_spaces(state: SandboxState, organization_id: int) -> None:
    """One personal private space of the sandbox user in the organization."""
    space_id = state.next_id("privateSpace")
    state.private_spaces[space_id] = {
        "id": space_id,
        "name": f"{state.user.get('name', 'Maker')}'s space",
        "organizationId": organization_id,
        "globalAgentsEnabled": False,
        "type": "personal",
        "privateSpaceOwnerName": state.user.get("name"),
        "privateSpaceOwnerEmail": state.user.get("email"),
        "privateSpaceOwnerId": state.user.get("id"),
        "operationsLimit": None,
        "transferLimit": None,
        "consumedOperations": 0,
        "consumedTransfer": "0",
        "isPaused": False,
        "externalId": None,
        "deleted": False,
    }


def require_organization(call: Call, organization_id: int) -> None:
    get_or_404(call.state.organizations, organization_id, "Organization")


# ---- private spaces ----


@HANDLERS.on("GET", "/private-spaces")
def list_private_spaces(call: Call) -> Any:
    organization_id = call.need_query_int("organizationId")
    require_organization(call, organization_id)
    external_id = call.query_one("externalId")
    items = [
        space
        for space in call.state.private_spaces.values()
        if space["organizationId"] == organization_id and (external_id is None or space["externalId"] == external_id)
    ]
    return list_body(call, "privateSpaces", items, BY_NAME)


@HANDLERS.on("GET", "/private-spaces/{privateSpaceId}")
def get_private_space(call: Call) -> Any:
    space = get_or_404(call.state.private_spaces, call.path_int("privateSpaceId"), "Private space")
    return single_body(call, "privateSpace", space)


@HANDLERS.on("PATCH", "/private-spaces/{privateSpaceId}")
def update_private_space(call: Call) -> Any:
    space = get_or_404(call.state.private_spaces, call.path_int("privateSpaceId"), "Private space")
    fields = call.fields()
    limit = fields.integer("operationsLimit", minimum=0)
    fields.check()
    if fields.has("operationsLimit"):
        if limit is not None and limit < space["consumedOperations"]:
            require_confirmation(call, "The new limit is below the operations the space has used; it will pause.")
        space["operationsLimit"] = limit
        space["isPaused"] = limit is not None and limit < space["consumedOperations"]
    return {"privateSpace": space}


# ---- custom roles ----


def role_fields(call: Call, *, creating: bool) -> dict[str, Any]:
    fields = call.fields()
    changes: dict[str, Any] = {
        "organizationId": fields.need_int("organizationId"),
        "name": fields.need_string("name", max_length=100) if creating else fields.string("name", max_length=100),
    }
    if creating:
        changes["category"] = fields.need_string("category")
    if fields.has("description"):
        description = fields.body["description"]
        if description is not None and not isinstance(description, str):
            fields.problems.append("Parameter 'description' must be a string or null.")
        changes["description"] = description
    permissions = fields.array("permissions")
    if permissions is not None:
        if not all(isinstance(p, int) and not isinstance(p, bool) for p in permissions):
            fields.problems.append("Parameter 'permissions' must be an array of permission ids.")
        changes["permissions"] = [{"id": p, "name": f"permission {p}"} for p in permissions]
    fields.check()
    if creating and changes["category"] not in ROLE_CATEGORIES:
        raise invalid([f"Parameter 'category' must be one of: {', '.join(ROLE_CATEGORIES)}."])
    require_organization(call, changes["organizationId"])
    return {key: value for key, value in changes.items() if value is not None or key == "description"}


def organization_role(call: Call) -> dict[str, Any]:
    role = get_or_404(call.state.custom_roles, call.path_int("id"), "Custom role")
    organization_id = call.fields().need_int("organizationId")
    if role["organizationId"] != organization_id:
        raise not_found("Custom role")
    return role


@HANDLERS.on("POST", "/users/custom-roles")
def create_custom_role(call: Call) -> Any:
    changes = role_fields(call, creating=True)
    role = {
        "id": call.state.next_id("customRole"),
        "managementType": "custom_managed",
        "description": None,
        "permissions": [],
        **changes,
    }
    call.state.custom_roles[role["id"]] = role
    return {"role": role}


@HANDLERS.on("PATCH", "/users/custom-roles/{id}")
def update_custom_role(call: Call) -> Any:
    role = organization_role(call)
    role.update(role_fields(call, creating=False))
    return {"role": role}


@HANDLERS.on("DELETE", "/users/custom-roles/{id}")
def delete_custom_role(call: Call) -> Any:
    role = organization_role(call)
    del call.state.custom_roles[role["id"]]
    return {"roleId": role["id"]}


# ---- connected systems (on-premise agents) ----


def system_or_404(call: Call) -> dict[str, Any]:
    organization_id = call.need_query_int("organizationId")
    system = call.state.connected_systems.get(call.params.get("connectedSystemId", ""))
    if system is None or system["organizationId"] != organization_id:
        raise not_found("Connected system")
    return system


def inputs_list(inputs: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"name": name, "value": value} for name, value in inputs.items()]


@HANDLERS.on("GET", "/connected-systems")
def list_connected_systems(call: Call) -> Any:
    organization_id = call.need_query_int("organizationId")
    require_organization(call, organization_id)
    agent_id = call.query_one("agentId")
    if agent_id is None:
        raise invalid(["Missing value of required parameter 'agentId'."])
    items = [
        public_system(s)
        for s in call.state.connected_systems.values()
        if s["organizationId"] == organization_id and s["agentId"] == agent_id
    ]
    return {"connectedSystems": items}


def public_system(system: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in system.items() if key != "organizationId"}


@HANDLERS.on("GET", "/connected-systems/{connectedSystemId}")
def get_connected_system(call: Call) -> Any:
    return {"connectedSystem": public_system(system_or_404(call))}


@HANDLERS.on("POST", "/connected-systems")
def create_connected_system(call: Call) -> Any:
    organization_id = call.need_query_int("organizationId")
    fields = call.fields()
    name = fields.need_string("name", max_length=128)
    agent_id = fields.need_string("agentId")
    app_name = fields.need_string("appName")
    inputs = fields.obj("inputs", required=True) or {}
    fields.check()
    require_organization(call, organization_id)
    system_id = str(uuid.UUID(int=call.state.next_id("connectedSystem") + 1, version=4))
    system = {
        "id": system_id,
        "name": name,
        "agentId": agent_id,
        "appName": app_name,
        "inputs": inputs_list(inputs),
        "organizationId": organization_id,
    }
    call.state.connected_systems[system_id] = system
    return {"connectedSystem": public_system(system)}


@HANDLERS.on("PATCH", "/connected-systems/{connectedSystemId}")
def update_connected_system(call: Call) -> Any:
    system = system_or_404(call)
    fields = call.fields()
    changes = {
        "name": fields.string("name", max_length=128),
        "agentId": fields.string("agentId"),
        "appName": fields.string("appName"),
    }
    inputs = fields.obj("inputs")
    fields.check()
    system.update({key: value for key, value in changes.items() if value is not None})
    if inputs is not None:
        system["inputs"] = inputs_list(inputs)
    return {"connectedSystem": public_system(system)}


@HANDLERS.on("DELETE", "/connected-systems/{connectedSystemId}")
def delete_connected_system(call: Call) -> Any:
    system = system_or_404(call)
    del call.state.connected_systems[system["id"]]
    return {"connectedSystem": system["id"]}


@HANDLERS.on("GET", "/enums/connected-system-apps")
def list_connected_system_apps(call: Call) -> Any:
    return {"connectedSystemApps": copy.deepcopy(CONNECTED_SYSTEM_APPS)}


# ---- SDK app sections and endpoints ----


def section_name(call: Call, allowed: tuple[str, ...]) -> str:
    section = call.params.get("section", "")
    if section not in allowed:
        raise invalid([f"Parameter 'section' must be one of: {', '.join(allowed)} (got '{section}')."])
    return section


@HANDLERS.on("GET", "/sdk/apps/{name}/{version}/{section}")
def get_app_section(call: Call) -> Any:
    key = (call.params["name"], call.params["version"], section_name(call, APP_SECTIONS))
    return copy.deepcopy(call.state.sdk_sections.get(key, {}))


@HANDLERS.on("PUT", "/sdk/apps/{name}/{version}/{section}")
def set_app_section(call: Call) -> Any:
    key = (call.params["name"], call.params["version"], section_name(call, APP_SECTIONS))
    call.state.sdk_sections[key] = copy.deepcopy(call.body)
    return copy.deepcopy(call.body) if call.body is not None else {}


def endpoint_key(call: Call) -> tuple[str, str, str]:
    return (call.params["appName"], call.params["appVersion"], call.params.get("endpointName", ""))


def endpoint_or_404(call: Call) -> dict[str, Any]:
    endpoint = call.state.sdk_endpoints.get(endpoint_key(call))
    if endpoint is None:
        raise not_found("App endpoint")
    return endpoint


@HANDLERS.on("GET", "/sdk/apps/{appName}/{appVersion}/endpoints")
def list_endpoints(call: Call) -> Any:
    app, version, _ = endpoint_key(call)
    items = [e for (a, v, _), e in call.state.sdk_endpoints.items() if (a, v) == (app, version)]
    return {"appEndpoints": sorted(items, key=lambda e: e["name"])}


@HANDLERS.on("GET", "/sdk/apps/{appName}/{appVersion}/endpoints/{endpointName}")
def get_endpoint(call: Call) -> Any:
    return {"appEndpoint": endpoint_or_404(call)}


@HANDLERS.on("POST", "/sdk/apps/{appName}/{appVersion}/endpoints")
def create_endpoint(call: Call) -> Any:
    fields = call.fields()
    name = fields.need_string("name", max_length=128)
    label = fields.need_string("label", max_length=128)
    description = fields.string("description")
    accounts = fields.array("attachedAccounts") or []
    fields.check()
    app, version, _ = endpoint_key(call)
    if (app, version, name) in call.state.sdk_endpoints:
        raise ApiError(400, "SC400", "Bad request", f"An endpoint named '{name}' already exists in the app.")
    now = call.state.now_iso()
    endpoint = {
        "name": name,
        "label": label,
        "description": description,
        "context": None,
        "annotations": {},
        "attachedAccounts": accounts,
        "public": False,
        "approved": False,
        "deprecated": False,
        "archived": False,
        "schemaVersion": 1,
        "createdAt": now,
        "updatedAt": now,
    }
    call.state.sdk_endpoints[(app, version, name)] = endpoint
    return {"appEndpoint": endpoint}


@HANDLERS.on("PATCH", "/sdk/apps/{appName}/{appVersion}/endpoints/{endpointName}")
def update_endpoint(call: Call) -> Any:
    endpoint = endpoint_or_404(call)
    fields = call.fields()
    changes = {
        "label": fields.string("label", max_length=128),
        "description": fields.string("description"),
        "context": fields.string("context"),
        "annotations": fields.obj("annotations"),
        "attachedAccounts": fields.array("attachedAccounts"),
    }
    fields.check()
    endpoint.update({key: value for key, value in changes.items() if value is not None})
    endpoint["updatedAt"] = call.state.now_iso()
    return {"appEndpoint": endpoint}


@HANDLERS.on("DELETE", "/sdk/apps/{appName}/{appVersion}/endpoints/{endpointName}")
def delete_endpoint(call: Call) -> Any:
    endpoint = endpoint_or_404(call)
    key = endpoint_key(call)
    del call.state.sdk_endpoints[key]
    for section_key in [k for k in call.state.sdk_sections if k[:3] == key and len(k) == 4]:
        del call.state.sdk_sections[section_key]
    return {"appEndpoint": endpoint["name"]}


@HANDLERS.on("POST", "/sdk/apps/{appName}/{appVersion}/endpoints/{endpointName}/public")
def publish_endpoint(call: Call) -> Any:
    endpoint = endpoint_or_404(call)
    endpoint["public"] = True
    return {"appEndpoint": endpoint}


@HANDLERS.on("POST", "/sdk/apps/{appName}/{appVersion}/endpoints/{endpointName}/private")
def unpublish_endpoint(call: Call) -> Any:
    endpoint = endpoint_or_404(call)
    endpoint["public"] = False
    return {"appEndpoint": endpoint}


@HANDLERS.on("GET", "/sdk/apps/{appName}/{appVersion}/endpoints/{endpointName}/{section}")
def get_endpoint_section(call: Call) -> Any:
    endpoint_or_404(call)
    key = (*endpoint_key(call), section_name(call, ENDPOINT_SECTIONS))
    return copy.deepcopy(call.state.sdk_sections.get(key, {}))


@HANDLERS.on("PUT", "/sdk/apps/{appName}/{appVersion}/endpoints/{endpointName}/{section}")
def set_endpoint_section(call: Call) -> Any:
    endpoint_or_404(call)
    key = (*endpoint_key(call), section_name(call, ENDPOINT_SECTIONS))
    call.state.sdk_sections[key] = copy.deepcopy(call.body)
    return copy.deepcopy(call.body) if call.body is not None else {}


# ---- data stores: one store ----


@HANDLERS.on("DELETE", "/data-stores/{dataStoreId}")
def delete_data_store(call: Call) -> Any:
    store_id = call.path_int("dataStoreId")
    get_or_404(call.state.data_stores, store_id, "Data store")
    if scenarios_using(call.state, "datastore", store_id):
        require_confirmation(call, "The data store is used in a scenario, which will stop working.")
    del call.state.data_stores[store_id]
    call.state.records.pop(store_id, None)
    return {"dataStore": store_id}
