"""The spec index: routing by template, Make-style request validation, and sample responses for every documented operation."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from make_mcp.server.sandbox.spec import SpecIndex, SpecOperation, vendored_operations

SPEC_DIR = Path(__file__).resolve().parents[3] / "tools" / "spec"
JSON_TYPES: dict[str, type | tuple[type, ...]] = {
    "string": str,
    "integer": int,
    "number": (int, float),
    "boolean": bool,
    "array": list,
    "object": dict,
}


@pytest.fixture(scope="module")
def index() -> SpecIndex:
    return SpecIndex.load()


def op_of(index: SpecIndex, method: str, template: str) -> SpecOperation:
    op = index.find(method, template)
    assert op is not None, f"{method} {template} is not in the spec"
    return op


def routed(index: SpecIndex, method: str, path: str) -> tuple[str, dict[str, str]]:
    matched = index.match(method, path)
    assert matched is not None, f"{method} {path} matched nothing"
    return matched[0].path, matched[1]


def problems_for(
    index: SpecIndex, method: str, path: str, query: list[tuple[str, str]] | None = None, body: Any = None
) -> list[str]:
    matched = index.match(method, path)
    assert matched is not None
    return index.validate_request(matched[0], matched[1], query or [], body)


def sample_for(index: SpecIndex, method: str, path: str, query: list[tuple[str, str]] | None = None) -> Any:
    matched = index.match(method, path)
    assert matched is not None
    return index.sample_response(matched[0], matched[1], query or [], None)


# ---- building valid requests straight from the spec ----


def valid_text(schema: dict[str, Any]) -> str:
    """A path or query value the schema accepts."""
    first = (schema.get("oneOf") or [schema])[0]
    if first.get("type") == "array":
        first = first.get("items") or {}
    if first.get("enum"):
        return str(first["enum"][0])
    kind = first.get("type")
    if kind in ("integer", "number"):
        minimum = first.get("minimum", 1)
        return str(max(minimum + 1 if first.get("exclusiveMinimum") is True else minimum, 1))
    if kind == "boolean":
        return "true"
    if first.get("format") == "uuid":
        return "5b0f3c1e-2d4a-4c8b-9e6f-0a1b2c3d4e5f"
    if first.get("format") == "date-time":
        return "2024-05-01T12:00:00.000Z"
    return "sample1"


def valid_json(schema: dict[str, Any]) -> Any:
    kind = schema.get("type")
    values: dict[str, Any] = {
        "string": "sample1",
        "integer": 1,
        "number": 1,
        "boolean": True,
        "array": [],
        "object": {},
    }
    return values.get(kind or "", "anything")


def valid_request(op: SpecOperation) -> tuple[str, dict[str, str], list[tuple[str, str]], Any]:
    params = {p["name"]: valid_text(p["schema"]) for p in op.parameters if p["in"] == "path"}
    query = [(p["name"], valid_text(p["schema"])) for p in op.parameters if p["in"] == "query" and p["required"]]
    path = re.sub(r"\{([^}]+)\}", lambda found: params[found.group(1)], op.path)
    schema = op.request_body_schema or {}
    properties: dict[str, Any] = schema.get("properties") or {}
    body = {name: valid_json(properties[name]) for name in schema.get("required", [])} if properties else None
    return path, params, query, body


def type_problems(value: Any, schema: dict[str, Any], where: str, depth: int) -> list[str]:
    """Where the JSON types disagree with the schema, down to `depth` levels; null passes (Make sends it for unset)."""
    if value is None:
        return []
    alternatives = schema.get("oneOf") or schema.get("anyOf")
    if alternatives:
        fits = any(not type_problems(value, alt, where, depth) for alt in alternatives)
        return [] if fits else [f"{where}: fits no alternative"]
    kind = schema.get("type")
    if kind is None:
        return []
    if isinstance(value, bool) != (kind == "boolean") or not isinstance(value, JSON_TYPES[kind]):
        return [f"{where}: {type(value).__name__} is not {kind}"]
    found: list[str] = []
    if depth > 0 and kind == "object":
        for name, sub in (schema.get("properties") or {}).items():
            if name in value:
                found += type_problems(value[name], sub, f"{where}.{name}", depth - 1)
    if depth > 0 and kind == "array":
        for position, item in enumerate(value):
            found += type_problems(item, schema.get("items") or {}, f"{where}[{position}]", depth - 1)
    return found


# ---- the index ----


def test_every_documented_operation_is_indexed_once(index: SpecIndex) -> None:
    with (SPEC_DIR / "operations.tsv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    keys = [(op.method, op.path) for op in index.operations]

    assert len(index.operations) == len(rows)
    assert len(set(keys)) == len(rows)
    assert {(row["method"], row["path"]) for row in rows} == set(keys)
    assert all(index.find(method, path) is index.operations[i] for i, (method, path) in enumerate(keys))


def test_load_reads_the_spec_once(index: SpecIndex) -> None:
    assert SpecIndex.load() is index


def test_operation_carries_scopes_parameters_and_schemas(index: SpecIndex) -> None:
    op = op_of(index, "GET", "/scenarios/{scenarioId}")

    assert op.scopes == ("scenarios:read",)
    assert op.tag
    assert op.operation_id
    assert [p["name"] for p in op.parameters if p["in"] == "path"] == ["scenarioId"]
    assert op.response_schema is not None
    assert op.response_schema["properties"]["scenario"]["type"] == "object"
    assert isinstance(op.response_example, dict)
    assert op.request_body_schema is None


def test_request_body_schema_is_the_json_schema_of_the_body(index: SpecIndex) -> None:
    op = op_of(index, "POST", "/scenarios")

    assert op.request_body_schema is not None
    assert {"blueprint", "scheduling"} <= set(op.request_body_schema["required"])


def test_header_parameters_are_left_out(index: SpecIndex) -> None:
    op = op_of(index, "OPTIONS", "/rpcs/{appName}/{appVersion}/{rpcName}")

    assert {p["in"] for p in op.parameters} == {"path"}


def test_find_takes_the_template_not_a_concrete_path(index: SpecIndex) -> None:
    assert index.find("GET", "/scenarios/{scenarioId}") is not None
    assert index.find("GET", "/scenarios/12") is None
    assert index.find("PUT", "/scenarios/{scenarioId}") is None


# ---- routing ----


def test_literal_segment_beats_parameter_segment(index: SpecIndex) -> None:
    assert routed(index, "GET", "/keys/types") == ("/keys/types", {})
    assert routed(index, "GET", "/scenarios/consumptions") == ("/scenarios/consumptions", {})
    assert routed(index, "POST", "/sdk/apps/my-app/1/clone") == (
        "/sdk/apps/{SDK_appName}/{SDK_appVersion}/clone",
        {"SDK_appName": "my-app", "SDK_appVersion": "1"},
    )


def test_parameter_segment_takes_any_other_value(index: SpecIndex) -> None:
    assert routed(index, "GET", "/keys/42") == ("/keys/{keyId}", {"keyId": "42"})
    assert routed(index, "POST", "/sdk/apps/my-app/1/public") == (
        "/sdk/apps/{SDK_appName}/{SDK_appVersion}/{SDK_appVisibility}",
        {"SDK_appName": "my-app", "SDK_appVersion": "1", "SDK_appVisibility": "public"},
    )


def test_same_shape_templates_are_told_apart_by_their_path_enums(index: SpecIndex) -> None:
    base = "/sdk/apps/{SDK_appName}/{SDK_appVersion}/modules/{SDK_moduleName}"

    assert routed(index, "POST", "/sdk/apps/a/1/modules/m/undeprecate")[0] == f"{base}/{{SDK_moduleDeprecation}}"
    assert routed(index, "POST", "/sdk/apps/a/1/modules/m/private")[0] == f"{base}/{{SDK_moduleVisibility}}"


def test_path_fitting_only_a_parameter_of_this_method_matches_and_fails_validation(index: SpecIndex) -> None:
    assert routed(index, "DELETE", "/keys/types") == ("/keys/{keyId}", {"keyId": "types"})
    assert problems_for(index, "DELETE", "/keys/types") == ["Invalid key, not parsable to integer: 'keyId'."]


def test_known_path_with_undocumented_method_is_told_apart_from_unknown_path(index: SpecIndex) -> None:
    assert index.match("PUT", "/scenarios/12") is None
    assert index.path_exists("/scenarios/12")
    assert index.match("GET", "/no-such-resource") is None
    assert not index.path_exists("/no-such-resource")


def test_paths_are_case_sensitive_and_segments_cannot_be_empty(index: SpecIndex) -> None:
    assert index.match("GET", "/Scenarios") is None
    assert not index.path_exists("/Organizations")
    assert index.match("GET", "/scenarios//blueprint") is None


def test_method_is_matched_case_insensitively_and_options_is_routable(index: SpecIndex) -> None:
    assert routed(index, "get", "/scenarios") == ("/scenarios", {})
    assert routed(index, "OPTIONS", "/rpcs/app/2/listItems") == (
        "/rpcs/{appName}/{appVersion}/{rpcName}",
        {"appName": "app", "appVersion": "2", "rpcName": "listItems"},
    )


def test_every_operation_is_reached_by_a_concrete_path(index: SpecIndex) -> None:
    misrouted = []
    for op in index.operations:
        path, params, _, _ = valid_request(op)
        matched = index.match(op.method, path)
        if matched is None or matched[0] is not op or matched[1] != params:
            misrouted.append(f"{op.method} {path} -> {matched[0].path if matched else None}")
    assert misrouted == []


# ---- request validation ----


def test_integer_path_parameter_rejects_text(index: SpecIndex) -> None:
    assert problems_for(index, "GET", "/scenarios/abc") == ["Invalid key, not parsable to integer: 'scenarioId'."]
    assert problems_for(index, "GET", "/scenarios/1.5") == ["Invalid key, not parsable to integer: 'scenarioId'."]
    assert problems_for(index, "GET", "/scenarios/12") == []


@given(st.text(min_size=1, alphabet=st.characters(blacklist_characters="/", blacklist_categories=("Cs",))))
@example("0\x1f")  # str.strip() trims U+001F but int() does not
@example(" 12 ")
def test_integer_path_parameter_accepts_exactly_integer_text(segment: str) -> None:
    index = SpecIndex.load()
    matched = index.match("GET", f"/teams/{segment}")
    if matched is None:  # a literal sibling (none today) or whitespace trimmed away
        return
    op, params = matched
    if op.path != "/teams/{teamId}":
        return
    is_integer = re.fullmatch(r"-?\d+", segment.strip()) is not None
    assert (index.validate_request(op, params, [], None) == []) == is_integer


def test_path_enum_and_minimum_are_checked(index: SpecIndex) -> None:
    assert problems_for(index, "POST", "/sdk/apps/a/1/hidden") == [
        "Parameter 'SDK_appVisibility' must be one of: public, private (got 'hidden')."
    ]
    modules = "/credential-requests/apps/my-app/{}/modules-with-credentials"
    assert problems_for(index, "GET", modules.format("latest")) == []
    assert problems_for(index, "GET", modules.format("3")) == []
    assert problems_for(index, "GET", modules.format("0")) == ["Parameter 'version' must be at least 1."]


def test_required_query_parameter_must_be_present(index: SpecIndex) -> None:
    assert problems_for(index, "GET", "/connections") == ["Missing value of required parameter 'teamId'."]
    assert problems_for(index, "GET", "/connections", [("teamId", "7")]) == []


def test_integer_query_parameter_rejects_text(index: SpecIndex) -> None:
    assert problems_for(index, "GET", "/connections", [("teamId", "seven")]) == [
        "Parameter 'teamId' must be an integer."
    ]


def test_boolean_query_parameter_takes_true_false_1_0(index: SpecIndex) -> None:
    for text in ("true", "false", "1", "0", "TRUE"):
        assert problems_for(index, "DELETE", "/keys/3", [("confirmed", text)]) == []
    assert problems_for(index, "DELETE", "/keys/3", [("confirmed", "yes")]) == [
        "Parameter 'confirmed' must be a boolean."
    ]


def test_enum_query_parameter_rejects_unknown_value(index: SpecIndex) -> None:
    query = [("teamId", "1"), ("pg[sortDir]", "asc")]

    assert problems_for(index, "GET", "/scenarios", query) == [
        "Parameter 'pg[sortDir]' must be one of: desc (got 'asc')."
    ]
    assert problems_for(index, "GET", "/scenarios", [("teamId", "1"), ("pg[sortDir]", "desc")]) == []


def test_integer_enum_query_parameter_compares_numbers(index: SpecIndex) -> None:
    assert problems_for(index, "GET", "/users", [("tfaStatus", "2")]) == []
    assert problems_for(index, "GET", "/users", [("tfaStatus", "3")]) == [
        "Parameter 'tfaStatus' must be one of: 0, 1, 2 (got '3')."
    ]


def test_array_query_values_are_checked_in_both_notations(index: SpecIndex) -> None:
    good = [("teamId", "1"), ("cols[]", "id"), ("cols[]", "name"), ("cols[3]", "teamId")]
    assert problems_for(index, "GET", "/scenarios", good) == []

    bad = [("teamId", "1"), ("cols[]", "colour"), ("cols[2]", "shape")]
    found = problems_for(index, "GET", "/scenarios", bad)
    assert len(found) == 2
    assert all(problem.startswith("Parameter 'cols[]' must be one of: id, name,") for problem in found)
    assert "(got 'colour')" in found[0]
    assert "(got 'shape')" in found[1]


def test_array_items_are_type_checked(index: SpecIndex) -> None:
    query = [("teamId", "1"), ("id[]", "4"), ("id[]", "four")]

    assert problems_for(index, "GET", "/scenarios", query) == ["Parameter 'id[]' must be an integer."]


def test_one_of_query_parameter_takes_a_value_or_an_array(index: SpecIndex) -> None:
    assert problems_for(index, "GET", "/analytics/1", [("teamId", "5")]) == []
    assert problems_for(index, "GET", "/analytics/1", [("teamId[]", "5"), ("teamId[1]", "6")]) == []
    assert problems_for(index, "GET", "/analytics/1", [("status[]", "active"), ("status", "gone")]) == [
        "Parameter 'status' must be one of: active, invalid, inactive (got 'gone')."
    ]


def test_exclusive_minimum_rejects_the_bound(index: SpecIndex) -> None:
    assert problems_for(index, "GET", "/ai-agents/v1/agents", [("teamId", "0")]) == [
        "Parameter 'teamId' must be greater than 0."
    ]
    assert problems_for(index, "GET", "/ai-agents/v1/agents", [("teamId", "3")]) == []


def test_unknown_query_parameters_are_tolerated(index: SpecIndex) -> None:
    query = [("teamId", "1"), ("utm_source", "x"), ("pg[bogus]", "y")]

    assert problems_for(index, "GET", "/scenarios", query) == []


def test_required_body_properties_must_be_present(index: SpecIndex) -> None:
    assert problems_for(index, "POST", "/teams", body={"name": "Ops"}) == [
        "Missing value of required parameter 'organizationId'."
    ]
    assert problems_for(index, "POST", "/teams", body=None) == [
        "Missing value of required parameter 'name'.",
        "Missing value of required parameter 'organizationId'.",
    ]
    assert problems_for(index, "POST", "/teams", body={"name": "Ops", "organizationId": 101}) == []


def test_body_property_types_are_checked(index: SpecIndex) -> None:
    body = {"name": 5, "organizationId": True, "operationsLimit": "lots"}

    assert problems_for(index, "POST", "/teams", body=body) == [
        "Parameter 'name' must be a string.",
        "Parameter 'organizationId' must be an integer.",
        "Parameter 'operationsLimit' must be an integer.",
    ]


def test_body_ids_may_travel_as_numbers_or_numeric_strings(index: SpecIndex) -> None:
    assert problems_for(index, "POST", "/teams", body={"name": "Ops", "organizationId": "101"}) == []
    # POST /hooks types teamId as a string; clients send the number.
    body = {"name": "Orders", "teamId": 201, "typeName": "gateway-webhook"}
    assert problems_for(index, "POST", "/hooks", body=body) == []


def test_body_must_be_an_object_when_properties_are_documented(index: SpecIndex) -> None:
    assert problems_for(index, "POST", "/teams", body=["Ops"]) == ["The request body must be a JSON object."]


def test_free_form_body_is_not_checked(index: SpecIndex) -> None:
    assert problems_for(index, "POST", "/hooks/5/set-data", body={"anything": [1, {"goes": True}]}) == []


# ---- sample responses ----


def test_sample_response_for_every_operation_matches_its_schema_types(index: SpecIndex) -> None:
    failures: list[str] = []
    for op in index.operations:
        path, params, query, body = valid_request(op)
        problems = index.validate_request(op, params, query, body)
        if problems:
            failures.append(f"{op.method} {path}: valid request rejected: {problems}")
            continue
        sample = index.sample_response(op, params, query, body)
        schema = op.response_schema
        if schema is None or not schema.get("type"):
            if sample != {}:
                failures.append(f"{op.method} {op.path}: expected {{}} without a typed schema, got {sample!r}")
            continue
        # Nine documented examples disagree with the schema below the top level (see the module report).
        nested = op.response_example is None
        depth = 50 if nested else 1
        failures += [f"{op.method} {op.path} {p}" for p in type_problems(sample, schema, "$", depth)]
        if isinstance(sample, dict) and nested:
            missing = set(schema.get("properties") or {}) - set(sample)
            if missing:
                failures.append(f"{op.method} {op.path}: synthesized body lacks {sorted(missing)}")
    assert failures == []


def test_sample_response_is_deterministic(index: SpecIndex) -> None:
    for op in index.operations:
        _, params, query, body = valid_request(op)
        assert index.sample_response(op, params, query, body) == index.sample_response(op, params, query, body)


def test_sample_response_uses_the_documented_example(index: SpecIndex) -> None:
    op = op_of(index, "GET", "/data-stores/{dataStoreId}")
    example = op.response_example
    assert isinstance(example, dict)

    sample = index.sample_response(op, {"dataStoreId": str(example["dataStore"]["id"])}, [], None)

    assert sample == example


def test_sample_response_is_a_copy_callers_may_mutate(index: SpecIndex) -> None:
    op = op_of(index, "GET", "/scenarios/{scenarioId}")
    first = index.sample_response(op, {"scenarioId": "12"}, [], None)
    first["scenario"]["name"] = "changed"
    first["scenario"]["usedPackages"].append("mutated")

    second = index.sample_response(op, {"scenarioId": "12"}, [], None)

    assert second["scenario"]["name"] != "changed"
    assert "mutated" not in second["scenario"]["usedPackages"]
    assert isinstance(op.response_example, dict)
    assert "mutated" not in op.response_example["scenario"]["usedPackages"]


def test_sample_response_echoes_the_addressed_id(index: SpecIndex) -> None:
    assert sample_for(index, "GET", "/scenarios/12")["scenario"]["id"] == 12
    assert sample_for(index, "GET", "/hooks/5/logs/9")["hookLog"]["id"] == 9


def test_sample_response_echoes_path_params_into_same_named_fields(index: SpecIndex) -> None:
    sample = sample_for(index, "GET", "/teams/77/user-team-roles")

    assert sample["userTeamRoles"]
    assert all(role["teamId"] == 77 for role in sample["userTeamRoles"])


def test_sample_response_echoes_body_fields_of_the_same_type(index: SpecIndex) -> None:
    op = op_of(index, "POST", "/scenarios")
    body = {"teamId": 5, "name": "Mine", "blueprint": "{}", "scheduling": "{}", "isActive": "yes"}

    scenario = index.sample_response(op, {}, [], body)["scenario"]

    assert scenario["name"] == "Mine"
    assert scenario["teamId"] == 5
    assert scenario["isActive"] is False


def test_synthesized_list_items_differ(index: SpecIndex) -> None:
    users = sample_for(index, "GET", "/users")["users"]

    assert len(users) == 2
    assert users[0]["id"] != users[1]["id"]
    assert users[0]["name"] != users[1]["name"]


def test_cols_keeps_only_requested_keys(index: SpecIndex) -> None:
    sample = sample_for(index, "GET", "/scenarios", [("teamId", "1"), ("cols[]", "name"), ("cols[]", "id")])

    assert sample["scenarios"]
    assert all(list(item) == ["name", "id"] for item in sample["scenarios"])
    assert "pg" in sample


def test_numbered_cols_fix_the_key_order(index: SpecIndex) -> None:
    query = [("teamId", "1"), ("cols[2]", "id"), ("cols[1]", "isActive")]

    sample = sample_for(index, "GET", "/scenarios", query)

    assert all(list(item) == ["isActive", "id"] for item in sample["scenarios"])


def test_cols_applies_to_the_wrapped_entity_of_a_detail_response(index: SpecIndex) -> None:
    sample = sample_for(index, "GET", "/scenarios/12", [("cols[]", "id"), ("cols[]", "name")])

    assert sample == {"scenario": {"id": 12, "name": sample["scenario"]["name"]}}


def test_cols_is_ignored_where_undocumented(index: SpecIndex) -> None:
    full = sample_for(index, "GET", "/users/me/current-authorization")
    with_cols = sample_for(index, "GET", "/users/me/current-authorization", [("cols[]", "nothing")])

    assert with_cols == full


def test_pg_limit_and_offset_slice_the_list(index: SpecIndex) -> None:
    full = sample_for(index, "GET", "/users")["users"]

    limited = sample_for(index, "GET", "/users", [("pg[limit]", "1")])
    offset = sample_for(index, "GET", "/users", [("pg[offset]", "1"), ("pg[limit]", "5")])

    assert limited["users"] == full[:1]
    assert limited["pg"]["limit"] == 1
    assert offset["users"] == full[1:]
    assert offset["pg"]["offset"] == 1
    assert sample_for(index, "GET", "/users", [("pg[offset]", "9")])["users"] == []


def test_pg_slices_only_the_main_list(index: SpecIndex) -> None:
    op = op_of(index, "GET", "/data-stores/{dataStoreId}/data")
    example = op.response_example
    assert isinstance(example, dict)

    sample = index.sample_response(op, {"dataStoreId": "1"}, [("pg[limit]", "0")], None)

    assert sample["records"] == []
    assert sample["spec"] == example["spec"]


def test_operation_without_response_schema_samples_an_empty_object(index: SpecIndex) -> None:
    op = op_of(index, "POST", "/scenarios/{scenarioId}/restore")
    assert op.response_schema is None

    assert index.sample_response(op, {"scenarioId": "1"}, [], None) == {}


def test_the_vendored_operations_are_those_the_standard_json_parser_reads_from_the_spec() -> None:
    with (SPEC_DIR / "make-openapi.json").open(encoding="utf-8") as handle:
        document = json.load(handle)
    assert vendored_operations() == SpecIndex.from_document(document).operations
