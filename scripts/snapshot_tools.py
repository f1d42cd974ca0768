"""Write the snapshot of every tool as MCP clients see it, so a change to any advertised tool shows in review.

    python scripts/snapshot_tools.py          # rewrite tests/tools/snapshots/tools_list.json
    python scripts/snapshot_tools.py --check  # write nothing; exit 1 when the snapshot is out of date

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
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if the snapshot would change")
    args = parser.parse_args(argv)

    text = snapshot_text()
    current = SNAPSHOT_PATH.read_text(encoding="utf-8") if SNAPSHOT_PATH.exists() else None
    shown = SNAPSHOT_PATH.relative_to(ROOT)
    if args.check:
        if current != text:
            print(f"{shown} is out of date; run `python scripts/snapshot_tools.py` and review the diff.")
            return 1
        print(f"{shown} is up to date.")
        return 0
    if current != text:
        SNAPSHOT_PATH.parent.mkdir(parents=True, exist_ok=True)
        SNAPSHOT_PATH.write_text(text, encoding="utf-8")
        print(f"wrote {shown}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
