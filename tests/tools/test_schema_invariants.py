"""Every advertised schema is one that strict converters and Gemini take without changing what it means.

Strict converters (OpenAI strict mode in langchain, pydantic-ai, openai-agents) close every object and make every
field required, so a model sends null for each field it leaves out: every optional field admits null, and null
means left out. Gemini's schema refuses `const`, `exclusiveMinimum`, `additionalProperties`, number enums and type
arrays; MCP Inspector's --strict warns of untyped nodes and type arrays. scripts/compat/check.py runs the frameworks
themselves; these tests hold the properties for every tool of the catalogue on every run.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from make_mcp.server.engine.operations import build_request, validate_arguments
from make_mcp.server.protocol.listing import discovery_tool_definitions
from make_mcp.tools.registry import ALL_OPERATIONS, TRIMMED_FIELDS
from tests.conftest import LoopbackSandbox
from tests.server.test_app import mcp_client
from tests.tools.test_every_tool_end_to_end import SCHEMA_GAPS, example_arguments

SNAPSHOT = Path(__file__).parent / "snapshots" / "tools_list.json"
LISTED: list[dict[str, Any]] = [
    *json.loads(SNAPSHOT.read_text(encoding="utf-8"))["tools"],
    *(tool.model_dump(mode="json", by_alias=True, exclude_none=True) for tool in discovery_tool_definitions()),
]
SCHEMAS = [
    pytest.param(tool[kind], id=f"{tool['name']}.{kind}")
    for tool in LISTED
    for kind in ("inputSchema", "outputSchema")
    if kind in tool
]
INPUTS = [pytest.param(tool["inputSchema"], id=tool["name"]) for tool in LISTED]
REFUSED_KEYWORDS = {
    "const",  # Gemini: a one-value enum says it
    "exclusiveMinimum",  # Gemini: an integer's minimum says it
    "exclusiveMaximum",
    "additionalProperties",  # google-genai's MCP conversion crashes on it; openai-agents refuses `true`
    "contentEncoding",  # Gemini: the description says base64
    "contentMediaType",
    "$ref",
    "$defs",
    "oneOf",
    "allOf",
}


def nodes(schema: dict[str, Any], path: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every subschema with where it is: properties, items and anyOf branches."""
    yield path, schema
    for name, sub in schema.get("properties", {}).items():
        yield from nodes(sub, f"{path}.{name}")
    if isinstance(schema.get("items"), dict):
        yield from nodes(schema["items"], f"{path}[]")
    for index, branch in enumerate(schema.get("anyOf", [])):
        yield from nodes(branch, f"{path}|{index}")


def admits_null(schema: dict[str, Any]) -> bool:
    return schema.get("type") == "null" or any(admits_null(branch) for branch in schema.get("anyOf", []))


@pytest.mark.parametrize("schema", INPUTS)
def test_the_root_of_every_input_schema_is_a_plain_object(schema: dict[str, Any]) -> None:
    assert schema["type"] == "object" and "anyOf" not in schema
    assert isinstance(schema.get("properties"), dict)


@pytest.mark.parametrize("schema", INPUTS)
def test_every_optional_input_field_at_any_depth_admits_null(schema: dict[str, Any]) -> None:
    for path, node in nodes(schema):
        required = set(node.get("required", []))
        for name, field in node.get("properties", {}).items():
            assert name in required or admits_null(field), f"{path}.{name} is optional but refuses null"


def typed(node: dict[str, Any]) -> bool:
    return "type" in node or "anyOf" in node or "enum" in node


@pytest.mark.parametrize("schema", SCHEMAS)
def test_every_schema_node_has_a_type(schema: dict[str, Any]) -> None:
    for path, node in nodes(schema):
        assert typed(node), f"{path or 'root'} is untyped: {node}"


@pytest.mark.parametrize("schema", INPUTS)
def test_every_input_array_says_what_its_items_are(schema: dict[str, Any]) -> None:
    # pydantic-ai's OpenAI strict transformer refuses an array without typed items.
    for path, node in nodes(schema):
        if node.get("type") == "array":
            assert typed(node.get("items", {})), f"{path} has untyped items"


@pytest.mark.parametrize("schema", SCHEMAS)
def test_no_schema_uses_a_keyword_gemini_refuses_or_a_type_array(schema: dict[str, Any]) -> None:
    for path, node in nodes(schema):
        assert not REFUSED_KEYWORDS & set(node), f"{path or 'root'} uses {REFUSED_KEYWORDS & set(node)}"
        assert not isinstance(node.get("type"), list), f"{path or 'root'} has a type array"
        assert all(isinstance(value, str) for value in node.get("enum", [])), f"{path}: Gemini takes only text enums"


