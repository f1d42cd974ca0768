"""Make's OAuth 2.0 endpoints in the sandbox: /oauth/v2/authorize, /oauth/v2/token and /oauth/v2/revoke.

Enough of Make's authorization server for `make-mcp login` and token renewal to run for real:
- authorize stands in for the consent page: the demo user is signed in and agrees at once (unless a test
  sets `deny_consent`), and the browser is sent back to the loopback redirect with a code and the state;
- codes are single-use, live 5 minutes, and are bound to the client, the redirect URI and the PKCE
  challenge (S256 only; required from public clients);
- access tokens live 5 minutes on the sandbox clock and are registered with `SandboxState.add_token`
  with the granted scopes, so the API takes them as Bearer tokens until they expire;
- confidential clients (with a secret) also get a refresh token (6 months), which is rotated on each use;
  public clients get none, as Make's documentation says for PKCE-only clients;
- revoke (RFC 7009) ends a whole grant when given one of its refresh tokens (its access tokens stop working
  too), or one access token; unknown tokens answer 200 as well, wrong client credentials 401.
Errors follow OAuth 2.0: {"error": ..., "error_description": ...}.
"""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from make_mcp.server.sandbox.demo import every_scope
from make_mcp.server.sandbox.state import RecordedRequest, SandboxState

AUTHORIZE_PATH = "/oauth/v2/authorize"
TOKEN_PATH = "/oauth/v2/token"
REVOKE_PATH = "/oauth/v2/revoke"

SANDBOX_CLIENT_ID = "make-mcp-sandbox"  # a public client: PKCE, no refresh token
SANDBOX_CONFIDENTIAL_CLIENT_ID = "make-mcp-sandbox-confidential"
SANDBOX_CLIENT_SECRET = "sandbox-client-secret-5f2b9c"

ACCESS_TOKEN_SECONDS = 300  # Make's documented lifetimes
CODE_SECONDS = 300
REFRESH_TOKEN_SECONDS = 183 * 24 * 3600

LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")
PKCE_VERIFIER = re.compile(r"^[A-Za-z0-9\-._~]{43,128}$")
PKCE_CHALLENGE = re.compile(r"^[A-Za-z0-9\-_]{43}$")
SECRET_FORM_FIELDS = ("code", "code_verifier", "client_secret", "refresh_token", "token")


@dataclass
class _Code:
    client_id: str
    redirect_uri: str
    scopes: tuple[str, ...]
    challenge: str | None
    expires_at: float


@dataclass
class _Refresh:
    client_id: str
    scopes: tuple[str, ...]
    expires_at: float
    grant: str  # the sign-in it came from: kept through rotations


