"""Any request to any documented operation gets one of Make's answers from the sandbox, never a crash.

Requests are drawn from each operation's documented parameters and body, mixing the demo account's IDs
(so the stateful handlers get past their lookups) with values of the wrong type and arbitrary JSON. The
ASGI transport raises whatever the app raises, so a handler bug fails the test with its traceback.
"""

from __future__ import annotations

import json
import os
from typing import Any
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from make_mcp.server.sandbox import create_sandbox_app, demo_state
from make_mcp.server.sandbox.resources import spec_index
from make_mcp.server.sandbox.spec import SpecOperation
from tests.server.sandbox.support import client

EXAMPLES_PER_OPERATION = int(os.environ.get("FUZZ_EXAMPLES", "6"))
DEMO_IDS = [101, 201, 202, 301, 401, 402, 403, 501, 601, 701, 801, 901, 902, "a1b2c3d4e500"]
OPERATIONS = spec_index().operations

JSON_SCALARS = st.none() | st.booleans() | st.integers(-(10**6), 10**6) | st.text(max_size=12)
ANY_JSON = st.recursive(
    JSON_SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)


def value_for(schema: dict[str, Any], depth: int = 0) -> st.SearchStrategy[Any]:
    """Mostly what the schema asks for (often a demo ID for an integer), sometimes any JSON at all."""
    kind = schema.get("type")
    typed: st.SearchStrategy[Any]
    if "enum" in schema:
        typed = st.sampled_from(schema["enum"])
    elif kind == "integer":
        typed = st.sampled_from([i for i in DEMO_IDS if isinstance(i, int)]) | st.integers(-5, 10**6)
    elif kind == "number":
        typed = st.floats(allow_nan=False, allow_infinity=False, width=32)
    elif kind == "boolean":
        typed = st.booleans()
    elif kind == "string":
        typed = st.sampled_from([str(i) for i in DEMO_IDS]) | st.text(max_size=16)
    elif kind == "array" and depth < 3:
        typed = st.lists(value_for(schema.get("items") or {}, depth + 1), max_size=3)
    elif (kind == "object" or "properties" in schema) and depth < 3:
        properties = schema.get("properties") or {}
        typed = st.fixed_dictionaries(
            {}, optional={name: value_for(sub or {}, depth + 1) for name, sub in properties.items()}
        )
    else:
        typed = ANY_JSON
    return st.one_of(typed, typed, typed, ANY_JSON)


def as_text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value)


@st.composite
def requests_for(draw: st.DrawFn, op: SpecOperation) -> tuple[str, list[tuple[str, str]], bytes | None]:
    path = op.path
    query: list[tuple[str, str]] = []
    for parameter in op.parameters:
        schema = parameter.get("schema") or {}
        name = parameter["name"]
        if parameter.get("in") == "path":
            segment = as_text(draw(value_for(schema))) or "x"
            path = path.replace("{" + name + "}", quote(segment, safe=""))
        elif parameter.get("in") == "query" and draw(st.booleans()):
            values = draw(value_for(schema))
            for value in values if isinstance(values, list) else [values]:
                query.append((name, as_text(value)))
    body: bytes | None = None
    if op.request_body_schema is not None or draw(st.integers(0, 9)) == 0:
        choice = draw(st.integers(0, 9))
        if choice == 0:
            body = draw(st.binary(max_size=20))  # not JSON at all
        else:
            body = json.dumps(draw(value_for(op.request_body_schema or {}))).encode()
    return path, query, body


@pytest.mark.parametrize("op", OPERATIONS, ids=lambda op: f"{op.method} {op.path}")
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)
@given(data=st.data())
async def test_any_request_to_a_documented_operation_gets_a_make_answer(op: SpecOperation, data: st.DataObject) -> None:
    path, query, body = data.draw(requests_for(op), label="request")
    app = create_sandbox_app(demo_state())
    async with client(app) as api:
        response = await api.request(op.method, path, params=query, content=body, headers=json_header(body))
    assert response.status_code < 500, response.text
    answer = response.json()
    if response.status_code >= 400:
        assert isinstance(answer, dict) and {"message", "code"} <= set(answer), answer


def json_header(body: bytes | None) -> dict[str, str]:
    return {"Content-Type": "application/json"} if body is not None else {}
