"""Default result fields are data checked against the reference: a default never names a field Make lacks."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import tools
from server.shaping import column_choices
from tools.registry import ALL_OPERATIONS
from tools.result_fields import DEFAULT_FIELDS

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
    lacking = [
        name for name, fields in DEFAULT_FIELDS.items() if "id" in documented_item_fields(name) and "id" not in fields
    ]
    assert lacking == []
