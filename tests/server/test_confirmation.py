"""Confirmation tokens: bound to one call, and over stdio signed with a key that outlives the process."""

from __future__ import annotations

import logging
import os
import stat
import sys
from pathlib import Path

import mcp_types as types
import pytest
from mcp import Client
from mcp.client.stdio import StdioServerParameters

from make_mcp.server.engine.confirmation import KEY_FILE_NAME, SIGNED_ELSEWHERE, Confirmations, stored_key
from tests.conftest import LoopbackSandbox

EFFECT = {"method": "DELETE", "path": "/scenarios/401", "query": [], "body": None}


def test_a_token_confirms_only_its_own_call_and_only_until_it_expires() -> None:
    now = [1_000.0]
    confirmations = Confirmations(b"k" * 32, clock=lambda: now[0])
    token = confirmations.issue("scenarios_delete", EFFECT)
    assert confirmations.check(token, "scenarios_delete", EFFECT) is None
    other = {**EFFECT, "path": "/scenarios/402"}
    assert "other arguments" in (confirmations.check(token, "scenarios_delete", other) or "")
    assert "malformed" in (confirmations.check("12.abc", "scenarios_delete", EFFECT) or "")
    now[0] += 301
    assert "expired" in (confirmations.check(token, "scenarios_delete", EFFECT) or "")


def test_a_token_signed_with_another_key_says_so_instead_of_blaming_the_arguments() -> None:
    token = Confirmations(b"a" * 32).issue("scenarios_delete", EFFECT)
    problem = Confirmations(b"b" * 32).check(token, "scenarios_delete", EFFECT)
    assert problem == SIGNED_ELSEWHERE
    assert "another make-mcp" in problem and "ask again" in problem
    alice = Confirmations(b"a" * 32).for_subject("alice")
    assert alice.for_subject("x").check(alice.issue("t", EFFECT), "t", EFFECT) == SIGNED_ELSEWHERE


def test_the_kept_key_is_created_0600_in_a_0700_directory_and_read_back_by_the_next_process(tmp_path: Path) -> None:
    directory = tmp_path / "make-mcp"
    first = stored_key(directory)
    assert first is not None and len(first) == 32
    assert stat.S_IMODE(os.stat(directory).st_mode) == 0o700
    assert stat.S_IMODE(os.stat(directory / KEY_FILE_NAME).st_mode) == 0o600
    assert stored_key(directory) == first
    assert [path.name for path in directory.iterdir()] == [KEY_FILE_NAME]  # no temporary file left behind
    token = Confirmations.for_stdio(None, directory).issue("scenarios_delete", EFFECT)
    assert Confirmations.for_stdio(None, directory).check(token, "scenarios_delete", EFFECT) is None


def test_make_confirm_secret_takes_the_place_of_the_kept_key(tmp_path: Path) -> None:
    secret = "correct horse battery staple 42"
    token = Confirmations.for_stdio(secret, tmp_path).issue("t", EFFECT)
    assert Confirmations.from_setting(secret).check(token, "t", EFFECT) is None
    assert not (tmp_path / KEY_FILE_NAME).exists()


def test_a_damaged_key_file_is_left_alone_and_the_process_signs_with_a_key_of_its_own(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (tmp_path / KEY_FILE_NAME).write_text("not a key\n")
    with caplog.at_level(logging.WARNING):
        assert stored_key(tmp_path) is None
    assert "will not outlive this process" in caplog.text
    assert (tmp_path / KEY_FILE_NAME).read_text() == "not a key\n"
    assert Confirmations.for_stdio(None, tmp_path).check("1.a.b", "t", EFFECT) == SIGNED_ELSEWHERE


def test_of_two_processes_creating_the_key_at_once_the_second_takes_the_first_ones(tmp_path: Path) -> None:
    from make_mcp.server.engine.confirmation import (
        _create_key,  # pyright: ignore[reportPrivateUsage]
    )

    first = _create_key(tmp_path / KEY_FILE_NAME)
    assert _create_key(tmp_path / KEY_FILE_NAME) == first  # lost the race: the file already there wins


def serve(loopback_sandbox: LoopbackSandbox, config: Path) -> StdioServerParameters:
    env = {key: value for key, value in os.environ.items() if not key.startswith("MAKE_")}
    env.update(
        MAKE_API_KEY=loopback_sandbox.token,
        MAKE_ZONE=loopback_sandbox.url,
        MAKE_ALLOW_CUSTOM_ZONE="1",
        XDG_CONFIG_HOME=str(config),
    )
    return StdioServerParameters(command=sys.executable, args=["-m", "make_mcp.server.cli.main", "serve"], env=env)


def text_of(result: types.CallToolResult) -> str:
    return "\n".join(block.text for block in result.content if isinstance(block, types.TextContent))


async def test_a_confirmation_issued_by_one_stdio_process_is_honoured_by_the_next_sharing_the_config_directory(
    loopback_sandbox: LoopbackSandbox, tmp_path: Path
) -> None:
    shared, elsewhere = tmp_path / "shared", tmp_path / "elsewhere"
    async with Client(serve(loopback_sandbox, shared), mode="legacy") as first:
        preview = await first.call_tool("scenarios_delete", {"scenarioId": 401})
    assert preview.structured_content is not None and preview.structured_content["confirmationRequired"] is True
    confirmed = {"scenarioId": 401, "confirmation": preview.structured_content["confirmation"]}

    async with Client(serve(loopback_sandbox, elsewhere), mode="legacy") as stranger:
        refused = await stranger.call_tool("scenarios_delete", confirmed)
    assert refused.is_error and "signed by another make-mcp" in text_of(refused)
    assert 401 in loopback_sandbox.state.scenarios

    async with Client(serve(loopback_sandbox, shared), mode="legacy") as second:
        done = await second.call_tool("scenarios_delete", confirmed)
    assert not done.is_error, text_of(done)
    assert 401 not in loopback_sandbox.state.scenarios
    assert stat.S_IMODE(os.stat(shared / "make-mcp" / KEY_FILE_NAME).st_mode) == 0o600
