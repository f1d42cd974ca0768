"""OAuth 2.0 for real over loopback: `make-mcp login` against the sandbox's authorize and token endpoints,
the token store, and a client that renews its access token before expiry, after a 401, once for many calls.

The browser is an httpx2 client that opens the authorize address and follows the redirect to the login's
own listener on 127.0.0.1. Clocks are injected: nothing waits for real time to pass.
"""

from __future__ import annotations

import io
import json
import logging
import os
import socket
import stat
import subprocess
import sys
import types as pytypes
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import anyio
import httpx2
import mcp_types as types
import pytest
from mcp import Client

from make_mcp.server.cli.login import login, logout
from make_mcp.server.engine.confirmation import Confirmations
from make_mcp.server.engine.connect import load_catalogue, open_make_client
from make_mcp.server.engine.selection import default_scopes
from make_mcp.server.errors import AuthenticationFailed, MakeMcpError
from make_mcp.server.make_api.auth import (
    LoginError,
    OAuthCredentials,
    StoredTokens,
    TokenStore,
    credentials_for,
    pkce_pair,
    s256,
)
from make_mcp.server.make_api.client import Credentials, MakeClient, MakeRequest, StaticCredentials
from make_mcp.server.protocol.app import build_server
from make_mcp.server.protocol.runner import ToolRunner
from make_mcp.server.sandbox.oauth import (
    ACCESS_TOKEN_SECONDS,
    SANDBOX_CLIENT_ID,
    SANDBOX_CLIENT_SECRET,
    SANDBOX_CONFIDENTIAL_CLIENT_ID,
)
from make_mcp.server.support.config import Settings
from tests.conftest import LoopbackSandbox
from tests.server.sandbox.support import FakeClock
from tests.server.test_cli import server_env

TOKEN_PATH = "/oauth/v2/token"


# --- helpers ------------------------------------------------------------------------------------------


class Browser:
    """Stands in for the user's browser: opens the authorize address and follows every redirect."""

    def __init__(self) -> None:
        self.url: str | None = None
        self.opened = anyio.Event()
        self.final: httpx2.Response | None = None

    def open(self, url: str) -> None:
        self.url = url
        self.opened.set()

    async def drive(self, before: str | None = None) -> None:
        await self.opened.wait()
        assert self.url is not None
        async with httpx2.AsyncClient(follow_redirects=True, trust_env=False) as http:
            if before is not None:
                self.stray = await http.get(before.replace("PORT", self.redirect_port()))
            self.final = await http.get(self.url)

    def query(self) -> dict[str, str]:
        assert self.url is not None
        return {key: values[0] for key, values in parse_qs(urlsplit(self.url).query).items()}

    def redirect_port(self) -> str:
        return str(urlsplit(self.query()["redirect_uri"]).port)


def oauth_settings(where: LoopbackSandbox, *, confidential: bool = True, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "zone": where.url,
        "oauth_base": where.url,
        "allow_custom_zone": True,
        "client_id": SANDBOX_CONFIDENTIAL_CLIENT_ID if confidential else SANDBOX_CLIENT_ID,
        "client_secret": SANDBOX_CLIENT_SECRET if confidential else None,
        "oauth_redirect_port": 0,
        "token_store": "file",
        "rate_limit": 0,
    }
    values.update(overrides)
    return Settings(**values)


async def browser_login(
    settings: Settings, store: TokenStore, *, clock: FakeClock | None = None, scopes: str | None = None
) -> tuple[StoredTokens, Browser, str]:
    browser, said = Browser(), io.StringIO()
    failure: LoginError | None = None
    async with anyio.create_task_group() as tasks:
        tasks.start_soon(browser.drive)
        try:
            tokens = await login(
                settings, scopes, False, open_browser=browser.open, out=said, store=store, clock=clock or FakeClock()
            )
        except LoginError as error:
            failure = error
            tasks.cancel_scope.cancel()
    if failure is not None:
        raise failure
    return tokens, browser, said.getvalue()


def token_requests(sandbox: LoopbackSandbox, grant_type: str) -> int:
    return sum(
        1
        for r in sandbox.state.requests
        if r.path == TOKEN_PATH and isinstance(r.body, dict) and r.body.get("grant_type") == grant_type
    )


@pytest.fixture
def store(tmp_path: Path) -> TokenStore:
    return TokenStore("unused", mode="file", path=tmp_path / "make-mcp" / "tokens.json")


