"""Signing in with Make through make-mcp's own OAuth 2.1 endpoints, driven by the mcp SDK's OAuth client.

The sandbox plays Make's authorization server (it approves at once); a scripted browser follows the
redirects a person's browser would: make-mcp's /authorize, Make's consent, make-mcp's callback, and finally
the MCP client's redirect URI.
"""

from __future__ import annotations

import logging
import re
import socket
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlencode, urljoin, urlsplit

import httpx2
import mcp_types as types
import pytest
import uvicorn
from mcp import Client
from mcp.client.auth import OAuthClientProvider
from mcp.client.streamable_http import streamable_http_client
from mcp.shared.auth import AuthorizationCodeResult, OAuthClientInformationFull, OAuthClientMetadata, OAuthToken
from pydantic import AnyUrl
from starlette.applications import Starlette

from make_mcp.server.http.remote_auth import ACCESS_TOKEN_PREFIX, REFRESH_TOKEN_PREFIX, MakeSignIn
from make_mcp.server.http.serve import create_http_app
from make_mcp.server.make_api.auth import pkce_pair
from make_mcp.server.sandbox import create_sandbox_app, demo_state
from make_mcp.server.sandbox.faults import Fault, dropped, hang, server_error
from make_mcp.server.sandbox.oauth import SANDBOX_CLIENT_SECRET, SANDBOX_CONFIDENTIAL_CLIENT_ID
from make_mcp.server.support.config import Settings
from tests.conftest import TEST_FIRST_LISTING_WAIT, LoopbackSandbox
from tests.server.client_documents import DocumentServer, serve_documents

REDIRECT_URI = "http://127.0.0.1:9/callback"  # never listened on: the scripted browser stops there
MCP_HEADERS = {"Accept": "application/json, text/event-stream", "Content-Type": "application/json"}
INITIALIZE = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "initialize",
    "params": {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "t", "version": "1"}},
}


@dataclass
class Running:
    app: Starlette
    base: str  # e.g. http://127.0.0.1:41235

    @property
    def mcp_url(self) -> str:
        return f"{self.base}/mcp"

    @property
    def sign_in(self) -> MakeSignIn:
        sign_in = self.app.state.remote.sign_in
        assert sign_in is not None
        return sign_in


def free_socket() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(128)
    return sock


@pytest.fixture
def serve() -> Iterator[Callable[..., Running]]:
    """Starts create_http_app's app on a free loopback port; `public_url` defaults to that port's address."""
    running: list[tuple[uvicorn.Server, threading.Thread, socket.socket]] = []

    def start(sandbox: LoopbackSandbox, *, public_url: str | None = None, **overrides: Any) -> Running:
        sock = free_socket()
        base = f"http://127.0.0.1:{sock.getsockname()[1]}"
        overrides.setdefault("http_first_listing_wait", TEST_FIRST_LISTING_WAIT)
        settings = Settings(
            zone=sandbox.url,
            oauth_base=sandbox.url,
            allow_custom_zone=True,
            client_id=SANDBOX_CONFIDENTIAL_CLIENT_ID,
            client_secret=SANDBOX_CLIENT_SECRET,  # pyright: ignore[reportArgumentType]
            public_url=public_url or base,
            **overrides,
        )
        app = create_http_app(settings)
        server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
        thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
        thread.start()
        while not server.started:  # the lifespan has run: /mcp is ready
            time.sleep(0.01)
        running.append((server, thread, sock))
        return Running(app, base)

    yield start
    for server, thread, sock in running:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


class Browser:
    """A person's browser: keeps its cookies, answers make-mcp's consent page with `decision`, and follows redirects
    until it reaches the MCP client's redirect URI."""

    def __init__(self, decision: str = "allow") -> None:
        self.decision = decision
        self.landed: str | None = None
        self.visited: list[str] = []

    async def open(self, url: str) -> None:
        async with httpx2.AsyncClient(follow_redirects=False, timeout=30) as http:
            answer = await http.get(url)
            for _ in range(10):
                here = str(answer.request.url)
                self.visited.append(here)
                if answer.status_code == 200 and "<form" in answer.text:
                    fields = dict(re.findall(r"name='(\w+)' value='([^']*)'", answer.text))
                    action = re.search(r"action='([^']+)'", answer.text)
                    assert action is not None
                    answer = await http.post(urljoin(here, action.group(1)), data={**fields, "decision": self.decision})
                    continue
                location = answer.headers.get("location")
                if answer.status_code not in (302, 303) or location is None:
                    raise AssertionError(f"the sign-in stopped at {here}: {answer.status_code} {answer.text[:300]}")
                if location.startswith(REDIRECT_URI):
                    self.landed = location
                    return
                answer = await http.get(location)
        raise AssertionError("too many redirects")

    def answer(self) -> dict[str, str]:
        assert self.landed is not None
        return {key: values[0] for key, values in parse_qs(urlsplit(self.landed).query).items()}

    async def callback(self) -> AuthorizationCodeResult:
        answer = self.answer()
        return AuthorizationCodeResult(code=answer.get("code", ""), state=answer.get("state"), iss=answer.get("iss"))


