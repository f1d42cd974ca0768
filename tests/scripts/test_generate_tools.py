"""scripts/generate_tools.py: overlay records that no longer match the spec stop generation with a message naming
them, and a passed-through record field reaches the tool's `Operation` only where a record sets it."""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path
from typing import Any

import pytest

SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"
if str(SCRIPTS) not in sys.path:
    sys.path.insert(0, str(SCRIPTS))

import generate_tools  # noqa: E402

from make_mcp.tools import overlays as tool_overlays  # noqa: E402
from make_mcp.tools.overlays.model import OVERWRITES, Overlay, Parameter, Toolset  # noqa: E402

SPEC = generate_tools.load_spec()


def with_overlay(monkeypatch: pytest.MonkeyPatch, name: str, **changes: Any) -> None:
    """Replaces the record of tool `name` by a copy with `changes`."""
    records = tuple(
        dataclasses.replace(record, **changes) if record.name == name else record for record in tool_overlays.OVERLAYS
    )
    monkeypatch.setattr(tool_overlays, "OVERLAYS", records)


def stopped() -> str:
    with pytest.raises(SystemExit) as stopped:
        generate_tools.build_tools(SPEC)
    return str(stopped.value)


def test_the_records_as_committed_build_one_tool_per_operation_of_the_spec() -> None:
    operations = generate_tools.spec_operations(SPEC)
    tools = generate_tools.build_tools(SPEC)
    assert len(tools) == len(tool_overlays.OVERLAYS)
    split = [overlay for overlay in tool_overlays.OVERLAYS if overlay.fixed_path]
    assert len(tools) == len(operations) + len(split) - len({overlay.operation for overlay in split})
    sent = {(tool.method, tool.path) for tool in tools}
    assert {(method, path) for method, path, _ in operations} - sent == {
        tuple(overlay.operation.split(" ")) for overlay in split
    }


def test_an_overlay_of_an_operation_the_spec_lacks_stops_generation_naming_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tool_overlays, "OVERLAYS", (*tool_overlays.OVERLAYS, Overlay("GET /nowhere", "nowhere_get")))
    assert "Overlays of operations the spec lacks: ['GET /nowhere']" in stopped()


def test_an_operation_without_an_overlay_stops_generation_naming_it(monkeypatch: pytest.MonkeyPatch) -> None:
    kept = tuple(record for record in tool_overlays.OVERLAYS if record.name != "scenarios_list")
    monkeypatch.setattr(tool_overlays, "OVERLAYS", kept)
    assert "Operations without an overlay: ['GET /scenarios']" in stopped()


def test_two_overlays_of_one_operation_stop_generation(monkeypatch: pytest.MonkeyPatch) -> None:
    extra = Overlay("GET /scenarios", "scenarios_list-again")
    monkeypatch.setattr(tool_overlays, "OVERLAYS", (*tool_overlays.OVERLAYS, extra))
    assert "two overlays for GET /scenarios" in stopped()


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"field_descriptions": {"noSuchField": "x"}}, "scenarios_list: field_descriptions names 'noSuchField'"),
        ({"array_item_types": {"noSuchField": "string"}}, "scenarios_list: array_item_types names 'noSuchField'"),
        ({"exactly_one_of": ("teamId", "noSuchField")}, "scenarios_list: exactly_one_of names 'noSuchField'"),
        ({"json_string_fields": ("teamId",)}, "scenarios_list: json_string_fields names 'teamId'"),
        ({"required_body_fields": ("name",)}, "scenarios_list: required_body_fields names 'name'"),
        ({"required_whole_body": True}, "scenarios_list: required_whole_body, but it takes no free-form body"),
    ],
)
def test_an_overlay_naming_a_field_the_operation_lacks_stops_generation_naming_both(
    monkeypatch: pytest.MonkeyPatch, changes: dict[str, Any], problem: str
) -> None:
    with_overlay(monkeypatch, "scenarios_list", **changes)
    message = stopped()
    assert "records that match nothing in the spec" in message
    assert problem in message


