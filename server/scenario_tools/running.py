"""Running a scenario tool: the run with `responsive: true`, then, for a run that outlasts Make's window, following
its execution until the call's time is nearly spent.

The result has one shape whatever happens: `{"executionId", "status", "outputs"}`, plus `next` for a run still
going (which tool fetches the outcome later) and `unexpectedOutputs` for outputs of undeclared types. A run that ended in error is raised as ScenarioRunFailed. Make's
refusals (inactive, already running, missing scope) are raised with what to do about them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any, cast

from pydantic import BaseModel

from make_mcp.server.errors import MakeApiError, MakeMcpError, PermissionDenied
from make_mcp.server.scenario_tools.schema import OutputShape
from make_mcp.tools.catalogue import RequestPort, Runner, Step

RUN = Step("POST", "/scenarios/{scenarioId}/run", ("scenarios:run",), rate_limit_exempt=True, min_timeout=45.0)
EXECUTION_STATUS = Step("GET", "/scenarios/{scenarioId}/executions/{executionId}", ("scenarios:read",))
RUN_STEPS = (RUN, EXECUTION_STATUS)
RUN_TOOL = "scenarios_run"

RUNNING = "RUNNING"
_STATUS_NAMES = {
    "1": "SUCCESS",
    "2": "WARNING",
    "3": "ERROR",
    "success": "SUCCESS",
    "succeeded": "SUCCESS",
    "ok": "SUCCESS",
    "warning": "WARNING",
    "error": "ERROR",
    "failed": "ERROR",
    "failure": "ERROR",
    "running": RUNNING,
    "in_progress": RUNNING,
    "in-progress": RUNNING,
    "pending": RUNNING,
    "queued": RUNNING,
    "started": RUNNING,
}
FIRST_POLL_SECONDS = 2.0
MAX_POLL_SECONDS = 10.0
# Kept free at the end of the call for the last status request and the answer.
RESERVE_SECONDS = 5.0
# Make stops a run after 40 minutes; without a call deadline, following ends there too.
LONGEST_RUN_SECONDS = 40 * 60


def parse_status(value: Any) -> str | None:
    """Make's execution status as SUCCESS, WARNING, ERROR or RUNNING; other text upper-cased; None when absent.

    Sources differ: numbers 1|2|3 in logs, names in execution details, lower-case words in run answers."""
    if value is None or isinstance(value, bool):
        return None
    text = str(value).strip()
    if not text:
        return None
    return _STATUS_NAMES.get(text.lower(), text.upper())


class ScenarioRunFailed(MakeMcpError):
    """The run happened and ended in error: Make's message, and where to look."""

    def __init__(self, tool: str, scenario_id: int, execution_id: str | None, error: Any) -> None:
        what = _error_text(error)
        where = (
            f" Details: executions_get-detail with scenarioId={scenario_id} and executionId={execution_id}."
            if execution_id
            else ""
        )
        super().__init__(f"{tool}: the scenario ran and ended in error{': ' + what if what else ''}.{where}")


def _error_text(error: Any) -> str:
    if isinstance(error, Mapping):
        error = cast(Mapping[str, Any], error)
        parts = [str(error[key]) for key in ("name", "message") if error.get(key)]
        module = error.get("causeModule")
        if isinstance(module, Mapping) and cast(Mapping[str, Any], module).get("name"):
            parts.append(f"in module {cast(Mapping[str, Any], module)['name']}")
        return " - ".join(parts)
    return str(error) if error else ""


class ScenarioInactive(MakeApiError):
    def hint(self) -> str:
        return "The scenario is not active: activate it (scenarios_activate) and call again."


class ScenarioAlreadyRunning(MakeApiError):
    def hint(self) -> str:
        return (
            "The scenario is still busy with an earlier run and Make refuses a second one at the same time: "
            "wait for it to finish (executions_list shows its runs) and call again."
        )


class RunScopeMissing(PermissionDenied):
    def hint(self) -> str:
        return (
            "Make refused to run the scenario for this token. Running needs the scope scenarios:run, following a "
            "run scenarios:read (Make's reference lists scenarios:write for runs too), and the token's user needs "
            "a role in the scenario's team that may run it: create a Make API token with those scopes "
            "(Profile > API access), or log in again with them."
        )


def _recast(error: MakeApiError, kind: type[MakeApiError]) -> MakeApiError:
    values = {f.name: getattr(error, f.name) for f in dataclasses.fields(error)}
    return kind(**values)


def explain_run_error(error: MakeApiError) -> MakeApiError:
    """The same error with a hint saying what to do, where Make's answer shows why it refused the run."""
    said = " ".join(t for t in (error.make_message, error.detail, *error.suberrors) if t).lower()
    if isinstance(error, PermissionDenied) or error.status == 403:
        return _recast(error, RunScopeMissing)
    if "already running" in said or "concurrent" in said or "in progress" in said:
        return _recast(error, ScenarioAlreadyRunning)
    if "not active" in said or "inactive" in said or "is disabled" in said:
        return _recast(error, ScenarioInactive)
    return error