class MemoryStorage:
    def __init__(self) -> None:
        self.tokens: OAuthToken | None = None
        self.client: OAuthClientInformationFull | None = None

    async def get_tokens(self) -> OAuthToken | None:
        return self.tokens

    async def set_tokens(self, tokens: OAuthToken) -> None:
        self.tokens = tokens

    async def get_client_info(self) -> OAuthClientInformationFull | None:
        return self.client

    async def set_client_info(self, client_info: OAuthClientInformationFull) -> None:
        self.client = client_info


def oauth_provider(
    url: str, browser: Browser, storage: MemoryStorage, *, client_metadata_url: str | None = None
) -> OAuthClientProvider:
    metadata = OAuthClientMetadata(
        redirect_uris=[AnyUrl(REDIRECT_URI)],
        client_name="make-mcp test client",
        grant_types=["authorization_code", "refresh_token"],
        response_types=["code"],
    )
    return OAuthClientProvider(
        url,
        metadata,
        storage,
        redirect_handler=browser.open,
        callback_handler=browser.callback,
        client_metadata_url=client_metadata_url,
    )


@asynccontextmanager
async def signed_in_client(provider: OAuthClientProvider, url: str) -> AsyncIterator[Client]:
    async with (
        httpx2.AsyncClient(auth=provider, timeout=httpx2.Timeout(30, read=120)) as http,
        Client(streamable_http_client(url, http_client=http)) as client,
    ):
        yield client


def text_of(result: types.CallToolResult) -> str:
    return "\n".join(block.text for block in result.content if isinstance(block, types.TextContent))


async def post_mcp(url: str, authorization: str | None) -> httpx2.Response:
    headers = dict(MCP_HEADERS) if authorization is None else {**MCP_HEADERS, "Authorization": authorization}
    async with httpx2.AsyncClient(timeout=30) as http:
        return await http.post(url, json=INITIALIZE, headers=headers)


@dataclass
class HandSignIn:
    """A sign-in driven with plain HTTP, step by step, to try what a well-behaved client never does."""

    client_id: str
    client_secret: str
    code: str
    verifier: str


async def register(running: Running, redirect_uri: str = REDIRECT_URI) -> dict[str, Any]:
    async with httpx2.AsyncClient(timeout=30) as http:
        answer = await http.post(
            f"{running.base}/register",
            json={"redirect_uris": [redirect_uri], "grant_types": ["authorization_code", "refresh_token"]},
        )
    assert answer.status_code == 201, answer.text
    return answer.json()


async def sign_in_by_hand(running: Running, client: dict[str, Any] | None = None) -> HandSignIn:
    client = client or await register(running)
    verifier, challenge = pkce_pair()
    query = {
        "response_type": "code",
        "client_id": client["client_id"],
        "redirect_uri": REDIRECT_URI,
        "state": "s-123",
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    }
    browser = Browser()
    await browser.open(f"{running.base}/authorize?{urlencode(query)}")
    answer = browser.answer()
    assert answer["state"] == "s-123"
    return HandSignIn(client["client_id"], client["client_secret"], answer["code"], verifier)


async def token_request(running: Running, form: dict[str, str]) -> httpx2.Response:
    async with httpx2.AsyncClient(timeout=30) as http:
        return await http.post(f"{running.base}/token", data=form)


async def exchange(running: Running, hand: HandSignIn, **changes: str) -> httpx2.Response:
    form = {
        "grant_type": "authorization_code",
        "code": hand.code,
        "redirect_uri": REDIRECT_URI,
        "client_id": hand.client_id,
        "client_secret": hand.client_secret,
        "code_verifier": hand.verifier,
        **changes,
    }
    return await token_request(running, form)


# --- The whole sign-in through the mcp SDK's OAuth client ---


