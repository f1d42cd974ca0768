"""Sign in with Make from any MCP client: make-mcp is the OAuth 2.1 authorization server its clients see.

Make's OAuth 2.0 has no dynamic client registration, so MCP clients cannot sign in there directly. Instead
make-mcp (MAKE_PUBLIC_URL, with its own Make OAuth client MAKE_CLIENT_ID / MAKE_CLIENT_SECRET) publishes
protected resource metadata (RFC 9728) and authorization server metadata (RFC 8414), registers clients
dynamically (RFC 7591), and answers /authorize with a consent page of its own naming the MCP client (Make's
consent names only make-mcp, and Make may skip it once given), then sends the person on to Make. Make sends
them back to /oauth/callback, which accepts only the browser that allowed the sign-in; make-mcp exchanges Make's code, keeps Make's tokens as a grant, and hands the
MCP client a code of its own, then access and refresh tokens of its own bound to that grant. Make's tokens
never leave the server: each request with one of make-mcp's access tokens is served with the grant's current
Make access token, renewed shortly before it expires (by make_mcp.server.make_api.auth.OAuthCredentials), one renewal per grant
at a time across every instance sharing the state.

The protocol steps (PKCE S256, exact redirect URI matching, state, client authentication, error answers) are
the mcp SDK's handlers (mcp.server.auth); this module is the provider behind them and the callback.
Codes and refresh tokens work once: a replay revokes the grant they came from. A grant revoked (by the
client's /revoke or a replay) is revoked at Make too (RFC 7009), so Make's refresh token ends with it; Make
failing there only leaves a warning. Tokens are kept only as SHA-256 hashes; Make's tokens are sealed with
MAKE_STATE_KEY when the state is shared.
"""

from __future__ import annotations

import hashlib
import html
import logging
import secrets
import time
from collections.abc import Callable, Sequence
from urllib.parse import urlencode, urlsplit

import anyio
import httpx2
from mcp.server.auth.handlers.metadata import MetadataHandler
from mcp.server.auth.provider import (
    AccessToken,
    AuthorizationCode,
    AuthorizationParams,
    AuthorizeError,
    IdentityAssertionParams,
    RefreshToken,
    RegistrationError,
    TokenError,
    construct_redirect_uri,
)
from mcp.server.auth.routes import (
    build_metadata,
    build_resource_metadata_url,
    cors_middleware,
    create_auth_routes,
    create_protected_resource_routes,
)
from mcp.server.auth.settings import ClientRegistrationOptions, RevocationOptions
from mcp.shared.auth import OAuthClientInformationFull, OAuthMetadata, OAuthToken
from pydantic import AnyHttpUrl, BaseModel, ConfigDict
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from make_mcp.server.engine.selection import default_scopes
from make_mcp.server.http.client_metadata import ClientMetadataDocuments, is_client_id_url
from make_mcp.server.http.gateway import GRANT_SCOPE_KEY, MCP_PATH, Unauthorized, parse_authorization, refusal_response
from make_mcp.server.make_api.auth import (
    REFRESH_SKEW_SECONDS,
    CodeExchange,
    LoginRequired,
    OAuthCredentials,
    StoredTokens,
    TokenEndpointRefused,
    authorize_url,
    exchange_code,
    pkce_pair,
    revoke_url,
    s256,
    tokens_from,
)
from make_mcp.server.make_api.client import USER_AGENT
from make_mcp.server.make_api.wire import AiohttpTransport
from make_mcp.server.support.config import Settings
from make_mcp.server.support.state import Sealer, SharedState, StateUnavailable

log = logging.getLogger("make_mcp.remote_auth")

