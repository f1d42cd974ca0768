"""The app catalogue's endpoints: search, manifests, modules with credentials, themes, RPC options, blueprint schema."""

from __future__ import annotations

from typing import Any

import pytest

from make_mcp.server.sandbox import SandboxState, create_sandbox_app, demo_state
from make_mcp.server.sandbox.resources_hooks import add_connection
from tests.server.sandbox.support import client

GOOGLE, SLACK = 901, 902  # the demo's connections in the Marketing team (organization 101)


async def get(path: str, **params: Any) -> tuple[int, Any]:
    async with client(create_sandbox_app(demo_state())) as api:
        response = await api.get(path, params=params)
    return response.status_code, response.json()


async def rpc(path: str, body: Any, state: SandboxState | None = None) -> tuple[int, Any]:
    async with client(create_sandbox_app(state or demo_state())) as api:
        response = await api.post(path, json=body)
    return response.status_code, response.json()


async def test_app_search_ranks_the_app_whose_name_matches_first_with_scores() -> None:
    status, body = await get("/imt/apps", organizationId=101, teamId=201, scoredSearch="true", name="google sheets")
    assert status == 200
    first = body["apps"][0]
    assert (first["name"], first["version"], first["label"]) == ("google-sheets", 2, "Google Sheets")
    scores = [app["score"] for app in body["apps"]]
    assert scores == sorted(scores, reverse=True)


async def test_app_search_finds_an_app_by_a_module_label() -> None:
    status, body = await get("/imt/apps", organizationId=101, name="iterator")
    assert status == 200
    assert [app["name"] for app in body["apps"]] == ["builtin"]
    assert "score" not in body["apps"][0]


async def test_app_search_without_words_lists_every_app() -> None:
    _, body = await get("/imt/apps", organizationId=101)
    names = {app["name"] for app in body["apps"]}
    assert {
        "builtin",
        "gateway",
        "http",
        "json",
        "datastore",
        "google-sheets",
        "slack",
        "typeform",
        "ai-tools",
    } <= names


async def test_app_search_in_an_unknown_organization_is_404() -> None:
    status, body = await get("/imt/apps", organizationId=999)
    assert (status, body["code"]) == (404, "SC404")


async def test_manifest_lists_modules_by_section_with_forman_fields() -> None:
    status, body = await get("/imt/apps/google-sheets/2", organizationId=101)
    assert status == 200
    app = body["app"]
    assert (app["name"], app["version"]) == ("google-sheets", 2)
    assert [m["name"] for m in app["triggers"]] == ["watchRows"]
    assert [m["name"] for m in app["actions"]] == ["addRow", "updateRow"]
    assert [m["name"] for m in app["searches"]] == ["filterRows"]
    add_row = app["actions"][0]
    assert add_row["crud"] == "create"
    assert add_row["parameters"][0] == {
        "name": "__IMTCONN__",
        "type": "account:google",
        "label": "Connection",
        "required": True,
    }
    assert "https://www.googleapis.com/auth/spreadsheets" in add_row["scope"]
    sheet = next(field for field in add_row["expect"] if field["name"] == "sheetId")
    assert sheet["options"] == "rpc://google-sheets@2/rpcSheet"
    assert {"name": "listSpreadsheets", "label": "Spreadsheets", "account": "google"} in app["rpcs"]


async def test_manifest_marks_instant_triggers_with_their_hook_type() -> None:
    _, body = await get("/imt/apps/gateway/1")
    webhook = body["app"]["triggers"][0]
    assert (webhook["name"], webhook["type"], webhook["listener"], webhook["hook"]) == (
        "CustomWebHook",
        "instant_trigger",
        True,
        "gateway-webhook",
    )
    assert webhook["parameters"][0]["type"] == "hook:gateway-webhook"


async def test_an_app_serves_each_of_its_versions() -> None:
    one, _ = await get("/imt/apps/scenario-service/1")
    two, _ = await get("/imt/apps/scenario-service/2")
    assert one == two == 200


@pytest.mark.parametrize(
    ("path", "detail"),
    [
        ("/imt/apps/slack/3", "has no version '3'; it has 4"),
        ("/imt/apps/slack/four", "has no version 'four'"),
        ("/imt/apps/no-such-app/1", "App 'no-such-app' not found"),
    ],
)
async def test_an_unknown_app_or_version_is_404(path: str, detail: str) -> None:
    status, body = await get(path)
    assert (status, body["code"]) == (404, "SC404")
    assert detail in body["detail"]


async def test_modules_with_credentials_lists_those_needing_a_connection_or_webhook() -> None:
    status, body = await get("/imt/apps/slack/4/modules-with-credentials")
    assert status == 200
    modules = {m["name"]: m for m in body["appModules"]}
    assert modules["CreateMessage"] == {
        "id": "slack:CreateMessage",
        "name": "CreateMessage",
        "label": "Create a Message",
        "type": "action",
        "scope": ["chat:write"],
        "hook": None,
    }
    assert modules["WatchEvents"]["hook"] == "slack3"
    _, builtin = await get("/imt/apps/builtin/1/modules-with-credentials")
    assert builtin == {"appModules": []}


