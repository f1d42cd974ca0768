"""The official tool set's vendored facts and our mapping of it, as the drop-in tests read them.

tools/spec/official-tools.json holds what Make's official tools (npm @makehq/sdk) are and send
(scripts/official_tools.py); tools/spec/official-mapping.json what make-mcp does about each, with the
lists of what does not match yet (scripts/official_mapping.py).
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pytest

SPEC = Path(__file__).resolve().parents[2] / "tools" / "spec"


@cache
def facts() -> dict[str, Any]:
    return json.loads((SPEC / "official-tools.json").read_text(encoding="utf-8"))


@cache
def mapping() -> dict[str, Any]:
    return json.loads((SPEC / "official-mapping.json").read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Example:
    id: str  # "<tool>#<n>": the tool's n-th packaged example
    tool: str
    arguments: dict[str, Any]
    requests: tuple[dict[str, Any], ...]


def examples() -> list[Example]:
    return [
        Example(f"{tool['name']}#{number}", tool["name"], example["arguments"], tuple(example["requests"]))
        for tool in facts()["tools"]
        for number, example in enumerate(tool["examples"])
    ]


def params(items: list[Any], ids: list[str], not_yet: list[str]) -> list[Any]:
    """One pytest param per item; those named in the mapping's not-yet list are strict expected failures."""
    waiting = set(not_yet)
    return [
        pytest.param(
            item,
            id=name,
            marks=[pytest.mark.xfail(strict=True, reason="not yet: official-mapping.json notYet")]
            if name in waiting
            else [],
        )
        for item, name in zip(items, ids, strict=True)
    ]


# ---- requests in one comparable form ----


@dataclass(frozen=True)
class Request:
    method: str
    path: str  # below /api/v2
    query: dict[str, list[str]]  # each key's values in the order sent (the order of different keys is not Make's)
    body: tuple[str, Any] | None  # ("json", value), ("text", str) or ("bytes", base64 text)


def body_of(raw: bytes) -> tuple[str, Any] | None:
    if not raw:
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return ("bytes", base64.b64encode(raw).decode())
    try:
        return ("json", json.loads(text))
    except json.JSONDecodeError:
        return ("text", text)


def grouped(pairs: list[list[str]] | list[tuple[str, str]]) -> dict[str, list[str]]:
    query: dict[str, list[str]] = {}
    for key, value in pairs:
        query.setdefault(key, []).append(value)
    return query


def official_request(recorded: dict[str, Any]) -> Request:
    if "body" in recorded:
        raw = json.dumps(recorded["body"]).encode()
    elif "bodyText" in recorded:
        raw = recorded["bodyText"].encode()
    elif "bodyBase64" in recorded:
        raw = base64.b64decode(recorded["bodyBase64"])
    else:
        raw = b""
    return Request(recorded["method"], recorded["path"], grouped(recorded["query"]), body_of(raw))


def differences(ours: list[Request], official: list[Request]) -> list[tuple[str, str, str]]:
    """(request number, where, what) for each way our requests differ from the official ones."""
    found: list[tuple[str, str, str]] = []
    for number in range(max(len(ours), len(official))):
        step = str(number)
        if number >= len(ours):
            found.append((step, "request", f"not sent: {official[number].method} {official[number].path}"))
            continue
        if number >= len(official):
            found.append((step, "request", f"extra: {ours[number].method} {ours[number].path}"))
            continue
        mine, theirs = ours[number], official[number]
        if (mine.method, mine.path) != (theirs.method, theirs.path):
            found.append((step, "request", f"{mine.method} {mine.path}, official {theirs.method} {theirs.path}"))
        for key in sorted(set(mine.query) | set(theirs.query)):
            if mine.query.get(key) != theirs.query.get(key):
                found.append((step, f"query {key}", f"{mine.query.get(key)}, official {theirs.query.get(key)}"))
        found.extend((step, where, what) for where, what in body_differences(mine.body, theirs.body))
    return found


def body_differences(mine: tuple[str, Any] | None, theirs: tuple[str, Any] | None) -> list[tuple[str, str]]:
    if mine == theirs:
        return []
    if mine is not None and theirs is not None and mine[0] == theirs[0] == "json":
        left, right = mine[1], theirs[1]
        if isinstance(left, dict) and isinstance(right, dict):
            return [
                (f"body {key}", f"{json.dumps(left.get(key))}, official {json.dumps(right.get(key))}")
                for key in sorted(set(left) | set(right))
                if left.get(key) != right.get(key) or (key in left) != (key in right)
            ]
    return [("body", f"{json.dumps(mine)[:200]}, official {json.dumps(theirs)[:200]}")]