def store_for(settings: Settings, tmp_path: Path) -> TokenStore:
    return TokenStore(settings.oauth_base, mode="file", path=tmp_path / "make-mcp" / "tokens.json")


@asynccontextmanager
async def oauth_client(settings: Settings, credentials: Credentials) -> AsyncIterator[MakeClient]:
    async with open_make_client(settings, credentials=credentials) as client:
        yield client


# --- login ----------------------------------------------------------------------------------------------


async def test_login_over_loopback_uses_pkce_and_state_and_stores_tokens_only_the_user_can_read(
    loopback_sandbox: LoopbackSandbox, tmp_path: Path
) -> None:
    settings = oauth_settings(loopback_sandbox)
    store = store_for(settings, tmp_path)

    tokens, browser, said = await browser_login(settings, store)

    asked = browser.query()
    assert urlsplit(browser.url or "").path == "/oauth/v2/authorize"
    assert asked["response_type"] == "code" and asked["client_id"] == SANDBOX_CONFIDENTIAL_CLIENT_ID
    assert asked["code_challenge_method"] == "S256" and len(asked["code_challenge"]) == 43
    assert len(asked["state"]) >= 32
    assert asked["redirect_uri"].startswith("http://127.0.0.1:") and asked["redirect_uri"].endswith("/callback")
    assert asked["scope"].split() == list(default_scopes(settings))
    assert browser.final is not None and browser.final.status_code == 200
    assert "Logged in to Make" in browser.final.text
    exchange = next(r for r in loopback_sandbox.state.requests if r.path == TOKEN_PATH)
    assert exchange.body is not None
    assert exchange.body["grant_type"] == "authorization_code"
    assert {"code", "code_verifier", "redirect_uri", "client_secret"} <= set(exchange.body)
    assert tokens.refresh_token is not None and tokens.expires_at is not None
    assert set(tokens.scopes) == set(default_scopes(settings))
    assert stat.S_IMODE(os.stat(store.path).st_mode) == 0o600
    assert store.load() == tokens
    assert tokens.access_token not in said and tokens.refresh_token not in said
    assert str(store.path) in said


async def test_the_stored_login_authenticates_tool_calls_as_bearer(
    loopback_sandbox: LoopbackSandbox, tmp_path: Path
) -> None:
    settings = oauth_settings(loopback_sandbox)
    store = store_for(settings, tmp_path)
    await browser_login(settings, store)

    credentials = credentials_for(settings, store=store)
    assert isinstance(credentials, OAuthCredentials)
    every_toolset = settings.model_copy(update={"toolsets": "all"})
    async with open_make_client(every_toolset, credentials=credentials) as make:
        catalogue = await load_catalogue(every_toolset, make)
        server = build_server(ToolRunner(every_toolset, make, catalogue, Confirmations()))
        async with Client(server) as client:
            result = await client.call_tool("scenarios_list", {"teamId": 201})
    assert not result.is_error, result.content
    assert catalogue.granted_scopes == frozenset(credentials.tokens.scopes)
    # Only the default toolsets' scopes were granted: a tool of another toolset is hidden for lack of one.
    assert "the token lacks the scope sdk-apps:read" in catalogue.hidden["sdk-apps_list"]


async def test_a_redirect_with_a_foreign_state_is_refused_and_the_login_waits_for_its_own(
    loopback_sandbox: LoopbackSandbox, tmp_path: Path
) -> None:
    settings = oauth_settings(loopback_sandbox)
    store = store_for(settings, tmp_path)
    browser = Browser()
    async with anyio.create_task_group() as tasks:
        tasks.start_soon(browser.drive, "http://127.0.0.1:PORT/callback?code=forged&state=forged")
        tokens = await login(settings, None, False, open_browser=browser.open, out=io.StringIO(), store=store)
    assert browser.stray.status_code == 400
    assert browser.final is not None and browser.final.status_code == 200
    assert store.load() == tokens
    assert token_requests(loopback_sandbox, "authorization_code") == 1  # the forged code never reached Make


async def test_login_asks_for_the_scopes_given_with_the_flag(loopback_sandbox: LoopbackSandbox, tmp_path: Path) -> None:
    settings = oauth_settings(loopback_sandbox)
    tokens, browser, _ = await browser_login(
        settings, store_for(settings, tmp_path), scopes="scenarios:read, teams:read"
    )
    assert browser.query()["scope"] == "scenarios:read teams:read"
    assert tokens.scopes == ("scenarios:read", "teams:read")


