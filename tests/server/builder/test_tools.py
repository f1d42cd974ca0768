"""The builder tools through a real MCP client against the sandbox on loopback: discovery, checks, components,
audit, diff, and scenario writes that check first; hostile blueprints answered with a clear error."""

from __future__ import annotations

import json
from typing import Any

import mcp_types as types

from tests.conftest import LoopbackSandbox
from tests.server.builder.support import SLACK, TEAM, blueprint, builder_client, call, module, refusal, text_of

SECRET = "sk_live_51HcQ2Xb7tQmWq8ZpA9rT3vN"


def http(module_id: int, url: str = "https://api.example.com", **parts: Any) -> dict[str, Any]:
    return module(module_id, "http:ActionSendData", 3, mapper={"url": url, "method": "get"}, **parts)


def variable(module_id: int, value: Any = "x") -> dict[str, Any]:
    return module(module_id, "util:SetVariable2", mapper={"name": "v", "scope": "roundtrip", "value": value})


async def test_a_module_is_given_raw_on_request_and_an_unknown_one_names_the_apps_modules(
    loopback_sandbox: LoopbackSandbox,
) -> None:
    async with builder_client(loopback_sandbox) as client:
        raw = await call(
            client, "app-module_get", {"appName": "json", "appVersion": 1, "moduleName": "ParseJSON", "format": "raw"}
        )
        wrong = await refusal(client, "app-module_get", {"appName": "json", "appVersion": 1, "moduleName": "Parse"})
        missing = await refusal(client, "app-modules_list", {"appName": "nosuchapp", "appVersion": 1})
    assert raw["module"]["name"] == "ParseJSON" and raw["module"]["expect"][0]["name"] == "json"
    assert "has no module 'Parse'" in wrong and "ParseJSON" in wrong
    assert "no app nosuchapp in version 1" in missing


async def test_rpc_options_come_as_label_value_pairs_or_raw(loopback_sandbox: LoopbackSandbox) -> None:
    arguments = {"appName": "slack", "appVersion": 4, "rpcName": "listChannels", "data": {"__IMTCONN__": SLACK}}
    async with builder_client(loopback_sandbox) as client:
        compact = await call(client, "rpc_execute", arguments)
        raw = await call(client, "rpc_execute", {**arguments, "format": "raw"})
        without = await refusal(client, "rpc_execute", {**arguments, "data": {}})
    assert compact["options"] == [{"label": o["label"], "value": o["value"]} for o in raw["response"]]
    assert "IM005" in without


async def test_a_blueprint_is_taken_as_json_text_and_text_that_is_not_json_is_a_clear_error(
    loopback_sandbox: LoopbackSandbox,
) -> None:
    async with builder_client(loopback_sandbox) as client:
        checked = await call(client, "blueprints_validate", {"blueprint": json.dumps(blueprint(http(1)))})
        broken = await refusal(client, "blueprints_validate", {"blueprint": '{"flow": [}'})
    assert checked == {"valid": True, "errors": 0, "warnings": 0, "findings": []}
    assert "not valid JSON (line 1, column 11)" in broken


async def test_the_schema_check_looks_at_structure_only_and_the_module_check_at_one_module(
    loopback_sandbox: LoopbackSandbox,
) -> None:
    unknown = blueprint(module(1, "nosuchapp:Do"))
    async with builder_client(loopback_sandbox) as client:
        structure = await call(client, "validate_blueprint_schema", {"blueprint": unknown})
        twice = await call(client, "validate_blueprint_schema", {"blueprint": blueprint(http(1), variable(1))})
        module_check = await call(
            client,
            "validate_module_configuration",
            {
                "appName": "http",
                "appVersion": 3,
                "moduleName": "ActionSendData",
                "mapper": {"url": "https://a.b", "method": "GET"},
            },
        )
    assert structure["valid"] is True
    assert twice["valid"] is False and "used twice" in twice["findings"][0]["message"]
    assert module_check["valid"] is False and module_check["findings"][0]["path"].endswith("method")


