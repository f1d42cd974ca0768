"""Registry-wide invariants of the generated catalogue: every documented operation is one well-formed tool."""

from __future__ import annotations

import csv
import dataclasses
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError
from pydantic.fields import FieldInfo

from make_mcp import tools
from make_mcp.server.engine.operations import input_schema
from make_mcp.tools.catalogue import MakeInput, ModelRef, Operation, Pagination, Wire
from make_mcp.tools.registry import ALL_OPERATIONS, HAND_WRITTEN_OPERATIONS, TOOLSETS

SPEC = json.loads((Path(tools.__file__).parent / "spec" / "make-openapi.json").read_text(encoding="utf-8"))
SPEC_OPERATIONS = {
    (method.upper(), path)
    for path, item in SPEC["paths"].items()
    for method in item
    if method in ("get", "post", "put", "patch", "delete", "options")
}
# The reference's table of operations, one row each, beside the OpenAPI document: the two must agree.
with (Path(tools.__file__).parent / "spec" / "operations.tsv").open(encoding="utf-8") as table:
    OPERATIONS_TSV = [(row["method"], row["path"]) for row in csv.DictReader(table, delimiter="\t")]
TOOL_NAME = re.compile(r"^[a-z0-9-]+_[a-z0-9-]+(_[a-z0-9-]+)*$")


def wires(field: FieldInfo) -> list[Wire]:
    return [item for item in field.metadata if isinstance(item, Wire)]


def wire_name(name: str, field: FieldInfo) -> str:
    return wires(field)[0].name or name


def by_name(name: str) -> Operation:
    return next(operation for operation in ALL_OPERATIONS if operation.name == name)


def fits(path: str, template: str) -> bool:
    """A literal segment may stand for a documented {placeholder} (e.g. the `api` section, `public`)."""
    parts, documented = path.split("/"), template.split("/")
    return len(parts) == len(documented) and all(
        mine == theirs or (theirs.startswith("{") and not mine.startswith("{"))
        for mine, theirs in zip(parts, documented, strict=True)
    )


def documented_operation(operation: Operation) -> tuple[str, str]:
    """The spec's operation a tool sends: its own template, or the one whose placeholder it fixes."""
    if (operation.method, operation.path) in SPEC_OPERATIONS:
        return operation.method, operation.path
    found = [
        (method, path)
        for method, path in SPEC_OPERATIONS
        if method == operation.method and fits(operation.path, path) and admits(method, path, operation.path)
    ]
    return found[0] if len(found) == 1 else (operation.method, operation.path)


def admits(method: str, template: str, path: str) -> bool:
    """Each literal segment of `path` is a value the template's placeholder there may take."""
    parameters = {p["name"]: p["schema"] for p in SPEC["paths"][template][method.lower()].get("parameters", [])}
    for mine, theirs in zip(path.split("/"), template.split("/"), strict=True):
        if theirs.startswith("{") and not mine.startswith("{"):
            allowed = parameters.get(theirs[1:-1], {}).get("enum")
            if allowed is not None and mine not in allowed:
                return False
    return True


def test_every_documented_operation_has_exactly_one_tool_or_one_per_fixed_value() -> None:
    generated = [
        operation
        for operation in ALL_OPERATIONS
        if operation not in HAND_WRITTEN_OPERATIONS and (operation.meta or {}).get("documented") is not False
    ]
    declared = [documented_operation(operation) for operation in generated]
    missing = sorted(SPEC_OPERATIONS - set(declared))
    # Several tools of one operation each fix another value of its path (sdk-apps_set-public and set-private).
    twice = sorted(
        {
            key
            for key in declared
            if len([op.path for op in generated if documented_operation(op) == key])
            != len({op.path for op in generated if documented_operation(op) == key})
        }
    )
    unknown = sorted(set(declared) - SPEC_OPERATIONS)
    assert not missing, f"documented operations without a tool: {missing}"
    assert not twice, f"operations with several tools: {twice}"
    assert not unknown, f"tools for undocumented operations: {unknown}"
    assert len(set(declared)) == len(SPEC_OPERATIONS) == len(OPERATIONS_TSV)
    assert set(OPERATIONS_TSV) == SPEC_OPERATIONS


