"""The builder tools' runs, by the name tools/builder.py gives each (`Operation.builder`): HANDLERS is the one
place binding those names to code. Each gets its validated input and the call's BuildContext, sends only the
steps its operation declares, and returns the tool's answer."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from typing import Any

from make_mcp.server.builder import audit, diff
from make_mcp.server.builder.blueprint import read_blueprint, walk
from make_mcp.server.builder.components import component_findings, needs_of, read_inventory, summary
from make_mcp.server.builder.context import BuildContext, NotInCatalogue
from make_mcp.server.builder.credentials import credential_request
from make_mcp.server.builder.findings import Finding, has_errors
from make_mcp.server.builder.forman import validate_module
from make_mcp.server.builder.manifests import ModuleSpec, compact_module
from make_mcp.server.builder.modules import module_specs
from make_mcp.server.builder.validate import check_structure, validate_blueprint
from make_mcp.tools.builder import LIST_APPS, RUN_RPC, SCENARIO, SCENARIO_BLUEPRINT

Handler = Callable[[Any, BuildContext], Awaitable[Any]]
MAX_APPS_LISTED = 2000
MAX_OPTIONS = 200
WORD = re.compile(r"[a-z0-9]+")
# Words of a request that say nothing about which app it needs.
STOP_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "the",
        "to",
        "of",
        "in",
        "on",
        "for",
        "from",
        "with",
        "every",
        "each",
        "new",
        "when",
        "then",
        "into",
        "my",
        "our",
        "all",
        "any",
        "by",
        "it",
        "is",
        "be",
        "add",
        "send",
        "create",
        "get",
        "make",
        "build",
        "scenario",
    ]
)


async def apps_recommend(arguments: Any, build: BuildContext) -> Any:
    query = [("scoredSearch", "true")]
    query += [
        (name, str(value))
        for name, value in (("organizationId", arguments.organizationId), ("teamId", arguments.teamId))
        if value is not None
    ]
    answer = await build.port.send(LIST_APPS, query=query)
    apps = answer.get("apps") if isinstance(answer, dict) else None
    words = [w for w in WORD.findall(arguments.intention.lower()) if w not in STOP_WORDS]
    ranked = []
    for app in (apps if isinstance(apps, list) else [])[:MAX_APPS_LISTED]:
        if not isinstance(app, dict):
            continue
        score = _match(words, app)
        if score > 0:
            ranked.append((score, app))
    ranked.sort(key=lambda pair: -pair[0])
    return {
        "note": "A ranked search of Make's app catalogue by the words of the intention, not a recommendation "
        "service: check each app's modules with app-modules_list.",
        "apps": [
            {"name": app.get("name"), "label": app.get("label"), "version": app.get("version"), "score": score}
            for score, app in ranked[: arguments.limit]
        ],
    }


def _match(words: list[str], app: dict[str, Any]) -> int:
    """3 for each word in the app's name or label (sheet matches sheets), 1 for each in its description."""
    name = WORD.findall(str(app.get("name", "")).lower()) + WORD.findall(str(app.get("label", "")).lower())
    text = WORD.findall(str(app.get("description", "")).lower())
    return sum(3 if _fits(word, name) else 1 if _fits(word, text) else 0 for word in set(words))


def _fits(word: str, words: list[str]) -> bool:
    return any(
        word == other or (len(word) >= 4 and len(other) >= 4 and (other.startswith(word) or word.startswith(other)))
        for other in words
    )


async def app_modules_list(arguments: Any, build: BuildContext) -> Any:
    manifest = await build.app(arguments.appName, arguments.appVersion)
    if manifest is None:
        raise NotInCatalogue(
            f"Make has no app {arguments.appName} in version {arguments.appVersion}; apps_recommend finds apps "
            "and their versions."
        )
    modules = list(manifest.modules.values())
    if arguments.usage == "ai-agent":
        modules = [m for m in modules if m.type in ("action", "search")]
    return {
        "app": manifest.name,
        "label": manifest.label,
        "version": manifest.version,
        "modules": [{"name": m.name, "label": m.label, "kind": m.kind} for m in modules],
    }


async def app_module_get(arguments: Any, build: BuildContext) -> Any:
    spec = await _module(build, arguments, "app-module_get")
    return {"module": spec.raw} if arguments.format == "raw" else compact_module(spec)


async def _module(build: BuildContext, arguments: Any, tool: str) -> ModuleSpec:
    manifest = await build.app(arguments.appName, arguments.appVersion)
    spec = None if manifest is None else manifest.modules.get(arguments.moduleName)
    if spec is None:
        known = (
            " (no such app or version)"
            if manifest is None
            else f"; its modules: {', '.join(list(manifest.modules)[:40])}"
        )
        where = f"{arguments.appName} {arguments.appVersion}"
        raise NotInCatalogue(f"{tool}: {where} has no module {arguments.moduleName!r}{known}.")
    return spec


