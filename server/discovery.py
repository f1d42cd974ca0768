"""Discovery mode: three small tools that reach every operation while tools/list stays tiny."""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from tools.catalogue import Operation

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
        "Find Make API tools by words (and optionally toolset); returns names, titles and toolsets.",
        SearchInput,
        True,
    ),
    DESCRIBE_TOOL: (
        "Describe a Make tool",
        "Full definition of one tool: description, input schema, annotations and required scopes.",
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


def _words(text: str) -> set[str]:
    found = set(_WORD.findall(text.lower()))
    # Plural and singular forms should meet: "scenarios" finds "scenario".
    return found | {word[:-1] for word in found if word.endswith("s") and len(word) > 3}


class ToolIndex:
    """Word search over the visible operations, built once."""

    def __init__(self, operations: tuple[Operation, ...]) -> None:
        self._entries = [
            (op, _words(op.name.replace("-", " ").replace("_", " ")), _words(f"{op.title} {op.path} {op.description}"))
            for op in operations
        ]

    def search(self, query: str, toolset: str | None, limit: int) -> list[dict[str, Any]]:
        wanted = _words(query)
        scored: list[tuple[float, str, Operation]] = []
        for op, name_words, other_words in self._entries:
            if toolset is not None and op.toolset != toolset:
                continue
            score = 3 * len(wanted & name_words) + len(wanted & other_words)
            if score:
                scored.append((-score, op.name, op))
        scored.sort(key=lambda item: (item[0], item[1]))
        return [
            {"name": op.name, "title": op.title, "toolset": op.toolset, "readOnly": op.read_only}
            for _, _, op in scored[:limit]
        ]
