"""Hooks (webhooks, mailhooks) and connections."""

from __future__ import annotations

from make_mcp.server.sandbox import create_sandbox_app, demo_state
from tests.server.sandbox.support import client


async def test_created_hook_appears_in_next_list_with_an_address() -> None:
    app = create_sandbox_app(demo_state())
    async with client(app) as api:
        created = await api.post(
            "/hooks", json={"name": "Orders in", "teamId": "201", "typeName": "gateway-webhook", "headers": True}
        )
        listed = await api.get("/hooks", params={"teamId": 201})
    hook = created.json()["hook"]
    assert hook["id"] == 802
    assert hook["type"] == "web"
    assert hook["enabled"] is True
    assert hook["data"]["headers"] is True
    assert hook["url"] == f"https://hook.sandbox.invalid/{hook['udid']}"
    assert len(hook["udid"]) == 32
    assert "scenarioId" not in hook
    assert [h["id"] for h in listed.json()["hooks"]] == [801, 802]


async def test_mailhook_gets_an_email_address() -> None:
    app = create_sandbox_app(demo_state())
    async with client(app) as api:
        created = await api.post("/hooks", json={"name": "Inbox", "teamId": 201, "typeName": "gateway-mailhook"})
    hook = created.json()["hook"]
    assert hook["type"] == "mail"
    assert hook["url"] == f"{hook['udid']}@hook.sandbox.invalid"


async def test_hook_attached_to_a_scenario_shows_it() -> None:
    app = create_sandbox_app(demo_state())
    async with client(app) as api:
        hook = await api.get("/hooks/801")
        ping = await api.get("/hooks/801/ping")
        assigned = await api.get("/hooks", params={"teamId": 201, "assigned": "false"})
    assert hook.json()["hook"]["scenarioId"] == 401
    assert ping.json() == {"address": hook.json()["hook"]["url"], "attached": True, "learning": False, "gone": False}
    assert assigned.json()["hooks"] == []


async def test_hook_update_enable_disable() -> None:
    app = create_sandbox_app(demo_state())
    async with client(app) as api:
        renamed = await api.patch("/hooks/801", json={"name": "Leads"})
        disabled = await api.post("/hooks/801/disable")
        off = (await api.get("/hooks/801")).json()["hook"]["enabled"]
        enabled = await api.post("/hooks/801/enable")
        on = (await api.get("/hooks/801")).json()["hook"]["enabled"]
    assert renamed.json()["hook"]["name"] == "Leads"
    assert disabled.json() == enabled.json() == {"success": True}
    assert (off, on) == (False, True)


async def test_hook_in_use_needs_confirmation_to_delete_but_a_free_one_does_not() -> None:
    app = create_sandbox_app(demo_state())
    async with client(app) as api:
        free_id = (await api.post("/hooks", json={"name": "x", "teamId": 201, "typeName": "gateway-webhook"})).json()[
            "hook"
        ]["id"]
        free = await api.delete(f"/hooks/{free_id}")
        refused = await api.delete("/hooks/801")
        confirmed = await api.delete("/hooks/801", params={"confirmed": "true"})
        gone = await api.get("/hooks/801")
    assert free.json() == {"hook": free_id}
    assert refused.status_code == 406
    assert refused.json()["code"] == "IM004"
    assert confirmed.json() == {"hook": 801}
    assert gone.status_code == 404


async def test_hook_needs_name_team_and_type() -> None:
    app = create_sandbox_app(demo_state())
    async with client(app) as api:
        response = await api.post("/hooks", json={"teamId": 201})
    assert response.status_code == 400
    assert len(response.json()["suberrors"]) == 2


async def test_created_connection_appears_in_next_list() -> None:
    app = create_sandbox_app(demo_state())
    async with client(app) as api:
        created = await api.post(
            "/connections",
            params={"teamId": 201},
            json={"accountName": "Airtable (ops base)", "accountType": "airtable2", "apiKey": "pat-123"},
        )
        listed = await api.get("/connections", params={"teamId": 201, "type[]": "airtable2"})
        editable = await api.get("/connections/903/editable-data-schema")
    connection = created.json()["connection"]
    assert connection["id"] == 903
    assert connection["name"] == "Airtable (ops base)"
    assert connection["accountName"] == "airtable2"
    assert connection["accountLabel"] == "Airtable"
    assert "apiKey" not in connection
    assert listed.json()["connections"] == [connection]
    assert editable.json() == {"editableParameters": ["apiKey"]}


async def test_connection_rename_verify_and_get_scopes() -> None:
    app = create_sandbox_app(demo_state())
    async with client(app) as api:
        renamed = await api.patch("/connections/901", json={"name": "Google (ops)"})
        verified = await api.post("/connections/901/test")
        fetched = await api.get("/connections/901")
    assert renamed.json()["connection"]["name"] == "Google (ops)"
    assert verified.json() == {"verified": True}
    assert fetched.json()["connection"]["scopesCnt"] == len(fetched.json()["connection"]["scopes"]) == 3


async def test_connection_used_by_a_scenario_needs_confirmation_to_delete() -> None:
    app = create_sandbox_app(demo_state())
    async with client(app) as api:
        refused = await api.delete("/connections/902")
        confirmed = await api.delete("/connections/902", params={"confirmed": "true"})
        listed = await api.get("/connections", params={"teamId": 201})
    assert refused.status_code == 406
    assert confirmed.json() == {"connection": 902}
    assert [c["id"] for c in listed.json()["connections"]] == [901]