def _is_window_timeout(error: MakeApiError) -> bool:
    said = " ".join(t for t in (error.code, error.make_message, error.detail) if t).lower()
    return error.status in (408, 504) or "timeout" in said or "timed out" in said


def run_data(arguments: BaseModel) -> dict[str, Any]:
    """The scenario inputs to send: the arguments given, under Make's names (Make fills in its own defaults).

    Null means left out at every depth: strict clients send null for each optional field they skip."""
    return arguments.model_dump(mode="json", by_alias=True, exclude_unset=True, exclude_none=True)


def _result(
    shape: OutputShape, execution_id: str | None, status: str, outputs: Any, next_step: str | None = None
) -> dict[str, Any]:
    fitted, unexpected = shape.fit(outputs)
    result: dict[str, Any] = {"executionId": execution_id, "status": status, "outputs": fitted}
    if unexpected is not None:
        result["unexpectedOutputs"] = unexpected
    if next_step:
        result["next"] = next_step
    return result


def _later(scenario_id: int, execution_id: str | None) -> str:
    if execution_id is None:
        return (
            f"Make did not say which run this is: executions_list with scenarioId={scenario_id} shows its runs "
            "once it finishes."
        )
    return (
        f"the run goes on in Make (up to 40 minutes): call executions_get-detail with scenarioId={scenario_id} and "
        f"executionId={execution_id} for its outcome and outputs, or executions_stop to stop it"
    )


class ScenarioRun:
    """The Runner of one scenario's tool (tools.catalogue.Runner); a task's worker also reads its scenario and
    output shape to follow a run the call handed back still going."""

    def __init__(self, tool: str, scenario_id: int, shape: OutputShape | None = None) -> None:
        self.tool = tool
        self.scenario_id = scenario_id
        self.shape = shape or OutputShape(None)  # none declared: any object

    async def __call__(self, arguments: Any, port: RequestPort) -> dict[str, Any]:
        tool, scenario_id, shape = self.tool, self.scenario_id, self.shape
        ids = {"scenarioId": scenario_id}
        try:
            answer = await port.send(RUN, ids, body={"data": run_data(arguments), "responsive": True})
        except MakeApiError as error:
            if _is_window_timeout(error):
                return _result(shape, None, RUNNING, None, _later(scenario_id, None))
            raise explain_run_error(error) from None
        answer = cast(Mapping[str, Any], answer) if isinstance(answer, Mapping) else {}
        execution_id = answer.get("executionId")
        execution_id = str(execution_id) if execution_id not in (None, "") else None
        status = parse_status(answer.get("status"))
        outputs = answer.get("outputs")
        if status == "ERROR":
            raise ScenarioRunFailed(tool, scenario_id, execution_id, answer.get("error"))
        if status not in (None, RUNNING) or (status is None and outputs is not None):
            return _result(shape, execution_id, status or "SUCCESS", outputs)
        if execution_id is None:
            return _result(shape, None, RUNNING, None, _later(scenario_id, None))
        return await follow(tool, scenario_id, execution_id, port, shape)


def make_runner(tool: str, scenario_id: int, shape: OutputShape | None = None) -> Runner:
    """The Runner of one scenario's tool; `shape`: its outputs' (none declared: any object)."""
    return ScenarioRun(tool, scenario_id, shape)


async def follow(
    tool: str, scenario_id: int, execution_id: str, port: RequestPort, shape: OutputShape
) -> dict[str, Any]:
    """Polls the execution, telling the client how it goes, until it ends or the call's time is nearly spent."""
    ids = {"scenarioId": scenario_id, "executionId": execution_id}
    interval, waited, status = FIRST_POLL_SECONDS, 0.0, RUNNING
    while True:
        left = port.time_left()
        if (left is not None and left < interval + RESERVE_SECONDS) or waited >= LONGEST_RUN_SECONDS:
            return _result(shape, execution_id, status, None, _later(scenario_id, execution_id))
        await port.progress(
            f"{tool}: execution {execution_id} is still running after about {waited:.0f} s; "
            f"checking again in {interval:.0f} s"
        )
        await port.sleep(interval)
        waited += interval
        try:
            detail = await port.send(EXECUTION_STATUS, ids)
        except MakeMcpError as error:  # the run may well go on: the agent keeps its executionId
            later = f"{_later(scenario_id, execution_id)} (checking its status failed: {error.message()})"
            return _result(shape, execution_id, status, None, later)
        detail = cast(Mapping[str, Any], detail) if isinstance(detail, Mapping) else {}
        status = parse_status(detail.get("status")) or RUNNING
        if status == "ERROR":
            raise ScenarioRunFailed(tool, scenario_id, execution_id, detail.get("error"))
        if status != RUNNING:
            return _result(shape, execution_id, status, detail.get("outputs"))
        interval = min(interval * 1.5, MAX_POLL_SECONDS)
