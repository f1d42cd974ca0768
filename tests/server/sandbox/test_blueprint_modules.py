"""Scenario writes refuse what Make refuses in a blueprint's modules, and accept Make's own example blueprints."""

from __future__ import annotations

import json
from typing import Any

import pytest

from make_mcp.server.sandbox import create_sandbox_app, demo_state
from make_mcp.server.sandbox.blueprint_modules import check_blueprint_modules
from make_mcp.server.sandbox.seed_account import seed_large_account
from tests.server.sandbox.support import WEBHOOK, blueprint, client, example_blueprints, fixture, scenario_body


async def create(flow: list[dict[str, Any]] | dict[str, Any]) -> tuple[int, Any]:
    body = flow if isinstance(flow, dict) else blueprint("Checked", flow)
    async with client(create_sandbox_app(demo_state())) as api:
        response = await api.post("/scenarios", json=scenario_body(blueprint=json.dumps(body)))
    return response.status_code, response.json()


def slack(**mapper: Any) -> dict[str, Any]:
    return {
        "id": 2,
        "module": "slack:CreateMessage",
        "version": 4,
        "parameters": {"__IMTCONN__": 902},
        "mapper": mapper,
    }


@pytest.mark.parametrize("name", sorted(example_blueprints()))
async def test_every_vendored_example_blueprint_is_accepted(name: str) -> None:
    status, body = await create(example_blueprints()[name])
    assert status == 200, body
    assert body["scenario"]["usedPackages"]


async def test_the_api_shell_template_is_refused_for_its_placeholder_module() -> None:
    status, body = await create(fixture("generic-api-shell-blueprint.json"))
    assert (status, body["code"], body["message"]) == (400, "IM007", "Module not found")
    assert "APP_NAME:API_CALL_MODULE_NAME" in body["detail"]


async def test_a_blueprint_with_an_unknown_module_is_refused_with_im007() -> None:
    status, body = await create([WEBHOOK, {"id": 2, "module": "slack:PostMessage", "version": 4}])
    assert (status, body["code"]) == (400, "IM007")
    assert body["detail"] == "Module 2 (slack:PostMessage): module not found (app 'slack' has no module 'PostMessage')."


async def test_a_blueprint_with_a_wrong_version_is_refused_naming_the_versions() -> None:
    status, body = await create([WEBHOOK, {**slack(text="hi"), "version": 2}])
    assert (status, body["code"]) == (400, "IM007")
    assert "version 2 not found; the app 'slack' has version 4" in body["detail"]


async def test_every_unknown_module_is_named_once_in_the_suberrors() -> None:
    status, body = await create(
        [
            {"id": 1, "module": "nope:Watch", "version": 1},
            {
                "id": 2,
                "module": "builtin:BasicRouter",
                "version": 1,
                "routes": [{"flow": [{"id": 3, "module": "x:y", "version": 1}]}],
            },
        ]
    )
    assert (status, body["code"]) == (400, "IM007")
    assert [item["message"] for item in body["suberrors"]] == [
        "Module 1 (nope:Watch): module not found (no app 'nope').",
        "Module 3 (x:y): module not found (no app 'x').",
    ]


@pytest.mark.parametrize(
    ("module", "message"),
    [
        (slack(text=42), "mapper.text: expected a text, got a number 42."),
        (slack(mrkdwn="false"), "mapper.mrkdwn: expected a boolean (true or false), got a text 'false'."),
        (
            slack(channelWType="list", channelType="Public channel"),
            "mapper.channelType: 'Public channel' is not one of",
        ),
        (
            slack(channelWType="somewhere"),
            "mapper.channelWType: 'somewhere' is not one of the option values 'list', 'manualy'.",
        ),
        (
            {"id": 2, "module": "gateway:WebhookRespond", "version": 1, "mapper": {"status": 42}},
            "mapper.status: 42 is below the minimum of 100.",
        ),
        (
            {"id": 2, "module": "gateway:WebhookRespond", "version": 1, "mapper": {"headers": [{"key": 1}]}},
            "mapper.headers[0].key: expected a text, got a number 1.",
        ),
        (
            {"id": 2, "module": "builtin:BasicAggregator", "version": 1, "parameters": {"feeder": "{{1.id}}"}},
            "parameters.feeder: the field is not mappable, so it takes no IML expression",
        ),
        (
            {"id": 2, "module": "util:SetVariable2", "version": 1, "mapper": {"name": "x", "scope": "forever"}},
            "mapper.scope: 'forever' is not one of the option values 'roundtrip', 'execution'.",
        ),
        (
            {"id": 2, "module": "json:ParseJSON", "version": 1, "parameters": {}, "mapper": []},
            "mapper: expected an object or null, got list.",
        ),
    ],
)
async def test_a_field_of_the_wrong_type_or_outside_its_options_is_refused_with_im005(
    module: dict[str, Any], message: str
) -> None:
    status, body = await create([WEBHOOK, module])
    assert (status, body["code"]) == (400, "IM005")
    messages = [item["message"] for item in body["suberrors"]]
    assert len(messages) == 1 and message in messages[0], messages
    assert messages[0].startswith(f"Module 2 ({module['module']})")


