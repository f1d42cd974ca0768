"""The committed catalogue is exactly what the generator makes from the spec and the overlays."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GENERATOR = ROOT / "scripts" / "generate_tools.py"


def test_generated_files_match_the_spec_and_overlays() -> None:
    result = subprocess.run(
        [sys.executable, str(GENERATOR), "--check"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
        timeout=300,
    )
    assert result.returncode == 0, f"generated files drifted:\n{result.stdout}{result.stderr}"
