"""The README's tables of the catalogue, as the server loads it: a step of scripts/generate.py.

README.md holds three generated blocks: the toolset table between `<!-- toolsets:start -->` and
`<!-- toolsets:end -->`, the scopes each toolset needs between `<!-- scopes:start -->` and
`<!-- scopes:end -->`, and what tools/list holds in each mode between `<!-- modes:start -->` and
`<!-- modes:end -->` (tools and model-visible tokens, counted as scripts/bench.py counts them). All count the
hand-written tools too. The rest of the file is left as it is; tests/test_readme_figures.py checks that the
README's other statements of these figures agree with them.
"""

from __future__ import annotations

from collections.abc import Sequence

from make_mcp.tools.catalogue import Operation

TOOLSETS_BLOCK = ("<!-- toolsets:start -->", "<!-- toolsets:end -->")
SCOPES_BLOCK = ("<!-- scopes:start -->", "<!-- scopes:end -->")
MODES_BLOCK = ("<!-- modes:start -->", "<!-- modes:end -->")
ACTION_RANK = ("list", "get", "create", "update", "delete", "run")


def readme_text(readme: str, operations: Sequence[Operation], toolsets: Sequence[str]) -> str:
    """`readme` with both tables rendered from `operations`, grouped by toolset in the order of `toolsets`."""
    by_toolset: dict[str, list[Operation]] = {toolset: [] for toolset in toolsets}
    for operation in operations:
        if operation.toolset not in by_toolset:
            raise SystemExit(f"tool {operation.name} is in an unknown toolset {operation.toolset!r}")
        by_toolset[operation.toolset].append(operation)
    readme = with_block(readme, TOOLSETS_BLOCK, toolsets_table(by_toolset))
    readme = with_block(readme, SCOPES_BLOCK, scopes_table(by_toolset))
    return with_block(readme, MODES_BLOCK, modes_table(listing_figures()))


def listing_figures() -> dict[str, tuple[int, int]]:
    """(tools, model-visible cl100k tokens) of tools/list by mode, default toolsets and every scope, shipped
    defaults (destructive tools carry the confirmation field), no scenario tools; `all` is full mode with every
    toolset: the whole catalogue."""
    import json

    import bpe_openai

    from make_mcp.server.engine.selection import ToolChoice, selected_toolsets
    from make_mcp.server.protocol.listing import listing

    encoding = bpe_openai.get_encoding("cl100k_base")
    figures: dict[str, tuple[int, int]] = {}
    for label, toolsets, mode in (
        ("core", "default", "core"),
        ("full", "default", "full"),
        ("all", "all", "full"),
        ("discovery", "default", "discovery"),
    ):
        listed = listing(ToolChoice(selected_toolsets(toolsets), False).select(None), mode=mode, confirm=True).tools
        dumped = [tool.model_dump(by_alias=True, exclude_none=True, mode="json") for tool in listed]
        visible = [{key: tool[key] for key in ("name", "description", "inputSchema") if key in tool} for tool in dumped]
        text = json.dumps(visible, separators=(",", ":"), ensure_ascii=False)
        figures[label] = (len(listed), len(encoding.encode(text)))
    return figures


def modes_table(figures: dict[str, tuple[int, int]]) -> str:
    core, full, every, discovery = (figures[label] for label in ("core", "full", "all", "discovery"))
    return "\n".join(
        [
            "| mode | tools/list (default toolsets, no scenario tools) | pick it for |",
            "|---|---|---|",
            f"| `core` (the default) | {core[0]} tools, {core[1]:,} model-visible tokens; never more than 40 tools "
            "or 6,000 tokens, your scenario tools included | every client below: it fits the strictest tool cap "
            "(Cursor's 40) and lists the everyday tools first |",
            f"| `full` | {full[0]} tools, {full[1]:,} tokens (all toolsets: {every[0]}, {every[1]:,}) | clients "
            "without a tool cap that want every schema up front (Claude Desktop, Claude Code, the Anthropic API), "
            "ideally with a few toolsets (`--toolsets scenarios,data-stores`) |",
            f"| `discovery` | {discovery[0]} tools (and your scenario tools), {discovery[1]:,} tokens | the smallest "
            "listing: agents that may need anything and pay a search per tool |",
        ]
    )


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
