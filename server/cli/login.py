"""`make-mcp login` / `logout`: the authorization code flow with PKCE (S256) and a loopback redirect.

A one-shot HTTP listener on 127.0.0.1 receives the browser's redirect; headless, the user pastes the redirected
address instead. The tokens go to the token store (server/make_api/auth.py). No token, code or secret is ever
written to a log, an error or stderr.
"""

from __future__ import annotations

import contextlib
import logging
import secrets
import sys
import threading
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import TextIO
from urllib.parse import parse_qsl, urlencode, urlsplit

import anyio
import httpx2
from anyio.abc import SocketAttribute, SocketStream

from make_mcp.server.engine.selection import default_scopes
from make_mcp.server.errors import LoginError
from make_mcp.server.make_api.auth import (
    CodeExchange,
    StoredTokens,
    TokenEndpointRefused,
    TokenStore,
    authorize_url,
    exchange_code,
    pkce_pair,
    split_scopes,
    tokens_from,
)
from make_mcp.server.support.config import Settings

LOGIN_TIMEOUT_SECONDS = 300.0  # Make's authorization codes live 5 minutes too
CALLBACK_PATH = "/callback"
_MAX_REQUEST_HEAD = 16_384

log = logging.getLogger("make_mcp.auth")


def _open_in_browser(url: str) -> None:
    import webbrowser  # only `make-mcp login` needs it (and it is slow to import)

    # webbrowser.open can block (a text-mode browser); the login never waits for it.
    threading.Thread(target=webbrowser.open, args=(url,), daemon=True).start()


def _read_stdin_line() -> str:
    return sys.stdin.readline()


@dataclass(frozen=True)
class _Authorization:
    """One login's request to Make's authorize endpoint: the scopes asked, PKCE's pair and the state."""

    client_id: str
    oauth_base: str
    asked: tuple[str, ...]
    verifier: str
    challenge: str
    state: str

    def address(self, redirect_uri: str) -> str:
        query = {
            "client_id": self.client_id,
            "response_type": "code",
            "redirect_uri": redirect_uri,
            "scope": " ".join(self.asked),
            "state": self.state,
            "code_challenge": self.challenge,
            "code_challenge_method": "S256",
        }
        return f"{authorize_url(self.oauth_base)}?{urlencode(query)}"


async def login(
    settings: Settings,
    scopes: str | None,
    headless: bool,
    *,
    open_browser: Callable[[str], object] = _open_in_browser,
    read_line: Callable[[], str] = _read_stdin_line,
    out: TextIO | None = None,
    store: TokenStore | None = None,
    clock: Callable[[], float] = time.time,
    timeout: float = LOGIN_TIMEOUT_SECONDS,
    transport: httpx2.AsyncBaseTransport | None = None,
) -> StoredTokens:
    """Logs in with the authorization code flow and PKCE, stores the tokens, and says where (on stderr)."""
    say: TextIO = out if out is not None else sys.stderr
    authorization = _authorization(settings, scopes)
    if headless:
        redirect_uri, answer = await _pasted_answer(settings, authorization, say, read_line)
    else:
        redirect_uri, answer = await _browser_answer(settings, authorization, say, open_browser, timeout)
    exchange = CodeExchange(_code_of(answer), redirect_uri, authorization.verifier)
    secret = settings.client_secret.get_secret_value() if settings.client_secret is not None else None
    try:
        body = await exchange_code(
            settings.oauth_base,
            authorization.client_id,
            secret,
            exchange,
            timeout=settings.timeout,
            transport=transport,
        )
    except TokenEndpointRefused as refused:
        raise LoginError(f"exchanging the authorization code failed: {refused}; nothing stored") from None
    tokens = tokens_from(
        body,
        now=clock(),
        client_id=authorization.client_id,
        oauth_base=settings.oauth_base,
        asked=authorization.asked,
        previous=None,
    )
    await _store(settings, tokens, store, say)
    return tokens