async def test_components_list_what_the_team_has_and_what_is_missing(loopback_sandbox: LoopbackSandbox) -> None:
    slack = module(1, "slack:CreateMessage", 4, parameters={"__IMTCONN__": SLACK})
    trello = module(2, "trello:createCard", 1)
    async with builder_client(loopback_sandbox) as client:
        answer = await call(
            client, "extract_blueprint_components", {"blueprint": blueprint(slack, trello), "teamId": TEAM}
        )
        one = await call(
            client,
            "extract_module_components",
            {"appName": "slack", "appVersion": 4, "moduleName": "CreateMessage", "teamId": TEAM},
        )
    by_type = {c["type"]: c for c in answer["components"]}
    assert by_type["slack2 or slack3"]["teamHas"] == [{"id": SLACK, "name": "Slack (Sandbox workspace)"}]
    assert by_type["slack2 or slack3"]["scopes"] == ["chat:write"] and by_type["slack2 or slack3"]["missing"] is False
    assert by_type["trello"]["missing"] is True and by_type["trello"]["teamHas"] == []
    assert one["components"][0]["teamHas"][0]["id"] == SLACK


async def test_a_missing_connection_becomes_a_link_the_person_opens(loopback_sandbox: LoopbackSandbox) -> None:
    trello = module(2, "trello:createCard", 1)
    async with builder_client(loopback_sandbox) as client:
        answer = await call(
            client,
            "extract_blueprint_components",
            {"blueprint": blueprint(trello), "teamId": TEAM, "requestCredentials": True},
        )
    links = answer["credentialRequest"]["links"]
    assert [link["type"] for link in links] == ["trello"]
    assert links[0]["publicUri"].startswith("https://")
    sent = [r for r in loopback_sandbox.state.requests if r.path.endswith("/credential-requests/actions/create")]
    assert sent[0].body["connection"]["accountName"] == "trello"


async def test_a_client_that_opens_links_shows_the_link_to_the_person_instead_of_the_agent(
    loopback_sandbox: LoopbackSandbox,
) -> None:
    shown: list[types.ElicitRequestParams] = []

    async def person(context: Any, params: types.ElicitRequestParams) -> types.ElicitResult:
        shown.append(params)
        return types.ElicitResult(action="accept")

    trello = module(2, "trello:createCard", 1)
    arguments = {"blueprint": blueprint(trello), "teamId": TEAM, "requestCredentials": True}
    async with builder_client(loopback_sandbox, mode="legacy", elicitation_callback=person) as client:
        answer = await call(client, "extract_blueprint_components", arguments)
    assert isinstance(shown[0], types.ElicitRequestURLParams) and shown[0].url.startswith("https://")
    assert answer["credentialRequest"]["links"] == [
        {
            "kind": "connection",
            "type": "trello",
            "requestId": answer["credentialRequest"]["links"][0]["requestId"],
            "shownToPerson": "accept",
        }
    ]


async def test_an_audit_masks_secrets_and_names_what_a_reviewer_would(loopback_sandbox: LoopbackSandbox) -> None:
    headers = [{"name": "Authorization", "value": f"Bearer {SECRET}"}]
    risky = blueprint(
        module(
            1, "http:ActionSendData", 3, mapper={"url": "http://api.example.com", "method": "get", "headers": headers}
        ),
        {
            "id": 2,
            "module": "builtin:BasicRouter",
            "version": 1,
            "routes": [{"flow": [variable(3)]}, {"flow": [variable(4, "{{3.x}}")]}],
        },
    )
    async with builder_client(loopback_sandbox) as client:
        result = await client.call_tool("blueprints_audit", {"blueprint": risky})
    assert not result.is_error and result.structured_content is not None
    assert SECRET not in text_of(result) and SECRET not in json.dumps(result.structured_content)
    messages = [f["message"] for f in result.structured_content["findings"]]
    assert any("secret seems written" in m and "Be…(" in m for m in messages)
    assert any("plain http" in m for m in messages)
    assert any("no error handler" in m for m in messages)
    assert any("Routes 1, 2 have no filter" in m for m in messages)
    assert any("does not run before" in m for m in messages)
    assert result.structured_content["flow"][0] == "1. Make a request (http:ActionSendData)"
    assert result.structured_content["flow"][2].startswith("  route 1: 3.")


async def test_an_audit_reads_a_saved_scenario(loopback_sandbox: LoopbackSandbox) -> None:
    async with builder_client(loopback_sandbox) as client:
        answer = await call(client, "blueprints_audit", {"scenarioId": 403})
    assert answer["flow"] == ["1. Make a request (http:ActionSendData)", "2. Parse JSON (json:ParseJSON)"]
    assert any(f["moduleId"] == 2 and "Nothing reads" in f["message"] for f in answer["findings"])


