"""Forman field checks: each rule with values that break it and values that pass, modelled on the cases of
Make's validator (our own cases), plus hostile inputs answered with one bounded finding."""

from typing import Any

import pytest

from make_mcp.server.builder.findings import Finding
from make_mcp.server.builder.forman import MAX_DEPTH, MAX_FINDINGS, validate_fields, validate_module


def check(specs: list[dict[str, Any]], values: dict[str, Any] | None, *, where: str = "mapper", strict: bool = False):
    return validate_fields(specs, values, where=where, module_id=7, strict=strict)  # type: ignore[arg-type]


def only(findings: list[Finding]) -> Finding:
    assert len(findings) == 1, findings
    return findings[0]


def errors(findings: list[Finding]) -> list[str]:
    return [finding.path for finding in findings if finding.severity == "error"]


def warnings(findings: list[Finding]) -> list[str]:
    return [finding.path for finding in findings if finding.severity == "warning"]


CHANNEL = {
    "name": "channelType",
    "label": "Channel type",
    "type": "select",
    "required": True,
    "options": [
        {
            "label": "Public channel",
            "value": "public",
            "nested": [{"name": "channel", "type": "text", "required": True}],
        },
        {"label": "Direct message", "value": "im", "nested": [{"name": "user", "type": "text", "required": True}]},
    ],
}


# Values that fit pass.


def test_values_of_every_primitive_type_that_fit_give_no_findings():
    specs = [
        {"name": name, "type": kind}
        for name, kind in [
            ("t", "text"), ("n", "number"), ("i", "integer"), ("u", "uinteger"), ("b", "boolean"), ("c", "checkbox"),
            ("d", "date"), ("tm", "time"), ("ts", "timestamp"), ("tz", "timezone"), ("e", "email"), ("url", "url"),
            ("id", "uuid"), ("col", "color"), ("j", "json"), ("buf", "buffer"), ("fn", "filename"), ("p", "path"),
            ("port", "port"), ("h", "hidden"), ("ag", "aiagent"), ("sc", "scenario"),
        ]
    ]  # fmt: skip
    values = {
        "t": "hello", "n": 1.5, "i": -3, "u": 0, "b": False, "c": True, "d": "2026-01-31", "tm": "10:00",
        "ts": "2026-01-31T10:00:00Z", "tz": "Europe/Prague", "e": "a@b.example", "url": "https://x.example",
        "id": "9b2f7c1e-0000-4000-8000-000000000000", "col": "#ff0000", "j": {"any": ["json"]}, "buf": "aGk=",
        "fn": "a.txt", "p": "/a/b", "port": 443, "h": [1, {"x": None}], "ag": "agent-1", "sc": "42",
    }  # fmt: skip
    assert check(specs, values) == []


def test_reference_types_take_the_numeric_id_of_what_they_reference():
    specs = [
        {"name": "__IMTCONN__", "type": "account:google"},
        {"name": "__IMTHOOK__", "type": "hook:gateway-webhook"},
        {"name": "key", "type": "keychain:apikey"},
        {"name": "device", "type": "device:smartphone"},
        {"name": "datastore", "type": "datastore"},
        {"name": "udt", "type": "udt"},
    ]
    values = {"__IMTCONN__": 11, "__IMTHOOK__": 12, "key": 13, "device": 14, "datastore": 15, "udt": 16}
    assert check(specs, values, where="parameters") == []


def test_display_only_fields_take_no_value_and_never_give_a_finding():
    specs = [{"type": kind, "name": kind, "required": True} for kind in ("banner", "markdown", "html", "separator")]
    assert check(specs, {}, strict=False) == []


def test_absent_optional_fields_and_null_values_are_fine():
    assert check([{"name": "a", "type": "text"}, {"name": "b", "type": "number"}], {"b": None}) == []
    assert check([{"name": "a", "type": "text"}], None) == []


# Types.


