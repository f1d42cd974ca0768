"""Resources, resource templates, prompts, completions and icons through a real MCP client, in memory, in both
protocol eras, against the sandbox."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import unquote

import mcp_types as types
import pytest
from mcp import Client, MCPError

from make_mcp.server.engine.discovery import DISCOVERY_TOOLS
from make_mcp.server.protocol.icons import initials
from make_mcp.server.protocol.prompts import PROMPTS
from make_mcp.server.protocol.resources import TEMPLATES
from make_mcp.server.sandbox.catalogue import find_app
from make_mcp.server.sandbox.demo import DEMO_TEAM_ID
from tests.server.protocol.tasks_support import LEAD, HeldMake, new_manager, task_server

MODES = ["legacy", "auto"]  # auto: 2026-07-28, found by server/discover
TOOLS_OF_PROMPTS = ("app-modules_list", "app-module_get", "rpc_execute", "blueprints_validate", "blueprints_audit")


def svg_of(icon: types.Icon) -> str:
    """The SVG text of one of our icons: a data: URI that is a valid URI (nothing to fetch), its type and size
    given as the 2025-11-25 schema has them."""
    assert icon.src.startswith("data:image/svg+xml,") and not set(icon.src) & set(' <>#"'), icon.src
    assert icon.mime_type == "image/svg+xml" and icon.sizes == ["any"], icon
    return unquote(icon.src.split(",", 1)[1])


def read_json(result: types.ReadResourceResult) -> Any:
    (contents,) = result.contents
    assert isinstance(contents, types.TextResourceContents) and contents.mime_type == "application/json"
    return json.loads(contents.text)


async def a_run(mcp: Client) -> str:
    ran = await mcp.call_tool(LEAD, {"name": "Ana Silva", "email": "ana@example.com"})
    assert ran.structured_content is not None
    return ran.structured_content["executionId"]


@pytest.mark.parametrize("mode", MODES)
async def test_every_resource_template_is_listed_and_read_with_the_callers_credential(mode: str) -> None:
    make = HeldMake()
    store_id = next(sid for sid, store in make.state.data_stores.items() if store["teamId"] == DEMO_TEAM_ID)
    async with task_server(make, new_manager(make), mode=mode) as mcp:
        templates = (await mcp.list_resource_templates()).resource_templates
        execution = await a_run(mcp)
        scenarios = read_json(await mcp.read_resource(f"make://teams/{DEMO_TEAM_ID}/scenarios"))
        blueprint = read_json(await mcp.read_resource("make://scenarios/404/blueprint"))
        detail = read_json(await mcp.read_resource(f"make://scenarios/404/executions/{execution}"))
        log = read_json(await mcp.read_resource(f"make://scenarios/404/executions/{execution}/log"))
        records = read_json(await mcp.read_resource(f"make://data-stores/{store_id}/records?offset=0"))
        with pytest.raises(MCPError, match="404"):
            await mcp.read_resource("make://apps/no-such-app/1/modules/nothing")
    assert {t.uri_template for t in templates} == {t.uri for t in TEMPLATES}
    assert {s["id"] for s in scenarios["scenarios"]} >= {404, 405}
    assert blueprint["response"]["blueprint"]["flow"][0]["module"] == "scenario-service:StartSubscenario"
    assert detail["status"] == "SUCCESS" and detail["outputs"]["tier"] in ("hot", "warm", "cold")
    assert log["scenarioLog"]["id"] == execution and log["scenarioLog"]["operations"] > 0
    assert isinstance(records["records"], list)


@pytest.mark.parametrize("mode", MODES)
async def test_an_unknown_address_or_a_foreign_id_is_a_clear_resource_error(mode: str) -> None:
    make = HeldMake()
    async with task_server(make, new_manager(make), mode=mode) as mcp:
        with pytest.raises(MCPError, match="resources/templates/list"):
            await mcp.read_resource("make://nothing/here")
        with pytest.raises(MCPError, match="404"):
            await mcp.read_resource("make://scenarios/999999/blueprint")
        with pytest.raises(MCPError, match="check its IDs"):
            await mcp.read_resource("make://scenarios/abc/blueprint")


@pytest.mark.parametrize("mode", MODES)
async def test_the_fixed_resources_are_the_default_teams_scenarios_and_each_toolset_with_its_icon(mode: str) -> None:
    make = HeldMake()
    async with task_server(make, new_manager(make), mode=mode) as mcp:
        listed = (await mcp.list_resources()).resources
        toolset = next(r for r in listed if str(r.uri) == "make://toolsets/scenarios")
        tools = read_json(await mcp.read_resource("make://toolsets/scenarios"))
    assert f"make://teams/{DEMO_TEAM_ID}/scenarios" in {str(r.uri) for r in listed}
    assert toolset.icons and ">SC<" in svg_of(toolset.icons[0])
    assert "scenarios_list" in {tool["name"] for tool in tools["tools"]}


@pytest.mark.parametrize("mode", MODES)
async def test_every_prompt_renders_a_recipe_naming_our_tools(mode: str) -> None:
    make = HeldMake()
    async with task_server(make, new_manager(make), mode=mode) as mcp:
        listed = (await mcp.list_prompts()).prompts
        rendered = {
            prompt.name: await mcp.get_prompt(
                prompt.name,
                {
                    argument.name: "404" if argument.name != "goal" else "Copy new leads to a sheet"
                    for argument in prompt.arguments or []
                },
            )
            for prompt in listed
        }
        with pytest.raises(MCPError, match="needs scenarioId"):
            await mcp.get_prompt("audit_scenario", {})
    assert [p.name for p in listed] == [p.name for p in PROMPTS]
    texts = {name: result.messages[0].content.text for name, result in rendered.items()}  # pyright: ignore[reportAttributeAccessIssue]
    assert all(name in texts["build_scenario"] for name in TOOLS_OF_PROMPTS)
    assert "executions_get-detail" in texts["debug_failed_run"]
    assert "blueprints_audit" in texts["audit_scenario"]
    assert "scenarios_make-callable" in texts["scenario_to_tool"]
    assert "hooks_delete" in texts["clean_up_unused"] and "connections_delete" in texts["clean_up_unused"]


@pytest.mark.parametrize("mode", MODES)
async def test_completions_offer_the_callers_scenarios_teams_and_data_stores(mode: str) -> None:
    make = HeldMake()
    store_id = next(sid for sid, store in make.state.data_stores.items() if store["teamId"] == DEMO_TEAM_ID)
    prompt = types.PromptReference(type="ref/prompt", name="audit_scenario")
    records = types.ResourceTemplateReference(type="ref/resource", uri=TEMPLATES[4].uri)
    async with task_server(make, new_manager(make), mode=mode) as mcp:
        scenarios = await mcp.complete(prompt, {"name": "scenarioId", "value": ""})
        by_name = await mcp.complete(prompt, {"name": "scenarioId", "value": "weekly"})
        before = len(make.requests)
        again = await mcp.complete(prompt, {"name": "scenarioId", "value": "40"})
        cached_requests = len(make.requests) - before
        stores = await mcp.complete(records, {"name": "dataStoreId", "value": ""}, {"teamId": str(DEMO_TEAM_ID)})
        nothing = await mcp.complete(prompt, {"name": "goal", "value": "a"})
    assert {"404", "405"} <= set(scenarios.completion.values)
    assert by_name.completion.values == ["405"]
    assert set(again.completion.values) >= {"404", "405"} and cached_requests == 0
    assert str(store_id) in stores.completion.values
    assert nothing.completion.values == []


@pytest.mark.parametrize("mode", MODES)
async def test_the_server_announces_its_icon(mode: str) -> None:
    make = HeldMake()
    async with task_server(make, new_manager(make), mode=mode) as mcp:
        info = mcp.server_info
    assert info is not None and info.icons
    assert svg_of(info.icons[0]).startswith("<svg xmlns='http://www.w3.org/2000/svg'")


@pytest.mark.parametrize("mode", MODES)
async def test_every_listed_tool_carries_its_toolsets_icon_and_the_discovery_tools_the_servers(mode: str) -> None:
    make = HeldMake()
    async with task_server(make, new_manager(make), mode=mode, tool_mode="full", toolsets="all") as mcp:
        tools = (await mcp.list_tools()).tools
        server_icon = mcp.server_info.icons if mcp.server_info is not None else None
        toolsets = {str(r.uri): r.icons for r in (await mcp.list_resources()).resources}
    async with task_server(make, new_manager(make), mode=mode) as core:
        discovery = [tool for tool in (await core.list_tools()).tools if tool.name in DISCOVERY_TOOLS]
    assert len(tools) > 400 and len(discovery) == len(DISCOVERY_TOOLS)
    for tool in tools:
        toolset = (tool.meta or {})["make/operation"]["toolset"]
        assert tool.icons == toolsets[f"make://toolsets/{toolset}"], tool.name
        assert tool.icons is not None and f">{initials(toolset)}<" in svg_of(tool.icons[0]), tool.name
        assert len(tool.icons[0].src) < 300, tool.name  # every tool carries it: kept short
    assert all(tool.icons == server_icon for tool in discovery)


@pytest.mark.parametrize("mode", MODES)
async def test_a_result_past_the_budget_links_the_resource_that_holds_all_of_it(mode: str) -> None:
    make = HeldMake()
    async with task_server(make, new_manager(make), mode=mode, result_max_chars=1000) as mcp:
        result = await mcp.call_tool("blueprints_get", {"scenarioId": 401})
        direct = await mcp.call_tool("tools_call", {"name": "blueprints_get", "arguments": {"scenarioId": 401}})
        whole = read_json(await mcp.read_resource("make://scenarios/401/blueprint"))
    for answer in (result, direct):
        links = [block for block in answer.content if isinstance(block, types.ResourceLink)]
        assert [str(link.uri) for link in links] == ["make://scenarios/401/blueprint"]
        assert answer.structured_content is not None
        assert answer.structured_content["truncated"]["resource"] == "make://scenarios/401/blueprint"
    assert len(json.dumps(whole)) > 1000


@pytest.mark.parametrize("mode", MODES)
async def test_completions_offer_the_teams_folders_and_connections(mode: str) -> None:
    make = HeldMake()
    folder_id, folder = next(iter(make.state.folders.items()))
    team = str(folder["teamId"])
    connection_ids = {str(cid) for cid, c in make.state.connections.items() if str(c.get("teamId")) == team}
    build = types.PromptReference(type="ref/prompt", name="build_scenario")
    async with task_server(make, new_manager(make), mode=mode) as mcp:
        teams = await mcp.complete(build, {"name": "teamId", "value": ""})
        folders = await mcp.complete(build, {"name": "folderId", "value": ""}, {"teamId": team})
        connections = await mcp.complete(build, {"name": "connectionId", "value": ""}, {"teamId": team})
    assert team in teams.completion.values and str(DEMO_TEAM_ID) in teams.completion.values
    assert str(folder_id) in folders.completion.values
    assert connection_ids and connection_ids <= set(connections.completion.values)


@pytest.mark.parametrize("mode", MODES)
async def test_an_app_modules_resource_is_its_manifest_entry_with_the_apps_icon(mode: str) -> None:
    make = HeldMake()
    sheets = find_app("google-sheets")
    assert sheets is not None
    module_ref = types.ResourceTemplateReference(type="ref/resource", uri=TEMPLATES[5].uri)
    async with task_server(make, new_manager(make), mode=mode) as mcp:
        read = await mcp.read_resource("make://apps/google-sheets/2/modules/addRow")
        with pytest.raises(MCPError, match="no module named 'nothing'"):
            await mcp.read_resource("make://apps/google-sheets/2/modules/nothing")
        apps = await mcp.complete(module_ref, {"name": "appName", "value": "sla"})
        modules = await mcp.complete(
            module_ref, {"name": "moduleName", "value": ""}, {"appName": "google-sheets", "appVersion": "2"}
        )
    (contents,) = read.contents
    read_back = json.loads(contents.text)  # pyright: ignore[reportAttributeAccessIssue]
    assert read_back["app"] == {"name": "google-sheets", "label": sheets.data["label"], "version": 2}
    assert read_back["module"] == next(m for m in sheets.modules if m["name"] == "addRow")
    assert contents.meta is not None
    icon = svg_of(types.Icon.model_validate(contents.meta["icons"][0]))
    assert sheets.data["theme"] in icon and ">GS<" in icon  # the app's theme colour and initials: Make gave no icon
    assert apps.completion.values == ["slack"]
    assert set(modules.completion.values) == {m["name"] for m in sheets.modules}


async def test_the_listing_keeps_the_fixed_resources_when_make_will_not_list_the_teams_scenarios() -> None:
    make = HeldMake()
    narrow = "7ea40000-0000-4000-8000-0000000ea401"
    make.state.add_token(narrow, {"teams:read"})
    async with task_server(make, new_manager(make), token=narrow) as mcp:
        listed = {str(r.uri) for r in (await mcp.list_resources()).resources}
    async with task_server(make, new_manager(make)) as full:
        with_blueprints = {str(r.uri) for r in (await full.list_resources()).resources}
    assert f"make://teams/{DEMO_TEAM_ID}/scenarios" in listed and "make://toolsets/scenarios" in listed
    assert not any(uri.endswith("/blueprint") for uri in listed)
    assert {uri for uri in with_blueprints if uri.endswith("/blueprint")} >= {
        "make://scenarios/404/blueprint",
        "make://scenarios/405/blueprint",
    }
