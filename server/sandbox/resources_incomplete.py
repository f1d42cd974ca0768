"""Stateful handlers: incomplete executions (Make's /dlqs), the runs a failing module left to be resolved.

An incomplete execution keeps the blueprint and bundles of the run that failed. Updating it replaces that
blueprint; retrying it runs the scenario again (a new entry in the scenario's execution log), logs the
attempt and marks it resolved; deleting it removes it. A scenario's `dlqCount` counts its unresolved ones.
"""

from __future__ import annotations

import copy
import hashlib
from typing import Any

from make_mcp.server.sandbox.resources import (
    ApiError,
    Call,
    Registry,
    get_or_404,
    invalid,
    iter_modules,
    require_confirmation,
    window,
)
from make_mcp.server.sandbox.resources_scenarios import blueprint_problems, record_execution
from make_mcp.server.sandbox.state import SandboxState, iso_timestamp

HANDLERS = Registry()

# What GET /dlqs lists of each; GET /dlqs/{dlqId} gives the rest.
LIST_FIELDS = ("id", "reason", "created", "size", "resolved", "retry", "attempts")
DETAIL_FIELDS = ("resolved", "deleted", "index", "created", "executionId", "retry", "attempts", "size")


def add_incomplete_execution(
    state: SandboxState,
    scenario: dict[str, Any],
    *,
    execution_id: str,
    failed_module: int,
    error_type: str,
    reason: str,
    created_ms: int,
) -> dict[str, Any]:
    """Keeps the failed run of `scenario` (its execution `execution_id`) as an incomplete execution."""
    dlq_id = hashlib.sha256(f"dlq-{len(state.incomplete) + 1}-{execution_id}".encode()).hexdigest()[:32]
    blueprint = copy.deepcopy(state.blueprints[scenario["id"]])
    incomplete = {
        "id": dlq_id,
        "scenarioId": scenario["id"],
        "reason": reason,
        "created": iso_timestamp(created_ms / 1000),
        "size": 5,
        "resolved": False,
        "deleted": False,
        "retry": True,
        "attempts": 0,
        "index": len(state.incomplete) + 1,
        "executionId": execution_id,
        "failer": failed_module,
        "blueprint": blueprint,
        "bundle": {str(failed_module): {"error": {"type": error_type, "message": reason}}},
        "logs": [],
    }
    state.incomplete[dlq_id] = incomplete
    _count_unresolved(state, scenario["id"])
    return incomplete


def _count_unresolved(state: SandboxState, scenario_id: int) -> None:
    scenario = state.scenarios.get(scenario_id)
    if scenario is not None:
        scenario["dlqCount"] = sum(
            1 for item in state.incomplete.values() if item["scenarioId"] == scenario_id and not item["resolved"]
        )


def get_incomplete(call: Call) -> dict[str, Any]:
    incomplete = call.state.incomplete.get(call.params["dlqId"])
    if incomplete is None:
        raise ApiError(404, "SC404", "Not found", "Incomplete execution not found.")
    return incomplete


def _of_scenario(call: Call) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    scenario = get_or_404(call.state.scenarios, call.need_query_int("scenarioId"), "Scenario")
    return scenario, [item for item in call.state.incomplete.values() if item["scenarioId"] == scenario["id"]]


