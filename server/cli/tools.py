"""`make-mcp tools`: what serving this configuration would list, without serving it."""

from __future__ import annotations

from make_mcp.server.engine.connect import open_make_client
from make_mcp.server.engine.scopes import discover_scopes
from make_mcp.server.engine.selection import ToolChoice
from make_mcp.server.runtime import find_own_scenario_tools
from make_mcp.server.support.config import Settings


async def print_tools(settings: Settings, as_json: bool) -> None:
    """Writes what serving this configuration would list to stdout (a command of its own, not the MCP server):
    with `as_json` the tools/list payload itself, else a line per listed tool and what tools_call reaches besides."""
    import sys

    from make_mcp.server.engine.discovery import CALL_TOOL
    from make_mcp.server.protocol.listing import listing

    async with open_make_client(settings) as client:
        scenario_tools = await find_own_scenario_tools(settings, client)
        choice = ToolChoice.from_settings(settings)
        catalogue = choice.select(await discover_scopes(client), extra=scenario_tools.operations)
    listed = listing(catalogue, mode=settings.tool_mode, confirm=settings.confirm_destructive)
    if as_json:
        sys.stdout.write(listed.model_dump_json(by_alias=True, exclude_none=True) + "\n")
        return
    for tool in listed.tools:
        op = catalogue.by_name.get(tool.name)
        if op is None:  # a discovery tool
            sys.stdout.write(f"{tool.name:48} {'discovery':24} {'any' if tool.name == CALL_TOOL else 'read':5}\n")
            continue
        sys.stdout.write(
            f"{op.name:48} {op.toolset:24} {'read' if op.read_only else 'write':5} {op.method} {op.path}\n"
        )
    names = {tool.name for tool in listed.tools}
    reached = sum(1 for op in catalogue.operations if op.name not in names)
    more = f"; tools_call reaches {reached} more" if reached else ""
    for line in scenario_tools.report():
        sys.stdout.write(f"left out: {line}\n")
    sys.stdout.write(f"{len(listed.tools)} tools listed in {settings.tool_mode} mode{more}\n")
