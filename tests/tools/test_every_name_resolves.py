"""Every tool name written anywhere outside a tool's own record resolves to a tool of the catalogue, and the facts
kept on the records hold together."""

from __future__ import annotations

import json
from pathlib import Path

from make_mcp.server.engine.discovery import DISCOVERY_TOOLS
from make_mcp.tools import conventions
from make_mcp.tools.conventions import DEFAULT_TOOLSETS
from make_mcp.tools.overlays import OVERLAYS
from make_mcp.tools.registry import ALL_OPERATIONS

ROOT = Path(__file__).resolve().parents[2]
NAMES = frozenset(op.name for op in ALL_OPERATIONS)


def named_tools() -> dict[str, list[str]]:
    """Where each tool name is written outside its record: the name -> the places."""
    mapping = json.loads((ROOT / "tools" / "spec" / "official-mapping.json").read_text(encoding="utf-8"))
    places: dict[str, list[str]] = {}
    sources = {
        "tools/conventions.py operations of its own": (
            conventions.SCOPES_OPERATION,
            conventions.CURRENT_USER_OPERATION,
            conventions.ORGANIZATIONS_OPERATION,
            conventions.ORGANIZATION_OPERATION,
        ),
        "tools/overlays/": tuple(overlay.name for overlay in OVERLAYS),
        "official-mapping.json ownTools": tuple(mapping["ownTools"]),
        "official-mapping.json tools[].ours": tuple(tool["ours"] for tool in mapping["tools"] if tool.get("ours")),
    }
    for where, names in sources.items():
        for name in names:
            places.setdefault(name, []).append(where)
    return places


def test_every_tool_name_written_anywhere_is_a_tool_of_the_catalogue() -> None:
    unknown = {name: where for name, where in named_tools().items() if name not in NAMES}
    assert unknown == {}, f"names that are no tool: {unknown}"


def test_the_catalogue_and_discovery_never_share_a_name() -> None:
    assert NAMES.isdisjoint(DISCOVERY_TOOLS)


def test_only_writes_of_scenarios_say_they_change_the_caller_s_scenarios() -> None:
    changing = {op.name for op in ALL_OPERATIONS if op.changes_scenarios}
    assert {"scenarios_create", "scenarios_update", "scenarios_delete", "scenarios_make-callable"} <= changing
    assert all(op.toolset == "scenarios" and not op.read_only for op in ALL_OPERATIONS if op.changes_scenarios)


def test_the_core_listing_s_places_are_unique_and_its_tools_of_the_default_toolsets() -> None:
    ranked = [op for op in ALL_OPERATIONS if op.core_rank is not None]
    ranks = [op.core_rank for op in ranked]
    assert len(set(ranks)) == len(ranks), "core_rank: each place once"
    assert {op.toolset for op in ranked} <= set(DEFAULT_TOOLSETS)


def test_a_list_tool_has_default_fields_of_one_kind_only() -> None:
    both = [op.name for op in ALL_OPERATIONS if op.default_cols and op.trimmed_fields is not None]
    assert both == []
