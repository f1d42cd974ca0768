"""The discovery tools: three small tools that reach every selected tool while tools/list stays short (listed in
the core and discovery modes)."""

from __future__ import annotations

import functools
import json
import math
import re
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from make_mcp.tools.catalogue import Operation
from make_mcp.tools.registry import CORE_TOOLS

SEARCH_TOOL = "tools_search"
DESCRIBE_TOOL = "tools_describe"
CALL_TOOL = "tools_call"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SearchInput(_Strict):
    query: str = Field(min_length=1, max_length=200, description="Words describing what you want to do.")
    toolset: str | None = Field(default=None, description="Only tools of this toolset.")
    limit: int = Field(default=10, ge=1, le=50)


class DescribeInput(_Strict):
    name: str = Field(min_length=1, max_length=64, description="Tool name from tools_search.")


class CallInput(_Strict):
    name: str = Field(min_length=1, max_length=64, description="Tool name from tools_search.")
    arguments: dict[str, Any] = Field(default_factory=dict, description="Arguments matching the tool's schema.")


DISCOVERY_TOOLS: dict[str, tuple[str, str, type[_Strict], bool]] = {
    SEARCH_TOOL: (
        "Search Make tools",
        "Find Make API tools by words (and optionally toolset): names with a line each, and the best hits' "
        "inputs, enough for tools_call.",
        SearchInput,
        True,
    ),
    DESCRIBE_TOOL: (
        "Describe a Make tool",
        "One tool's name, description and input schema: what tools_call needs.",
        DescribeInput,
        True,
    ),
    CALL_TOOL: (
        "Call a Make tool",
        "Run any tool by name with its arguments; the same validation, scope and confirmation checks apply.",
        CallInput,
        False,
    ),
}

_WORD = re.compile(r"[a-z0-9]+")

# Words that say nothing about which tool is meant.
_STOP_WORDS = frozenset(
    {
        "a",
        "an",
        "the",
        "of",
        "to",
        "for",
        "in",
        "into",
        "at",
        "by",
        "with",
        "and",
        "or",
        "from",
        "my",
        "our",
        "your",
        "i",
        "is",
        "am",
        "are",
        "be",
        "do",
        "did",
        "does",
        "was",
        "why",
        "what",
        "how",
        "which",
        "that",
        "this",
        "these",
        "those",
        "it",
        "its",
        "can",
        "could",
        "should",
        "would",
        "please",
        "want",
        "need",
        "all",
        "any",
        "some",
    }
)
# Phrases an agent uses for what the catalogue names otherwise (applied before splitting into words).
_PHRASES = {
    "turn on": "activate",
    "switch on": "activate",
    "turn off": "deactivate",
    "switch off": "deactivate",
    "who am i": "me",
    "whoami": "me",
    "data store": "datastore",
}
# Stems of everyday words and the stems the catalogue uses for them.
_SYNONYMS: dict[str, tuple[str, ...]] = {
    "webhook": ("hook",),
    "mailhook": ("hook",),
    "fail": ("incomplete", "execution", "log", "error"),
    "error": ("incomplete", "execution", "log"),
    "broken": ("incomplete", "execution", "log"),
    "history": ("log", "execution", "version"),
    "past": ("log", "execution"),
    "enabl": ("activat",),
    "start": ("activat", "run"),
    "disabl": ("deactivat",),
    "stop": ("deactivat",),
    "paus": ("deactivat",),
    "trigger": ("run", "hook"),
    "launch": ("run",),
    "run": ("execution",),
    "execut": ("run",),
    "remov": ("delet",),
    "edit": ("updat",),
    "chang": ("updat",),
    "modify": ("updat",),
    "renam": ("updat",),
    "show": ("get", "list"),
    "fetch": ("get", "list"),
    "view": ("get", "list"),
    "read": ("get", "list"),
    "find": ("list", "search"),
    "add": ("creat",),
    "copy": ("clon",),
    "duplicat": ("clon",),
    "new": ("creat",),
    "credential": ("connection", "key"),
    "account": ("connection", "organization"),
    "datastore": ("data", "store"),
    "database": ("data", "store"),
    "table": ("data", "store"),
    "record": ("data", "store"),
    "queue": ("incoming",),
    "cost": ("usag", "consumption"),
    "credit": ("usag", "consumption"),
    "spend": ("usag", "consumption"),
}
# A word's own stem counts fully; a synonym's stem counts this much.
_SYNONYM_WEIGHT = 0.6


