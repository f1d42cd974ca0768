"""Bounds on the JSON callers send: how deep it nests and how long its numbers are, checked without recursion.

A message's frame is read by the SDK's parser, which stops at 200 levels and at integers of more than 4,300
digits; tool arguments and the JSON text of object fields (a blueprint sent as text) may nest at most
`MAX_DEPTH` levels. Past a bound the caller gets an error naming it, and nothing is sent to Make.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from typing import Any

import pydantic_core

# Levels a tool's argument value may nest: as deep as the answers the client takes from Make (client.py).
MAX_DEPTH = 128
# Levels the SDK's JSON parser reads in a whole message, and the longest integer it reads, in digits.
FRAME_MAX_DEPTH = 200
MAX_INTEGER_DIGITS = 4300

_PLAIN = re.compile(r'[^"{}\[\]]*+')
_STRING = re.compile(r'"(?:[^"\\]|\\.)*+"')
_ID_VALUE = re.compile(r'\s*:\s*("(?:[^"\\]|\\.)*+"|-?\d{1,18}(?![\d.eE]))')


class JsonBoundExceeded(ValueError):
    """JSON text past one of the bounds; the message names the bound."""


def bound_named(parser_error: str) -> str | None:
    """What a parser's refusal means when it is one of the bounds; None for any other refusal."""
    if "recursion limit" in parser_error:
        return f"it nests deeper than {FRAME_MAX_DEPTH} levels, the most a message may nest"
    if "number out of range" in parser_error:
        return f"it holds a number past the bound of {MAX_INTEGER_DIGITS} digits (or beyond a 64-bit float)"
    return None


def outline(text: str) -> tuple[int, str | int | None]:
    """The deepest nesting of JSON text and, when it is an object, its top-level "id" (a string or an integer),
    read in one pass without parsing: enough to answer a message the parser refused."""
    depth = deepest = position = 0
    message_id: str | int | None = None
    while True:
        plain = _PLAIN.match(text, position)
        position = plain.end() if plain else position
        if position >= len(text):
            return deepest, message_id
        char = text[position]
        if char == '"':
            string = _STRING.match(text, position)
            if string is None:  # unterminated: nothing more to read
                return deepest, message_id
            position = string.end()
            if depth == 1 and string.group() == '"id"' and text.startswith("{"):
                value = _ID_VALUE.match(text, position)
                if value is not None:
                    message_id = _id_of(value.group(1))
            continue
        depth += 1 if char in "{[" else -1
        deepest = max(deepest, depth)
        position += 1


def _id_of(literal: str) -> str | int | None:
    try:
        value = json.loads(literal)
    except ValueError:
        return None
    return value if isinstance(value, str | int) else None


def decode_json_text(text: str, where: str) -> Any:
    """The value of JSON text a caller sent as the field `where`; ValueError when it is no JSON,
    JsonBoundExceeded (naming the bound) when it nests deeper than MAX_DEPTH or holds a number too long to read."""
    try:
        # Encoded first: text holding a lone surrogate is then a ValueError (UnicodeEncodeError), as any non-JSON.
        value = pydantic_core.from_json(text.encode(), allow_inf_nan=False)
    except ValueError as error:
        bound = bound_named(str(error))
        if bound is not None:
            raise JsonBoundExceeded(f"- {where}: {bound.replace('a message', 'JSON text')}") from None
        raise
    problems = unsendable({where: value})
    if problems:
        raise JsonBoundExceeded("\n".join(problems))
    return value


def unsendable(arguments: Mapping[str, Any]) -> list[str]:
    """A problem line for each value that cannot go to Make as JSON: a NaN or an infinity (JSON has no such
    numbers, yet a frame's parser may hand them over), or a value nesting deeper than MAX_DEPTH."""
    problems: list[str] = []
    pending: list[tuple[str, Any, int]] = [(str(name), value, 1) for name, value in arguments.items()]
    while pending:
        where, value, depth = pending.pop()
        if isinstance(value, float) and not math.isfinite(value):
            problems.append(f"- {where}: is {value}, which is not a JSON number; send a finite number or null")
        elif isinstance(value, dict | list) and depth > MAX_DEPTH:
            top = where.split(".", 1)[0]
            problems.append(f"- {top}: nests deeper than {MAX_DEPTH} levels, the most an argument may nest")
        elif isinstance(value, dict):
            pending.extend((f"{where}.{key}", item, depth + 1) for key, item in value.items())  # pyright: ignore[reportUnknownVariableType, reportUnknownArgumentType]
        elif isinstance(value, list):
            pending.extend((f"{where}.{index}", item, depth + 1) for index, item in enumerate(value))  # pyright: ignore[reportUnknownVariableType, reportUnknownArgumentType]
    return sorted(set(problems))
