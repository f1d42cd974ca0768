"""The HTTP engine under every request this server sends out: aiohttp, behind two interfaces.

MakeClient sends through a `Wire`: the request as plain values (method, percent-encoded URL, headers, body),
the answer as a `Reply` (status, headers, the body's pieces as they came, still compressed; MakeClient
decompresses them within its cap). On the network that is AiohttpTransport.exchange, with no httpx2 objects
around aiohttp's (they cost about as much CPU time per request as aiohttp itself, scripts/bench_cpu.py); any
other httpx2 transport is a Wire through HttpxWire, so tests drive MakeClient through MockTransport and the
in-process sandbox runs behind ASGITransport. Code that wants httpx2's own client (OAuth token requests, client
metadata documents) uses AiohttpTransport as an httpx2 transport, on the same engine.

The engine adds no behaviour of its own: no cookie is kept (a dummy jar: one transport serves many users'
credentials), no redirect is followed, the body is handed on as it came, and aiohttp's failures become
httpx2's transport errors, split the way MakeClient's retries need them: ConnectError/ConnectTimeout when
nothing reached the server, ReadError/ReadTimeout/RemoteProtocolError when the request may have been sent.
Deadlines are the caller's (a timeout for connecting and each read, and the caller's cancel scope).

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
from collections.abc import AsyncIterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol

import anyio
import httpx2

if TYPE_CHECKING:
    import aiohttp

# Idle connections close after this many seconds; at most this many are open (100: a burst of concurrent
# calls does not reconnect each time).
KEEPALIVE_SECONDS = 5.0
MAX_CONNECTIONS = 100


class Reply(Protocol):
    """An answer's head, and its body as it came (still compressed), a piece at a time."""

    status: int
    headers: Mapping[str, str]  # case-insensitive

    def pieces(self) -> AsyncIterator[bytes]: ...

    async def aclose(self) -> None: ...


class Wire(Protocol):
    """How MakeClient sends a request: AiohttpTransport on the network, HttpxWire over any other httpx2 transport."""

    async def exchange(
        self, method: str, url: str, headers: Sequence[tuple[str, str]], body: bytes | None, timeout: float
    ) -> Reply: ...

    async def aclose(self) -> None: ...


def wire_for(transport: httpx2.AsyncBaseTransport | None) -> Wire:
    """The wire over `transport`; None: aiohttp on the network."""
    if transport is None:
        return AiohttpTransport()
    return transport if isinstance(transport, AiohttpTransport) else HttpxWire(transport)


class HttpxWire:
    """An httpx2 transport (MockTransport in tests, the in-process sandbox's ASGITransport) as a Wire: the request
    made an httpx2.Request, the answer's body read raw, as aiohttp's is."""

    def __init__(self, transport: httpx2.AsyncBaseTransport) -> None:
        self._transport = transport

    async def exchange(
        self, method: str, url: str, headers: Sequence[tuple[str, str]], body: bytes | None, timeout: float
    ) -> Reply:
        request = httpx2.Request(method, url, headers=headers, content=body, extensions={"timeout": _timeouts(timeout)})
        return _HttpxReply(await self._transport.handle_async_request(request))

    async def aclose(self) -> None:
        await self._transport.aclose()


class _HttpxReply:
    def __init__(self, response: httpx2.Response) -> None:
        self.status = response.status_code
        self.headers: Mapping[str, str] = response.headers
        self._response = response

    def pieces(self) -> AsyncIterator[bytes]:
        stream = self._response.stream  # as it came: a MockTransport answer made with content= was read already
        assert isinstance(stream, httpx2.AsyncByteStream)
        return aiter(stream)

    async def aclose(self) -> None:
        await self._response.aclose()


