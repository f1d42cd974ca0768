"""The selection of tools: one ToolChoice from the settings, one Catalogue per grant, each hidden tool with its reason."""

from __future__ import annotations

import dataclasses

import pytest

from make_mcp.server.engine.selection import Catalogue, ConfigurationError, ToolChoice, default_scopes, required_scopes
from make_mcp.server.support.config import Settings
from make_mcp.tools.catalogue import Step
from make_mcp.tools.conventions import DEFAULT_TOOLSETS
from make_mcp.tools.registry import ALL_OPERATIONS, TOOLSETS

BY_NAME = {op.name: op for op in ALL_OPERATIONS}


def test_an_unknown_toolset_is_refused_once_when_the_choice_is_made_naming_the_known_ones() -> None:
    with pytest.raises(ConfigurationError) as refused:
        ToolChoice.from_settings(Settings(toolsets="scenarios,scenarioz"))
    assert "unknown toolsets scenarioz" in str(refused.value) and "known: affiliate" in str(refused.value)


def test_the_default_choice_is_the_default_toolsets_and_all_is_every_toolset() -> None:
    assert ToolChoice.from_settings(Settings()).toolsets == frozenset(DEFAULT_TOOLSETS)
    assert ToolChoice.from_settings(Settings(toolsets="all")).toolsets == frozenset(TOOLSETS)
    assert ToolChoice.from_settings(Settings(toolsets="default,keys")).toolsets == {*DEFAULT_TOOLSETS, "keys"}


def test_each_hidden_tool_says_why_toolset_read_only_or_the_scope_it_lacks() -> None:
    choice = ToolChoice(frozenset({"scenarios", "hooks"}), read_only=True)
    catalogue = choice.select(frozenset({"scenarios:read"}))
    names = {op.name for op in catalogue.operations}
    assert "scenarios_list" in names
    assert "toolset 'keys' is not enabled" in catalogue.hidden["keys_list"]
    assert catalogue.hidden["scenarios_create"] == "it changes data and the server is in read-only mode"
    assert catalogue.hidden["hooks_list"] == "the token lacks the scope hooks:read"
    assert catalogue.missing_scopes(catalogue.lacking_scope["hooks_list"]) == ["hooks:read"]
    assert set(names) | set(catalogue.hidden) == set(BY_NAME)


def test_unknown_scopes_hide_nothing_for_lack_of_a_scope() -> None:
    catalogue = ToolChoice(frozenset(TOOLSETS)).select(None)
    assert len(catalogue.operations) == len(ALL_OPERATIONS) and not catalogue.hidden


def test_a_callers_own_tools_come_first_whatever_the_toolsets_but_read_only_still_applies() -> None:
    own_reader = dataclasses.replace(BY_NAME["keys_list"], name="my_report")
    own_writer = dataclasses.replace(BY_NAME["keys_create"], name="my_change")
    catalogue = ToolChoice(frozenset({"scenarios"}), read_only=True).select(None, extra=(own_reader, own_writer))
    assert catalogue.operations[0].name == "my_report"
    assert "my_change" in catalogue.hidden and "keys_list" in catalogue.hidden


def test_a_tool_of_several_requests_needs_its_own_scopes_and_those_of_each_step() -> None:
    run = dataclasses.replace(
        BY_NAME["scenarios_get"],
        name="scenarios_follow",
        steps=(Step("GET", "/scenarios/{scenarioId}/executions/{executionId}", scopes=("scenarios:run",)),),
    )
    assert required_scopes(run) == ("scenarios:read", "scenarios:run")
    catalogue = Catalogue.select((run,), granted_scopes=frozenset({"scenarios:read"}))
    assert list(catalogue.lacking_scope) == ["scenarios_follow"] and not catalogue.operations
    assert catalogue.missing_scopes(run) == ["scenarios:run"]


def test_login_asks_for_the_scopes_of_the_chosen_tools_without_admin_ones() -> None:
    read_only = Settings(toolsets="hooks", read_only=True)
    assert default_scopes(read_only) == ("hooks:read",)
    everything = default_scopes(Settings(toolsets="all"))
    assert "organizations:write" in everything and not any(scope.startswith("admin:") for scope in everything)
    needed = ToolChoice.from_settings(Settings(toolsets="all")).needed_scopes()
    assert set(everything) == {scope for scope in needed if not scope.startswith("admin:")}
