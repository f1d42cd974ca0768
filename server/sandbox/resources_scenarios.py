"""Stateful handlers: scenarios (with their blueprints, scheduling, interface and execution logs) and scenario folders.

Runs, execution status and reading the interface are in resources_scenario_runs.py."""

from __future__ import annotations

import hashlib
from typing import Any

from make_mcp.server.sandbox.blueprint_modules import check_blueprint_modules
from make_mcp.server.sandbox.resources import (
    ApiError,
    Call,
    Fields,
    PageDefaults,
    Registry,
    bad_request,
    get_or_404,
    invalid,
    iter_modules,
    list_body,
    require_team,
    single_body,
)
from make_mcp.server.sandbox.state import SandboxState, iso_timestamp

HANDLERS = Registry()

# Make lists scenarios in an opaque "proprietal" order and accepts only the descending direction;
# its recorded list comes out in ascending ids under that default, which the sandbox reproduces.
SCENARIO_PAGES = PageDefaults(
    sort_by="proprietal", sort_dir="desc", limit=10000, computed={"proprietal": lambda scenario: -scenario["id"]}
)
FOLDER_PAGES = PageDefaults(sort_by="name", sort_dir="asc", limit=10000)

# Execution logs: Make's status numbers and their names in execution details; the ranges the list filters on.
EXECUTION_STATUS_NAMES = {1: "SUCCESS", 2: "WARNING", 3: "ERROR"}
LOG_PAGES = PageDefaults(sort_by="imtId", sort_dir="desc", limit=50)
LOG_RANGE_FIELDS = ("duration", "operations", "transfer", "credits")

SCHEDULING_TYPES = ("indefinitely", "once", "daily", "weekly", "monthly", "yearly", "immediately", "on-demand")


# ---- building blocks shared with the demo seed ----


def blueprint_problems(blueprint: dict[str, Any]) -> list[str]:
    flow = blueprint.get("flow")
    if not isinstance(flow, list):
        return ["Blueprint must contain a 'flow' array of modules."]
    problems: list[str] = []
    seen: set[int] = set()
    for module in iter_modules(flow):
        module_id, name = module.get("id"), module.get("module")
        if not isinstance(module_id, int) or isinstance(module_id, bool) or module_id in seen:
            problems.append(f"Blueprint module {module_id!r} needs a unique integer 'id'.")
        else:
            seen.add(module_id)
        if not isinstance(name, str) or ":" not in name:
            problems.append(f"Blueprint module {module_id!r} needs a 'module' name like 'app:Action'.")
    if len(flow) != sum(1 for item in flow if isinstance(item, dict)):
        problems.append("Every item of the blueprint 'flow' must be a module object.")
    return problems


def scheduling_problems(scheduling: dict[str, Any]) -> list[str]:
    kind = scheduling.get("type")
    if kind not in SCHEDULING_TYPES:
        return [f"Scheduling 'type' must be one of: {', '.join(SCHEDULING_TYPES)}."]
    interval = scheduling.get("interval")
    if kind == "indefinitely" and (not isinstance(interval, int) or isinstance(interval, bool) or interval <= 0):
        return ["Scheduling of type 'indefinitely' needs a positive integer 'interval' (seconds)."]
    return []


def used_packages(blueprint: dict[str, Any]) -> list[str]:
    packages: list[str] = []
    for module in iter_modules(blueprint.get("flow")):
        package = str(module.get("module", "")).split(":", 1)[0]
        if package and package not in packages:
            packages.append(package)
    return packages


def trigger_hook_id(blueprint: dict[str, Any]) -> int | None:
    flow = blueprint.get("flow")
    if isinstance(flow, list) and flow and isinstance(flow[0], dict):
        hook = (flow[0].get("parameters") or {}).get("hook")
        if isinstance(hook, int) and not isinstance(hook, bool):
            return hook
    return None


def user_summary(state: SandboxState) -> dict[str, Any]:
    return {"id": state.user.get("id"), "name": state.user.get("name"), "email": state.user.get("email")}


