"""OAuth 2.0 for Make: the token store, Make's token endpoint, and credentials that renew themselves (the
interactive `make-mcp login` is server/cli/login.py).

Tokens live in the OS keyring when the optional `keyring` package works, else in a JSON file only the
user can read. `OAuthCredentials` gives MakeClient a Bearer header, renews it shortly before it expires or
once after a 401, one renewal at a time, and saves what it got.

No token, code or secret is ever written to a log, an error or stderr.
"""

from __future__ import annotations

import base64
import hashlib
import importlib
import json
import logging
import os
import secrets
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import anyio
import httpx2

from make_mcp.server.errors import LoginError, LoginRequired
from make_mcp.server.make_api.client import USER_AGENT, Credentials, StaticCredentials
from make_mcp.server.make_api.wire import AiohttpTransport
from make_mcp.server.support.config import Settings

log = logging.getLogger("make_mcp.auth")

KEYRING_SERVICE = "make-mcp"
REFRESH_SKEW_SECONDS = 30.0  # renew this long before the access token expires

StoreMode = Literal["auto", "keyring", "file"]


# --- Tokens and where they are kept -------------------------------------------------------------------


@dataclass(frozen=True)
class StoredTokens:
    access_token: str = field(repr=False)
    refresh_token: str | None = field(repr=False)
    expires_at: float | None  # seconds since the epoch; None when Make did not say
    scopes: tuple[str, ...]
    client_id: str
    oauth_base: str

    def to_json(self) -> dict[str, Any]:
        return {
            "access_token": self.access_token,
            "refresh_token": self.refresh_token,
            "expires_at": self.expires_at,
            "scopes": list(self.scopes),
            "client_id": self.client_id,
            "oauth_base": self.oauth_base,
        }

    @classmethod
    def from_json(cls, value: Any) -> StoredTokens | None:
        if not isinstance(value, dict):
            return None
        data: dict[str, Any] = value  # pyright: ignore[reportUnknownVariableType]
        access, refresh, expires = data.get("access_token"), data.get("refresh_token"), data.get("expires_at")
        scopes, client_id, base = data.get("scopes", []), data.get("client_id"), data.get("oauth_base")
        if not (isinstance(access, str) and access and isinstance(client_id, str) and isinstance(base, str)):
            return None
        return cls(
            access_token=access,
            refresh_token=refresh if isinstance(refresh, str) and refresh else None,
            expires_at=float(expires) if isinstance(expires, int | float) else None,
            scopes=tuple(s for s in scopes if isinstance(s, str)) if isinstance(scopes, list) else (),  # pyright: ignore[reportUnknownVariableType]
            client_id=client_id,
            oauth_base=base,
        )


def config_dir() -> Path:
    root = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(root) / "make-mcp"


class TokenStore:
    """The tokens of one OAuth base (e.g. https://www.make.com): OS keyring first, else a 0600 JSON file."""

    def __init__(self, oauth_base: str, *, mode: StoreMode = "auto", path: Path | None = None) -> None:
        self.oauth_base = oauth_base
        self.mode = mode
        self.path = path if path is not None else config_dir() / "tokens.json"

    @classmethod
    def for_settings(cls, settings: Settings) -> TokenStore:
        return cls(settings.oauth_base, mode=settings.token_store)

    def load(self) -> StoredTokens | None:
        if self.mode != "file":
            found = self._keyring_call("get_password", KEYRING_SERVICE, self.oauth_base)
            if isinstance(found, str):
                try:
                    return StoredTokens.from_json(json.loads(found))
                except ValueError:
                    log.warning("the tokens in the OS keyring are unreadable; run `make-mcp login` again")
                    return None
            if self.mode == "keyring":
                return None
        return StoredTokens.from_json(self._read_file().get(self.oauth_base))

    def save(self, tokens: StoredTokens) -> str:
        """Stores the tokens; returns where, for telling the user."""
        if self.mode != "file":
            stored = self._keyring_call("set_password", KEYRING_SERVICE, self.oauth_base, json.dumps(tokens.to_json()))
            if stored is not _FAILED:
                self._remove_from_file()  # an older login kept in the file must not outlive this one
                return "the OS keyring"
            if self.mode == "keyring":
                raise LoginError("the OS keyring refused to store the tokens (MAKE_TOKEN_STORE=keyring)")
        entries = self._read_file()
        entries[self.oauth_base] = tokens.to_json()
        self._write_file(entries)
        return str(self.path)

    def delete(self) -> list[str]:
        """Forgets the tokens; returns the places they were removed from."""
        removed: list[str] = []
        if self.mode != "file":
            found = self._keyring_call("get_password", KEYRING_SERVICE, self.oauth_base)
            if (
                isinstance(found, str)
                and self._keyring_call("delete_password", KEYRING_SERVICE, self.oauth_base) is not _FAILED
            ):
                removed.append("the OS keyring")
        if self.mode != "keyring" and self._remove_from_file():
            removed.append(str(self.path))
        return removed

    def _keyring_call(self, name: str, *args: str) -> Any:
        try:
            # Optional: the file store serves when it is missing or has no usable backend.
            keyring = importlib.import_module("keyring")
            return getattr(keyring, name)(*args)
        except Exception as error:  # ImportError, NoKeyringError, a locked or absent backend ...
            log.debug("OS keyring unavailable (%s); using the token file", type(error).__name__)
            return _FAILED

    def _read_file(self) -> dict[str, Any]:
        try:
            value = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError):
            log.warning("the token file %s is unreadable; ignoring it", self.path)
            return {}
        return value if isinstance(value, dict) else {}  # pyright: ignore[reportUnknownVariableType]

    def _write_file(self, entries: dict[str, Any]) -> None:
        self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        temporary = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        # Created 0600 from the start, so the tokens are never readable by others, not even briefly.
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.fchmod(descriptor, 0o600)  # a temporary file left behind by a crash keeps its mode through O_CREAT
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            json.dump(entries, handle, indent=2)
        os.replace(temporary, self.path)

    def _remove_from_file(self) -> bool:
        entries = self._read_file()
        if self.oauth_base not in entries:
            return False
        del entries[self.oauth_base]
        if entries:
            self._write_file(entries)
        else:
            self.path.unlink(missing_ok=True)
        return True


