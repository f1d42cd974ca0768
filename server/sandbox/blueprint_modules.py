"""Scenario writes refuse what Make refuses in a blueprint's modules: an unknown module or version (IM007) and
field values of the wrong type or outside their options (IM005)."""

from __future__ import annotations

from typing import Any

from make_mcp.server.sandbox.catalogue import find_app, parse_version
from make_mcp.server.sandbox.module_fields import field_problems
from make_mcp.server.sandbox.resources import ApiError, invalid, iter_modules


def check_blueprint_modules(blueprint: dict[str, Any]) -> None:
    """Raises Make's error for the first kind of problem found: unknown modules first, then field values."""
    unknown: list[str] = []
    problems: list[str] = []
    for module in iter_modules(blueprint.get("flow")):
        manifest, missing = resolve(module)
        if missing:
            unknown.append(missing)
        elif manifest is not None:
            problems.extend(module_problems(module, manifest))
    if unknown:
        detail = unknown[0] if len(unknown) == 1 else f"{len(unknown)} modules of the blueprint were not found."
        raise ApiError(400, "IM007", "Module not found", detail, unknown)
    if problems:
        raise invalid(problems)


def resolve(module: dict[str, Any]) -> tuple[dict[str, Any] | None, str]:
    """The module's manifest, or why Make would not find it. A module without a version is not looked up by version."""
    name = str(module.get("module", ""))
    app_name, _, module_name = name.partition(":")
    label = f"Module {module.get('id')!r} ({name})"
    app = find_app(app_name)
    manifest = app.module(module_name) if app is not None else None
    if app is None or manifest is None:
        where = f"app '{app_name}' has no module '{module_name}'" if app is not None else f"no app '{app_name}'"
        return None, f"{label}: module not found ({where})."
    version = module.get("version")
    if version is not None and parse_version(version) not in app.versions:
        served = ", ".join(str(v) for v in app.versions)
        return None, f"{label}: version {version!r} not found; the app '{app_name}' has version {served}."
    return manifest, ""


def module_problems(module: dict[str, Any], manifest: dict[str, Any]) -> list[str]:
    where = f"Module {module.get('id')!r} ({module.get('module')})"
    problems = field_problems(manifest["parameters"], module.get("parameters"), f"{where} parameters")
    problems.extend(field_problems(manifest["expect"], module.get("mapper"), f"{where} mapper"))
    for domain in ("parameters", "mapper"):
        value = module.get(domain)
        if value is not None and not isinstance(value, dict):
            problems.append(f"{where} {domain}: expected an object or null, got {type(value).__name__}.")
    return problems
