"""Rules about the scenario as a whole: scheduling fits the trigger, a webhook's callers get an answer, and a
scenario that will run as a tool is on demand and declares the inputs it reads."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from make_mcp.server.builder.blueprint import ROUTER, Placed
from make_mcp.server.builder.findings import Finding
from make_mcp.server.builder.iml import walk_strings
from make_mcp.server.builder.manifests import ModuleSpec

WEBHOOK_RESPOND = "gateway:WebhookRespond"
INPUT_REFERENCE = re.compile(r"\bvar\.input\.([A-Za-z_$][\w$]*)")


def scenario_findings(
    placed: list[Placed],
    specs: dict[int, ModuleSpec],
    scheduling: dict[str, Any] | None,
    *,
    as_tool: bool,
    interface: dict[str, Any] | None = None,
) -> list[Finding]:
    """`interface`: the one the write sets with the scenario (scenarios_create's), else None."""
    first = placed[0] if placed and placed[0].path == "flow[0]" else None
    trigger = specs.get(first.id) if first is not None and first.id is not None else None
    findings = list(_scheduling(trigger, first, scheduling, as_tool=as_tool))
    findings.extend(_responses(placed, trigger))
    if as_tool:
        findings.extend(_tool_inputs(placed) if interface is None else _undeclared_inputs(placed, interface))
    return findings


def _scheduling(
    trigger: ModuleSpec | None, first: Placed | None, scheduling: dict[str, Any] | None, *, as_tool: bool
) -> Iterator[Finding]:
    kind = scheduling.get("type") if isinstance(scheduling, dict) else None
    instant = trigger is not None and trigger.listener
    module_id = first.id if first is not None else None
    if instant and kind is not None and kind != "immediately":
        yield Finding(
            "error",
            module_id,
            "scheduling.type",
            f"{trigger.id if trigger else ''} is an instant trigger: it runs when called, not {kind}.",
            'Set scheduling to {"type": "immediately"}.',
        )
    if kind == "immediately" and not instant:
        yield Finding(
            "error",
            module_id,
            "scheduling.type",
            "Scheduling immediately needs an instant trigger (a webhook) as the first module.",
            'Use {"type": "indefinitely", "interval": 900} or "on-demand", or start with a webhook.',
        )
    if as_tool and kind is not None and kind != "on-demand":
        yield Finding(
            "error",
            None,
            "scheduling.type",
            "A scenario run as a tool must be on demand.",
            'Set scheduling to {"type": "on-demand"} (scenarios_make-callable does it for a saved scenario).',
        )


def _responses(placed: list[Placed], trigger: ModuleSpec | None) -> Iterator[Finding]:
    responders = [item for item in placed if item.name == WEBHOOK_RESPOND]
    if not responders:
        return
    if trigger is None or (trigger.hook is None and not trigger.listener):
        for item in responders:
            yield Finding(
                "error",
                item.id,
                item.path,
                "A webhook response without a webhook trigger answers nobody.",
                "Start the scenario with a webhook (gateway:CustomWebHook), or remove the response.",
            )
        return
    ends = _route_ends(placed)
    answered = {end for end in ends if any(r.path.startswith(end) for r in responders)}
    for end in ends:
        if end not in answered:
            yield Finding(
                "warning",
                None,
                end,
                "This path ends without a webhook response while others answer: a "
                "caller reaching it gets Make's default 'Accepted'.",
                "Add a gateway:WebhookRespond here.",
            )


def _route_ends(placed: list[Placed]) -> list[str]:
    """The flows that end a path: the main flow and every route, unless a router continues it."""
    flows = {item.path.rsplit("[", 1)[0] for item in placed if item.role in ("flow", "route")}
    continued = {item.path.rsplit("[", 1)[0] for item in placed if item.name == ROUTER}
    return sorted(flows - continued)


def _read_inputs(placed: list[Placed]) -> set[str]:
    names: set[str] = set()
    for item in placed:
        for part in ("mapper", "filter"):
            for _, text in walk_strings(item.module.get(part), ""):
                names.update(INPUT_REFERENCE.findall(text))
    return names


def _undeclared_inputs(placed: list[Placed], interface: dict[str, Any]) -> Iterator[Finding]:
    declared = {item.get("name") for item in interface.get("input") or () if isinstance(item, dict)}
    missing = sorted(_read_inputs(placed) - declared)
    if missing:
        yield Finding(
            "error",
            None,
            "interface.input",
            f"The scenario reads inputs {', '.join(missing)}, which the interface does not declare.",
            "Add them to interface.input, or stop reading them.",
        )


def _tool_inputs(placed: list[Placed]) -> Iterator[Finding]:
    names = _read_inputs(placed)
    if names:
        yield Finding(
            "warning",
            None,
            "interface.input",
            f"The scenario reads inputs {', '.join(sorted(names))}.",
            "Declare them as interface inputs: scenarios_create's interface, or scenarios_make-callable later.",
        )
    else:
        yield Finding(
            "warning",
            None,
            "interface",
            "A scenario run as a tool needs an interface, even an empty one.",
            "Give scenarios_create an interface, or set it later with scenarios_make-callable.",
        )