def with_new_url(sandbox: LoopbackSandbox) -> dict[str, Any]:
    """Saved scenario 403's blueprint (an HTTP call, then Parse JSON) calling another URL."""
    changed = json.loads(json.dumps(sandbox.state.blueprints[403]))
    changed["flow"][0]["mapper"]["url"] = "https://changed.example.com"
    return changed


async def test_a_diff_names_modules_added_removed_and_changed_and_the_scheduling(
    loopback_sandbox: LoopbackSandbox,
) -> None:
    changed = with_new_url(loopback_sandbox)
    changed["flow"] = [changed["flow"][0], variable(7)]
    async with builder_client(loopback_sandbox) as client:
        answer = await call(
            client,
            "blueprints_diff",
            {"scenarioId": 403, "blueprint": changed, "scheduling": {"type": "indefinitely", "interval": 123}},
        )
    assert answer["changes"]["added"] == ["7: util:SetVariable2"]
    assert answer["changes"]["removed"] == ["2: json:ParseJSON"]
    assert any(
        line.startswith("mapper.url ") and "https://changed.example.com" in line
        for line in answer["changes"]["changed"]["1"]
    )
    assert answer["changes"]["scheduling"].endswith('-> {"interval": 123, "type": "indefinitely"}')


async def test_an_update_asks_consent_showing_what_changes_not_the_whole_blueprint(
    loopback_sandbox: LoopbackSandbox,
) -> None:
    changed = with_new_url(loopback_sandbox)
    async with builder_client(loopback_sandbox, confirm_destructive=True) as client:
        asked = await call(client, "scenarios_update", {"scenarioId": 403, "blueprint": changed})
        done = await call(
            client, "scenarios_update", {"scenarioId": 403, "blueprint": changed, "confirmation": asked["confirmation"]}
        )
    assert "changes: module 1: mapper.url" in asked["preview"] and "https://changed.example.com" in asked["preview"]
    assert "blueprint=" not in asked["preview"]
    assert done["scenario"]["id"] == 403
    assert loopback_sandbox.state.blueprints[403]["flow"][0]["mapper"]["url"] == "https://changed.example.com"


async def test_a_write_refused_for_its_findings_goes_through_with_skip_validation(
    loopback_sandbox: LoopbackSandbox,
) -> None:
    # A reference to a module that runs later: Make stores it, and the run cannot resolve it.
    later = blueprint(variable(1, "{{2.data}}"), http(2))
    arguments = {"blueprint": later, "teamId": TEAM, "scheduling": {"type": "on-demand"}}
    async with builder_client(loopback_sandbox) as client:
        refused = await refusal(client, "scenarios_create", arguments)
        before = len(loopback_sandbox.state.scenarios)
        sent = await call(client, "scenarios_create", {**arguments, "skipValidation": True})
    assert "does not run before" in refused and "skipValidation: true" in refused
    assert (
        sent["scenario"]["id"] in loopback_sandbox.state.scenarios
        and len(loopback_sandbox.state.scenarios) == before + 1
    )
    assert "blueprintWarnings" not in sent


async def test_hostile_blueprints_are_answered_with_a_clear_error(loopback_sandbox: LoopbackSandbox) -> None:
    many = blueprint(*(variable(n) for n in range(1, 50_001)))
    deep: Any = "x"
    for _ in range(200):  # beyond the limit (160), within what a client serializes
        deep = {"a": deep}
    huge = blueprint(variable(1, "y" * 2_000_000))
    endless = blueprint(http(1), variable(2, "{{" * 40_000 + "1.data"))
    async with builder_client(loopback_sandbox) as client:
        answers = [
            await refusal(
                client, "scenarios_create", {"blueprint": many, "teamId": TEAM, "scheduling": {"type": "on-demand"}}
            ),
            await refusal(client, "blueprints_validate", {"blueprint": blueprint(variable(1, deep))}),
            await refusal(client, "blueprints_validate", {"blueprint": huge}),
        ]
        never_ends = await call(client, "blueprints_validate", {"blueprint": endless})
    assert "more than 2,000 modules" in answers[0]
    assert "nests deeper than 128 levels" in answers[1]  # refused with the arguments, before the builder
    assert "longer than 100,000 characters" in answers[2]
    assert never_ends["valid"] is False and "Malformed IML" in never_ends["findings"][0]["message"]
    assert not any(r.method == "POST" and r.path.endswith("/scenarios") for r in loopback_sandbox.state.requests)