@dataclass
class SandboxOAuth:
    """The authorization server's state; its access tokens live in `state.tokens` like any other."""

    state: SandboxState
    clients: dict[str, str | None] = field(
        default_factory=lambda: {SANDBOX_CLIENT_ID: None, SANDBOX_CONFIDENTIAL_CLIENT_ID: SANDBOX_CLIENT_SECRET}
    )
    deny_consent: bool = False
    _codes: dict[str, _Code] = field(default_factory=dict[str, _Code])
    _refresh_tokens: dict[str, _Refresh] = field(default_factory=dict[str, _Refresh])
    _access_expiry: dict[str, float] = field(default_factory=dict[str, float])
    _access_grant: dict[str, str] = field(default_factory=dict[str, str])

    def routes(self) -> list[Route]:
        return [
            Route(AUTHORIZE_PATH, self.authorize, methods=["GET"]),
            Route(TOKEN_PATH, self.token, methods=["POST"]),
            Route(REVOKE_PATH, self.revoke, methods=["POST"]),
        ]

    def drop_expired(self) -> None:
        """Forgets access tokens past their lifetime, so the API answers them with 401."""
        now = self.state.clock()
        for token, expires_at in list(self._access_expiry.items()):
            if now >= expires_at:
                self.state.tokens.pop(token, None)
                del self._access_expiry[token]
                self._access_grant.pop(token, None)

    # --- GET /oauth/v2/authorize ---

    async def authorize(self, request: Request) -> Response:
        query = dict(request.query_params)
        self._record(request, [(k, v) for k, v in request.query_params.multi_items()], None)
        fault = self.state.faults.take(request.method, request.url.path)
        if fault is not None:
            return fault.fault.response()
        client_id, redirect_uri = query.get("client_id", ""), query.get("redirect_uri", "")
        # Without a known client and a redirect URI it may use, the browser must not be sent anywhere.
        if client_id not in self.clients:
            return _error(400, "invalid_client", "Unknown client_id.")
        if not _is_loopback_redirect(redirect_uri):
            return _error(
                400, "invalid_request", "redirect_uri must be a loopback address (http://127.0.0.1:<port>/...)."
            )

        def back(**params: str) -> Response:
            if "state" in query:
                params["state"] = query["state"]
            joiner = "&" if "?" in redirect_uri else "?"
            return RedirectResponse(f"{redirect_uri}{joiner}{urlencode(params)}", status_code=302)

        if query.get("response_type") != "code":
            return back(error="unsupported_response_type", error_description="Only response_type=code is supported.")
        scopes = _split(query.get("scope", ""))
        unknown = sorted(set(scopes) - every_scope() - {"openid"})
        if not scopes or unknown:
            detail = f"Unknown scopes: {', '.join(unknown)}." if unknown else "No scope requested."
            return back(error="invalid_scope", error_description=detail)
        challenge, method = query.get("code_challenge"), query.get("code_challenge_method")
        if challenge is not None or method is not None:
            if method != "S256":
                return back(error="invalid_request", error_description="code_challenge_method must be S256.")
            if challenge is None or not PKCE_CHALLENGE.match(challenge):
                return back(error="invalid_request", error_description="code_challenge is not a S256 challenge.")
        elif self.clients[client_id] is None:
            return back(error="invalid_request", error_description="Public clients must use PKCE (code_challenge).")
        if self.deny_consent:
            return back(error="access_denied", error_description="The user did not allow access.")
        code = secrets.token_urlsafe(32)
        self._codes[code] = _Code(client_id, redirect_uri, scopes, challenge, self.state.clock() + CODE_SECONDS)
        return back(code=code)

    # --- POST /oauth/v2/token ---

    async def token(self, request: Request) -> Response:
        raw = (await request.body()).decode("utf-8", errors="replace")
        form = dict(parse_qsl(raw, keep_blank_values=True))
        recorded = {key: ("[redacted]" if key in SECRET_FORM_FIELDS else value) for key, value in form.items()}
        self._record(request, [], recorded)
        fault = self.state.faults.take(request.method, request.url.path)
        if fault is not None:
            return fault.fault.response()
        client_id = form.get("client_id", "")
        refused = self._refused_client(form)
        if refused is not None:
            return refused
        grant_type = form.get("grant_type")
        if grant_type == "authorization_code":
            return self._code_grant(form, client_id)
        if grant_type == "refresh_token":
            return self._refresh_grant(form, client_id)
        return _error(400, "unsupported_grant_type", "grant_type must be authorization_code or refresh_token.")

    def _code_grant(self, form: dict[str, str], client_id: str) -> Response:
        code = self._codes.pop(form.get("code", ""), None)  # single use, even when the attempt fails
        if code is None or code.client_id != client_id:
            return _error(400, "invalid_grant", "The authorization code is unknown or was already used.")
        if self.state.clock() >= code.expires_at:
            return _error(400, "invalid_grant", "The authorization code expired.")
        if form.get("redirect_uri", code.redirect_uri) != code.redirect_uri:
            return _error(400, "invalid_grant", "redirect_uri differs from the one of the authorization request.")
        if code.challenge is not None:
            verifier = form.get("code_verifier", "")
            if not PKCE_VERIFIER.match(verifier):
                return _error(400, "invalid_request", "code_verifier must be 43-128 unreserved characters.")
            if not secrets.compare_digest(_s256(verifier), code.challenge):
                return _error(400, "invalid_grant", "code_verifier does not match the code_challenge.")
        return self._issue(client_id, code.scopes, secrets.token_urlsafe(16))

    def _refresh_grant(self, form: dict[str, str], client_id: str) -> Response:
        presented = form.get("refresh_token", "")
        refresh = self._refresh_tokens.get(presented)
        if refresh is None or refresh.client_id != client_id:
            return _error(400, "invalid_grant", "The refresh token is unknown, revoked or was already used.")
        if self.state.clock() >= refresh.expires_at:
            del self._refresh_tokens[presented]
            return _error(400, "invalid_grant", "The refresh token expired.")
        del self._refresh_tokens[presented]  # rotated: each refresh token works once
        return self._issue(client_id, refresh.scopes, refresh.grant)

    def _issue(self, client_id: str, scopes: tuple[str, ...], grant: str) -> Response:
        now = self.state.clock()
        access = "sbx-at-" + secrets.token_urlsafe(32)
        self.state.add_token(access, scopes)
        self._access_expiry[access] = now + ACCESS_TOKEN_SECONDS
        self._access_grant[access] = grant
        body: dict[str, Any] = {
            "access_token": access,
            "token_type": "Bearer",
            "expires_in": ACCESS_TOKEN_SECONDS,
            "scope": " ".join(scopes),
        }
        if self.clients[client_id] is not None:
            refresh = "sbx-rt-" + secrets.token_urlsafe(32)
            self._refresh_tokens[refresh] = _Refresh(client_id, scopes, now + REFRESH_TOKEN_SECONDS, grant)
            body["refresh_token"] = refresh
        return JSONResponse(body, headers={"Cache-Control": "no-store"})

    def _refused_client(self, form: dict[str, str]) -> Response | None:
        client_id = form.get("client_id", "")
        if client_id not in self.clients:
            return _error(401, "invalid_client", "Unknown client_id.")
        secret = self.clients[client_id]
        if secret is not None and not secrets.compare_digest(form.get("client_secret", ""), secret):
            return _error(401, "invalid_client", "Wrong or missing client_secret.")
        return None

    # --- POST /oauth/v2/revoke ---

    async def revoke(self, request: Request) -> Response:
        raw = (await request.body()).decode("utf-8", errors="replace")
        form = dict(parse_qsl(raw, keep_blank_values=True))
        recorded = {key: ("[redacted]" if key in SECRET_FORM_FIELDS else value) for key, value in form.items()}
        self._record(request, [], recorded)
        fault = self.state.faults.take(request.method, request.url.path)
        if fault is not None:
            return fault.fault.response()
        refused = self._refused_client(form)
        if refused is not None:
            return refused
        presented = form.get("token", "")
        refresh = self._refresh_tokens.get(presented)
        if refresh is not None and refresh.client_id == form["client_id"]:
            self._end_grant(refresh.grant)
        elif presented in self._access_grant:
            self.state.tokens.pop(presented, None)
            self._access_expiry.pop(presented, None)
            del self._access_grant[presented]
        # Unknown, already revoked or another client's: 200 all the same (RFC 7009 section 2.2).
        return Response(status_code=200, headers={"Cache-Control": "no-store"})

    def _end_grant(self, grant: str) -> None:
        for token, refresh in list(self._refresh_tokens.items()):
            if refresh.grant == grant:
                del self._refresh_tokens[token]
        for token, of in list(self._access_grant.items()):
            if of == grant:
                self.state.tokens.pop(token, None)
                self._access_expiry.pop(token, None)
                del self._access_grant[token]

    def revoke_refresh_tokens(self) -> None:
        """As when the user revokes the grant in Make (Profile > API access)."""
        self._refresh_tokens.clear()

    def _record(self, request: Request, query: list[tuple[str, str]], body: Any) -> None:
        headers = {name: value for name, value in request.headers.items() if name != "authorization"}
        self.state.requests.append(RecordedRequest(request.method, request.url.path, query, body, headers))


def _split(text: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(text.replace(",", " ").split()))


def _s256(verifier: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode("ascii")).digest()).rstrip(b"=").decode("ascii")


def _is_loopback_redirect(uri: str) -> bool:
    parts = urlsplit(uri)
    return parts.scheme == "http" and parts.hostname in LOOPBACK_HOSTS and not parts.fragment


def _error(status: int, error: str, description: str) -> JSONResponse:
    return JSONResponse({"error": error, "error_description": description}, status_code=status)