async def test_an_mcp_client_signs_in_with_make_and_calls_tools_without_ever_holding_a_make_token(
    loopback_sandbox: LoopbackSandbox, serve: Callable[..., Running]
) -> None:
    running = serve(loopback_sandbox)
    browser, storage = Browser(), MemoryStorage()
    async with signed_in_client(oauth_provider(running.mcp_url, browser, storage), running.mcp_url) as client:
        listing = await client.list_tools()
        result = await client.call_tool("scenarios_list", {"teamId": 201})
    assert not result.is_error, text_of(result)
    assert "scenarios_list" in {tool.name for tool in listing.tools}
    # The browser went make-mcp -> its consent page -> Make -> make-mcp's callback -> the client.
    assert browser.visited[0].startswith(f"{running.base}/authorize?")
    assert browser.visited[1].startswith(f"{running.base}/oauth/consent?request=")
    assert browser.visited[2] == f"{running.base}/oauth/consent"  # the person allowed it
    assert browser.visited[3].startswith(f"{loopback_sandbox.url}/oauth/v2/authorize?")
    assert browser.visited[4].startswith(f"{running.base}/oauth/callback?")
    assert browser.answer()["iss"] == running.base
    assert storage.tokens is not None and storage.client is not None
    assert storage.tokens.access_token.startswith(ACCESS_TOKEN_PREFIX)
    assert (storage.tokens.refresh_token or "").startswith(REFRESH_TOKEN_PREFIX)
    make_tokens = {token for token in loopback_sandbox.state.tokens if token.startswith("sbx-at-")}
    assert len(make_tokens) == 1  # Make issued one access token, to make-mcp
    held_by_client = {storage.tokens.access_token, storage.tokens.refresh_token, storage.client.client_secret}
    assert not held_by_client & make_tokens
    assert any(r.path.endswith("/scenarios") for r in loopback_sandbox.state.requests)


async def test_the_mcp_client_refreshes_its_own_tokens_and_the_old_refresh_token_then_fails(
    loopback_sandbox: LoopbackSandbox, serve: Callable[..., Running]
) -> None:
    running = serve(loopback_sandbox)
    browser, storage = Browser(), MemoryStorage()
    provider = oauth_provider(running.mcp_url, browser, storage)
    async with signed_in_client(provider, running.mcp_url) as client:
        await client.list_tools()
        first = storage.tokens
        assert first is not None
        provider.context.token_expiry_time = time.time() - 1  # the client now believes its token expired
        result = await client.call_tool("users_me", {})
    assert not result.is_error, text_of(result)
    assert storage.tokens is not None and storage.tokens.access_token != first.access_token
    assert len(browser.visited) == 5  # refreshed, not signed in again
    assert storage.client is not None
    replay = await token_request(
        running,
        {
            "grant_type": "refresh_token",
            "refresh_token": first.refresh_token or "",
            "client_id": storage.client.client_id or "",
            "client_secret": storage.client.client_secret or "",
        },
    )
    assert replay.status_code == 400 and replay.json()["error"] == "invalid_grant"
    # A refresh token used twice means it leaked: the whole grant is revoked, the newest tokens too.
    refused = await post_mcp(running.mcp_url, f"Bearer {storage.tokens.access_token}")
    assert refused.status_code == 401


async def test_make_s_access_token_is_renewed_silently_when_it_is_about_to_expire(
    loopback_sandbox: LoopbackSandbox, serve: Callable[..., Running]
) -> None:
    running = serve(loopback_sandbox)
    hand = await sign_in_by_hand(running)
    tokens = (await exchange(running, hand)).json()
    first_make_token = {token for token in loopback_sandbox.state.tokens if token.startswith("sbx-at-")}
    later = time.time() + 290  # Make's token lives 300 s; renewal starts 30 s before
    running.sign_in.clock = lambda: later
    loopback_sandbox.state.clock = lambda: later
    answer = await post_mcp(running.mcp_url, f"Bearer {tokens['access_token']}")
    assert answer.status_code == 200, answer.text
    now_make_tokens = {token for token in loopback_sandbox.state.tokens if token.startswith("sbx-at-")}
    assert len(now_make_tokens - first_make_token) == 1
    assert any(
        r.path == "/oauth/v2/token" and (r.body or {}).get("grant_type") == "refresh_token"
        for r in loopback_sandbox.state.requests
    )


async def test_when_make_refuses_to_renew_its_token_the_caller_is_sent_to_sign_in_and_may_after_make_recovers(
    loopback_sandbox: LoopbackSandbox, serve: Callable[..., Running]
) -> None:
    running = serve(loopback_sandbox)
    tokens = (await exchange(running, await sign_in_by_hand(running))).json()
    later = time.time() + 290
    running.sign_in.clock = lambda: later
    loopback_sandbox.state.clock = lambda: later
    loopback_sandbox.state.faults.add(server_error(503), method="POST", path="/oauth/v2/token")
    refused = await post_mcp(running.mcp_url, f"Bearer {tokens['access_token']}")
    served = await post_mcp(running.mcp_url, f"Bearer {tokens['access_token']}")  # Make answers again
    assert refused.status_code == 401
    assert "resource_metadata=" in refused.headers["www-authenticate"]
    assert "503" in refused.json()["error"]["message"] and tokens["access_token"] not in refused.text
    assert served.status_code == 200


