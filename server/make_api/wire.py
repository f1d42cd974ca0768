"""The HTTP engine under every request this server sends out: an httpx2 transport that speaks HTTP on aiohttp.

httpx2's transport interface stays the one seam (tests drive MockTransport, the sandbox runs in-process behind
ASGITransport); on the network, aiohttp's connection pool and C parser do the work that httpcore2 and h11 did
at about half the CPU time per request (scripts/bench_cpu.py). The transport adds no behaviour of its own:
no cookie is kept (a dummy jar: one transport serves many users' credentials), no redirect is followed, the
body is handed on as it came, still compressed (httpx2 decodes it, a piece at a time, as the caller reads),
and aiohttp's failures become httpx2's transport errors, split the way MakeClient's retries need them:
ConnectError/ConnectTimeout when nothing reached the server, ReadError/ReadTimeout/RemoteProtocolError when
the request may have been sent. Deadlines are the caller's (httpx2's per-request timeout extension, and the
caller's cancel scope).

httpx2's `sni_hostname` extension names the host whose certificate a pinned address must show.
aiohttp runs on asyncio only, as this server does. It is imported (in a worker thread), and its session
opened, at the first request: a server that never leaves the in-process sandbox never loads it. At import,
aiohttp makes two TLS contexts for requests that bring none, each loading the system's CA certificates (some
50 ms of CPU together, holding the GIL); this transport gives every HTTPS request a context of its own (or
`ssl=False`, which verifies nothing), so they are made without the certificates (`_import_aiohttp`).
"""

from __future__ import annotations

import functools
import importlib
import ssl
import sys
import threading
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any

import anyio
import httpx2

if TYPE_CHECKING:
    import aiohttp

# Idle connections close after this many seconds; at most this many are open (100: a burst of concurrent
# calls does not reconnect each time).
KEEPALIVE_SECONDS = 5.0
MAX_CONNECTIONS = 100


class AiohttpTransport(httpx2.AsyncBaseTransport):
    def __init__(
        self,
        *,
        max_connections: int = MAX_CONNECTIONS,
        keepalive: float = KEEPALIVE_SECONDS,
        verify: ssl.SSLContext | bool = True,
    ) -> None:
        self._max_connections = max_connections
        self._keepalive = keepalive
        self._verify = verify
        self._session: aiohttp.ClientSession | None = None

    async def _opened(self, https: bool) -> aiohttp.ClientSession:
        if not _imported.is_set() or (https and self._verify is True and not _trust.loaded()):
            # Importing aiohttp (some 70 ms of CPU) and loading the CA certificates, in a worker thread: the loop
            # goes on answering meanwhile (the client's `initialize` while the start-up asks Make its first
            # questions), and OpenSSL loads the certificates without holding the GIL.
            await anyio.to_thread.run_sync(_prepare, https and self._verify is True)
        if self._session is None:
            self._session = _new_session(self._max_connections, self._keepalive)
        return self._session

    def _tls(self) -> ssl.SSLContext | bool:
        """httpx2's trust (certifi's CAs) as before, one context for the process; False: no TLS check."""
        return _trust.context() if self._verify is True else self._verify

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        https = request.url.scheme == "https"
        session = await self._opened(https)  # first: the first request imports aiohttp in a worker thread
        import aiohttp
        from yarl import URL

        try:
            answer = await session.request(
                request.method,
                URL(str(request.url), encoded=True),
                headers=request.headers.multi_items(),
                data=await request.aread() or None,
                allow_redirects=False,
                timeout=_timeout_of(request.extensions.get("timeout")),
                ssl=self._tls() if https else True,
                server_hostname=request.extensions.get("sni_hostname"),  # a pinned address's TLS name
            )
        except aiohttp.ClientError as error:
            raise _sending_error(error, request) from error
        except TimeoutError as error:  # not one of aiohttp's (those are ClientErrors): the request may have gone out
            raise httpx2.ReadTimeout(str(error) or "no answer in time", request=request) from error
        return httpx2.Response(
            answer.status,
            headers=answer.raw_headers,
            stream=_Body(answer, request),
            extensions={"http_version": b"HTTP/1.1", "reason_phrase": (answer.reason or "").encode("latin-1")},
            request=request,
        )

    async def aclose(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None


class _Trust:
    """httpx2's default TLS context (certifi's CAs), made once for every transport of the process."""

    def __init__(self) -> None:
        self._context: ssl.SSLContext | None = None

    def loaded(self) -> bool:
        return self._context is not None

    def context(self) -> ssl.SSLContext:
        if self._context is None:
            self._context = httpx2.create_ssl_context()
        return self._context


_trust = _Trust()


_preparing = threading.Lock()  # concurrent first requests prepare one after the other
_imported = threading.Event()  # aiohttp fully imported (while another thread imports it, it is in sys.modules already)


def _prepare(with_trust: bool) -> None:
    """What a first request waits for (in a worker thread): aiohttp imported, the CA certificates loaded."""
    with _preparing:
        if "aiohttp" not in sys.modules:
            _import_aiohttp()
        _imported.set()
        if with_trust:
            _trust.context()


def _import_aiohttp() -> None:
    """Imports aiohttp with the system's CA certificates left out of the default TLS contexts it makes at
    import, which this transport never uses (see the module's docstring). Only those two are made meanwhile:
    the event loop's thread makes none, and other first requests wait for `_preparing`."""
    context = ssl.SSLContext
    skipped = {"load_default_certs": _no_certificates, "set_default_verify_paths": _no_certificates}
    saved = {name: vars(context)[name] for name in skipped if name in vars(context)}
    for name, replacement in skipped.items():
        setattr(context, name, replacement)
    try:
        importlib.import_module("aiohttp")
    finally:
        for name in skipped:
            if name in saved:
                setattr(context, name, saved[name])
            else:
                delattr(context, name)


def _no_certificates(context: ssl.SSLContext, *args: Any) -> None:
    return None


def _new_session(max_connections: int, keepalive: float) -> aiohttp.ClientSession:
    import aiohttp

    session = aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(limit=max_connections, keepalive_timeout=keepalive),
        cookie_jar=aiohttp.DummyCookieJar(),
        auto_decompress=False,  # httpx2 decodes, so the caller can cap what it inflates to
        trust_env=False,
        timeout=aiohttp.ClientTimeout(total=None),
        skip_auto_headers=("User-Agent", "Accept", "Accept-Encoding"),
    )
    # aiohttp sends a GET again at once when its connection drops; MakeClient's retry policy decides that
    # (the rate budget, the waits, the count). aiohttp's own test client turns it off the same way.
    session._retry_connection = False  # pyright: ignore[reportPrivateUsage]
    return session


