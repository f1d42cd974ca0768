"""Operations Make serves that its public API reference leaves out, and the sandbox serves too.

Their shapes come from Make's own OpenAPI JSON (the one its web app uses); each is added to the sandbox's
spec index, so routing, scopes and request validation treat them like the documented ones.
"""

from __future__ import annotations

from typing import Any

_PATH_ID = {"in": "path", "required": True, "schema": {"type": "integer"}}
_EXECUTION_ID = {"in": "path", "required": True, "schema": {"type": "string"}}

UNDOCUMENTED: dict[str, Any] = {
    "paths": {
        "/scenarios/{scenarioId}/executions/{executionId}/stop": {
            "post": {
                "tags": ["Scenarios / Logs"],
                "summary": "Stop scenario execution",
                "operationId": "postScenariosByScenarioidExecutionsByExecutionidStop",
                "parameters": [{"name": "scenarioId", **_PATH_ID}, {"name": "executionId", **_EXECUTION_ID}],
                "requestBody": {
                    "content": {
                        "application/json": {"schema": {"type": "object", "properties": {"force": {"type": "boolean"}}}}
                    }
                },
                "responses": {
                    "200": {"description": "Stopped", "content": {"application/json": {"schema": {"type": "object"}}}}
                },
                "security": [{"token": ["scenarios:run"]}, {"oauth2": ["scenarios:run"]}],
            }
        }
    }
}