def test_a_boolean_written_as_the_text_false_is_an_error_whose_fix_drops_the_quotes():
    finding = only(
        check([{"name": "includesHeaders", "label": "Headers", "type": "boolean"}], {"includesHeaders": "false"})
    )
    assert (finding.severity, finding.path, finding.moduleId) == ("error", "mapper.includesHeaders", 7)
    assert "`mapper.includesHeaders` (Headers)" in finding.message and "boolean" in finding.message
    assert finding.fix == "Write false without quotes."


def test_a_checkbox_given_a_number_is_an_error():
    finding = only(check([{"name": "c", "type": "checkbox"}], {"c": 5}))
    assert finding.severity == "error" and finding.fix == "Write true or false (without quotes)."


def test_a_boolean_given_one_or_yes_is_an_error_whose_fix_names_the_boolean_meant():
    spec = [{"name": "b", "type": "boolean"}]
    assert only(check(spec, {"b": 1})).fix == "Write true (a boolean, without quotes)."
    assert only(check(spec, {"b": "no"})).fix == "Write false (a boolean, without quotes)."


def test_a_number_too_large_for_a_float_is_not_a_number():
    assert errors(check([{"name": "n", "type": "integer"}], {"n": "1e400"})) == ["mapper.n"]


def test_a_number_field_takes_a_numeric_string_as_make_converts_it():
    assert (
        check([{"name": "limit", "type": "number"}, {"name": "port", "type": "port"}], {"limit": "200", "port": "8080"})
        == []
    )


def test_a_number_field_given_words_is_an_error():
    finding = only(check([{"name": "limit", "type": "number"}], {"limit": "ten"}))
    assert finding.severity == "error" and 'the text "ten"' in finding.message


def test_a_boolean_is_not_a_number():
    assert errors(check([{"name": "limit", "type": "number"}], {"limit": True})) == ["mapper.limit"]


def test_integer_types_refuse_fractions_negative_uintegers_and_ports_out_of_range():
    specs = [{"name": "i", "type": "integer"}, {"name": "u", "type": "uinteger"}, {"name": "p", "type": "port"}]
    findings = check(specs, {"i": 1.5, "u": -1, "p": 70000})
    assert errors(findings) == ["mapper.i", "mapper.u", "mapper.p"]
    assert "whole number" in findings[0].message and "0 or more" in findings[1].message and "65535" in findings[2].fix


def test_a_text_field_refuses_a_number_an_object_or_a_list_as_makes_validator_does():
    specs = [{"name": "a", "type": "text"}, {"name": "b", "type": "email"}, {"name": "c", "type": "url"}]
    findings = check(specs, {"a": 5, "b": {"x": 1}, "c": ["u"]})
    assert errors(findings) == ["mapper.a", "mapper.b", "mapper.c"]
    assert findings[0].fix == 'Write it in quotes: "5".'


def test_a_collection_must_be_an_object_and_the_fix_names_its_fields():
    spec = {
        "name": "address",
        "type": "collection",
        "spec": [{"name": "city", "type": "text"}, {"name": "zip", "type": "text"}],
    }
    finding = only(check([spec], {"address": "Prague"}))
    assert finding.severity == "error" and "city, zip" in finding.fix


def test_an_array_given_a_single_object_is_an_error_that_says_to_wrap_it():
    finding = only(check([{"name": "rows", "type": "array"}], {"rows": {"a": 1}}))
    assert finding.severity == "error" and "[ ]" in finding.fix


def test_a_reference_type_given_a_name_instead_of_an_id_is_an_error():
    finding = only(
        check([{"name": "__IMTCONN__", "type": "account:slack"}], {"__IMTCONN__": "My Slack"}, where="parameters")
    )
    assert finding.severity == "error" and "connection" in finding.message and "numeric ID" in finding.fix
    assert errors(check([{"name": "d", "type": "datastore"}], {"d": 2.5})) == ["mapper.d"]
    assert check([{"name": "d", "type": "datastore"}], {"d": "25"}) == []


def test_json_hidden_and_untyped_fields_take_anything():
    specs = [{"name": "j", "type": "json"}, {"name": "h", "type": "hidden"}, {"name": "x"}]
    assert check(specs, {"j": "not json at all", "h": 3, "x": [1]}) == []


