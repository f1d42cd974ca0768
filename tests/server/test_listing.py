"""tools/list per mode: the default (core) listing fits the strictest client and reaches every other tool."""

from __future__ import annotations

import json
from collections.abc import Sequence

import bpe_openai
import httpx2
import mcp_types as types
import pytest

from make_mcp.server.engine.call import CallContext, Caller
from make_mcp.server.engine.confirmation import Confirmations
from make_mcp.server.engine.discovery import CALL_TOOL, DESCRIBE_TOOL, DISCOVERY_TOOLS, SEARCH_TOOL, ToolIndex
from make_mcp.server.engine.pipeline import resolve
from make_mcp.server.engine.selection import Catalogue, ToolChoice, selected_toolsets
from make_mcp.server.errors import ToolNotAvailable
from make_mcp.server.make_api.client import MakeClient
from make_mcp.server.protocol.listing import listing
from make_mcp.server.scenario_tools.discovery import Discovery, FoundScenario
from make_mcp.server.scenario_tools.tools import build_scenario_tools
from make_mcp.server.support.config import Settings
from make_mcp.tools.catalogue import Operation
from make_mcp.tools.conventions import CORE_MAX_TOOLS, DEFAULT_TOOLSETS
from make_mcp.tools.registry import ALL_OPERATIONS, CORE_TOOLS

ENCODING = bpe_openai.get_encoding("cl100k_base")
MAX_TOKENS = 6_000
# The everyday work the default listing must cover, as the issue names it.
EVERYDAY = (
    "scenarios_list",
    "scenarios_get",
    "scenarios_run",
    "scenarios_activate",
    "scenarios_deactivate",
    "scenarios_create",
    "scenarios_update",
    "blueprints_get",
    "executions_list",
    "executions_get",
    "incomplete-executions_list",
    "incomplete-executions_get",
    "incomplete-executions_retry",
    "data-stores_list",
    "data-store-records_list",
    "data-store-records_create",
    "hooks_list",
    "hooks_get",
    "connections_list",
    "teams_list",
    "organizations_list",
    "users_me",
)
BY_NAME = {op.name: op for op in ALL_OPERATIONS}


LARGE_INPUTS = [
    {"name": f"field_{number}", "type": "text", "help": "A field the scenario maps into the CRM record it updates."}
    for number in range(25)
]


def scenario_tools(count: int, *, large: bool = False) -> tuple[Operation, ...]:
    """`count` scenario tools of a realistic size (three inputs, two outputs), or each with 25 described inputs."""
    found = tuple(
        FoundScenario(
            scenario_id=1000 + number,
            name=f"Enrich lead {number}",
            description="Looks a lead up in the CRM and scores it.",
            team_id=201,
            organization_id=101,
            inputs=LARGE_INPUTS
            if large
            else [
                {"name": "email", "type": "email", "required": True},
                {"name": "company", "type": "text"},
                {"name": "source", "type": "select", "options": [{"value": "web"}, {"value": "event"}]},
            ],
            outputs=[{"name": "score", "type": "integer"}, {"name": "owner", "type": "text"}],
        )
        for number in range(count)
    )
    return build_scenario_tools(Discovery(found=found), taken_names=list(BY_NAME)).operations


def catalogue(toolsets: str = "default", *, own: int = 0, large: bool = False, read_only: bool = False) -> Catalogue:
    return ToolChoice(selected_toolsets(toolsets), read_only).select(None, extra=scenario_tools(own, large=large))


def visible_tokens(tools: Sequence[types.Tool]) -> int:
    """Model-visible cl100k tokens, as scripts/bench.py counts them: compact JSON of name, description, inputSchema."""
    dumped = [tool.model_dump(by_alias=True, exclude_none=True, mode="json") for tool in tools]
    visible = [{key: tool[key] for key in ("name", "description", "inputSchema") if key in tool} for tool in dumped]
    return len(ENCODING.encode(json.dumps(visible, separators=(",", ":"), ensure_ascii=False)))


def names(result: types.ListToolsResult) -> list[str]:
    return [tool.name for tool in result.tools]


@pytest.mark.parametrize("toolsets", ["default", "all"])
@pytest.mark.parametrize(("own", "large"), [(0, False), (4, False), (60, False), (4, True), (60, True)])
def test_the_default_listing_holds_at_most_40_tools_within_6000_tokens_whatever_the_account_holds(
    toolsets: str, own: int, large: bool
) -> None:
    listed = listing(catalogue(toolsets, own=own, large=large), mode="core", confirm=True)
    assert len(listed.tools) <= CORE_MAX_TOOLS
    assert visible_tokens(listed.tools) <= MAX_TOKENS
    assert {"scenarios_list", "hooks_list", *DISCOVERY_TOOLS} <= set(names(listed))


