"""The wheel installs one top-level package, make_mcp, so `server` and `tools` never land in a user's environment,
and its console script points into it."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_wheel_holds_make_mcp_alone_and_its_command_line_inside_it(tmp_path: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "-q",
            "--no-deps",
            "--no-build-isolation",
            str(ROOT),
            "-w",
            str(tmp_path),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (wheel,) = tmp_path.glob("make_mcp-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        (entry_points,) = [name for name in names if name.endswith(".dist-info/entry_points.txt")]
        scripts = archive.read(entry_points).decode()
    top = {name.split("/")[0] for name in names if not name.split("/")[0].endswith(".dist-info")}
    assert top == {"make_mcp"}
    assert {"make_mcp/server/cli/main.py", "make_mcp/tools/registry.py", "make_mcp/tools/input_schemas.json"} <= set(
        names
    )
    assert "make-mcp = make_mcp.server.cli.main:main" in scripts