async def test_headless_login_prints_the_address_and_reads_the_pasted_redirect(
    loopback_sandbox: LoopbackSandbox, tmp_path: Path
) -> None:
    settings = oauth_settings(loopback_sandbox, oauth_redirect_port=8400)
    store = store_for(settings, tmp_path)
    said = io.StringIO()

    def paste() -> str:
        # The user opens the printed address; the browser lands on the (unreachable) redirect address.
        address = next(line.strip() for line in said.getvalue().splitlines() if "/oauth/v2/authorize?" in line)
        with httpx2.Client(trust_env=False) as http:
            answer = http.get(address)
        assert answer.status_code == 302
        return answer.headers["location"] + "\n"

    tokens = await login(settings, None, True, read_line=paste, out=said, store=store)

    assert "http://127.0.0.1:8400/callback" in said.getvalue()
    assert store.load() == tokens
    assert tokens.access_token not in said.getvalue()


async def test_headless_login_refuses_a_pasted_address_from_another_login(
    loopback_sandbox: LoopbackSandbox, tmp_path: Path
) -> None:
    settings = oauth_settings(loopback_sandbox, oauth_redirect_port=8400)
    store = store_for(settings, tmp_path)
    with pytest.raises(LoginError, match="state"):
        await login(
            settings,
            None,
            True,
            read_line=lambda: "http://127.0.0.1:8400/callback?code=abc&state=other\n",
            out=io.StringIO(),
            store=store,
        )
    assert store.load() is None
    assert token_requests(loopback_sandbox, "authorization_code") == 0


async def test_access_refused_at_make_fails_the_login_with_make_s_reason(
    loopback_sandbox: LoopbackSandbox, tmp_path: Path
) -> None:
    settings = oauth_settings(loopback_sandbox)
    store = store_for(settings, tmp_path)
    with pytest.raises(LoginError, match=r"did not grant access \(invalid_scope"):
        await browser_login(settings, store, scopes="scenarios:read no-such:scope")
    assert store.load() is None


async def test_a_refused_code_exchange_names_the_oauth_error_and_no_secret(
    loopback_sandbox: LoopbackSandbox, tmp_path: Path
) -> None:
    settings = oauth_settings(loopback_sandbox, client_secret="not-the-right-secret")
    store = store_for(settings, tmp_path)
    with pytest.raises(LoginError) as raised:
        await browser_login(settings, store)
    message = str(raised.value)
    assert "401" in message and "invalid_client" in message
    assert "not-the-right-secret" not in message
    assert store.load() is None


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [({"client_id": None}, "MAKE_CLIENT_ID"), ({"sandbox": True}, "sandbox needs no login")],
)
async def test_login_without_a_client_id_or_in_the_sandbox_says_what_to_do(
    loopback_sandbox: LoopbackSandbox, tmp_path: Path, overrides: dict[str, Any], expected: str
) -> None:
    settings = oauth_settings(loopback_sandbox, **overrides)
    with pytest.raises(LoginError, match=expected):
        await login(settings, None, False, open_browser=lambda url: None, store=store_for(settings, tmp_path))


async def test_a_login_nobody_completes_ends_with_a_clear_error_and_stores_nothing(tmp_path: Path) -> None:
    settings = Settings(client_id=SANDBOX_CLIENT_ID, oauth_redirect_port=0, token_store="file")
    store = store_for(settings, tmp_path)
    with pytest.raises(LoginError, match="no answer from the browser"):
        await login(
            settings, "scenarios:read", False, open_browser=lambda url: None, out=io.StringIO(), store=store, timeout=0
        )
    assert store.load() is None


async def test_a_redirect_port_in_use_is_reported_with_the_setting_to_change(tmp_path: Path) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        settings = Settings(client_id=SANDBOX_CLIENT_ID, oauth_redirect_port=taken.getsockname()[1])
        with pytest.raises(LoginError, match="MAKE_OAUTH_REDIRECT_PORT"):
            await login(settings, "scenarios:read", False, open_browser=lambda url: None, out=io.StringIO())


def test_pkce_verifier_has_43_to_128_unreserved_characters_and_an_s256_challenge() -> None:
    verifier, challenge = pkce_pair()
    assert 43 <= len(verifier) <= 128
    assert set(verifier) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
    assert challenge == s256(verifier) and len(challenge) == 43 and "=" not in challenge
    # RFC 7636's own example pair.
    assert s256("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk") == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"


