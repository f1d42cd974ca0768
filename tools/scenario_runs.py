"""Hand-written tools around scenario runs: stopping a run, and making a scenario callable as a tool.

`executions_stop` wraps POST /scenarios/{scenarioId}/executions/{executionId}/stop, which Make's public
reference leaves out (it is in Make's own OpenAPI JSON). `scenarios_make-callable` sends two requests: on-demand
scheduling first (Make refuses scenario inputs on any other scheduling: IM016), then the interface.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from pydantic import Field

from make_mcp.tools.catalogue import (
    BodyField,
    InterfaceField,
    MakeInput,
    Operation,
    PathParam,
    RequestPort,
    Step,
)


class ExecutionsStopInput(MakeInput):
    scenarioId: Annotated[int, PathParam()] = Field(description="From scenarios_list.")
    executionId: Annotated[str, PathParam()] = Field(
        description="From the scenario tool's answer, scenarios_run or executions_list."
    )
    force: Annotated[bool | None, BodyField()] = Field(
        default=None, description="true: end it at once; false or left out: after the module now running."
    )


class ScenariosMakeCallableInput(MakeInput):
    scenarioId: Annotated[int, PathParam()] = Field(description="From scenarios_list.")
    # Sent inside the interface request's `interface` object (see make_callable).
    input: Annotated[list[InterfaceField], BodyField()] = Field(
        description="The inputs a caller gives; empty for none."
    )
    output: Annotated[list[InterfaceField], BodyField()] = Field(
        default_factory=list[InterfaceField],
        description="The outputs the scenario's Return output module gives back.",
    )


SET_SCHEDULING = Step("PATCH", "/scenarios/{scenarioId}", ("scenarios:write",))
SET_INTERFACE = Step("PATCH", "/scenarios/{scenarioId}/interface", ("scenarios:write",))


def _fields(items: list[InterfaceField]) -> list[dict[str, Any]]:
    return [item.model_dump(mode="json", by_alias=True, exclude_none=True) for item in items]


async def make_callable(arguments: ScenariosMakeCallableInput, port: RequestPort) -> dict[str, Any]:
    ids = {"scenarioId": arguments.scenarioId}
    scheduling = json.dumps({"type": "on-demand"}, separators=(",", ":"))
    # confirmed=true: Make asks to confirm a scheduling change otherwise (IM004).
    await port.send(SET_SCHEDULING, ids, query=[("confirmed", "true")], body={"scheduling": scheduling})
    answer = await port.send(
        SET_INTERFACE, ids, body={"interface": {"input": _fields(arguments.input), "output": _fields(arguments.output)}}
    )
    interface = answer.get("interface") if isinstance(answer, dict) else None
    return {
        "scenarioId": arguments.scenarioId,
        "scheduling": {"type": "on-demand"},
        "interface": interface,
        "next": "an active scenario with on-demand scheduling is offered as a tool of its own; "
        "activate it with scenarios_activate if it is not active",
    }


async def _make_callable(arguments: Any, port: RequestPort) -> Any:
    return await make_callable(arguments, port)


OPERATIONS: tuple[Operation, ...] = (
    Operation(
        name="executions_stop",
        title="Stop a scenario run",
        description="Stop a run that is still going (a scenario tool's answer gives its executionId).",
        toolset="scenarios",
        method="POST",
        path="/scenarios/{scenarioId}/executions/{executionId}/stop",
        scopes=("scenarios:run",),
        input_model=ExecutionsStopInput,
        read_only=False,
        destructive=True,
        idempotent=True,
        response_key=None,
        open_world=True,
        rate_limit_exempt=False,
        meta={"documented": False},  # Make's public reference leaves this operation out
    ),
    Operation(
        name="scenarios_make-callable",
        title="Make a scenario callable as a tool",
        description="Set a scenario to on-demand scheduling and give it inputs and outputs, so it can be run as a "
        "tool of its own (once active). Replaces its scheduling and interface.",
        toolset="scenarios",
        method="PATCH",
        path="/scenarios/{scenarioId}/interface",
        scopes=("scenarios:write",),
        input_model=ScenariosMakeCallableInput,
        read_only=False,
        destructive=True,
        idempotent=True,
        response_key=None,
        open_world=True,
        changes_scenarios=True,
        steps=(SET_SCHEDULING, SET_INTERFACE),
        run=_make_callable,
    ),
)
