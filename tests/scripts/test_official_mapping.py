"""The vendored mapping of the official tool set is what scripts/official_mapping.py computes from the facts and
today's catalogue, and it says what the facts say about the tools the issue names."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.tools.official import mapping

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "official_mapping.py"


def test_the_vendored_mapping_is_what_the_script_computes_now() -> None:
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--check"], capture_output=True, text=True, cwd=ROOT, check=False, timeout=300
    )
    assert result.returncode == 0, f"run scripts/official_mapping.py:\n{result.stdout}{result.stderr}"


def tool(name: str) -> dict:
    return next(entry for entry in mapping()["tools"] if entry["name"] == name)


def argument(tool_name: str, name: str) -> dict:
    return next(entry for entry in tool(tool_name)["arguments"] if entry["name"] == name)


def test_hooks_update_is_the_set_data_request_there_and_here() -> None:
    entry = tool("hooks_update")
    assert entry["status"] == "same"
    assert entry["requests"] == [{"method": "POST", "path": "/hooks/{hookId}/set-data"}]
    assert entry["ours"] == "hooks_update"
    assert argument("hooks_update", "data")["ours"] == "data"


def test_official_arguments_name_the_field_that_sends_them_here() -> None:
    assert argument("sdk-apps_get", "name")["ours"] == "name"
    assert argument("sdk-apps_get", "name")["wire"] == "SDK_appName"
    assert argument("data-store-records_list", "limit")["wire"] == "pg[limit]"
    assert argument("data-store-records_list", "limit")["ours"] == "pg.limit"
    assert argument("connections_create", "name")["wire"] == "accountName"
    assert argument("connections_create", "name")["ours"] == "name"
    assert argument("connections_create", "accountName")["wire"] == "accountType"
    assert argument("connections_create", "accountName")["status"] == "same"


def test_fields_the_reference_omits_and_the_sdk_sends_are_taken_here_and_the_rest_marked_refused() -> None:
    assert argument("teams_list", "includePrivateSpaces")["status"] == "same"
    assert argument("teams_create", "transferLimit")["status"] == "same"
    assert argument("scenarios_update", "description")["status"] == "same"
    assert argument("folders_list", "childrenDepth")["status"] == "same"
    assert argument("hooks_create", "data")["status"] == "same"  # its members spread into the body
    assert argument("connections_create", "data")["status"] == "same"


def test_arguments_the_official_drops_are_marked_not_sent() -> None:
    assert {a["name"] for a in tool("executions_list")["arguments"] if a["status"] == "not-sent"} == {
        "status",
        "from",
        "to",
    }


def test_undocumented_defaults_are_found_and_each_has_a_decision() -> None:
    counted = mapping()["counts"]
    assert counted["default confirmed=true"] == 9
    assert counted["default metadata"] == 2
    assert tool("hooks_create")["defaults"] == ["useDefaults=requiredOnly"]
    assert set(mapping()["defaults"]) == {"cols[]=*", "confirmed=true", "useDefaults=requiredOnly", "metadata"}


def test_every_official_name_is_a_tool_here_with_its_meaning_and_28_are_undocumented() -> None:
    absent = [entry for entry in mapping()["tools"] if entry["status"] in ("missing", "covered", "renamed")]
    assert absent == []
    section_write = next(entry for entry in mapping()["tools"] if entry["name"] == "sdk-modules_set-section")
    assert section_write["ours"] == "sdk-modules_set-section" and section_write["status"] == "same"
    undocumented = {entry["name"] for entry in mapping()["tools"] if not entry["documented"]}
    assert len(undocumented) == 28  # 6 connected-system, 9 sdk-endpoints, 3 custom-roles, 3 private-spaces ...
    assert {"sdk-apps_get-section", "sdk-apps_set-section", "on-prem-agent_get-app-config"} <= undocumented
    assert "sdk-modules_set-section" not in undocumented  # each of its sections is a documented path
