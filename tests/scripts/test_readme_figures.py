"""Every figure the README states about the catalogue's listing is the generator's (scripts/readme_tables.py) or
comes from a benchmark run of this very catalogue: a README that drifted from the code fails here."""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPTS = ROOT / "scripts"
if str(SCRIPTS) not in sys.path:
    sys.path.insert(0, str(SCRIPTS))

from readme_tables import MODES_BLOCK, listing_figures, modes_table  # noqa: E402

README = (ROOT / "README.md").read_text(encoding="utf-8")
FIGURES = listing_figures()


def number(text: str) -> int:
    return int(text.replace(",", ""))


def test_the_modes_table_states_what_the_listing_holds() -> None:
    start, end = (README.index(marker) for marker in MODES_BLOCK)
    assert README[start + len(MODES_BLOCK[0]) : end].strip() == modes_table(FIGURES)


# Benchmark rows of tools/list (scripts/bench.py): the row's words, and the mode they measure.
BENCH_ROWS = {
    "the default: core mode, default toolsets": "core",
    "`--mode full`, default toolsets (": "full",
    "`--mode full`, all toolsets": "all",
    "`--mode discovery`": "discovery",
}


def test_the_benchmark_measured_this_catalogue_listing() -> None:
    rows = [line for line in README.splitlines() if line.startswith("| `tools/list`,")]
    for words, mode in BENCH_ROWS.items():
        row = next(line for line in rows if words in line)
        tools = re.search(r"\((\d[\d,]*) tools\)", row)
        tokens = re.search(r"model-visible [\d,]+ B / ([\d,]+) tokens", row)
        assert tools and tokens, row
        assert (number(tools.group(1)), number(tokens.group(1))) == FIGURES[mode], (
            f"README's benchmark of {mode} mode is of another catalogue: rerun scripts/bench.py --official"
        )


def test_the_task_benchmark_measured_this_catalogue_listing() -> None:
    row = next(line for line in README.splitlines() if line.startswith("| tool-list tokens (model-visible) |"))
    cells = re.findall(r"([\d,]+) \((\d+) tools\)", row)
    stated = [(number(tools), number(tokens)) for tokens, tools in cells[:3]]
    assert stated == [FIGURES["core"], FIGURES["full"], FIGURES["discovery"]], (
        "README's task benchmark is of another catalogue: rerun scripts/bench_tasks.py --official"
    )


def test_the_counts_of_trimmed_lists_are_those_of_the_result_field_tables() -> None:
    from make_mcp.tools.registry import DEFAULT_FIELDS, NOT_TRIMMED, TRIMMED_FIELDS

    asked = re.search(r"users \.\.\. (\d+) tools\) the fields are asked of Make", README)
    kept = re.search(r"`incomplete-executions_list` \.\.\. (\d+) tools\)", README)
    whole = re.search(r"(\d+) lists are returned whole", README)
    assert asked and kept and whole
    assert (int(asked.group(1)), int(kept.group(1)), int(whole.group(1))) == (
        len(DEFAULT_FIELDS),
        len(TRIMMED_FIELDS),
        len(NOT_TRIMMED),
    )
