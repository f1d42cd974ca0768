"""The README's tables of the catalogue, as the server loads it: a step of scripts/generate.py.

README.md holds two generated blocks: the toolset table between `<!-- toolsets:start -->` and
`<!-- toolsets:end -->`, and the scopes each toolset needs between `<!-- scopes:start -->` and
`<!-- scopes:end -->`. Both count the hand-written tools too. The rest of the file is left as it is.
"""

from __future__ import annotations

from collections.abc import Sequence

from make_mcp.tools.catalogue import Operation

TOOLSETS_BLOCK = ("<!-- toolsets:start -->", "<!-- toolsets:end -->")
SCOPES_BLOCK = ("<!-- scopes:start -->", "<!-- scopes:end -->")
ACTION_RANK = ("list", "get", "create", "update", "delete", "run")


def readme_text(readme: str, operations: Sequence[Operation], toolsets: Sequence[str]) -> str:
    """`readme` with both tables rendered from `operations`, grouped by toolset in the order of `toolsets`."""
    by_toolset: dict[str, list[Operation]] = {toolset: [] for toolset in toolsets}
    for operation in operations:
        if operation.toolset not in by_toolset:
            raise SystemExit(f"tool {operation.name} is in an unknown toolset {operation.toolset!r}")
        by_toolset[operation.toolset].append(operation)
    readme = with_block(readme, TOOLSETS_BLOCK, toolsets_table(by_toolset))
    return with_block(readme, SCOPES_BLOCK, scopes_table(by_toolset))


def with_block(text: str, markers: tuple[str, str], content: str) -> str:
    """The text with `content` between the markers."""
    start_marker, end_marker = markers
    start, end = text.find(start_marker), text.find(end_marker)
    if start < 0 or end < start:
        raise SystemExit(f"README.md has no {start_marker} ... {end_marker} block for its generated table")
    return f"{text[: start + len(start_marker)]}\n{content}\n{text[end:]}"


def scopes_table(by_toolset: dict[str, list[Operation]]) -> str:
    lines = ["| toolset | scopes its tools need | with `--read-only` |", "|---|---|---|"]
    for toolset, operations in by_toolset.items():
        every = sorted({scope for operation in operations for scope in operation.scopes})
        reading = sorted({scope for operation in operations if operation.read_only for scope in operation.scopes})
        shown = ", ".join(f"`{scope}`" for scope in every)
        shown_reading = ", ".join(f"`{scope}`" for scope in reading) or "(no read-only tools)"
        lines.append(f"| `{toolset}` | {shown} | {shown_reading} |")
    return "\n".join(lines)


def example_names(toolset: str, operations: list[Operation]) -> list[str]:
    def rank(operation: Operation) -> tuple[bool, int, str]:
        resource, action = operation.name.split("_", 1)
        order = ACTION_RANK.index(action) if action in ACTION_RANK else len(ACTION_RANK)
        return resource != toolset, order, operation.name

    return [operation.name for operation in sorted(operations, key=rank)[:3]]


def toolsets_table(by_toolset: dict[str, list[Operation]]) -> str:
    lines = ["| toolset | tools | read-only tools | example tool names |", "|---|---|---|---|"]
    for toolset, operations in by_toolset.items():
        read_only = sum(operation.read_only for operation in operations)
        examples = ", ".join(f"`{name}`" for name in example_names(toolset, operations))
        lines.append(f"| `{toolset}` | {len(operations)} | {read_only} | {examples} |")
    total = sum(len(operations) for operations in by_toolset.values())
    total_read_only = sum(operation.read_only for operations in by_toolset.values() for operation in operations)
    lines.append(f"| **all {len(by_toolset)}** | **{total}** | **{total_read_only}** | |")
    return "\n".join(lines)
