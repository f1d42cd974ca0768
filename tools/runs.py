"""The runs of generated operations that send several requests: each a `Run` record that an overlay names
(scripts/tool_overlays.py `Overlay.run`), and the generated `Operation` takes its steps and run.

A run gets the operation's validated input (its generated model) and sends every request itself, the
operation's own among them, through the port. Only make_mcp.tools.catalogue is imported here: the generated toolset
modules import this one, and listing tools must not load the input models.
"""

from __future__ import annotations

import json
from typing import Any

from make_mcp.tools.catalogue import RequestPort, Run, Step

# --- scenarios_get: the scenario, then its blueprint ---------------------------------------------------

GET_SCENARIO = Step("GET", "/scenarios/{scenarioId}", ("scenarios:read",))
GET_BLUEPRINT = Step("GET", "/scenarios/{scenarioId}/blueprint", ("scenarios:read",))


async def _scenario_with_blueprint(arguments: Any, port: RequestPort) -> Any:
    ids = {"scenarioId": arguments.scenarioId}
    query = [("cols[]", "*")]  # every field, as the official tool asks (the overlay's default_query)
    answer = await port.send(GET_SCENARIO, ids, query=query)
    failure = (
        f"Scenario {arguments.scenarioId} was read, but its blueprint could not be "
        f"(GET /scenarios/{arguments.scenarioId}/blueprint); blueprints_get reads it alone."
    )
    blueprint = await port.send(GET_BLUEPRINT, ids, failure=failure)
    scenario = answer.get("scenario") if isinstance(answer, dict) else None
    if not isinstance(scenario, dict):
        return answer
    response = blueprint.get("response") if isinstance(blueprint, dict) else None
    return {
        **answer,
        "scenario": {**scenario, "blueprint": response.get("blueprint") if isinstance(response, dict) else None},
    }


SCENARIO_WITH_BLUEPRINT = Run(steps=(GET_SCENARIO, GET_BLUEPRINT), run=_scenario_with_blueprint)

# --- connections_update: a new name, new data, or both -------------------------------------------------

RENAME_CONNECTION = Step("PATCH", "/connections/{connectionId}", ("connections:write",))
SET_CONNECTION_DATA = Step("POST", "/connections/{connectionId}/set-data", ("connections:write",))


async def _update_connection(arguments: Any, port: RequestPort) -> Any:
    # The operation's at_least_one_of has made sure of a name or data.
    ids = {"connectionId": arguments.connectionId}
    result: dict[str, Any] = {}
    if arguments.name is not None:
        query = [("cols[]", col) for col in arguments.cols or ()]
        result = dict(await port.send(RENAME_CONNECTION, ids, query=query, body={"name": arguments.name}) or {})
    if arguments.data is not None:
        failure = (
            f"Connection {arguments.connectionId} was renamed, but its data could not be set "
            f"(POST /connections/{arguments.connectionId}/set-data); connections_set-data sets it alone."
            if arguments.name is not None
            else None
        )
        answer = await port.send(SET_CONNECTION_DATA, ids, body=arguments.data, failure=failure)
        result["dataChanged"] = answer.get("changed") if isinstance(answer, dict) else None
    return result


CONNECTION_UPDATE = Run(steps=(RENAME_CONNECTION, SET_CONNECTION_DATA), run=_update_connection)

# --- scenarios_create: the scenario, then the interface it is called with ------------------------------

CREATE_SCENARIO = Step("POST", "/scenarios", ("scenarios:write",))
SET_INTERFACE = Step("PATCH", "/scenarios/{scenarioId}/interface", ("scenarios:write",))


def _json_text(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


async def _create_scenario(arguments: Any, port: RequestPort) -> Any:
    query = [("cols[]", "*")]  # every field, as the official tool asks (the overlay's default_query)
    if arguments.confirmed is not None:
        query.append(("confirmed", "true" if arguments.confirmed else "false"))
    body = {
        "blueprint": _json_text(arguments.blueprint),
        "teamId": arguments.teamId,
        "scheduling": _json_text(arguments.scheduling),
        **{name: getattr(arguments, name) for name in ("folderId", "basedon") if getattr(arguments, name) is not None},
    }
    answer = await port.send(CREATE_SCENARIO, query=query, body=body)
    scenario = answer.get("scenario") if isinstance(answer, dict) else None
    if arguments.interface is None or not isinstance(scenario, dict) or not isinstance(scenario.get("id"), int):
        return answer
    scenario_id = scenario["id"]
    failure = (
        f"Scenario {scenario_id} was created, but its interface could not be set "
        f"(PATCH /scenarios/{scenario_id}/interface); scenarios_set-interface sets it alone."
    )
    ids = {"scenarioId": scenario_id}
    result = await port.send(SET_INTERFACE, ids, body={"interface": arguments.interface.wire()}, failure=failure)
    interface = result.get("interface") if isinstance(result, dict) else None
    return {**answer, "scenario": {**scenario, "interface": interface}}


SCENARIO_CREATE = Run(steps=(CREATE_SCENARIO, SET_INTERFACE), run=_create_scenario)