async def test_the_documented_credential_request_path_answers_the_same_modules() -> None:
    _, documented = await get("/credential-requests/apps/typeform/1/modules-with-credentials")
    _, builder = await get("/imt/apps/typeform/1/modules-with-credentials")
    assert documented == builder
    assert [m["name"] for m in documented["appModules"]] == ["watchResponses", "listResponses"]


async def test_themes_answer_the_known_apps_in_the_order_asked() -> None:
    status, body = await get("/sdk/apps/themes", names="slack,no-such-app,json")
    assert status == 200
    assert body == {
        "apps": [
            {"name": "slack", "label": "Slack", "theme": "#4a154b", "isCompiled": True},
            {"name": "json", "label": "JSON", "theme": "#929292", "isCompiled": True},
        ]
    }


async def test_themes_without_names_is_an_error() -> None:
    status, body = await get("/sdk/apps/themes")
    assert (status, body["code"]) == (400, "IM005")


async def test_an_rpc_answers_options_as_label_and_value_with_a_connection_of_its_type() -> None:
    status, body = await rpc("/rpcs/slack/4/listChannels", {"data": {"__IMTCONN__": SLACK}})
    assert status == 200
    assert body["code"] == "OK"
    assert {"label": "#general", "value": "C024BE91L"} in body["response"]
    status, sheets = await rpc(
        "/rpcs/google-sheets/2/rpcSheet", {"data": {"__IMTCONN__": GOOGLE, "spreadsheetId": "x"}}
    )
    assert status == 200 and [o["value"] for o in sheets["response"]] == ["Leads", "Digest"]


async def test_an_rpc_without_its_connection_is_refused() -> None:
    status, body = await rpc("/rpcs/slack/4/listChannels", {"data": {}})
    assert (status, body["code"]) == (400, "IM005")
    assert "__IMTCONN__" in body["detail"] and "slack2 or slack3" in body["detail"]


async def test_an_rpc_with_a_connection_of_another_type_is_refused() -> None:
    status, body = await rpc("/rpcs/slack/4/listChannels", {"data": {"__IMTCONN__": GOOGLE}})
    assert (status, body["code"]) == (400, "IM005")
    assert "is of type 'google'" in body["detail"]


async def test_an_rpc_with_another_organizations_connection_is_not_found() -> None:
    state = demo_state()
    foreign = add_connection(state, team_id=201, name="Other Slack", app="slack3", scopes=[], data={})
    state.connections[foreign["id"]]["organizationId"] = 102  # another organization's team owns it
    for connection_id in (foreign["id"], 999_999):
        status, body = await rpc("/rpcs/slack/4/listChannels", {"data": {"__IMTCONN__": connection_id}}, state)
        assert (status, body["code"], body["detail"]) == (404, "SC404", "Connection not found.")


async def test_an_unknown_rpc_is_404() -> None:
    status, body = await rpc("/rpcs/slack/4/listEverything", {"data": {"__IMTCONN__": SLACK}})
    assert (status, body["code"]) == (404, "SC404")


async def test_an_rpc_needing_no_connection_answers_without_one() -> None:
    status, body = await rpc("/rpcs/builtin/1/listTargets", {"data": {}})
    assert (status, body) == (200, {"code": "OK", "response": [{"label": "Custom", "value": ""}]})


async def test_the_blueprint_schema_is_a_json_schema_of_a_blueprint() -> None:
    status, body = await get("/validation-schemas/blueprint")
    assert status == 200
    schema = body["blueprint"]
    assert schema["$schema"].startswith("http://json-schema.org/draft-07")
    assert schema["required"] == ["name", "flow", "metadata"]
    assert schema["definitions"]["module"]["required"] == ["id", "module", "version"]


async def test_catalogue_reads_need_a_token() -> None:
    async with client(create_sandbox_app(demo_state()), token=None) as api:
        response = await api.get("/imt/apps/slack/4")
    assert response.status_code == 401


async def test_modules_with_credentials_of_the_latest_version_with_chosen_columns() -> None:
    status, body = await get(
        "/credential-requests/apps/slack/latest/modules-with-credentials", **{"cols[]": ["name", "scope"]}
    )
    assert status == 200
    assert body["appModules"][0] == {"name": "CreateMessage", "scope": ["chat:write"]}


async def test_a_module_needing_a_key_names_its_keychain_type() -> None:
    _, body = await get("/imt/apps/http/3")
    modules = {module["name"]: module for module in body["app"]["actions"]}
    assert modules["ActionSendDataBasicAuth"]["parameters"][0] == {
        "name": "key",
        "type": "keychain:basicauth",
        "label": "Credentials",
        "required": True,
    }
    assert modules["ActionSendData"]["account"] is None