def record_execution(
    state: SandboxState,
    scenario: dict[str, Any],
    *,
    kind: str,
    status: int,
    started_ms: int | None = None,
    duration: int = 1200,
    operations: int = 3,
    transfer: int = 512,
    outputs: dict[str, Any] | None = None,
) -> str:
    """Adds one run of the scenario to its execution log; returns the execution id."""
    number = state.next_id("execution")
    execution_id = hashlib.sha256(f"execution-{number}".encode()).hexdigest()[:32]
    started = started_ms if started_ms is not None else int(state.clock() * 1000)
    log = {
        "imtId": f"{started}_scenario.{scenario['id']}.{kind}.{execution_id}",
        "duration": duration,
        "operations": operations,
        "centicredits": operations * 100,
        "transfer": transfer,
        "organizationId": state.teams[scenario["teamId"]]["organizationId"],
        "teamId": scenario["teamId"],
        "id": execution_id,
        "type": kind,
        "authorId": state.user["id"] if kind == "manual" else None,
        "instant": scenario["hookId"] is not None,
        "timestamp": iso_timestamp(started / 1000),
        "status": status,
    }
    state.executions[execution_id] = {
        "scenarioId": scenario["id"],
        "startedMs": started,
        "outputs": outputs,
        "log": log,
    }
    return execution_id


def fail_execution(state: SandboxState, execution_id: str, *, module_id: int, name: str, message: str) -> None:
    """Marks a recorded run as failed at the blueprint's module `module_id`, with the error Make gives for it:
    its name and message, and the module it failed in by module name and app."""
    execution = state.executions[execution_id]
    flow = state.blueprints[execution["scenarioId"]].get("flow")
    module = next((m for m in iter_modules(flow) if m.get("id") == module_id), {})
    app, _, action = str(module.get("module", "")).partition(":")
    execution["log"]["status"] = 3
    execution["outputs"] = None
    execution["error"] = {"name": name, "message": message, "causeModule": {"name": action, "appName": app}}


