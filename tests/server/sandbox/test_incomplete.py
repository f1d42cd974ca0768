"""The sandbox's incomplete executions (/dlqs): kept from a failed run, fixed, retried and deleted."""

from __future__ import annotations

import json
from typing import Any

import httpx2

from make_mcp.server.sandbox import create_sandbox_app, demo_state
from tests.server.sandbox.support import blueprint, client


async def the_failed_run(api: httpx2.AsyncClient) -> dict[str, Any]:
    return (await api.get("/dlqs", params={"scenarioId": 401})).json()["dlqs"][0]


async def test_the_failed_demo_run_is_an_incomplete_execution_with_its_blueprint_and_bundle() -> None:
    app = create_sandbox_app(demo_state())
    async with client(app) as api:
        listed = (await api.get("/dlqs", params={"scenarioId": 401})).json()["dlqs"]
        detail = (await api.get(f"/dlqs/{listed[0]['id']}")).json()["dlq"]
        failed = (await api.get("/scenarios/401/logs", params={"status": 3})).json()["scenarioLogs"][0]
        kept = (await api.get(f"/dlqs/{listed[0]['id']}/blueprint")).json()["response"]
        scenario_blueprint = (await api.get("/scenarios/401/blueprint")).json()["response"]["blueprint"]
        bundle = (await api.get(f"/dlqs/{listed[0]['id']}/bundle")).json()["response"]
        scenario = (await api.get("/scenarios/401")).json()["scenario"]
        others = (await api.get("/dlqs", params={"scenarioId": 402})).json()["dlqs"]
        unknown = await api.get("/dlqs", params={"scenarioId": 499})
    assert [(item["reason"], item["resolved"], item["attempts"]) for item in listed] == [
        ("[404] channel_not_found", False, 0)
    ]
    assert (detail["scenarioId"], detail["scenarioName"], detail["companyId"]) == (401, "Capture new leads", 101)
    assert detail["executionId"] == failed["id"]
    assert kept["blueprint"] == scenario_blueprint and kept["reason"] == "[404] channel_not_found"
    assert bundle == {"4": {"error": {"type": "DataError", "message": "[404] channel_not_found"}}}
    assert scenario["dlqCount"] == 1
    assert others == []
    assert unknown.status_code == 404


async def test_a_retry_runs_the_scenario_logs_the_attempt_and_resolves_it() -> None:
    app = create_sandbox_app(demo_state())
    async with client(app) as api:
        dlq_id = (await the_failed_run(api))["id"]
        runs_before = len((await api.get("/scenarios/401/logs")).json()["scenarioLogs"])
        retried = await api.post(f"/dlqs/{dlq_id}/retry")
        after = await the_failed_run(api)
        attempts = (await api.get(f"/dlqs/{dlq_id}/logs")).json()["dlqLogs"]
        attempt = await api.get(f"/dlqs/{dlq_id}/logs/{attempts[0]['id']}")
        runs_after = (await api.get("/scenarios/401/logs")).json()["scenarioLogs"]
        scenario = (await api.get("/scenarios/401")).json()["scenario"]
    assert retried.json() == {"dlq": dlq_id}
    assert (after["resolved"], after["attempts"]) == (True, 1)
    assert [log["status"] for log in attempts] == [1]
    assert f"_dlq.{dlq_id}." in attempts[0]["imtId"]
    assert attempt.json() == {"dlqLog": attempts[0]}
    assert len(runs_after) == runs_before + 1 and runs_after[0]["id"] == attempts[0]["id"]
    assert scenario["dlqCount"] == 0


async def test_an_update_replaces_the_kept_blueprint_given_as_json_text() -> None:
    app = create_sandbox_app(demo_state())
    fixed = blueprint("Capture new leads (fixed)")
    async with client(app) as api:
        dlq_id = (await the_failed_run(api))["id"]
        updated = await api.patch(f"/dlqs/{dlq_id}", json={"blueprint": json.dumps(fixed), "failer": 1})
        kept = (await api.get(f"/dlqs/{dlq_id}/blueprint")).json()["response"]["blueprint"]
        broken = await api.patch(f"/dlqs/{dlq_id}", json={"blueprint": json.dumps({"name": "no flow"})})
    assert updated.json() == {"dlq": {"failer": 1, "blueprint": fixed}}
    assert kept == fixed
    assert broken.status_code == 400 and "flow" in broken.json()["suberrors"][0]["message"]


async def test_bulk_retry_and_delete_name_their_items_and_deleting_all_needs_confirmation() -> None:
    app = create_sandbox_app(demo_state())
    async with client(app) as api:
        dlq_id = (await the_failed_run(api))["id"]
        nothing_named = await api.post("/dlqs/retry", params={"scenarioId": 401}, json={})
        foreign = await api.post("/dlqs/retry", params={"scenarioId": 402}, json={"ids": [dlq_id]})
        unconfirmed = await api.request("DELETE", "/dlqs", params={"scenarioId": 401}, json={"all": True})
        still_there = (await api.get("/dlqs", params={"scenarioId": 401})).json()["dlqs"]
        retried = await api.post("/dlqs/retry", params={"scenarioId": 401}, json={"all": True})
        deleted = await api.request(
            "DELETE", "/dlqs", params={"scenarioId": 401, "confirmed": "true"}, json={"all": True}
        )
        gone = await api.get(f"/dlqs/{dlq_id}")
    assert nothing_named.status_code == 400
    assert foreign.status_code == 400 and "does not belong" in foreign.json()["suberrors"][0]["message"]
    assert unconfirmed.status_code == 406 and unconfirmed.json()["code"] == "IM004"
    assert [item["id"] for item in still_there] == [dlq_id]
    assert retried.json() == {"dlqs": [dlq_id]}
    assert deleted.json() == {"dlqs": [dlq_id]}
    assert gone.status_code == 404
