"""IML reading: expressions, references, malformed text, and hostile inputs answered without hanging."""

from make_mcp.server.builder.iml import (
    MAX_TOKENS,
    Reference,
    contains_expression,
    expressions,
    is_whole_expression,
    malformed,
    references,
    walk_strings,
)


def refs(text: str) -> list[tuple[int, tuple[str, ...]]]:
    return [(found.module_id, found.path) for found in references(text)]


def test_a_plain_reference_names_the_module_and_the_field():
    assert references("{{2.body}}") == [Reference(2, ("body",), "2.body")]


def test_array_steps_are_dropped_from_the_path_but_kept_in_the_text():
    assert references("{{1.items[].name}}") == [Reference(1, ("items", "name"), "1.items[].name")]
    assert refs("{{1.items[3].name}}") == [(1, ("items", "name"))]


def test_backtick_keys_hold_spaces_and_digits():
    assert refs("{{3.`Column A`}}") == [(3, ("Column A",))]
    assert refs("{{1.`0`}}") == [(1, ("0",))]
    assert refs("{{1.row.`a.b`.c}}") == [(1, ("row", "a.b", "c"))]


def test_references_inside_function_arguments_are_found():
    assert refs('{{formatDate(1.date; "YYYY-MM-DD")}}') == [(1, ("date",))]
    assert refs("{{if(1.a; 1.b; 2.c)}}") == [(1, ("a",)), (1, ("b",)), (2, ("c",))]


def test_a_function_without_references_has_none():
    assert references("{{now}}") == []
    assert references('{{formatDate(now; "YYYY")}}') == []


def test_a_number_is_not_a_reference():
    assert references("{{1.5 * 2}}") == []
    assert references("{{a1.b + 10.25}}") == []


def test_text_inside_double_quotes_is_not_read_as_code():
    assert references('{{ifempty(1.a; "2.b; }} {{ 3.c")}}') == [Reference(1, ("a",), "1.a")]


def test_semicolons_inside_quoted_strings_do_not_split_the_expression():
    assert [found.code for found in expressions('{{replace(1.a; "x;y"; ";")}}')] == ['replace(1.a; ""; "")']


def test_nested_braces_belong_to_the_outer_expression():
    found = expressions("a {{if({{1.a}}; 2.b)}} c")
    assert len(found) == 1 and (found[0].start, found[0].end) == (2, 22)
    assert refs("a {{if({{1.a}}; 2.b)}} c") == [(1, ("a",)), (2, ("b",))]


def test_every_expression_of_a_text_is_read_in_order():
    assert refs("Hi {{1.name}}, your order {{2.`Order ID`}} ships {{3.date}}") == [
        (1, ("name",)),
        (2, ("Order ID",)),
        (3, ("date",)),
    ]


def test_a_dollar_key_is_a_field_name():
    assert refs("{{12.$meta.id}}") == [(12, ("$meta", "id"))]


def test_an_unclosed_expression_is_malformed_and_names_where_it_starts():
    problem = malformed("Total: {{1.amount")
    assert problem is not None and "character 7" in problem and "never closed" in problem


def test_an_unclosed_string_or_key_inside_an_expression_is_malformed():
    assert "string" in (malformed('{{ifempty(1.a; "x)}}') or "")
    assert "backtick" in (malformed("{{1.`Column A}}") or "")


def test_a_well_formed_text_and_plain_text_are_not_malformed():
    assert malformed("{{1.a}} and {{2.b}}") is None
    assert malformed("no expression here } or }}") is None
    assert malformed("") is None


def test_a_malformed_text_still_yields_the_references_before_the_problem():
    assert refs("{{1.a}} then {{2.b") == [(1, ("a",))]


def test_a_whole_expression_is_one_expression_and_nothing_else():
    assert is_whole_expression("{{1.id}}")
    assert is_whole_expression("{{if(1.a; {{2.b}}; 3)}}")
    assert not is_whole_expression("id {{1.id}}")
    assert not is_whole_expression("{{1.a}}{{1.b}}")
    assert not is_whole_expression("{{1.a")
    assert not is_whole_expression("plain")


def test_contains_expression_needs_an_opening_and_a_closing_pair():
    assert contains_expression("x {{1.a}}")
    assert not contains_expression("x {{1.a")
    assert not contains_expression("x }}")


def test_walk_strings_yields_every_string_with_its_dotted_path_in_document_order():
    mapper = {"values": {"0": "{{1.a}}", "1": 5}, "rows": [["x", {"y": "{{2.b}}"}]], "flag": True}
    assert list(walk_strings(mapper, "mapper")) == [
        ("mapper.values.0", "{{1.a}}"),
        ("mapper.rows.0.0", "x"),
        ("mapper.rows.0.1.y", "{{2.b}}"),
    ]


def test_walk_strings_without_a_prefix_starts_paths_at_the_first_key():
    assert list(walk_strings({"a": ["b"]})) == [("a.0", "b")]
    assert list(walk_strings("top")) == [("", "top")]


def test_walk_strings_survives_nesting_far_deeper_than_python_recursion():
    value: object = "leaf"
    for _ in range(50_000):
        value = [value]
    [(path, text)] = list(walk_strings(value))
    assert text == "leaf" and path.count(".") == 49_999


def test_ten_megabytes_of_an_expression_that_never_ends_is_malformed_not_a_hang():
    assert malformed("{{" + "1.a; " * 2_000_000) is not None
    assert references("{{" + "(" * 10_000_000) == []


def test_ten_megabytes_of_openers_is_malformed():
    assert malformed("{{" * 5_000_000) is not None


def test_a_text_with_more_expression_parts_than_the_bound_is_malformed_after_the_parts_read():
    text = "{{1.a}}" * (MAX_TOKENS + 10)
    assert "more than" in (malformed(text) or "")
    assert len(references(text)) == MAX_TOKENS
    assert malformed("{{1.a}}" * 1000) is None


def test_megabytes_of_digits_inside_an_expression_are_read_in_one_pass():
    digits = "1" * 2_000_000
    assert references("{{" + digits + "}}") == []
    assert references("{{" + digits + ".a}}") == []
    assert refs("{{" + digits + " + 2.a}}") == [(2, ("a",))]