def _stem(word: str) -> str:
    """A crude English stem, so that fail, fails, failed, failing and failure meet."""
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        word = word[:-1]  # the plural first: failures -> failure -> fail
    for suffix in ("ing", "ure", "ed", "e"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            break
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "aeiou":
        word = word[:-1]  # runn(ing) -> run
    return word


@functools.lru_cache(maxsize=8192)
def _stems(text: str) -> frozenset[str]:
    """The stems of a text's words; kept, since the index is built again with each change of scenario tools and
    the catalogue's texts stay the same."""
    return frozenset(_stem(word) for word in _WORD.findall(text.lower()) if word not in _STOP_WORDS)


def _query_weights(query: str) -> dict[str, float]:
    text = query.lower()
    for phrase, meant in _PHRASES.items():
        text = re.sub(rf"\b{re.escape(phrase)}\b", meant, text)
    weights: dict[str, float] = {}
    for stem in _stems(text):
        weights[stem] = 1.0
    for stem in list(weights):
        for synonym in _SYNONYMS.get(stem, ()):
            weights.setdefault(synonym, _SYNONYM_WEIGHT)
    return weights


class ToolIndex:
    """Word search over the visible operations, built at the first search: rarer words weigh more, a name match
    most."""

    def __init__(self, operations: tuple[Operation, ...]) -> None:
        self._operations = operations

    @functools.cached_property
    def _entries(self) -> list[tuple[Operation, frozenset[str], frozenset[str]]]:
        """Each operation's name stems and other stems: made at the first search (most sessions make none)."""
        return [
            (op, _stems(op.name.replace("-", " ").replace("_", " ")), _stems(f"{op.title} {op.path} {op.description}"))
            for op in self._operations
        ]

    @functools.cached_property
    def _rarity(self) -> dict[str, float]:
        counts: dict[str, int] = {}
        for _, name_stems, other_stems in self._entries:
            for stem in name_stems | other_stems:
                counts[stem] = counts.get(stem, 0) + 1
        total = max(len(self._entries), 1)
        return {stem: math.log(1 + total / count) for stem, count in counts.items()}

    def search(self, query: str, toolset: str | None, limit: int) -> list[dict[str, Any]]:
        wanted = _query_weights(query)
        scored: list[tuple[float, str, Operation]] = []
        for op, name_stems, other_stems in self._entries:
            if toolset is not None and op.toolset != toolset:
                continue
            score = 0.0
            named = 0
            for stem, weight in wanted.items():
                if stem in name_stems:
                    score += 3 * weight * self._rarity[stem]
                    named += 1
                elif stem in other_stems:
                    score += weight * self._rarity[stem]
            if score:
                # Of two names that both match, the one with less else in it is the likelier: teams_list
                # before audit-logs_list-for-team for "list teams".
                score *= 0.5 + 0.5 * named / max(len(name_stems), 1)
                scored.append((-score, op.name, op))
        # Of two equal scores, an everyday tool first (blueprints_get before blueprints_diff: "scenario blueprint").
        scored.sort(key=lambda item: (item[0], item[1] not in EVERYDAY, item[1]))
        return [{"name": op.name, "description": one_line(op.description)} for _, _, op in scored[:limit]]


EVERYDAY = frozenset(CORE_TOOLS)

# A search hit's description: the first sentence, at most this long.
ONE_LINE_CHARS = 80
# What tools_describe gives of a tool's definition: all a call needs (the rest is for clients, not the model).
DESCRIBED = ("name", "description", "inputSchema")


def one_line(description: str) -> str:
    first = re.split(r"(?<=\.)\s", description.strip(), maxsplit=1)[0].rstrip(".")
    return first if len(first) <= ONE_LINE_CHARS else first[: ONE_LINE_CHARS - 1].rstrip() + "…"


# The best hits' inputs ride along in tools_search's answer, so calling one needs no tools_describe first: each
# compact (type, required, a short hint), best first, as many of the first hits as fit in this many characters.
SEARCH_INPUTS_CHARS = 1_800
SEARCH_INPUTS_HITS = 3
# A field's hint is kept when it is this short ("From teams_list."); tools_describe gives the whole text.
HINT_CHARS = 48
# An enum of more values than this is named by its count; tools_describe lists them.
ENUM_VALUES = 8
# The confirmation field's use is told by the preview that asks for it.
CONFIRMATION = "confirmation"


def search_result(
    found: list[dict[str, Any]], input_of: Callable[[str], dict[str, Any]] | None = None
) -> dict[str, Any]:
    """tools_search's answer: each hit's name and its line, best first (a mapping: no key repeated per hit), and
    `inputs`: the compact input schemas of the first hits that fit SEARCH_INPUTS_CHARS (`input_of` gives a hit's
    advertised input schema)."""
    answer: dict[str, Any] = {"tools": {hit["name"]: hit["description"] for hit in found}}
    if input_of is None:
        return answer
    inputs: dict[str, Any] = {}
    room = SEARCH_INPUTS_CHARS
    for hit in found[:SEARCH_INPUTS_HITS]:
        compact = compact_input(input_of(hit["name"]))
        size = len(json.dumps(compact, separators=(",", ":"), ensure_ascii=False))
        if size <= room:
            inputs[hit["name"]] = compact
            room -= size
    if inputs:
        answer["inputs"] = inputs
    return answer


def compact_input(schema: dict[str, Any]) -> dict[str, str]:
    """An input schema as one line per field: `"teamId": "integer, required; From teams_list."`."""
    required = set(schema.get("required", []))
    compact: dict[str, str] = {}
    for name, field in schema.get("properties", {}).items():
        if name == CONFIRMATION:
            continue
        text = _type_text(field, depth=0) + (", required" if name in required else "")
        hint = str(field.get("description", ""))
        compact[name] = f"{text}; {hint}" if hint and len(hint) <= HINT_CHARS else text
    return compact


def _type_text(schema: dict[str, Any], depth: int) -> str:
    branches = [branch for branch in schema.get("anyOf", [schema]) if branch.get("type") != "null"]
    return " or ".join(dict.fromkeys(_one_type(branch, depth) for branch in branches)) or "any"


def _one_type(schema: dict[str, Any], depth: int) -> str:
    if "enum" in schema:
        values = schema["enum"]
        shown = "|".join(str(value) for value in values)
        return shown if len(values) <= ENUM_VALUES else f"{schema.get('type', 'value')} ({len(values)} choices)"
    if "minimum" in schema and "maximum" in schema and schema.get("type") == "integer":
        return f"integer {schema['minimum']}-{schema['maximum']}"
    kind = schema.get("type", "any")
    if kind == "array":
        return f"array of {_type_text(schema.get('items', {}), depth)}"
    properties = schema.get("properties")
    if kind == "object" and properties and depth < 2:
        required = set(schema.get("required", []))
        members = ", ".join(
            f"{name}{'*' if name in required else ''}: {_type_text(field, depth + 1)}"
            for name, field in properties.items()
        )
        return f"object {{{members}}}"
    return str(kind)


def describe_result(definition: dict[str, Any]) -> dict[str, Any]:
    """tools_describe's answer from a tool's tools/list definition (its JSON form)."""
    return {key: definition[key] for key in DESCRIBED if key in definition}
