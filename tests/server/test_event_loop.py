"""The loop every command runs on: uvloop where it is installed and usable, asyncio's own loop elsewhere."""

from __future__ import annotations

import asyncio
import sys

import pytest

from make_mcp.server.support.event_loop import loop_factory, run


async def loop_module() -> str:
    return type(asyncio.get_running_loop()).__module__


@pytest.mark.skipif(sys.platform == "win32", reason="uvloop does not run on Windows")
def test_serving_runs_on_uvloop_where_it_is_installed() -> None:
    assert run(loop_module).startswith("uvloop")


def test_without_uvloop_installed_serving_runs_on_asyncios_own_loop(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "uvloop", None)  # makes `import uvloop` fail, as when it is not installed
    assert loop_factory() is None
    assert run(loop_module).startswith("asyncio")


def test_on_windows_asyncios_own_loop_is_chosen(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "platform", "win32")
    assert loop_factory() is None