async def rpc_execute(arguments: Any, build: BuildContext) -> Any:
    path = {"appName": arguments.appName, "appVersion": arguments.appVersion, "rpcName": arguments.rpcName}
    answer = await build.port.send(RUN_RPC, path, body={"data": arguments.data})
    if arguments.format == "raw":
        return answer
    options = answer.get("response") if isinstance(answer, dict) else None
    pairs = (
        [{"label": o.get("label"), "value": o.get("value")} for o in (options or []) if isinstance(o, dict)]
        if isinstance(options, list)
        else []
    )
    result: dict[str, Any] = {"options": pairs[:MAX_OPTIONS]}
    if len(pairs) > MAX_OPTIONS:
        result["more"] = f"{len(pairs) - MAX_OPTIONS} more options; narrow them with the RPC's data."
    return result


async def validate_blueprint_schema(arguments: Any, build: BuildContext) -> Any:
    _, findings = check_structure(read_blueprint(arguments.blueprint), await build.blueprint_schema())
    return {"valid": not has_errors(findings), "findings": [f.to_dict() for f in findings]}


async def validate_module_configuration(arguments: Any, build: BuildContext) -> Any:
    spec = await _module(build, arguments, "validate_module_configuration")
    findings = validate_module(
        spec.parameters,
        spec.expect,
        arguments.parameters,
        arguments.mapper,
        module_id=None,
        strict=arguments.strict and not spec.dynamic_expect,
    )
    needs = needs_of(None, spec)
    for need in needs:
        need.value = arguments.parameters.get(need.path.rsplit(".", 1)[-1])
    inventory = await read_inventory(build.port, arguments.teamId, {n.kind for n in needs})
    findings = [*findings, *component_findings(needs, inventory, arguments.teamId)]
    return {"valid": not has_errors(findings), "findings": [f.to_dict() for f in findings]}


async def blueprints_validate(arguments: Any, build: BuildContext) -> Any:
    report = await validate_blueprint(
        build,
        arguments.blueprint,
        team_id=arguments.teamId,
        scheduling=arguments.scheduling,
        as_tool=arguments.asTool,
        strict=arguments.strict,
    )
    return report.answer()


async def extract_blueprint_components(arguments: Any, build: BuildContext) -> Any:
    placed = walk(read_blueprint(arguments.blueprint))
    specs = await module_specs(build, placed)
    needs = [n for item in placed if item.id in specs for n in needs_of(item, specs[item.id])]
    inventory = await read_inventory(build.port, arguments.teamId, {n.kind for n in needs})
    components = summary(needs, inventory)
    answer: dict[str, Any] = {"components": components}
    if arguments.requestCredentials:
        answer["credentialRequest"] = await credential_request(build, arguments.teamId, components, specs)
    return answer


async def extract_module_components(arguments: Any, build: BuildContext) -> Any:
    spec = await _module(build, arguments, "extract_module_components")
    needs = needs_of(None, spec)
    inventory = await read_inventory(build.port, arguments.teamId, {n.kind for n in needs})
    return {"module": spec.id, "components": summary(needs, inventory)}


async def blueprints_audit(arguments: Any, build: BuildContext) -> Any:
    raw = arguments.blueprint
    if raw is None:
        raw = await _saved_blueprint(build, arguments.scenarioId)
    placed = walk(read_blueprint(raw))
    specs = await module_specs(build, placed)
    findings: list[Finding] = audit.audit_findings(placed, specs)
    return {"flow": audit.explain(placed, specs), "findings": [f.to_dict() for f in findings]}


async def _saved_blueprint(build: BuildContext, scenario_id: int) -> Any:
    answer = await build.port.send(SCENARIO_BLUEPRINT, {"scenarioId": scenario_id})
    response = answer.get("response") if isinstance(answer, dict) else None
    return response.get("blueprint") if isinstance(response, dict) else None


async def blueprints_diff(arguments: Any, build: BuildContext) -> Any:
    old = read_blueprint(await _saved_blueprint(build, arguments.scenarioId) or {})
    new = read_blueprint(arguments.blueprint)
    old_scheduling = None
    if arguments.scheduling is not None:
        scenario = await build.port.send(SCENARIO, {"scenarioId": arguments.scenarioId})
        saved = scenario.get("scenario") if isinstance(scenario, dict) else None
        old_scheduling = saved.get("scheduling") if isinstance(saved, dict) else None
    changes = diff.blueprint_changes(old, new, old_scheduling, arguments.scheduling)
    return {"changes": changes, "summary": diff.changes_text(changes)}


HANDLERS: dict[str, Handler] = {
    "apps_recommend": apps_recommend,
    "app-modules_list": app_modules_list,
    "app-module_get": app_module_get,
    "rpc_execute": rpc_execute,
    "validate_blueprint_schema": validate_blueprint_schema,
    "validate_module_configuration": validate_module_configuration,
    "blueprints_validate": blueprints_validate,
    "extract_blueprint_components": extract_blueprint_components,
    "extract_module_components": extract_module_components,
    "blueprints_audit": blueprints_audit,
    "blueprints_diff": blueprints_diff,
}
