"""Scenarios, their blueprints, scheduling, interface and runs, and scenario folders."""

from __future__ import annotations

import json

from make_mcp.server.sandbox import create_sandbox_app, demo_state
from tests.server.sandbox.support import START, FakeClock, blueprint, client, scenario_body


async def test_created_scenario_appears_in_next_list() -> None:
    app = create_sandbox_app(demo_state(clock=FakeClock()))
    async with client(app) as api:
        created = await api.post("/scenarios", json=scenario_body())
        listed = await api.get("/scenarios", params={"teamId": 201})
    assert created.status_code == 200
    scenario = created.json()["scenario"]
    assert scenario["name"] == "Parse a payload"
    assert scenario["scheduling"] == {"type": "indefinitely", "interval": 900}
    assert scenario["usedPackages"] == ["json"]
    assert scenario["isActive"] is False
    assert scenario["created"] == "2025-06-15T15:06:40.000Z"
    assert scenario["id"] in [s["id"] for s in listed.json()["scenarios"]]


async def test_created_ids_are_deterministic() -> None:
    first = create_sandbox_app(demo_state())
    second = create_sandbox_app(demo_state())
    async with client(first) as api_one, client(second) as api_two:
        one = (await api_one.post("/scenarios", json=scenario_body())).json()["scenario"]["id"]
        two = (await api_two.post("/scenarios", json=scenario_body())).json()["scenario"]["id"]
    assert one == two == 408  # after the demo scenarios 401-407


async def test_blueprint_sent_as_object_is_rejected_because_make_wants_a_json_string() -> None:
    app = create_sandbox_app(demo_state())
    async with client(app) as api:
        response = await api.post("/scenarios", json=scenario_body(blueprint=blueprint()))
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "IM005"
    assert "string containing JSON" in body["suberrors"][0]["message"]


async def test_invalid_json_in_blueprint_or_scheduling_is_rejected_with_each_problem() -> None:
    app = create_sandbox_app(demo_state())
    async with client(app) as api:
        response = await api.post("/scenarios", json=scenario_body(blueprint="{oops", scheduling='{"type": "hourly"}'))
    assert response.status_code == 400
    messages = [item["message"] for item in response.json()["suberrors"]]
    assert len(messages) == 2
    assert "not valid JSON" in messages[0]
    assert "Scheduling 'type'" in messages[1]


async def test_scenario_in_unknown_team_gets_404() -> None:
    app = create_sandbox_app(demo_state())
    async with client(app) as api:
        response = await api.post("/scenarios", json=scenario_body(team_id=999))
    assert response.status_code == 404


async def test_update_changes_get_and_blueprint() -> None:
    clock = FakeClock()
    app = create_sandbox_app(demo_state(clock=clock))
    new_blueprint = blueprint("Webhook to Slack", [{"id": 1, "module": "slack:CreateMessage", "version": 4}])
    async with client(app) as api:
        clock.advance(60)
        patched = await api.patch(
            "/scenarios/402",
            json={"blueprint": json.dumps(new_blueprint), "scheduling": json.dumps({"type": "on-demand"})},
        )
        fetched = await api.get("/scenarios/402")
        stored = await api.get("/scenarios/402/blueprint")
    assert patched.status_code == 200
    scenario = fetched.json()["scenario"]
    assert scenario["name"] == "Webhook to Slack"
    assert scenario["usedPackages"] == ["slack"]
    assert scenario["scheduling"] == {"type": "on-demand"}
    assert scenario["lastEdit"] == "2025-06-15T15:07:40.000Z"
    assert stored.json()["code"] == "OK"
    assert stored.json()["response"]["blueprint"]["flow"] == new_blueprint["flow"]
    assert stored.json()["response"]["idSequence"] == 2


async def test_renaming_a_scenario_renames_its_blueprint() -> None:
    app = create_sandbox_app(demo_state())
    async with client(app) as api:
        await api.patch("/scenarios/401", json={"name": "Lead intake"})
        stored = await api.get("/scenarios/401/blueprint")
    assert stored.json()["response"]["blueprint"]["name"] == "Lead intake"


async def test_deleted_scenario_is_gone() -> None:
    app = create_sandbox_app(demo_state())
    async with client(app) as api:
        deleted = await api.delete("/scenarios/402")
        fetched = await api.get("/scenarios/402")
        listed = await api.get("/scenarios", params={"teamId": 201})
    assert deleted.json() == {"scenario": 402}
    assert fetched.status_code == 404
    assert 402 not in [s["id"] for s in listed.json()["scenarios"]]


