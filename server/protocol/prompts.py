"""Prompts: short recipes for everyday jobs, each naming the tools of this server that do the work, in order.

A prompt only tells the agent what to do; every step is an ordinary tool call (a destructive one still asks the
user). The builder tools (app-modules_list, app-module_get, rpc_execute, blueprints_validate, blueprints_audit)
are named as Make's hosted builder names them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import mcp_types as types

from make_mcp.server.protocol.icons import server_icons


@dataclass(frozen=True)
class Argument:
    name: str
    description: str
    required: bool = True


@dataclass(frozen=True)
class Recipe:
    name: str
    title: str
    description: str
    arguments: tuple[Argument, ...]
    text: Callable[[Mapping[str, str]], str]

    def definition(self) -> types.Prompt:
        return types.Prompt(
            name=self.name,
            title=self.title,
            description=self.description,
            arguments=[
                types.PromptArgument(name=a.name, description=a.description, required=a.required)
                for a in self.arguments
            ],
            icons=server_icons(),
        )


def _team(values: Mapping[str, str]) -> str:
    team = values.get("teamId")
    return f"team {team}" if team else "the default team (teams_list shows the teams)"


def _build(values: Mapping[str, str]) -> str:
    folder = f" in folder {values['folderId']}" if values.get("folderId") else ""
    connection = (
        f" Use connection {values['connectionId']} where a module needs one." if values.get("connectionId") else ""
    )
    return (
        f"Build a Make scenario in {_team(values)}{folder} that does this: {values['goal']}{connection}\n\n"
        "1. Find the apps and modules: app-modules_list for each app you need (its name and version), then "
        "app-module_get for each module you will use, to read its fields (parameters, mapper) and outputs.\n"
        "2. Where a field's options come from the account (a spreadsheet, a channel), load them with rpc_execute "
        "and the user's connection (connections_list shows the team's connections).\n"
        "3. Write the blueprint: modules in order, each mapping only outputs of modules before it.\n"
        "4. Check it: blueprints_validate, then blueprints_audit; fix every finding they name.\n"
        "5. Show the user what the scenario will do, then create it with scenarios_create "
        "(inactive; activate it with scenarios_activate once they agree)."
    )


def _debug(values: Mapping[str, str]) -> str:
    scenario = values["scenarioId"]
    execution = values.get("executionId")
    which = (
        f"the run {execution} (resource make://scenarios/{scenario}/executions/{execution})"
        if execution
        else f"its last failed run (executions_list with scenarioId={scenario} lists the runs, newest first)"
    )
    return (
        f"Find out why scenario {scenario} failed, and fix it with the user.\n\n"
        f"1. Read {which} with executions_get-detail: its error names the failing module and Make's message.\n"
        f"2. Read the blueprint (blueprints_get, or resource make://scenarios/{scenario}/blueprint) and look at "
        "that module's fields and what it maps from earlier modules.\n"
        "3. Say what went wrong in one or two sentences, and propose the smallest change that fixes it.\n"
        "4. With the user's agreement, check the changed blueprint (blueprints_validate) and save it with "
        "scenarios_update; run it again (scenarios_run) if they want to see it work."
    )


def _audit(values: Mapping[str, str]) -> str:
    scenario = values["scenarioId"]
    return (
        f"Audit scenario {scenario} and report what should change.\n\n"
        f"1. Read its blueprint (blueprints_get, or resource make://scenarios/{scenario}/blueprint).\n"
        "2. Run blueprints_audit over it, and blueprints_validate for the fields of each module.\n"
        f"3. Look at its recent runs (executions_list with scenarioId={scenario}): errors, warnings, operations used.\n"
        "4. Report the findings by importance (failures first, then waste, then style), each with the module it "
        "concerns and the fix. Change nothing without the user's agreement."
    )


def _to_tool(values: Mapping[str, str]) -> str:
    scenario = values["scenarioId"]
    return (
        f"Make scenario {scenario} callable as a tool of this server.\n\n"
        f"1. Read what it does (blueprints_get) and its current inputs and outputs (scenarios_interface).\n"
        "2. Propose an interface to the user: the inputs a caller gives (name, type, required) and the outputs "
        "the scenario returns; it must end with a module that returns those outputs.\n"
        "3. Once they agree, set on-demand scheduling and the interface in one call: scenarios_make-callable.\n"
        "4. Activate it (scenarios_activate). It then appears as a tool of its own on this server "
        "(tools/list changes), typed from the interface."
    )


def _cleanup(values: Mapping[str, str]) -> str:
    return (
        f"Find the webhooks and connections of {_team(values)} that no scenario uses, and remove them with the "
        "user.\n\n"
        "1. List the webhooks (hooks_list) and connections (connections_list) of the team.\n"
        "2. List the team's scenarios (scenarios_list) and read each blueprint (blueprints_get): a webhook is used "
        "when a module's parameters name its id as `hook`, a connection when they name it as `__IMTCONN__`.\n"
        "3. Show the user the unused ones, with names and when they were created; keep any they want.\n"
        "4. Delete only what they confirm, one by one: hooks_delete, connections_delete (each asks for consent)."
    )


PROMPTS: tuple[Recipe, ...] = (
    Recipe(
        "build_scenario",
        "Build a scenario",
        "Build a Make scenario from a goal: find modules, read their fields, write, check and create the blueprint.",
        (
            Argument("goal", "What the scenario should do."),
            Argument("teamId", "The team to build it in.", False),
            Argument("folderId", "The folder to put it in.", False),
            Argument("connectionId", "A connection its modules should use.", False),
        ),
        _build,
    ),
    Recipe(
        "debug_failed_run",
        "Debug a failed run",
        "Find why a scenario run failed and propose the smallest fix.",
        (
            Argument("scenarioId", "The scenario that failed."),
            Argument("executionId", "The failed run (left out: the last failed one).", False),
        ),
        _debug,
    ),
    Recipe(
        "audit_scenario",
        "Audit a scenario",
        "Check a scenario's blueprint and recent runs, and report what should change.",
        (Argument("scenarioId", "The scenario to audit."),),
        _audit,
    ),
    Recipe(
        "scenario_to_tool",
        "Turn a scenario into a tool",
        "Give a scenario on-demand scheduling and an interface, so it becomes a typed tool of this server.",
        (Argument("scenarioId", "The scenario to make callable."),),
        _to_tool,
    ),
    Recipe(
        "clean_up_unused",
        "Clean up unused webhooks and connections",
        "Find the team's webhooks and connections no scenario uses, and delete those the user confirms.",
        (Argument("teamId", "The team to clean up.", False),),
        _cleanup,
    ),
)
PROMPTS_BY_NAME = {recipe.name: recipe for recipe in PROMPTS}


class PromptUnavailable(Exception):
    """An unknown prompt or a required argument left out; the message says which."""


def render(name: str, arguments: Mapping[str, str] | None) -> types.GetPromptResult:
    recipe = PROMPTS_BY_NAME.get(name)
    if recipe is None:
        raise PromptUnavailable(f"No prompt named {name!r}; prompts/list gives the prompts.")
    values = {key: value.strip() for key, value in (arguments or {}).items() if value and value.strip()}
    missing = [a.name for a in recipe.arguments if a.required and a.name not in values]
    if missing:
        raise PromptUnavailable(f"The prompt {name} needs {', '.join(missing)}.")
    text = recipe.text(values)
    message = types.PromptMessage(role="user", content=types.TextContent(type="text", text=text))
    return types.GetPromptResult(description=recipe.description, messages=[message])
