"""The shape stage: lean results that lose nothing an agent needs, by unit and end to end against the sandbox."""

from __future__ import annotations

import copy
import json
from typing import Any

import httpx2
import pytest

from make_mcp.server.engine.operations import build_request, dumps, shape_result_and_text, validate_arguments
from make_mcp.server.engine.shaping import column_choices, lean, next_page, trimmed_fields, with_result_fields
from make_mcp.server.errors import InvalidArguments
from make_mcp.tools.registry import ALL_OPERATIONS, DEFAULT_FIELDS, TRIMMED_FIELDS
from tests.conftest import LoopbackSandbox
from tests.server.test_app import mcp_client, text_of

BY_NAME = {op.name: op for op in ALL_OPERATIONS}
USER = {"id": 301, "name": "Sandbox Maker", "email": "maker@example.com"}


def test_empty_values_of_a_record_are_dropped_and_false_and_zero_are_kept() -> None:
    body = {"scenario": {"id": 1, "hookId": None, "description": "", "devices": [], "features": {}, "isActive": False}}
    assert lean(body, response_key="scenario") == {"scenario": {"id": 1, "isActive": False}}


def test_the_response_key_stays_even_when_it_is_empty() -> None:
    assert lean({"scenario": None}, response_key="scenario") == {"scenario": None}
    assert lean({"hooks": []}, response_key="hooks") == {"hooks": []}


def test_a_blueprint_is_returned_exactly_as_make_gave_it() -> None:
    blueprint = {"name": "x", "flow": [{"id": 1, "mapper": None, "parameters": {}, "metadata": {"designer": {"x": 0}}}]}
    body = {"code": "OK", "response": {"blueprint": copy.deepcopy(blueprint), "idSequence": 2}}
    assert lean(body, response_key=None) == {"response": {"blueprint": blueprint, "idSequence": 2}}
    assert (
        lean({"scenario": {"id": 1, "blueprint": blueprint}}, response_key="scenario")["scenario"]["blueprint"]
        == blueprint
    )


def test_the_users_own_values_in_a_record_keep_their_empty_values() -> None:
    body = {"records": [{"key": "a", "data": {"email": "", "note": None}}, {"key": "b", "data": {}}]}
    assert lean(body, response_key="records") == body
    variables = {"teamVariables": [{"name": "TAC_X", "typeId": 1, "value": ""}]}
    assert lean(variables, response_key="teamVariables") == variables


def test_a_body_that_is_not_makes_envelope_is_returned_as_it_came() -> None:
    section = {"url": "/v1/items", "qs": {}, "body": None, "headers": {"x": ""}}
    assert lean(section, response_key=None) == section
    assert lean([{"id": 1, "x": None}], response_key=None) == {"result": [{"id": 1, "x": None}]}


def test_an_object_equal_to_another_of_the_same_record_names_that_one() -> None:
    body = {"scenario": {"id": 1, "createdByUser": dict(USER), "updatedByUser": dict(USER)}}
    shaped = lean(body, response_key="scenario")
    assert shaped["scenario"]["createdByUser"] == USER
    assert shaped["scenario"]["updatedByUser"] == {"sameAs": "createdByUser"}


def test_different_objects_are_both_kept() -> None:
    other = {**USER, "id": 302}
    body = {"scenarios": [{"id": 1, "createdByUser": USER, "updatedByUser": other}]}
    assert lean(body, response_key="scenarios")["scenarios"][0]["updatedByUser"] == other


def test_the_paging_echo_goes_and_a_full_page_says_which_page_comes_next() -> None:
    full = {
        "scenarios": [{"id": n} for n in range(10)],
        "pg": {"sortBy": "id", "sortDir": "asc", "limit": 10, "offset": 20},
    }
    shaped = lean(full, response_key="scenarios")
    assert "pg" not in shaped
    assert shaped["next"] == {"pg": {"offset": 30, "limit": 10}}


def test_a_short_page_is_the_last_and_says_nothing_more() -> None:
    short = {"scenarios": [{"id": 1}], "pg": {"sortBy": "id", "sortDir": "asc", "limit": 10, "offset": 0}}
    assert lean(short, response_key="scenarios") == {"scenarios": [{"id": 1}]}