def test_each_tool_of_an_operation_the_reference_lacks_says_so_and_is_one_the_official_set_calls() -> None:
    undocumented = json.loads((Path(tools.__file__).parent / "spec" / "official-undocumented-openapi.json").read_text())
    expected = {(method.upper(), path) for path, item in undocumented["paths"].items() for method in item}
    marked = {(op.method, op.path) for op in ALL_OPERATIONS if (op.meta or {}).get("documented") is False}
    # Besides the official set's, the hand-written tools may wrap what only Make's own OpenAPI JSON shows
    # (stopping a run); they say so too.
    hand_written = {
        (op.method, op.path) for op in HAND_WRITTEN_OPERATIONS if (op.meta or {}).get("documented") is False
    }
    assert marked - hand_written == expected
    assert not expected & SPEC_OPERATIONS


def test_hand_written_tools_each_wrap_a_documented_operation() -> None:
    assert HAND_WRITTEN_OPERATIONS and all(operation in ALL_OPERATIONS for operation in HAND_WRITTEN_OPERATIONS)

    def documented(method: str, path: str) -> bool:
        return any(method == theirs and fits(path, template) for theirs, template in SPEC_OPERATIONS)

    unmatched = [
        operation.name
        for operation in HAND_WRITTEN_OPERATIONS
        # A tool of several requests sends its steps (sdk-modules_set-section's path names the section's).
        if not (
            all(documented(step.method, step.path) for step in operation.steps)
            if operation.steps
            else documented(operation.method, operation.path)
        )
        # Operations Make's public reference leaves out (in its own OpenAPI JSON only) say so in `_meta`.
        and (operation.meta or {}).get("documented") is not False
    ]
    assert not unmatched, f"hand-written tools for undocumented operations: {unmatched}"


def test_tool_names_are_unique_short_resource_action_names() -> None:
    names = [operation.name for operation in ALL_OPERATIONS]
    assert len(set(names)) == len(names), sorted({name for name in names if names.count(name) > 1})
    bad = [name for name in names if not TOOL_NAME.match(name) or len(name) > 48]
    assert not bad, f"names not <resource>_<action>, lowercase, at most 48 characters: {bad}"


def test_official_tool_names_are_kept_for_the_operations_they_cover() -> None:
    expected = {
        ("GET", "/scenarios"): "scenarios_list",
        ("POST", "/scenarios/{scenarioId}/start"): "scenarios_activate",
        ("POST", "/scenarios/{scenarioId}/run"): "scenarios_run",
        ("GET", "/scenarios/{scenarioId}/interface"): "scenarios_interface",
        ("GET", "/data-stores/{dataStoreId}/data"): "data-store-records_list",
        ("GET", "/users/me"): "users_me",
        ("GET", "/sdk/apps/{SDK_appName}/{SDK_appVersion}/modules"): "sdk-modules_list",
    }
    declared = {(operation.method, operation.path): operation.name for operation in ALL_OPERATIONS}
    assert {key: declared[key] for key in expected} == expected


def test_every_tool_has_a_title_a_description_a_scope_and_a_known_toolset() -> None:
    incomplete = [
        operation.name
        for operation in ALL_OPERATIONS
        if not operation.title.strip()
        or not operation.description.strip()
        or not operation.scopes
        or not all(":" in scope for scope in operation.scopes)
        or operation.toolset not in TOOLSETS
    ]
    assert not incomplete, f"tools missing a title, description, scope or toolset: {incomplete}"
    assert set(TOOLSETS) == {operation.toolset for operation in ALL_OPERATIONS}


def test_every_tool_states_all_annotations() -> None:
    flags = ("read_only", "destructive", "idempotent", "open_world")
    unset = [
        (operation.name, flag)
        for operation in ALL_OPERATIONS
        for flag in flags
        if not isinstance(getattr(operation, flag), bool)
    ]
    assert not unset, f"annotations that are not booleans: {unset}"


def test_get_tools_and_only_they_are_read_only() -> None:
    wrong = [operation.name for operation in ALL_OPERATIONS if operation.read_only != (operation.method == "GET")]
    assert not wrong, f"read_only disagrees with the method: {wrong}"


def test_delete_tools_are_destructive_and_read_only_tools_are_not() -> None:
    wrong = [
        operation.name
        for operation in ALL_OPERATIONS
        if (operation.method == "DELETE" and not operation.destructive)
        or (operation.read_only and operation.destructive)
    ]
    assert not wrong, f"wrong destructive annotation: {wrong}"


def test_running_a_scenario_is_destructive_and_switching_it_on_is_idempotent() -> None:
    run, activate = by_name("scenarios_run"), by_name("scenarios_activate")
    assert (run.destructive, run.idempotent) == (True, False)
    assert (activate.destructive, activate.idempotent) == (False, True)


