"""tools_search: the words an agent uses find the tool it needs near the top."""

from __future__ import annotations

import json
from typing import Any

import pytest

from make_mcp.server.engine.discovery import (
    ONE_LINE_CHARS,
    SEARCH_INPUTS_CHARS,
    ToolIndex,
    compact_input,
    describe_result,
    one_line,
    search_result,
)
from make_mcp.server.protocol.listing import tool_definition
from make_mcp.tools.registry import ALL_OPERATIONS

INDEX = ToolIndex(ALL_OPERATIONS)

# A query, the tool it must find, and how far down it may be.
QUERIES = [
    ("list scenarios", "scenarios_list", 1),
    ("list teams", "teams_list", 1),
    ("get scenario", "scenarios_get", 1),
    ("who am i", "users_me", 1),
    ("turn on scenario", "scenarios_activate", 1),
    ("stop a scenario", "scenarios_deactivate", 1),
    ("run a scenario", "scenarios_run", 1),
    ("webhook url", "hooks_get", 1),
    ("scenario blueprint", "blueprints_get", 1),
    ("create api token", "api-tokens_create", 1),
    ("delete records from data store", "data-store-records_delete", 1),
    ("retry failed execution", "incomplete-executions_retry", 1),
    ("why did my scenario fail", "executions_list", 4),
    ("why did my scenario fail", "incomplete-executions_list", 4),
    ("failed runs", "executions_list", 6),
    ("usage operations credits", "scenarios_get-usage", 3),
    ("copy a scenario into another folder", "scenarios_clone", 3),
    ("disable a webhook", "hooks_disable", 1),
    ("list scenario runs", "executions_list", 2),
]


def names(query: str, limit: int = 10) -> list[str]:
    return [found["name"] for found in INDEX.search(query, None, limit)]


@pytest.mark.parametrize(("query", "tool", "within"), QUERIES)
def test_everyday_words_find_the_tool_near_the_top(query: str, tool: str, within: int) -> None:
    assert tool in names(query)[:within], names(query)


def test_word_forms_meet_so_failed_and_failures_find_what_fail_finds() -> None:
    assert names("failed")[:5] == names("fail")[:5] == names("failures")[:5]


def test_words_that_say_nothing_find_nothing_and_a_toolset_narrows_the_search() -> None:
    assert names("why did my") == []
    toolset_of = {op.name: op.toolset for op in ALL_OPERATIONS}
    assert {toolset_of[found["name"]] for found in INDEX.search("list", "hooks", 50)} == {"hooks"}


def test_a_search_hit_is_a_name_and_one_line_of_its_description() -> None:
    hits = INDEX.search("list scenarios", None, 10)
    by_name = {op.name: op for op in ALL_OPERATIONS}
    assert all(set(hit) == {"name", "description"} for hit in hits)
    assert hits[0]["name"] == "scenarios_list"
    assert hits[0]["description"].startswith("List the scenarios of a team")
    assert all(by_name[hit["name"]].description.startswith(hit["description"].rstrip("…")) for hit in hits)


def test_the_search_answer_maps_each_name_to_its_line_best_first() -> None:
    hits = INDEX.search("create data store", None, 10)
    answer = search_result(hits)
    assert list(answer["tools"]) == [hit["name"] for hit in hits]
    assert answer["tools"][hits[0]["name"]] == hits[0]["description"]


def test_a_description_longer_than_a_line_is_cut_with_an_ellipsis() -> None:
    cut = one_line("word " * 60)
    assert len(cut) <= ONE_LINE_CHARS and cut.endswith("…")
    assert one_line("First sentence. Second one.") == "First sentence"


def test_describe_keeps_what_a_call_needs_and_leaves_out_what_clients_use() -> None:
    definition = {
        "name": "scenarios_get",
        "title": "Get scenario",
        "description": "Get one scenario.",
        "inputSchema": {"type": "object"},
        "outputSchema": {"type": "object"},
        "annotations": {"readOnlyHint": True},
        "_meta": {"make/operation": {}},
    }
    assert describe_result(definition) == {
        "name": "scenarios_get",
        "description": "Get one scenario.",
        "inputSchema": {"type": "object"},
    }


def advertised_input(name: str) -> dict[str, Any]:
    return tool_definition(next(op for op in ALL_OPERATIONS if op.name == name), confirm=True).input_schema


def test_the_search_answer_carries_the_inputs_of_its_best_hits_so_a_call_needs_no_describe() -> None:
    hits = INDEX.search("create data structure", None, 10)
    answer = search_result(hits, advertised_input)
    inputs = answer["inputs"]
    assert next(iter(inputs)) == hits[0]["name"] == "data-structures_create"
    assert inputs["data-structures_create"] == {
        "teamId": "integer, required; From teams_list.",
        "name": "string, required",
        "strict": "boolean",
        "spec": "array of object or string, required",
    }
    assert len(json.dumps(inputs, separators=(",", ":"))) <= SEARCH_INPUTS_CHARS


def test_a_compact_input_names_every_field_with_its_type_and_leaves_out_the_confirmation() -> None:
    schema = advertised_input("scenarios_update")
    compact = compact_input(schema)
    assert set(compact) == set(schema["properties"]) - {"confirmation"}
    assert compact["scenarioId"].startswith("integer, required")
    assert all(compact[name].split(";")[0].endswith("required") for name in schema.get("required", []))
    paging = compact_input(advertised_input("scenarios_list"))["pg"]
    assert paging.startswith("object {") and "limit" in paging


def test_inputs_that_do_not_fit_the_budget_are_left_for_describe() -> None:
    hits = INDEX.search("list scenarios", None, 10)
    huge = {"type": "object", "properties": {f"field{n}": {"type": "string"} for n in range(400)}}
    answer = search_result(hits, lambda name: huge if name == hits[0]["name"] else advertised_input(name))
    assert hits[0]["name"] not in answer["inputs"] and answer["inputs"]
