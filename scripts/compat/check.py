"""Does every tool of make-mcp load and convert in the agent frameworks people use, strict modes included?

    .venv-compat/bin/python scripts/compat/check.py --make-mcp .venv/bin/make-mcp [--inspector PATH]

Runs in its own virtual environment (scripts/compat/requirements.txt): these frameworks pin the MCP SDK below 2,
the project does not. It starts `make-mcp serve --sandbox` over stdio with the frameworks' own MCP client, once with
the default listing (core mode) and once with every tool (`--mode full --toolsets all`), and checks:

- langchain-mcp-adapters loads every tool, and langchain converts each to an OpenAI tool, also with strict=True;
- pydantic-ai's OpenAI strict transformer, openai-agents' `ensure_strict_json_schema`, google-genai's
  `parameters_json_schema` and `Schema.from_json_schema` (its own MCP conversion), and anthropic's MCP tool helper
  take every input schema;
- scenarios_list and hooks_list, converted to strict and called with every optional field null (what a strict
  model sends for a field it leaves out), answer what they answer when those fields are absent;
- MCP Inspector's CLI with `--strict` finds no error and no warning (skipped when --inspector is not given), and
  lists the resources, resource templates and prompts.

A framework that is not installed is reported and skipped; every other problem is listed and fails the check.
"""

from __future__ import annotations

import argparse
import asyncio
import copy
import importlib.metadata
import json
import os
import re
import subprocess
import sys
import tempfile
import warnings
from collections.abc import Callable
from typing import Any

from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client

LISTINGS = {"default": [], "full": ["--mode", "full", "--toolsets", "all"]}
# Arguments a call needs whatever else is null; teamId 201 is the sandbox's default team.
NULL_CHECKS = {"scenarios_list": {}, "hooks_list": {"teamId": 201}}

Schema = dict[str, Any]


class Report:
    def __init__(self) -> None:
        self.problems: list[str] = []
        self.skipped: list[str] = []

    def convert(self, label: str, tools: list[Any], convert: Callable[[Any], object]) -> None:
        """Runs `convert` on every tool; each exception is a problem naming the tool."""
        failures: list[str] = []
        for tool in tools:
            try:
                convert(tool)
            except Exception as error:  # any refusal counts, whatever the framework raises
                failures.append(f"{tool.name}: {type(error).__name__}: {one_line(error)}")
        print(f"{label}: {len(tools) - len(failures)} of {len(tools)} tools convert")
        self.problems += [f"{label}: {failure}" for failure in failures]


def one_line(error: object, limit: int = 240) -> str:
    return " ".join(str(error).split())[:limit]


def server_params(make_mcp: str, args: list[str], config_home: str) -> StdioServerParameters:
    env = {key: value for key, value in os.environ.items() if not key.startswith("MAKE_")}
    env["XDG_CONFIG_HOME"] = config_home  # the server's confirmation key stays out of the user's own
    return StdioServerParameters(command=make_mcp, args=["serve", "--sandbox", *args], env=env)


async def list_tools(session: ClientSession) -> list[Any]:
    tools: list[Any] = []
    cursor: str | None = None
    while True:
        page = await session.list_tools(cursor=cursor)
        tools += page.tools
        cursor = page.nextCursor
        if not cursor:
            return tools


def version(package: str) -> str:
    try:
        return f"{package} {importlib.metadata.version(package)}"
    except importlib.metadata.PackageNotFoundError:
        return f"{package} (not installed)"


def available(report: Report, package: str, module: str) -> bool:
    try:
        __import__(module)
    except ImportError as error:
        report.skipped.append(f"{package}: cannot be imported ({error}); its check is skipped")
        return False
    return True


async def check_langchain(report: Report, session: ClientSession, listing: str, tools: list[Any]) -> None:
    if not available(report, "langchain-mcp-adapters", "langchain_mcp_adapters"):
        return
    from langchain_core.utils.function_calling import convert_to_openai_tool
    from langchain_mcp_adapters.tools import load_mcp_tools

    loaded = await load_mcp_tools(session)
    if len(loaded) != len(tools):
        report.problems.append(f"langchain-mcp-adapters {listing}: loaded {len(loaded)} of {len(tools)} tools")
    report.convert(f"langchain {listing}", loaded, convert_to_openai_tool)
    report.convert(f"langchain strict {listing}", loaded, lambda tool: convert_to_openai_tool(tool, strict=True))