async def test_a_revoked_token_is_refused_with_401_and_the_metadata_pointer(
    loopback_sandbox: LoopbackSandbox, serve: Callable[..., Running]
) -> None:
    running = serve(loopback_sandbox)
    hand = await sign_in_by_hand(running)
    tokens = (await exchange(running, hand)).json()
    assert (await post_mcp(running.mcp_url, f"Bearer {tokens['access_token']}")).status_code == 200
    async with httpx2.AsyncClient(timeout=30) as http:
        revoked = await http.post(
            f"{running.base}/revoke",
            data={"token": tokens["access_token"], "client_id": hand.client_id, "client_secret": hand.client_secret},
        )
    assert revoked.status_code == 200
    refused = await post_mcp(running.mcp_url, f"Bearer {tokens['access_token']}")
    assert refused.status_code == 401
    pointer = f'resource_metadata="{running.base}/.well-known/oauth-protected-resource/mcp"'
    assert pointer in refused.headers["www-authenticate"]
    # Revoking one token revokes the grant: its refresh token is gone too.
    again = await token_request(
        running,
        {
            "grant_type": "refresh_token",
            "refresh_token": tokens["refresh_token"],
            "client_id": hand.client_id,
            "client_secret": hand.client_secret,
        },
    )
    assert again.status_code == 400


async def make_tokens_of(running: Running, access_token: str) -> tuple[str, str]:
    """Make's access and refresh tokens behind one of make-mcp's access tokens (only the server ever holds them)."""
    record = await running.sign_in.load_access_token(access_token)
    assert record is not None
    grant = await running.sign_in.load_grant(record.grant_id)
    stored = None if grant is None else grant.tokens()
    assert stored is not None and stored.refresh_token is not None
    return stored.access_token, stored.refresh_token


async def make_refresh(sandbox: LoopbackSandbox, refresh_token: str) -> httpx2.Response:
    """Make's own token endpoint asked to renew with `refresh_token`, as make-mcp would."""
    async with httpx2.AsyncClient(timeout=30) as http:
        return await http.post(
            f"{sandbox.url}/oauth/v2/token",
            data={
                "grant_type": "refresh_token",
                "refresh_token": refresh_token,
                "client_id": SANDBOX_CONFIDENTIAL_CLIENT_ID,
                "client_secret": SANDBOX_CLIENT_SECRET,
            },
        )


async def revoke_ours(running: Running, hand: HandSignIn, token: str) -> httpx2.Response:
    async with httpx2.AsyncClient(timeout=30) as http:
        return await http.post(
            f"{running.base}/revoke",
            data={"token": token, "client_id": hand.client_id, "client_secret": hand.client_secret},
        )


@pytest.mark.parametrize("which", ["access_token", "refresh_token"])
async def test_revoking_a_make_mcp_token_revokes_the_make_grant_behind_it_too(
    loopback_sandbox: LoopbackSandbox, serve: Callable[..., Running], which: str
) -> None:
    running = serve(loopback_sandbox)
    hand = await sign_in_by_hand(running)
    tokens = (await exchange(running, hand)).json()
    make_access, make_refresh_token = await make_tokens_of(running, tokens["access_token"])
    revoked = await revoke_ours(running, hand, tokens[which])
    renewed_at_make = await make_refresh(loopback_sandbox, make_refresh_token)
    assert revoked.status_code == 200
    assert renewed_at_make.status_code == 400 and renewed_at_make.json()["error"] == "invalid_grant"
    assert make_access not in loopback_sandbox.state.tokens  # Make's access token of that grant ended too
    sent = [r for r in loopback_sandbox.state.requests if r.path == "/oauth/v2/revoke"]
    assert len(sent) == 1 and sent[0].body["token_type_hint"] == "refresh_token"
    assert sent[0].body["client_id"] == SANDBOX_CONFIDENTIAL_CLIENT_ID


async def test_a_replayed_refresh_token_revokes_the_make_grant_too(
    loopback_sandbox: LoopbackSandbox, serve: Callable[..., Running]
) -> None:
    running = serve(loopback_sandbox)
    hand = await sign_in_by_hand(running)
    tokens = (await exchange(running, hand)).json()
    _, make_refresh_token = await make_tokens_of(running, tokens["access_token"])
    form = {
        "grant_type": "refresh_token",
        "refresh_token": tokens["refresh_token"],
        "client_id": hand.client_id,
        "client_secret": hand.client_secret,
    }
    renewed = await token_request(running, form)
    replay = await token_request(running, form)
    assert renewed.status_code == 200
    assert replay.status_code == 400 and replay.json()["error"] == "invalid_grant"
    renewed_at_make = await make_refresh(loopback_sandbox, make_refresh_token)
    assert renewed_at_make.status_code == 400 and renewed_at_make.json()["error"] == "invalid_grant"