def test_a_field_of_a_type_we_do_not_know_is_not_judged():
    assert check([{"name": "x", "type": "hologram"}], {"x": {"any": 1}}) == []


# Required.


def test_a_required_field_left_empty_is_a_warning_because_the_editor_still_asks_for_it():
    findings = check(
        [
            {"name": "a", "label": "Subject", "type": "text", "required": True},
            {"name": "b", "type": "text", "required": True},
        ],
        {"b": ""},
    )
    assert warnings(findings) == ["mapper.a", "mapper.b"] and errors(findings) == []
    assert "(Subject)" in findings[0].message and "required" in findings[0].message


def test_a_connection_not_yet_picked_is_a_warning_naming_the_connection_type():
    finding = only(check([{"name": "__IMTCONN__", "type": "account:google", "required": True}], {}, where="parameters"))
    assert finding.severity == "warning" and "connection" in finding.message and "of type google" in finding.fix


def test_the_fix_for_an_empty_required_field_gives_its_default_or_its_options():
    findings = check([{"name": "a", "type": "number", "required": True, "default": 5}, CHANNEL], {})
    assert "default is 5" in findings[0].fix
    assert '"public", "im"' in findings[1].fix


def test_a_misspelt_key_is_named_in_the_fix_of_the_required_field_it_was_meant_for():
    finding = only(check([{"name": "spreadsheetId", "type": "text", "required": True}], {"spreadsheetID": "abc"}))
    assert finding.severity == "warning" and "Rename `spreadsheetID` to `spreadsheetId`" in finding.fix


# Select, radio, list.


def test_a_select_value_among_its_options_passes_and_its_nested_fields_are_checked():
    assert check([CHANNEL], {"channelType": "public", "channel": "C1"}) == []
    finding = only(check([CHANNEL], {"channelType": "im"}))
    assert (finding.severity, finding.path) == ("warning", "mapper.user")


def test_a_select_holding_an_option_label_is_an_error_whose_fix_names_the_value():
    finding = only(check([CHANNEL], {"channelType": "Public channel", "channel": "C1"}))
    assert finding.severity == "error" and "label" in finding.message
    assert finding.fix == 'Write "public" (the value of the option labelled "Public channel").'


def test_a_select_value_in_another_letter_case_is_an_error_whose_fix_names_the_value():
    finding = only(check([CHANNEL], {"channelType": "PUBLIC", "channel": "C1"}))
    assert finding.severity == "error" and "letter case" in finding.message
    assert finding.fix == 'Write "public" (the value of the option labelled "Public channel").'
    assert only(check([CHANNEL], {"channelType": "direct message", "user": "U1"})).fix.startswith('Write "im"')


def test_a_select_value_outside_its_options_is_an_error_listing_the_values():
    finding = only(check([CHANNEL], {"channelType": "group"}))
    assert finding.severity == "error" and finding.fix == 'Write one of: "public", "im".'


def test_option_values_match_by_json_type_so_the_text_true_is_not_true():
    spec = {
        "name": "headers",
        "type": "select",
        "options": [{"label": "Yes", "value": True}, {"label": "No", "value": False}],
    }
    assert check([spec], {"headers": True}) == []
    assert errors(check([spec], {"headers": "true"})) == ["mapper.headers"]
    assert errors(check([{"name": "n", "type": "select", "options": [{"label": "One", "value": 1}]}], {"n": True})) == [
        "mapper.n"
    ]


def test_grouped_options_are_searched_inside_their_groups():
    spec = {
        "name": "region",
        "type": "select",
        "grouped": True,
        "options": [
            {"label": "Europe", "options": [{"label": "Prague", "value": "eu-prg"}]},
            {"label": "America", "options": [{"label": "Ohio", "value": "us-oh"}]},
        ],
    }
    assert check([spec], {"region": "us-oh"}) == []
    assert '"us-oh"' in only(check([spec], {"region": "Ohio"})).fix
    assert '"eu-prg", "us-oh"' in only(check([spec], {"region": "mars"})).fix


