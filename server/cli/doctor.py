"""`make-mcp doctor`: is the zone reachable, is the token valid, what may it do, which tools are offered and why not the others."""

from __future__ import annotations

from collections import Counter
from typing import TextIO

from make_mcp.server.engine.connect import open_make_client
from make_mcp.server.engine.internal import internal_request
from make_mcp.server.engine.scopes import discover_scopes
from make_mcp.server.engine.selection import ToolChoice
from make_mcp.server.errors import AuthenticationFailed, MakeError, MakeUnreachable
from make_mcp.server.make_api.client import MakeClient
from make_mcp.server.support.config import Settings
from make_mcp.tools.conventions import CURRENT_USER_OPERATION, TOOLSET_DESCRIPTIONS
from make_mcp.tools.registry import ALL_OPERATIONS, TOOLSETS


async def doctor(settings: Settings) -> bool:
    import sys

    async with open_make_client(settings) as client:
        return await run_doctor(settings, client, sys.stdout)


async def run_doctor(settings: Settings, client: MakeClient, out: TextIO) -> bool:
    """Writes a report; True when the server can work with this configuration."""
    choice = ToolChoice.from_settings(settings)
    where = "the built-in sandbox" if settings.sandbox else client.base_url
    out.write(f"zone: {where}\n")
    healthy = True
    try:
        me = await client.send(internal_request(CURRENT_USER_OPERATION))
        user = me.get("authUser", me.get("user", {})) if isinstance(me, dict) else {}
        name = user.get("email") or user.get("name") or "unknown user" if isinstance(user, dict) else "unknown user"
        out.write(f"zone reachable: yes\ntoken valid: yes ({name})\n")
    except MakeUnreachable as error:
        out.write(f"zone reachable: NO - {error.message()}\n")
        return False
    except AuthenticationFailed as error:
        out.write(f"zone reachable: yes\ntoken valid: NO - {error.message()}\n")
        return False
    except MakeError as error:
        out.write(f"zone reachable: yes\ntoken valid: unknown - {error.message().splitlines()[0]}\n")
        healthy = False
    granted = await discover_scopes(client)
    if granted is None:
        out.write(
            "scopes: UNKNOWN - Make did not say which scopes the token has (it may lack organizations:read); "
            "every tool is listed and Make will refuse what the token may not do\n"
        )
    else:
        out.write(f"scopes ({len(granted)}): {', '.join(sorted(granted))}\n")
    catalogue = choice.select(granted)
    out.write(f"toolsets enabled: {', '.join(sorted(choice.toolsets))}\n")
    out.write(f"mode: {settings.tool_mode}; read-only: {'yes' if settings.read_only else 'no'}\n")
    out.write(f"tools offered: {len(catalogue.operations)} of {len(ALL_OPERATIONS)}\n")
    for reason, count in Counter(catalogue.hidden.values()).most_common():
        out.write(f"  hidden {count}: {reason}\n")
    others = [toolset for toolset in TOOLSETS if toolset not in choice.toolsets]
    if others:
        out.write("toolsets not enabled (name them in MAKE_TOOLSETS / --toolsets to add them):\n")
        for toolset in others:
            out.write(f"  {toolset}: {TOOLSET_DESCRIPTIONS[toolset]}\n")
    if not catalogue.operations:
        out.write("no tool is offered: enable more toolsets or use a token with more scopes\n")
        healthy = False
    await _report_scenario_tools(settings, client, out)
    return healthy


async def _report_scenario_tools(settings: Settings, client: MakeClient, out: TextIO) -> None:
    """The scenarios offered as tools, and each one left out with why (MAKE_SCENARIO_TOOLS, MAKE_SCENARIO_FILE)."""
    from make_mcp.server.runtime import find_own_scenario_tools
    from make_mcp.server.scenario_tools.curation import CurationError

    try:
        found = await find_own_scenario_tools(settings, client)
    except CurationError as error:
        out.write(f"scenario tools: NONE - {error}\n")
        return
    out.write(f"scenario tools ({settings.scenario_tools}): {len(found.operations)}\n")
    for operation in found.operations:
        out.write(f"  {operation.name}\n")
    for line in found.report():
        out.write(f"  left out: {line}\n")
