"""The sandbox's OAuth 2.0 endpoints, in process: authorize, the code and refresh grants, token lifetimes."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx2
import pytest

from make_mcp.server.make_api.auth import pkce_pair
from make_mcp.server.sandbox import create_sandbox_app, demo_state
from make_mcp.server.sandbox.faults import server_error
from make_mcp.server.sandbox.oauth import (
    ACCESS_TOKEN_SECONDS,
    CODE_SECONDS,
    SANDBOX_CLIENT_ID,
    SANDBOX_CLIENT_SECRET,
    SANDBOX_CONFIDENTIAL_CLIENT_ID,
    SandboxOAuth,
)
from tests.server.sandbox.support import FakeClock

REDIRECT = "http://127.0.0.1:8400/callback"


class OAuthSandbox:
    def __init__(self) -> None:
        self.clock = FakeClock()
        self.state = demo_state(clock=self.clock)
        self.app = create_sandbox_app(self.state)
        self.oauth: SandboxOAuth = self.app.state.oauth
        self.verifier, self.challenge = pkce_pair()
        self.http = httpx2.AsyncClient(transport=httpx2.ASGITransport(app=self.app), base_url="http://sandbox")

    async def authorize(self, **overrides: str | None) -> httpx2.Response:
        query: dict[str, str | None] = {
            "client_id": SANDBOX_CLIENT_ID,
            "response_type": "code",
            "redirect_uri": REDIRECT,
            "scope": "scenarios:read teams:read",
            "state": "xyz",
            "code_challenge": self.challenge,
            "code_challenge_method": "S256",
        }
        query.update(overrides)
        return await self.http.get("/oauth/v2/authorize", params={k: v for k, v in query.items() if v is not None})

    async def code(self, **overrides: str | None) -> str:
        answer = redirected(await self.authorize(**overrides))
        return answer["code"]

    async def token(self, **form: str) -> httpx2.Response:
        return await self.http.post("/oauth/v2/token", data=form)

    async def exchange(self, code: str, **overrides: str) -> httpx2.Response:
        form = {
            "grant_type": "authorization_code",
            "code": code,
            "client_id": SANDBOX_CLIENT_ID,
            "redirect_uri": REDIRECT,
            "code_verifier": self.verifier,
        }
        form.update(overrides)
        return await self.token(**form)

    async def api(self, path: str, access_token: str) -> httpx2.Response:
        return await self.http.get(f"/api/v2{path}", headers={"Authorization": f"Bearer {access_token}"})


@asynccontextmanager
async def oauth_sandbox() -> AsyncIterator[OAuthSandbox]:
    sandbox = OAuthSandbox()
    async with sandbox.http:
        yield sandbox


def redirected(response: httpx2.Response) -> dict[str, str]:
    assert response.status_code == 302, response.text
    location = urlsplit(response.headers["location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == REDIRECT
    return {key: values[0] for key, values in parse_qs(location.query).items()}


async def test_authorize_sends_the_browser_back_with_a_code_and_the_state() -> None:
    async with oauth_sandbox() as sandbox:
        answer = redirected(await sandbox.authorize())
    assert answer["state"] == "xyz" and len(answer["code"]) > 20


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"response_type": "token"}, "unsupported_response_type"),
        ({"scope": "scenarios:read not-a:scope"}, "invalid_scope"),
        ({"scope": ""}, "invalid_scope"),
        ({"code_challenge_method": "plain"}, "invalid_request"),
        ({"code_challenge": "too-short"}, "invalid_request"),
        ({"code_challenge": None, "code_challenge_method": None}, "invalid_request"),  # a public client needs PKCE
    ],
)
async def test_authorize_reports_bad_requests_to_the_redirect_uri(overrides: dict[str, Any], error: str) -> None:
    async with oauth_sandbox() as sandbox:
        answer = redirected(await sandbox.authorize(**overrides))
    assert answer["error"] == error and answer["state"] == "xyz" and "code" not in answer


@pytest.mark.parametrize(
    "overrides",
    [{"client_id": "nobody"}, {"redirect_uri": "https://attacker.example/cb"}, {"redirect_uri": None}],
)
async def test_authorize_never_redirects_for_an_unknown_client_or_a_non_loopback_redirect(
    overrides: dict[str, Any],
) -> None:
    async with oauth_sandbox() as sandbox:
        response = await sandbox.authorize(**overrides)
    assert response.status_code == 400 and "location" not in response.headers
    assert response.json()["error"] in ("invalid_client", "invalid_request")


async def test_a_user_who_denies_consent_sends_back_access_denied() -> None:
    async with oauth_sandbox() as sandbox:
        sandbox.oauth.deny_consent = True
        answer = redirected(await sandbox.authorize())
    assert answer["error"] == "access_denied"


async def test_the_code_buys_a_bearer_token_with_exactly_the_granted_scopes() -> None:
    async with oauth_sandbox() as sandbox:
        issued = await sandbox.exchange(await sandbox.code())
        body = issued.json()
        teams = await sandbox.api("/teams?organizationId=101", body["access_token"])
        hooks = await sandbox.api("/hooks?teamId=201", body["access_token"])
        me = await sandbox.api("/users/me/current-authorization", body["access_token"])
    assert issued.status_code == 200 and issued.headers["cache-control"] == "no-store"
    assert body["token_type"] == "Bearer" and body["expires_in"] == ACCESS_TOKEN_SECONDS
    assert body["scope"] == "scenarios:read teams:read"
    assert "refresh_token" not in body  # a public client gets none
    assert teams.status_code == 200
    assert hooks.status_code == 403
    assert sorted(me.json()["authorization"]["scope"]) == ["scenarios:read", "teams:read"]


async def test_a_code_works_once() -> None:
    async with oauth_sandbox() as sandbox:
        code = await sandbox.code()
        first = await sandbox.exchange(code)
        second = await sandbox.exchange(code)
    assert first.status_code == 200
    assert second.status_code == 400 and second.json()["error"] == "invalid_grant"


async def test_a_code_expires_after_five_minutes_on_the_sandbox_clock() -> None:
    async with oauth_sandbox() as sandbox:
        code = await sandbox.code()
        sandbox.clock.advance(CODE_SECONDS)
        late = await sandbox.exchange(code)
    assert late.status_code == 400 and late.json()["error"] == "invalid_grant"


@pytest.mark.parametrize(
    ("overrides", "status", "error"),
    [
        ({"code_verifier": pkce_pair()[0]}, 400, "invalid_grant"),  # another login's verifier
        ({"code_verifier": "short"}, 400, "invalid_request"),
        ({"redirect_uri": "http://127.0.0.1:9999/callback"}, 400, "invalid_grant"),
        ({"client_id": SANDBOX_CONFIDENTIAL_CLIENT_ID}, 401, "invalid_client"),  # no secret
        ({"grant_type": "password"}, 400, "unsupported_grant_type"),
    ],
)
async def test_a_code_exchange_that_does_not_match_the_authorization_fails(
    overrides: dict[str, str], status: int, error: str
) -> None:
    async with oauth_sandbox() as sandbox:
        refused = await sandbox.exchange(await sandbox.code(), **overrides)
    assert refused.status_code == status and refused.json()["error"] == error


async def test_access_tokens_expire_after_five_minutes_on_the_sandbox_clock() -> None:
    async with oauth_sandbox() as sandbox:
        token = (await sandbox.exchange(await sandbox.code())).json()["access_token"]
        sandbox.clock.advance(ACCESS_TOKEN_SECONDS - 1)
        still = await sandbox.api("/teams?organizationId=101", token)
        sandbox.clock.advance(1)
        expired = await sandbox.api("/teams?organizationId=101", token)
    assert still.status_code == 200
    assert expired.status_code == 401 and expired.json()["code"] == "SC401"


async def confidential_tokens(sandbox: OAuthSandbox) -> dict[str, Any]:
    code = await sandbox.code(client_id=SANDBOX_CONFIDENTIAL_CLIENT_ID, code_challenge=None, code_challenge_method=None)
    issued = await sandbox.token(
        grant_type="authorization_code",
        code=code,
        client_id=SANDBOX_CONFIDENTIAL_CLIENT_ID,
        client_secret=SANDBOX_CLIENT_SECRET,
        redirect_uri=REDIRECT,
    )
    assert issued.status_code == 200, issued.text
    return issued.json()


async def test_a_confidential_client_gets_a_refresh_token_that_renews_and_is_rotated() -> None:
    async with oauth_sandbox() as sandbox:
        first = await confidential_tokens(sandbox)
        sandbox.clock.advance(ACCESS_TOKEN_SECONDS + 1)
        form = {"grant_type": "refresh_token", "client_id": SANDBOX_CONFIDENTIAL_CLIENT_ID}
        renewed = await sandbox.token(**form, client_secret=SANDBOX_CLIENT_SECRET, refresh_token=first["refresh_token"])
        reused = await sandbox.token(**form, client_secret=SANDBOX_CLIENT_SECRET, refresh_token=first["refresh_token"])
        no_secret = await sandbox.token(**form, refresh_token=renewed.json()["refresh_token"])
        works = await sandbox.api("/teams?organizationId=101", renewed.json()["access_token"])
    assert renewed.status_code == 200 and renewed.json()["refresh_token"] != first["refresh_token"]
    assert reused.status_code == 400 and reused.json()["error"] == "invalid_grant"
    assert no_secret.status_code == 401 and no_secret.json()["error"] == "invalid_client"
    assert works.status_code == 200


async def test_refresh_tokens_expire_and_can_be_revoked() -> None:
    async with oauth_sandbox() as sandbox:
        form = {
            "grant_type": "refresh_token",
            "client_id": SANDBOX_CONFIDENTIAL_CLIENT_ID,
            "client_secret": SANDBOX_CLIENT_SECRET,
        }
        old = await confidential_tokens(sandbox)
        sandbox.clock.advance(200 * 24 * 3600)
        expired = await sandbox.token(**form, refresh_token=old["refresh_token"])
        revoked_one = await confidential_tokens(sandbox)
        sandbox.oauth.revoke_refresh_tokens()
        revoked = await sandbox.token(**form, refresh_token=revoked_one["refresh_token"])
    assert expired.json()["error"] == "invalid_grant" and "expired" in expired.json()["error_description"]
    assert revoked.json()["error"] == "invalid_grant"


async def test_token_requests_are_recorded_without_their_secrets_and_take_scripted_faults() -> None:
    async with oauth_sandbox() as sandbox:
        sandbox.state.faults.add(server_error(), path="/oauth/v2/token")
        failed = await sandbox.exchange(await sandbox.code())
    recorded = [r for r in sandbox.state.requests if r.path == "/oauth/v2/token"]
    assert failed.status_code == 500
    assert recorded[0].body["grant_type"] == "authorization_code"
    assert recorded[0].body["code"] == "[redacted]" and recorded[0].body["code_verifier"] == "[redacted]"
    assert sandbox.verifier not in str(recorded)


async def revoke(sandbox: OAuthSandbox, token: str, **overrides: str) -> httpx2.Response:
    form = {
        "token": token,
        "token_type_hint": "refresh_token",
        "client_id": SANDBOX_CONFIDENTIAL_CLIENT_ID,
        "client_secret": SANDBOX_CLIENT_SECRET,
        **overrides,
    }
    return await sandbox.http.post("/oauth/v2/revoke", data=form)


async def test_revoking_a_refresh_token_ends_the_grant_its_renewed_tokens_and_access_tokens_included() -> None:
    async with oauth_sandbox() as sandbox:
        first = await confidential_tokens(sandbox)
        other = await confidential_tokens(sandbox)  # another sign-in of the same client
        form = {
            "grant_type": "refresh_token",
            "client_id": SANDBOX_CONFIDENTIAL_CLIENT_ID,
            "client_secret": SANDBOX_CLIENT_SECRET,
        }
        renewed = (await sandbox.token(**form, refresh_token=first["refresh_token"])).json()
        revoked = await revoke(sandbox, renewed["refresh_token"])
        refresh_after = await sandbox.token(**form, refresh_token=renewed["refresh_token"])
        old_access = await sandbox.api("/teams?organizationId=101", first["access_token"])
        new_access = await sandbox.api("/teams?organizationId=101", renewed["access_token"])
        other_access = await sandbox.api("/teams?organizationId=101", other["access_token"])
        other_refresh = await sandbox.token(**form, refresh_token=other["refresh_token"])
    assert revoked.status_code == 200
    assert refresh_after.status_code == 400 and refresh_after.json()["error"] == "invalid_grant"
    assert old_access.status_code == 401 and new_access.status_code == 401
    assert other_access.status_code == 200 and other_refresh.status_code == 200


async def test_revoking_an_access_token_ends_that_token_only() -> None:
    async with oauth_sandbox() as sandbox:
        tokens = await confidential_tokens(sandbox)
        revoked = await revoke(sandbox, tokens["access_token"], token_type_hint="access_token")
        access = await sandbox.api("/teams?organizationId=101", tokens["access_token"])
        renewed = await sandbox.token(
            grant_type="refresh_token",
            client_id=SANDBOX_CONFIDENTIAL_CLIENT_ID,
            client_secret=SANDBOX_CLIENT_SECRET,
            refresh_token=tokens["refresh_token"],
        )
    assert revoked.status_code == 200 and access.status_code == 401
    assert renewed.status_code == 200


async def test_revoke_answers_200_for_unknown_tokens_and_401_for_a_wrong_client_secret() -> None:
    async with oauth_sandbox() as sandbox:
        tokens = await confidential_tokens(sandbox)
        unknown = await revoke(sandbox, "sbx-rt-never-issued")
        wrong_secret = await revoke(sandbox, tokens["refresh_token"], client_secret="not-it")
        still = await sandbox.token(
            grant_type="refresh_token",
            client_id=SANDBOX_CONFIDENTIAL_CLIENT_ID,
            client_secret=SANDBOX_CLIENT_SECRET,
            refresh_token=tokens["refresh_token"],
        )
    assert unknown.status_code == 200
    assert wrong_secret.status_code == 401 and wrong_secret.json()["error"] == "invalid_client"
    assert still.status_code == 200


async def test_revoke_requests_are_recorded_without_the_token_and_take_scripted_faults() -> None:
    async with oauth_sandbox() as sandbox:
        tokens = await confidential_tokens(sandbox)
        sandbox.state.faults.add(server_error(), path="/oauth/v2/revoke")
        failed = await revoke(sandbox, tokens["refresh_token"])
    recorded = [r for r in sandbox.state.requests if r.path == "/oauth/v2/revoke"]
    assert failed.status_code == 500
    assert recorded[0].body["token"] == "[redacted]" and recorded[0].body["token_type_hint"] == "refresh_token"
    assert tokens["refresh_token"] not in str(recorded)