def add_scenario(
    state: SandboxState,
    *,
    team_id: int,
    blueprint: dict[str, Any],
    scheduling: dict[str, Any],
    folder_id: int | None = None,
    when: str | None = None,
    is_active: bool = False,
    interface_input: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    timestamp = when or state.now_iso()
    blueprint.setdefault("name", "New scenario")
    scenario: dict[str, Any] = {
        "id": state.next_id("scenario"),
        "name": blueprint["name"],
        "teamId": team_id,
        "hookId": trigger_hook_id(blueprint),
        "deviceId": None,
        "deviceScope": None,
        "concept": False,
        "description": "",
        "folderId": folder_id,
        "isinvalid": False,
        "islinked": is_active,
        "isActive": is_active,
        "islocked": False,
        "isPaused": False,
        "usedPackages": used_packages(blueprint),
        "lastEdit": timestamp,
        "scheduling": scheduling,
        "iswaiting": False,
        "dlqCount": 0,
        "createdByUser": user_summary(state),
        "updatedByUser": user_summary(state),
        "nextExec": None,
        "created": timestamp,
        "type": "scenario",
    }
    state.scenarios[scenario["id"]] = scenario
    state.blueprints[scenario["id"]] = blueprint
    state.interfaces[scenario["id"]] = {"input": interface_input or [], "output": None}
    return scenario


def read_blueprint(fields: Fields, *, required: bool) -> dict[str, Any] | None:
    blueprint = fields.json_string("blueprint", required=required)
    if blueprint is not None:
        fields.problems.extend(blueprint_problems(blueprint))
    return blueprint


def read_scheduling(fields: Fields, *, required: bool) -> dict[str, Any] | None:
    scheduling = fields.json_string("scheduling", required=required)
    if scheduling is not None:
        fields.problems.extend(scheduling_problems(scheduling))
    return scheduling


def check_folder(state: SandboxState, folder_id: int | None, team_id: int) -> None:
    if folder_id is not None and state.folders.get(folder_id, {}).get("teamId") != team_id:
        raise ApiError(404, "SC404", "Not found", "Scenario folder not found in the scenario's team.")


def get_scenario(call: Call) -> dict[str, Any]:
    return get_or_404(call.state.scenarios, call.path_int("scenarioId"), "Scenario")


# ---- scenarios ----


@HANDLERS.on("GET", "/scenarios")
def list_scenarios(call: Call) -> Any:
    team_id, organization_id = call.query_int("teamId"), call.query_int("organizationId")
    if team_id is not None and organization_id is not None:
        raise bad_request("teamId and organizationId cannot be used together.")
    if team_id is None and organization_id is None:
        raise bad_request("Missing required parameter teamId or organizationId.")
    state = call.state
    if team_id is not None:
        teams = {require_team(state, team_id)["id"]}
    else:
        get_or_404(state.organizations, organization_id or 0, "Organization")
        teams = {t["id"] for t in state.teams.values() if t["organizationId"] == organization_id}
    items = filter_scenarios(call, [s for s in state.scenarios.values() if s["teamId"] in teams])
    return list_body(call, "scenarios", items, SCENARIO_PAGES)


def filter_scenarios(call: Call, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    ids = call.query_list("id")
    if ids:
        items = [s for s in items if str(s["id"]) in ids]
    folder_id = call.query_int("folderId")
    if folder_id is not None:
        items = [s for s in items if s["folderId"] == folder_id]
    for flag in ("isActive", "islinked", "concept"):
        wanted = call.query_flag(flag)
        if wanted is not None:
            items = [s for s in items if s[flag] == wanted]
    kind = call.query_one("type")
    if kind is not None:
        items = [s for s in items if s["type"] == kind]
    if call.query_flag("deleted"):
        return []  # deleting removes a scenario at once here: the sandbox keeps no trash
    return items


@HANDLERS.on("GET", "/scenarios/{scenarioId}")
def get_scenario_details(call: Call) -> Any:
    return single_body(call, "scenario", get_scenario(call))


@HANDLERS.on("POST", "/scenarios")
def create_scenario(call: Call) -> Any:
    fields = call.fields()
    team_id = fields.need_int("teamId")
    blueprint = read_blueprint(fields, required=True)
    scheduling = read_scheduling(fields, required=True)
    folder_id = fields.integer("folderId")
    fields.check()
    assert blueprint is not None and scheduling is not None  # check() raised otherwise
    check_blueprint_modules(blueprint)
    require_team(call.state, team_id)
    check_folder(call.state, folder_id, team_id)
    scenario = add_scenario(
        call.state, team_id=team_id, blueprint=blueprint, scheduling=scheduling, folder_id=folder_id
    )
    return single_body(call, "scenario", scenario)


@HANDLERS.on("PATCH", "/scenarios/{scenarioId}")
def update_scenario(call: Call) -> Any:
    scenario = get_scenario(call)
    fields = call.fields()
    blueprint = read_blueprint(fields, required=False)
    scheduling = read_scheduling(fields, required=False)
    name = fields.string("name", max_length=120)
    description = fields.string("description", max_length=240)  # undocumented; Make's SDK sends it
    folder_id = fields.integer("folderId")
    fields.check()
    if blueprint is not None:
        check_blueprint_modules(blueprint)
    if description is not None:
        scenario["description"] = description
    if fields.has("folderId"):
        check_folder(call.state, folder_id, scenario["teamId"])
        scenario["folderId"] = folder_id
    if blueprint is not None:
        blueprint.setdefault("name", scenario["name"])
        call.state.blueprints[scenario["id"]] = blueprint
        scenario.update(
            name=blueprint["name"], usedPackages=used_packages(blueprint), hookId=trigger_hook_id(blueprint)
        )
    if name is not None:
        scenario["name"] = name
        call.state.blueprints[scenario["id"]]["name"] = name
    if scheduling is not None:
        scenario["scheduling"] = scheduling
    scenario.update(lastEdit=call.state.now_iso(), updatedByUser=user_summary(call.state))
    return single_body(call, "scenario", scenario)


@HANDLERS.on("DELETE", "/scenarios/{scenarioId}")
def delete_scenario(call: Call) -> Any:
    scenario = get_scenario(call)
    for table in (call.state.scenarios, call.state.blueprints, call.state.interfaces):
        table.pop(scenario["id"], None)
    return {"scenario": scenario["id"]}


@HANDLERS.on("POST", "/scenarios/{scenarioId}/start")
def activate_scenario(call: Call) -> Any:
    scenario = get_scenario(call)
    scenario.update(isActive=True, islinked=True, isPaused=False)
    return {"scenario": {"id": scenario["id"], "isActive": True, "islinked": True}}


@HANDLERS.on("POST", "/scenarios/{scenarioId}/stop")
def deactivate_scenario(call: Call) -> Any:
    scenario = get_scenario(call)
    scenario.update(isActive=False, islinked=False)
    return {"scenario": {"id": scenario["id"], "isActive": False, "islinked": False}}


@HANDLERS.on("GET", "/scenarios/{scenarioId}/logs")
def list_execution_logs(call: Call) -> Any:
    scenario = get_scenario(call)
    ranges = {name: (call.query_int(f"{name}From"), call.query_int(f"{name}To")) for name in LOG_RANGE_FIELDS}
    ranges["timestamp"] = (call.query_int("from"), call.query_int("to"))
    status = call.query_int("status")
    logs = [
        execution["log"]
        for execution in call.state.executions.values()
        if execution["scenarioId"] == scenario["id"]
        and (status is None or execution["log"]["status"] == status)
        and all(_within(_log_measure(execution, name), *bounds) for name, bounds in ranges.items())
    ]
    return list_body(call, "scenarioLogs", logs, LOG_PAGES)


@HANDLERS.on("GET", "/scenarios/{scenarioId}/logs/{executionId}")
def get_execution_log(call: Call) -> Any:
    return {"scenarioLog": get_scenario_execution(call)["log"]}


def get_scenario_execution(call: Call) -> dict[str, Any]:
    scenario = get_scenario(call)
    execution = call.state.executions.get(call.params["executionId"])
    if execution is None or execution["scenarioId"] != scenario["id"]:
        raise ApiError(404, "SC404", "Not found", "Execution not found.")
    return execution


def _log_measure(execution: dict[str, Any], name: str) -> int:
    if name == "timestamp":
        return execution["startedMs"]
    if name == "credits":
        return execution["log"]["centicredits"] // 100
    return execution["log"][name]


def _within(value: int, low: int | None, high: int | None) -> bool:
    return (low is None or value >= low) and (high is None or value <= high)


@HANDLERS.on("GET", "/scenarios/{scenarioId}/blueprint")
def get_blueprint(call: Call) -> Any:
    scenario = get_scenario(call)
    blueprint = call.state.blueprints[scenario["id"]]
    module_ids = [m["id"] for m in iter_modules(blueprint.get("flow")) if isinstance(m.get("id"), int)]
    response = {
        "blueprint": blueprint,
        "scheduling": scenario["scheduling"],
        "idSequence": max(module_ids, default=0) + 1,
        "created": scenario["created"],
        "last_edit": scenario["lastEdit"],
        "metadata": {"input_spec": call.state.interfaces[scenario["id"]]["input"] or [], "output_spec": []},
    }
    return {"code": "OK", "response": response}


@HANDLERS.on("PATCH", "/scenarios/{scenarioId}/interface")
def update_interface(call: Call) -> Any:
    scenario = get_scenario(call)
    fields = call.fields()
    interface = fields.obj("interface", required=True)
    fields.check()
    assert interface is not None
    inputs = interface.get("input") or []
    if not isinstance(inputs, list) or not all(isinstance(i, dict) and i.get("name") and i.get("type") for i in inputs):
        raise invalid(["'interface.input' must be an array of objects, each with a 'name' and a 'type'."])
    if any(item.get("required") for item in inputs) and scenario["scheduling"].get("type") != "on-demand":
        raise ApiError(
            422,
            "IM016",
            "Action is not possible due to dependencies",
            "Required scenario inputs need the scenario scheduling set to on-demand first.",
        )
    call.state.interfaces[scenario["id"]] = {"input": inputs, "output": interface.get("output")}
    return {"interface": call.state.interfaces[scenario["id"]]}


# ---- scenario folders ----


def folder_path(state: SandboxState, folder: dict[str, Any]) -> str:
    names = [folder["name"]]
    parent = state.folders.get(folder["parentId"]) if folder["parentId"] is not None else None
    while parent is not None:
        names.insert(0, parent["name"])
        parent = state.folders.get(parent["parentId"]) if parent["parentId"] is not None else None
    return "/".join(names)


def subtree(state: SandboxState, folder_id: int) -> list[int]:
    ids = [folder_id]
    for child in [f["id"] for f in state.folders.values() if f["parentId"] == folder_id]:
        ids.extend(subtree(state, child))
    return ids


def render_folder(state: SandboxState, folder: dict[str, Any], position: int | None) -> dict[str, Any]:
    ids = subtree(state, folder["id"])
    return {
        "id": folder["id"],
        "name": folder["name"],
        "path": folder_path(state, folder),
        "parentId": folder["parentId"],
        "position": position,
        "scenariosTotal": sum(1 for s in state.scenarios.values() if s["folderId"] == folder["id"]),
        "scenariosSubtreeTotal": sum(1 for s in state.scenarios.values() if s["folderId"] in ids),
        "hasChildren": len(ids) > 1,
    }


def rendered_children(state: SandboxState, team_id: int, parent_id: int | None) -> list[dict[str, Any]]:
    siblings = [f for f in state.folders.values() if f["teamId"] == team_id and f["parentId"] == parent_id]
    siblings.sort(key=lambda f: f["name"].casefold())
    return [render_folder(state, folder, position) for position, folder in enumerate(siblings)]


def nest_children(state: SandboxState, team_id: int, folder: dict[str, Any], *, deep: bool) -> None:
    if not folder["hasChildren"]:
        return
    folder["children"] = rendered_children(state, team_id, folder["id"])
    for child in folder["children"] if deep else []:
        nest_children(state, team_id, child, deep=True)


@HANDLERS.on("GET", "/scenarios-folders")
def list_folders(call: Call) -> Any:
    team_id, organization_id = call.query_int("teamId"), call.query_int("organizationId")
    state = call.state
    if team_id is not None:
        team_ids = [require_team(state, team_id)["id"]]
    elif organization_id is not None:
        team_ids = [t["id"] for t in state.teams.values() if t["organizationId"] == organization_id]
    else:
        raise bad_request("Missing required parameter teamId or organizationId.")
    parent_id = call.query_int("parentId")
    # childrenDepth=all (undocumented; Make's SDK sends it) nests the whole subtree, not one level.
    depth = call.query_one("childrenDepth")
    if depth not in (None, "all"):
        raise invalid(["Parameter 'childrenDepth' must be one of: all."])
    items: list[dict[str, Any]] = []
    for tid in team_ids:
        for folder in rendered_children(state, tid, parent_id):
            nest_children(state, tid, folder, deep=depth == "all")
            items.append(folder)
    return list_body(call, "scenariosFolders", items, FOLDER_PAGES, with_pg=False)


@HANDLERS.on("POST", "/scenarios-folders")
def create_folder(call: Call) -> Any:
    fields = call.fields()
    name = fields.need_string("name", max_length=100)
    team_id = fields.need_int("teamId")
    parent_id = fields.integer("parentId")
    fields.check()
    require_team(call.state, team_id)
    if parent_id is not None and call.state.folders.get(parent_id, {}).get("teamId") != team_id:
        raise ApiError(404, "SC404", "Not found", "Parent scenario folder not found in the team.")
    folder = {"id": call.state.next_id("folder"), "name": name, "parentId": parent_id, "teamId": team_id}
    call.state.folders[folder["id"]] = folder
    return single_body(call, "scenarioFolder", render_folder(call.state, folder, None))


@HANDLERS.on("PATCH", "/scenarios-folders/{folderId}")
def update_folder(call: Call) -> Any:
    folder = get_or_404(call.state.folders, call.path_int("folderId"), "Scenario folder")
    fields = call.fields()
    name = fields.string("name", max_length=100)
    parent_id = fields.integer("parentId")
    fields.check()
    if fields.has("parentId"):
        if parent_id is not None and call.state.folders.get(parent_id, {}).get("teamId") != folder["teamId"]:
            raise ApiError(404, "SC404", "Not found", "Parent scenario folder not found in the team.")
        if parent_id in subtree(call.state, folder["id"]):
            raise bad_request("A scenario folder cannot be moved into itself or into one of its subfolders.")
        folder["parentId"] = parent_id
    if name is not None:
        folder["name"] = name
    return single_body(call, "scenarioFolder", render_folder(call.state, folder, None))


@HANDLERS.on("DELETE", "/scenarios-folders/{folderId}")
def delete_folder(call: Call) -> Any:
    folder_id = call.path_int("folderId")
    get_or_404(call.state.folders, folder_id, "Scenario folder")
    removed = subtree(call.state, folder_id)
    for scenario in call.state.scenarios.values():
        if scenario["folderId"] in removed:
            scenario["folderId"] = None
    for key in removed:
        del call.state.folders[key]
    return {"scenarioFolder": folder_id}
