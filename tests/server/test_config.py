"""Settings: every MAKE_* variable, the flags that mirror them, and the README that documents them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pydantic import ValidationError

from make_mcp.server.cli.main import (
    _parser,  # pyright: ignore[reportPrivateUsage]
    load_settings,
)
from make_mcp.server.support.config import Settings, describe_validation_error

README = Path(__file__).parents[2] / "README.md"


def settings_from(argv: list[str]) -> Settings:
    flags = vars(_parser().parse_args(argv))
    return load_settings(flags, flags.pop("command") or "serve")


@pytest.mark.parametrize(
    "argv",
    [
        ["serve", "--sandbox", "--rate-limit", "0"],
        ["--sandbox", "--rate-limit", "0"],  # bare `make-mcp` means serve
        ["doctor", "--sandbox", "--rate-limit", "0"],
        ["tools", "--sandbox", "--rate-limit", "0"],
    ],
)
def test_the_rate_limit_flag_overrides_make_rate_limit_and_zero_turns_the_budget_off(
    argv: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MAKE_RATE_LIMIT", "120")
    assert settings_from(argv).rate_limit == 0
    assert settings_from(argv[:-2]).rate_limit == 120


def test_a_negative_rate_limit_is_refused_naming_the_variable(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        settings_from(["serve", "--sandbox", "--rate-limit", "-1"])
    assert exit_info.value.code == 2
    assert "MAKE_RATE_LIMIT" in capsys.readouterr().err


def test_every_settings_flag_sets_a_setting_of_the_same_name() -> None:
    serve = next(a for a in _parser()._actions if a.dest == "command").choices["serve"]  # pyright: ignore
    dests = {action.dest for action in serve._actions if action.option_strings and action.dest != "help"}
    assert dests <= set(Settings.model_fields)


def test_the_readme_documents_every_setting_and_names_no_other_make_variable() -> None:
    text = README.read_text(encoding="utf-8")
    documented = set(re.findall(r"`(MAKE_[A-Z_]+)", text))
    variables = {f"MAKE_{name.upper()}" for name in Settings.model_fields}
    assert variables - documented == set(), "settings the README does not mention"
    assert documented - variables == set(), "variables the README names that no setting reads"


def test_each_flag_the_readme_tables_pair_with_a_variable_sets_that_variables_setting() -> None:
    pairs = re.findall(r"^\| `MAKE_([A-Z_]+)` \| `(--[a-z-]+)` \|", README.read_text(encoding="utf-8"), re.M)
    assert len(pairs) >= 15
    subcommands = next(a for a in _parser()._actions if a.dest == "command").choices  # pyright: ignore
    flags = {
        option: action.dest
        for name in ("serve", "login")
        for action in subcommands[name]._actions
        for option in action.option_strings
    }
    assert {flag: flags.get(flag) for _, flag in pairs} == {flag: variable.lower() for variable, flag in pairs}


@pytest.mark.parametrize(
    ("settings", "named"),
    [
        ({"public_url": "https://mcp.example.com/mcp", "client_id": "c", "client_secret": "s"}, "MAKE_PUBLIC_URL"),
        ({"public_url": "http://mcp.example.com", "client_id": "c", "client_secret": "s"}, "MAKE_PUBLIC_URL"),
        ({"public_url": "https://mcp.example.com"}, "MAKE_CLIENT_SECRET"),
        ({"redis_url": "redis://127.0.0.1:6379/0"}, "MAKE_STATE_KEY"),
        ({"redis_url": "http://127.0.0.1:6379", "state_key": "k" * 16}, "MAKE_REDIS_URL"),
        ({"redis_url": "redis://127.0.0.1:6379/0", "state_key": "short"}, "MAKE_STATE_KEY"),
    ],
)
def test_remote_settings_that_cannot_work_are_refused_naming_the_variable(settings: dict[str, str], named: str) -> None:
    with pytest.raises(ValidationError) as raised:
        Settings(**settings)  # pyright: ignore[reportArgumentType]
    said = describe_validation_error(raised.value)
    assert named in said
    assert "k" * 16 not in said and "short" not in said


def test_remote_settings_that_work_are_kept_as_given() -> None:
    settings = Settings(
        public_url="https://mcp.example.com/",
        client_id="c",
        client_secret="s",  # pyright: ignore[reportArgumentType]
        redis_url="rediss://:pw@redis.internal:6380/1",  # pyright: ignore[reportArgumentType]
        state_key="k" * 16,  # pyright: ignore[reportArgumentType]
    )
    assert settings.public_url == "https://mcp.example.com"
    assert Settings(public_url="http://127.0.0.1:8000", client_id="c", client_secret="s").public_url  # pyright: ignore[reportArgumentType]


def test_an_empty_make_variable_counts_as_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    """Claude Desktop passes "" for an extension setting left blank: a blank token means none, not a bad token."""
    for name in ("MAKE_API_KEY", "MAKE_ZONE", "MAKE_TEAM"):
        monkeypatch.setenv(name, "")
    settings = Settings()
    assert settings.api_key is None and settings.team is None and settings.zone == Settings.model_fields["zone"].default


def test_a_make_variable_is_read_whatever_its_case(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("make_team", "7")
    monkeypatch.setenv("Make_Read_Only", "true")
    settings = Settings()
    assert settings.team == 7 and settings.read_only is True


def test_a_setting_given_wins_over_its_make_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MAKE_TEAM", "7")
    monkeypatch.setenv("MAKE_ZONE", "eu2.make.com")
    settings = Settings(team=9)
    assert settings.team == 9 and settings.zone == "eu2.make.com"


def test_a_make_variable_that_names_no_setting_is_ignored(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MAKE_NO_SUCH_SETTING", "1")  # extra fields are refused: this one is never passed on
    assert "no_such_setting" not in Settings().model_dump()


def test_a_bad_make_variable_is_refused_naming_it_without_echoing_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MAKE_TEAM", "a-team")
    monkeypatch.setenv("MAKE_API_KEY", "secret token")
    with pytest.raises(ValidationError) as raised:
        Settings()
    described = describe_validation_error(raised.value)
    assert "MAKE_TEAM" in described and "MAKE_API_KEY" in described
    assert "a-team" not in str(raised.value) and "secret token" not in str(raised.value)