class _Body(httpx2.AsyncByteStream):
    """The answer's body as it comes; the connection goes back to the pool once all of it was read."""

    def __init__(self, answer: aiohttp.ClientResponse, request: httpx2.Request) -> None:
        self._answer = answer
        self._request = request

    async def __aiter__(self) -> AsyncIterator[bytes]:
        import aiohttp

        try:
            async for piece in self._answer.content.iter_any():
                yield piece
        except aiohttp.ClientError as error:
            raise _reading_error(error, self._request) from error
        except TimeoutError as error:
            raise httpx2.ReadTimeout(str(error) or "no answer in time", request=self._request) from error

    async def aclose(self) -> None:
        self._answer.release()  # closes the connection instead when the body was not read to its end


def _timeout_of(timeout: dict[str, Any] | None) -> aiohttp.ClientTimeout:
    """httpx2's per-request timeout extension (connect, read) in aiohttp's terms."""
    timeout = timeout or {}
    return _client_timeout(timeout.get("connect"), timeout.get("read"))


@functools.lru_cache(maxsize=64)
def _client_timeout(connect: float | None, read: float | None) -> aiohttp.ClientTimeout:
    import aiohttp

    return aiohttp.ClientTimeout(total=None, connect=connect, sock_read=read)


def _sending_error(error: aiohttp.ClientError, request: httpx2.Request) -> httpx2.TransportError:
    """What went wrong before an answer's head came: no connection at all, or a connection that then failed."""
    import aiohttp

    message = str(error) or type(error).__name__
    if isinstance(error, aiohttp.ClientConnectorError):
        return httpx2.ConnectError(message, request=request)
    if isinstance(error, aiohttp.ConnectionTimeoutError):
        return httpx2.ConnectTimeout(message, request=request)
    return _reading_error(error, request)


def _reading_error(error: aiohttp.ClientError, request: httpx2.Request) -> httpx2.TransportError:
    import aiohttp

    message = str(error) or type(error).__name__
    if isinstance(error, aiohttp.ServerTimeoutError):
        return httpx2.ReadTimeout(message, request=request)
    if isinstance(error, aiohttp.ClientResponseError | aiohttp.ClientPayloadError):
        return httpx2.RemoteProtocolError(message, request=request)
    return httpx2.ReadError(message, request=request)