def test_options_with_a_custom_value_key_are_matched_on_that_key():
    spec = {"name": "s", "type": "select", "options": {"value": "id", "store": [{"label": "A", "id": "a1"}]}}
    assert check([spec], {"s": "a1"}) == []
    assert errors(check([spec], {"s": "A"})) == ["mapper.s"]


def test_options_loaded_from_an_rpc_cannot_be_checked_locally_and_are_accepted():
    spec = {"name": "sheetId", "type": "select", "options": "rpc://google-sheets@2/listSheets"}
    assert check([spec], {"sheetId": "anything"}) == []
    spec = {"name": "sheetId", "type": "select", "options": {"store": "rpc://google-sheets@2/listSheets"}}
    assert check([spec], {"sheetId": "Sheet1", "columnFromRpc": "x"}, strict=True) == []


def test_radio_and_list_follow_the_select_rules():
    radio = {"name": "r", "type": "radio", "options": [{"label": "A", "value": "a"}]}
    listed = {"name": "l", "type": "list", "options": [{"label": "B", "value": "b"}]}
    assert check([radio, listed], {"r": "a", "l": "b"}) == []
    assert errors(check([radio, listed], {"r": "A", "l": "x"})) == ["mapper.r", "mapper.l"]


def test_a_multiple_select_takes_a_list_of_values_each_among_the_options():
    spec = {
        "name": "tags",
        "type": "select",
        "multiple": True,
        "options": [{"label": "Red", "value": "r"}, {"label": "Blue", "value": "b"}],
    }
    assert check([spec], {"tags": ["r", "b"]}) == []
    assert errors(check([spec], {"tags": ["r", "Blue"]})) == ["mapper.tags.1"]
    finding = only(check([spec], {"tags": "r"}))
    assert finding.severity == "error" and finding.fix == 'Write a list: ["r"].'


def test_one_item_of_a_multiple_select_may_be_an_expression_in_the_mapper_only():
    spec = {"name": "tags", "type": "select", "multiple": True, "options": [{"label": "Red", "value": "r"}]}
    assert check([spec], {"tags": ["r", "{{1.tag}}"]}) == []
    assert errors(check([spec], {"tags": ["r", "{{1.tag}}"]}, where="parameters")) == ["parameters.tags.1"]


def test_a_multiple_select_respects_min_and_max_items():
    spec = {
        "name": "tags",
        "type": "select",
        "multiple": True,
        "options": [{"label": "R", "value": "r"}],
        "validate": {"minItems": 2, "maxItems": 3},
    }
    assert "at least 2" in only(check([spec], {"tags": ["r"]})).message
    assert "at most 3" in only(check([spec], {"tags": ["r"] * 4})).message


def test_the_chosen_option_nested_fields_replace_the_field_wide_nested_ones():
    spec = {
        "name": "service",
        "type": "select",
        "options": {
            "store": [
                {
                    "label": "Sheets",
                    "value": "sheets",
                    "nested": [{"name": "sheetId", "type": "text", "required": True}],
                },
                {"label": "Docs", "value": "docs"},
            ],
            "nested": [{"name": "token", "type": "text", "required": True}],
        },
    }
    assert check([spec], {"service": "sheets", "sheetId": "s1"}) == []
    assert warnings(check([spec], {"service": "docs"})) == ["mapper.token"]


def test_nested_fields_of_options_not_chosen_are_unknown_in_strict_mode():
    finding = only(check([CHANNEL], {"channelType": "public", "channel": "C1", "user": "U1"}, strict=True))
    assert (finding.severity, finding.path) == ("error", "mapper.user")


def test_a_placeholder_with_nested_fields_checks_them_when_nothing_is_chosen():
    spec = {
        "name": "mode",
        "type": "select",
        "options": {
            "store": [{"label": "A", "value": "a"}],
            "placeholder": {"label": "None", "nested": [{"name": "q", "type": "number"}]},
        },
    }
    assert errors(check([spec], {"q": "many"})) == ["mapper.q"]


