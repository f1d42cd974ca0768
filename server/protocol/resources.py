"""Resources: what a person or an agent may read by address, in both protocol eras.

Each template reads through one request of the catalogue (its operation: validation, the caller's scopes and
credential as a tool call has them) and holds Make's answer, made lean as a tool's result is but never cut to the
result budget: a tool result past that budget links here instead. App module manifests come from the app's
manifest (GET /imt/apps/{appName}/{appVersion}), with the app's icon.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import mcp_types as types
from mcp.shared.uri_template import UriTemplate

from make_mcp.server.engine.call import Caller
from make_mcp.server.engine.internal import declared
from make_mcp.server.engine.operations import build_request, fill_path, validate_arguments
from make_mcp.server.engine.pipeline import check_scopes, with_defaults
from make_mcp.server.engine.shaping import lean
from make_mcp.server.errors import MakeMcpError
from make_mcp.server.make_api.client import MakeRequest
from make_mcp.server.protocol.icons import app_icons, theme_icons, toolset_icons
from make_mcp.tools.catalogue import Operation, Step

if TYPE_CHECKING:
    from make_mcp.server.protocol.runner import ToolRunner

log = logging.getLogger("make_mcp.resources")

JSON = "application/json"
PAGE_SIZE = 100
APP_MANIFEST = Step("GET", "/imt/apps/{appName}/{appVersion}", ())
MODULE_SECTIONS = ("triggers", "actions", "searches")


class ResourceUnavailable(Exception):
    """An address no template serves, or one Make refused; the message says which and why."""


def _ints(*names: str) -> Callable[[Mapping[str, Any]], dict[str, Any]]:
    def arguments(found: Mapping[str, Any]) -> dict[str, Any]:
        return {name: (int(value) if name in names else value) for name, value in found.items()}

    return arguments


def _records_page(found: Mapping[str, Any]) -> dict[str, Any]:
    offset = int(found.get("offset") or 0)
    return {"dataStoreId": int(found["dataStoreId"]), "pg": {"offset": offset, "limit": PAGE_SIZE}}


@dataclass(frozen=True)
class Template:
    """One kind of resource: its address template and the tool whose request reads it (None: read here)."""

    uri: str
    name: str
    title: str
    description: str
    operation: str | None
    arguments: Callable[[Mapping[str, Any]], dict[str, Any]] = field(default=_ints())

    @property
    def parsed(self) -> UriTemplate:
        return UriTemplate.parse(self.uri)

    def definition(self) -> types.ResourceTemplate:
        return types.ResourceTemplate(
            uri_template=self.uri, name=self.name, title=self.title, description=self.description, mime_type=JSON
        )

    def link(self, values: Mapping[str, Any], description: str | None = None) -> types.ResourceLink:
        uri = self.parsed.expand({key: str(value) for key, value in values.items()})
        return types.ResourceLink(
            type="resource_link", uri=uri, name=self.name, title=self.title, description=description, mime_type=JSON
        )


TEMPLATES: tuple[Template, ...] = (
    Template(
        "make://teams/{teamId}/scenarios",
        "team-scenarios",
        "A team's scenarios",
        "The scenarios of a team: id, name, scheduling, whether active.",
        "scenarios_list",
        _ints("teamId"),
    ),
    Template(
        "make://scenarios/{scenarioId}/blueprint",
        "scenario-blueprint",
        "Scenario blueprint",
        "A scenario's blueprint: its modules in order, their fields and its settings.",
        "blueprints_get",
        _ints("scenarioId"),
    ),
    Template(
        "make://scenarios/{scenarioId}/executions/{executionId}",
        "execution-detail",
        "Execution detail",
        "One run's outcome: status, outputs, and on failure the error and the failing module.",
        "executions_get-detail",
        _ints("scenarioId"),
    ),
    Template(
        "make://scenarios/{scenarioId}/executions/{executionId}/log",
        "execution-log",
        "Execution log",
        "One run's log: status, duration, operations and data transfer used.",
        "executions_get",
        _ints("scenarioId"),
    ),
    Template(
        "make://data-stores/{dataStoreId}/records{?offset}",
        "data-store-records",
        "Data store records",
        f"A page of {PAGE_SIZE} records of a data store, from `offset` (0 when left out).",
        "data-store-records_list",
        _records_page,
    ),
    Template(
        "make://apps/{appName}/{appVersion}/modules/{moduleName}",
        "app-module",
        "App module manifest",
        "One module of an app: its type, the fields of its parameters and mapper, its outputs, the connection "
        "it needs.",
        None,
    ),
)
TEMPLATES_BY_NAME = {template.name: template for template in TEMPLATES}
TOOLSETS_URI = "make://toolsets/"  # + a toolset's name: the tools it holds here


def template_for(operation_name: str) -> Template | None:
    return next((t for t in TEMPLATES if t.operation == operation_name), None)


def execution_uris(scenario_id: int, execution_id: str) -> list[str]:
    """The resources of one run, which change when it ends."""
    values = {"scenarioId": scenario_id, "executionId": execution_id}
    return [TEMPLATES_BY_NAME[name].link(values).uri for name in ("execution-detail", "execution-log")]


def link_past_budget(result: types.CallToolResult, name: str, arguments: Mapping[str, Any]) -> types.CallToolResult:
    """A result cut to the result budget links the resource holding all of it, when one does."""
    structured = result.structured_content
    template = template_for(name)
    if template is None or not isinstance(structured, dict) or not isinstance(structured.get("truncated"), dict):
        return result
    names = template.parsed.variable_names
    values = {key: arguments[key] for key in names if arguments.get(key) is not None}
    if not all(variable in values for variable in names if variable not in template.parsed.query_variable_names):
        return result
    link = template.link(values, "The whole answer, which this result shows only in part.")
    structured = {**structured, "truncated": {**structured["truncated"], "resource": link.uri}}
    text = types.TextContent(type="text", text=json.dumps(structured, separators=(",", ":"), ensure_ascii=False))
    return result.model_copy(update={"structured_content": structured, "content": [text, link]})


async def listed_resources(runner: ToolRunner, caller: Caller) -> list[types.Resource]:
    """The default team's scenarios (MAKE_TEAM) and each one's blueprint, and each toolset's tools with its icon."""
    resources: list[types.Resource] = []
    team = runner.settings.team
    if team is not None:
        link = TEMPLATES_BY_NAME["team-scenarios"].link({"teamId": team})
        resources.append(
            types.Resource(uri=link.uri, name=link.name, title=f"Scenarios of team {team}", mime_type=JSON)
        )
        resources.extend(await _blueprints(runner, caller, team))
    toolsets = sorted({op.toolset for op in runner.catalogue.operations})
    resources.extend(
        types.Resource(
            uri=TOOLSETS_URI + toolset,
            name=f"toolset-{toolset}",
            title=f"Toolset {toolset}",
            description=f"The tools of the {toolset} toolset on this server.",
            mime_type=JSON,
            icons=toolset_icons(toolset),
        )
        for toolset in toolsets
    )
    return resources