async def test_a_replayed_code_revokes_the_make_grant_too(
    loopback_sandbox: LoopbackSandbox, serve: Callable[..., Running]
) -> None:
    running = serve(loopback_sandbox)
    hand = await sign_in_by_hand(running)
    first = (await exchange(running, hand)).json()
    _, make_refresh_token = await make_tokens_of(running, first["access_token"])
    replay = await exchange(running, hand)
    assert replay.status_code == 400
    renewed_at_make = await make_refresh(loopback_sandbox, make_refresh_token)
    assert renewed_at_make.status_code == 400 and renewed_at_make.json()["error"] == "invalid_grant"


@pytest.mark.parametrize(
    ("fault", "overrides"),
    [(server_error(500), {}), (dropped(), {}), (hang(), {"timeout": 3.0})],
    ids=["500", "unreachable", "never-answers"],
)
async def test_when_make_s_revoke_fails_ours_is_revoked_all_the_same_and_a_warning_names_no_token(
    loopback_sandbox: LoopbackSandbox,
    serve: Callable[..., Running],
    caplog: pytest.LogCaptureFixture,
    fault: Fault,
    overrides: dict[str, Any],
) -> None:
    caplog.set_level(logging.DEBUG)
    running = serve(loopback_sandbox, **overrides)
    hand = await sign_in_by_hand(running)
    tokens = (await exchange(running, hand)).json()
    make_access, make_refresh_token = await make_tokens_of(running, tokens["access_token"])
    loopback_sandbox.state.faults.add(fault, method="POST", path="/oauth/v2/revoke")
    revoked = await revoke_ours(running, hand, tokens["access_token"])
    assert revoked.status_code == 200
    assert (await post_mcp(running.mcp_url, f"Bearer {tokens['access_token']}")).status_code == 401
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING and "revoke endpoint" in r.getMessage()]
    assert len(warnings) == 1
    for secret in (
        make_access,
        make_refresh_token,
        tokens["access_token"],
        tokens["refresh_token"],
        hand.client_secret,
    ):
        assert secret not in caplog.text


async def test_an_expired_access_token_is_refused(
    loopback_sandbox: LoopbackSandbox, serve: Callable[..., Running]
) -> None:
    running = serve(loopback_sandbox)
    tokens = (await exchange(running, await sign_in_by_hand(running))).json()
    later = time.time() + tokens["expires_in"] + 1
    running.sign_in.clock = lambda: later
    refused = await post_mcp(running.mcp_url, f"Bearer {tokens['access_token']}")
    assert refused.status_code == 401
    assert "resource_metadata=" in refused.headers["www-authenticate"]


# --- Metadata and the pointer to it ---


async def test_the_server_publishes_protected_resource_and_authorization_server_metadata(
    loopback_sandbox: LoopbackSandbox, serve: Callable[..., Running]
) -> None:
    running = serve(loopback_sandbox)
    async with httpx2.AsyncClient(timeout=30) as http:
        resource = (await http.get(f"{running.base}/.well-known/oauth-protected-resource/mcp")).json()
        at_root = (await http.get(f"{running.base}/.well-known/oauth-protected-resource")).json()
        server = (await http.get(f"{running.base}/.well-known/oauth-authorization-server")).json()
    assert resource == at_root
    assert resource["resource"] == running.mcp_url
    assert resource["authorization_servers"] == [running.base]
    assert "scenarios:read" in resource["scopes_supported"]
    assert server["issuer"] == running.base
    assert server["code_challenge_methods_supported"] == ["S256"]
    assert server["registration_endpoint"] == f"{running.base}/register"
    assert server["revocation_endpoint"] == f"{running.base}/revoke"
    assert server["client_id_metadata_document_supported"] is True


async def test_a_request_without_a_token_is_refused_with_the_metadata_pointer_and_the_server_s_is_never_lent(
    loopback_sandbox: LoopbackSandbox, serve: Callable[..., Running]
) -> None:
    running = serve(loopback_sandbox, api_key=loopback_sandbox.token)
    refused = await post_mcp(running.mcp_url, None)
    assert refused.status_code == 401
    assert refused.headers["www-authenticate"] == (
        f'Bearer resource_metadata="{running.base}/.well-known/oauth-protected-resource/mcp"'
    )


async def test_a_pasted_make_api_token_keeps_working_beside_sign_in(
    loopback_sandbox: LoopbackSandbox, serve: Callable[..., Running]
) -> None:
    running = serve(loopback_sandbox)
    answer = await post_mcp(running.mcp_url, f"Token {loopback_sandbox.token}")
    assert answer.status_code == 200, answer.text