async def test_a_select_label_sent_for_its_value_is_refused_with_a_hint() -> None:
    status, body = await create([WEBHOOK, slack(channelWType="list", channelType="Private channel")])
    assert status == 400
    assert "that is the label of 'private'" in body["detail"]


async def test_iml_numeric_text_and_empty_values_are_accepted_where_make_accepts_them() -> None:
    status, body = await create(
        [
            WEBHOOK,
            slack(channelWType="list", channelType="{{1.kind}}", channel="C1", text="Hi {{1.name}}", mrkdwn="{{1.md}}"),
            {"id": 3, "module": "gateway:WebhookRespond", "version": 1, "mapper": {"status": "200", "body": {"a": 1}}},
            {
                "id": 4,
                "module": "util:SetVariable2",
                "version": 1,
                "mapper": {"name": "n", "scope": "roundtrip", "value": ""},
            },
        ]
    )
    assert status == 200, body


async def test_unknown_fields_and_missing_required_ones_are_left_to_the_editor() -> None:
    status, body = await create([WEBHOOK, slack(notAField=True), {"id": 3, "module": "json:ParseJSON", "version": 1}])
    assert status == 200, body


async def test_an_update_with_an_unknown_module_is_refused_and_keeps_the_old_blueprint() -> None:
    async with client(create_sandbox_app(demo_state())) as api:
        before = (await api.get("/scenarios/402/blueprint")).json()
        bad = blueprint("Broken", [{"id": 1, "module": "json:ParseJSON", "version": 9}])
        response = await api.patch("/scenarios/402", json={"blueprint": json.dumps(bad)})
        after = (await api.get("/scenarios/402/blueprint")).json()
    assert (response.status_code, response.json()["code"]) == (400, "IM007")
    assert after == before


def test_the_demo_and_seeded_scenarios_pass_the_write_check() -> None:
    state = demo_state()
    seed_large_account(state)
    assert len(state.blueprints) > 300
    for blueprint_ in state.blueprints.values():
        check_blueprint_modules(blueprint_)  # raises Make's error on the first refused blueprint


async def test_a_blueprint_nested_too_deeply_to_read_is_refused_not_crashed() -> None:
    flow = '[{"id": 1, "module": "json:ParseJSON", "version": 1}]'
    for module_id in range(2, 2000):
        flow = f'[{{"id": {module_id}, "module": "builtin:BasicRouter", "version": 1, "routes": [{{"flow": {flow}}}]}}]'
    body = scenario_body(blueprint=f'{{"name": "Deep", "flow": {flow}}}')
    async with client(create_sandbox_app(demo_state())) as api:
        response = await api.post("/scenarios", json=body)
    assert (response.status_code, response.json()["code"]) == (400, "IM005")
    assert response.json()["detail"] == "Parameter 'blueprint' is nested too deeply to read."


async def test_a_blueprint_of_fifty_thousand_modules_is_checked_to_its_last_module() -> None:
    flow = [{**slack(text=f"Message {number}"), "id": number} for number in range(1, 50_001)]
    flow[-1]["mapper"]["mrkdwn"] = "yes"
    status, body = await create(flow)
    assert (status, body["code"]) == (400, "IM005")
    assert body["detail"].startswith("Module 50000 (slack:CreateMessage) mapper.mrkdwn: expected a boolean")