async def _blueprints(runner: ToolRunner, caller: Caller, team: int) -> list[types.Resource]:
    """The blueprint of each scenario of Make's first page of the team's; none when Make will not list them."""
    try:
        body = await read_operation(runner, caller, "scenarios_list", {"teamId": team, "cols": ["id", "name"]})
    except MakeMcpError as error:
        log.info("resources/list without the team's blueprints: %s", error.message())
        return []
    template = TEMPLATES_BY_NAME["scenario-blueprint"]
    scenarios = body.get("scenarios") if isinstance(body, Mapping) else None
    return [
        types.Resource(
            uri=template.link({"scenarioId": scenario["id"]}).uri,
            name=template.name,
            title=f"Blueprint of {scenario.get('name') or scenario['id']}",
            mime_type=JSON,
        )
        for scenario in scenarios or []
        if isinstance(scenario, Mapping) and isinstance(scenario.get("id"), int)
    ]


def served(uri: str) -> bool:
    """Whether `uri` is an address this server reads (a template's or a toolset's); Make is not asked."""
    return uri.startswith(TOOLSETS_URI) or any(template.parsed.match(uri) is not None for template in TEMPLATES)


@dataclass(frozen=True)
class Changes:
    """The caller's resources one of their calls changed: these addresses, and maybe the list of resources."""

    uris: tuple[str, ...] = ()
    listed: bool = False  # a scenario was added or removed: resources/list (the team's blueprints) changed


