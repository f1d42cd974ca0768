"""Stateful handlers: data structures, data stores and data store records."""

from __future__ import annotations

import json
from typing import Any

from make_mcp.server.sandbox.resources import (
    ApiError,
    Call,
    PageDefaults,
    Registry,
    bad_request,
    get_or_404,
    invalid,
    list_body,
    require_confirmation,
    require_team,
    scenarios_using,
    single_body,
    window,
)
from make_mcp.server.sandbox.state import SandboxState

HANDLERS = Registry()

BY_NAME = PageDefaults(sort_by="name", sort_dir="asc", limit=10000)
RECORDS_DEFAULT_LIMIT = 10000
MEGABYTE = 1024 * 1024

# Python types a value must have for each data structure field type.
FIELD_TYPES: dict[str, tuple[type, ...]] = {
    "text": (str,),
    "number": (int, float),
    "boolean": (bool,),
    "date": (str,),
    "array": (list,),
    "collection": (dict,),
}


# ---- data structures ----


@HANDLERS.on("GET", "/data-structures")
def list_data_structures(call: Call) -> Any:
    team_id = call.need_query_int("teamId")
    require_team(call.state, team_id)
    items = [ds for ds in call.state.data_structures.values() if ds["teamId"] == team_id]
    return list_body(call, "dataStructures", items, BY_NAME, default_cols=["id", "name", "teamId"])


@HANDLERS.on("GET", "/data-structures/{dataStructureId}")
def get_data_structure(call: Call) -> Any:
    structure = get_or_404(call.state.data_structures, call.path_int("dataStructureId"), "Data structure")
    return single_body(call, "dataStructure", structure)


@HANDLERS.on("POST", "/data-structures")
def create_data_structure(call: Call) -> Any:
    fields = call.fields()
    team_id = fields.need_int("teamId")
    name = fields.need_string("name", max_length=128)
    spec = fields.array("spec", required=True) or []
    strict = fields.boolean("strict") or False
    fields.problems.extend(spec_problems(spec))
    fields.check()
    require_team(call.state, team_id)
    structure = {"id": call.state.next_id("dataStructure"), "name": name, "teamId": team_id, "spec": spec}
    structure["strict"] = strict
    call.state.data_structures[structure["id"]] = structure
    return {"dataStructure": structure}


def spec_problems(spec: list[Any]) -> list[str]:
    problems: list[str] = []
    for index, item in enumerate(spec):
        if not isinstance(item, dict) or not isinstance(item.get("name"), str) or not item.get("type"):
            problems.append(f"Item {index} of 'spec' needs a string 'name' and a 'type'.")
    return problems


def record_problems(structure: dict[str, Any], data: dict[str, Any]) -> list[str]:
    """Only strict data structures refuse data that does not fit them."""
    if not structure.get("strict"):
        return []
    spec = {item["name"]: item for item in structure["spec"]}
    problems = [f"Field '{key}' is not in the data structure." for key in data if key not in spec]
    for name, item in spec.items():
        value = data.get(name)
        if value is None:
            if item.get("required"):
                problems.append(f"Field '{name}' is required.")
            continue
        expected = FIELD_TYPES.get(item["type"])
        if expected and (not isinstance(value, expected) or (bool not in expected and isinstance(value, bool))):
            problems.append(f"Field '{name}' must be of type {item['type']}.")
    return problems


# ---- data stores ----


def render_store(state: SandboxState, store: dict[str, Any]) -> dict[str, Any]:
    records = state.records.get(store["id"], {})
    return {
        "id": store["id"],
        "name": store["name"],
        "records": len(records),
        "size": str(records_size(records)),
        "maxSize": str(store["maxSize"]),
        "teamId": store["teamId"],
        "datastructureId": store["datastructureId"],
    }


def records_size(records: dict[str, dict[str, Any]]) -> int:
    return sum(len(key) + len(json.dumps(data, separators=(",", ":")).encode()) for key, data in records.items())


def check_structure(state: SandboxState, structure_id: int, team_id: int) -> None:
    if state.data_structures.get(structure_id, {}).get("teamId") != team_id:
        raise ApiError(404, "SC404", "Not found", "Data structure not found in the team.")


@HANDLERS.on("GET", "/data-stores")
def list_data_stores(call: Call) -> Any:
    team_id = call.need_query_int("teamId")
    require_team(call.state, team_id)
    items = [render_store(call.state, s) for s in call.state.data_stores.values() if s["teamId"] == team_id]
    return list_body(call, "dataStores", items, BY_NAME)


@HANDLERS.on("GET", "/data-stores/{dataStoreId}")
def get_data_store(call: Call) -> Any:
    store = get_or_404(call.state.data_stores, call.path_int("dataStoreId"), "Data store")
    return single_body(call, "dataStore", render_store(call.state, store))


@HANDLERS.on("POST", "/data-stores")
def create_data_store(call: Call) -> Any:
    fields = call.fields()
    name = fields.need_string("name", max_length=128)
    team_id = fields.need_int("teamId")
    structure_id = fields.need_int("datastructureId")
    max_size_mb = fields.need_int("maxSizeMB", minimum=1)
    fields.check()
    require_team(call.state, team_id)
    check_structure(call.state, structure_id, team_id)
    store = {
        "id": call.state.next_id("dataStore"),
        "name": name,
        "teamId": team_id,
        "datastructureId": structure_id,
        "maxSize": max_size_mb * MEGABYTE,
    }
    call.state.data_stores[store["id"]] = store
    call.state.records[store["id"]] = {}
    return {"dataStore": render_store(call.state, store)}


