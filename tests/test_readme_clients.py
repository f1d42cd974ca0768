"""README's client configurations work as written: each JSON block parses into the shape its client reads, and
starts `make-mcp serve` with settings make-mcp knows."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path
from typing import Any

from make_mcp.server.cli.main import (
    _parser,  # pyright: ignore[reportPrivateUsage]
)
from make_mcp.server.support.config import KNOWN_ZONES, TOOL_MODES, Settings

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
SECTION = README[README.index("## Clients and frameworks") : README.index("## Remote and multi-user (HTTP)")]
SETTINGS = {f"MAKE_{name.upper()}" for name in Settings.model_fields}


def blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", SECTION, flags=re.DOTALL)


def check_entry(entry: dict[str, Any]) -> None:
    assert Path(entry["command"]).name == "make-mcp"
    _parser().parse_args(entry["args"])  # flags make-mcp takes (argparse exits on an unknown one)
    assert entry["args"][0] == "serve"
    assert set(entry["env"]) == {"MAKE_API_KEY", "MAKE_ZONE", "MAKE_TEAM"} <= SETTINGS
    assert entry["env"]["MAKE_ZONE"] in KNOWN_ZONES


def test_every_client_configuration_names_make_mcp_serve_with_known_settings() -> None:
    configurations = [json.loads(block) for block in blocks("json")]
    assert len(configurations) >= 3
    for configuration in configurations:
        servers = configuration.get("mcpServers") or configuration["servers"]  # VS Code's key is "servers"
        for entry in servers.values():
            check_entry(entry)
    vs_code = next(configuration for configuration in configurations if "servers" in configuration)
    assert vs_code["servers"]["make"]["type"] == "stdio"
    (prompt,) = vs_code["inputs"]
    assert vs_code["servers"]["make"]["env"]["MAKE_API_KEY"] == "${input:" + prompt["id"] + "}"


def test_the_claude_code_command_adds_make_mcp_serve_with_the_three_settings() -> None:
    (command,) = [line for block in blocks("sh") for line in block.splitlines() if line.startswith("claude mcp add")]
    words = shlex.split(command)  # placeholders are quoted: a bare <...> would be a shell redirection
    assert words[words.index("--") + 1 :] == ["make-mcp", "serve"]
    env = [words[i + 1].split("=", 1)[0] for i, word in enumerate(words) if word == "--env"]
    assert sorted(env) == ["MAKE_API_KEY", "MAKE_TEAM", "MAKE_ZONE"]


def test_every_mode_the_readme_offers_is_one_make_mcp_knows() -> None:
    table = SECTION[SECTION.index("| mode |") :].split("\n\n")[0]
    modes = re.findall(r"^\| `(\w+)`", table, flags=re.MULTILINE)
    assert modes == list(TOOL_MODES)