def pydantic_ai_strict(schema: Schema) -> Schema:
    from pydantic_ai.profiles.openai import OpenAIJsonSchemaTransformer

    return OpenAIJsonSchemaTransformer(copy.deepcopy(schema), strict=True).walk()


def openai_agents_strict(schema: Schema) -> Schema:
    from agents.strict_schema import ensure_strict_json_schema

    return ensure_strict_json_schema(copy.deepcopy(schema))


def langchain_strict(tool: Any) -> Schema:
    from langchain_core.utils.function_calling import convert_to_openai_tool

    return convert_to_openai_tool(tool, strict=True)["function"]["parameters"]


def check_google(report: Report, listing: str, tools: list[Any]) -> None:
    if not available(report, "google-genai", "google.genai"):
        return
    from google.genai import _mcp_utils, types  # pyright: ignore[reportPrivateUsage]

    def declaration(tool: Any) -> object:
        return types.FunctionDeclaration(
            name=tool.name, description=tool.description, parameters_json_schema=tool.inputSchema
        )

    def from_json_schema(tool: Any) -> object:
        return types.Schema.from_json_schema(
            json_schema=types.JSONSchema(**tool.inputSchema),
            api_option="GEMINI_API",
            raise_error_on_unsupported_field=True,
        )

    with warnings.catch_warnings():  # pydantic warns of a value Gemini's schema cannot hold (a number in an enum)
        warnings.simplefilter("error")
        report.convert(f"google-genai parameters_json_schema {listing}", tools, declaration)
        report.convert(f"google-genai Schema.from_json_schema {listing}", tools, from_json_schema)
        report.convert(f"google-genai MCP conversion {listing}", tools, _mcp_utils.mcp_to_gemini_tool)


def check_anthropic(report: Report, session: ClientSession, listing: str, tools: list[Any]) -> None:
    if not available(report, "anthropic", "anthropic"):
        return
    from anthropic.lib.tools.mcp import async_mcp_tool

    report.convert(f"anthropic {listing}", tools, lambda tool: async_mcp_tool(tool, session).to_dict())


def object_members(schema: Schema) -> list[str]:
    """The members of an object a field may be (its own or an `anyOf` branch's), else none."""
    for branch in [schema, *schema.get("anyOf", [])]:
        if branch.get("type") == "object" and branch.get("properties"):
            return list(branch["properties"])
    return []


async def check_nulls(report: Report, session: ClientSession, tools: list[Any]) -> None:
    """A strict model sends null for each field it leaves out: the answer must be the one to leaving them out."""
    import jsonschema

    by_name = {tool.name: tool for tool in tools}
    for name, given in NULL_CHECKS.items():
        tool = by_name.get(name)
        if tool is None:
            report.problems.append(f"null check: {name} is not in the default listing")
            continue
        schema = tool.inputSchema
        optional = [field for field in schema.get("properties", {}) if field not in schema.get("required", [])]
        nulls = {**given, **{field: None for field in optional if field not in given}}
        # An object left out but given (a strict model may send pg with each member null) means the same.
        members = {field: object_members(schema["properties"][field]) for field in optional if field not in given}
        nested = {**nulls, **{field: dict.fromkeys(names) for field, names in members.items() if names}}
        strict_converters: dict[str, Callable[[Schema], Schema]] = {
            "openai-agents": openai_agents_strict,
            "pydantic-ai": pydantic_ai_strict,
        }
        for converter, strict in strict_converters.items():
            for arguments in (nulls, nested):
                try:
                    jsonschema.Draft202012Validator(strict(schema)).validate(arguments)
                except Exception as error:
                    problem = (
                        f"null check {name} ({converter}): the strict schema refuses {arguments}: {one_line(error)}"
                    )
                    report.problems.append(problem)
        absent = await session.call_tool(name, given)
        for arguments in (nulls, nested):
            null = await session.call_tool(name, arguments)
            if absent.isError or null.isError or absent.structuredContent != null.structuredContent:
                shown = [one_line(block.text) for block in null.content if getattr(block, "text", None)]
                report.problems.append(
                    f"null check {name} {arguments}: the answer differs from leaving them out: {shown}"
                )
        print(f"null check {name}: {len(optional)} optional fields null (also inside objects), answers compared")


