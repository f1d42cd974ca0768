"""server/json_bounds.py: the id of a message the parser refused, and the bounds of arguments and JSON text."""

from __future__ import annotations

import pytest

from make_mcp.server.support.json_bounds import MAX_DEPTH, JsonBoundExceeded, decode_json_text, outline, unsendable

OUTLINES = {
    "the id first": ('{"id":7,"params":[[[]]]}', (4, 7)),
    "the id last, after deep nesting": ('{"params":' + "[" * 5000 + "]" * 5000 + ',"id":"a"}', (5001, "a")),
    "brackets and an id inside strings": ('{"m":"{[\\"id\\":1","id": 2}', (1, 2)),
    "an id nested deeper is not the message's": ('{"params":{"id":3}}', (2, None)),
    "an id too long to be one": ('{"id":' + "9" * 5000 + "}", (1, None)),
    "an unterminated string ends the reading": ('{"id":4,"a":"[[[', (1, 4)),
    "no object": ("[1,2]", (1, None)),
}


@pytest.mark.parametrize(("text", "expected"), OUTLINES.values(), ids=OUTLINES.keys())
def test_the_outline_of_json_text_is_its_deepest_nesting_and_its_top_level_id(
    text: str, expected: tuple[int, str | int | None]
) -> None:
    assert outline(text) == expected


def test_json_text_nesting_past_the_bound_is_refused_naming_the_bound_and_the_field() -> None:
    with pytest.raises(JsonBoundExceeded, match=f"- blueprint: nests deeper than {MAX_DEPTH} levels"):
        decode_json_text("[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1), "blueprint")
    with pytest.raises(JsonBoundExceeded, match="- blueprint: it nests deeper than 200 levels"):
        decode_json_text("[" * 30_000 + "]" * 30_000, "blueprint")
    with pytest.raises(JsonBoundExceeded, match="4300 digits"):
        decode_json_text("[" + "9" * 5000 + "]", "blueprint")
    assert decode_json_text("[" * MAX_DEPTH + "]" * MAX_DEPTH, "blueprint") is not None


def test_json_text_that_is_no_json_is_a_plain_value_error() -> None:
    for text in ('"\\ud800"', "\ud800", "NaN", "[1]x"):
        with pytest.raises(ValueError) as raised:
            decode_json_text(text, "blueprint")
        assert not isinstance(raised.value, JsonBoundExceeded), text


def test_an_argument_nesting_past_the_bound_is_named_once_by_its_top_level_name() -> None:
    deep: list[object] = []
    for _ in range(MAX_DEPTH + 5):
        deep = [deep]
    problems = unsendable({"data": {"n": deep, "m": [deep]}, "ok": [[1]], "x": float("nan")})
    assert problems == [
        f"- data: nests deeper than {MAX_DEPTH} levels, the most an argument may nest",
        "- x: is nan, which is not a JSON number; send a finite number or null",
    ]
