"""The runs of generated operations that send several requests: each a `Run` record that an overlay names
(scripts/tool_overlays.py `Overlay.run`), and the generated `Operation` takes its steps and run.

A run gets the operation's validated input (its generated model) and sends every request itself, the
operation's own among them, through the port. Only make_mcp.tools.catalogue is imported here: the generated toolset
modules import this one, and listing tools must not load the input models.
"""

from __future__ import annotations

from typing import Any

from make_mcp.tools.catalogue import RequestPort, Run, Step

# --- scenarios_get: the scenario, then its blueprint ---------------------------------------------------

GET_SCENARIO = Step("GET", "/scenarios/{scenarioId}", ("scenarios:read",))
GET_BLUEPRINT = Step("GET", "/scenarios/{scenarioId}/blueprint", ("scenarios:read",))


async def _scenario_with_blueprint(arguments: Any, port: RequestPort) -> Any:
    ids = {"scenarioId": arguments.scenarioId}
    # Every field unless the call names some, as the official tool asks (the overlay's default_query).
    query = [("cols[]", col) for col in arguments.cols] if arguments.cols else [("cols[]", "*")]
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