# Arrays, collections, nesting.


def test_array_items_are_checked_against_a_spec_of_fields():
    spec = {
        "name": "rows",
        "type": "array",
        "spec": [{"name": "qty", "type": "number", "required": True}, {"name": "sku", "type": "text"}],
    }
    findings = check([spec], {"rows": [{"qty": 1}, {"sku": "x"}, "loose", {"qty": "many"}]})
    assert warnings(findings) == ["mapper.rows.1.qty"]
    assert errors(findings) == ["mapper.rows.2", "mapper.rows.3.qty"]


def test_array_items_are_checked_against_a_single_field_spec():
    spec = {"name": "ids", "type": "array", "spec": {"type": "uinteger"}}
    assert errors(check([spec], {"ids": [1, 2, -3, "x"]})) == ["mapper.ids.2", "mapper.ids.3"]


def test_empty_items_of_an_array_whose_items_are_required_values_are_warnings():
    spec = {"name": "emails", "type": "array", "spec": {"type": "email", "required": True}}
    assert warnings(check([spec], {"emails": ["a@b.example", None, ""]})) == ["mapper.emails.1", "mapper.emails.2"]


def test_arrays_of_arrays_are_followed():
    spec = {"name": "grid", "type": "array", "spec": {"type": "array", "spec": {"type": "number"}}}
    assert errors(check([spec], {"grid": [[1, 2], [3, "x"]]})) == ["mapper.grid.1.1"]


def test_array_min_and_max_items_are_checked():
    spec = {"name": "rows", "type": "array", "validate": {"minItems": 1, "maxItems": 2}}
    assert check([spec], {"rows": [1]}) == []
    assert "at least 1" in only(check([spec], {"rows": []})).message
    assert "at most 2" in only(check([spec], {"rows": [1, 2, 3]})).message


def test_collections_are_checked_recursively_with_paths_through_every_level():
    spec = {
        "name": "outer",
        "type": "collection",
        "spec": [
            {
                "name": "inner",
                "type": "collection",
                "spec": [
                    {"name": "flag", "type": "boolean"},
                    {"name": "rows", "type": "array", "spec": [{"name": "n", "type": "integer"}]},
                ],
            }
        ],
    }
    findings = check([spec], {"outer": {"inner": {"flag": "true", "rows": [{"n": 1}, {"n": 2.5}]}}})
    assert errors(findings) == ["mapper.outer.inner.flag", "mapper.outer.inner.rows.1.n"]


def test_a_collection_without_a_spec_takes_any_keys_even_in_strict_mode():
    assert check([{"name": "headers", "type": "collection"}], {"headers": {"X-Any": "1"}}, strict=True) == []


def test_a_field_wide_nested_list_is_checked_once_the_field_has_a_value():
    spec = {"name": "host", "type": "text", "nested": [{"name": "port", "type": "port", "required": True}]}
    assert check([spec], {}) == []
    assert warnings(check([spec], {"host": "h"})) == ["mapper.port"]


# Validate rules.


def test_text_length_pattern_and_enum_rules_are_checked():
    specs = [
        {"name": "code", "type": "text", "validate": {"pattern": "^[A-Z]{3}$"}},
        {"name": "short", "type": "text", "validate": {"max": 3}},
        {"name": "long", "type": "text", "validate": {"min": 5}},
        {"name": "kind", "type": "text", "validate": {"enum": ["a", "b"]}},
        {"name": "obj", "type": "text", "validate": {"pattern": {"regexp": "^x"}}},
    ]
    assert check(specs, {"code": "ABC", "short": "abc", "long": "abcde", "kind": "a", "obj": "xy"}) == []
    findings = check(specs, {"code": "abc", "short": "abcd", "long": "ab", "kind": "c", "obj": "y"})
    assert errors(findings) == ["mapper.code", "mapper.short", "mapper.long", "mapper.kind", "mapper.obj"]
    assert findings[3].fix == 'Write one of: "a", "b".'


