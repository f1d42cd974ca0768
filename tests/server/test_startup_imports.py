"""What `make-mcp serve` imports: over stdio neither the HTTP stack nor `make-mcp login`'s modules, and only the
input models of the tools called; over HTTP everything, working as before."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import httpx2
import pytest
from mcp import Client
from mcp.client.stdio import StdioServerParameters

from tests.conftest import LoopbackSandbox

# Modules only HTTP serving (its /metrics too) or `make-mcp login` need.
NOT_OVER_STDIO = (
    "prometheus_client",
    "mcp.server.stdio",  # the SDK's stdio transport: the fallback when stdin and stdout are no pipes
    "mcp.os",
    "starlette",
    "uvicorn",
    "sse_starlette",
    "click",
    "mcp.server.auth",
    "mcp.server.streamable_http",
    "mcp.server.streamable_http_manager",
    "mcp.server.transport_security",
    "mcp.server.mcpserver",
    "mcp.client",
    "webbrowser",
    "httpcore2",  # aiohttp carries every request sent out (server/make_api/wire.py): one HTTP stack
    "h11",
)
ERA_BY_MODE = {"legacy": "mcp_types._v2025_11_25", "auto": "mcp_types._v2026_07_28"}
# `make-mcp serve`, writing to STATE_FILE at exit the modules it imported and the garbage collector's state.
SERVE_AND_RECORD = textwrap.dedent(
    """
    import atexit, gc, json, os, sys
    state = lambda: {"modules": sorted(sys.modules), "collecting": gc.isenabled(), "frozen": gc.get_freeze_count()}
    atexit.register(lambda: open(os.environ["STATE_FILE"], "w").write(json.dumps(state())))
    from make_mcp.server.cli.main import main
    main(["serve"])
    """
)


def server_env(**extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("MAKE_")}
    env.update(extra)
    return env


def real_account(sandbox: LoopbackSandbox, **extra: str) -> dict[str, str]:
    return server_env(
        MAKE_API_KEY=sandbox.token, MAKE_ZONE=sandbox.url, MAKE_ALLOW_CUSTOM_ZONE="1", MAKE_TEAM="201", **extra
    )


async def served_stdio(sandbox: LoopbackSandbox, tmp_path: Path, mode: str = "auto") -> tuple[set[str], dict[str, Any]]:
    """Serves stdio, lists the tools and calls teams_list; the tools listed and what the server recorded at exit."""
    state_file = tmp_path / "state.json"
    params = StdioServerParameters(
        command=sys.executable,
        args=["-c", SERVE_AND_RECORD],
        env=real_account(sandbox, STATE_FILE=str(state_file)),
    )
    async with Client(params, mode=mode) as client:
        listed = (await client.list_tools()).tools
        result = await client.call_tool("teams_list", {"organizationId": 101})
    assert not result.is_error
    return {tool.name for tool in listed}, json.loads(state_file.read_text(encoding="utf-8"))


@pytest.mark.parametrize("mode", ["legacy", "auto"])
async def test_serving_stdio_imports_no_http_stack_no_metrics_and_only_the_input_models_of_the_tools_called(
    loopback_sandbox: LoopbackSandbox, tmp_path: Path, mode: str
) -> None:
    listed, state = await served_stdio(loopback_sandbox, tmp_path, mode)
    assert "teams_list" in listed

    imported = state["modules"]
    assert "make_mcp.server.cli.main" in imported and "mcp.server.lowlevel.server" in imported
    assert [name for name in imported if name.startswith(NOT_OVER_STDIO)] == []
    # The wire models of the protocol era the client speaks; the other era's are never imported.
    assert [name for name in imported if name.startswith("mcp_types._v")] == [ERA_BY_MODE[mode]]
    inputs = {name for name in imported if name.startswith("make_mcp.tools.inputs.")}
    # The tool called, and the operations the rate limit's request may use (the token's scopes need none).
    assert "make_mcp.tools.inputs.teams" in inputs
    assert inputs <= {"make_mcp.tools.inputs.teams", "make_mcp.tools.inputs.organizations"}


async def test_serving_stdio_collects_garbage_again_once_started_and_skips_what_start_up_made(
    loopback_sandbox: LoopbackSandbox, tmp_path: Path
) -> None:
    _, state = await served_stdio(loopback_sandbox, tmp_path)
    assert state["collecting"] is True
    assert state["frozen"] > 10_000  # the modules, classes and models imported at start-up


# Imports the command line's module (its package first), counting the collections meanwhile; prints the state after.
IMPORT_THE_COMMAND_LINE = textwrap.dedent(
    """
    import gc, json, sys
    import make_mcp.server.cli
    getattr(gc, sys.argv[1])()
    collections = []
    gc.callbacks.append(lambda phase, info: collections.append(info) if phase == "start" else None)
    import make_mcp.server.cli.main
    state = {"collecting": gc.isenabled(), "collections": len(collections), "frozen": gc.get_freeze_count()}
    print(json.dumps(state))
    """
)


@pytest.mark.parametrize("before", ["enable", "disable"])
def test_importing_the_command_line_collects_no_garbage_freezes_what_it_made_and_leaves_collection_as_it_was(
    before: str,
) -> None:
    printed = subprocess.run(
        [sys.executable, "-c", IMPORT_THE_COMMAND_LINE, before], capture_output=True, text=True, check=True, timeout=120
    ).stdout
    state = json.loads(printed)
    assert state["collecting"] is (before == "enable")
    assert state["collections"] == 0
    assert state["frozen"] > 10_000  # pydantic, the settings, the event loop's modules


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_serving_http_from_the_command_line_answers_initialize(loopback_sandbox: LoopbackSandbox) -> None:
    port = free_port()
    env = real_account(loopback_sandbox, MAKE_TRANSPORT="http", MAKE_PORT=str(port), MAKE_LOG_LEVEL="INFO")
    initialize = {
        "jsonrpc": "2.0",
        "id": 1,
        "method": "initialize",
        "params": {"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "t", "version": "1"}},
    }
    headers = {"Accept": "application/json, text/event-stream", "Content-Type": "application/json"}
    with subprocess.Popen(
        [sys.executable, "-m", "make_mcp.server.cli.main", "serve"],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    ) as process:
        assert process.stderr is not None
        try:
            listening = next((line for line in iter(process.stderr.readline, "") if "Uvicorn running on" in line), "")
            assert listening, "the HTTP server exited before it listened"
            response = httpx2.post(f"http://127.0.0.1:{port}/mcp", json=initialize, headers=headers, timeout=30)
        finally:
            process.terminate()
            process.communicate(timeout=30)
    assert response.status_code == 200, response.text
    frames = [line.removeprefix("data:").strip() for line in response.text.splitlines() if line.startswith("data:")]
    message = json.loads(frames[0]) if frames else response.json()
    assert message["result"]["serverInfo"]["name"] == "make-mcp"