# --- Refusals ---


async def test_a_replayed_code_is_refused_and_revokes_the_tokens_it_gave(
    loopback_sandbox: LoopbackSandbox, serve: Callable[..., Running]
) -> None:
    running = serve(loopback_sandbox)
    hand = await sign_in_by_hand(running)
    first = await exchange(running, hand)
    replay = await exchange(running, hand)
    assert first.status_code == 200
    assert replay.status_code == 400 and replay.json()["error"] == "invalid_grant"
    assert (await post_mcp(running.mcp_url, f"Bearer {first.json()['access_token']}")).status_code == 401


async def test_a_code_is_refused_to_another_client_with_a_wrong_verifier_or_another_redirect_uri(
    loopback_sandbox: LoopbackSandbox, serve: Callable[..., Running]
) -> None:
    running = serve(loopback_sandbox)
    hand = await sign_in_by_hand(running)
    other = await register(running)
    by_other = await exchange(running, hand, client_id=other["client_id"], client_secret=other["client_secret"])
    wrong_verifier = await exchange(running, hand, code_verifier=pkce_pair()[0])
    elsewhere = await exchange(running, hand, redirect_uri="http://127.0.0.1:9/elsewhere")
    made_up = await exchange(running, hand, code="not-a-code-of-this-server")
    assert by_other.json()["error"] == "invalid_grant"
    assert wrong_verifier.json()["error"] == "invalid_grant"
    assert elsewhere.json()["error"] == "invalid_request"
    assert made_up.json()["error"] == "invalid_grant"
    assert (await exchange(running, hand)).status_code == 200  # none of those spent the code


async def test_a_redirect_uri_that_was_not_registered_exactly_is_refused_without_a_redirect(
    loopback_sandbox: LoopbackSandbox, serve: Callable[..., Running]
) -> None:
    running = serve(loopback_sandbox)
    client = await register(running)
    _, challenge = pkce_pair()
    async with httpx2.AsyncClient(timeout=30, follow_redirects=False) as http:
        for uri in ("http://127.0.0.1:9/callback/extra", "http://127.0.0.1:10/callback", "http://attacker.example/cb"):
            query = {
                "response_type": "code",
                "client_id": client["client_id"],
                "redirect_uri": uri,
                "state": "s",
                "code_challenge": challenge,
                "code_challenge_method": "S256",
            }
            answer = await http.get(f"{running.base}/authorize?{urlencode(query)}")
            assert answer.status_code == 400 and "location" not in answer.headers, uri


async def test_an_authorize_request_without_pkce_s256_is_refused(
    loopback_sandbox: LoopbackSandbox, serve: Callable[..., Running]
) -> None:
    running = serve(loopback_sandbox)
    client = await register(running)
    base = {"response_type": "code", "client_id": client["client_id"], "redirect_uri": REDIRECT_URI, "state": "s"}
    async with httpx2.AsyncClient(timeout=30, follow_redirects=False) as http:
        none = await http.get(f"{running.base}/authorize?{urlencode(base)}")
        plain = await http.get(
            f"{running.base}/authorize?{urlencode({**base, 'code_challenge': 'x' * 43, 'code_challenge_method': 'plain'})}"
        )
    for answer in (none, plain):
        location = answer.headers.get("location", "")
        assert location.startswith(REDIRECT_URI) and "error=invalid_request" in location and "state=s" in location
    assert not any(r.path == "/oauth/v2/authorize" for r in loopback_sandbox.state.requests)


@pytest.fixture
def refusing_sandbox() -> Iterator[LoopbackSandbox]:
    """A sandbox whose consent page always says no."""
    state = demo_state()
    app = create_sandbox_app(state)
    app.state.oauth.deny_consent = True
    sock = free_socket()
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        yield LoopbackSandbox(state, f"http://127.0.0.1:{sock.getsockname()[1]}")
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


async def test_a_person_who_refuses_at_make_comes_back_to_the_client_with_access_denied_and_its_state(
    refusing_sandbox: LoopbackSandbox, serve: Callable[..., Running]
) -> None:
    running = serve(refusing_sandbox)
    client = await register(running)
    _, challenge = pkce_pair()
    query = {
        "response_type": "code",
        "client_id": client["client_id"],
        "redirect_uri": REDIRECT_URI,
        "state": "mine",
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    }
    browser = Browser()
    await browser.open(f"{running.base}/authorize?{urlencode(query)}")
    answer = browser.answer()
    assert answer["error"] == "access_denied" and answer["state"] == "mine" and "code" not in answer


