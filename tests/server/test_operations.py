"""Generic code over declarations: advertised schemas, request building and the result budget."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest

from make_mcp.server.engine.operations import (
    build_request,
    input_schema,
    shape_result,
    shape_result_and_text,
    validate_arguments,
)
from make_mcp.server.errors import InvalidArguments
from make_mcp.tools.catalogue import Operation
from make_mcp.tools.registry import ALL_OPERATIONS

BY_NAME = {op.name: op for op in ALL_OPERATIONS}
BLUEPRINT = {"name": "Parse JSON", "flow": [{"id": 1, "module": "json:ParseJSON", "version": 1}]}


def request_for(name: str, arguments: dict[str, Any]):
    operation = BY_NAME[name]
    return build_request(operation, validate_arguments(operation, arguments))


def walk(node: Any):
    yield node
    if isinstance(node, dict):
        for value in node.values():
            yield from walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from walk(value)


@pytest.mark.parametrize("operation", ALL_OPERATIONS, ids=lambda op: op.name)
def test_advertised_schema_is_compact_and_self_contained(operation: Operation) -> None:
    schema = input_schema(operation.input_model)
    assert schema["type"] == "object" and "additionalProperties" not in schema
    text = json.dumps(schema)
    assert "$ref" not in text and "$defs" not in text
    for node in walk(schema):
        if isinstance(node, dict):
            assert not isinstance(node.get("title"), str)


def test_an_optional_body_field_given_null_is_left_out_and_one_named_in_set_null_is_sent_as_null() -> None:
    arguments = {"teamId": 201, "aiMappingModelName": None, "aiToolkitModelName": "large-model"}
    request = request_for("teams_update-llm-configuration", {**arguments, "setNull": ["aiMappingAccountId"]})
    assert request.body == {"aiToolkitModelName": "large-model", "aiMappingAccountId": None}
    assert request_for("teams_update-llm-configuration", {**arguments, "setNull": None}).body == {
        "aiToolkitModelName": "large-model"
    }


def test_a_field_both_given_and_named_in_set_null_is_refused_before_any_request() -> None:
    with pytest.raises(InvalidArguments) as raised:
        request_for(
            "teams_update-llm-configuration",
            {"teamId": 201, "aiMappingModelName": "m", "setNull": ["aiMappingModelName"]},
        )
    assert "setNull: aiMappingModelName is given a value too" in raised.value.message()
    with pytest.raises(InvalidArguments) as raised:
        request_for("teams_update-llm-configuration", {"teamId": 201, "setNull": ["teamId"]})
    assert "setNull" in raised.value.message()


def test_set_null_is_offered_exactly_where_the_reference_lets_an_optional_body_field_be_null() -> None:
    offered = {
        op.name: input_schema(op.input_model)["properties"]["setNull"]
        for op in ALL_OPERATIONS
        if "setNull" in op.input_model.model_fields
    }
    assert "teams_update-llm-configuration" in offered and "organizations_update-private-spaces" in offered
    assert "scenarios_update" not in offered
    for schema in offered.values():
        names = schema["anyOf"][0]["items"]["enum"]
        assert names and all(isinstance(name, str) for name in names)


AGENT = {
    "teamId": 201,
    "name": "Helper",
    "teamIdBody": 201,
    "makeConnectionId": 1,
    "defaultModel": "m",
    "systemPrompt": "p",
}


def test_members_the_reference_states_in_words_are_checked_and_others_pass_through() -> None:
    scenarios = [{"makeScenarioId": 401, "approvalMode": "auto-run", "note": "kept"}]
    request = request_for("ai-agents_create", {**AGENT, "scenarios": scenarios, "outputParserFormat": {"schema": []}})
    assert request.body is not None
    assert request.body["scenarios"] == scenarios  # a member the text does not name still reaches Make
    assert request.body["outputParserFormat"] == {"schema": []}  # sent under Make's name, not the attribute's
    with pytest.raises(InvalidArguments) as raised:
        request_for("ai-agents_create", {**AGENT, "scenarios": [{"approvalMode": "sometimes"}]})
    assert (
        "scenarios.0.makeScenarioId" in raised.value.message() and "scenarios.0.approvalMode" in raised.value.message()
    )


def test_path_parameters_are_percent_encoded_so_they_cannot_leave_their_segment() -> None:
    request = request_for("sdk-apps_get", {"appName": "../../admin?x=1#y", "appVersion": 1})
    assert request.path == "/sdk/apps/..%2F..%2Fadmin%3Fx%3D1%23y/1"


def test_dot_segments_are_refused_before_any_request() -> None:
    with pytest.raises(InvalidArguments) as raised:
        request_for("sdk-apps_get", {"name": "..", "version": 1})
    assert "- name:" in raised.value.message() and "sdk-apps_get" in raised.value.message()


def test_columns_and_paging_use_make_bracket_names() -> None:
    request = request_for("scenarios_list", {"teamId": 5, "cols": ["id", "name"], "pg": {"limit": 10, "offset": 20}})
    assert request.method == "GET" and request.body is None
    assert ("cols[]", "id") in request.query and ("cols[]", "name") in request.query
    assert ("pg[limit]", "10") in request.query and ("pg[offset]", "20") in request.query
    assert ("teamId", "5") in request.query


def test_blueprint_and_scheduling_objects_travel_as_json_text() -> None:
    blueprint = {"name": "x", "flow": []}
    request = request_for(
        "scenarios_create", {"teamId": 1, "blueprint": blueprint, "scheduling": {"type": "on-demand"}}
    )
    assert json.loads(request.body["blueprint"]) == blueprint
    assert json.loads(request.body["scheduling"]) == {"type": "on-demand"}


def test_a_scenario_run_may_take_longer_than_make_keeps_a_responsive_run_open() -> None:
    run = request_for("scenarios_run", {"scenarioId": 1, "responsive": True})
    assert run.min_timeout is not None and run.min_timeout > 40  # Make answers a responsive run within 40 s
    assert request_for("scenarios_get", {"scenarioId": 1}).min_timeout is None


def test_placeholder_query_name_is_filled_from_the_dict_keys() -> None:
    request = request_for("connections_list", {"teamId": 1, "scopes": {"google": ["a", "b"]}})
    assert ("google[]", "a") in request.query and ("google[]", "b") in request.query


def test_binary_body_is_decoded_from_base64_and_sent_with_its_content_type() -> None:
    png = b"\x89PNG\r\n\x1a\n"
    request = request_for(
        "sdk-apps_set-icon", {"appName": "my-app", "appVersion": 1, "body": base64.b64encode(png).decode()}
    )
    assert request.content == png and request.content_type == "image/png" and request.body is None


def test_invalid_base64_is_an_argument_error() -> None:
    with pytest.raises(InvalidArguments) as raised:
        request_for("sdk-apps_set-icon", {"appName": "my-app", "appVersion": 1, "body": "not base64!"})
    assert "base64" in raised.value.message()


def test_unknown_and_mistyped_arguments_are_each_named() -> None:
    with pytest.raises(InvalidArguments) as raised:
        request_for("scenarios_get", {"scenarioId": "abc", "bogus": 1})
    message = raised.value.message()
    assert "scenarioId" in message and "- bogus: is not a parameter of this tool\n" in message + "\n"


def test_an_unknown_argument_close_to_a_parameter_names_that_parameter() -> None:
    with pytest.raises(InvalidArguments) as raised:
        request_for("scenarios_list", {"teamid": 201, "colls": ["id"], "from_": 1})
    message = raised.value.message()
    assert "- teamid: is not a parameter of this tool; did you mean teamId?" in message
    assert "- colls: is not a parameter of this tool; did you mean cols?" in message


def test_a_missing_team_or_organization_id_says_where_to_find_one_and_which_setting_fills_it() -> None:
    with pytest.raises(InvalidArguments) as raised:
        request_for("teams_list", {})
    assert "- organizationId: Field required; organizations_list lists" in raised.value.message()
    assert "MAKE_ORGANIZATION" in raised.value.message()
    with pytest.raises(InvalidArguments) as raised:
        request_for("data-stores_list", {})
    assert "- teamId: Field required; teams_list" in raised.value.message()
    assert "MAKE_TEAM" in raised.value.message()


def test_a_list_of_a_team_or_an_organization_takes_exactly_one_of_them() -> None:
    def scope(arguments: dict[str, Any]) -> list[tuple[str, str]]:
        return [pair for pair in request_for("scenarios_list", arguments).query if pair[0] != "cols[]"]

    assert scope({"organizationId": 101}) == [("organizationId", "101")]
    assert scope({"teamId": 201}) == [("teamId", "201")]
    with pytest.raises(InvalidArguments) as both:
        request_for("scenarios_list", {"teamId": 201, "organizationId": 101})
    assert "not teamId and organizationId together" in both.value.message()
    with pytest.raises(InvalidArguments) as neither:
        request_for("users_list", {})
    assert "teamId, organizationId: give one of them; teams_list" in neither.value.message()


def test_objects_and_arrays_sent_as_json_text_are_taken_as_the_values_they_spell() -> None:
    as_text = request_for(
        "scenarios_create",
        {"teamId": 201, "blueprint": json.dumps(BLUEPRINT), "scheduling": '{"type": "on-demand"}'},
    )
    as_objects = request_for(
        "scenarios_create", {"teamId": 201, "blueprint": BLUEPRINT, "scheduling": {"type": "on-demand"}}
    )
    assert as_text == as_objects
    listed = request_for("scenarios_list", {"teamId": 201, "cols": '["id", "name"]', "pg": '{"limit": 5}'})
    assert ("cols[]", "name") in listed.query and ("pg[limit]", "5") in listed.query


def test_text_that_is_not_the_json_of_an_object_or_array_is_still_refused_by_field() -> None:
    with pytest.raises(InvalidArguments) as raised:
        request_for("scenarios_create", {"teamId": 201, "blueprint": "{not json", "scheduling": "[1]"})
    message = raised.value.message()
    assert "- blueprint: must be an object (or its JSON text)" in message
    assert "- scheduling: must be an object (or its JSON text)" in message
    with pytest.raises(InvalidArguments) as raised:
        request_for("scenarios_list", {"teamId": 201, "cols": "id"})
    assert "- cols: must be an array (or its JSON text)" in raised.value.message()


def test_result_over_budget_is_cut_at_a_record_boundary_with_a_way_to_the_rest() -> None:
    operation = BY_NAME["scenarios_list"]
    arguments = validate_arguments(operation, {"teamId": 1, "pg": {"offset": 100}})
    body = {"scenarios": [{"id": i, "name": "x" * 200} for i in range(100)], "pg": {"offset": 100}}
    shaped = shape_result(operation, arguments, body, 5_000)
    kept = shaped["scenarios"]
    assert 0 < len(kept) < 100
    assert kept == body["scenarios"][: len(kept)]
    assert shaped["truncated"]["inResponse"] == 100
    assert f"pg.offset={100 + len(kept)}" in shaped["truncated"]["next"]
    assert len(json.dumps(shaped, separators=(",", ":"))) <= 5_000


def test_a_cut_blueprint_which_cannot_be_paged_says_the_rest_needs_a_larger_budget() -> None:
    operation = BY_NAME["blueprints_get"]
    arguments = validate_arguments(operation, {"scenarioId": 1})
    body = {"response": {"blueprint": {"name": "Big", "flow": [{"id": i, "mapper": "x" * 200} for i in range(100)]}}}
    truncated = shape_result(operation, arguments, body, 5_000)["truncated"]
    assert truncated["list"] == "response.blueprint.flow" and "next" not in truncated
    assert "MAKE_RESULT_MAX_CHARS" in truncated["more"]
    paged = shape_result(
        BY_NAME["scenarios_list"],
        validate_arguments(BY_NAME["scenarios_list"], {"teamId": 1}),
        {"scenarios": [{"id": i, "name": "x" * 200} for i in range(100)]},
        5_000,
    )
    assert "more" not in paged["truncated"]


def test_result_within_budget_is_returned_whole() -> None:
    operation = BY_NAME["scenarios_get"]
    arguments = validate_arguments(operation, {"scenarioId": 1})
    body = {"scenario": {"id": 1}}
    assert shape_result(operation, arguments, body, 5_000) == body


@pytest.mark.parametrize("items", [3, 100], ids=["within budget", "over budget"])
def test_the_result_text_is_the_json_of_the_shaped_result(items: int) -> None:
    operation = BY_NAME["scenarios_list"]
    arguments = validate_arguments(operation, {"teamId": 1})
    body = {"scenarios": [{"id": i, "name": "é" * 200} for i in range(items)]}
    shaped, text = shape_result_and_text(operation, arguments, body, 5_000)
    assert shaped == shape_result(operation, arguments, body, 5_000)
    assert text == json.dumps(shaped, separators=(",", ":"), ensure_ascii=False)


def test_the_official_defaults_are_sent_unless_the_call_gives_that_parameter() -> None:
    assert ("cols[]", "*") in request_for("keys_get", {"keyId": 5}).query
    assert [pair for pair in request_for("keys_get", {"keyId": 5, "cols": ["id"]}).query if pair[0] == "cols[]"] == [
        ("cols[]", "id")
    ]
    assert ("confirmed", "true") in request_for("keys_delete", {"keyId": 5}).query
    assert request_for("keys_delete", {"keyId": 5, "confirmed": False}).query == [("confirmed", "false")]
    assert request_for("keys_list", {"teamId": 1}).query.count(("cols[]", "*")) == 1


def test_a_spread_object_sends_its_members_as_body_fields_and_refuses_one_given_twice() -> None:
    arguments = {"teamId": 5, "name": "Hook", "typeName": "gateway-webhook", "data": {"headers": True}}
    assert request_for("hooks_create", arguments).body == {
        "name": "Hook",
        "teamId": 5,
        "typeName": "gateway-webhook",
        "headers": True,
    }
    with pytest.raises(InvalidArguments) as twice:
        request_for("hooks_create", {**arguments, "data": {"name": "Other"}})
    assert "name is also given as an argument of its own" in twice.value.message()


def test_a_url_over_what_make_accepts_is_refused_with_its_encoded_length_and_one_just_under_is_sent() -> None:
    # 7,000 characters that encode as themselves: 7,030 with the path (three times that would be over 8,000)
    under = request_for("organizations_get-invitation", {"hash": "x" * 7000})
    with pytest.raises(InvalidArguments) as refused:
        request_for("organizations_get-invitation", {"hash": "\u00e9" * 1400})  # 6 characters each once encoded
    assert under.query == [("hash", "x" * 7000)]
    assert "the request's URL would be 8430 characters, over the 8000 Make accepts" in str(refused.value)