def test_without_an_echo_the_page_asked_for_tells_whether_another_follows() -> None:
    assert next_page({"hooks": [{}, {}]}, "hooks", None, (4, 2)) == {"pg": {"offset": 6, "limit": 2}}
    assert next_page({"hooks": [{}]}, "hooks", None, (4, 2)) is None
    assert next_page({"hooks": [{}]}, "hooks", None, (None, None)) is None


def test_an_update_answers_with_its_id_and_the_fields_it_sent() -> None:
    body = {"scenario": {"id": 402, "name": "Weekly", "folderId": 503, "teamId": 201, "createdByUser": USER}}
    shaped = lean(body, response_key="scenario", written=frozenset({"name", "folderId", "blueprint"}))
    assert shaped == {"scenario": {"id": 402, "name": "Weekly", "folderId": 503}}


def test_the_text_is_the_compact_json_of_the_structured_result() -> None:
    operation = BY_NAME["scenarios_get"]
    arguments = validate_arguments(operation, {"scenarioId": 401})
    structured, text = shape_result_and_text(operation, arguments, {"scenario": {"id": 401, "nextExec": None}}, 25_000)
    assert structured == {"scenario": {"id": 401}}
    assert text == dumps(structured) == '{"scenario":{"id":401}}'


def test_a_list_tool_gets_its_default_fields_unless_the_call_names_some() -> None:
    operation = BY_NAME["scenarios_list"]
    assert with_result_fields(operation, {"teamId": 201})["cols"] == list(DEFAULT_FIELDS["scenarios_list"])
    assert with_result_fields(operation, {"teamId": 201, "cols": ["id"]})["cols"] == ["id"]


def test_cols_star_asks_make_for_every_column_as_makes_sdk_does() -> None:
    operation = BY_NAME["scenarios_list"]
    every = with_result_fields(operation, {"teamId": 201, "cols": ["*"]})["cols"]
    assert every == ["*"]  # Make reads cols[]=* as every column, whatever the reference's column names
    request = build_request(operation, validate_arguments(operation, {"teamId": 201, "cols": every}))
    assert [value for key, value in request.query if key == "cols[]"] == ["*"]
    assert with_result_fields(operation, {"teamId": 201, "cols": '["*"]'})["cols"] == every  # as JSON text too


def test_a_column_the_reference_spells_otherwise_than_the_items_is_asked_by_the_items_name() -> None:
    operation = BY_NAME["organizations_list-user-roles"]
    asked = with_result_fields(operation, {"organizationId": 101, "cols": ["userId", "userRoleId"]})["cols"]
    assert asked == ["userId", "usersRoleId"]
    assert "usersRoleId" in DEFAULT_FIELDS[operation.name]


def test_a_tool_without_default_fields_is_called_as_given() -> None:
    operation = BY_NAME["hooks_list"]
    assert with_result_fields(operation, {"teamId": 201}) == {"teamId": 201}
    assert column_choices(operation.input_model) == ()


# --- end to end, against the sandbox ---


def sent_queries(sandbox: LoopbackSandbox, path: str) -> list[list[tuple[str, str]]]:
    return [request.query for request in sandbox.state.requests if request.path == f"/api/v2{path}"]


async def test_a_list_asks_make_for_its_default_fields_and_cols_star_for_all(loopback_sandbox: LoopbackSandbox) -> None:
    async with mcp_client(loopback_sandbox) as client:
        lean_list = await client.call_tool("scenarios_list", {"teamId": 201})
        whole = await client.call_tool("scenarios_list", {"teamId": 201, "cols": ["*"]})
    first, second = sent_queries(loopback_sandbox, "/scenarios")[-2:]
    assert [value for key, value in first if key == "cols[]"] == list(DEFAULT_FIELDS["scenarios_list"])
    assert lean_list.structured_content is not None and whole.structured_content is not None
    assert set(lean_list.structured_content["scenarios"][0]) <= set(DEFAULT_FIELDS["scenarios_list"])
    assert "createdByUser" in whole.structured_content["scenarios"][0]
    assert [value for key, value in second if key == "cols[]"] == ["*"]
    assert "pg" not in lean_list.structured_content  # the whole list fitted one page
    assert text_of(lean_list) == dumps(lean_list.structured_content)


