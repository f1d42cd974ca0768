"""Write the input schemas the server ships and the snapshot of every tool as MCP clients see it.

    python scripts/snapshot_tools.py          # rewrite tools/input_schemas.json and tests/tools/snapshots/tools_list.json
    python scripts/snapshot_tools.py --check  # write nothing; exit 1 when either is out of date

tools/input_schemas.json holds every tool's advertised input schema, `input_schema(model)`, keyed by tool name:
the server reads it instead of building 380 JSON schemas at start-up. Run this after scripts/generate_tools.py.

The snapshot holds the full catalogue with the shipped defaults (destructive tools carry the confirmation
field), one tool per entry, sorted by name: name, title, description, inputSchema, outputSchema,
annotations and _meta exactly as tools/list sends them.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SNAPSHOT_PATH = ROOT / "tests" / "tools" / "snapshots" / "tools_list.json"
INPUT_SCHEMAS_PATH = ROOT / "tools" / "input_schemas.json"


def input_schemas_text() -> str:
    """`input_schema(model)` of every tool by name: compact JSON, one tool a line, so a diff names the tools."""
    from server.operations import input_schema
    from tools.registry import ALL_OPERATIONS

    def compact(value: object) -> str:
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False)

    lines = [
        f"{compact(operation.name)}:{compact(input_schema(operation.input_model))}"
        for operation in sorted(ALL_OPERATIONS, key=lambda operation: operation.name)
    ]
    return "{\n" + ",\n".join(lines) + "\n}\n"


def snapshot_text() -> str:
    from server.app import tool_definition
    from tools.registry import ALL_OPERATIONS

    tools = [
        tool_definition(operation, confirm=True).model_dump(mode="json", by_alias=True, exclude_none=True)
        for operation in sorted(ALL_OPERATIONS, key=lambda operation: operation.name)
    ]
    return json.dumps({"tools": tools}, indent=1, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if either file would change")
    args = parser.parse_args(argv)

    # The input schemas first: the snapshot's inputSchema values are read from that file.
    schemas_ok = _written(INPUT_SCHEMAS_PATH, input_schemas_text(), args.check)
    snapshot_ok = _written(SNAPSHOT_PATH, snapshot_text(), args.check)
    return 0 if schemas_ok and snapshot_ok else 1


def _written(path: Path, text: str, check: bool) -> bool:
    """Whether `path` holds `text`; writes it unless `check`. False: it is out of date and was not written."""
    current = path.read_text(encoding="utf-8") if path.exists() else None
    shown = path.relative_to(ROOT)
    if current == text:
        if check:
            print(f"{shown} is up to date.")
        return True
    if check:
        print(f"{shown} is out of date; run `python scripts/snapshot_tools.py` and review the diff.")
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    print(f"wrote {shown}")
    return True


if __name__ == "__main__":
    sys.exit(main())
