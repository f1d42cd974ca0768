"""A scenario interface becomes a Pydantic input model, its JSON schema and the outputSchema."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from make_mcp.server.engine.operations import validate_input
from make_mcp.server.errors import InvalidArguments
from make_mcp.server.sandbox.demo_scenario_tools import LEAD_INPUTS, LEAD_OUTPUTS
from make_mcp.server.scenario_tools.running import run_data
from make_mcp.server.scenario_tools.schema import (
    KNOWN_TYPES,
    arguments_schema,
    describe_outputs,
    input_model,
    output_properties,
    output_schema,
)


def schema_of(items: Any) -> dict[str, Any]:
    return arguments_schema(input_model("Test", items))


def optional(branch: dict[str, Any], **around: Any) -> dict[str, Any]:
    """The portable spelling of an optional field: its type or null (null means left out)."""
    return {"anyOf": [branch, {"type": "null"}], **around}


def problems(items: Any, arguments: dict[str, Any]) -> str:
    with pytest.raises(InvalidArguments) as caught:
        validate_input(input_model("Test", items), "score_a_lead_404", arguments)
    return str(caught.value)


def test_label_is_the_title_help_the_description_and_required_without_default_is_required() -> None:
    schema = schema_of(
        [
            {"name": "name", "type": "text", "label": "Full name", "help": "First and last.", "required": True},
            {"name": "plan", "type": "text", "required": True, "default": "free"},
            {"name": "note", "type": "text"},
        ]
    )
    assert schema["properties"]["name"] == {"type": "string", "title": "Full name", "description": "First and last."}
    assert schema["properties"]["plan"] == optional({"type": "string"}, default="free")
    assert schema["properties"]["note"] == optional({"type": "string"})
    assert schema["required"] == ["name"]
    assert "additionalProperties" not in schema  # portable: validation refuses unknown arguments instead
    assert "- nope: is not a parameter of this tool" in problems([{"name": "name", "type": "text"}], {"nope": 1})


def test_each_scalar_type_has_its_json_type_and_bounds() -> None:
    schema = schema_of(
        [
            {"name": "n", "type": "number", "validate": {"min": 0.5, "max": 9}},
            {"name": "i", "type": "integer", "validate": {"min": -3}},
            {"name": "u", "type": "uinteger"},
            {"name": "b", "type": "boolean"},
            {"name": "t", "type": "text", "validate": {"min": 2, "max": 5, "pattern": "^[a-z]+$"}},
            {"name": "site", "type": "url"},
            {"name": "mail", "type": "email"},
            {"name": "data", "type": "json"},
            {"name": "free", "type": "dynamicCollection"},
        ]
    )["properties"]
    assert schema["n"] == optional({"type": "number", "minimum": 0.5, "maximum": 9})
    assert schema["i"] == optional({"type": "integer", "minimum": -3})
    assert schema["u"] == optional({"type": "integer", "minimum": 0})
    assert schema["b"] == optional({"type": "boolean"})
    assert schema["t"] == optional({"type": "string", "minLength": 2, "maxLength": 5, "pattern": "^[a-z]+$"})
    assert schema["site"] == optional({"type": "string", "format": "uri"})
    assert schema["mail"] == optional({"type": "string", "format": "email"})
    # A free-form object also takes its JSON text (strict converters close objects to no members).
    object_or_text = [{"type": "object"}, {"type": "string"}, {"type": "null"}]
    assert schema["data"] == {"anyOf": object_or_text, "description": "a JSON object"}
    assert schema["free"] == {"anyOf": object_or_text, "description": "an object with any keys"}


def test_select_options_become_an_enum_and_their_nested_fields_optional_siblings() -> None:
    schema = schema_of(LEAD_INPUTS)["properties"]
    assert schema["source"]["anyOf"] == [{"enum": ["web", "referral", "event"], "type": "string"}, {"type": "null"}]
    assert schema["source"]["default"] == "web"
    assert "referral (Referral)" in schema["source"]["description"]
    assert schema["referrer"]["anyOf"] == [{"type": "string"}, {"type": "null"}]
    assert "used when source is 'referral'" in schema["referrer"]["description"]


def test_a_select_of_numbers_is_a_typed_range_that_still_takes_only_its_options() -> None:
    items = [{"name": "size", "type": "select", "options": [{"value": 1}, {"value": 5}, {"value": 50}]}]
    size = schema_of(items)["properties"]["size"]
    assert size == optional({"type": "integer", "minimum": 1, "maximum": 50}, description="one of: 1, 5, 50")
    assert "- size:" in problems(items, {"size": 7})
    assert run_data(validate_input(input_model("Size", items), "size", {"size": 5})) == {"size": 5}


def test_a_field_named_like_a_schema_keyword_is_a_field() -> None:
    schema = schema_of([{"name": "$ref", "type": "text", "required": True}, {"name": "properties", "type": "number"}])
    assert schema["properties"]["$ref"] == {"type": "string"}
    assert schema["properties"]["properties"] == optional({"type": "number"})
    assert schema["required"] == ["$ref"]


def test_collections_nest_and_arrays_of_collections_are_arrays_of_objects() -> None:
    schema = schema_of(LEAD_INPUTS)["properties"]
    assert schema["address"]["title"] == "Address" and schema["address"]["anyOf"][1] == {"type": "null"}
    address = schema["address"]["anyOf"][0]
    assert address["type"] == "object" and address["required"] == ["city"]
    assert address["properties"]["city"] == {"type": "string", "title": "City"}
    assert address["properties"]["country"]["anyOf"][0] == {"enum": ["CZ", "DE", "FR", "US"], "type": "string"}
    assert schema["interactions"]["anyOf"][1] == {"type": "null"}
    interactions = schema["interactions"]["anyOf"][0]
    assert interactions["type"] == "array" and interactions["maxItems"] == 20
    assert interactions["items"]["properties"]["channel"]["enum"] == ["email", "call", "meeting"]
    assert interactions["items"]["required"] == ["channel"]


def test_a_multiple_select_takes_several_of_its_options() -> None:
    items = [{"name": "tags", "type": "select", "multiple": True, "options": ["a", "b"]}]
    tags = {"type": "array", "items": {"enum": ["a", "b"], "type": "string"}}
    assert schema_of(items)["properties"]["tags"] == optional(tags)
    assert "- tags.1:" in problems(items, {"tags": ["a", "c"]})
    multiple_text = [{"name": "codes", "type": "text", "multiple": True, "validate": {"max": 2}}]
    codes = schema_of(multiple_text)["properties"]["codes"]
    assert codes == optional({"type": "array", "items": {"type": "string", "maxLength": 2}})


def test_an_array_of_one_field_spec_is_an_array_of_that_type() -> None:
    schema = schema_of([{"name": "to", "type": "array", "spec": {"type": "email"}}])["properties"]["to"]
    assert schema == optional({"type": "array", "items": {"type": "string", "format": "email"}})
    assert "- to.1:" in problems([{"name": "to", "type": "array", "spec": {"type": "email"}}], {"to": ["a@b.cz", "x"]})


def test_valid_arguments_pass_and_only_the_given_ones_are_sent_under_makes_names() -> None:
    model = input_model("Lead", LEAD_INPUTS)
    arguments = {
        "name": "Ana Silva",
        "email": "ana@example.com",
        "employees": 120,
        "firstContact": "2025-03-01",
        "address": {"city": "Lisbon"},
        "interactions": [{"channel": "meeting", "date": "2025-03-02T10:00:00Z"}],
    }
    assert run_data(validate_input(model, "lead", arguments)) == arguments


def test_invalid_arguments_name_every_field_that_failed() -> None:
    text = problems(
        LEAD_INPUTS,
        {
            "email": "not-an-email",
            "employees": 0,
            "source": "cold call",
            "firstContact": "next tuesday",
            "address": {"street": "Main 1"},
            "interactions": [{"channel": "fax"}],
            "budgte": 5,
        },
    )
    assert "nothing was sent to Make" in text
    for where in (
        "- name:",
        "- email:",
        "- employees:",
        "- source:",
        "- firstContact:",
        "- address.city:",
        "- interactions.0.channel:",
        "- budgte: is not a parameter of this tool; did you mean budget?",
    ):
        assert where in text, where


def test_dates_times_and_timestamps_are_checked() -> None:
    items = [{"name": "d", "type": "date"}, {"name": "t", "type": "time"}, {"name": "ts", "type": "timestamp"}]
    model = input_model("When", items)
    good = validate_input(model, "when", {"d": "2025-03-01T09:00:00Z", "t": "09:30", "ts": 1_736_933_400})
    assert run_data(good) == {"d": "2025-03-01T09:00:00Z", "t": "09:30", "ts": 1_736_933_400}
    text = problems(items, {"d": "2025-13-01", "t": "25:00", "ts": "soon"})
    assert "- d:" in text and "- t:" in text and "- ts:" in text


def test_an_unknown_type_accepts_any_value_and_says_so() -> None:
    items = [{"name": "blob", "type": "buffer", "required": True}, {"name": "odd"}]
    schema = schema_of(items)
    assert "'buffer' is not known" in schema["properties"]["blob"]["description"]
    assert "'missing' is not known" in schema["properties"]["odd"]["description"]
    model = input_model("Odd", items)
    assert run_data(validate_input(model, "odd", {"blob": [1, {"a": 2}]})) == {"blob": [1, {"a": 2}]}


def test_make_names_that_are_not_python_names_are_arguments_as_they_are() -> None:
    items = [{"name": "first name", "type": "text"}, {"name": "model_config", "type": "number"}]
    model = input_model("Names", items)
    assert run_data(validate_input(model, "names", {"first name": "Ana", "model_config": 2})) == {
        "first name": "Ana",
        "model_config": 2,
    }
    assert "field_0" in problems(items, {"field_0": "Ana"})  # the internal name is not an argument


def test_no_inputs_is_a_tool_without_arguments() -> None:
    for nothing in (None, [], "garbage", {"name": 3}, [{"type": "text"}, "x"]):
        assert schema_of(nothing)["properties"] == {}


def test_outputs_become_an_open_object_schema_inside_the_run_result() -> None:
    outputs = output_properties(LEAD_OUTPUTS)
    assert outputs["properties"]["score"] == {"type": "integer", "title": "Score (0-100)"}
    assert outputs["properties"]["reasons"]["items"] == {"type": "string"}
    assert "required" not in outputs and outputs["additionalProperties"] is True
    schema = output_schema(LEAD_OUTPUTS)
    validator = Draft202012Validator(schema)
    assert validator.is_valid({"executionId": "e1", "status": "SUCCESS", "outputs": {"score": 70, "tier": "hot"}})
    assert validator.is_valid({"executionId": "e1", "status": "RUNNING", "outputs": {}, "next": "later"})
    assert not validator.is_valid({"executionId": "e1", "status": "SUCCESS", "outputs": {"score": "high"}})


def test_no_output_is_required_at_any_depth() -> None:
    nested = [
        {
            "name": "row",
            "type": "collection",
            "required": True,
            "spec": [{"name": "id", "type": "integer", "required": True}],
        }
    ]
    schema = output_properties(nested)
    assert "required" not in schema and "required" not in schema["properties"]["row"]
    assert schema["properties"]["row"]["additionalProperties"] is True


def test_the_outputs_phrase_names_each_output_and_its_type() -> None:
    assert describe_outputs(LEAD_OUTPUTS) == (
        "It returns the outputs score (integer), tier (text), reasons (array), crmId (text)."
    )
    assert "no outputs" in describe_outputs(None)


FIELD = st.fixed_dictionaries(
    {"name": st.text(max_size=6), "type": st.sampled_from([*KNOWN_TYPES, "weird", 3, None])},
    optional={
        "required": st.booleans() | st.none() | st.text(max_size=2),
        "default": st.none() | st.integers() | st.text(max_size=3),
        "label": st.text(max_size=5) | st.integers(),
        "options": st.lists(st.none() | st.integers() | st.fixed_dictionaries({"value": st.text(max_size=3)})),
        "spec": st.none() | st.lists(st.fixed_dictionaries({"name": st.text(max_size=3), "type": st.just("text")})),
        "validate": st.none()
        | st.fixed_dictionaries(
            {}, optional={"min": st.integers(-5, 5), "max": st.integers(-5, 5), "pattern": st.text(max_size=4)}
        ),
        "multiple": st.booleans(),
    },
)


@settings(deadline=None)  # building models at run time is slow on a loaded machine
@given(st.lists(FIELD, max_size=6))
def test_any_interface_gives_a_model_and_a_schema_without_crashing(items: list[dict[str, Any]]) -> None:
    schema = schema_of(items)
    Draft202012Validator.check_schema(schema)
    Draft202012Validator.check_schema(output_schema(items))
