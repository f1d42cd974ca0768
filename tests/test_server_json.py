"""server.json, make-mcp's entry for the MCP Registry: valid against the registry's own schema (vendored in
tests/vendor/mcp_registry) and in step with pyproject.toml, the README and the server's settings."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

from jsonschema import Draft7Validator

from make_mcp.server.support.config import KNOWN_ZONES, Settings

ROOT = Path(__file__).resolve().parent.parent
SERVER = json.loads((ROOT / "server.json").read_text(encoding="utf-8"))
SCHEMA = json.loads((ROOT / "tests" / "vendor" / "mcp_registry" / "server.schema.json").read_text(encoding="utf-8"))
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def test_server_json_is_valid_against_the_registry_schema_it_names() -> None:
    validator = Draft7Validator(SCHEMA, format_checker=Draft7Validator.FORMAT_CHECKER)
    errors = [f"{'/'.join(map(str, error.absolute_path))}: {error.message}" for error in validator.iter_errors(SERVER)]
    assert errors == []
    assert SERVER["$schema"] == SCHEMA["$id"]


def test_the_registry_schema_refuses_what_the_registry_refuses() -> None:
    validator = Draft7Validator(SCHEMA, format_checker=Draft7Validator.FORMAT_CHECKER)
    assert not validator.is_valid({**SERVER, "name": "make-mcp"})  # no namespace
    assert not validator.is_valid({**SERVER, "description": "x" * 101})
    package = {**SERVER["packages"][0], "version": "latest"}
    assert not validator.is_valid({**SERVER, "packages": [package]})


def test_the_version_and_package_are_pyproject_s() -> None:
    (package,) = SERVER["packages"]
    assert SERVER["version"] == package["version"] == PROJECT["version"]
    assert package["registryType"] == "pypi" and package["identifier"] == PROJECT["name"]
    assert package["transport"] == {"type": "stdio"}
    assert [argument["value"] for argument in package["packageArguments"]] == ["serve"]


def test_the_readme_carries_the_registry_name_that_proves_the_pypi_package_is_ours() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert re.search(rf"mcp-name: {re.escape(SERVER['name'])}\b", readme)


def test_the_settings_it_offers_are_the_server_s_and_only_the_token_is_secret() -> None:
    variables = {variable["name"]: variable for variable in SERVER["packages"][0]["environmentVariables"]}
    assert set(variables) == {"MAKE_API_KEY", "MAKE_ZONE", "MAKE_TEAM"}
    assert set(variables) <= {f"MAKE_{name.upper()}" for name in Settings.model_fields}
    assert [name for name, variable in variables.items() if variable.get("isSecret")] == ["MAKE_API_KEY"]
    assert not any(variable.get("isRequired") for variable in variables.values())  # no token: the sandbox
    assert tuple(variables["MAKE_ZONE"]["choices"]) == KNOWN_ZONES