@HANDLERS.on("PATCH", "/data-stores/{dataStoreId}")
def update_data_store(call: Call) -> Any:
    store = get_or_404(call.state.data_stores, call.path_int("dataStoreId"), "Data store")
    fields = call.fields()
    name = fields.string("name", max_length=128)
    structure_id = fields.integer("datastructureId")
    max_size_mb = fields.integer("maxSizeMB", minimum=1)
    fields.check()
    if structure_id is not None:
        check_structure(call.state, structure_id, store["teamId"])
        store["datastructureId"] = structure_id
    if name is not None:
        store["name"] = name
    if max_size_mb is not None:
        store["maxSize"] = max_size_mb * MEGABYTE
    return {"dataStore": render_store(call.state, store)}


@HANDLERS.on("DELETE", "/data-stores")
def delete_data_stores(call: Call) -> Any:
    team_id = call.need_query_int("teamId")
    require_team(call.state, team_id)
    fields = call.fields()
    ids = fields.array("ids") or []
    delete_all = fields.boolean("all") or False
    except_ids = fields.array("exceptIds") or []
    fields.check()
    if not ids and not delete_all:
        raise invalid(["Provide the 'ids' to delete, or 'all': true."])
    team_stores = [s["id"] for s in call.state.data_stores.values() if s["teamId"] == team_id]
    wanted = {str(i) for i in ids}
    excepted = {str(i) for i in except_ids}
    chosen = [sid for sid in team_stores if (delete_all and str(sid) not in excepted) or str(sid) in wanted]
    if any(scenarios_using(call.state, "datastore", sid) for sid in chosen):
        require_confirmation(call, "A data store to delete is used in a scenario, which will stop working.")
    for store_id in chosen:
        del call.state.data_stores[store_id]
        call.state.records.pop(store_id, None)
    return {"dataStores": chosen}


# ---- data store records ----


def store_and_structure(call: Call) -> tuple[dict[str, Any], dict[str, Any]]:
    store = get_or_404(call.state.data_stores, call.path_int("dataStoreId"), "Data store")
    structure = call.state.data_structures.get(store["datastructureId"], {"spec": [], "strict": False})
    return store, structure


def save_record(call: Call, store: dict[str, Any], structure: dict[str, Any], key: str, data: dict[str, Any]) -> Any:
    problems = record_problems(structure, data)
    if problems:
        raise invalid(problems)
    records = call.state.records.setdefault(store["id"], {})
    if records_size({**records, key: data}) > store["maxSize"]:
        raise ApiError(400, "IM003", "Storage not enough space", "The record does not fit into the data store.")
    records[key] = data
    return {"key": key, "data": data}


@HANDLERS.on("GET", "/data-stores/{dataStoreId}/data")
def list_records(call: Call) -> Any:
    store, structure = store_and_structure(call)
    records = [{"key": key, "data": data} for key, data in call.state.records.get(store["id"], {}).items()]
    chosen, pg = window(call, records, RECORDS_DEFAULT_LIMIT)
    return {
        "records": chosen,
        "spec": structure["spec"],
        "strict": structure["strict"],
        "count": len(records),
        "pg": pg,
    }


@HANDLERS.on("POST", "/data-stores/{dataStoreId}/data")
def create_record(call: Call) -> Any:
    store, structure = store_and_structure(call)
    fields = call.fields()
    key = fields.string("key", max_length=256)
    data = fields.obj("data")
    fields.check()
    if key == "":
        raise invalid(["Parameter 'key' must not be empty."])
    if key is not None and key in call.state.records.get(store["id"], {}):
        raise bad_request(f"A record with the key '{key}' already exists in the data store.")
    if data is None:
        data = {item["name"]: None for item in structure["spec"]}
    key = key if key is not None else f"{call.state.next_id('record'):012x}"
    return save_record(call, store, structure, key, data)


def existing_record(call: Call, store: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    key = call.params["dataStoreKeyRecord"]
    records = call.state.records.get(store["id"], {})
    if key not in records:
        raise ApiError(404, "SC404", "Not found", f"Record with the key '{key}' not found.")
    return key, records[key]


def body_as_data(call: Call) -> dict[str, Any]:
    if not isinstance(call.body, dict):
        raise invalid(["The request body must be a JSON object with the record's fields."])
    return call.body


@HANDLERS.on("PATCH", "/data-stores/{dataStoreId}/data/{dataStoreKeyRecord}")
def update_record(call: Call) -> Any:
    store, structure = store_and_structure(call)
    key, data = existing_record(call, store)
    return save_record(call, store, structure, key, {**data, **body_as_data(call)})


@HANDLERS.on("PUT", "/data-stores/{dataStoreId}/data/{dataStoreKeyRecord}")
def replace_record(call: Call) -> Any:
    store, structure = store_and_structure(call)
    key, _ = existing_record(call, store)
    return save_record(call, store, structure, key, body_as_data(call))


@HANDLERS.on("DELETE", "/data-stores/{dataStoreId}/data")
def delete_records(call: Call) -> Any:
    store, _ = store_and_structure(call)
    fields = call.fields()
    keys = fields.array("keys") or []
    delete_all = fields.boolean("all") or False
    except_keys = fields.array("exceptKeys") or []
    fields.check()
    if not keys and not delete_all:
        raise invalid(["Provide the 'keys' to delete, or 'all': true."])
    require_confirmation(call, "Deleting data store records must be confirmed.")
    records = call.state.records.get(store["id"], {})
    wanted = {str(k) for k in keys}
    excepted = {str(k) for k in except_keys}
    chosen = [k for k in records if (delete_all and k not in excepted) or k in wanted]
    for key in chosen:
        del records[key]
    return {"keys": chosen}
