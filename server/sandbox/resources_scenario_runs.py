"""Stateful handlers: running a scenario, its execution's status, stopping it, and reading its interface.

A scenario's `RunPlan` (state.run_plans) says what a run outputs and how long it takes on the sandbox's clock.
A run that fits Make's responsive window (40 s) is over when the answer comes, as if Make had waited for it;
a longer one answers `status: running` without outputs and goes on until the clock passes its end. While a run
goes on, Make refuses another run of the same scenario. Nothing here sleeps: tests move the injected clock.
"""

from __future__ import annotations

from typing import Any

from make_mcp.server.sandbox.resources import ApiError, Call, Registry, bad_request, invalid
from make_mcp.server.sandbox.resources_scenarios import (
    EXECUTION_STATUS_NAMES,
    get_scenario,
    get_scenario_execution,
    record_execution,
)

HANDLERS = Registry()

RESPONSIVE_WINDOW_SECONDS = 40.0
STOPPED_ERROR = {"name": "ExecutionInterrupted", "message": "The execution was stopped by a user."}


def _now_ms(call: Call) -> int:
    return int(call.state.clock() * 1000)


def is_running(call: Call, execution: dict[str, Any]) -> bool:
    ends = execution.get("endsMs")
    return isinstance(ends, int) and _now_ms(call) < ends and not execution.get("stopped")


def _running_execution(call: Call, scenario_id: int) -> str | None:
    for execution_id, execution in call.state.executions.items():
        if execution["scenarioId"] == scenario_id and is_running(call, execution):
            return execution_id
    return None


def _outputs(call: Call, scenario_id: int, data: dict[str, Any]) -> dict[str, Any] | None:
    plan = call.state.run_plans.get(scenario_id)
    if plan is None or plan.outputs is None:
        return None
    return plan.outputs(data)


@HANDLERS.on("POST", "/scenarios/{scenarioId}/run")
def run_scenario(call: Call) -> Any:
    scenario = get_scenario(call)
    fields = call.fields()
    data = fields.obj("data") or {}
    responsive = fields.boolean("responsive")
    fields.string("callbackUrl")
    fields.check()
    if not scenario["isActive"]:
        raise bad_request("Scenario is not active. Activate it before running it.")
    inputs = call.state.interfaces[scenario["id"]]["input"] or []
    missing = [item["name"] for item in inputs if item.get("required") and data.get(item["name"]) is None]
    if missing:
        raise invalid([f"Missing value of required scenario input '{name}'." for name in missing])
    if _running_execution(call, scenario["id"]) is not None:
        raise bad_request("Scenario is already running. A new run can start when the current one finishes.")
    plan = call.state.run_plans.get(scenario["id"])
    seconds = plan.seconds if plan is not None else 1.0
    outputs = _outputs(call, scenario["id"], data)
    execution_id = record_execution(
        call.state, scenario, kind="manual", status=1, duration=int(seconds * 1000), outputs=outputs
    )
    execution = call.state.executions[execution_id]
    if seconds > RESPONSIVE_WINDOW_SECONDS:
        execution["endsMs"] = execution["startedMs"] + int(seconds * 1000)
        if responsive:
            return {"executionId": execution_id, "status": "running"}
    elif responsive:
        return {"executionId": execution_id, "status": "success", "outputs": outputs}
    return {"executionId": execution_id}


@HANDLERS.on("GET", "/scenarios/{scenarioId}/executions/{executionId}")
def get_execution(call: Call) -> Any:
    execution = get_scenario_execution(call)
    if is_running(call, execution):
        return {"status": "RUNNING", "outputs": None}
    if execution.get("stopped"):
        return {"status": "ERROR", "outputs": None, "error": STOPPED_ERROR}
    detail = {"status": EXECUTION_STATUS_NAMES[execution["log"]["status"]], "outputs": execution["outputs"]}
    if "error" in execution:  # a failed run: what failed and in which module
        detail["error"] = execution["error"]
    return detail


@HANDLERS.on("POST", "/scenarios/{scenarioId}/executions/{executionId}/stop")
def stop_execution(call: Call) -> Any:
    execution = get_scenario_execution(call)
    fields = call.fields()
    force = fields.boolean("force")
    fields.check()
    if not is_running(call, execution):
        raise bad_request("The execution is not running: it has already finished.")
    execution["stopped"] = True
    execution["outputs"] = None
    execution["log"]["status"] = 3
    return {"executionId": call.params["executionId"], "status": "stopped", "force": bool(force)}


@HANDLERS.on("GET", "/scenarios/{scenarioId}/interface")
def get_interface(call: Call) -> Any:
    scenario = get_scenario(call)
    plan = call.state.run_plans.get(scenario["id"])
    if plan is not None and plan.interface_error is not None:
        raise ApiError(500, "SC500", "Internal Server Error", plan.interface_error)
    return {"interface": call.state.interfaces[scenario["id"]]}
