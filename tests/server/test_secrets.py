"""The token never shows: not in a log line, a tool result, an error, an exception's text or repr, or the
output of the command-line tools, whether calls succeed, fail validation, meet Make's errors or lose the
connection. The token is recognisable so that a leak of even a part of it is caught.
"""

from __future__ import annotations

import base64
import json
import logging
import os
import socket
import subprocess
import sys
import threading
import traceback
from pathlib import Path
from typing import Any

import anyio
import httpx2
import mcp_types as types
import pytest
import uvicorn
from mcp import Client
from mcp.client.stdio import StdioServerParameters, stdio_client
from pydantic import ValidationError

from make_mcp.server.engine.confirmation import Confirmations
from make_mcp.server.engine.connect import load_catalogue, open_make_client
from make_mcp.server.engine.selection import Catalogue
from make_mcp.server.errors import MakeError
from make_mcp.server.http.serve import create_http_app
from make_mcp.server.make_api.client import MakeClient, MakeRequest, RetryPolicy
from make_mcp.server.protocol.app import build_server
from make_mcp.server.protocol.runner import ToolRunner
from make_mcp.server.sandbox.demo import every_scope
from make_mcp.server.sandbox.faults import (
    Fault,
    custom,
    dropped,
    hang,
    html_page,
    malformed_json,
    rate_limited,
    server_error,
)
from make_mcp.server.support.config import Settings, describe_validation_error
from make_mcp.tools.registry import ALL_OPERATIONS
from tests.conftest import LoopbackSandbox

SECRET = "f00dbabe-dead-4bee-8fed-5ec2e75ec2e7"
# The whole token and its distinctive ends: a truncated echo of it is a leak too.
FRAGMENTS = (SECRET, "f00dbabe", "5ec2e75ec2e7")


class FakeSleep:
    async def __call__(self, seconds: float) -> None:
        return None


def assert_secret_free(*texts: str) -> None:
    for text in texts:
        for fragment in FRAGMENTS:
            assert fragment not in text, f"{fragment!r} leaked in: {text[:500]}"


def logged(caplog: pytest.LogCaptureFixture) -> str:
    lines = [caplog.text]
    for record in caplog.records:
        lines.append(record.getMessage())
        if record.exc_info:
            lines.append("".join(traceback.format_exception(*record.exc_info)))
    return "\n".join(lines)


def result_text(result: types.CallToolResult) -> str:
    return result.model_dump_json(by_alias=True)


def settings_for(sandbox: LoopbackSandbox, **overrides: Any) -> Settings:
    options: dict[str, Any] = {"rate_limit": 0, "confirm_destructive": False, "timeout": 0.2, **overrides}
    return Settings(api_key=SECRET, zone=sandbox.url, allow_custom_zone=True, **options)


def server_env(**extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("MAKE_")}
    env.update(extra)
    return env


# Faults the sandbox answers with, including bodies that echo the token back as some gateways do.
FAULTS: dict[str, tuple[Fault, str]] = {
    "401 echoing the token": (
        custom(401, {"message": f"Invalid token {SECRET}", "detail": f"Authorization: Token {SECRET}"}),
        "/teams/201",
    ),
    "403": (custom(403, {"message": "Permission denied", "code": "SC403", "detail": "Access denied."}), "/teams/202"),
    "429": (rate_limited("1"), "/hooks"),
    "500": (server_error(500), "/data-stores"),
    "502 HTML page": (html_page(502), "/connections"),
    "malformed JSON": (malformed_json(200), "/data-structures"),
    "success echoing the token": (custom(200, {"organization": {"note": f"Token {SECRET}"}}), "/organizations/101"),
    "no answer": (hang(), "/scenarios/402"),
    "dropped connection": (dropped(), "/scenarios/403"),
}
CALLS: list[tuple[str, dict[str, Any]]] = [
    ("scenarios_list", {"teamId": 201}),
    ("scenarios_get", {"scenarioId": 401}),
    ("scenarios_create", {"teamId": 201, "blueprint": {"name": "x", "flow": []}, "scheduling": {"type": "on-demand"}}),
    ("scenarios_get", {"scenarioId": "not a number", "colour": "red"}),
    ("scenarios_get", {"scenarioId": 999_999}),
    ("teams_get", {"teamId": 201}),
    ("teams_get", {"teamId": 202}),
    ("hooks_list", {"teamId": 201}),
    ("data-stores_list", {"teamId": 201}),
    ("connections_list", {"teamId": 201}),
    ("data-structures_list", {"teamId": 201}),
    ("organizations_get", {"organizationId": 101}),
    ("scenarios_get", {"scenarioId": 402}),
    ("scenarios_get", {"scenarioId": 403}),
    ("scenarios_delete", {"scenarioId": 401}),
    ("no-such-tool", {}),
]