async def test_start_and_stop_toggle_is_active() -> None:
    app = create_sandbox_app(demo_state())
    async with client(app) as api:
        started = await api.post("/scenarios/402/start")
        active = (await api.get("/scenarios/402")).json()["scenario"]["isActive"]
        stopped = await api.post("/scenarios/402/stop")
        inactive = (await api.get("/scenarios/402")).json()["scenario"]["isActive"]
    assert started.json() == {"scenario": {"id": 402, "isActive": True, "islinked": True}}
    assert stopped.json() == {"scenario": {"id": 402, "isActive": False, "islinked": False}}
    assert (active, inactive) == (True, False)


async def test_run_returns_an_execution_that_can_be_fetched() -> None:
    app = create_sandbox_app(demo_state())
    async with client(app) as api:
        quick = await api.post("/scenarios/403/run", json={"data": {"orderId": "A-1"}})
        waited = await api.post("/scenarios/403/run", json={"data": {"orderId": "A-2"}, "responsive": True})
        execution_id = quick.json()["executionId"]
        details = await api.get(f"/scenarios/403/executions/{execution_id}")
    assert list(quick.json()) == ["executionId"]
    assert len(execution_id) == 32
    assert waited.json()["status"] == "success"
    assert waited.json()["executionId"] != execution_id
    assert details.json()["status"] == "SUCCESS"


async def test_a_run_appears_first_in_the_scenario_execution_log_and_can_be_fetched_from_it() -> None:
    clock = FakeClock()
    app = create_sandbox_app(demo_state(clock=clock))
    async with client(app) as api:
        before = (await api.get("/scenarios/403/logs")).json()["scenarioLogs"]
        execution_id = (await api.post("/scenarios/403/run", json={"data": {"orderId": "A-1"}})).json()["executionId"]
        listed = (await api.get("/scenarios/403/logs")).json()
        fetched = await api.get(f"/scenarios/403/logs/{execution_id}")
        elsewhere = await api.get(f"/scenarios/401/logs/{execution_id}")
    assert before == []
    assert [log["id"] for log in listed["scenarioLogs"]] == [execution_id]
    log = fetched.json()["scenarioLog"]
    assert log == listed["scenarioLogs"][0]
    assert log["imtId"] == f"{int(START * 1000)}_scenario.403.manual.{execution_id}"
    assert (log["status"], log["type"], log["authorId"], log["teamId"]) == (1, "manual", 301, 202)
    assert listed["pg"] == {"sortBy": "imtId", "sortDir": "desc", "limit": 50, "offset": 0}
    assert elsewhere.status_code == 404


async def test_execution_log_filters_by_status_time_and_measures() -> None:
    app = create_sandbox_app(demo_state())
    async with client(app) as api:
        everything = (await api.get("/scenarios/401/logs")).json()["scenarioLogs"]
        failed = (await api.get("/scenarios/401/logs", params={"status": 3})).json()["scenarioLogs"]
        latest_time = int(everything[0]["imtId"].split("_")[0])
        latest = (await api.get("/scenarios/401/logs", params={"from": latest_time})).json()["scenarioLogs"]
        slow = (await api.get("/scenarios/401/logs", params={"durationFrom": 1000})).json()["scenarioLogs"]
        oldest_first = (await api.get("/scenarios/401/logs", params={"pg[sortDir]": "asc"})).json()["scenarioLogs"]
        unknown = await api.get("/scenarios/499/logs")
    assert [log["status"] for log in everything] == [1, 3, 2, 1]  # newest first
    assert [log["status"] for log in failed] == [3]
    assert latest == everything[:1]
    assert {log["duration"] for log in slow} == {1530, 2104}
    assert oldest_first == everything[::-1]
    assert unknown.status_code == 404


async def test_the_details_of_a_failed_run_give_its_error_and_the_module_it_failed_in() -> None:
    app = create_sandbox_app(demo_state())
    async with client(app) as api:
        failed = (await api.get("/scenarios/401/logs", params={"status": 3})).json()["scenarioLogs"][0]
        details = await api.get(f"/scenarios/401/executions/{failed['id']}")
        succeeded = (await api.get("/scenarios/401/logs", params={"status": 1})).json()["scenarioLogs"][0]
        fine = await api.get(f"/scenarios/401/executions/{succeeded['id']}")
    assert details.json() == {
        "status": "ERROR",
        "outputs": None,
        # Module 4 of the lead capture posts to Slack: the reference's {name, message, causeModule {name, appName}}.
        "error": {
            "name": "DataError",
            "message": "[404] channel_not_found",
            "causeModule": {"name": "CreateMessage", "appName": "slack"},
        },
    }
    assert "error" not in fine.json() and fine.json()["status"] == "SUCCESS"