def test_number_bounds_apply_to_numbers_and_numeric_strings():
    spec = {"name": "limit", "type": "number", "validate": {"min": 1, "max": 100}}
    assert check([spec], {"limit": "50"}) == []
    assert errors(check([spec], {"limit": 0})) == ["mapper.limit"]
    assert "maximum 100" in only(check([spec], {"limit": "101"})).message


def test_a_pattern_python_cannot_read_is_not_checked():
    assert check([{"name": "a", "type": "text", "validate": {"pattern": "(?<name>x)"}}], {"a": "y"}) == []


# IML expressions.


def test_an_expression_is_accepted_in_mapper_fields_of_any_type():
    specs = [
        {"name": n, "type": t}
        for n, t in [("a", "number"), ("b", "boolean"), ("c", "text"), ("d", "array"), ("e", "collection")]
    ]
    specs.append(CHANNEL)
    values = {
        "a": "{{1.n}}",
        "b": "{{1.flag}}",
        "c": "Hi {{1.name}}",
        "d": "{{1.items}}",
        "e": "{{1.obj}}",
        "channelType": "{{1.kind}}",
    }
    assert check(specs, values) == []


def test_an_expression_in_parameters_is_an_error_because_parameters_cannot_be_mapped():
    finding = only(check([{"name": "feeder", "type": "integer"}], {"feeder": "{{1.id}}"}, where="parameters"))
    assert finding.severity == "error" and finding.path == "parameters.feeder" and "mapper" in finding.fix


def test_an_expression_in_a_field_that_is_not_mappable_is_an_error():
    finding = only(check([{"name": "mode", "type": "text", "mappable": False}], {"mode": "{{1.mode}}"}))
    assert finding.severity == "error" and "cannot be mapped" in finding.message


def test_text_around_an_expression_in_a_number_field_is_an_error():
    finding = only(check([{"name": "qty", "type": "number"}], {"qty": "{{1.a}} pcs"}))
    assert finding.severity == "error" and "one whole expression" in finding.fix


def test_an_unclosed_expression_in_a_number_field_is_a_wrong_type_not_an_expression():
    assert errors(check([{"name": "qty", "type": "number"}], {"qty": "{{1.a"})) == ["mapper.qty"]


def test_nested_fields_of_a_mapped_select_are_still_checked():
    spec = {
        "name": "s",
        "type": "select",
        "options": [{"label": "A", "value": "a"}],
        "nested": [{"name": "q", "type": "number"}],
    }
    assert errors(check([spec], {"s": "{{1.choice}}", "q": "x"})) == ["mapper.q"]


# Unknown fields.


def test_unknown_fields_are_errors_in_strict_mode_with_the_close_name_as_fix():
    specs = [{"name": "subject", "type": "text"}]
    finding = only(check(specs, {"subject": "x", "subjcet": "y"}, strict=True))
    assert (finding.severity, finding.path) == ("error", "mapper.subjcet")
    assert finding.fix == "Rename it to `subject`, or remove it."


def test_unknown_fields_are_not_reported_outside_strict_mode_because_make_accepts_and_drops_them():
    assert check([{"name": "subject", "type": "text"}], {"subject": "x", "extra": 1}) == []


def test_an_unknown_root_field_may_belong_to_the_other_domain():
    finding = only(check([{"name": "subject", "type": "text"}], {"__IMTCONN__": 5}, strict=True))
    assert "move it there" in finding.fix and "parameters" in finding.fix


def test_fields_from_an_rpc_nested_store_leave_the_scope_open_in_strict_mode():
    spec = {"name": "sheetId", "type": "text", "nested": "rpc://google-sheets@2/columns"}
    assert check([spec], {"sheetId": "s", "values": {"0": "a"}}, strict=True) == []


# Both domains of a module.