@pytest.mark.parametrize("mode", ["legacy", "auto"])
async def test_no_result_or_log_line_carries_the_token_through_successes_bad_input_and_every_kind_of_failure(
    loopback_sandbox: LoopbackSandbox, caplog: pytest.LogCaptureFixture, mode: str
) -> None:
    caplog.set_level(logging.DEBUG)
    loopback_sandbox.state.add_token(SECRET, every_scope())
    for fault, path in FAULTS.values():
        loopback_sandbox.state.faults.add(fault, method="GET", path=path, times=None)
    settings = settings_for(loopback_sandbox, max_retries=1)
    texts: list[str] = []
    async with open_make_client(settings, sleep=FakeSleep()) as make:
        catalogue = await load_catalogue(settings, make)
        async with Client(build_server(ToolRunner(settings, make, catalogue, Confirmations())), mode=mode) as client:
            for name, arguments in CALLS:
                with anyio.fail_after(20):
                    result = await client.call_tool(name, arguments)
                texts.append(result_text(result))
    outcomes = [json.loads(text)["isError"] for text in texts]
    assert outcomes.count(False) >= 4 and outcomes.count(True) >= 10  # both kinds were exercised
    assert len(loopback_sandbox.state.faults.injected) >= len(FAULTS)
    assert "[redacted]" in "".join(texts)  # the echoes reached the server and were masked
    assert_secret_free(*texts, logged(caplog))


