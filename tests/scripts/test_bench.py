"""scripts/bench.py runs end to end with tiny counts and reports every section with sane figures."""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BENCH = ROOT / "scripts" / "bench.py"
SECTIONS = (
    "## Start-up",
    "## tools/list size",
    "## Per-call latency",
    "## Throughput",
    "## Peak memory",
    "## Official tool set",
)


def test_quick_bench_reports_every_section_with_sane_figures(tmp_path: Path) -> None:
    figures = tmp_path / "bench.json"
    tiny = ["--startups", "1", "--calls", "5", "--concurrent", "5", "--rounds", "1", "--warmup", "1"]
    completed = subprocess.run(
        [sys.executable, str(BENCH), "--quick", *tiny, "--json", str(figures), "--deadline", "300"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=360,
        stdin=subprocess.DEVNULL,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    report = completed.stdout
    for section in SECTIONS:
        assert section in report
    assert "not measured (run with --official)" in report

    results = json.loads(figures.read_text())
    assert [row["name"] for row in results["startup"]] == ["make-mcp", "make-mcp, built-in sandbox"]
    for startup in results["startup"]:
        assert 0 < startup["initialize_ms"] <= startup["tools_list_ms"]

    listings = {row["name"].split(" (")[0].split(":")[0]: row for row in results["listings"]}
    assert set(listings) == {
        "default",
        "full mode, default toolsets",
        "full mode, all toolsets",
        "full mode, read-only, default toolsets",
        "discovery mode",
    }
    for row in listings.values():
        assert 0 < row["tokens"] < row["bytes"]
        assert 0 < row["visible_tokens"] < row["tokens"]
        assert 0 < row["visible_bytes"] < row["bytes"]
    assert listings["discovery mode"]["tools"] == 3
    assert listings["default"]["tools"] <= 40 and listings["default"]["visible_tokens"] <= 6_000
    assert (
        listings["full mode, read-only, default toolsets"]["tools"] < listings["full mode, default toolsets"]["tools"]
    )
    assert listings["full mode, default toolsets"]["tools"] < listings["full mode, all toolsets"]["tools"]
    assert listings["discovery mode"]["bytes"] < listings["default"]["bytes"]
    assert listings["default"]["bytes"] < listings["full mode, read-only, default toolsets"]["bytes"]
    assert "all of them" in results["catalogue"]

    ours, floor = results["latency"]
    assert ours["name"].startswith("make-mcp") and floor["name"].startswith("floor")
    for row in (ours, floor):
        assert row["calls"] == 5
        assert 0 < row["median_ms"] <= row["p99_ms"]
    for row in results["throughput"]:
        assert row["concurrent"] == 5 and row["calls_per_s"] > 0
    (memory,) = results["memory"]
    assert 10 < memory["peak_rss_mib"] < 4096


def test_the_model_visible_part_of_a_listing_is_each_tools_name_description_and_input_schema_never_its_icon(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    spec = importlib.util.spec_from_file_location("make_mcp_bench", BENCH)
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "make_mcp_bench", bench)  # its dataclasses look their module up there
    spec.loader.exec_module(bench)
    tool = {
        "name": "teams_get",
        "title": "Get team",
        "description": "Get a team.",
        "inputSchema": {"type": "object"},
        "annotations": {"readOnlyHint": True},
        "outputSchema": {"type": "object"},
        "_meta": {"make/operation": {"method": "GET"}},
        "icons": [{"src": "data:image/svg+xml,%3Csvg%3E", "mimeType": "image/svg+xml", "sizes": ["any"]}],
    }
    assert json.loads(bench.model_visible([tool, {"name": "bare", "inputSchema": {}}])) == [
        {"name": "teams_get", "description": "Get a team.", "inputSchema": {"type": "object"}},
        {"name": "bare", "inputSchema": {}},
    ]


def test_bench_refuses_a_count_below_one() -> None:
    completed = subprocess.run(
        [sys.executable, str(BENCH), "--calls", "0"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        stdin=subprocess.DEVNULL,
        check=False,
    )
    assert completed.returncode == 2
    assert "at least 1" in completed.stderr
    assert completed.stdout == ""


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_official_server_script_is_valid_javascript() -> None:
    script = ROOT / "scripts" / "official_make_mcp.mjs"
    completed = subprocess.run(
        ["node", "--check", str(script)], capture_output=True, text=True, timeout=60, check=False
    )
    assert completed.returncode == 0, completed.stderr


def test_startup_only_interleaves_this_checkout_and_a_baseline_with_an_account_and_the_built_in_sandbox(
    tmp_path: Path,
) -> None:
    figures = tmp_path / "startup.json"
    arguments = ["--startup-only", "--startups", "2", "--baseline", str(ROOT), "--json", str(figures)]
    completed = subprocess.run(
        [sys.executable, str(BENCH), *arguments, "--deadline", "300"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=360,
        stdin=subprocess.DEVNULL,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    assert "## Start-up" in completed.stdout and "## Per-call latency" not in completed.stdout
    rows = json.loads(figures.read_text())["startup"]
    assert [row["name"] for row in rows] == [
        "make-mcp",
        "make-mcp, built-in sandbox",
        f"make-mcp at {ROOT}",
        f"make-mcp at {ROOT}, built-in sandbox",
    ]
    for row in rows:
        assert row["runs"] == 2 and 0 < row["initialize_ms"] <= row["tools_list_ms"]
        assert row["official_ratio"] == ""  # no official tool set measured


def test_a_baseline_must_be_a_make_mcp_checkout(tmp_path: Path) -> None:
    for arguments, problem in (
        (["--baseline", str(tmp_path)], "not a make-mcp checkout"),
        (["--startup-only", "--baseline", str(tmp_path)], "not a make-mcp checkout"),
    ):
        completed = subprocess.run(
            [sys.executable, str(BENCH), *arguments],
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=60,
            stdin=subprocess.DEVNULL,
            check=False,
        )
        assert completed.returncode == 2 and problem in completed.stderr
