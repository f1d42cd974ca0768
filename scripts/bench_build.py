"""Build benchmark: the calls an agent makes with make-mcp to build a three-module scenario with a router (an
on-demand start, a router, a Slack message on one route behind a filter, a data store record on the other), in
the default listing, against the in-process sandbox. Counts the calls and the tokens the model reads: the tool
listing it is given, the arguments it writes and the results it reads (cl100k_base, bpe_openai).

Beside it, the hosted Make builder's call sequence for the same task, as its tool names lay it out
(../shared/make-api/BUILDER.md): calls only, since the hosted server cannot be run here. Make's official tool
set (npm @makehq/sdk MakeTools) has no builder tools at all: it can only send a blueprint the agent wrote
unaided to scenarios_create.

    .venv/bin/python scripts/bench_build.py [--json FILE]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import mcp_types as types
from mcp import Client

from make_mcp.server.engine.confirmation import Confirmations
from make_mcp.server.engine.connect import load_catalogue, open_make_client
from make_mcp.server.protocol.app import build_server
from make_mcp.server.protocol.runner import ToolRunner
from make_mcp.server.support.config import Settings

TEAM, SLACK, STORE = 201, 902, 701
# The hosted builder's order for the same task: find the apps, list each app's modules, read each module, load
# the channel options, check each module's configuration, list the components, check the blueprint, create.
HOSTED_SEQUENCE = (
    ["apps_recommend"]
    + ["app-modules_list"] * 2  # slack, datastore (the router is built in)
    + ["app-module_get"] * 2
    + ["rpc_execute"]
    + ["validate_module_configuration"] * 2
    + ["extract_blueprint_components", "validate_blueprint_schema", "scenarios_create"]
)


@dataclass
class Figures:
    listing_tokens: int = 0
    calls: list[dict[str, Any]] = field(default_factory=list[dict[str, Any]])

    @property
    def total(self) -> int:
        return self.listing_tokens + sum(c["argumentTokens"] + c["resultTokens"] for c in self.calls)


def blueprint(channel_type: str) -> dict[str, Any]:
    urgent = {"name": "Urgent", "conditions": [[{"a": "{{var.input.urgent}}", "o": "boolean:equal", "b": "true"}]]}
    message = {
        "channelWType": "list",
        "channelType": channel_type,
        "channel": "C024BE91L",
        "text": "{{var.input.text}}",
    }
    post = {
        "id": 3,
        "module": "slack:CreateMessage",
        "version": 4,
        "parameters": {"__IMTCONN__": SLACK},
        "mapper": message,
        "filter": urgent,
    }
    keep = {
        "id": 4,
        "module": "datastore:AddRecord",
        "version": 1,
        "parameters": {"datastore": STORE},
        "mapper": {"key": "{{var.input.text}}", "data": {"name": "{{var.input.text}}", "email": "a@example.com"}},
    }
    router = {"id": 2, "module": "builtin:BasicRouter", "version": 1, "routes": [{"flow": [post]}, {"flow": [keep]}]}
    start = {"id": 1, "module": "scenario-service:StartSubscenario", "version": 2, "parameters": {}, "mapper": {}}
    return {"name": "Note or ping", "flow": [start, router], "metadata": {"version": 1}}


def agent_calls() -> list[tuple[str, dict[str, Any]]]:
    """What the agent sends, in order (tools the listing does not show are then run through tools_call)."""
    channels = {"appName": "slack", "appVersion": 4, "rpcName": "listChannels", "data": {"__IMTCONN__": SLACK}}
    inputs = [{"name": "text", "type": "text", "required": True}, {"name": "urgent", "type": "boolean"}]
    create = {
        "blueprint": blueprint("public"),
        "teamId": TEAM,
        "scheduling": {"type": "on-demand"},
        "interface": {"input": inputs},  # set with it: a tool once active
    }
    return [
        ("tools_search", {"query": "find apps and modules to build a scenario"}),
        ("apps_recommend", {"intention": "post a message in a Slack channel"}),
        ("app-modules_list", {"appName": "slack", "appVersion": 4}),
        ("app-module_get", {"appName": "slack", "appVersion": 4, "moduleName": "CreateMessage"}),
        ("app-module_get", {"appName": "datastore", "appVersion": 1, "moduleName": "AddRecord"}),
        ("rpc_execute", channels),
        ("blueprints_validate", {"blueprint": blueprint("Public channel"), "teamId": TEAM}),  # a label: one error
        ("blueprints_validate", {"blueprint": blueprint("public"), "teamId": TEAM}),
        ("scenarios_create", create),
    ]


def calls_through_the_listing(listed: set[str], described: set[str]) -> list[tuple[str, dict[str, Any]]]:
    """A tool the listing does not show is read once with tools_describe (tools_search gives no arguments),
    then run through tools_call."""
    calls: list[tuple[str, dict[str, Any]]] = []
    for name, arguments in agent_calls():
        if name in listed or name == "tools_search":
            calls.append((name, arguments))
            continue
        if name not in described:
            described.add(name)
            calls.append(("tools_describe", {"name": name}))
        calls.append(("tools_call", {"name": name, "arguments": arguments}))
    return calls


async def measure() -> Figures:
    import bpe_openai

    encoding = bpe_openai.get_encoding("cl100k_base")

    def tokens(value: Any) -> int:
        text = value if isinstance(value, str) else json.dumps(value, separators=(",", ":"), ensure_ascii=False)
        return len(encoding.encode(text))

    settings = Settings(sandbox=True, rate_limit=0, confirm_destructive=False)
    figures = Figures()
    async with open_make_client(settings) as make:
        catalogue = await load_catalogue(settings, make)
        async with Client(build_server(ToolRunner(settings, make, catalogue, Confirmations()))) as client:
            listed = (await client.list_tools()).tools
            visible = [{"name": t.name, "description": t.description, "inputSchema": t.input_schema} for t in listed]
            figures.listing_tokens = tokens(visible)
            names = {t.name for t in listed}
            described: set[str] = set()
            for name, arguments in calls_through_the_listing(names, described):
                result = await client.call_tool(name, arguments)
                text = "\n".join(b.text for b in result.content if isinstance(b, types.TextContent))
                shown = f"{name} {arguments['name']}" if name in ("tools_call", "tools_describe") else name
                figures.calls.append(
                    {
                        "tool": shown,
                        "error": bool(result.is_error),
                        "argumentTokens": tokens(arguments),
                        "resultTokens": tokens(text),
                    }
                )
    return figures


def report(figures: Figures) -> str:
    lines = [
        "| # | make-mcp call | argument tokens | result tokens |",
        "|---|---|---|---|",
        *(
            f"| {n} | {c['tool']}{' (refused)' if c['error'] else ''} | {c['argumentTokens']} | {c['resultTokens']} |"
            for n, c in enumerate(figures.calls, 1)
        ),
        "",
        f"make-mcp: {len(figures.calls)} calls; listing {figures.listing_tokens} tokens; "
        f"{figures.total} tokens read or written in all.",
        f"Hosted Make builder, same task: {len(HOSTED_SEQUENCE)} calls ({', '.join(HOSTED_SEQUENCE)}); tokens not "
        "measurable here.",
        "Make's official tool set: no builder tools (a blueprint written unaided, then scenarios_create).",
    ]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, help="also write the figures here")
    options = parser.parse_args(argv)
    figures = asyncio.run(measure())
    sys.stderr.write(report(figures) + "\n")
    if options.json is not None:
        payload = {**asdict(figures), "total": figures.total, "hosted": HOSTED_SEQUENCE}
        options.json.write_text(json.dumps(payload, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