def changed_by(operation: Operation, scenario_id: int | None, team: int | None) -> Changes:
    """What a successful call of a tool that changes scenarios changed: the team's scenarios, the scenario's
    blueprint (an update, an interface, a deletion) and, when a scenario came or went, the resource list."""
    adds = operation.method == "POST" and operation.path in ("/scenarios", "/scenarios/{scenarioId}/clone")
    removes = operation.method == "DELETE"
    uris: list[str] = []
    if team is not None:
        uris.append(TEMPLATES_BY_NAME["team-scenarios"].link({"teamId": team}).uri)
    if scenario_id is not None and operation.method in ("PATCH", "DELETE"):
        uris.append(TEMPLATES_BY_NAME["scenario-blueprint"].link({"scenarioId": scenario_id}).uri)
    return Changes(tuple(uris), listed=adds or removes)


async def read(runner: ToolRunner, caller: Caller, uri: str) -> types.ReadResourceResult:
    """The resource at `uri`, read with the caller's credential; ResourceUnavailable when it cannot be."""
    if uri.startswith(TOOLSETS_URI):
        return _contents(uri, _toolset(runner, uri.removeprefix(TOOLSETS_URI)))
    for template in TEMPLATES:
        found = template.parsed.match(uri)
        if found is None:
            continue
        try:
            if template.operation is None:
                manifest, icons = await _app_module(runner, caller, found)
                return _contents(uri, manifest, icons)
            assert template.operation is not None
            body = await read_operation(runner, caller, template.operation, template.arguments(found))
            return _contents(uri, body)
        except MakeMcpError as error:
            raise ResourceUnavailable(error.message()) from None
        except (ValueError, TypeError):
            raise ResourceUnavailable(f"{uri} is not an address of {template.title.lower()}: check its IDs.") from None
    raise ResourceUnavailable(f"No resource at {uri}; resources/templates/list gives the addresses served.")


async def read_operation(runner: ToolRunner, caller: Caller, name: str, arguments: Mapping[str, Any]) -> Any:
    """Make's lean answer to one request of the catalogue's tool `name`, checked and sent as its call would be
    (whatever toolsets this server lists: reading is not calling a tool)."""
    operation: Operation = declared(name)
    call = runner.context(caller)
    validated = validate_arguments(operation, with_defaults(operation, dict(arguments), runner.settings))
    check_scopes(call, operation)
    body = await call.send(build_request(operation, validated))
    return lean(body, response_key=operation.response_key)


async def app_manifest(runner: ToolRunner, caller: Caller, app_name: str, version: str) -> dict[str, Any]:
    """An app's manifest (every module by section), as Make gives it to the caller."""
    path = fill_path("app-module", APP_MANIFEST.path, {"appName": app_name, "appVersion": version})
    body = await runner.context(caller).send(MakeRequest("GET", path, [], None, "resources/read"))
    app = body.get("app") if isinstance(body, Mapping) else None
    if not isinstance(app, Mapping):
        raise ResourceUnavailable(f"Make gave no manifest for app {app_name} {version}.")
    return dict(app)  # pyright: ignore[reportUnknownArgumentType]


def app_modules(app: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    return [m for section in MODULE_SECTIONS for m in app.get(section) or [] if isinstance(m, Mapping)]


async def _app_module(
    runner: ToolRunner, caller: Caller, found: Mapping[str, Any]
) -> tuple[dict[str, Any], list[types.Icon] | None]:
    app = await app_manifest(runner, caller, str(found["appName"]), str(found["appVersion"]))
    for module in app_modules(app):
        if module.get("name") == found["moduleName"]:
            icons = app_icons(app.get("icon")) or theme_icons(str(app.get("name")), app.get("theme"))
            return {"app": {k: app.get(k) for k in ("name", "label", "version")}, "module": module}, icons
    raise ResourceUnavailable(f"App {found['appName']} has no module named {found['moduleName']!r}.")


def _toolset(runner: ToolRunner, toolset: str) -> dict[str, Any]:
    tools = [{"name": op.name, "title": op.title} for op in runner.catalogue.operations if op.toolset == toolset]
    if not tools:
        raise ResourceUnavailable(f"This server has no toolset {toolset!r} (or none of its tools for this token).")
    return {"toolset": toolset, "tools": tools}


def _contents(uri: str, value: Any, icons: list[types.Icon] | None = None) -> types.ReadResourceResult:
    meta = {"icons": [icon.model_dump(by_alias=True, exclude_none=True) for icon in icons]} if icons else None
    text = json.dumps(value, indent=2, ensure_ascii=False, default=str)
    return types.ReadResourceResult(
        contents=[types.TextResourceContents(uri=uri, mime_type=JSON, text=text, _meta=meta)]
    )
