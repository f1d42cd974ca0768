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


def _get(tag: str, summary: str, scopes: list[str], parameters: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "get": {
            "tags": [tag],
            "summary": summary,
            "operationId": "get" + summary.title().replace(" ", ""),
            "parameters": parameters,
            "responses": {
                "200": {"description": "OK", "content": {"application/json": {"schema": {"type": "object"}}}}
            },
            "security": [{"token": scopes}, {"oauth2": scopes}] if scopes else [],
        }
    }


def _query(name: str, kind: str) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "schema": {"type": kind}}


def _path(name: str) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}


_APP = [_path("appName"), _path("appVersion"), _query("organizationId", "integer")]

# The endpoints behind Make's hosted builder tools (see apps/README.md): not in the reference, called by
# Make's own agent skills; served from the sandbox's app catalogue.
BUILDER_ENDPOINTS: dict[str, Any] = {
    "paths": {
        "/imt/apps": _get(
            "Apps",
            "Search apps",
            ["apps:read"],
            [
                *(_query(name, "integer") for name in ("organizationId", "teamId")),
                _query("scoredSearch", "boolean"),
                *(_query(name, "string") for name in ("name", "search", "query")),
            ],
        ),
        "/imt/apps/{appName}/{appVersion}": _get("Apps", "Get app manifest", ["apps:read"], _APP),
        "/imt/apps/{appName}/{appVersion}/modules-with-credentials": _get(
            "Apps", "List app modules with credentials", ["apps:read"], _APP[:2]
        ),
        "/sdk/apps/themes": _get("Apps", "Get app themes", ["apps:read"], [_query("names", "string")]),
        "/validation-schemas/blueprint": _get("Apps", "Get blueprint validation schema", [], []),
    }
}


@functools.cache
def undocumented_operations() -> tuple[SpecOperation, ...]:
    with UNDOCUMENTED_SPEC_PATH.open(encoding="utf-8") as handle:
        official = SpecIndex.from_document(json.load(handle)).operations
    extra = (NOT_IN_THE_OFFICIAL_SET, BUILDER_ENDPOINTS)
    return (*official, *(op for document in extra for op in SpecIndex.from_document(document).operations))