SHEETS_PARAMETERS = [
    {
        "name": "__IMTCONN__",
        "type": "account:google",
        "label": "Connection",
        "required": True,
        "options": {
            "nested": {
                "domain": "expect",
                "store": [
                    {
                        "name": "mode",
                        "type": "select",
                        "default": "select",
                        "options": [
                            {
                                "label": "Pick",
                                "value": "select",
                                "nested": [{"name": "spreadsheetId", "type": "text", "required": True}],
                            },
                            {
                                "label": "Map",
                                "value": "map",
                                "nested": [{"name": "spreadsheetUrl", "type": "url", "required": True}],
                            },
                        ],
                    },
                    {"name": "includesHeaders", "type": "boolean"},
                ],
            }
        },
    }
]


def test_nested_fields_sent_to_the_other_domain_are_checked_against_its_values():
    findings = validate_module(
        SHEETS_PARAMETERS, [], {"__IMTCONN__": 3}, {"mode": "select", "includesHeaders": "false"}, module_id=2
    )
    assert [(f.severity, f.path) for f in findings] == [
        ("error", "mapper.includesHeaders"),
        ("warning", "mapper.spreadsheetId"),
    ]
    assert all(f.moduleId == 2 for f in findings)


def test_fields_reached_from_the_other_domain_are_known_in_strict_mode():
    findings = validate_module(
        SHEETS_PARAMETERS, [{"name": "values", "type": "collection"}], {"__IMTCONN__": 3},
        {"mode": "map", "spreadsheetUrl": "https://docs.example/s", "values": {}}, module_id=2, strict=True,
    )  # fmt: skip
    assert findings == []


def test_a_required_field_written_in_the_wrong_domain_gets_a_fix_that_moves_it():
    expect = [{"name": "text", "type": "text", "required": True}]
    finding = only(validate_module([], expect, {"text": "hi"}, {}, module_id=4))
    assert (finding.severity, finding.path) == ("warning", "mapper.text")
    assert finding.fix == "Move `text` from `parameters` to `mapper`, where this module reads it."


def test_validate_fields_alone_skips_nested_fields_of_the_other_domain():
    assert validate_fields(SHEETS_PARAMETERS, {"__IMTCONN__": 3}, where="parameters", module_id=2) == []


def test_a_domain_that_is_not_an_object_is_an_error():
    finding = only(validate_module([], [], ["x"], None, module_id=1))  # type: ignore[arg-type]
    assert finding.path == "parameters" and "object" in finding.message


# Filters.


def test_a_filter_is_or_groups_of_and_conditions_with_make_operators():
    spec = {"name": "filter", "type": "filter"}
    good = [
        [{"a": "{{1.status}}", "o": "text:equal", "b": "done"}, {"a": "{{1.n}}", "o": "number:greater", "b": 3}],
        [{"a": "{{1.x}}", "o": "exist"}],
    ]
    assert check([spec], {"filter": good}) == []
    bad = [[{"a": "a", "o": "text:equals", "b": "b"}, {"o": "text:equal", "b": "x"}]]
    findings = check([spec], {"filter": bad})
    assert [(f.severity, f.path) for f in findings] == [
        ("error", "mapper.filter.0.0.o"),
        ("warning", "mapper.filter.0.1.a"),
    ]
    assert "text:equal" in findings[0].fix


def test_a_flat_filter_takes_conditions_directly():
    spec = {"name": "f", "type": "filter", "logic": "and"}
    assert check([spec], {"f": [{"a": "x", "o": "text:equal", "b": "y"}]}) == []
    assert errors(check([spec], {"f": [[{"a": "x", "o": "text:equal", "b": "y"}]]})) == ["mapper.f.0"]


def test_a_filter_with_its_own_operators_accepts_only_those():
    spec = {
        "name": "f",
        "type": "filter",
        "options": {"operators": [{"label": "Text", "options": [{"label": "Equal", "value": "eq"}]}]},
    }
    assert check([spec], {"f": [[{"a": "x", "o": "eq"}]]}) == []
    assert errors(check([spec], {"f": [[{"a": "x", "o": "text:equal"}]]})) == ["mapper.f.0.0.o"]


# Files and folders.


