"""The install paths MCP users take, each from a freshly built wheel in a fresh environment, serving the sandbox
through the mcp client over stdio: `uvx`, `pipx run`, and the Claude Desktop extension (scripts/build_mcpb.py) run
as Claude Desktop runs it (`uv run` in the unpacked bundle, the user's settings put into its environment).

uv and pipx come from PyPI into a temporary environment, the bundle tool from npm; without them the tests skip,
saying why.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from mcp import Client
from mcp.client.stdio import StdioServerParameters

from make_mcp.server.support.config import KNOWN_ZONES, Settings

ROOT = Path(__file__).resolve().parent.parent
TOOL_UNAVAILABLE = 3  # scripts/build_mcpb.py's exit status when npm cannot install @anthropic-ai/mcpb
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
UV, PIPX = "uv==0.13.*", "pipx==1.18.*"


@dataclass
class Installers:
    bin: Path
    home: Path  # pipx's home and the tools' caches: nothing of the user's own


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    build = [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", str(out), str(ROOT)]
    subprocess.run(build, check=True, capture_output=True)
    (built,) = out.glob("make_mcp-*.whl")
    return built


@pytest.fixture(scope="module")
def installers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Installers]:
    folder = tmp_path_factory.mktemp("installers")
    subprocess.run([sys.executable, "-m", "venv", str(folder / "venv")], check=True)
    pip = [str(folder / "venv" / "bin" / "python"), "-m", "pip", "install", "--quiet", UV, PIPX]
    installed = subprocess.run(pip, capture_output=True, text=True)
    if installed.returncode != 0:
        print(f"skipped: pip could not install {UV} and {PIPX}: {installed.stderr[-500:]}")
        pytest.skip(f"pip could not install {UV} and {PIPX} from PyPI")
    yield Installers(folder / "venv" / "bin", folder / "home")


def clean_environment(installers: Installers, **extra: str) -> dict[str, str]:
    """The user's environment without any MAKE_* setting or this test run's virtual environment."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("MAKE_", "VIRTUAL_ENV", "PYTHON"))}
    env["PATH"] = os.pathsep.join([str(installers.bin), *os.environ.get("PATH", "").split(os.pathsep)])
    env["PIPX_HOME"] = str(installers.home / "pipx")
    env["PIPX_BIN_DIR"] = str(installers.home / "bin")
    return {**env, **extra}


async def serves_the_sandbox(params: StdioServerParameters) -> None:
    async with Client(params) as client:
        info = client.server_info
        names = {tool.name for tool in (await client.list_tools()).tools}
        result = await client.call_tool("scenarios_list", {"teamId": 201})
    assert info is not None and info.name == "make-mcp"
    assert {"scenarios_list", "scenarios_run"} <= names
    assert not result.is_error and result.structured_content is not None


async def test_uvx_runs_make_mcp_from_the_wheel_and_serves_the_sandbox(wheel: Path, installers: Installers) -> None:
    command = str(installers.bin / "uvx")
    args = ["--from", str(wheel), "make-mcp", "serve", "--sandbox"]
    await serves_the_sandbox(StdioServerParameters(command=command, args=args, env=clean_environment(installers)))


async def test_pipx_run_runs_make_mcp_from_the_wheel_and_serves_the_sandbox(
    wheel: Path, installers: Installers
) -> None:
    command = str(installers.bin / "pipx")
    args = ["run", "--spec", str(wheel), "make-mcp", "serve", "--sandbox"]
    await serves_the_sandbox(StdioServerParameters(command=command, args=args, env=clean_environment(installers)))


def test_the_wheel_installs_the_make_mcp_command_and_only_the_make_mcp_package(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        top_level = {name.split("/", 1)[0] for name in names if not name.split("/", 1)[0].endswith(".dist-info")}
        (entry_points,) = [name for name in names if name.endswith(".dist-info/entry_points.txt")]
        (metadata,) = [name for name in names if name.endswith(".dist-info/METADATA")]
        scripts = archive.read(entry_points).decode()
        meta = archive.read(metadata).decode()
    assert top_level == {"make_mcp"}  # no top-level `server` or `tools` module in a user's environment
    assert "make-mcp = make_mcp." in scripts
    assert f"Version: {PROJECT['version']}" in meta and f"Name: {PROJECT['name']}" in meta


# --- The Claude Desktop extension ---


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory, wheel: Path) -> Path:
    out = tmp_path_factory.mktemp("mcpb")
    script = [sys.executable, str(ROOT / "scripts" / "build_mcpb.py"), "--out", str(out), "--wheel", str(wheel)]
    built = subprocess.run(script, capture_output=True, text=True)
    if built.returncode == TOOL_UNAVAILABLE:  # npm could not install the bundle tool: nothing of ours was tried
        print(f"skipped: {built.stderr[-500:]}")
        pytest.skip(built.stderr[-500:])
    assert built.returncode == 0, built.stdout[-2000:] + built.stderr[-2000:]
    assert "Manifest schema validation passes" in built.stdout  # `mcpb validate` ran on the manifest
    return out / f"make-mcp-{PROJECT['version']}.mcpb"


def read_manifest(bundle: Path) -> dict[str, object]:
    with zipfile.ZipFile(bundle) as archive:
        return json.loads(archive.read("manifest.json"))


def test_the_extension_asks_for_the_token_as_a_secret_and_the_zone_and_team_as_settings(bundle: Path) -> None:
    manifest = read_manifest(bundle)
    config = manifest["user_config"]
    env = manifest["server"]["mcp_config"]["env"]  # pyright: ignore[reportIndexIssue]
    assert manifest["name"] == PROJECT["name"] and manifest["version"] == PROJECT["version"]
    assert config["make_token"]["sensitive"] is True and config["make_token"]["required"] is False  # pyright: ignore[reportIndexIssue]
    assert config["team"]["type"] == "number" and config["team"]["required"] is False  # pyright: ignore[reportIndexIssue]
    assert config["zone"]["default"] == Settings().zone  # pyright: ignore[reportIndexIssue]
    assert all(zone in config["zone"]["description"] for zone in KNOWN_ZONES)  # pyright: ignore[reportIndexIssue]
    assert env == {
        "MAKE_API_KEY": "${user_config.make_token}",
        "MAKE_ZONE": "${user_config.zone}",
        "MAKE_TEAM": "${user_config.team}",
    }
    assert set(env) <= {f"MAKE_{name.upper()}" for name in Settings.model_fields}  # pyright: ignore[reportArgumentType]


async def test_the_extension_run_as_claude_desktop_runs_it_serves_the_sandbox_when_no_token_is_given(
    bundle: Path, installers: Installers, tmp_path: Path
) -> None:
    with zipfile.ZipFile(bundle) as archive:
        archive.extractall(tmp_path)
    server = read_manifest(bundle)["server"]["mcp_config"]  # pyright: ignore[reportIndexIssue]
    settings = {"${__dirname}": str(tmp_path), "${user_config.make_token}": "", "${user_config.zone}": "eu2.make.com"}
    settings["${user_config.team}"] = ""

    def filled(text: str) -> str:
        for placeholder, value in settings.items():
            text = text.replace(placeholder, value)
        return text

    args = [filled(arg) for arg in server["args"]]
    env = clean_environment(installers, **{name: filled(value) for name, value in server["env"].items()})
    command = str(installers.bin / server["command"])
    await serves_the_sandbox(StdioServerParameters(command=command, args=args, env=env))