def test_default_scopes_follow_the_selected_toolsets_and_read_only_mode() -> None:
    everything = default_scopes(Settings())
    assert {"scenarios:read", "scenarios:write", "scenarios:run", "connections:read"} <= set(everything)
    assert not any(scope.startswith("admin:") for scope in everything)
    assert "sdk-apps:read" not in everything  # sdk-apps is not a default toolset
    read_only = default_scopes(Settings(read_only=True, toolsets="scenarios"))
    assert "scenarios:read" in read_only and "scenarios:run" not in read_only


# --- renewal --------------------------------------------------------------------------------------------


async def logged_in(
    sandbox: LoopbackSandbox, tmp_path: Path, *, confidential: bool = True
) -> tuple[Settings, TokenStore, FakeClock, FakeClock]:
    """A login on a sandbox whose clock, and the client's, the test moves by hand."""
    make_clock, our_clock = FakeClock(), FakeClock()
    sandbox.state.clock = make_clock
    settings = oauth_settings(sandbox, confidential=confidential)
    store = store_for(settings, tmp_path)
    await browser_login(settings, store, clock=our_clock)
    return settings, store, make_clock, our_clock


async def test_an_access_token_about_to_expire_is_renewed_silently_before_the_call(
    loopback_sandbox: LoopbackSandbox, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    settings, store, make_clock, our_clock = await logged_in(loopback_sandbox, tmp_path)
    first = store.load()
    assert first is not None
    credentials = credentials_for(settings, store=store, clock=our_clock)
    async with oauth_client(settings, credentials) as make:
        assert (await make.send(MakeRequest("GET", "/users/me")))["authUser"]
        make_clock.advance(ACCESS_TOKEN_SECONDS - 10)
        our_clock.advance(ACCESS_TOKEN_SECONDS - 10)  # within the 30 s margin
        assert (await make.send(MakeRequest("GET", "/users/me")))["authUser"]
    renewed = store.load()
    assert token_requests(loopback_sandbox, "refresh_token") == 1
    assert renewed is not None and renewed.access_token != first.access_token
    assert renewed.refresh_token != first.refresh_token  # the sandbox rotates refresh tokens
    assert sum(r.path == "/api/v2/users/me" for r in loopback_sandbox.state.requests) == 2  # no call refused
    for secret in (first.access_token, first.refresh_token, renewed.access_token, renewed.refresh_token):
        assert secret is not None and secret not in caplog.text


async def test_a_token_make_refuses_mid_session_is_renewed_once_and_the_call_repeated(
    loopback_sandbox: LoopbackSandbox, tmp_path: Path
) -> None:
    settings, store, make_clock, our_clock = await logged_in(loopback_sandbox, tmp_path)
    credentials = credentials_for(settings, store=store, clock=our_clock)
    async with oauth_client(settings, credentials) as make:
        make_clock.advance(ACCESS_TOKEN_SECONDS + 1)  # Make's clock runs ahead: only a 401 tells
        before = len(loopback_sandbox.state.requests)
        created = await make.send(
            MakeRequest("POST", "/scenarios", body=_scenario_body(), operation="scenarios_create")
        )
    assert created["scenario"]["name"] == "Renewed on the way"
    sequence = [(r.method, r.path) for r in loopback_sandbox.state.requests[before:]]
    assert sequence == [("POST", "/api/v2/scenarios"), ("POST", TOKEN_PATH), ("POST", "/api/v2/scenarios")]


@pytest.mark.parametrize("who_knows", ["both clocks", "only Make"])
async def test_concurrent_calls_during_a_renewal_send_exactly_one_refresh_request(
    loopback_sandbox: LoopbackSandbox, tmp_path: Path, who_knows: str
) -> None:
    settings, store, make_clock, our_clock = await logged_in(loopback_sandbox, tmp_path)
    credentials = credentials_for(settings, store=store, clock=our_clock)
    answers: list[Any] = []
    async with oauth_client(settings, credentials) as make:
        make_clock.advance(ACCESS_TOKEN_SECONDS + 1)
        if who_knows == "both clocks":
            our_clock.advance(ACCESS_TOKEN_SECONDS + 1)

        async def call(team_id: int) -> None:
            answers.append(await make.send(MakeRequest("GET", f"/teams/{team_id}")))

        async with anyio.create_task_group() as tasks:
            for _ in range(8):
                tasks.start_soon(call, 201)
                tasks.start_soon(call, 202)
    assert len(answers) == 16 and all("team" in answer for answer in answers)
    assert token_requests(loopback_sandbox, "refresh_token") == 1


async def test_a_failed_renewal_tells_the_agent_to_run_make_mcp_login_again(
    loopback_sandbox: LoopbackSandbox, tmp_path: Path
) -> None:
    settings, store, make_clock, our_clock = await logged_in(loopback_sandbox, tmp_path)
    tokens = store.load()
    assert tokens is not None
    credentials = credentials_for(settings, store=store, clock=our_clock)
    async with oauth_client(settings, credentials) as make:
        catalogue = await load_catalogue(settings, make)
        server = build_server(ToolRunner(settings, make, catalogue, Confirmations()))
        async with Client(server) as client:
            # Half a year later the refresh token has expired too.
            make_clock.advance(200 * 24 * 3600)
            our_clock.advance(200 * 24 * 3600)
            result = await client.call_tool("teams_get", {"teamId": 201})
    assert result.is_error
    text = "\n".join(block.text for block in result.content if isinstance(block, types.TextContent))
    assert "make-mcp login" in text and "invalid_grant" in text
    assert len(text.splitlines()) == 1
    assert tokens.access_token not in text and (tokens.refresh_token or "-") not in text
    assert token_requests(loopback_sandbox, "refresh_token") == 1


async def test_a_public_client_login_without_refresh_token_asks_for_a_new_login_once_expired(
    loopback_sandbox: LoopbackSandbox, tmp_path: Path
) -> None:
    settings, store, make_clock, our_clock = await logged_in(loopback_sandbox, tmp_path, confidential=False)
    credentials = credentials_for(settings, store=store, clock=our_clock)
    async with oauth_client(settings, credentials) as make:
        await make.send(MakeRequest("GET", "/users/me"))
        make_clock.advance(ACCESS_TOKEN_SECONDS + 1)
        our_clock.advance(ACCESS_TOKEN_SECONDS + 1)
        with pytest.raises(MakeMcpError, match=r"no refresh token.*make-mcp login"):
            await make.send(MakeRequest("GET", "/users/me"))
    assert token_requests(loopback_sandbox, "refresh_token") == 0


async def test_a_bare_access_token_and_a_per_request_header_are_never_renewed(
    loopback_sandbox: LoopbackSandbox, tmp_path: Path
) -> None:
    settings, store, make_clock, our_clock = await logged_in(loopback_sandbox, tmp_path)
    tokens = store.load()
    assert tokens is not None
    bare = Settings(**{**settings.model_dump(), "access_token": tokens.access_token, "client_secret": None})
    credentials = credentials_for(bare, store=store)
    assert isinstance(credentials, StaticCredentials)
    make_clock.advance(ACCESS_TOKEN_SECONDS + 1)
    async with open_make_client(bare, credentials=credentials) as make:
        with pytest.raises(AuthenticationFailed):
            await make.send(MakeRequest("GET", "/users/me"))
    oauth = credentials_for(settings, store=store, clock=our_clock)
    async with oauth_client(settings, oauth) as make:
        with pytest.raises(AuthenticationFailed):
            await make.send(MakeRequest("GET", "/users/me"), authorization=f"Bearer {tokens.access_token}")
    assert token_requests(loopback_sandbox, "refresh_token") == 0


def _scenario_body() -> dict[str, Any]:
    blueprint = {"name": "Renewed on the way", "flow": [{"id": 1, "module": "json:ParseJSON", "version": 1}]}
    return {"teamId": 201, "blueprint": json.dumps(blueprint), "scheduling": json.dumps({"type": "on-demand"})}


# --- the token store ------------------------------------------------------------------------------------


def sample_tokens(base: str = "https://www.make.com") -> StoredTokens:
    return StoredTokens("access-secret-123", "refresh-secret-456", 1_750_000_300.0, ("scenarios:read",), "cid", base)


def test_without_keyring_tokens_go_to_a_0600_file_under_xdg_config_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setitem(sys.modules, "keyring", None)  # `import keyring` fails
    store = TokenStore("https://www.make.com")

    where = store.save(sample_tokens())

    path = tmp_path / "config" / "make-mcp" / "tokens.json"
    assert where == str(path) and store.path == path
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(path.parent).st_mode) == 0o700
    assert store.load() == sample_tokens()
    assert TokenStore("https://other.example").load() is None  # keyed by OAuth base


