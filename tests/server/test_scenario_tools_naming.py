"""Scenario tool names and descriptions; the MAKE_SCENARIO_TOOLS setting; the curation file."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from make_mcp.server.scenario_tools.curation import CuratedScenario, CurationError, load_curation, parse_curation
from make_mcp.server.scenario_tools.naming import TOOL_NAME, NameBook, description, tool_name
from make_mcp.server.support.config import Settings
from make_mcp.server.support.scenario_choice import ScenarioChoice, parse_choice
from make_mcp.tools.registry import ALL_OPERATIONS
from make_mcp.tools.scenario_runs import OPERATIONS as SCENARIO_RUN_OPERATIONS


def test_a_name_is_the_scenario_name_in_snake_case_and_its_id() -> None:
    assert tool_name("Add lead to CRM", 4412) == "add_lead_to_crm_4412"
    assert tool_name("  Créer une facture (PDF)!  ", 7) == "creer_une_facture_pdf_7"
    assert tool_name("🚀 ✨", 9) == "scenario_9"


def test_a_long_name_is_cut_at_a_word_and_keeps_its_whole_id() -> None:
    name = tool_name("Synchronise every customer record between the CRM and the billing system nightly", 123456789)
    assert len(name) <= 56 and name.endswith("_123456789")
    assert name == "synchronise_every_customer_record_between_the_123456789"
    assert len(tool_name("x" * 100, 5, max_length=20)) == 20


@given(st.text(max_size=200), st.integers(1, 10**12), st.integers(16, 64))
def test_every_generated_name_fits_the_mcp_pattern_and_the_length(text: str, scenario_id: int, limit: int) -> None:
    name = tool_name(text, scenario_id, limit)
    assert TOOL_NAME.match(name) and len(name) <= limit and name.endswith(f"_{scenario_id}")


def test_names_never_meet_a_catalogue_tool_or_each_other() -> None:
    taken = [operation.name for operation in (*ALL_OPERATIONS, *SCENARIO_RUN_OPERATIONS)]
    book = NameBook(taken)
    assert book.claim("scenarios_list", "report_1") == ("report_1", "the tool name 'scenarios_list' is already taken")
    assert book.claim("report_1", "report_1") == ("report_1_2", None)
    assert book.claim("bad name!", "fine_3") == (
        "fine_3",
        "the tool name 'bad name!' is not 1-64 letters, digits, '_' or '-'",
    )
    assert book.claim("my_tool", "x_4") == ("my_tool", None)


def test_the_description_is_the_scenarios_own_or_says_one_would_help() -> None:
    outputs = "It returns the outputs score (integer)."
    assert description("Score", "Scores a lead", outputs) == "Scores a lead. It returns the outputs score (integer)."
    missing = description("Score a lead", "  ", outputs)
    assert missing.startswith("Runs the Make scenario 'Score a lead'. It has no description in Make")
    assert "adding one (scenario settings in Make) tells agents when to use it" in missing
    long = description("Notes", "word " * 1_000, outputs)
    assert len(long) <= 1_000 + len(outputs) + 2 and "…" in long
    assert missing.endswith(outputs)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", ScenarioChoice("auto")),
        ("AUTO", ScenarioChoice("auto")),
        ("organization", ScenarioChoice("organization")),
        ("off", ScenarioChoice("off")),
        (
            "team:201, folder:5 scenario:4412,4413 organization:101 team:201",
            ScenarioChoice("list", teams=(201,), organizations=(101,), folders=(5,), scenarios=(4412, 4413)),
        ),
    ],
)
def test_the_scenario_tools_setting_reads_modes_and_lists(text: str, expected: ScenarioChoice) -> None:
    assert parse_choice(text) == expected


@pytest.mark.parametrize("text", ["team:", "teams:201", "folder:abc", "-5", "0", ",", "all"])
def test_an_unreadable_scenario_tools_setting_is_refused_naming_the_entry(text: str) -> None:
    with pytest.raises(ValueError, match="cannot read"):
        parse_choice(text)


def test_the_settings_refuse_an_unreadable_scenario_tools_value() -> None:
    assert Settings(scenario_tools=" team:201 ").scenario_tools == "team:201"
    with pytest.raises(ValueError, match="scenario_tools"):
        Settings(scenario_tools="teams:201")


CURATION = """
[[scenario]]
id = 404
name = "score_lead"
description = "Scores a lead."
read_only = true

[[scenario]]
id = 405
confirm = true
"""


def test_the_curation_file_lists_scenarios_with_their_options(tmp_path: Path) -> None:
    path = tmp_path / "scenarios.toml"
    path.write_text(CURATION, encoding="utf-8")
    assert load_curation(path) == {
        404: CuratedScenario(404, "score_lead", "Scores a lead.", read_only=True),
        405: CuratedScenario(405, confirm=True),
    }


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[[scenario]\nid = 1", "not valid TOML"),
        ("[[scenario]]\nname = 'x'", "'id' must be a positive integer"),
        ("[[scenario]]\nid = 1\nreadonly = true", "unknown keys ['readonly']"),
        ("[[scenario]]\nid = 1\n[[scenario]]\nid = 1", "id 1 is listed twice"),
        ("[[scenario]]\nid = 1\nname = 'a'\n[[scenario]]\nid = 2\nname = 'a'", "'a' is given twice"),
        ("[[scenario]]\nid = 1\nconfirm = 'yes'", "'confirm' must be true or false"),
        ("scenarios = []", "unknown top-level keys"),
        ("[[scenario]]\nid = 1\nread_only = true\nconfirm = true", "a read_only run needs no confirmation"),
    ],
)
def test_a_bad_curation_file_is_refused_saying_where_and_why(text: str, message: str) -> None:
    with pytest.raises(CurationError, match=re.escape(message)):
        parse_curation(text)


def test_a_missing_curation_file_is_refused_naming_it(tmp_path: Path) -> None:
    with pytest.raises(CurationError, match="cannot be read"):
        load_curation(tmp_path / "absent.toml")
