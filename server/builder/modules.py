"""Each module of a blueprint against its app's manifest: the app, version and module exist, parameters and mapper
are not swapped, every field fits its Forman spec (server/builder/forman.py), triggers come first."""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from dataclasses import replace

from make_mcp.server.builder.blueprint import Placed, split_module
from make_mcp.server.builder.context import BuildContext
from make_mcp.server.builder.findings import Finding
from make_mcp.server.builder.forman import validate_module
from make_mcp.server.builder.manifests import ModuleSpec

# Make's own modules that are no app of the catalogue's and need no manifest to be run.
SCHEDULER_WORDS = ("scheduler", "schedule", "cron")


async def module_specs(context: BuildContext, placed: list[Placed]) -> dict[int, ModuleSpec]:
    """The manifest of each placed module that has one, by module ID (apps fetched once each); the count of
    modules checked goes to the call's progress (a task's status message)."""
    found: dict[int, ModuleSpec] = {}
    for done, item in enumerate(placed, start=1):
        parts = split_module(item.name)
        version = item.module.get("version")
        spec = None
        if item.id is not None and parts is not None and isinstance(version, int):
            spec = await context.module(parts[0], version, parts[1])
        if spec is not None and item.id is not None:
            found[item.id] = spec
        await context.port.progress(f"{done} of {len(placed)} modules checked")
    return found


async def module_findings(
    context: BuildContext, placed: list[Placed], specs: dict[int, ModuleSpec], *, strict: bool
) -> list[Finding]:
    findings: list[Finding] = []
    for item in placed:
        spec = specs.get(item.id) if item.id is not None else None
        if spec is None:
            findings.extend(await _unknown(context, item))
            continue
        findings.extend(_swapped(item, spec))
        findings.extend(_fields(item, spec, strict=strict))
        findings.extend(_trigger_place(item, spec))
    return findings


async def _unknown(context: BuildContext, item: Placed) -> list[Finding]:
    parts = split_module(item.name)
    version = item.module.get("version")
    if parts is None or not isinstance(version, int) or item.id is None:
        return []  # the structure rules have said what is wrong
    app, name = parts
    where = f"{item.path}.module"
    if any(word in name.lower() for word in SCHEDULER_WORDS):
        return [
            Finding(
                "error",
                item.id,
                where,
                f"There is no module {item.name}: scheduling is not a module.",
                'Remove it and set the scenario\'s scheduling, e.g. {"type": "indefinitely", "interval": 900}.',
            )
        ]
    manifest = await context.app(app, version)
    if manifest is None:
        return [
            Finding(
                "error",
                item.id,
                where,
                f"Make has no app {app} in version {version} (IM007 on upload).",
                "Find the app and its version with apps_recommend, then app-modules_list.",
            )
        ]
    close = difflib.get_close_matches(name, list(manifest.modules), n=3, cutoff=0.6)
    hint = f" Did you mean {', '.join(f'{app}:{c}' for c in close)}?" if close else ""
    return [
        Finding(
            "error",
            item.id,
            where,
            f"{app} version {version} has no module {name}.{hint}",
            f"Use a module app-modules_list names for {app} {version}.",
        )
    ]


def _swapped(item: Placed, spec: ModuleSpec) -> Iterator[Finding]:
    parameter_names = {f.get("name") for f in spec.parameters}
    expect_names = {f.get("name") for f in spec.expect}
    for key, other, other_names, own_names in (
        ("parameters", "mapper", expect_names, parameter_names),
        ("mapper", "parameters", parameter_names, expect_names),
    ):
        values = item.module.get(key)
        for name in values if isinstance(values, dict) else ():
            if name in other_names and name not in own_names:
                yield Finding(
                    "error",
                    item.id,
                    f"{item.path}.{key}.{name}",
                    f"{name} is a {other} field of {spec.id}, written in {key}.",
                    f"Move {name} from {key} to {other}.",
                )


def _fields(item: Placed, spec: ModuleSpec, *, strict: bool) -> Iterator[Finding]:
    parameters = item.module.get("parameters")
    mapper = item.module.get("mapper")
    found = validate_module(
        spec.parameters,
        spec.expect,
        parameters if isinstance(parameters, dict) else None,
        mapper if isinstance(mapper, dict) else None,
        module_id=item.id,
        strict=strict and not spec.dynamic_expect,
    )
    for finding in found:
        yield replace(finding, path=f"{item.path}.{finding.path}" if finding.path else item.path)


def _trigger_place(item: Placed, spec: ModuleSpec) -> Iterator[Finding]:
    if spec.is_trigger and item.path != "flow[0]":
        yield Finding(
            "error",
            item.id,
            item.path,
            f"{spec.id} is a trigger but does not start the scenario.",
            "Put the trigger first in flow, or use the app's search or action module here.",
        )
