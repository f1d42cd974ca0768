"""Reading IML, Make's mapping language: the `{{ ... }}` expressions in a text and the module outputs they read.

A reference is `<moduleId>.<path>`: `{{1.items[].name}}`, `{{2.body}}`, ``{{3.`Column A`}}``. Keys that are not
plain names (spaces, leading digits) are written between backticks, so a bare `1.5` is a number, not a reference.
Expressions nest (`{{if(1.a; "{{x}}"; 2.b)}}` is one expression) and double-quoted strings inside them are text.

One left-to-right pass with C-level searches: linear in the text, no recursion, and at most MAX_TOKENS steps
inside expressions, whatever the input.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

OPEN = "{{"
CLOSE = "}}"
# Braces and quotes read inside the expressions of one text before it counts as malformed: far beyond any real
# mapping, it keeps a hostile text (megabytes of `{{`) to a fraction of a second.
MAX_TOKENS = 20_000

# Inside an expression, the next thing that changes the scanner's state.
_TOKEN = re.compile(r'"|`|\{\{|\}\}')
# A module reference (an ID of at most 9 digits) inside an expression's code (strings already blanked). The look-behind keeps a digit run
# inside a name or number (`a1.b`, `2.5.x`) from starting one, and keeps the match linear.
_REFERENCE = re.compile(r"(?<![\w.$`])(\d{1,9})((?:\.(?:`[^`]*`|[^\W\d][\w$]*|\$[\w$]*)(?:\[\d*\])*)+)")
_SEGMENT = re.compile(r"`([^`]*)`|([^\W\d][\w$]*|\$[\w$]*)")


@dataclass(frozen=True)
class Reference:
    """A read of module `module_id`'s output at `path` (array steps `[]`/`[n]` dropped: `1.items[].name` is
    ("items", "name")); `text` is the reference as written."""

    module_id: int
    path: tuple[str, ...]
    text: str


@dataclass(frozen=True)
class Expression:
    """One outermost `{{ ... }}`: `start`/`end` index the text (end exclusive), `code` is its inside with
    every double-quoted string emptied (`""`), so only code remains to read references from."""

    start: int
    end: int
    code: str


@dataclass(frozen=True)
class Scan:
    expressions: tuple[Expression, ...]
    problem: str | None


def contains_expression(text: str) -> bool:
    """Whether the text holds something Make reads as IML (an opening `{{` and a closing `}}`)."""
    return OPEN in text and CLOSE in text


def scan(text: str) -> Scan:
    """Every outermost expression of `text`, and what makes it malformed (the first problem), if anything."""
    found: list[Expression] = []
    position = 0
    tokens_left = MAX_TOKENS
    while True:
        start = text.find(OPEN, position)
        if start < 0:
            return Scan(tuple(found), None)
        end, code, problem, tokens_left = _read_expression(text, start, tokens_left)
        if problem is not None:
            return Scan(tuple(found), problem)
        found.append(Expression(start, end, code))
        position = end


def _read_expression(text: str, start: int, tokens_left: int) -> tuple[int, str, str | None, int]:
    """Reads from the `{{` at `start` to its matching `}}`: (end, code, problem, tokens left)."""
    depth = 1
    position = start + len(OPEN)
    pieces: list[str] = []
    piece_start = position
    while True:
        tokens_left -= 1
        if tokens_left < 0:
            return len(text), "", f"more than {MAX_TOKENS} braces and quotes in expressions; not read further", 0
        token = _TOKEN.search(text, position)
        if token is None:
            return len(text), "", f"`{{{{` at character {start} is never closed with `}}}}`", tokens_left
        kind = token.group()
        if kind == '"' or kind == "`":
            closing = text.find(kind, token.end())
            if closing < 0:
                what = "string" if kind == '"' else "backtick key"
                problem = f"a {what} opened at character {token.start()} inside `{{{{` is never closed"
                return len(text), "", problem, tokens_left
            if kind == '"':
                pieces.append(text[piece_start : token.end()])
                piece_start = closing
            position = closing + 1
            continue
        depth += 1 if kind == OPEN else -1
        position = token.end()
        if depth == 0:
            pieces.append(text[piece_start : token.start()])
            return position, "".join(pieces), None, tokens_left


def expressions(text: str) -> list[Expression]:
    """The outermost expressions of a well-formed text (those before a malformed one otherwise)."""
    return list(scan(text).expressions)


def malformed(text: str) -> str | None:
    """Why the text's IML is malformed (an unclosed `{{`, string or backtick key), or None when it is not."""
    return scan(text).problem


def is_whole_expression(text: str) -> bool:
    """Whether the text is exactly one expression and nothing else (`"{{1.id}}"`, not `"id {{1.id}}"`)."""
    found = scan(text)
    return (
        found.problem is None
        and len(found.expressions) == 1
        and found.expressions[0].end - found.expressions[0].start == len(text)
    )


def references(text: str) -> list[Reference]:
    """Every module reference in the text's expressions, in order, functions' arguments and nested `{{}}` included."""
    found: list[Reference] = []
    for expression in scan(text).expressions:
        for match in _REFERENCE.finditer(expression.code):
            path = tuple(key or name for key, name in _SEGMENT.findall(match.group(2)))
            found.append(Reference(int(match.group(1)), path, match.group()))
    return found


def walk_strings(value: object, prefix: str = "") -> Iterator[tuple[str, str]]:
    """(path, text) for every string in a nested mapper, filter or blueprint part, in document order.

    Paths join keys and list indexes with dots under `prefix` (`mapper.values.0`). Iterative, so any depth is safe.
    """
    stack: list[tuple[str, object]] = [(prefix, value)]
    while stack:
        path, current = stack.pop()
        if isinstance(current, str):
            yield path, current
        elif isinstance(current, dict):
            children = [(_join(path, str(key)), child) for key, child in current.items()]
            stack.extend(reversed(children))
        elif isinstance(current, list | tuple):
            children = [(_join(path, str(index)), child) for index, child in enumerate(current)]
            stack.extend(reversed(children))


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key
