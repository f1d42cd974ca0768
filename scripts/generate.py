"""Regenerate every generated file: the one command to run after changing the spec, the overlays, the
generator or what the server advertises.

    python scripts/generate.py          # rewrite the files that are out of date
    python scripts/generate.py --check  # change nothing; exit 1 listing each file that is out of date

In this order:
  1. tools/<toolset>.py, tools/inputs/<toolset>.py and tools/registry.py, from tools/spec/make-openapi.json and
     tools/overlays/ (scripts/generate_tools.py);
  2. tools/input_schemas.json, then tests/tools/snapshots/tools_list.json, which reads it
     (scripts/snapshot_tools.py);
  3. the toolset and scopes tables of README.md (scripts/readme_tables.py).

Steps 2 and 3 read the catalogue as the server loads it. It is staged: a copy of tools/ with the modules of
step 1 in place, loaded in a fresh interpreter (`--load-staged`, used only by this script), so nothing in the
checkout is written before the comparison, and generated files that are stale or broken on disk (after a
merge, say) do not matter. Only the hand-written parts of tools/ (catalogue.py, oauth_connections.py ...)
and server/ are read from the checkout.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# The checkout this script sits in is the one it regenerates (tests run it on a copy): its make_mcp goes first.
sys.path.insert(0, str(ROOT / "scripts" / "editable"))
README = "README.md"
COMMAND = "python scripts/generate.py"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if a file is out of date")
    parser.add_argument("--load-staged", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.load_staged:
        return load_staged(args.load_staged)

    try:
        import generate_tools
    except TypeError as error:  # a record given a field its class does not have, or a field twice
        print(f"{where_in_overlays(error)}: {error}", file=sys.stderr)
        return 1

    tools = generate_tools.build_tools(generate_tools.load_spec())
    modules = generate_tools.generated_modules(tools)
    stale = generate_tools.stale_modules(modules)
    with tempfile.TemporaryDirectory(prefix="make-mcp-generate-") as staging:
        loaded = stage_and_load(Path(staging), modules, stale)
    if loaded is None:
        return 1
    files = {**modules, **loaded}
    changed = [path for path, text in files.items() if not path.exists() or path.read_text(encoding="utf-8") != text]

    def shown(path: Path) -> str:
        return str(path.relative_to(ROOT))

    if args.check:
        if changed or stale:
            print(f"Generated files are out of date; run `{COMMAND}` and review the diff:")
            print("".join(f"  would change: {shown(path)}\n" for path in changed), end="")
            print("".join(f"  would delete: {shown(path)}\n" for path in stale), end="")
            return 1
        print(f"Generated files are up to date ({len(tools)} operations, {len(files)} files).")
        return 0
    for path in changed:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(files[path], encoding="utf-8")
        print(f"wrote {shown(path)}")
    for path in stale:
        path.unlink()
        print(f"deleted {shown(path)}")
    print(f"{len(tools)} operations; {len(changed)} files written, {len(stale)} deleted, of {len(files)}.")
    return 0


def where_in_overlays(error: BaseException) -> str:
    """The file and line of tools/overlays/ that raised `error` (the folder alone when it was raised elsewhere)."""
    folder = (ROOT / "tools" / "overlays").resolve()
    frames = [
        frame for frame in traceback.extract_tb(error.__traceback__) if Path(frame.filename).resolve().parent == folder
    ]
    if not frames:
        return "tools/overlays/"
    return f"tools/overlays/{Path(frames[-1].filename).name}, line {frames[-1].lineno}"


def stage_and_load(staging: Path, modules: dict[Path, str], stale: list[Path]) -> dict[Path, str] | None:
    """The texts of steps 2 and 3 by path, from a copy of tools/ holding `modules`; None when loading failed."""
    from snapshot_tools import INPUT_SCHEMAS, SNAPSHOT

    tools_dir = ROOT / "tools"
    package = staging / "make_mcp"
    shutil.copytree(tools_dir, package / "tools", ignore=shutil.ignore_patterns("__pycache__"))
    for path in stale:
        (package / path.relative_to(ROOT)).unlink()
    for path, text in modules.items():
        staged = package / path.relative_to(ROOT)
        staged.parent.mkdir(parents=True, exist_ok=True)
        staged.write_text(text, encoding="utf-8")
    completed = subprocess.run(
        [sys.executable, __file__, "--load-staged", str(staging)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
        check=False,
    )
    if completed.returncode != 0:
        print(f"Loading the generated catalogue failed:\n{completed.stdout}{completed.stderr}", file=sys.stderr)
        return None
    return {
        ROOT / name: staged_path(staging, name).read_text(encoding="utf-8")
        for name in (INPUT_SCHEMAS, SNAPSHOT, README)
    }


def staged_path(staging: Path, name: str) -> Path:
    """Where a file of the checkout is in the staging directory (tools/ is staged as make_mcp/tools/)."""
    return staging / "make_mcp" / name if name.startswith("tools/") else staging / name


def load_staged(staging: Path) -> int:
    """Steps 2 and 3 in this fresh interpreter, with `staging`/make_mcp/tools as the `make_mcp.tools` package
    (make_mcp.server still the checkout's): writes their files under `staging` (the input schemas first, since
    the snapshot reads them)."""
    sys.path[:0] = [str(staging)]
    from make_mcp import tools

    if Path(tools.__file__).parent != staging / "make_mcp" / "tools":
        raise SystemExit(f"the staged catalogue was not loaded: `tools` is {tools.__file__}")
    from readme_tables import readme_text
    from snapshot_tools import INPUT_SCHEMAS, SNAPSHOT, input_schemas_text, snapshot_text

    from make_mcp.tools.registry import ALL_OPERATIONS, TOOLSETS

    names = [operation.name for operation in ALL_OPERATIONS]
    twice = sorted({name for name in names if names.count(name) > 1})
    if twice:
        raise SystemExit(f"tools named twice: {twice}")
    staged_path(staging, INPUT_SCHEMAS).write_text(input_schemas_text(), encoding="utf-8")
    (staging / SNAPSHOT).parent.mkdir(parents=True, exist_ok=True)
    (staging / SNAPSHOT).write_text(snapshot_text(), encoding="utf-8")
    readme = (ROOT / README).read_text(encoding="utf-8")
    (staging / README).write_text(readme_text(readme, ALL_OPERATIONS, TOOLSETS), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