def _chosen(call: Call, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The items a bulk request names: `ids`, or `all` except `exceptIds`."""
    fields = call.fields()
    ids, every, kept = fields.array("ids"), fields.boolean("all"), fields.array("exceptIds")
    fields.check()
    if every:
        return [item for item in items if item["id"] not in (kept or [])]
    if not ids:
        raise invalid(["Specify the incomplete executions in 'ids', or set 'all' to true."])
    known = {item["id"] for item in items}
    unknown = [str(dlq_id) for dlq_id in ids if dlq_id not in known]
    if unknown:
        raise invalid([f"Incomplete execution '{dlq_id}' does not belong to this scenario." for dlq_id in unknown])
    return [item for item in items if item["id"] in ids]


def _retry(state: SandboxState, incomplete: dict[str, Any]) -> None:
    scenario = state.scenarios.get(incomplete["scenarioId"])
    if scenario is None:
        raise ApiError(404, "SC404", "Not found", "Scenario not found.")
    incomplete["attempts"] += 1
    execution_id = record_execution(state, scenario, kind="manual", status=1)
    log = dict(state.executions[execution_id]["log"])
    log["imtId"] = log["imtId"].replace(f"_scenario.{scenario['id']}.", f"_dlq.{incomplete['id']}.")
    incomplete["logs"].append(log)
    incomplete["resolved"] = True
    _count_unresolved(state, scenario["id"])


@HANDLERS.on("GET", "/dlqs")
def list_incomplete(call: Call) -> Any:
    _, items = _of_scenario(call)
    return {"dlqs": [{name: item[name] for name in LIST_FIELDS} for item in items]}


def _organization_id(state: SandboxState, incomplete: dict[str, Any]) -> int | None:
    scenario = state.scenarios.get(incomplete["scenarioId"])
    return None if scenario is None else state.teams[scenario["teamId"]]["organizationId"]


@HANDLERS.on("GET", "/dlqs/{dlqId}")
def get_incomplete_detail(call: Call) -> Any:
    incomplete = get_incomplete(call)
    organization_id = _organization_id(call.state, incomplete)
    detail = {
        "id": incomplete["id"],
        "scenarioId": incomplete["scenarioId"],
        "scenarioName": call.state.scenarios.get(incomplete["scenarioId"], {}).get("name"),
        "companyId": organization_id,
        "companyName": call.state.organizations.get(organization_id or 0, {}).get("name"),
        **{name: incomplete[name] for name in DETAIL_FIELDS},
    }
    return {"dlq": detail}


@HANDLERS.on("GET", "/dlqs/{dlqId}/blueprint")
def get_incomplete_blueprint(call: Call) -> Any:
    incomplete = get_incomplete(call)
    module_ids = [module["id"] for module in iter_modules(incomplete["blueprint"].get("flow", []))]
    response = {
        "blueprint": incomplete["blueprint"],
        "company": _organization_id(call.state, incomplete),
        "idSequence": max(module_ids, default=0) + 1,
        "reason": incomplete["reason"],
    }
    return {"code": "OK", "response": response}


@HANDLERS.on("GET", "/dlqs/{dlqId}/bundle")
def get_incomplete_bundle(call: Call) -> Any:
    return {"code": "OK", "response": get_incomplete(call)["bundle"]}


@HANDLERS.on("GET", "/dlqs/{dlqId}/logs")
def list_incomplete_logs(call: Call) -> Any:
    incomplete = get_incomplete(call)
    status = call.query_int("status")
    logs = [log for log in incomplete["logs"] if status is None or log["status"] == status]
    newest_first = sorted(logs, key=lambda log: log["imtId"], reverse=True)
    return {"dlqLogs": window(call, newest_first, len(newest_first))[0]}


@HANDLERS.on("GET", "/dlqs/{dlqId}/logs/{executionDlqId}")
def get_incomplete_log(call: Call) -> Any:
    incomplete = get_incomplete(call)
    log = next((log for log in incomplete["logs"] if log["id"] == call.params["executionDlqId"]), None)
    if log is None:
        raise ApiError(404, "SC404", "Not found", "Incomplete execution log not found.")
    return {"dlqLog": log}


@HANDLERS.on("PATCH", "/dlqs/{dlqId}")
def update_incomplete(call: Call) -> Any:
    incomplete = get_incomplete(call)
    fields = call.fields()
    blueprint = fields.json_string("blueprint")
    failer = fields.integer("failer")
    fields.check()
    if blueprint is not None:
        problems = blueprint_problems(blueprint)
        if problems:
            raise invalid(problems)
        incomplete["blueprint"] = blueprint
    if failer is not None:
        incomplete["failer"] = failer
    return {"dlq": {"failer": incomplete["failer"], "blueprint": incomplete["blueprint"]}}


@HANDLERS.on("POST", "/dlqs/{dlqId}/retry")
def retry_incomplete(call: Call) -> Any:
    incomplete = get_incomplete(call)
    _retry(call.state, incomplete)
    return {"dlq": incomplete["id"]}


@HANDLERS.on("POST", "/dlqs/retry")
def retry_many_incomplete(call: Call) -> Any:
    _, items = _of_scenario(call)
    chosen = _chosen(call, [item for item in items if not item["resolved"]])
    for incomplete in chosen:
        _retry(call.state, incomplete)
    return {"dlqs": [item["id"] for item in chosen]}


@HANDLERS.on("DELETE", "/dlqs")
def delete_incomplete(call: Call) -> Any:
    scenario, items = _of_scenario(call)
    chosen = _chosen(call, items)
    if call.fields().boolean("all"):
        require_confirmation(call, "Deleting all incomplete executions of a scenario must be confirmed.")
    for incomplete in chosen:
        del call.state.incomplete[incomplete["id"]]
    _count_unresolved(call.state, scenario["id"])
    return {"dlqs": [item["id"] for item in chosen]}


@HANDLERS.on("DELETE", "/dlqs/{dlqId}")
def delete_one_incomplete(call: Call) -> Any:
    incomplete = get_incomplete(call)
    del call.state.incomplete[incomplete["id"]]
    _count_unresolved(call.state, incomplete["scenarioId"])
    return {"dlq": incomplete["id"]}