@functools.lru_cache(maxsize=64)
def _timeouts(seconds: float) -> dict[str, float | None]:
    """httpx2's per-phase timeouts (connect, read, write, pool), each `seconds`: the same few for every request."""
    return httpx2.Timeout(seconds).as_dict()


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

    async def exchange(
        self, method: str, url: str, headers: Sequence[tuple[str, str]], body: bytes | None, timeout: float
    ) -> Reply:
        """MakeClient's way in: the request as plain values, the answer as it comes, no httpx2 objects around
        aiohttp's (they cost about as much CPU time as aiohttp itself). `url` is already percent-encoded.
        `timeout` bounds connecting, so a connection that never opens is told apart from an answer that never
        came; the caller's deadline bounds the rest (a timer per read on top of it would only cost time)."""
        return AiohttpReply(await self._sent(method, url, headers, body, (timeout, None)))

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        timeout = request.extensions.get("timeout") or {}
        answer = await self._sent(
            request.method,
            str(request.url),
            request.headers.multi_items(),
            await request.aread() or None,
            (timeout.get("connect"), timeout.get("read")),
            request.extensions.get("sni_hostname"),  # a pinned address's TLS name
            request,
        )
        return httpx2.Response(
            answer.status,
            headers=answer.raw_headers,
            stream=_Body(AiohttpReply(answer, request)),
            extensions={"http_version": b"HTTP/1.1", "reason_phrase": (answer.reason or "").encode("latin-1")},
            request=request,
        )

    async def _sent(
        self,
        method: str,
        url: str,
        headers: Sequence[tuple[str, str]],
        body: bytes | None,
        timeout: tuple[float | None, float | None],
        server_hostname: str | None = None,
        request: httpx2.Request | None = None,
    ) -> aiohttp.ClientResponse:
        """The answer's head, once it came; aiohttp's failures as httpx2's transport errors. `url` is
        percent-encoded; `timeout` is (connecting, each read) in seconds."""
        https = url[:6].lower() == "https:"
        session = await self._opened(https)  # first: the first request imports aiohttp (and yarl) in a worker thread
        import aiohttp
        from yarl import URL

        try:
            return await session.request(
                method,
                URL(url, encoded=True),
                headers=headers,
                data=body,
                allow_redirects=False,
                timeout=_client_timeout(*timeout),
                ssl=self._tls() if https else True,
                server_hostname=server_hostname,
            )
        except aiohttp.ClientError as error:
            raise _sending_error(error, request) from error
        except TimeoutError as error:  # not one of aiohttp's (those are ClientErrors): the request may have gone out
            raise httpx2.ReadTimeout(str(error) or "no answer in time", request=request) from error

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
        auto_decompress=False,  # the caller inflates (inflate.py, httpx2), so it can cap what a body inflates to
        trust_env=False,
        timeout=aiohttp.ClientTimeout(total=None),
        skip_auto_headers=("User-Agent", "Accept", "Accept-Encoding"),
    )
    # aiohttp sends a GET again at once when its connection drops; MakeClient's retry policy decides that
    # (the rate budget, the waits, the count). aiohttp's own test client turns it off the same way.
    session._retry_connection = False  # pyright: ignore[reportPrivateUsage]
    return session


class AiohttpReply:
    """An answer from aiohttp: its head, and its body as it comes (still compressed); the connection goes back to
    the pool once all of it was read."""

    def __init__(self, answer: aiohttp.ClientResponse, request: httpx2.Request | None = None) -> None:
        self.status = answer.status
        self.headers: Mapping[str, str] = answer.headers
        self._answer = answer
        self._request = request  # named by the errors of an httpx2 request

    async def pieces(self) -> AsyncIterator[bytes]:
        import aiohttp

        content = self._answer.content
        try:
            while piece := await content.readany():  # what iter_any does, without its iterator around it
                yield piece
        except aiohttp.ClientError as error:
            raise _reading_error(error, self._request) from error
        except TimeoutError as error:
            raise httpx2.ReadTimeout(str(error) or "no answer in time", request=self._request) from error

    async def aclose(self) -> None:
        # A body read to its end gave the connection back to the pool already; one that was not closes it here.
        if not self._answer.closed:
            self._answer.release()


class _Body(httpx2.AsyncByteStream):
    """An aiohttp answer's body as httpx2's response stream."""

    def __init__(self, reply: AiohttpReply) -> None:
        self._reply = reply

    def __aiter__(self) -> AsyncIterator[bytes]:
        return self._reply.pieces()

    async def aclose(self) -> None:
        await self._reply.aclose()


@functools.lru_cache(maxsize=64)
def _client_timeout(connect: float | None, read: float | None) -> aiohttp.ClientTimeout:
    import aiohttp

    return aiohttp.ClientTimeout(total=None, connect=connect, sock_read=read)


def _sending_error(error: aiohttp.ClientError, request: httpx2.Request | None) -> httpx2.TransportError:
    """What went wrong before an answer's head came: no connection at all, or a connection that then failed."""
    import aiohttp

    message = str(error) or type(error).__name__
    if isinstance(error, aiohttp.ClientConnectorError):
        return httpx2.ConnectError(message, request=request)
    if isinstance(error, aiohttp.ConnectionTimeoutError):
        return httpx2.ConnectTimeout(message, request=request)
    return _reading_error(error, request)


def _reading_error(error: aiohttp.ClientError, request: httpx2.Request | None) -> httpx2.TransportError:
    import aiohttp

    message = str(error) or type(error).__name__
    if isinstance(error, aiohttp.ServerTimeoutError):
        return httpx2.ReadTimeout(message, request=request)
    if isinstance(error, aiohttp.ClientResponseError | aiohttp.ClientPayloadError):
        return httpx2.RemoteProtocolError(message, request=request)
    return httpx2.ReadError(message, request=request)
