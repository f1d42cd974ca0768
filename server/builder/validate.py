"""Every check of a blueprint, in order: structure (Make's schema and our rules), modules and their fields,
references, components, then the scenario as a whole. One `Report` holds what later steps reuse."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from make_mcp.server.builder.blueprint import Placed, read_blueprint, walk
from make_mcp.server.builder.components import (
    Inventory,
    Need,
    component_findings,
    needs_of,
    read_inventory,
    scope_findings,
)
from make_mcp.server.builder.context import BuildContext
from make_mcp.server.builder.findings import Finding, has_errors
from make_mcp.server.builder.manifests import ModuleSpec
from make_mcp.server.builder.modules import module_findings, module_specs
from make_mcp.server.builder.references import reference_findings
from make_mcp.server.builder.scenario_rules import scenario_findings
from make_mcp.server.builder.structure import schema_findings, structure_findings

MAX_FINDINGS = 200


@dataclass
class Report:
    blueprint: dict[str, Any]
    placed: list[Placed]
    specs: dict[int, ModuleSpec]
    findings: list[Finding]
    needs: list[Need]
    inventory: Inventory

    @property
    def valid(self) -> bool:
        return not has_errors(self.findings)

    def answer(self) -> dict[str, Any]:
        shown = self.findings[:MAX_FINDINGS]
        errors = sum(1 for f in self.findings if f.severity == "error")
        answer: dict[str, Any] = {
            "valid": self.valid,
            "errors": errors,
            "warnings": len(self.findings) - errors,
            "findings": [f.to_dict() for f in shown],
        }
        if len(self.findings) > MAX_FINDINGS:
            answer["more"] = f"{len(self.findings) - MAX_FINDINGS} more findings: fix these and check again."
        return answer


def check_structure(blueprint: dict[str, Any], schema: dict[str, Any] | None) -> tuple[list[Placed], list[Finding]]:
    placed = walk(blueprint)
    return placed, [*schema_findings(blueprint, schema), *structure_findings(blueprint, placed)]


async def validate_blueprint(
    context: BuildContext,
    raw: Any,
    *,
    team_id: int | None = None,
    scheduling: dict[str, Any] | None = None,
    as_tool: bool = False,
    interface: dict[str, Any] | None = None,
    strict: bool = False,
) -> Report:
    """Raises BlueprintUnreadable for what cannot be checked at all; everything else is a finding."""
    blueprint = read_blueprint(raw)
    placed, findings = check_structure(blueprint, await context.blueprint_schema())
    specs = await module_specs(context, placed)
    findings += await module_findings(context, placed, specs, strict=strict)
    findings += reference_findings(placed, specs)
    needs = [need for item in placed if item.id in specs for need in needs_of(item, specs[item.id])]
    inventory = await read_inventory(context.port, team_id, {need.kind for need in needs})
    findings += component_findings(needs, inventory, team_id)
    findings += await scope_findings(context.port, needs, inventory)
    findings += scenario_findings(placed, specs, scheduling, as_tool=as_tool, interface=interface)
    return Report(blueprint, placed, specs, _unique(findings), needs, inventory)


def _unique(findings: list[Finding]) -> list[Finding]:
    """Each finding once, errors first, in blueprint order otherwise."""
    ordered = list(dict.fromkeys(findings))
    return sorted(ordered, key=lambda f: f.severity != "error")