async def test_a_blueprint_read_and_sent_back_leaves_make_holding_the_same_blueprint(
    loopback_sandbox: LoopbackSandbox,
) -> None:
    stored = copy.deepcopy(loopback_sandbox.state.blueprints[401])
    async with mcp_client(loopback_sandbox, confirm_destructive=False) as client:
        read = await client.call_tool("blueprints_get", {"scenarioId": 401})
        assert read.structured_content is not None, text_of(read)
        blueprint = read.structured_content["response"]["blueprint"]
        updated = await client.call_tool("scenarios_update", {"scenarioId": 401, "blueprint": blueprint})
        again = await client.call_tool("blueprints_get", {"scenarioId": 401})
    assert blueprint == stored  # designer positions, empty mappers and all
    assert not updated.is_error, text_of(updated)
    assert loopback_sandbox.state.blueprints[401] == stored
    assert again.structured_content is not None
    assert again.structured_content["response"]["blueprint"] == stored


async def test_an_update_answers_with_what_changed_and_cols_asks_for_more(loopback_sandbox: LoopbackSandbox) -> None:
    async with mcp_client(loopback_sandbox, confirm_destructive=False) as client:
        renamed = await client.call_tool("scenarios_update", {"scenarioId": 402, "name": "Weekly digest"})
        asked = await client.call_tool(
            "scenarios_update", {"scenarioId": 402, "name": "Weekly MRR digest", "cols": ["id", "name", "isActive"]}
        )
    assert renamed.structured_content == {"scenario": {"id": 402, "name": "Weekly digest"}}
    assert asked.structured_content == {"scenario": {"id": 402, "name": "Weekly MRR digest", "isActive": False}}


async def test_a_confirmation_preview_says_its_token_once(loopback_sandbox: LoopbackSandbox) -> None:
    async with mcp_client(loopback_sandbox) as client:
        arguments = {"scenarioId": 402, "name": "Weekly digest", "scheduling": {"type": "on-demand"}}
        preview = await client.call_tool("scenarios_update", arguments)
    structured: dict[str, Any] = preview.structured_content or {}
    token = structured["confirmation"]
    assert text_of(preview).count(token) == 1
    assert "confirmation" in structured["next"]
    assert json.loads(text_of(preview)) == structured


# --- list tools whose Make operation has no cols[]: trimmed here ---


def test_a_list_trimmed_here_keeps_only_the_kept_fields_of_each_item_and_its_id() -> None:
    body = {"hooks": [{"id": 801, "name": "Orders", "udid": "abc", "url": "https://x", "theme": "#fff"}, "odd"]}
    shaped = lean(body, response_key="hooks", kept=frozenset({"name", "url"}))
    assert shaped == {"hooks": [{"id": 801, "name": "Orders", "url": "https://x"}, "odd"]}
    assert lean(body, response_key="hooks", kept=None) == body  # None: every field


def test_the_fields_kept_are_the_defaults_unless_cols_names_others_or_every_one() -> None:
    operation = BY_NAME["hooks_list"]
    assert trimmed_fields(operation, None) == frozenset(TRIMMED_FIELDS["hooks_list"].default)
    assert trimmed_fields(operation, ["udid", "queueLimit"]) == {"udid", "queueLimit"}
    assert trimmed_fields(operation, '["udid"]') == {"udid"}  # as JSON text too
    assert trimmed_fields(operation, ["*"]) is None
    assert trimmed_fields(operation, '["*"]') is None


def test_a_cols_value_the_reference_does_not_document_is_refused_naming_it() -> None:
    operation = BY_NAME["hooks_list"]
    with pytest.raises(InvalidArguments) as refused:
        trimmed_fields(operation, ["name", "hookName"])
    assert refused.value.problems[0].startswith("- cols.1: 'hookName' is not a field of these items; must be one of")
    assert "'udid'" in refused.value.problems[0] and "'*'" in refused.value.problems[0]
    with pytest.raises(InvalidArguments, match="must be an array of field names"):
        trimmed_fields(operation, "name")
    with pytest.raises(InvalidArguments, match="must be an array of field names"):
        trimmed_fields(operation, [1])


def test_cols_naming_star_among_other_fields_asks_for_every_field() -> None:
    assert trimmed_fields(BY_NAME["hooks_list"], ["name", "*"]) is None
    assert trimmed_fields(BY_NAME["hooks_list"], '["name", "*"]') is None
    assert trimmed_fields(BY_NAME["hooks_list"], "*") is None
    operation = BY_NAME["scenarios_list"]
    assert with_result_fields(operation, {"teamId": 201, "cols": ["id", "*"]})["cols"] == ["*"]


