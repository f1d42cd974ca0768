"""Data structures, data stores and their records."""

from __future__ import annotations

from make_mcp.server.sandbox import create_sandbox_app, demo_state
from tests.server.sandbox.support import client

STORE = "/data-stores/701/data"


async def test_created_data_store_appears_in_next_list() -> None:
    app = create_sandbox_app(demo_state())
    body = {"name": "Orders", "teamId": 201, "datastructureId": 601, "maxSizeMB": 2}
    async with client(app) as api:
        created = await api.post("/data-stores", json=body)
        listed = await api.get("/data-stores", params={"teamId": 201})
    assert created.json() == {
        "dataStore": {
            "id": 702,
            "name": "Orders",
            "records": 0,
            "size": "0",
            "maxSize": str(2 * 1024 * 1024),
            "teamId": 201,
            "datastructureId": 601,
        }
    }
    assert [s["name"] for s in listed.json()["dataStores"]] == ["Customers", "Orders"]


async def test_data_store_needs_every_documented_field() -> None:
    app = create_sandbox_app(demo_state())
    async with client(app) as api:
        response = await api.post("/data-stores", json={"name": "Orders"})
    assert response.status_code == 400
    missing = {item["message"] for item in response.json()["suberrors"]}
    assert missing == {
        "Missing value of required parameter 'teamId'.",
        "Missing value of required parameter 'datastructureId'.",
        "Missing value of required parameter 'maxSizeMB'.",
    }


async def test_update_and_get_data_store() -> None:
    app = create_sandbox_app(demo_state())
    async with client(app) as api:
        await api.patch("/data-stores/701", json={"name": "Clients"})
        fetched = await api.get("/data-stores/701", params={"cols[]": ["id", "name", "records"]})
    assert fetched.json() == {"dataStore": {"id": 701, "name": "Clients", "records": 5}}


async def test_records_list_carries_the_structure_spec_and_count() -> None:
    app = create_sandbox_app(demo_state())
    async with client(app) as api:
        response = await api.get(STORE, params={"pg[limit]": 2, "pg[offset]": 1})
    body = response.json()
    assert [r["data"]["name"] for r in body["records"]] == ["Bob Novak", "Carla Diaz"]
    assert body["count"] == 5
    assert body["strict"] is True
    assert [field["name"] for field in body["spec"]] == ["name", "email", "plan", "mrr", "active"]
    assert body["pg"] == {"limit": 2, "offset": 1}


async def test_record_create_update_replace() -> None:
    app = create_sandbox_app(demo_state())
    async with client(app) as api:
        created = await api.post(STORE, json={"data": {"name": "Finn Ortiz", "email": "finn@example.com"}})
        key = created.json()["key"]
        patched = await api.patch(f"{STORE}/{key}", json={"plan": "pro", "mrr": 99})
        replaced = await api.put(f"{STORE}/{key}", json={"name": "Finn O.", "email": "finn@example.com"})
        listed = await api.get(STORE)
        store = await api.get("/data-stores/701")
    assert key == "a1b2c3d4e505"
    assert patched.json() == {
        "key": key,
        "data": {"name": "Finn Ortiz", "email": "finn@example.com", "plan": "pro", "mrr": 99},
    }
    assert replaced.json() == {"key": key, "data": {"name": "Finn O.", "email": "finn@example.com"}}
    assert listed.json()["records"][-1] == replaced.json()
    assert store.json()["dataStore"]["records"] == 6


async def test_record_with_custom_key_must_be_unique() -> None:
    app = create_sandbox_app(demo_state())
    record = {"key": "vip-1", "data": {"name": "Gia", "email": "gia@example.com"}}
    async with client(app) as api:
        first = await api.post(STORE, json=record)
        second = await api.post(STORE, json=record)
    assert first.json()["key"] == "vip-1"
    assert second.status_code == 400


async def test_strict_structure_refuses_records_that_do_not_fit() -> None:
    app = create_sandbox_app(demo_state())
    async with client(app) as api:
        response = await api.post(STORE, json={"data": {"name": 42, "nickname": "x"}})
    assert response.status_code == 400
    assert {item["message"] for item in response.json()["suberrors"]} == {
        "Field 'nickname' is not in the data structure.",
        "Field 'name' must be of type text.",
        "Field 'email' is required.",
    }


async def test_unknown_record_key_gets_404() -> None:
    app = create_sandbox_app(demo_state())
    async with client(app) as api:
        response = await api.patch(f"{STORE}/nope", json={"plan": "pro"})
    assert response.status_code == 404


async def test_delete_without_confirmation_answers_406_im004() -> None:
    app = create_sandbox_app(demo_state())
    async with client(app) as api:
        refused = await api.request("DELETE", STORE, json={"keys": ["a1b2c3d4e500"]})
        still_there = await api.get(STORE)
        confirmed = await api.request(
            "DELETE", STORE, params={"confirmed": "true"}, json={"keys": ["a1b2c3d4e500", "a1b2c3d4e501"]}
        )
        after = await api.get(STORE)
    assert refused.status_code == 406
    assert refused.json()["code"] == "IM004"
    assert still_there.json()["count"] == 5
    assert confirmed.json() == {"keys": ["a1b2c3d4e500", "a1b2c3d4e501"]}
    assert after.json()["count"] == 3


async def test_delete_all_records_except_some() -> None:
    app = create_sandbox_app(demo_state())
    async with client(app) as api:
        await api.request(
            "DELETE", STORE, params={"confirmed": "true"}, json={"all": True, "exceptKeys": ["a1b2c3d4e504"]}
        )
        after = await api.get(STORE)
    assert [r["key"] for r in after.json()["records"]] == ["a1b2c3d4e504"]


async def test_data_store_used_by_a_scenario_needs_confirmation_to_delete() -> None:
    app = create_sandbox_app(demo_state())
    unused = {"name": "Scratch", "teamId": 201, "datastructureId": 601, "maxSizeMB": 1}
    async with client(app) as api:
        scratch_id = (await api.post("/data-stores", json=unused)).json()["dataStore"]["id"]
        plain = await api.request("DELETE", "/data-stores", params={"teamId": 201}, json={"ids": [scratch_id]})
        refused = await api.request("DELETE", "/data-stores", params={"teamId": 201}, json={"ids": [701]})
        confirmed = await api.request(
            "DELETE", "/data-stores", params={"teamId": 201, "confirmed": "true"}, json={"ids": [701]}
        )
        gone = await api.get("/data-stores/701")
    assert plain.json() == {"dataStores": [scratch_id]}
    assert refused.status_code == 406
    assert confirmed.json() == {"dataStores": [701]}
    assert gone.status_code == 404


async def test_data_structures_list_and_create() -> None:
    app = create_sandbox_app(demo_state())
    spec = [{"name": "sku", "type": "text", "required": True}]
    async with client(app) as api:
        created = await api.post("/data-structures", json={"teamId": 201, "name": "Product", "spec": spec})
        listed = await api.get("/data-structures", params={"teamId": 201})
    assert created.json()["dataStructure"] == {
        "id": 602,
        "name": "Product",
        "teamId": 201,
        "spec": spec,
        "strict": False,
    }
    assert listed.json()["dataStructures"] == [
        {"id": 601, "name": "Customer", "teamId": 201},
        {"id": 602, "name": "Product", "teamId": 201},
    ]