def test_loading_the_registry_builds_no_generated_input_model() -> None:
    loaded = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, make_mcp.tools.registry; print(sorted(m for m in sys.modules if m.startswith('make_mcp.tools.inputs')))",
        ],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(tools.__file__).parent.parent,
    )
    assert loaded.stdout.strip() == "[]"


def test_an_operation_reads_its_model_reference_as_the_class_that_module_defines() -> None:
    declared = by_name("hooks_list")
    operation = dataclasses.replace(declared, input_model=ModelRef("make_mcp.tools.inputs.hooks", "HooksListInput"))
    assert isinstance(vars(operation)["input_model"], ModelRef)

    from make_mcp.tools.inputs.hooks import HooksListInput

    assert operation.input_model is HooksListInput is declared.input_model
    assert vars(operation)["input_model"] is HooksListInput  # loaded once, then kept


def test_a_model_reference_to_something_that_is_no_input_model_fails_naming_it() -> None:
    with pytest.raises(TypeError, match=r"tools\.inputs\.hooks\.Annotated is not an input model"):
        ModelRef("make_mcp.tools.inputs.hooks", "Annotated").load()
    with pytest.raises(AttributeError, match="NoSuchInput"):
        ModelRef("make_mcp.tools.inputs.hooks", "NoSuchInput").load()


def test_input_models_refuse_unknown_arguments() -> None:
    accepting = []
    for operation in ALL_OPERATIONS:
        assert issubclass(operation.input_model, MakeInput), operation.name
        with pytest.raises(ValidationError) as raised:
            operation.input_model.model_validate({"notAMakeParameter": 1})
        if "extra_forbidden" not in {error["type"] for error in raised.value.errors()}:
            accepting.append(operation.name)
    assert not accepting, f"input models that accept unknown arguments: {accepting}"


def test_input_schemas_are_plain_objects_without_top_level_unions() -> None:
    bad = []
    for operation in ALL_OPERATIONS:
        schema = operation.input_model.model_json_schema()
        if schema.get("type") != "object" or {"anyOf", "oneOf", "allOf"} & schema.keys():
            bad.append(operation.name)
    assert not bad, f"input schemas that are not plain objects: {bad}"


def test_every_field_says_where_it_goes_in_the_request() -> None:
    unplaced = [
        f"{operation.name}.{name}"
        for operation in ALL_OPERATIONS
        for name, field in operation.input_model.model_fields.items()
        if len(wires(field)) != 1 and operation.builder is None  # a builder tool's handler reads its fields
    ]
    assert not unplaced, f"fields without exactly one Wire marker: {unplaced}"


def test_every_path_placeholder_has_a_path_field() -> None:
    mismatched = []
    for operation in ALL_OPERATIONS:
        if operation.builder is not None:  # its handler fills the paths of the requests it sends
            continue
        placeholders = set(re.findall(r"{([^}]+)}", operation.path))
        path_fields = {
            wire_name(name, field)
            for name, field in operation.input_model.model_fields.items()
            if wires(field)[0].location == "path"
        }
        required = all(
            field.is_required()
            for field in operation.input_model.model_fields.values()
            if wires(field)[0].location == "path"
        )
        if placeholders != path_fields or not required:
            mismatched.append((operation.name, sorted(placeholders), sorted(path_fields)))
    assert not mismatched, f"path placeholders without a required path field: {mismatched}"


def test_paging_is_one_pg_field_and_columns_one_cols_list() -> None:
    scenarios_list = by_name("scenarios_list").input_model
    fields = scenarios_list.model_fields
    assert not any(name.startswith("pg[") or "[" in name for name in fields)
    assert wires(fields["cols"])[0].name == "cols[]"
    parsed: Any = scenarios_list.model_validate({"teamId": 1, "pg": {"limit": 10, "sortBy": "name"}})
    assert isinstance(parsed.pg, Pagination)
    with pytest.raises(ValidationError):
        scenarios_list.model_validate({"teamId": 1, "pg": {"sortBy": "not-a-documented-key"}})


def test_scenario_blueprint_and_scheduling_are_taken_as_objects_and_sent_as_json_text() -> None:
    for name in ("scenarios_create", "scenarios_update"):
        fields = by_name(name).input_model.model_fields
        for field_name in ("blueprint", "scheduling"):
            wire = wires(fields[field_name])[0]
            assert (wire.location, wire.json_string) == ("body", True), (name, field_name)
    created: Any = by_name("scenarios_create").input_model.model_validate(
        {"teamId": 1, "blueprint": {"name": "x", "flow": []}, "scheduling": {"type": "indefinitely", "interval": 900}}
    )
    assert created.scheduling == {"type": "indefinitely", "interval": 900}