def authorize_query(client: dict[str, Any], state: str = "s") -> str:
    _, challenge = pkce_pair()
    query = {
        "response_type": "code",
        "client_id": client["client_id"],
        "redirect_uri": REDIRECT_URI,
        "state": state,
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    }
    return urlencode(query)


async def test_the_person_is_asked_at_make_mcp_which_client_they_allow_and_denying_sends_access_denied(
    loopback_sandbox: LoopbackSandbox, serve: Callable[..., Running]
) -> None:
    running = serve(loopback_sandbox)
    async with httpx2.AsyncClient(timeout=30) as http:
        registered = await http.post(
            f"{running.base}/register", json={"redirect_uris": [REDIRECT_URI], "client_name": "Claude <b>"}
        )
        consent = await http.get(
            f"{running.base}/authorize?{authorize_query(registered.json())}", follow_redirects=True
        )
    assert "Allow Claude &lt;b&gt; to use your Make account?" in consent.text
    assert "http://127.0.0.1:9" in consent.text and "scenarios:read" in consent.text
    assert consent.headers["x-frame-options"] == "DENY"
    browser = Browser(decision="deny")
    await browser.open(f"{running.base}/authorize?{authorize_query(registered.json(), state='mine')}")
    assert browser.answer() == {
        "error": "access_denied",
        "error_description": "The person did not allow this client.",
        "state": "mine",
    }
    assert not any(r.path == "/oauth/v2/authorize" for r in loopback_sandbox.state.requests)


async def test_a_consent_posted_from_another_site_without_the_page_s_cookie_is_refused(
    loopback_sandbox: LoopbackSandbox, serve: Callable[..., Running]
) -> None:
    running = serve(loopback_sandbox)
    client = await register(running)
    async with httpx2.AsyncClient(timeout=30) as attacker:
        consent = await attacker.get(f"{running.base}/authorize?{authorize_query(client)}", follow_redirects=True)
        request_id = re.search(r"name='request' value='([^']+)'", consent.text)
        assert request_id is not None
    async with httpx2.AsyncClient(timeout=30) as victim:  # the attacker's page posts the form in the victim's browser
        posted = await victim.post(
            f"{running.base}/oauth/consent",
            data={"request": request_id.group(1), "csrf": "guessed", "decision": "allow"},
        )
    assert posted.status_code == 400 and "location" not in posted.headers


async def test_a_callback_in_a_browser_that_did_not_allow_the_sign_in_is_refused(
    loopback_sandbox: LoopbackSandbox, serve: Callable[..., Running]
) -> None:
    """The attack Make's remembered consent would allow: the attacker allows their own sign-in, then sends the
    victim straight to Make's authorize address; Make returns the victim's code to make-mcp's callback."""
    running = serve(loopback_sandbox)
    client = await register(running)
    async with httpx2.AsyncClient(timeout=30) as attacker:
        consent = await attacker.get(f"{running.base}/authorize?{authorize_query(client)}", follow_redirects=True)
        fields = dict(re.findall(r"name='(\w+)' value='([^']*)'", consent.text))
        allowed = await attacker.post(f"{running.base}/oauth/consent", data={**fields, "decision": "allow"})
    make_address = allowed.headers["location"]
    assert make_address.startswith(f"{loopback_sandbox.url}/oauth/v2/authorize?")
    async with httpx2.AsyncClient(timeout=30) as victim:
        at_make = await victim.get(make_address)
        callback = await victim.get(at_make.headers["location"])
    assert callback.status_code == 400 and "location" not in callback.headers
    assert "not allowed in this browser" in callback.text


async def test_when_make_s_token_endpoint_fails_the_client_gets_server_error_and_no_code(
    loopback_sandbox: LoopbackSandbox, serve: Callable[..., Running]
) -> None:
    running = serve(loopback_sandbox)
    client = await register(running)
    loopback_sandbox.state.faults.add(server_error(502), method="POST", path="/oauth/v2/token")
    browser = Browser()
    await browser.open(f"{running.base}/authorize?{authorize_query(client, state='mine')}")
    answer = browser.answer()
    assert answer["error"] == "server_error" and answer["state"] == "mine" and "code" not in answer
    assert "502" in answer["error_description"]
    assert SANDBOX_CLIENT_SECRET not in browser.landed  # pyright: ignore[reportOperatorIssue]


async def test_a_callback_make_did_not_send_is_refused(
    loopback_sandbox: LoopbackSandbox, serve: Callable[..., Running]
) -> None:
    running = serve(loopback_sandbox)
    async with httpx2.AsyncClient(timeout=30) as http:
        answer = await http.get(f"{running.base}/oauth/callback?code=abc&state=made-up")
    assert answer.status_code == 400 and "Start again" in answer.text


