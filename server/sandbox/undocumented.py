"""The operations Make's SDK calls that the reference does not document, as the sandbox routes them.

They come from tools/spec/official-undocumented-openapi.json (written by scripts/official_mapping.py from the
official tool set's recorded requests) and are served beside the documented ones.
"""

from __future__ import annotations

import functools
import json
from typing import Any

from make_mcp.server.sandbox.spec import SPEC_PATH, SpecIndex, SpecOperation

UNDOCUMENTED_SPEC_PATH = SPEC_PATH.with_name("official-undocumented-openapi.json")


_PATH_ID = {"in": "path", "required": True, "schema": {"type": "integer"}}
_EXECUTION_ID = {"in": "path", "required": True, "schema": {"type": "string"}}

# Served beyond what the official tool set calls: stopping a run (Make's own OpenAPI JSON has it).
NOT_IN_THE_OFFICIAL_SET: dict[str, Any] = {
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


@functools.cache
def undocumented_operations() -> tuple[SpecOperation, ...]:
    with UNDOCUMENTED_SPEC_PATH.open(encoding="utf-8") as handle:
        official = SpecIndex.from_document(json.load(handle)).operations
    return (*official, *SpecIndex.from_document(NOT_IN_THE_OFFICIAL_SET).operations)