def test_python_keywords_keep_their_wire_name_for_agents() -> None:
    model = by_name("executions_list").input_model
    assert "from" in model.model_json_schema()["properties"]
    parsed: Any = model.model_validate({"scenarioId": 1, "from": 5})
    assert parsed.from_ == 5


def test_response_keys_follow_what_make_answers() -> None:
    assert by_name("scenarios_list").response_key == "scenarios"
    assert by_name("sdk-rpcs_list").response_key == "appRpcs"
    assert by_name("custom-property-structures_create").response_key == "customPropertyStructure"


def test_output_schemas_are_lenient_objects() -> None:
    strict = []
    for operation in ALL_OPERATIONS:
        schema = operation.output_schema
        if schema is None:
            continue
        properties = schema.get("properties", {})
        if (
            schema.get("type") != "object"
            or "required" in schema
            or "additionalProperties" in schema
            or any("null" not in value.get("type", ["null"]) for value in properties.values())
        ):
            strict.append(operation.name)
    assert not strict, f"output schemas that would reject nulls or extra keys: {strict}"


# Operations Make cannot carry out without these body fields, although the reference marks them optional.
NEEDED_BODY_FIELDS = {
    "connections_create": {"name", "accountName"},  # the official names: Make's accountName and accountType
    "scenarios_set-interface": {"interface"},
    "hooks_rename": {"name"},
    "team-variables_create": {"name", "typeId", "value"},
    "sdk-connections_create": {"type", "label"},
}


@pytest.mark.parametrize("name", sorted(NEEDED_BODY_FIELDS))
def test_a_create_or_update_refuses_a_call_without_the_body_fields_it_cannot_do_without(name: str) -> None:
    model = by_name(name).input_model
    path_arguments = {
        field_name: "1"
        for field_name, field in model.model_fields.items()
        if wires(field)[0].location == "path" or field_name == "teamId"
    }
    with pytest.raises(ValidationError) as raised:
        model.model_validate(path_arguments)
    missing = {str(error["loc"][0]) for error in raised.value.errors() if error["type"] == "missing"}
    assert missing == NEEDED_BODY_FIELDS[name]
    assert NEEDED_BODY_FIELDS[name] <= set(model.model_json_schema(by_alias=True)["required"])


def test_connections_create_says_what_account_name_and_type_are() -> None:
    properties = by_name("connections_create").input_model.model_json_schema()["properties"]
    # The official tool's names: `name` travels as Make's accountName, `accountName` as Make's accountType.
    assert "display name" in properties["name"]["description"].lower()
    assert "slack2" in properties["accountName"]["description"]
    assert "oauth2" in properties["accountName"]["description"]


def test_lists_sort_both_ways_except_scenarios_which_make_sorts_only_descending() -> None:
    narrowed = []
    for operation in ALL_OPERATIONS:
        if "pg" not in operation.input_model.model_fields:
            continue
        for direction in ("asc", "desc"):
            arguments = {name: 1 for name, field in operation.input_model.model_fields.items() if field.is_required()}
            try:
                operation.input_model.model_validate({**arguments, "pg": {"sortDir": direction}})
            except ValidationError as error:
                if any(problem["loc"][:2] == ("pg", "sortDir") for problem in error.errors()):
                    narrowed.append((operation.name, direction))
    # The reference says ascending order is not allowed on GET /scenarios, so it is refused before Make.
    assert narrowed == [("scenarios_list", "asc")]


def test_binary_bodies_say_in_their_description_that_they_are_base64_of_their_media_type() -> None:
    # In words, not contentEncoding / contentMediaType: Gemini's schema refuses those keywords.
    described: dict[str, str] = {}
    for operation in ALL_OPERATIONS:
        properties = input_schema(operation.input_model)["properties"]
        for name, field in operation.input_model.model_fields.items():
            if operation.builder is not None:  # no field of a builder tool is sent as it is
                break
            wire = wires(field)[0]
            if wire.base64:
                shown = properties[field.alias or name]
                assert "contentEncoding" not in shown and "contentMediaType" not in shown
                assert wire.content_type is not None
                kind = wire.content_type.split("/")[-1].upper()
                assert "base64" in shown["description"] and kind in shown["description"], operation.name
                described[operation.name] = shown["description"]
    assert "sdk-apps_set-icon" in described
