"""Default result fields are data checked against the reference: a default never names a field Make lacks."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from make_mcp import tools
from make_mcp.server.engine.shaping import column_choices
from make_mcp.server.protocol.listing import tool_definition
from make_mcp.tools.catalogue import Operation
from make_mcp.tools.registry import ALL_OPERATIONS, DEFAULT_FIELDS, NOT_TRIMMED, TRIMMED_FIELDS
from make_mcp.tools.result_fields import ALL_FIELDS

BY_NAME = {op.name: op for op in ALL_OPERATIONS}
SPEC = json.loads((Path(tools.__file__).parent / "spec" / "make-openapi.json").read_text(encoding="utf-8"))


def documented_item_fields(name: str) -> set[str]:
    """The fields the reference documents for the items of a list tool's answer: schema and example."""
    operation = BY_NAME[name]
    answer = SPEC["paths"][operation.path][operation.method.lower()]["responses"]["200"]["content"]["application/json"]
    key = operation.response_key
    assert key is not None, f"{name} has no response key to find its items under"
    items = answer.get("schema", {}).get("properties", {}).get(key, {}).get("items", {})
    fields = set(items.get("properties", {}))
    example: Any = answer.get("example") or {}
    for item in example.get(key, []) if isinstance(example, dict) else []:
        if isinstance(item, dict):
            fields |= set(item)  # pyright: ignore[reportUnknownArgumentType]
    return fields


@pytest.mark.parametrize("name", sorted(DEFAULT_FIELDS))
def test_each_default_field_is_documented_for_the_items_and_accepted_by_cols(name: str) -> None:
    assert name in BY_NAME and name.split("_", 1)[1].startswith("list"), f"{name} is not a list tool"
    defaults = DEFAULT_FIELDS[name]
    assert defaults and len(set(defaults)) == len(defaults)
    assert set(defaults) <= set(column_choices(BY_NAME[name].input_model)), "Make's cols[] would refuse it"
    assert set(defaults) <= documented_item_fields(name), "the reference documents no such field"


def test_every_list_tool_with_cols_whose_values_fit_its_items_has_defaults() -> None:
    missing = [
        op.name
        for op in ALL_OPERATIONS
        if op.name.split("_", 1)[1].startswith("list")
        and column_choices(op.input_model)
        and op.name not in DEFAULT_FIELDS
        and op.response_key is not None
        and set(column_choices(op.input_model)) <= documented_item_fields(op.name) | {"deleted", "deletedAt"}
    ]
    assert missing == ["data-structures_list"], missing  # its spec is what one reads it for: returned whole


def test_the_id_is_always_among_the_defaults_when_the_items_have_one() -> None:
    defaults = {**DEFAULT_FIELDS, **{name: fields.default for name, fields in TRIMMED_FIELDS.items()}}
    lacking = [name for name, fields in defaults.items() if "id" in documented_item_fields(name) and "id" not in fields]
    assert lacking == []


# --- list tools whose Make operation has no cols[]: trimmed by the shape stage ---


def is_list_tool_without_makes_cols(operation: Operation) -> bool:
    return (
        operation.method == "GET"
        and operation.name.split("_", 1)[1].startswith("list")
        and "cols" not in operation.input_model.model_fields
    )


def test_every_list_tool_without_makes_cols_is_trimmed_here_or_says_why_not() -> None:
    without_cols = {op.name for op in ALL_OPERATIONS if is_list_tool_without_makes_cols(op)}
    assert not set(TRIMMED_FIELDS) & set(NOT_TRIMMED)
    assert set(TRIMMED_FIELDS) | set(NOT_TRIMMED) == without_cols
    assert {"hooks_list", "executions_list", "incomplete-executions_list"} <= set(TRIMMED_FIELDS)


@pytest.mark.parametrize("name", sorted(TRIMMED_FIELDS))
def test_each_trimmed_list_offers_the_documented_item_fields_and_defaults_to_some_of_them(name: str) -> None:
    fields = TRIMMED_FIELDS[name]
    assert BY_NAME[name].response_key is not None, "the shape stage finds the items under the response key"
    assert set(fields.documented) == documented_item_fields(name), "cols must offer what the reference documents"
    assert len(set(fields.documented)) == len(fields.documented)
    assert fields.default and len(set(fields.default)) == len(fields.default)
    assert set(fields.default) <= set(fields.documented)
    assert ALL_FIELDS not in fields.documented


UNDOCUMENTED_UNDER_A_KEY = sorted(
    name for name, why in NOT_TRIMMED.items() if "not document" in why and BY_NAME[name].response_key is not None
)


@pytest.mark.parametrize("name", UNDOCUMENTED_UNDER_A_KEY)
def test_a_list_left_whole_for_undocumented_items_has_no_documented_item_fields(name: str) -> None:
    assert documented_item_fields(name) == set()


@pytest.mark.parametrize("name", sorted(TRIMMED_FIELDS))
def test_a_trimmed_list_advertises_cols_with_its_documented_fields_and_star_admitting_null(name: str) -> None:
    schema = tool_definition(BY_NAME[name], confirm=True).input_schema
    cols = schema["properties"]["cols"]
    assert "cols" not in schema.get("required", [])
    assert cols["anyOf"][1] == {"type": "null"}  # null means left out: the default fields
    assert cols["anyOf"][0] == {
        "type": "array",
        "items": {"type": "string", "enum": [*TRIMMED_FIELDS[name].documented, ALL_FIELDS]},
    }


def test_every_advertised_cols_of_makes_cols_also_takes_star() -> None:
    for operation in ALL_OPERATIONS:
        choices = column_choices(operation.input_model)
        if choices:
            cols = tool_definition(operation, confirm=True).input_schema["properties"]["cols"]
            assert cols["anyOf"][0]["items"]["enum"] == [*choices, ALL_FIELDS], operation.name