def test_a_single_level_path_refuses_slashes_inside_it():
    spec = {"name": "folder", "type": "folder", "options": {"singleLevel": True, "store": "rpc://x"}}
    assert check([spec], {"folder": "/Reports"}) == []
    assert errors(check([spec], {"folder": "/Reports/2026"})) == ["mapper.folder"]
    assert errors(check([{"name": "file", "type": "file"}], {"file": 5})) == ["mapper.file"]


# Hostile input.


def test_values_nested_far_deeper_than_any_manifest_stop_with_one_finding():
    spec: dict[str, Any] = {"name": "leaf", "type": "text"}
    for level in range(MAX_DEPTH + 20):
        spec = {"name": f"c{level}", "type": "collection", "spec": [spec]}
    value: dict[str, Any] = {"leaf": "x"}
    for level in range(MAX_DEPTH + 20):
        value = {f"c{level}": value}
    findings = check([spec], value)
    assert len(findings) == 1 and "deeper" in findings[0].message


def test_a_hundred_thousand_array_items_stop_with_one_finding_about_size():
    spec = {"name": "rows", "type": "array", "spec": [{"name": "a", "type": "text"}]}
    findings = check([spec], {"rows": [{"a": "x"}] * 150_000})
    assert len(findings) == 1 and "more than" in findings[0].message


def test_a_flood_of_wrong_values_is_cut_after_the_findings_cap():
    spec = {"name": "ids", "type": "array", "spec": {"type": "number"}}
    findings = check([spec], {"ids": ["x"] * 5_000})
    assert len(findings) == MAX_FINDINGS + 1 and "findings" in findings[-1].message


def test_a_multiple_select_with_tens_of_thousands_of_values_over_hundreds_of_options_is_read_in_one_pass():
    options = [{"label": f"Zone {index}", "value": f"z{index}"} for index in range(500)]
    spec = {"name": "zones", "type": "select", "multiple": True, "options": options}
    assert check([spec], {"zones": [f"z{index % 500}" for index in range(60_000)]}) == []
    assert errors(check([spec], {"zones": ["z1", "Zone 2", {"z": 3}]})) == ["mapper.zones.1", "mapper.zones.2"]


def test_option_values_that_are_objects_are_compared_as_json():
    spec = {"name": "o", "type": "select", "options": [{"label": "A", "value": {"id": 1}}]}
    assert check([spec], {"o": {"id": 1}}) == []
    assert errors(check([spec], {"o": {"id": 2}})) == ["mapper.o"]


def test_a_huge_string_value_is_checked_once_and_quoted_short():
    finding = only(check([{"name": "n", "type": "number"}], {"n": "9" * 10_000_000 + "x"}))
    assert len(finding.message) < 300


def test_ten_megabytes_of_an_expression_that_never_ends_in_a_text_field_is_just_text():
    assert check([{"name": "t", "type": "text"}], {"t": "{{" + "1.a;" * 2_500_000}) == []


@pytest.mark.parametrize("values", [{"a": {"b": {}}}, {"a": [[[]]]}, {"a": 1e308}, {"a": -0.0}])
def test_odd_values_for_an_untyped_spec_never_raise(values: dict[str, Any]):
    assert check([{"name": "a"}, {"name": "b", "type": "collection", "spec": "rpc://x"}], values, strict=True) == []


def test_a_spec_list_that_is_loaded_from_an_rpc_accepts_any_key_in_strict_mode():
    specs: list[Any] = ["rpc://ai-tools@1/connections", {"name": "input", "type": "text", "required": True}]
    assert check(specs, {"makeConnectionId": 4, "input": "great product"}, where="parameters", strict=True) == []


def test_nested_fields_for_a_domain_we_do_not_know_leave_the_scope_open():
    spec = {"name": "a", "type": "text", "nested": {"domain": "elsewhere", "store": [{"name": "b", "type": "number"}]}}
    assert check([spec], {"a": "x", "b": "not checked here"}, strict=True) == []


def test_a_mapper_with_more_keys_than_the_bound_stops_with_one_finding_about_size():
    findings = check([{"name": "a", "type": "text"}], {f"k{index}": index for index in range(150_000)}, strict=True)
    assert len(findings) == 1 and "more than" in findings[0].message
