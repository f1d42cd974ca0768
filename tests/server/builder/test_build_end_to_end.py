"""An agent's whole build through a real MCP client against the sandbox: find an app, read its modules, load an
RPC's options, write a blueprint with a router and a filter, validate it, fix what is found, create it with its
interface, activate it and run it as a tool of its own."""

from __future__ import annotations

from typing import Any

from mcp import Client

from tests.server.builder.support import SLACK, STORE, blueprint, call, module, refusal, text_of
from tests.server.test_scenario_tools_live import Make, scenario_client


def draft(channel_type: str, channel: str, stored_text: str) -> dict[str, Any]:
    urgent = {"name": "Urgent", "conditions": [[{"a": "{{var.input.urgent}}", "o": "boolean:equal", "b": "true"}]]}
    message = {"channelWType": "list", "channelType": channel_type, "channel": channel, "text": "{{var.input.text}}"}
    post = module(3, "slack:CreateMessage", 4, parameters={"__IMTCONN__": SLACK}, mapper=message, filter=urgent)
    keep = module(
        4,
        "datastore:AddRecord",
        parameters={"datastore": STORE},
        mapper={"key": "{{var.input.text}}", "data": {"name": stored_text, "email": "a@example.com"}},
    )
    answer = module(5, "scenario-service:ReturnData", 2, mapper={"data": {"stored": "{{4.key}}"}})
    router = {
        "id": 2,
        "module": "builtin:BasicRouter",
        "version": 1,
        "routes": [{"flow": [post]}, {"flow": [keep, answer]}],
    }
    return blueprint(module(1, "scenario-service:StartSubscenario", 2), router, name="Note or ping")


async def discover(client: Client) -> str:
    """The agent's reading: the app, its modules, two modules' fields, a channel from the RPC."""
    found = await call(client, "apps_recommend", {"intention": "post a message in a Slack channel"})
    assert found["apps"][0]["name"] == "slack" and "not a recommendation service" in found["note"]
    listed = await call(client, "app-modules_list", {"appName": "slack", "appVersion": 4})
    assert {"name": "CreateMessage", "label": "Create a Message", "kind": "action"} in listed["modules"]
    message = await call(client, "app-module_get", {"appName": "slack", "appVersion": 4, "moduleName": "CreateMessage"})
    assert message["connection"]["types"] == ["slack2", "slack3"]
    assert any("channel: select" in line and "rpc://slack@4/listChannels" in line for line in message["mapper"])
    store = await call(client, "app-module_get", {"appName": "datastore", "appVersion": 1, "moduleName": "AddRecord"})
    assert store["parameters"] == ["datastore: datastore, required - Data store"]
    options = await call(
        client,
        "rpc_execute",
        {"appName": "slack", "appVersion": 4, "rpcName": "listChannels", "data": {"__IMTCONN__": SLACK}},
    )
    return options["options"][0]["value"]


async def test_an_agent_builds_a_scenario_and_runs_it_as_a_tool_of_its_own() -> None:
    make = Make()
    async with scenario_client(make, mode="auto", confirm_destructive=False) as (client, _):
        channel = await discover(client)
        # First draft: a label where Slack wants the value, and route 2 reading route 1's message.
        first = draft("Public channel", channel, "{{3.ts}}")
        checked = await call(client, "blueprints_validate", {"blueprint": first, "teamId": 201})
        assert checked["valid"] is False
        assert {(f["moduleId"], f["path"]) for f in checked["findings"] if f["severity"] == "error"} == {
            (3, "flow[1].routes[0].flow[0].mapper.channelType"),
            (4, "flow[1].routes[1].flow[0].mapper.data.name"),
        }
        refused = await refusal(
            client, "scenarios_create", {"blueprint": first, "teamId": 201, "scheduling": {"type": "on-demand"}}
        )
        assert "nothing was sent to Make" in refused and not any(r == "POST /api/v2/scenarios" for r in make.requests)

        fixed = draft("public", channel, "{{var.input.text}}")
        assert (await call(client, "blueprints_validate", {"blueprint": fixed, "teamId": 201}))["valid"] is True
        inputs = [{"name": "text", "type": "text", "required": True}, {"name": "urgent", "type": "boolean"}]
        created = await call(
            client,
            "scenarios_create",
            {"blueprint": fixed, "teamId": 201, "scheduling": {"type": "on-demand"}, "interface": {"input": inputs}},
        )
        scenario_id = created["scenario"]["id"]
        assert [item["name"] for item in created["scenario"]["interface"]["input"]] == ["text", "urgent"]
        assert not any(w["path"].startswith("interface") for w in created.get("blueprintWarnings", []))
        assert f"PATCH /api/v2/scenarios/{scenario_id}/interface" in make.requests
        await call(client, "scenarios_activate", {"scenarioId": scenario_id})
        tools = {tool.name: tool for tool in (await client.list_tools()).tools}
        own = next(
            name
            for name, tool in tools.items()
            if (tool.meta or {}).get("make/scenario", {}).get("scenarioId") == scenario_id
        )
        ran = await client.call_tool(own, {"text": "Call back Ada", "urgent": False})
    assert not ran.is_error, text_of(ran)
    # Read at most once for the whole build (none when an earlier test of this process has read it already).
    assert make.requests.count("GET /api/v2/imt/apps/slack/4") <= 1
    assert (ran.structured_content or {}).get("status") == "SUCCESS", ran.structured_content
    schema = tools[own].input_schema
    assert schema["properties"]["text"] == {"type": "string"} and schema["required"] == ["text"]
    assert {"type": "boolean"} in schema["properties"]["urgent"]["anyOf"]


async def test_a_scenario_reading_an_input_its_interface_does_not_declare_is_refused_before_anything_is_sent() -> None:
    make = Make()
    async with scenario_client(make, mode="auto", confirm_destructive=False) as (client, _):
        channel = await discover(client)
        arguments = {
            "blueprint": draft("public", channel, "{{var.input.text}}"),
            "teamId": 201,
            "scheduling": {"type": "on-demand"},
            "interface": {"input": [{"name": "text", "type": "text"}]},
        }
        refused = await refusal(client, "scenarios_create", arguments)
    assert "urgent, which the interface does not declare" in refused, refused
    assert "POST /api/v2/scenarios" not in make.requests


async def test_a_scenario_created_with_an_interface_but_not_on_demand_is_refused_before_anything_is_sent() -> None:
    make = Make()
    async with scenario_client(make, mode="auto", confirm_destructive=False) as (client, _):
        arguments = {
            "blueprint": blueprint(module(1, "scenario-service:StartSubscenario", 2)),
            "teamId": 201,
            "scheduling": {"type": "indefinitely", "interval": 900},
            "interface": {"input": [{"name": "text", "type": "text"}]},
        }
        refused = await refusal(client, "scenarios_create", arguments)
    assert "must be on demand" in refused, refused
    assert "POST /api/v2/scenarios" not in make.requests