async def test_a_refused_token_is_not_repeated_in_errors_or_logs(
    loopback_sandbox: LoopbackSandbox, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    settings = settings_for(loopback_sandbox)  # the sandbox does not know this token: every call is a 401
    async with open_make_client(settings, sleep=FakeSleep()) as make:
        catalogue = await load_catalogue(settings, make)
        async with Client(build_server(ToolRunner(settings, make, catalogue, Confirmations()))) as client:
            result = await client.call_tool("scenarios_list", {"teamId": 201})
    assert result.is_error and "401" in result_text(result)
    assert_secret_free(result_text(result), logged(caplog))


@pytest.mark.parametrize("fault", [*[fault for fault, _ in FAULTS.values()], None], ids=[*FAULTS, "unreachable"])
async def test_exceptions_raised_by_the_client_never_hold_the_token(
    loopback_sandbox: LoopbackSandbox, fault: Fault | None
) -> None:
    loopback_sandbox.state.add_token(SECRET, every_scope())
    base_url = loopback_sandbox.base_url
    if fault is None:
        with socket.socket() as probe:  # a loopback port nothing listens on
            probe.bind(("127.0.0.1", 0))
            base_url = f"http://127.0.0.1:{probe.getsockname()[1]}/api/v2"
    else:
        loopback_sandbox.state.faults.add(fault, path="/teams", times=None)
    client = MakeClient(
        base_url, authorization=f"Token {SECRET}", timeout=0.2, retry=RetryPolicy(max_retries=1), sleep=FakeSleep()
    )
    request = MakeRequest("POST", "/teams", body={"name": "x", "organizationId": 101}, operation="teams_create")
    try:
        with anyio.fail_after(20):
            body = await client.send(request)
    except MakeError as error:
        rendered = [str(error), repr(error), error.message(), "".join(traceback.format_exception(error))]
    else:
        rendered = [json.dumps(body)]
    finally:
        await client.aclose()
    assert_secret_free(*rendered)


def test_settings_errors_and_reprs_never_show_the_token() -> None:
    settings = Settings(api_key=SECRET)
    texts = [repr(settings), str(settings), str(settings.model_dump()), settings.model_dump_json()]
    bad_settings: list[dict[str, Any]] = [{"zone": "evil.example.com"}, {"access_token": SECRET}, {"timeout": -1}]
    for bad in bad_settings:
        with pytest.raises(ValueError) as raised:
            Settings(api_key=SECRET, **bad)
        texts += [str(raised.value), repr(raised.value)]
    assert_secret_free(*texts)


async def test_the_stdio_server_at_debug_level_keeps_the_token_out_of_its_stderr(
    loopback_sandbox: LoopbackSandbox, tmp_path: Path
) -> None:
    loopback_sandbox.state.add_token(SECRET, every_scope())
    loopback_sandbox.state.faults.add(custom(401, {"message": f"bad token {SECRET}"}), path="/hooks", times=None)
    loopback_sandbox.state.faults.add(server_error(503), path="/data-stores", times=None)
    params = StdioServerParameters(
        command=sys.executable,
        args=["-m", "make_mcp.server.cli.main", "serve", "--max-retries", "0"],
        env=server_env(
            MAKE_API_KEY=SECRET,
            MAKE_ZONE=loopback_sandbox.url,
            MAKE_ALLOW_CUSTOM_ZONE="1",
            MAKE_LOG_LEVEL="DEBUG",
            MAKE_CONFIRM_DESTRUCTIVE="0",
        ),
    )
    stderr_path = tmp_path / "stderr.log"
    texts: list[str] = []
    with stderr_path.open("w") as stderr:
        async with Client(stdio_client(params, errlog=stderr), mode="legacy") as client:
            for name, arguments in [
                ("scenarios_list", {"teamId": 201}),
                ("scenarios_get", {"scenarioId": "x"}),
                ("scenarios_get", {"scenarioId": 999_999}),
                ("hooks_list", {"teamId": 201}),
                ("data-stores_list", {"teamId": 201}),
            ]:
                texts.append(result_text(await client.call_tool(name, arguments)))
    logs = stderr_path.read_text()
    assert "DEBUG" in logs  # the server did log at debug level
    assert_secret_free(logs, *texts)


@pytest.mark.parametrize(
    ("command", "known"),
    [(["doctor"], True), (["doctor"], False), (["tools", "--json"], True), (["tools"], False)],
    ids=["doctor", "doctor with a refused token", "tools", "tools with a refused token"],
)
def test_doctor_and_tools_commands_never_print_the_token(
    loopback_sandbox: LoopbackSandbox, command: list[str], known: bool
) -> None:
    if known:
        loopback_sandbox.state.add_token(SECRET, every_scope())
    completed = subprocess.run(
        [sys.executable, "-m", "make_mcp.server.cli.main", *command],
        env=server_env(
            MAKE_API_KEY=SECRET,
            MAKE_ZONE=loopback_sandbox.url,
            MAKE_ALLOW_CUSTOM_ZONE="1",
            MAKE_LOG_LEVEL="DEBUG",
            MAKE_MAX_RETRIES="0",
        ),
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )
    assert completed.stdout  # it did report something
    assert_secret_free(completed.stdout, completed.stderr)


UNSENDABLE = [
    f"{SECRET}\n",
    f"{SECRET}\r\n",
    f"{SECRET}\r",
    f"{SECRET}\x0b",
    f" {SECRET}",
    f"{SECRET}\u00e9",
    f"a\x00{SECRET}",
]


@pytest.mark.parametrize("variable", ["api_key", "access_token"])
@pytest.mark.parametrize("token", UNSENDABLE, ids=["LF", "CRLF", "CR", "VT", "space", "non-ASCII", "NUL"])
def test_a_token_no_header_can_carry_is_refused_by_the_settings_in_one_line_without_showing_it(
    variable: str, token: str
) -> None:
    with pytest.raises(ValidationError) as raised:
        Settings(**{variable: token})
    line = describe_validation_error(raised.value)
    assert line.startswith(f"MAKE_{variable.upper()}: holds a line break, space, control or non-ASCII character")
    assert "\n" not in line
    assert_secret_free(line, str(raised.value), repr(raised.value))


@pytest.mark.parametrize("level", ["DEBUG", "INFO", "WARNING", "ERROR"])
def test_a_token_ending_in_a_line_break_stops_start_up_with_one_line_at_every_log_level(level: str) -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "make_mcp.server.cli.main", "serve"],
        env=server_env(MAKE_API_KEY=f"{SECRET}\n", MAKE_LOG_LEVEL=level),
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    assert completed.returncode == 2
    assert completed.stdout == ""
    assert completed.stderr.splitlines() == [
        "make-mcp: invalid configuration: MAKE_API_KEY: holds a line break, space, control or non-ASCII character, "
        "which no HTTP header can carry (often a copy-paste slip); set the token alone"
    ]


