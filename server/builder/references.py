"""Every `{{id.field}}` of a blueprint: the module runs before this one on the same path, and its output has the
field (collections and arrays followed), unless that output is only known at run time."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from make_mcp.server.builder.blueprint import Placed
from make_mcp.server.builder.findings import Finding
from make_mcp.server.builder.iml import malformed, references, walk_strings
from make_mcp.server.builder.manifests import ModuleSpec

CHECKED_PARTS = ("mapper", "parameters", "filter")


def reference_findings(placed: list[Placed], specs: dict[int, ModuleSpec]) -> list[Finding]:
    known = {item.id: item for item in placed if item.id is not None}
    findings: list[Finding] = []
    for item in placed:
        for part in CHECKED_PARTS:
            value = item.module.get(part)
            if value is None:
                continue
            for where, text in walk_strings(value, f"{item.path}.{part}"):
                findings.extend(_text_findings(item, where, text, known, specs))
    return findings


def _text_findings(
    item: Placed, where: str, text: str, known: dict[int, Placed], specs: dict[int, ModuleSpec]
) -> Iterator[Finding]:
    if "{{" not in text:
        return
    problem = malformed(text)
    if problem is not None:
        yield Finding("error", item.id, where, f"Malformed IML: {problem}.", "Close every {{ with }} and every quote.")
        return
    for reference in references(text):
        source = reference.module_id
        if source not in item.before:
            yield _unreachable(item, where, reference.text, source, known)
            continue
        spec = specs.get(source)
        if spec is None or spec.dynamic_interface or not spec.interface or not reference.path:
            continue
        missing = _missing_field(spec.interface, reference.path)
        if missing is not None:
            names = ", ".join(sorted(str(f.get("name")) for f in spec.interface if f.get("name")))[:300]
            yield Finding(
                "error",
                item.id,
                where,
                f"{{{{{reference.text}}}}}: module {source} ({spec.id}) gives no {missing}.",
                f"Use one of its outputs: {names}.",
            )


def _unreachable(item: Placed, where: str, text: str, source: int, known: dict[int, Placed]) -> Finding:
    if source == item.id:
        message, fix = f"{{{{{text}}}}} reads this module's own output.", "Map an earlier module's output."
    elif source not in known:
        message, fix = f"{{{{{text}}}}}: there is no module {source}.", "Use the ID of a module that runs before."
    else:
        message = f"{{{{{text}}}}}: module {source} does not run before module {item.id} on its path."
        fix = "Map only modules earlier on the same route (or before the router), not after an aggregator."
    return Finding("error", item.id, where, message, fix)


def _missing_field(fields: list[dict[str, Any]], path: tuple[str, ...]) -> str | None:
    """The first step of `path` the output lacks; None when it resolves (or leads into free-form data)."""
    current: list[dict[str, Any]] | None = fields
    for depth, step in enumerate(path):
        if not current:
            return None
        spec = next((f for f in current if f.get("name") == step), None)
        if spec is None:
            return ".".join(path[: depth + 1])
        current = _children(spec)
    return None


def _children(spec: dict[str, Any]) -> list[dict[str, Any]] | None:
    inner = spec.get("spec")
    if isinstance(inner, dict):  # an array of one typed field: its items' fields, if it is a collection
        inner = inner.get("spec")
    if isinstance(inner, list):
        return [f for f in inner if isinstance(f, dict)]
    return None