CALLBACK_PATH = "/oauth/callback"
AUTH_METADATA_PATH = "/.well-known/oauth-authorization-server"
CONSENT_PATH = "/oauth/consent"
CONSENT_COOKIE = "make_mcp_consent"
ACCESS_TOKEN_PREFIX = "mcp_at_"
REFRESH_TOKEN_PREFIX = "mcp_rt_"
ACCESS_TOKEN_SECONDS = 3600
REFRESH_TOKEN_SECONDS = 30 * 24 * 3600
CODE_SECONDS = 300
SIGN_IN_SECONDS = 600  # time the person has at Make's consent page
GRANT_SECONDS = 183 * 24 * 3600  # Make's refresh tokens live six months
CLIENT_SECONDS = 180 * 24 * 3600  # a registration unused this long is forgotten
SPENT_SECONDS = 24 * 3600  # how long a used code or refresh token is recognized when replayed
MAKE_REVOKE_SECONDS = 10.0  # at most this long is the client's /revoke kept waiting for Make's
REFUSED_REDIRECT_SCHEMES = ("javascript", "data", "file", "vbscript")


class GrantCode(AuthorizationCode):
    grant_id: str


class GrantAccessToken(AccessToken):
    grant_id: str


class GrantRefreshToken(RefreshToken):
    grant_id: str


class _SignIn(BaseModel):
    """An authorization request waiting for the person to come back from Make."""

    client_id: str
    params: AuthorizationParams
    verifier: str  # make-mcp's own PKCE verifier towards Make
    scopes: list[str]
    browser: str | None = None  # SHA-256 of the consent cookie of the browser that allowed it


class Grant(BaseModel):
    """One person's sign-in: Make's tokens, which make-mcp's tokens of this grant stand for."""

    make: dict[str, object]  # StoredTokens.to_json()

    def tokens(self) -> StoredTokens | None:
        return StoredTokens.from_json(self.make)


class _Url(BaseModel):
    model_config = ConfigDict(url_preserve_empty_path=True)  # the issuer is compared as a string: no added "/"
    url: AnyHttpUrl


def _url(text: str) -> AnyHttpUrl:
    return _Url.model_validate({"url": text}).url