def test_an_array_item_type_that_is_no_json_type_stops_generation(monkeypatch: pytest.MonkeyPatch) -> None:
    with_overlay(monkeypatch, "data-stores_delete-many", array_item_types={"ids": "int", "exceptIds": "integer"})
    assert "data-stores_delete-many: array_item_types gives 'ids' the unknown type 'int'" in stopped()


def test_a_parameter_or_toolset_record_matching_nothing_stops_generation(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(generate_tools.PARAMETERS, "noSuchParameter", Parameter("noSuchParameter", description="x"))
    monkeypatch.setattr(tool_overlays, "TOOLSETS", (*tool_overlays.TOOLSETS, Toolset("misc", tags=("No such page",))))
    message = stopped()
    assert "Parameter 'noSuchParameter': no operation has it" in message
    assert "Toolset misc: no operation has the tag 'No such page'" in message


def test_write_annotations_on_a_read_stop_generation(monkeypatch: pytest.MonkeyPatch) -> None:
    with_overlay(monkeypatch, "scenarios_list", writes=OVERWRITES)
    assert "scenarios_list: `writes` is for writes other than DELETE" in stopped()


def generated_operations(tools: list[generate_tools.Tool], toolset: str) -> dict[str, Any]:
    """The OPERATIONS of the generated module of `toolset`, executed, by name."""
    path = generate_tools.TOOLS_DIR / f"{toolset.replace('-', '_')}.py"
    text = generate_tools.generated_modules(tools)[path]
    namespace: dict[str, Any] = {}
    exec(compile(text, f"{toolset}.py", "exec"), namespace)
    return {operation.name: operation for operation in namespace["OPERATIONS"]}


def test_a_passed_through_field_reaches_the_operation_only_where_a_record_sets_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with_overlay(monkeypatch, "scenarios_list", default_cols=("id", "name", "isActive"))
    operations = generated_operations(generate_tools.build_tools(SPEC), "scenarios")

    assert operations["scenarios_list"].default_cols == ("id", "name", "isActive")
    assert operations["scenarios_get"].default_cols == ()
    assert operations["scenarios_run"].rate_limit_exempt and operations["scenarios_run"].min_timeout == 45.0
    assert operations["scenarios_list"].exactly_one_of == ("teamId", "organizationId")


def test_every_passed_through_field_is_a_field_of_operation() -> None:
    from make_mcp.tools.catalogue import Operation

    passed = {field.name for field in dataclasses.fields(Overlay) if field.metadata.get("operation")}
    assert passed == {
        "rate_limit_exempt",
        "min_timeout",
        "exactly_one_of",
        "at_least_one_of",
        "default_cols",
        "trimmed_fields",
        "not_trimmed",
        "core_rank",
        "default_query",
        "checks_blueprint",
        "column_aliases",
        "destructive_fields",
        "changes_scenarios",
        "runs_as_task",
    }
    assert passed <= {field.name for field in dataclasses.fields(Operation)}


def test_an_operation_naming_a_run_takes_its_steps_and_run_from_tools_runs() -> None:
    from make_mcp.tools import runs

    operations = generated_operations(generate_tools.build_tools(SPEC), "scenarios")
    assert operations["scenarios_get"].steps == runs.SCENARIO_WITH_BLUEPRINT.steps
    assert operations["scenarios_get"].run is runs.SCENARIO_WITH_BLUEPRINT.run
    assert operations["scenarios_list"].steps == () and operations["scenarios_list"].run is None


def test_a_run_that_tools_runs_lacks_or_that_leaves_out_the_operation_s_request_stops_generation(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with_overlay(monkeypatch, "scenarios_get", run="NO_SUCH_RUN")
    assert "run: scenarios_get names 'NO_SUCH_RUN', which is no Run of tools/runs.py" in stopped()
    with_overlay(monkeypatch, "scenarios_get", run="CONNECTION_UPDATE")
    assert "does not declare GET /scenarios/{scenarioId}" in stopped()