def test_the_default_listing_is_the_scenario_tools_then_the_everyday_tools_by_importance_then_discovery() -> None:
    chosen = catalogue(own=4)
    listed = names(listing(chosen, mode="core", confirm=True))
    own = [op.name for op in chosen.own]
    assert listed == [*own, *CORE_TOOLS, SEARCH_TOOL, DESCRIBE_TOOL, CALL_TOOL]
    assert set(EVERYDAY) <= set(CORE_TOOLS)


def test_scenario_tools_beyond_what_fits_are_left_to_tools_search_in_their_order() -> None:
    chosen = catalogue(own=60)
    listed = names(listing(chosen, mode="core", confirm=True))
    own = [op.name for op in chosen.own]
    listed_own = [name for name in listed if name in own]
    assert 0 < len(listed_own) < len(own)
    assert listed_own == own[: len(listed_own)]  # the first ones, in the order the caller's tools come
    assert listed[len(listed_own) :] == [*CORE_TOOLS, SEARCH_TOOL, DESCRIBE_TOOL, CALL_TOOL]
    index = ToolIndex(chosen.operations)
    assert own[-1] in [hit["name"] for hit in index.search("enrich lead 59", None, 5)]


def test_the_everyday_tools_are_the_default_toolsets_and_only_those_the_selection_holds_are_listed() -> None:
    assert len(set(CORE_TOOLS)) == len(CORE_TOOLS)
    assert {BY_NAME[name].toolset for name in CORE_TOOLS} <= set(DEFAULT_TOOLSETS)
    read_only = names(listing(catalogue(read_only=True), mode="core", confirm=True))
    assert "scenarios_list" in read_only and "scenarios_run" not in read_only and "scenarios_create" not in read_only
    only_hooks = names(listing(catalogue("hooks"), mode="core", confirm=True))
    assert only_hooks == ["hooks_list", "hooks_get", *DISCOVERY_TOOLS]


def test_full_lists_every_tool_by_importance_and_discovery_only_the_caller_s_own_and_the_three() -> None:
    chosen = catalogue(own=3)
    own = [op.name for op in chosen.own]
    full = names(listing(chosen, mode="full", confirm=True))
    assert sorted(full) == sorted(op.name for op in chosen.operations)
    assert full[: len(own) + len(CORE_TOOLS)] == [*own, *CORE_TOOLS]
    rest = [op.name for op in chosen.operations if op.name not in {*own, *CORE_TOOLS}]
    assert full[len(own) + len(CORE_TOOLS) :] == rest  # the others in the catalogue's order
    assert names(listing(chosen, mode="discovery", confirm=True)) == [*own, *DISCOVERY_TOOLS]


def call_context(chosen: Catalogue, mode: str) -> CallContext:
    settings = Settings(api_key="11111111-2222-4333-8444-555555555555", tool_mode=mode)  # pyright: ignore[reportArgumentType]
    refuse = httpx2.MockTransport(lambda request: httpx2.Response(500))
    client = MakeClient("https://eu1.make.com/api/v2", authorization="Token x", transport=refuse)
    caller = Caller(None, Confirmations())
    index = ToolIndex(chosen.operations)
    return CallContext(settings, client, chosen, index, caller, client.call_budget(), lambda operation: {})


@pytest.mark.parametrize("toolsets", ["default", "all"])
def test_in_the_default_mode_tools_call_reaches_every_selected_tool_that_is_not_listed(toolsets: str) -> None:
    chosen = catalogue(toolsets, own=60)
    listed = set(names(listing(chosen, mode="core", confirm=True)))
    call = call_context(chosen, "core")
    unlisted = [op for op in chosen.operations if op.name not in listed]
    assert len(unlisted) > 100 if toolsets == "all" else len(unlisted) > 50
    for op in unlisted:
        resolved = resolve(call, CALL_TOOL, {"name": op.name, "arguments": {"x": 1}})
        assert resolved == (op, {"x": 1})


def test_the_discovery_tools_are_no_tools_in_full_mode_and_hidden_tools_stay_out_of_reach() -> None:
    chosen = catalogue()
    with pytest.raises(ToolNotAvailable, match="no tool named 'tools_call'"):
        resolve(call_context(chosen, "full"), CALL_TOOL, {"name": "scenarios_list", "arguments": {}})
    with pytest.raises(ToolNotAvailable, match="toolset 'templates' is not enabled"):
        resolve(call_context(chosen, "core"), CALL_TOOL, {"name": "templates_list", "arguments": {}})