class TurnsUnsendable:
    """A login whose renewed token came back with a trailing line break."""

    async def header(self) -> str | None:
        return f"Bearer {SECRET}\n"

    async def refreshed_after_401(self, failed_header: str) -> bool:
        return False


@pytest.mark.parametrize("level", [logging.DEBUG, logging.INFO, logging.WARNING])
async def test_a_credential_no_header_can_carry_is_refused_per_call_and_no_log_level_shows_it(
    loopback_sandbox: LoopbackSandbox, caplog: pytest.LogCaptureFixture, level: int
) -> None:
    caplog.set_level(level)  # the root logger: httpx's and httpcore's records too
    for name in ("httpx", "httpx2", "httpcore", "httpcore2", "make_mcp", "mcp"):
        logging.getLogger(name).setLevel(level)
    loopback_sandbox.state.add_token(SECRET, every_scope())
    settings = settings_for(loopback_sandbox)
    make = MakeClient(loopback_sandbox.base_url, credentials=TurnsUnsendable(), sleep=FakeSleep())
    try:
        async with Client(build_server(ToolRunner(settings, make, Catalogue(ALL_OPERATIONS), Confirmations()))) as mcp:
            result = await mcp.call_tool("scenarios_get", {"scenarioId": 401})
    finally:
        await make.aclose()
    said = result_text(result)
    assert result.is_error and "which no HTTP header can carry" in said and "nothing was sent to Make" in said
    assert "failed internally" not in said and "Check the network" not in said
    assert loopback_sandbox.state.requests == []
    assert_secret_free(said, logged(caplog))


@pytest.mark.parametrize(
    ("header", "status"),
    [
        (f"Token {SECRET}\u00e9".encode("latin-1"), 401),
        # DEL is no field character (RFC 9110): httptools, the request parser, refuses it before the app: 400
        (f"Token {SECRET}\x7f".encode(), 400),
    ],
)
async def test_a_callers_token_no_header_may_carry_is_refused_over_http_in_one_line_at_debug_level(
    loopback_sandbox: LoopbackSandbox, caplog: pytest.LogCaptureFixture, header: bytes, status: int
) -> None:
    caplog.set_level(logging.DEBUG)
    app = create_http_app(Settings(zone=loopback_sandbox.url, allow_custom_zone=True, log_level="DEBUG"))
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.bind(("127.0.0.1", 0))
    sock.listen(8)
    server = uvicorn.Server(uvicorn.Config(app, log_level="debug", lifespan="on", log_config=None))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{sock.getsockname()[1]}/mcp"
        async with httpx2.AsyncClient(timeout=30) as http:  # the socket listens: the request waits for uvicorn
            answer = await http.post(
                url,
                json={"jsonrpc": "2.0", "id": 1, "method": "tools/list"},
                headers={"Authorization": header, "Accept": "application/json, text/event-stream"},
            )
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
    assert answer.status_code == status
    message = answer.json()["error"]["message"] if status == 401 else answer.text
    assert "\n" not in message
    assert ("Authorization header must be" if status == 401 else "Invalid HTTP request received") in message
    assert loopback_sandbox.state.requests == []
    assert_secret_free(answer.text, logged(caplog))


async def test_a_token_echoed_in_base64_reaches_no_result(loopback_sandbox: LoopbackSandbox) -> None:
    loopback_sandbox.state.add_token(SECRET, every_scope())
    echoes = [form(SECRET.encode()).decode() for form in (base64.b64encode, base64.urlsafe_b64encode)]
    note = {"basic": f"Basic {echoes[0]}", "state": echoes[1].rstrip("="), "plain": SECRET}
    loopback_sandbox.state.faults.add(custom(200, {"scenario": {"id": 401, **note}}), path="/scenarios/401")
    settings = settings_for(loopback_sandbox)
    async with open_make_client(settings, sleep=FakeSleep()) as make:
        runner = ToolRunner(settings, make, Catalogue(ALL_OPERATIONS), Confirmations())
        async with Client(build_server(runner)) as mcp:
            result = await mcp.call_tool("scenarios_get", {"scenarioId": 401})
    said = result_text(result)
    assert not result.is_error and said.count("[redacted]") >= 3
    for echo in echoes:
        assert echo.rstrip("=") not in said
    assert_secret_free(said)