@pytest.mark.parametrize("schema", INPUTS)
def test_a_field_of_free_form_objects_also_takes_their_json_text(schema: dict[str, Any]) -> None:
    # Strict converters close an object without properties to `{}`; its JSON text is how its members get through.
    for name, field in schema["properties"].items():
        branches = field.get("anyOf", [field])
        open_objects = [
            path for path, node in nodes(field) if node.get("type") == "object" and not node.get("properties")
        ]
        if open_objects:
            assert {"type": "string"} in branches, f"{name} holds free-form objects but takes no JSON text"


def optional_fields(schema: dict[str, Any]) -> list[str]:
    return [name for name in schema["properties"] if name not in schema.get("required", [])]


def nulls_for(schema: dict[str, Any], given: dict[str, Any], *, inside: bool) -> dict[str, Any]:
    """`given`, and null for every other optional field; `inside`: paging gets each of its members null instead
    (a body object with its members null is an empty object, which is not the same as leaving it out)."""
    arguments = dict(given)
    for name in optional_fields(schema):
        if name not in given:
            members = schema["properties"][name]["anyOf"][0].get("properties") if name == "pg" else None
            arguments[name] = dict.fromkeys(members) if inside and members else None
    return arguments


@pytest.mark.parametrize("operation", ALL_OPERATIONS, ids=lambda operation: operation.name)
@pytest.mark.parametrize("inside", [False, True], ids=["fields null", "members null"])
def test_every_tool_sends_the_same_request_with_its_optional_fields_null_as_without_them(
    operation: Any, inside: bool
) -> None:
    schema = next(tool["inputSchema"] for tool in LISTED if tool["name"] == operation.name)
    given = {**example_arguments(schema), **SCHEMA_GAPS.get(operation.name, {})}
    with_nulls = nulls_for(schema, given, inside=inside)
    with_nulls.pop("confirmation", None)  # the call pipeline takes it off before validation
    with_nulls.pop("skipValidation", None)  # so it does a scenario write's skipValidation
    if operation.name in TRIMMED_FIELDS:
        assert with_nulls.pop("cols") is None  # so it does this `cols`: the shape stage applies it, not Make
    if operation.builder is not None:  # its handler reads the validated input, and sends no request of its own
        assert validate_arguments(operation, with_nulls) == validate_arguments(operation, given)
        return
    assert build_request(operation, validate_arguments(operation, with_nulls)) == build_request(
        operation, validate_arguments(operation, given)
    )


@pytest.mark.parametrize("tool", ["scenarios_list", "hooks_list", "data-stores_list", "tools_search"])
async def test_a_call_with_every_optional_field_null_answers_as_when_they_are_left_out(
    loopback_sandbox: LoopbackSandbox, tool: str
) -> None:
    # Through the whole call: the default team is filled in for a null teamId as for a missing one.
    schema = next(listed["inputSchema"] for listed in LISTED if listed["name"] == tool)
    given = {"query": "scenario"} if tool == "tools_search" else {}
    mode = "discovery" if tool == "tools_search" else "full"
    async with mcp_client(loopback_sandbox, team=201, tool_mode=mode) as client:
        absent = await client.call_tool(tool, given)
        null = await client.call_tool(tool, nulls_for(schema, given, inside=False))
        inside = await client.call_tool(tool, nulls_for(schema, given, inside=True))
    assert not absent.is_error and absent.structured_content
    assert null.structured_content == absent.structured_content
    assert inside.structured_content == absent.structured_content


def test_an_object_whose_members_the_reference_states_in_words_lists_them_as_properties() -> None:
    # "shape: {makeScenarioId: float, approvalMode?: ...}" in the reference's text becomes typed, checked members.
    spec = json.loads((Path(__file__).parents[2] / "tools" / "spec" / "make-openapi.json").read_text(encoding="utf-8"))
    by_route = {(op.method, op.path): op.name for op in ALL_OPERATIONS}
    inputs = {tool["name"]: tool["inputSchema"] for tool in LISTED}
    shaped: list[str] = []
    for path, methods in spec["paths"].items():
        for method, operation in methods.items():
            body = operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema", {})
            name = by_route.get((method.upper(), path))
            for field, schema in body.get("properties", {}).items():
                if (
                    name is None
                    or "shape: {" not in schema.get("description", "")
                    or field not in inputs[name]["properties"]
                ):
                    continue
                advertised = inputs[name]["properties"][field]
                objects = [node for _, node in nodes(advertised) if node.get("type") == "object"]
                assert any(node.get("properties") for node in objects), f"{name}.{field} lists no members"
                shaped.append(f"{name}.{field}")
    assert len(shaped) >= 20 and "ai-agents_create.scenarios" in shaped