def _authorization(settings: Settings, scopes: str | None) -> _Authorization:
    if settings.sandbox:
        raise LoginError("the built-in sandbox needs no login; leave out --sandbox / MAKE_SANDBOX to log in to Make")
    if not settings.client_id:
        raise LoginError(
            "set MAKE_CLIENT_ID (or --client-id) to the Client ID Make issued for your OAuth 2.0 client "
            "(request one on Make's OAuth 2.0 client registration form)"
        )
    asked = split_scopes(scopes) if scopes else default_scopes(settings)
    if not asked:
        raise LoginError("no scope to ask for: name them with --scopes, e.g. --scopes scenarios:read,teams:read")
    verifier, challenge = pkce_pair()
    state = secrets.token_urlsafe(32)
    return _Authorization(settings.client_id, settings.oauth_base, asked, verifier, challenge, state)


async def _pasted_answer(
    settings: Settings, authorization: _Authorization, say: TextIO, read_line: Callable[[], str]
) -> tuple[str, dict[str, str]]:
    """Headless: the person opens the address elsewhere and pastes where the browser went."""
    if settings.oauth_redirect_port == 0:
        raise LoginError("headless login needs a fixed MAKE_OAUTH_REDIRECT_PORT (the one registered with Make)")
    redirect_uri = f"http://127.0.0.1:{settings.oauth_redirect_port}{CALLBACK_PATH}"
    say.write(
        f"Open this address in a browser and allow access:\n\n  {authorization.address(redirect_uri)}\n\n"
        "The browser then goes to an address starting with "
        f"{redirect_uri} (the page may fail to load; that is expected).\nPaste that whole address here: "
    )
    say.flush()
    pasted = await anyio.to_thread.run_sync(read_line)
    answer = _query_of(pasted)
    if answer.get("state") != authorization.state:
        raise LoginError("the pasted address does not belong to this login (its state differs); nothing stored")
    return redirect_uri, answer


async def _browser_answer(
    settings: Settings,
    authorization: _Authorization,
    say: TextIO,
    open_browser: Callable[[str], object],
    timeout: float,
) -> tuple[str, dict[str, str]]:
    """The browser opened here; its redirect comes back to a one-shot listener on 127.0.0.1."""
    received: dict[str, str] | None = None
    try:
        async with redirect_listener(settings.oauth_redirect_port, authorization.state) as receiver:
            redirect_uri = receiver.redirect_uri
            url = authorization.address(redirect_uri)
            say.write(f"Opening your browser to log in to Make. If it does not open, visit:\n\n  {url}\n\n")
            say.flush()
            open_browser(url)
            # Nothing may raise out of the listener's task group: it would come out wrapped in a group.
            with anyio.move_on_after(timeout):
                received = await receiver.wait()
    except OSError as error:  # the port could not be bound
        raise LoginError(
            f"cannot listen on 127.0.0.1:{settings.oauth_redirect_port} for the redirect ({error.strerror}); "
            "set MAKE_OAUTH_REDIRECT_PORT to a free port registered with your OAuth client"
        ) from None
    if received is None:
        raise LoginError(f"no answer from the browser within {timeout:g} s; nothing stored")
    return redirect_uri, received


def _code_of(answer: dict[str, str]) -> str:
    if "error" in answer:
        said = ": ".join(part for part in (answer.get("error"), answer.get("error_description")) if part)
        raise LoginError(f"Make did not grant access ({said[:300]}); nothing stored")
    code = answer.get("code")
    if not code:
        raise LoginError("the redirect carried no authorization code; nothing stored")
    return code


async def _store(settings: Settings, tokens: StoredTokens, store: TokenStore | None, say: TextIO) -> None:
    store = store if store is not None else TokenStore.for_settings(settings)
    where = await anyio.to_thread.run_sync(store.save, tokens)
    renewal = "renewed automatically" if tokens.refresh_token else "not renewable: log in again when it expires"
    say.write(
        f"Logged in to Make. Tokens stored in {where}; the access token is {renewal}.\n"
        f"Scopes: {' '.join(tokens.scopes)}\n"
    )
    if settings.has_credentials:
        say.write("Note: MAKE_API_KEY or MAKE_ACCESS_TOKEN is set and is used instead of this login.\n")