_FAILED = object()


# --- Talking to the token endpoint --------------------------------------------------------------------


def authorize_url(oauth_base: str) -> str:
    return f"{oauth_base}/oauth/v2/authorize"


def token_url(oauth_base: str) -> str:
    return f"{oauth_base}/oauth/v2/token"


def revoke_url(oauth_base: str) -> str:
    return f"{oauth_base}/oauth/v2/revoke"


class TokenEndpointRefused(Exception):
    pass


@dataclass(frozen=True)
class CodeExchange:
    """An authorization code, and what Make must see again to exchange it (PKCE's verifier, the redirect)."""

    code: str
    redirect_uri: str
    verifier: str


async def exchange_code(
    oauth_base: str,
    client_id: str,
    client_secret: str | None,
    exchange: CodeExchange,
    *,
    timeout: float,
    transport: httpx2.AsyncBaseTransport | None,
) -> dict[str, Any]:
    """Make's answer to the authorization code grant; TokenEndpointRefused with a safe reason."""
    form = {
        "grant_type": "authorization_code",
        "code": exchange.code,
        "redirect_uri": exchange.redirect_uri,
        "client_id": client_id,
        "code_verifier": exchange.verifier,
    }
    if client_secret is not None:
        form["client_secret"] = client_secret
    return await token_request(token_url(oauth_base), form, timeout=timeout, transport=transport)


async def token_request(
    url: str, form: dict[str, str], *, timeout: float, transport: httpx2.AsyncBaseTransport | None
) -> dict[str, Any]:
    """POSTs the form to the token endpoint; the decoded answer, or TokenEndpointRefused with a safe reason."""
    secrets_sent = [value for key, value in form.items() if key != "grant_type" and len(value) >= 8]
    try:
        async with httpx2.AsyncClient(
            timeout=httpx2.Timeout(timeout),
            transport=transport or AiohttpTransport(),
            trust_env=False,
            follow_redirects=False,
        ) as http:
            with anyio.fail_after(timeout):
                response = await http.post(
                    url, data=form, headers={"Accept": "application/json", "User-Agent": USER_AGENT}
                )
    except (httpx2.TransportError, TimeoutError) as error:
        raise TokenEndpointRefused(f"the token endpoint could not be reached ({type(error).__name__})") from None
    try:
        body: Any = response.json()
    except ValueError:
        body = None
    if not response.is_success or not isinstance(body, dict):
        code = description = None
        if isinstance(body, dict):
            code, description = body.get("error"), body.get("error_description")  # pyright: ignore[reportUnknownMemberType, reportUnknownVariableType]
        said = ": ".join(str(part) for part in (code, description) if part) or "no OAuth error in the answer"
        for secret in secrets_sent:
            said = said.replace(secret, "[redacted]")
        raise TokenEndpointRefused(f"the token endpoint answered {response.status_code} ({said[:300]})")
    if not isinstance(body.get("access_token"), str) or not body["access_token"]:
        raise TokenEndpointRefused("the token endpoint's answer holds no access_token")
    return body  # pyright: ignore[reportUnknownVariableType]


def tokens_from(
    body: dict[str, Any], *, now: float, client_id: str, oauth_base: str, asked: Iterable[str], previous: str | None
) -> StoredTokens:
    expires_in = body.get("expires_in")
    scope = body.get("scope")
    granted = split_scopes(scope) if isinstance(scope, str) and scope.strip() else tuple(asked)
    refresh = body.get("refresh_token")
    return StoredTokens(
        access_token=body["access_token"],
        # A refresh answer without a new refresh token means the old one stays valid.
        refresh_token=refresh if isinstance(refresh, str) and refresh else previous,
        expires_at=now + float(expires_in) if isinstance(expires_in, int | float) and expires_in > 0 else None,
        scopes=granted,
        client_id=client_id,
        oauth_base=oauth_base,
    )


