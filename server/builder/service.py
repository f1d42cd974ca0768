"""The builder as the call pipeline sees it: run a builder tool by name, and check a scenario write first.

The pipeline is below the builder in the layers, so it never imports this module: runtime hands it a
`BuilderService` (its manifest cache in the shared state when there is one), and the pipeline calls the two
methods its `BuilderHooks` protocol names.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from make_mcp.server.builder.blueprint import read_blueprint
from make_mcp.server.builder.context import BuildContext
from make_mcp.server.builder.diff import blueprint_changes, changes_text
from make_mcp.server.builder.findings import Finding
from make_mcp.server.builder.handlers import HANDLERS
from make_mcp.server.builder.manifests import ManifestCache
from make_mcp.server.builder.validate import validate_blueprint
from make_mcp.server.errors import MakeMcpError, ToolNotAvailable
from make_mcp.server.support.state import SharedState
from make_mcp.tools.builder import SCENARIO, SCENARIO_BLUEPRINT, SKIP_VALIDATION
from make_mcp.tools.catalogue import RequestPort

MAX_REFUSAL_FINDINGS = 30


class BlueprintRefused(MakeMcpError):
    """The blueprint has errors Make would refuse or fail on; nothing was sent. The message lists them."""

    def __init__(self, tool: str, findings: list[Finding]) -> None:
        self.findings = findings
        errors = [f for f in findings if f.severity == "error"]
        lines = [
            f"- module {f.moduleId if f.moduleId is not None else '-'} {f.path}: {f.message} Fix: {f.fix}"
            for f in errors[:MAX_REFUSAL_FINDINGS]
        ]
        more = [f"- and {len(errors) - MAX_REFUSAL_FINDINGS} more errors"] if len(errors) > MAX_REFUSAL_FINDINGS else []
        super().__init__(
            f"{tool} refused: the blueprint has {len(errors)} error(s); nothing was sent to Make.\n"
            + "\n".join([*lines, *more])
            + f"\nFix them (blueprints_validate checks again), or repeat the call with {SKIP_VALIDATION}: true to "
            "send it anyway."
        )


@dataclass(frozen=True)
class WriteCheck:
    warnings: list[Finding]
    changes: str | None  # an update's changes, for its confirmation


class BuilderService:
    def __init__(self, state: SharedState | None = None) -> None:
        self.cache = ManifestCache(state)

    def _context(self, port: RequestPort, caller: str | None, organization: int | None) -> BuildContext:
        return BuildContext(port, self.cache, caller, organization)

    async def run(
        self, name: str, arguments: Any, port: RequestPort, *, caller: str | None, organization: int | None
    ) -> Any:
        handler = HANDLERS.get(name)
        if handler is None:
            raise ToolNotAvailable(f"The builder has no tool {name}.")
        return await handler(
            arguments, self._context(port, caller, getattr(arguments, "organizationId", None) or organization)
        )

    async def check_write(
        self, tool: str, arguments: Any, port: RequestPort, *, caller: str | None, organization: int | None
    ) -> WriteCheck:
        """Validates the blueprint a create or update sends (refused with BlueprintRefused on any error), and for
        an update says what it changes."""
        blueprint = getattr(arguments, "blueprint", None)
        scheduling = getattr(arguments, "scheduling", None)
        scenario_id = getattr(arguments, "scenarioId", None)
        team_id = getattr(arguments, "teamId", None)
        if blueprint is None and scheduling is None:  # a rename or a move: nothing to check, nothing to read
            return WriteCheck([], None)
        saved: dict[str, Any] | None = None
        if scenario_id is not None:
            answer = await port.send(SCENARIO, {"scenarioId": scenario_id})
            saved = answer.get("scenario") if isinstance(answer, dict) else None
            team_id = team_id or (saved or {}).get("teamId")
        if blueprint is None:
            return WriteCheck([], _scheduling_change(saved, scheduling))
        context = self._context(port, caller, organization)
        interface = getattr(arguments, "interface", None)  # scenarios_create's, set right after it
        declared = None if interface is None else interface.wire()
        on_demand = isinstance(scheduling, dict) and scheduling.get("type") == "on-demand"
        report = await validate_blueprint(
            context,
            blueprint,
            team_id=team_id,
            scheduling=scheduling,
            as_tool=on_demand or declared is not None,
            interface=declared,
        )
        if not report.valid:
            raise BlueprintRefused(tool, report.findings)
        changes = None
        if scenario_id is not None:
            old = await port.send(SCENARIO_BLUEPRINT, {"scenarioId": scenario_id})
            response = old.get("response") if isinstance(old, dict) else None
            old_blueprint = read_blueprint((response or {}).get("blueprint") or {"flow": []})
            old_scheduling = (saved or {}).get("scheduling")
            changes = changes_text(blueprint_changes(old_blueprint, report.blueprint, old_scheduling, scheduling))
        return WriteCheck([f for f in report.findings if f.severity == "warning"], changes)


def _scheduling_change(saved: dict[str, Any] | None, scheduling: Any) -> str | None:
    if scheduling is None:
        return None
    return f"scheduling {(saved or {}).get('scheduling')} -> {scheduling}"
