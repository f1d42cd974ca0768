"""Operations Make's SDK calls that the reference does not document, and `cols[]=*`, as the sandbox answers them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from make_mcp.server.sandbox import create_sandbox_app, demo_state
from tests.server.sandbox.support import client

OFFICIAL_TOOLS = Path(__file__).resolve().parents[3] / "tools" / "spec" / "official-tools.json"


def official_requests() -> list[tuple[str, dict[str, Any]]]:
    tools = json.loads(OFFICIAL_TOOLS.read_text(encoding="utf-8"))["tools"]
    return [
        (f"{tool['name']}#{number}.{step}", request)
        for tool in tools
        for number, example in enumerate(tool["examples"])
        for step, request in enumerate(example["requests"])
    ]


@pytest.mark.parametrize(("example", "request_"), official_requests(), ids=[name for name, _ in official_requests()])
async def test_every_request_of_the_official_examples_reaches_an_operation(example: str, request_: dict) -> None:
    app = create_sandbox_app(demo_state())
    content = request_.get("bodyText")
    async with client(app) as api:
        response = await api.request(
            request_["method"],
            request_["path"],
            params=request_["query"],
            json=request_.get("body"),
            content=content.encode() if content is not None else None,
            headers={"content-type": request_["contentType"]} if "contentType" in request_ else None,
        )
    # The examples' ids are the SDK's, not the sandbox's: a 404 of a missing entity is fine, a missing route is not.
    assert response.status_code != 405, response.text
    assert "No Make API endpoint" not in response.text
    assert "Unknown column" not in response.text


async def test_all_columns_star_returns_whole_items_where_named_columns_narrow_them() -> None:
    app = create_sandbox_app(demo_state())
    async with client(app) as api:
        every = await api.get("/teams", params=[("organizationId", "101"), ("cols[]", "*")])
        named = await api.get("/teams", params=[("organizationId", "101"), ("cols[]", "name")])
        default = await api.get("/teams", params=[("organizationId", "101")])
    assert every.status_code == 200
    assert set(every.json()["teams"][0]) > set(default.json()["teams"][0])
    assert named.json()["teams"][0] == {"name": "Marketing"}


async def test_all_columns_star_passes_the_spec_check_of_operations_without_a_handler() -> None:
    app = create_sandbox_app(demo_state())
    async with client(app) as api:
        star = await api.get("/keys", params=[("teamId", "201"), ("cols[]", "*")])
        unknown = await api.get("/keys", params=[("teamId", "201"), ("cols[]", "nonsense")])
    assert star.status_code == 200
    assert unknown.status_code == 400


async def test_private_space_limit_below_its_use_needs_confirmation_and_pauses_it() -> None:
    state = demo_state()
    state.private_spaces[1101]["consumedOperations"] = 250
    app = create_sandbox_app(state)
    async with client(app) as api:
        listed = await api.get("/private-spaces", params={"organizationId": 101})
        refused = await api.patch("/private-spaces/1101", json={"operationsLimit": 50})
        confirmed = await api.patch("/private-spaces/1101", params={"confirmed": "true"}, json={"operationsLimit": 50})
        read = await api.get("/private-spaces/1101", params=[("cols[]", "*")])
        other = await api.get("/private-spaces", params={"organizationId": 101, "externalId": "nobody"})
    assert [space["id"] for space in listed.json()["privateSpaces"]] == [1101]
    assert refused.status_code == 406
    assert confirmed.json()["privateSpace"]["isPaused"] is True
    assert read.json()["privateSpace"]["operationsLimit"] == 50
    assert other.json()["privateSpaces"] == []


async def test_custom_role_is_created_updated_and_deleted_within_its_organization() -> None:
    app = create_sandbox_app(demo_state())
    async with client(app) as api:
        created = await api.post(
            "/users/custom-roles",
            json={"name": "Viewer", "category": "organization", "organizationId": 101, "permissions": [101, 102]},
        )
        role_id = created.json()["role"]["id"]
        renamed = await api.patch(f"/users/custom-roles/{role_id}", json={"organizationId": 101, "name": "Reader"})
        elsewhere = await api.request("DELETE", f"/users/custom-roles/{role_id}", json={"organizationId": 999})
        deleted = await api.request("DELETE", f"/users/custom-roles/{role_id}", json={"organizationId": 101})
        again = await api.request("DELETE", f"/users/custom-roles/{role_id}", json={"organizationId": 101})
        bad = await api.post("/users/custom-roles", json={"name": "X", "category": "galaxy", "organizationId": 101})
    assert [p["id"] for p in created.json()["role"]["permissions"]] == [101, 102]
    assert renamed.json()["role"]["name"] == "Reader"
    assert elsewhere.status_code == 404
    assert deleted.json() == {"roleId": role_id}
    assert again.status_code == 404
    assert bad.status_code == 400


async def test_connected_system_is_listed_for_its_agent_and_updated_and_deleted() -> None:
    app = create_sandbox_app(demo_state())
    agent = "a1b2c3d4-e5f6-7890-abcd-ef1234567890"
    async with client(app) as api:
        created = await api.post(
            "/connected-systems",
            params={"organizationId": 101},
            json={"name": "SAP", "agentId": agent, "appName": "sap-agent", "inputs": {"ashost": "10.0.0.1"}},
        )
        system_id = created.json()["connectedSystem"]["id"]
        listed = await api.get("/connected-systems", params={"organizationId": 101, "agentId": agent})
        other_agent = await api.get("/connected-systems", params={"organizationId": 101, "agentId": "other"})
        updated = await api.patch(
            f"/connected-systems/{system_id}", params={"organizationId": 101}, json={"inputs": {"ashost": "10.0.0.2"}}
        )
        deleted = await api.delete(f"/connected-systems/{system_id}", params={"organizationId": 101})
        gone = await api.get(f"/connected-systems/{system_id}", params={"organizationId": 101})
    assert [s["id"] for s in listed.json()["connectedSystems"]] == [system_id]
    assert other_agent.json()["connectedSystems"] == []
    assert updated.json()["connectedSystem"]["inputs"] == [{"name": "ashost", "value": "10.0.0.2"}]
    assert deleted.status_code == 200
    assert gone.status_code == 404


async def test_sdk_endpoint_keeps_its_sections_and_visibility_until_deleted() -> None:
    app = create_sandbox_app(demo_state())
    base = "/sdk/apps/my-app/1/endpoints"
    async with client(app) as api:
        created = await api.post(base, json={"name": "getEntity", "label": "Get entity"})
        duplicate = await api.post(base, json={"name": "getEntity", "label": "Again"})
        await api.put(f"{base}/getEntity/api", json={"url": "/entities", "method": "GET"})
        section = await api.get(f"{base}/getEntity/api")
        unknown_section = await api.get(f"{base}/getEntity/nonsense")
        published = await api.post(f"{base}/getEntity/public")
        listed = await api.get(base)
        await api.delete(f"{base}/getEntity")
        gone = await api.get(f"{base}/getEntity/api")
    assert created.json()["appEndpoint"]["public"] is False
    assert duplicate.status_code == 400
    assert section.json() == {"url": "/entities", "method": "GET"}
    assert unknown_section.status_code == 400
    assert published.json()["appEndpoint"]["public"] is True
    assert [e["name"] for e in listed.json()["appEndpoints"]] == ["getEntity"]
    assert gone.status_code == 404


async def test_sdk_app_base_section_written_as_jsonc_text_is_read_back() -> None:
    app = create_sandbox_app(demo_state())
    async with client(app) as api:
        written = await api.put(
            "/sdk/apps/my-app/1/base",
            content=b'{"baseUrl": "https://api.example.com"}',
            headers={"content-type": "application/jsonc"},
        )
        read = await api.get("/sdk/apps/my-app/1/base")
        untouched = await api.get("/sdk/apps/my-app/1/installSpec")
    assert written.status_code == 200
    assert read.json() == {"baseUrl": "https://api.example.com"}
    assert untouched.json() == {}


async def test_deleting_one_data_store_used_by_a_scenario_needs_confirmation() -> None:
    state = demo_state()
    app = create_sandbox_app(state)
    async with client(app) as api:
        refused = await api.delete("/data-stores/701")
        deleted = await api.delete("/data-stores/701", params={"confirmed": "true"})
        gone = await api.get("/data-stores/701")
    assert refused.status_code == 406
    assert deleted.json() == {"dataStore": 701}
    assert gone.status_code == 404
    assert 701 not in state.records


async def test_undocumented_operations_need_the_scopes_the_sdk_names() -> None:
    state = demo_state()
    state.add_token("narrow-token", ["teams:read"])
    app = create_sandbox_app(state)
    async with client(app, token="narrow-token") as api:
        response = await api.get("/private-spaces", params={"organizationId": 101})
    assert response.status_code == 403
    assert "private-spaces:read" in response.json()["detail"]


async def test_fields_the_sdk_sends_beyond_the_reference_are_kept() -> None:
    app = create_sandbox_app(demo_state())
    async with client(app) as api:
        team = await api.post("/teams", json={"name": "Sales", "organizationId": 101, "transferLimit": 1024})
        scenario = await api.patch("/scenarios/402", json={"description": "Sums up the day"})
        too_long = await api.patch("/scenarios/402", json={"description": "x" * 241})
        read = await api.get("/scenarios/402")
    assert team.json()["team"]["transferLimit"] == 1024
    assert scenario.status_code == 200
    assert too_long.status_code == 400
    assert read.json()["scenario"]["description"] == "Sums up the day"


async def test_teams_list_names_the_private_spaces_only_when_asked() -> None:
    app = create_sandbox_app(demo_state())
    async with client(app) as api:
        plain = await api.get("/teams", params={"organizationId": 101})
        with_spaces = await api.get("/teams", params={"organizationId": 101, "includePrivateSpaces": "true"})
    assert 1101 not in [team["id"] for team in plain.json()["teams"]]
    assert 1101 in [team["id"] for team in with_spaces.json()["teams"]]


async def test_folders_list_nests_the_whole_subtree_with_children_depth_all() -> None:
    app = create_sandbox_app(demo_state())
    async with client(app) as api:
        child = (await api.post("/scenarios-folders", json={"name": "Child", "teamId": 201, "parentId": 501})).json()
        child_id = child["scenarioFolder"]["id"]
        await api.post("/scenarios-folders", json={"name": "Grandchild", "teamId": 201, "parentId": child_id})
        one_level = await api.get("/scenarios-folders", params={"teamId": 201})
        every_level = await api.get("/scenarios-folders", params={"teamId": 201, "childrenDepth": "all"})
        unknown = await api.get("/scenarios-folders", params={"teamId": 201, "childrenDepth": "two"})
    [top] = one_level.json()["scenariosFolders"]
    assert "children" not in top["children"][0]
    [deep] = every_level.json()["scenariosFolders"]
    assert [f["name"] for f in deep["children"][0]["children"]] == ["Grandchild"]
    assert unknown.status_code == 400
