"""A review of a blueprint that runs: secrets written into fields (masked, never echoed), plain-http calls,
outside calls without error handling, routes without filters, dangling references, modules whose output nobody
reads; and the scenario as a short flow a person can read."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from make_mcp.server.builder.blueprint import ROUTER, Placed
from make_mcp.server.builder.findings import Finding
from make_mcp.server.builder.iml import references, walk_strings
from make_mcp.server.builder.manifests import ModuleSpec
from make_mcp.server.builder.references import reference_findings

# Apps that work inside Make only: no outside service to fail.
LOCAL_APPS = frozenset(
    {"builtin", "util", "json", "regexp", "math", "datastore", "gateway", "csv", "xml", "scenario-service"}
)
SECRET_NAME = re.compile(
    r"password|passwd|secret|token|api[_-]?key|apikey|authorization|credential|private[_-]?key", re.I
)
SECRET_VALUE = re.compile(
    r"^(Bearer|Basic|Token)\s+\S{8,}|^(sk|pk|rk|xox[abpr]|ghp|gho|glpat|AKIA)[-_A-Za-z0-9]{12,}|^[A-Za-z0-9+/_-]{32,}={0,2}$"
)
PRODUCING_KINDS = frozenset({"search", "iterator", "transformer", "trigger", "instant trigger"})
MAX_FLOW_LINES = 80


def mask(value: str) -> str:
    """Enough to recognise which value it is, never enough to use it."""
    return f"{value[:2]}…({len(value)} characters)" if len(value) > 4 else "…"


def audit_findings(placed: list[Placed], specs: dict[int, ModuleSpec]) -> list[Finding]:
    findings: list[Finding] = []
    for item in placed:
        findings.extend(_secrets(item))
        findings.extend(_plain_http(item))
        findings.extend(_unhandled(item, specs.get(item.id) if item.id is not None else None))
        findings.extend(_unfiltered_routes(item))
    findings.extend(
        f for f in reference_findings(placed, specs) if "run before" in f.message or "no module" in f.message
    )
    findings.extend(_unused(placed, specs))
    return findings


def _secrets(item: Placed) -> Iterator[Finding]:
    for part in ("parameters", "mapper"):
        for where, text in walk_strings(item.module.get(part), f"{item.path}.{part}"):
            if "{{" in text or len(text) < 8:
                continue
            key = where.rsplit(".", 1)[-1]
            named = SECRET_NAME.search(key) or SECRET_NAME.search(_header_name(item.module.get(part), where))
            if named or SECRET_VALUE.search(text):
                yield Finding(
                    "warning",
                    item.id,
                    where,
                    f"A secret seems written into the blueprint: {mask(text)}.",
                    "Keep it in a connection or key (keys_create) and pick that instead; anyone who can "
                    "read the scenario can read this value.",
                )


def _header_name(value: Any, where: str) -> str:
    """For `headers.0.value`, the header's name (`headers.0.name`), where HTTP modules keep it."""
    if not where.endswith(".value"):
        return ""
    node = value
    for step in where.split(".")[2:-1]:
        node = (
            node[int(step)]
            if isinstance(node, list) and step.isdigit()
            else node.get(step)
            if isinstance(node, dict)
            else None
        )
    return str(node.get("name", "")) if isinstance(node, dict) else ""


def _plain_http(item: Placed) -> Iterator[Finding]:
    for where, text in walk_strings(item.module.get("mapper"), f"{item.path}.mapper"):
        lowered = text.strip().lower()
        if lowered.startswith("http://") and not lowered.startswith(("http://localhost", "http://127.0.0.1")):
            yield Finding(
                "warning",
                item.id,
                where,
                "The call goes over plain http: data and credentials travel unencrypted.",
                "Use https:// if the service offers it.",
            )


def _unhandled(item: Placed, spec: ModuleSpec | None) -> Iterator[Finding]:
    if item.role == "onerror" or item.app in LOCAL_APPS or not item.app or item.name == ROUTER:
        return
    if spec is not None and spec.type in ("router", "iterator", "aggregator", "converger", "transformer"):
        return
    if not item.module.get("onerror"):
        yield Finding(
            "warning",
            item.id,
            item.path,
            f"{item.name} calls an outside service and has no error handler.",
            "Add onerror (e.g. builtin:Break to retry, builtin:Ignore to skip) so one failure does not "
            "stop the scenario.",
        )


def _unfiltered_routes(item: Placed) -> Iterator[Finding]:
    routes = item.module.get("routes") if item.name == ROUTER else None
    if not isinstance(routes, list) or len(routes) < 2:
        return
    bare = [n for n, r in enumerate(routes) if isinstance(r, dict) and _first_without_filter(r.get("flow"))]
    if len(bare) > 1:
        numbers = ", ".join(str(n + 1) for n in bare)
        yield Finding(
            "warning",
            item.id,
            f"{item.path}.routes",
            f"Routes {numbers} have no filter: every bundle goes down each of them.",
            "Put a filter on each route's first module, unless all should run.",
        )


def _first_without_filter(flow: Any) -> bool:
    return isinstance(flow, list) and bool(flow) and isinstance(flow[0], dict) and not flow[0].get("filter")


def _unused(placed: list[Placed], specs: dict[int, ModuleSpec]) -> Iterator[Finding]:
    read: set[int] = set()
    for item in placed:
        for part in ("mapper", "parameters", "filter"):
            for _, text in walk_strings(item.module.get(part), ""):
                if "{{" in text:
                    read.update(r.module_id for r in references(text))
        parameters = item.module.get("parameters")
        if isinstance(parameters, dict) and isinstance(parameters.get("feeder"), int):
            read.add(parameters["feeder"])
    for item in placed:
        spec = specs.get(item.id) if item.id is not None else None
        if spec is None or item.id in read or spec.kind not in PRODUCING_KINDS or spec.is_trigger:
            continue
        yield Finding(
            "warning",
            item.id,
            item.path,
            f"Nothing reads the output of {item.name}.",
            "Map its output in a later module, or remove it (each run of it costs an operation).",
        )


def explain(placed: list[Placed], specs: dict[int, ModuleSpec]) -> list[str]:
    """The scenario as indented lines: trigger -> modules -> routes (with their filters) -> error handlers."""
    lines = []
    for item in placed[:MAX_FLOW_LINES]:
        depth = item.path.count(".flow") + item.path.count(".onerror") - 0
        spec = specs.get(item.id) if item.id is not None else None
        label = spec.label if spec else item.name
        text = f"{item.id}. {label} ({item.name})"
        if item.first_of_route and item.role == "route":
            route = item.path.rsplit(".routes[", 1)[1].split("]", 1)[0]
            text = f"route {int(route) + 1}: {text}"
        if item.role == "onerror" and item.first_of_route:
            text = f"on error: {text}"
        filter_value = item.module.get("filter")
        if isinstance(filter_value, dict):
            text += f" [only if {filter_value.get('name') or 'filter'}]"
        lines.append("  " * depth + text)
    if len(placed) > MAX_FLOW_LINES:
        lines.append(f"... and {len(placed) - MAX_FLOW_LINES} more modules")
    return lines