# --- Credentials for MakeClient ------------------------------------------------------------------------


class OAuthCredentials:
    """A Bearer header from stored OAuth 2.0 tokens, renewed before expiry and once after a 401."""

    def __init__(
        self,
        tokens: StoredTokens,
        *,
        client_secret: str | None = None,
        store: TokenStore | None = None,
        clock: Callable[[], float] = time.time,
        skew: float = REFRESH_SKEW_SECONDS,
        timeout: float = 30.0,
        transport: httpx2.AsyncBaseTransport | None = None,
    ) -> None:
        self._tokens = tokens
        self._client_secret = client_secret
        self._store = store
        self._clock = clock
        self._skew = skew
        self._timeout = timeout
        self._transport = transport
        self._lock = anyio.Lock()

    @property
    def tokens(self) -> StoredTokens:
        return self._tokens

    async def header(self) -> str | None:
        tokens = self._tokens
        if tokens.expires_at is not None and self._clock() >= tokens.expires_at - self._skew:
            if tokens.refresh_token is not None:
                await self._refresh(tokens.access_token)
            elif self._clock() >= tokens.expires_at:
                raise LoginRequired(operation="", reason="the access token expired and Make gave no refresh token")
        return f"Bearer {self._tokens.access_token}"

    async def refreshed_after_401(self, failed_header: str) -> bool:
        if failed_header != f"Bearer {self._tokens.access_token}":
            return True  # another call renewed the token meanwhile
        if self._tokens.refresh_token is None:
            raise LoginRequired(
                operation="", reason="Make refused the access token (expired or revoked) and there is no refresh token"
            )
        await self._refresh(self._tokens.access_token)
        return True

    async def _refresh(self, stale_access_token: str) -> None:
        async with self._lock:
            if self._tokens.access_token != stale_access_token:
                return  # renewed while this call waited for the lock
            if self._store is not None and await self._adopt_stored(stale_access_token):
                return
            current = self._tokens
            assert current.refresh_token is not None
            form = {
                "grant_type": "refresh_token",
                "refresh_token": current.refresh_token,
                "client_id": current.client_id,
            }
            if self._client_secret:
                form["client_secret"] = self._client_secret
            try:
                body = await token_request(
                    token_url(current.oauth_base), form, timeout=self._timeout, transport=self._transport
                )
            except TokenEndpointRefused as refused:
                hint = "" if self._client_secret else " (if your OAuth client has a secret, set MAKE_CLIENT_SECRET)"
                raise LoginRequired(operation="", reason=f"renewing the access token failed: {refused}{hint}") from None
            self._tokens = tokens_from(
                body,
                now=self._clock(),
                client_id=current.client_id,
                oauth_base=current.oauth_base,
                asked=current.scopes,
                previous=current.refresh_token,
            )
            log.info("renewed the OAuth 2.0 access token")
            if self._store is not None:
                try:
                    await anyio.to_thread.run_sync(self._store.save, self._tokens)
                except Exception as error:  # the session goes on; the next process logs in again if it must
                    log.warning("could not store the renewed tokens (%s)", type(error).__name__)

    async def _adopt_stored(self, stale_access_token: str) -> bool:
        """Takes tokens another make-mcp process renewed meanwhile, instead of spending the refresh token twice."""
        assert self._store is not None
        try:
            stored = await anyio.to_thread.run_sync(self._store.load)
        except Exception:
            return False
        if stored is None or stored.access_token == stale_access_token:
            return False
        if stored.expires_at is not None and self._clock() >= stored.expires_at - self._skew:
            return False
        self._tokens = stored
        return True


def credentials_for(
    settings: Settings, *, clock: Callable[[], float] = time.time, store: TokenStore | None = None
) -> Credentials:
    """MAKE_API_KEY, else MAKE_ACCESS_TOKEN (used as is, never renewed), else the tokens of `make-mcp login`."""
    explicit = settings.authorization_header()
    if explicit is not None:
        return StaticCredentials(explicit)
    store = store if store is not None else TokenStore.for_settings(settings)
    tokens = store.load()
    if tokens is None:
        return StaticCredentials(None)
    secret = settings.client_secret.get_secret_value() if settings.client_secret is not None else None
    return OAuthCredentials(tokens, client_secret=secret, store=store, clock=clock, timeout=settings.timeout)


def has_stored_login(settings: Settings) -> bool:
    return TokenStore.for_settings(settings).load() is not None


def pkce_pair() -> tuple[str, str]:
    """A code verifier (86 URL-safe characters, within the 43-128 allowed) and its S256 challenge."""
    verifier = secrets.token_urlsafe(64)
    return verifier, s256(verifier)


def s256(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def split_scopes(text: str) -> tuple[str, ...]:
    """Scopes separated by spaces or commas, as Make's authorize endpoint accepts them; duplicates dropped."""
    seen: dict[str, None] = {}
    for part in text.replace(",", " ").split():
        seen.setdefault(part, None)
    return tuple(seen)