async def test_run_needs_an_active_scenario_and_its_required_inputs() -> None:
    app = create_sandbox_app(demo_state())
    async with client(app) as api:
        inactive = await api.post("/scenarios/402/run", json={})
        missing_input = await api.post("/scenarios/403/run", json={"data": {}})
    assert inactive.status_code == 400
    assert "not active" in inactive.json()["detail"]
    assert missing_input.status_code == 400
    assert "orderId" in missing_input.json()["suberrors"][0]["message"]


async def test_required_inputs_need_on_demand_scheduling_422_im016() -> None:
    app = create_sandbox_app(demo_state())
    interface = {"interface": {"input": [{"name": "email", "type": "text", "required": True}]}}
    async with client(app) as api:
        refused = await api.patch("/scenarios/402/interface", json=interface)
        await api.patch("/scenarios/402", json={"scheduling": json.dumps({"type": "on-demand"})})
        accepted = await api.patch("/scenarios/402/interface", json=interface)
        fetched = await api.get("/scenarios/402/interface")
    assert refused.status_code == 422
    assert refused.json()["code"] == "IM016"
    assert accepted.status_code == 200
    assert fetched.json() == {"interface": {"input": interface["interface"]["input"], "output": None}}


async def test_list_needs_exactly_one_of_team_and_organization() -> None:
    app = create_sandbox_app(demo_state())
    async with client(app) as api:
        neither = await api.get("/scenarios")
        both = await api.get("/scenarios", params={"teamId": 201, "organizationId": 101})
        by_organization = await api.get("/scenarios", params={"organizationId": 101})
    assert neither.status_code == 400
    assert both.status_code == 400
    assert sorted(s["id"] for s in by_organization.json()["scenarios"]) == [401, 402, 403, 404, 405, 406, 407]


async def test_scenario_list_has_make_default_order_and_refuses_ascending_direction() -> None:
    app = create_sandbox_app(demo_state())
    async with client(app) as api:
        default = await api.get("/scenarios", params={"organizationId": 101})
        ascending = await api.get("/scenarios", params={"organizationId": 101, "pg[sortDir]": "asc"})
    assert [s["id"] for s in default.json()["scenarios"]] == [401, 402, 403, 404, 405, 406, 407]
    assert default.json()["pg"] == {"sortBy": "proprietal", "sortDir": "desc", "limit": 10000, "offset": 0}
    assert ascending.status_code == 400


async def test_scenario_list_filters() -> None:
    app = create_sandbox_app(demo_state())
    async with client(app) as api:
        active = await api.get("/scenarios", params={"organizationId": 101, "isActive": "true"})
        in_folder = await api.get("/scenarios", params={"teamId": 201, "folderId": 501})
        by_ids = await api.get("/scenarios", params=[("organizationId", "101"), ("id[]", "402"), ("id[]", "403")])
    assert sorted(s["id"] for s in active.json()["scenarios"]) == [401, 403, 404, 405, 407]
    assert [s["id"] for s in in_folder.json()["scenarios"]] == [401]
    assert sorted(s["id"] for s in by_ids.json()["scenarios"]) == [402, 403]


async def test_folders_list_create_update_delete() -> None:
    app = create_sandbox_app(demo_state())
    async with client(app) as api:
        created = await api.post("/scenarios-folders", json={"name": "Archive", "teamId": 201})
        folder_id = created.json()["scenarioFolder"]["id"]
        nested = await api.post("/scenarios-folders", json={"name": "2024", "teamId": 201, "parentId": folder_id})
        renamed = await api.patch(f"/scenarios-folders/{folder_id}", json={"name": "Old"})
        listed = await api.get("/scenarios-folders", params={"teamId": 201})
        deleted = await api.delete("/scenarios-folders/501")
        uncategorized = await api.get("/scenarios/401")
        after = await api.get("/scenarios-folders", params={"teamId": 201})
    assert created.json()["scenarioFolder"] == {
        "id": 502,
        "name": "Archive",
        "path": "Archive",
        "parentId": None,
        "position": None,
        "scenariosTotal": 0,
        "scenariosSubtreeTotal": 0,
        "hasChildren": False,
    }
    assert nested.json()["scenarioFolder"]["path"] == "Archive/2024"
    assert renamed.json()["scenarioFolder"]["hasChildren"] is True
    folders = listed.json()["scenariosFolders"]
    assert [(f["name"], f["scenariosTotal"]) for f in folders] == [("Lead pipeline", 1), ("Old", 0)]
    assert folders[1]["children"][0]["path"] == "Old/2024"
    assert deleted.json() == {"scenarioFolder": 501}
    assert uncategorized.json()["scenario"]["folderId"] is None
    assert [f["name"] for f in after.json()["scenariosFolders"]] == ["Old"]