def test_a_token_file_others_could_read_is_only_the_users_again_after_the_next_save(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "keyring", None)
    store = TokenStore("https://www.make.com", path=tmp_path / "tokens.json")
    store.path.write_text("{}", encoding="utf-8")
    store.path.chmod(0o644)
    leftover = store.path.with_name(f".{store.path.name}.{os.getpid()}.tmp")  # from a crashed save
    leftover.write_text("", encoding="utf-8")
    leftover.chmod(0o644)

    store.save(sample_tokens())

    assert stat.S_IMODE(os.stat(store.path).st_mode) == 0o600
    assert store.load() == sample_tokens()


def test_the_os_keyring_is_used_when_it_works_and_the_file_is_left_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    kept: dict[tuple[str, str], str] = {}
    fake = pytypes.ModuleType("keyring")
    fake.get_password = lambda service, user: kept.get((service, user))  # type: ignore[attr-defined]
    fake.set_password = lambda service, user, value: kept.__setitem__((service, user), value)  # type: ignore[attr-defined]
    fake.delete_password = lambda service, user: kept.pop((service, user))  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "keyring", fake)
    store = TokenStore("https://www.make.com", path=tmp_path / "tokens.json")

    assert store.save(sample_tokens()) == "the OS keyring"
    assert not store.path.exists()
    assert list(kept) == [("make-mcp", "https://www.make.com")]
    assert store.load() == sample_tokens()
    assert store.delete() == ["the OS keyring"]
    assert kept == {}