async def test_tokens_make_mcp_never_issued_are_refused_and_a_refused_one_is_not_sent_to_make_again(
    loopback_sandbox: LoopbackSandbox, serve: Callable[..., Running]
) -> None:
    running = serve(loopback_sandbox)
    forged = await post_mcp(running.mcp_url, f"Bearer {ACCESS_TOKEN_PREFIX}forged-{'x' * 40}")
    asked_before = len(loopback_sandbox.state.requests)
    foreign = await post_mcp(running.mcp_url, "Bearer eyJhbGciOiJIUzI1NiJ9.e30.another-issuer")
    asked_once = len(loopback_sandbox.state.requests)
    again = await post_mcp(running.mcp_url, "Bearer eyJhbGciOiJIUzI1NiJ9.e30.another-issuer")
    assert forged.status_code == foreign.status_code == again.status_code == 401
    assert all("resource_metadata=" in a.headers["www-authenticate"] for a in (forged, foreign, again))
    assert asked_once == asked_before + 1  # Make was asked about the foreign token once
    assert len(loopback_sandbox.state.requests) == asked_once


async def test_registration_refuses_clear_text_redirects_off_loopback(
    loopback_sandbox: LoopbackSandbox, serve: Callable[..., Running]
) -> None:
    running = serve(loopback_sandbox)
    async with httpx2.AsyncClient(timeout=30) as http:
        answer = await http.post(f"{running.base}/register", json={"redirect_uris": ["http://mcp.example.com/cb"]})
    assert answer.status_code == 400 and answer.json()["error"] == "invalid_redirect_uri"


# --- Client ID Metadata Documents: a client ID that is an HTTPS URL ---


@pytest.fixture(scope="module")
def documents(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DocumentServer]:
    yield from serve_documents(tmp_path_factory.mktemp("cimd"))


def reading_documents_from(running: Running, documents: DocumentServer) -> None:
    """Points the server's fetcher at the local document server (client.test on loopback, its test certificate)."""
    running.sign_in.documents = documents.documents_for(running.app.state.remote.state)


async def test_an_mcp_client_whose_id_is_its_metadata_url_signs_in_without_registering(
    loopback_sandbox: LoopbackSandbox, serve: Callable[..., Running], documents: DocumentServer
) -> None:
    running = serve(loopback_sandbox)
    reading_documents_from(running, documents)
    url = documents.publish("/e2e.json", client_name="Client by URL")
    browser, storage = Browser(), MemoryStorage()
    provider = oauth_provider(running.mcp_url, browser, storage, client_metadata_url=url)
    async with signed_in_client(provider, running.mcp_url) as client:
        result = await client.call_tool("scenarios_list", {"teamId": 201})
    assert not result.is_error, text_of(result)
    assert storage.client is not None and storage.client.client_id == url
    assert parse_qs(urlsplit(browser.visited[0]).query)["client_id"] == [url]
    async with httpx2.AsyncClient(timeout=30) as http:  # nothing was registered: /register was never called
        assert (await running.sign_in.get_client(url)) is not None
        consent = await http.get(browser.visited[0], follow_redirects=True)
    assert "Client by URL" in consent.text


async def test_a_metadata_url_whose_document_names_another_client_or_omits_the_redirect_uri_is_refused(
    loopback_sandbox: LoopbackSandbox, serve: Callable[..., Running], documents: DocumentServer
) -> None:
    running = serve(loopback_sandbox)
    reading_documents_from(running, documents)
    impostor = documents.publish("/impostor.json", client_id=documents.url("/e2e.json"))
    elsewhere = documents.publish("/elsewhere.json", redirect_uris=["http://127.0.0.1:10/other"])
    async with httpx2.AsyncClient(timeout=30, follow_redirects=False) as http:
        for client_id in (impostor, elsewhere):
            answer = await http.get(f"{running.base}/authorize?{authorize_query({'client_id': client_id})}")
            assert answer.status_code == 400 and "location" not in answer.headers, client_id
    assert "/impostor.json" in documents.fetched and "/elsewhere.json" in documents.fetched


async def test_in_production_a_metadata_url_on_this_host_is_never_fetched(
    loopback_sandbox: LoopbackSandbox, serve: Callable[..., Running], documents: DocumentServer
) -> None:
    running = serve(loopback_sandbox)  # the server's own fetcher: system DNS, public addresses only
    url = documents.publish("/local.json").replace("client.test", "127.0.0.1")
    async with httpx2.AsyncClient(timeout=30, follow_redirects=False) as http:
        answer = await http.get(f"{running.base}/authorize?{authorize_query({'client_id': url})}")
    assert answer.status_code == 400 and "location" not in answer.headers
    assert "/local.json" not in documents.fetched