async def check_listing(report: Report, make_mcp: str, listing: str, config_home: str) -> None:
    params = server_params(make_mcp, LISTINGS[listing], config_home)
    async with stdio_client(params) as (read, write), ClientSession(read, write) as session:
        await session.initialize()
        tools = await list_tools(session)
        print(f"{listing} listing: {len(tools)} tools")
        await check_langchain(report, session, listing, tools)
        if available(report, "pydantic-ai-slim", "pydantic_ai"):
            report.convert(
                f"pydantic-ai OpenAI strict {listing}", tools, lambda tool: pydantic_ai_strict(tool.inputSchema)
            )
        if available(report, "openai-agents", "agents"):
            report.convert(
                f"openai-agents ensure_strict_json_schema {listing}",
                tools,
                lambda tool: openai_agents_strict(tool.inputSchema),
            )
        check_google(report, listing, tools)
        check_anthropic(report, session, listing, tools)
        if listing == "default":
            await check_nulls(report, session, tools)


FINDINGS = re.compile(r"(\d+) errors?, (\d+) warnings?")


def check_inspector(report: Report, inspector: str, make_mcp: str, config_home: str) -> None:
    for listing, args in LISTINGS.items():
        env = {key: value for key, value in os.environ.items() if not key.startswith("MAKE_")}
        env["XDG_CONFIG_HOME"] = config_home
        command = ["node", inspector, "--cli", "--method", "tools/list", "--strict", make_mcp, "serve", "--sandbox"]
        done = subprocess.run([*command, *args], capture_output=True, text=True, env=env, timeout=120, check=False)
        found = FINDINGS.findall(done.stderr)
        errors, warnings = (int(found[-1][0]), int(found[-1][1])) if found else (0, 0)
        if done.returncode != 0 or errors or warnings:
            detail = "\n".join(
                line for line in done.stderr.splitlines() if line.startswith(("Warning", "Error", "  Path"))
            )
            report.problems.append(
                f"MCP Inspector --strict {listing}: exit {done.returncode}, {errors} errors, {warnings} warnings\n{detail}"
            )
        else:
            tools = len(json.loads(done.stdout)["tools"])
            print(f"MCP Inspector --strict {listing}: {tools} tools, 0 errors, 0 warnings")
    check_inspector_lists(report, inspector, make_mcp, config_home)


# What the Inspector lists besides tools, and the key of each answer's list (its --strict checks tools/list only).
OTHER_LISTS = {
    "resources/list": "resources",
    "resources/templates/list": "resourceTemplates",
    "prompts/list": "prompts",
}


def check_inspector_lists(report: Report, inspector: str, make_mcp: str, config_home: str) -> None:
    env = {key: value for key, value in os.environ.items() if not key.startswith("MAKE_")}
    env["XDG_CONFIG_HOME"] = config_home
    for method, key in OTHER_LISTS.items():
        command = ["node", inspector, "--cli", "--method", method, make_mcp, "serve", "--sandbox"]
        done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120, check=False)
        try:
            listed = json.loads(done.stdout)[key]
        except (ValueError, KeyError):
            listed = None
        if done.returncode != 0 or not listed:
            report.problems.append(
                f"MCP Inspector {method}: exit {done.returncode}, nothing listed\n{done.stderr[-500:]}"
            )
        else:
            print(f"MCP Inspector {method}: {len(listed)} listed")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--make-mcp", required=True, help="the make-mcp command of the project's environment")
    parser.add_argument("--inspector", help="the MCP Inspector launcher (clients/launcher/build/index.js)")
    args = parser.parse_args()
    print(
        "compat check with "
        + ", ".join(
            version(package)
            for package in (
                "mcp",
                "langchain-mcp-adapters",
                "pydantic-ai-slim",
                "openai-agents",
                "google-genai",
                "anthropic",
            )
        )
    )
    report = Report()
    with tempfile.TemporaryDirectory() as config_home:
        for listing in LISTINGS:
            asyncio.run(check_listing(report, args.make_mcp, listing, config_home))
        if args.inspector:
            check_inspector(report, args.inspector, args.make_mcp, config_home)
        else:
            report.skipped.append("MCP Inspector: not installed (no --inspector); its check is skipped")
    for skipped in dict.fromkeys(report.skipped):
        print(f"SKIPPED {skipped}")
    for problem in report.problems:
        print(f"PROBLEM {problem}")
    print(f"compat check: {len(report.problems)} problems, {len(dict.fromkeys(report.skipped))} frameworks skipped")
    return 1 if report.problems else 0


if __name__ == "__main__":
    sys.exit(main())