def test_a_failing_keyring_falls_back_to_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def locked(*args: str) -> None:
        raise RuntimeError("the keyring is locked")

    fake = pytypes.ModuleType("keyring")
    fake.get_password = fake.set_password = fake.delete_password = locked  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "keyring", fake)
    store = TokenStore("https://www.make.com", path=tmp_path / "tokens.json")

    assert store.save(sample_tokens()) == str(store.path)
    assert store.load() == sample_tokens()


def test_logout_removes_the_stored_tokens_and_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "keyring", None)
    store = TokenStore("https://www.make.com", path=tmp_path / "tokens.json")
    store.save(sample_tokens())
    TokenStore("https://other.example", path=store.path).save(sample_tokens("https://other.example"))
    said = io.StringIO()

    assert logout(Settings(), out=said, store=store) is True
    assert store.load() is None
    assert TokenStore("https://other.example", path=store.path).load() is not None  # another base's login stays
    assert "removed the stored tokens" in said.getvalue()
    assert logout(Settings(), out=said, store=store) is False
    assert "No stored login" in said.getvalue()


def test_tokens_never_show_in_their_repr() -> None:
    shown = repr(sample_tokens())
    assert "access-secret-123" not in shown and "refresh-secret-456" not in shown


# --- the command line -------------------------------------------------------------------------------------


def run_cli(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "make_mcp.server.cli.main", *args],
        env=server_env(**env),
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )


def test_login_without_a_client_id_exits_with_one_line_and_no_traceback(tmp_path: Path) -> None:
    completed = run_cli("login", XDG_CONFIG_HOME=str(tmp_path), MAKE_TOKEN_STORE="file")
    assert completed.returncode == 1
    assert completed.stdout == ""
    assert "Traceback" not in completed.stderr
    assert "MAKE_CLIENT_ID" in completed.stderr and "sandbox" not in completed.stderr
    assert len(completed.stderr.strip().splitlines()) == 1


async def test_a_stored_login_is_used_instead_of_the_sandbox_and_logout_forgets_it(
    loopback_sandbox: LoopbackSandbox, tmp_path: Path
) -> None:
    settings = oauth_settings(loopback_sandbox)
    store = TokenStore(settings.oauth_base, mode="file", path=tmp_path / "make-mcp" / "tokens.json")
    await browser_login(settings, store, clock=FakeClock(now=4_000_000_000.0))  # valid for the real clock too
    env = {
        "XDG_CONFIG_HOME": str(tmp_path),
        "MAKE_TOKEN_STORE": "file",
        "MAKE_ZONE": loopback_sandbox.url,
        "MAKE_OAUTH_BASE": loopback_sandbox.url,
        "MAKE_ALLOW_CUSTOM_ZONE": "1",
        "MAKE_RATE_LIMIT": "0",
    }

    listed = await anyio.to_thread.run_sync(lambda: run_cli("tools", **env))

    assert listed.returncode == 0, listed.stderr
    assert "sandbox" not in listed.stderr
    assert "scenarios_list" in listed.stdout and "sdk-apps_list" not in listed.stdout
    assert any(r.path == "/api/v2/users/me/current-authorization" for r in loopback_sandbox.state.requests)

    logged_out = await anyio.to_thread.run_sync(lambda: run_cli("logout", **env))
    assert logged_out.returncode == 0 and "removed the stored tokens" in logged_out.stderr
    assert store.load() is None