def _hashed(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class MakeSignIn:
    """The authorization server provider (mcp.server.auth's protocol) in front of Make, and the callback."""

    def __init__(
        self,
        settings: Settings,
        state: SharedState,
        sealer: Sealer,
        *,
        paths: Sequence[str] = (MCP_PATH,),
        scopes: Sequence[str] | None = None,
        clock: Callable[[], float] = time.time,
        transport: httpx2.AsyncBaseTransport | None = None,
    ) -> None:
        """`paths`: the MCP endpoints served (/mcp and each profile's), each a protected resource of its own;
        `scopes`: the Make scopes offered (default: those of the settings' toolsets)."""
        assert settings.public_url is not None and settings.client_id is not None
        self.settings = settings
        self.issuer = _url(settings.public_url)
        self.resources = {path: _url(f"{settings.public_url}{path}") for path in paths}
        self.scopes = list(scopes) if scopes is not None else list(default_scopes(settings))
        self.callback_url = f"{settings.public_url}{CALLBACK_PATH}"
        self._state = state
        self._sealer = sealer
        self.clock = clock
        self._transport = transport
        secret = settings.client_secret
        self._client_secret = None if secret is None else secret.get_secret_value()
        self.documents = ClientMetadataDocuments(state, redirect_uri_problem=redirect_uri_problem)

    # --- Registered clients ---

    async def get_client(self, client_id: str) -> OAuthClientInformationFull | None:
        """A registered client, or the one an HTTPS client ID's metadata document describes."""
        if is_client_id_url(client_id):
            client = await self.documents.client(client_id)
            return None if client is None else self._offered_scopes_only(client)
        raw = await self._state.get(f"client:{client_id}")
        return None if raw is None else OAuthClientInformationFull.model_validate_json(raw)

    def _offered_scopes_only(self, client: OAuthClientInformationFull) -> OAuthClientInformationFull:
        """A document's client may ask for the scopes it names (all offered ones if none), as registration allows."""
        asked = client.scope.split() if client.scope else self.scopes
        return client.model_copy(update={"scope": " ".join(scope for scope in asked if scope in self.scopes)})

    async def register_client(self, client_info: OAuthClientInformationFull) -> None:
        problem = redirect_uri_problem(client_info)
        if problem is not None:
            raise RegistrationError("invalid_redirect_uri", problem)
        await self._state.put(f"client:{client_info.client_id}", client_info.model_dump_json().encode(), CLIENT_SECONDS)

    # --- /authorize, then Make, then /oauth/callback ---

    async def authorize(self, client: OAuthClientInformationFull, params: AuthorizationParams) -> str:
        if params.resource is not None and not any(self.is_resource(params.resource, path) for path in self.resources):
            served = ", ".join(str(url) for url in self.resources.values())
            raise AuthorizeError("invalid_target", f"this server's resources are {served}")
        scopes = params.scopes or self.scopes
        unknown = sorted(set(scopes) - set(self.scopes))
        if unknown:
            raise AuthorizeError("invalid_scope", f"not offered here: {' '.join(unknown)}")
        verifier, _ = pkce_pair()
        sign_in_id = secrets.token_urlsafe(32)
        pending = _SignIn(client_id=client.client_id or "", params=params, verifier=verifier, scopes=scopes)
        await self._state.put(f"signin:{sign_in_id}", pending.model_dump_json().encode(), SIGN_IN_SECONDS)
        return f"{self.settings.public_url}{CONSENT_PATH}?{urlencode({'request': sign_in_id})}"

    async def consent_page(self, request: Request) -> Response:
        """Asks the person whether this MCP client may act for them: Make's own consent names only make-mcp, and
        Make may not ask again, so without this page any registered client could obtain anyone's grant."""
        sign_in_id = request.query_params.get("request", "")
        raw = await self._state.get(f"signin:{sign_in_id}")
        if raw is None:
            return _page(400, "This sign-in is unknown or expired. Start again from your MCP client.")
        pending = _SignIn.model_validate_json(raw)
        client = await self.get_client(pending.client_id)
        name = (client.client_name if client is not None else None) or "An MCP client that gave no name"
        nonce = request.cookies.get(CONSENT_COOKIE) or secrets.token_urlsafe(32)
        where = urlsplit(str(pending.params.redirect_uri))
        rows = "".join(f"<li>{html.escape(scope)}</li>" for scope in pending.scopes)
        body = (
            f"<h1>Allow {html.escape(name)} to use your Make account?</h1>"
            f"<p>It will be sent back to <b>{html.escape(f'{where.scheme}://{where.netloc}')}</b> and act for you "
            f"through make-mcp with these Make scopes:</p><ul>{rows}</ul>"
            "<p>Allow it only if you started this sign-in from that client just now.</p>"
            f"<form method='post' action='{CONSENT_PATH}'>"
            f"<input type='hidden' name='request' value='{html.escape(sign_in_id, quote=True)}'>"
            f"<input type='hidden' name='csrf' value='{html.escape(nonce, quote=True)}'>"
            "<button name='decision' value='allow'>Allow and continue to Make</button> "
            "<button name='decision' value='deny'>Deny</button></form>"
        )
        page = _page(200, body, markup=True)
        self._set_consent_cookie(page, nonce)
        return page

    async def consent(self, request: Request) -> Response:
        """The person's answer: on to Make's consent page, or back to the client with access_denied."""
        form = await request.form()
        sign_in_id, csrf, decision = (str(form.get(name, "")) for name in ("request", "csrf", "decision"))
        cookie = request.cookies.get(CONSENT_COOKIE, "")
        # The form must come from the page this browser was shown (its cookie): never from another site's form.
        if not cookie or not secrets.compare_digest(cookie, csrf):
            return _page(400, "This answer did not come from the sign-in page in this browser; nothing was done.")
        raw = await self._state.get(f"signin:{sign_in_id}")
        if raw is None:
            return _page(400, "This sign-in is unknown or expired. Start again from your MCP client.")
        pending = _SignIn.model_validate_json(raw)
        if decision != "allow":
            await self._state.delete(f"signin:{sign_in_id}")
            target = construct_redirect_uri(
                str(pending.params.redirect_uri),
                error="access_denied",
                error_description="The person did not allow this client.",
                state=pending.params.state,
            )
            return RedirectResponse(target, status_code=302, headers={"Cache-Control": "no-store"})
        allowed = pending.model_copy(update={"browser": _hashed(cookie)})
        await self._state.put(f"signin:{sign_in_id}", allowed.model_dump_json().encode(), SIGN_IN_SECONDS)
        query = {
            "client_id": self.settings.client_id or "",
            "response_type": "code",
            "redirect_uri": self.callback_url,
            "scope": " ".join(pending.scopes),
            "state": sign_in_id,
            "code_challenge": s256(pending.verifier),
            "code_challenge_method": "S256",
        }
        target = f"{authorize_url(self.settings.oauth_base)}?{urlencode(query)}"
        return RedirectResponse(target, status_code=303, headers={"Cache-Control": "no-store"})

    def _set_consent_cookie(self, response: Response, nonce: str) -> None:
        response.set_cookie(
            CONSENT_COOKIE,
            nonce,
            max_age=int(SIGN_IN_SECONDS),
            path="/oauth",
            secure=self.settings.public_url is not None and self.settings.public_url.startswith("https://"),
            httponly=True,
            samesite="lax",  # sent on the top-level redirect back from Make, not on another site's form post
        )

    async def callback(self, request: Request) -> Response:
        """Where Make sends the person back: Make's code becomes a grant and a make-mcp code for the MCP client."""
        answer = request.query_params
        raw = await self._state.take(f"signin:{answer.get('state', '')}")
        if raw is None:
            return _page(400, "This sign-in is unknown, expired or already finished. Start again from your MCP client.")
        pending = _SignIn.model_validate_json(raw)
        params = pending.params
        cookie = request.cookies.get(CONSENT_COOKIE)
        if pending.browser is None or cookie is None or not secrets.compare_digest(_hashed(cookie), pending.browser):
            log.warning("refused a callback for a sign-in that was not allowed in this browser")
            return _page(400, "This sign-in was not allowed in this browser. Start again from your MCP client.")

        def back(**fields: str | None) -> Response:
            target = construct_redirect_uri(str(params.redirect_uri), **fields, state=params.state)
            return RedirectResponse(target, status_code=302, headers={"Cache-Control": "no-store"})

        if "error" in answer or not answer.get("code"):
            said = ": ".join(part for part in (answer.get("error"), answer.get("error_description")) if part)
            error = "access_denied" if answer.get("error") == "access_denied" else "server_error"
            return back(error=error, error_description=f"Make did not grant access ({said[:200] or 'no code'})")
        exchange = CodeExchange(answer["code"], self.callback_url, pending.verifier)
        client_id = self.settings.client_id or ""
        try:
            body = await exchange_code(
                self.settings.oauth_base,
                client_id,
                self._client_secret,
                exchange,
                timeout=self.settings.timeout,
                transport=self._transport,
            )
        except TokenEndpointRefused as refused:
            log.warning("exchanging Make's authorization code failed: %s", refused)
            return back(error="server_error", error_description=f"Make's token endpoint refused the sign-in: {refused}")
        tokens = tokens_from(
            body,
            now=self.clock(),
            client_id=client_id,
            oauth_base=self.settings.oauth_base,
            asked=pending.scopes,
            previous=None,
        )
        grant_id = secrets.token_urlsafe(24)
        await self._save_grant(grant_id, Grant(make=tokens.to_json()))
        code = await self._issue_code(pending, tokens, grant_id)
        log.info("signed in with Make: grant %s for client %s", grant_id[:8], pending.client_id[:8])
        return back(code=code, iss=str(self.issuer))

    async def _issue_code(self, pending: _SignIn, tokens: StoredTokens, grant_id: str) -> str:
        """make-mcp's authorization code for the MCP client, for the scopes Make granted of those asked."""
        params = pending.params
        code = secrets.token_urlsafe(32)
        record = GrantCode(
            code="",  # only the hash is kept
            scopes=[scope for scope in pending.scopes if scope in tokens.scopes],
            expires_at=self.clock() + CODE_SECONDS,
            client_id=pending.client_id,
            code_challenge=params.code_challenge,
            redirect_uri=params.redirect_uri,
            redirect_uri_provided_explicitly=params.redirect_uri_provided_explicitly,
            resource=params.resource,
            subject=grant_id,
            grant_id=grant_id,
        )
        await self._state.put(f"code:{_hashed(code)}", record.model_dump_json().encode(), CODE_SECONDS)
        return code

    # --- /token ---

    async def load_authorization_code(
        self, client: OAuthClientInformationFull, authorization_code: str
    ) -> GrantCode | None:
        key = _hashed(authorization_code)
        raw = await self._state.get(f"code:{key}")
        if raw is None:
            await self._revoke_if_replayed(key)
            return None
        return GrantCode.model_validate_json(raw).model_copy(update={"code": authorization_code})

    async def exchange_authorization_code(
        self, client: OAuthClientInformationFull, authorization_code: GrantCode
    ) -> OAuthToken:
        key = _hashed(authorization_code.code)
        if await self._state.take(f"code:{key}") is None:  # another request took it first
            raise TokenError("invalid_grant", "the authorization code was already used")
        await self._state.put(f"spent:{key}", authorization_code.grant_id.encode(), SPENT_SECONDS)
        return await self._issue(
            authorization_code.grant_id, client, authorization_code.scopes, authorization_code.resource
        )

    async def load_refresh_token(
        self, client: OAuthClientInformationFull, refresh_token: str
    ) -> GrantRefreshToken | None:
        if not refresh_token.startswith(REFRESH_TOKEN_PREFIX):
            return None
        key = _hashed(refresh_token)
        raw = await self._state.get(f"refresh:{key}")
        if raw is None:
            await self._revoke_if_replayed(key)
            return None
        return GrantRefreshToken.model_validate_json(raw).model_copy(update={"token": refresh_token})

    async def exchange_refresh_token(
        self, client: OAuthClientInformationFull, refresh_token: GrantRefreshToken, scopes: list[str]
    ) -> OAuthToken:
        key = _hashed(refresh_token.token)
        if await self._state.take(f"refresh:{key}") is None:
            raise TokenError("invalid_grant", "the refresh token was already used")
        await self._state.put(f"spent:{key}", refresh_token.grant_id.encode(), SPENT_SECONDS)
        return await self._issue(refresh_token.grant_id, client, scopes, refresh_token.resource)

    async def load_access_token(self, token: str) -> GrantAccessToken | None:
        if not token.startswith(ACCESS_TOKEN_PREFIX):
            return None
        raw = await self._state.get(f"access:{_hashed(token)}")
        if raw is None:
            return None
        record = GrantAccessToken.model_validate_json(raw).model_copy(update={"token": token})
        if record.expires_at is not None and self.clock() >= record.expires_at:
            return None
        if await self._state.get(f"grant:{record.grant_id}") is None:  # revoked
            return None
        return record

    async def revoke_token(self, token: GrantAccessToken | GrantRefreshToken) -> None:
        """Revokes the whole grant: every access and refresh token of it, and Make's tokens (revoked at Make)."""
        await self._state.delete(f"access:{_hashed(token.token)}")
        await self._state.delete(f"refresh:{_hashed(token.token)}")
        await self._end_grant(token.grant_id)
        log.info("revoked grant %s", token.grant_id[:8])

    async def _end_grant(self, grant_id: str) -> None:
        """Drops the grant for good, then asks Make to revoke its tokens; Make failing only leaves a warning."""
        async with self._state.lock(f"grant:{grant_id}"):  # a renewal under way must not save the grant again
            grant = await self.load_grant(grant_id)
            await self._state.delete(f"grant:{grant_id}")
        tokens = None if grant is None else grant.tokens()
        if tokens is not None:
            await self._revoke_at_make(grant_id, tokens)

    async def _revoke_at_make(self, grant_id: str, tokens: StoredTokens) -> None:
        if tokens.refresh_token is not None:  # revoking it ends Make's grant, its access tokens with it
            form = {"token": tokens.refresh_token, "token_type_hint": "refresh_token"}
        else:
            form = {"token": tokens.access_token, "token_type_hint": "access_token"}
        form["client_id"] = self.settings.client_id or ""
        if self._client_secret is not None:
            form["client_secret"] = self._client_secret
        timeout = min(self.settings.timeout, MAKE_REVOKE_SECONDS)
        try:
            async with httpx2.AsyncClient(
                timeout=httpx2.Timeout(timeout),
                transport=self._transport or AiohttpTransport(),
                trust_env=False,
                follow_redirects=False,
            ) as http:
                with anyio.fail_after(timeout):
                    # Only the status is looked at: the body is never read (it could be huge or quote the token).
                    async with http.stream(
                        "POST",
                        revoke_url(self.settings.oauth_base),
                        data=form,
                        headers={"Accept": "application/json", "User-Agent": USER_AGENT},
                    ) as response:
                        status = response.status_code
        except (httpx2.HTTPError, TimeoutError) as error:
            log.warning(
                "grant %s: Make's revoke endpoint could not be reached (%s)", grant_id[:8], type(error).__name__
            )
            return
        if not 200 <= status < 300:
            log.warning("grant %s: Make's revoke endpoint answered %d; its grant may stay valid", grant_id[:8], status)

    async def _issue(
        self, grant_id: str, client: OAuthClientInformationFull, scopes: list[str], resource: str | None
    ) -> OAuthToken:
        if await self._state.get(f"grant:{grant_id}") is None:
            raise TokenError("invalid_grant", "the sign-in this came from was revoked; sign in again")
        now = self.clock()
        access = ACCESS_TOKEN_PREFIX + secrets.token_urlsafe(32)
        refresh = REFRESH_TOKEN_PREFIX + secrets.token_urlsafe(32)
        client_id = client.client_id or ""
        access_record = GrantAccessToken(
            token="",
            client_id=client_id,
            scopes=scopes,
            expires_at=int(now + ACCESS_TOKEN_SECONDS),
            resource=resource,
            subject=grant_id,
            grant_id=grant_id,
        )
        refresh_record = GrantRefreshToken(
            token="",
            client_id=client_id,
            scopes=scopes,
            expires_at=int(now + REFRESH_TOKEN_SECONDS),
            resource=resource,
            subject=grant_id,
            grant_id=grant_id,
        )
        await self._state.put(
            f"access:{_hashed(access)}", access_record.model_dump_json().encode(), ACCESS_TOKEN_SECONDS
        )
        await self._state.put(
            f"refresh:{_hashed(refresh)}", refresh_record.model_dump_json().encode(), REFRESH_TOKEN_SECONDS
        )
        return OAuthToken(
            access_token=access,
            expires_in=ACCESS_TOKEN_SECONDS,
            scope=" ".join(scopes),
            refresh_token=refresh,
        )

    async def _revoke_if_replayed(self, key: str) -> None:
        grant_id = await self._state.get(f"spent:{key}")
        if grant_id is not None:
            log.warning("a used code or refresh token was presented again: revoking grant %s", grant_id.decode()[:8])
            await self._end_grant(grant_id.decode())

    async def exchange_identity_assertion(
        self, client: OAuthClientInformationFull, params: IdentityAssertionParams
    ) -> OAuthToken:
        raise TokenError("unsupported_grant_type", "only authorization_code and refresh_token are accepted")

    # --- Grants and Make's tokens ---

    async def load_grant(self, grant_id: str) -> Grant | None:
        raw = await self._state.get(f"grant:{grant_id}")
        opened = None if raw is None else self._sealer.open(raw)
        return None if opened is None else Grant.model_validate_json(opened)

    async def _save_grant(self, grant_id: str, grant: Grant) -> None:
        await self._state.put(f"grant:{grant_id}", self._sealer.seal(grant.model_dump_json().encode()), GRANT_SECONDS)

    async def make_authorization(self, grant_id: str) -> str:
        """The grant's current `Bearer <Make access token>`, renewed first when it is about to expire."""
        grant = await self.load_grant(grant_id)
        tokens = None if grant is None else grant.tokens()
        if tokens is None:
            raise _signed_out("this sign-in was revoked")
        if not self._needs_renewal(tokens):
            return f"Bearer {tokens.access_token}"
        async with self._state.lock(f"grant:{grant_id}"):  # one renewal: Make's refresh tokens work once
            grant = await self.load_grant(grant_id)
            tokens = None if grant is None else grant.tokens()
            if grant is None or tokens is None:
                raise _signed_out("this sign-in was revoked")
            if not self._needs_renewal(tokens):  # another task or instance renewed it meanwhile
                return f"Bearer {tokens.access_token}"
            credentials = OAuthCredentials(
                tokens,
                client_secret=self._client_secret,
                clock=self.clock,
                timeout=self.settings.timeout,
                transport=self._transport,
            )
            try:
                header = await credentials.header()
            except LoginRequired as error:
                # The grant stays: when Make was only unreachable, the next request renews it after all.
                log.warning("grant %s: Make's tokens could not be renewed (%s)", grant_id[:8], error.reason)
                raise _signed_out(error.reason) from None
            await self._save_grant(grant_id, grant.model_copy(update={"make": credentials.tokens.to_json()}))
            return header or f"Bearer {credentials.tokens.access_token}"

    def _needs_renewal(self, tokens: StoredTokens) -> bool:
        return tokens.expires_at is not None and self.clock() >= tokens.expires_at - REFRESH_SKEW_SECONDS

    def is_resource(self, resource: str, path: str) -> bool:
        """Whether `resource` (an RFC 8707 indicator) names the MCP endpoint at `path`."""
        try:
            given = str(AnyHttpUrl(resource))
        except ValueError:
            return False
        return given.rstrip("/") == str(self.resources[path]).rstrip("/")

    # --- The HTTP side ---

    def resource_metadata_url(self, path: str) -> str:
        return str(build_resource_metadata_url(self.resources[path]))

    def routes(self) -> list[Route]:
        """Authorization server and protected resource metadata, /authorize, /token, /register, /revoke, the callback."""
        registration = ClientRegistrationOptions(enabled=True, valid_scopes=self.scopes, default_scopes=self.scopes)
        revocation = RevocationOptions(enabled=True)
        auth = create_auth_routes(
            self, self.issuer, client_registration_options=registration, revocation_options=revocation
        )
        auth = _advertising_documents(auth, build_metadata(self.issuer, None, registration, revocation))

        resources = {
            path: create_protected_resource_routes(
                url, [self.issuer], scopes_supported=self.scopes, resource_name="make-mcp (Make.com)"
            )
            for path, url in self.resources.items()
        }
        # RFC 9728 puts the metadata under the resource's path (/.well-known/oauth-protected-resource/mcp);
        # some clients ask at the root.
        at_root = [
            Route("/.well-known/oauth-protected-resource", route.endpoint, methods=["GET", "OPTIONS"])
            for route in resources.get(MCP_PATH, [])
        ]
        served = [route for routes in resources.values() for route in routes]
        routes = [
            *auth,
            *served,
            *at_root,
            Route(CONSENT_PATH, self.consent_page, methods=["GET"]),
            Route(CONSENT_PATH, self.consent, methods=["POST"]),
            Route(CALLBACK_PATH, self.callback, methods=["GET"]),
        ]
        return [Route(route.path, _StateGuard(route.app), methods=route.methods) for route in routes]


def redirect_uri_problem(client: OAuthClientInformationFull) -> str | None:
    """Why a client's redirect URIs are refused (script-like schemes, fragments, clear text off loopback), if so."""
    for uri in client.redirect_uris or []:
        if uri.scheme in REFUSED_REDIRECT_SCHEMES or uri.fragment:
            return f"{uri.scheme}: redirect URIs are not accepted"
        if uri.scheme == "http" and uri.host not in ("127.0.0.1", "localhost", "[::1]", "::1"):
            return "http:// redirect URIs must be loopback addresses"
    return None


def _advertising_documents(auth: list[Route], metadata: OAuthMetadata) -> list[Route]:
    """The SDK's routes, with authorization server metadata that also says client ID URLs are accepted."""
    advertised = metadata.model_copy(update={"client_id_metadata_document_supported": True})
    handler = cors_middleware(MetadataHandler(advertised).handle, ["GET", "OPTIONS"])
    return [
        Route(route.path, handler, methods=["GET", "OPTIONS"]) if route.path == AUTH_METADATA_PATH else route
        for route in auth
    ]


class _StateGuard:
    """An OAuth endpoint whose shared state is unreachable answers 503, not a crash."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await self.app(scope, receive, send)
        except StateUnavailable as error:  # raised before any answer was started
            log.warning("%s", error)
            answer = {"error": "temporarily_unavailable", "error_description": "Try again shortly."}
            await JSONResponse(answer, status_code=503, headers={"Cache-Control": "no-store"})(scope, receive, send)


def _signed_out(reason: str) -> Unauthorized:
    return Unauthorized(
        "invalid_token",
        f"Sign in with Make again ({reason}); your MCP client starts the sign-in when it sees this 401.",
    )


class SignedInCallers:
    """ASGI middleware in front of /mcp: a make-mcp access token becomes its grant's current Make token before the
    gateway sees the request, and every 401 carries the pointer to the protected resource metadata."""

    def __init__(self, app: ASGIApp, sign_in: MakeSignIn, *, path: str = MCP_PATH) -> None:
        self.app = app
        self.sign_in = sign_in
        self._path = path  # the endpoint's own resource: a token issued for another endpoint is refused here

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        presented = _header(scope, b"authorization")
        try:
            await self._admit(scope, presented)
        except Unauthorized as refusal:
            await refusal_response(401, refusal.reason, refusal.message, self._challenge(presented))(
                scope, receive, send
            )
            return
        except StateUnavailable as error:
            log.warning("%s", error)
            await refusal_response(
                503, "state_unavailable", "The server's shared state is unreachable; try again shortly."
            )(scope, receive, send)
            return

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] == 401:
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"www-authenticate"]
                headers.append((b"www-authenticate", self._challenge(presented)["WWW-Authenticate"].encode()))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, sending)

    async def _admit(self, scope: Scope, presented: str | None) -> None:
        """Swaps one of make-mcp's access tokens for its grant's Make token (and marks the request with the grant);
        a pasted credential passes as it is (the gateway asks Make about it, and remembers a refusal)."""
        own = parse_authorization(presented)
        if own is None:
            return
        scheme, _, credential = own.partition(" ")
        if scheme != "Bearer" or not credential.startswith(ACCESS_TOKEN_PREFIX):
            return
        token = await self.sign_in.load_access_token(credential)
        if token is None:
            raise _signed_out("this access token is unknown, expired or revoked")
        if token.resource is not None and not self.sign_in.is_resource(token.resource, self._path):
            raise _signed_out("this access token was issued for another resource")
        _set_header(scope, b"authorization", await self.sign_in.make_authorization(token.grant_id))
        scope[GRANT_SCOPE_KEY] = token.grant_id

    def _challenge(self, presented: str | None) -> dict[str, str]:
        pointer = f'resource_metadata="{self.sign_in.resource_metadata_url(self._path)}"'
        if presented is None:
            return {"WWW-Authenticate": f"Bearer {pointer}"}
        return {"WWW-Authenticate": f'Bearer error="invalid_token", {pointer}'}


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return value.decode("latin-1")
    return None


def _set_header(scope: Scope, name: bytes, value: str) -> None:
    headers = [(key, item) for key, item in scope.get("headers", []) if key.lower() != name]
    scope["headers"] = [*headers, (name, value.encode("latin-1"))]


def _page(status: int, text: str, *, markup: bool = False) -> HTMLResponse:
    content = text if markup else f"<p>{html.escape(text)}</p>"
    body = (
        "<!doctype html><html><head><meta charset='utf-8'><title>make-mcp: sign in with Make</title></head>"
        f"<body>{content}</body></html>"
    )
    headers = {
        "Cache-Control": "no-store",
        # Never inside another site's frame: a hidden frame could make the person click Allow unaware.
        "Content-Security-Policy": "frame-ancestors 'none'",
        "X-Frame-Options": "DENY",
    }
    return HTMLResponse(body, status_code=status, headers=headers)


def public_host(settings: Settings) -> str | None:
    """The Host value of MAKE_PUBLIC_URL, which /mcp must accept besides loopback."""
    if settings.public_url is None:
        return None
    return urlsplit(settings.public_url).netloc