async def make_answer(sandbox: LoopbackSandbox, path: str, query: dict[str, Any]) -> Any:
    """What the sandbox itself answers a request, without make-mcp."""
    headers = {"Authorization": f"Token {sandbox.token}"}
    async with httpx2.AsyncClient(trust_env=False) as http:
        response = await http.get(f"{sandbox.base_url}{path}", params=query, headers=headers)
    response.raise_for_status()
    return response.json()


async def test_a_list_without_makes_cols_returns_its_default_fields_cols_others_and_star_all(
    loopback_sandbox: LoopbackSandbox,
) -> None:
    async with mcp_client(loopback_sandbox, team=201) as client:
        lean_list = await client.call_tool("hooks_list", {})
        picked = await client.call_tool("hooks_list", {"cols": ["udid", "queueLimit"]})
        whole = await client.call_tool("hooks_list", {"cols": ["*"]})
        runs = await client.call_tool("executions_list", {"scenarioId": 401})
    # `cols` is make-mcp's: Make is never sent it.
    sent = [request for request in loopback_sandbox.state.requests if request.path.endswith(("/hooks", "/logs"))]
    assert len(sent) == 4 and not any(key.startswith("cols") for request in sent for key, _ in request.query)
    answered = await make_answer(loopback_sandbox, "/hooks", {"teamId": 201})
    default = set(TRIMMED_FIELDS["hooks_list"].default)
    for result in (lean_list, picked, whole, runs):
        assert result.structured_content is not None, text_of(result)
    hooks = lean_list.structured_content["hooks"]  # pyright: ignore[reportOptionalSubscript]
    assert hooks and all(set(hook) <= default for hook in hooks)
    assert {"id", "name", "scenarioId", "url"} <= set(hooks[0])
    assert all(set(hook) == {"id", "udid", "queueLimit"} for hook in picked.structured_content["hooks"])  # pyright: ignore[reportOptionalSubscript]
    assert whole.structured_content == lean(answered, response_key="hooks")  # everything Make answered
    assert {"udid", "theme", "editable"} <= set(whole.structured_content["hooks"][0])  # pyright: ignore[reportOptionalSubscript]
    logs = runs.structured_content["scenarioLogs"]  # pyright: ignore[reportOptionalSubscript]
    assert logs and all(set(log) <= set(TRIMMED_FIELDS["executions_list"].default) for log in logs)
    assert text_of(lean_list) == dumps(lean_list.structured_content)


async def test_a_cols_value_that_is_not_a_documented_field_is_refused_and_nothing_is_sent(
    loopback_sandbox: LoopbackSandbox,
) -> None:
    async with mcp_client(loopback_sandbox, team=201) as client:
        refused = await client.call_tool("hooks_list", {"cols": ["id", "webhookName"]})
        null = await client.call_tool("hooks_list", {"cols": None})  # null means left out: the defaults
    assert refused.is_error
    assert "'webhookName' is not a field of these items" in text_of(refused)
    assert "nothing was sent to Make" in text_of(refused)
    assert len([request for request in loopback_sandbox.state.requests if request.path.endswith("/hooks")]) == 1
    assert null.structured_content is not None
    assert all(set(hook) <= set(TRIMMED_FIELDS["hooks_list"].default) for hook in null.structured_content["hooks"])


async def test_discovery_describes_and_calls_a_trimmed_list_as_the_full_listing_does(
    loopback_sandbox: LoopbackSandbox,
) -> None:
    async with mcp_client(loopback_sandbox, team=201) as client:
        listed = next(tool for tool in (await client.list_tools()).tools if tool.name == "hooks_list")
    async with mcp_client(loopback_sandbox, team=201, tool_mode="discovery") as client:
        described = await client.call_tool("tools_describe", {"name": "hooks_list"})
        called = await client.call_tool("tools_call", {"name": "hooks_list", "arguments": {"cols": ["udid"]}})
    assert described.structured_content is not None, text_of(described)
    assert described.structured_content["inputSchema"] == listed.input_schema
    assert "*" in listed.input_schema["properties"]["cols"]["anyOf"][0]["items"]["enum"]
    assert called.structured_content is not None, text_of(called)
    assert all(set(hook) == {"id", "udid"} for hook in called.structured_content["hooks"])