def logout(settings: Settings, *, out: TextIO | None = None, store: TokenStore | None = None) -> bool:
    """Forgets the stored tokens; True when there were some."""
    say: TextIO = out if out is not None else sys.stderr
    store = store if store is not None else TokenStore.for_settings(settings)
    removed = store.delete()
    if removed:
        say.write(f"Logged out: removed the stored tokens from {' and '.join(removed)}.\n")
    else:
        say.write("No stored login to remove.\n")
    return bool(removed)


def _query_of(pasted: str) -> dict[str, str]:
    text = pasted.strip()
    query = urlsplit(text).query if "://" in text else text.lstrip("?")
    return dict(parse_qsl(query))


# --- The loopback redirect listener ----------------------------------------------------------------------


class RedirectReceiver:
    """Answers the browser's redirect to http://127.0.0.1:<port>/callback and hands over its query."""

    def __init__(self, port: int, state: str) -> None:
        self.port = port
        self.redirect_uri = f"http://127.0.0.1:{port}{CALLBACK_PATH}"
        self._state = state
        self._answer: dict[str, str] | None = None
        self._arrived = anyio.Event()

    async def wait(self) -> dict[str, str]:
        await self._arrived.wait()
        assert self._answer is not None
        return self._answer

    async def handle(self, stream: SocketStream) -> None:
        async with stream:
            try:
                with anyio.fail_after(10):
                    head = await _read_head(stream)
            except (TimeoutError, anyio.EndOfStream, anyio.BrokenResourceError, OSError):
                return  # a connection that never said anything (browsers open spare ones)
            status, page, answer = self._answer_to(head)
            with contextlib.suppress(anyio.BrokenResourceError, anyio.ClosedResourceError, OSError):
                await stream.send(_http_response(status, page))
            # Handed over only once the page is sent: the login then closes the listener.
            if answer is not None and self._answer is None:
                self._answer = answer
                self._arrived.set()

    def _answer_to(self, head: bytes) -> tuple[str, str, dict[str, str] | None]:
        request_line = head.split(b"\r\n", 1)[0].decode("latin-1")
        method, _, rest = request_line.partition(" ")
        target = rest.rpartition(" ")[0] or rest
        path, _, query = target.partition("?")
        if method != "GET" or path != CALLBACK_PATH:
            return "404 Not Found", "Nothing here.", None
        params = dict(parse_qsl(query))
        if self._answer is not None:
            return "409 Conflict", "This login has already finished; you can close this tab.", None
        if params.get("state") != self._state:
            # Not the answer to this login (a stale tab or a forged link): ignore it and keep waiting.
            log.warning("ignored a redirect whose state does not belong to this login")
            return "400 Bad Request", "This answer does not belong to the login in progress; nothing was done.", None
        if "error" in params:
            return "200 OK", "Make did not grant access. You can close this tab; the terminal says more.", params
        return "200 OK", "Logged in to Make. You can close this tab and return to the terminal.", params


async def _read_head(stream: SocketStream) -> bytes:
    head = b""
    while b"\r\n\r\n" not in head and len(head) < _MAX_REQUEST_HEAD:
        head += await stream.receive()
    return head


def _http_response(status: str, text: str) -> bytes:
    import html  # only `make-mcp login` needs it

    page = (
        "<!doctype html><html><head><meta charset='utf-8'><title>make-mcp</title></head>"
        f"<body><p>{html.escape(text)}</p></body></html>"
    ).encode()
    head = (
        f"HTTP/1.1 {status}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {len(page)}\r\n"
        "Cache-Control: no-store\r\nConnection: close\r\n\r\n"
    ).encode()
    return head + page


@asynccontextmanager
async def redirect_listener(port: int, state: str) -> AsyncIterator[RedirectReceiver]:
    """Listens on 127.0.0.1 only (port 0: any free one) until the block ends."""
    listener = await anyio.create_tcp_listener(local_host="127.0.0.1", local_port=port)
    receiver = RedirectReceiver(listener.extra(SocketAttribute.local_port), state)
    async with listener, anyio.create_task_group() as tasks:
        tasks.start_soon(listener.serve, receiver.handle)
        try:
            yield receiver
        finally:
            tasks.cancel_scope.cancel()
