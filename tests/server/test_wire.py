"""The aiohttp engine under httpx2's transport interface, against a scripted HTTP server on a loopback socket:
what goes out is what the caller built, nothing is kept or followed, the body comes back as sent and httpx2
decodes it, and each way a connection fails is the httpx2 error MakeClient's retries sort by."""

from __future__ import annotations

import asyncio
import contextlib
import gzip
import json
import os
import subprocess
import sys
import textwrap
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import httpx2
import pytest

from make_mcp.server.errors import MakeApiError
from make_mcp.server.make_api.client import Lost, MakeClient, MakeRequest, NotConnected
from make_mcp.server.make_api.wire import AiohttpTransport

TIMEOUTS = httpx2.Timeout(10.0).as_dict()


@dataclass
class Received:
    head: str  # request line and headers
    body: bytes

    def header(self, name: str) -> str | None:
        for line in self.head.split("\r\n")[1:]:
            key, _, value = line.partition(":")
            if key.strip().lower() == name.lower():
                return value.strip()
        return None


@dataclass
class Script:
    """What the server does with each request, in turn: bytes to answer with, or None to close at once."""

    answers: list[bytes | None]
    then_close: bool = False  # once the answers are used up; else the connection stays open until the client's end
    received: list[Received] = field(default_factory=list[Received])
    connections: int = 0


def answer(status: str, body: bytes = b"", *headers: str) -> bytes:
    head = [f"HTTP/1.1 {status}", f"Content-Length: {len(body)}", *headers]
    return ("\r\n".join(head) + "\r\n\r\n").encode() + body


@contextlib.asynccontextmanager
async def scripted(script: Script) -> AsyncIterator[str]:
    """A server on a free loopback port following `script`; yields its base URL."""

    handlers: set[asyncio.Task[None]] = set()

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        handlers.add(asyncio.current_task())  # type: ignore[arg-type]
        script.connections += 1
        try:
            await follow(reader, writer)
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            writer.close()

    async def follow(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while script.answers:
            head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1")
            request = Received(head, b"")
            request.body = await reader.readexactly(int(request.header("Content-Length") or 0))
            script.received.append(request)
            reply = script.answers.pop(0)
            if reply is None:
                return
            writer.write(reply)
            await writer.drain()
        if not script.then_close:
            await reader.read()

    server = await asyncio.start_server(serve, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.close()
        for handler in handlers:
            handler.cancel()
        await asyncio.gather(*handlers, return_exceptions=True)
        await asyncio.sleep(0)  # the closed sockets are let go on the next turn of the loop


async def exchange(transport: AiohttpTransport, request: httpx2.Request) -> tuple[httpx2.Response, bytes]:
    response = await transport.handle_async_request(request)
    try:
        body = b"".join([piece async for piece in response.aiter_bytes()])
    finally:
        await response.aclose()
    return response, body


def get(url: str, **headers: str) -> httpx2.Request:
    return httpx2.Request("GET", url, headers=headers, extensions={"timeout": TIMEOUTS})


async def test_the_request_goes_out_as_built_with_its_percent_encoding_kept() -> None:
    script = Script([answer("200 OK", b"{}")])
    transport = AiohttpTransport()
    async with scripted(script) as base:
        request = httpx2.Request(
            "POST",
            f"{base}/api/v2/data-stores/1/data/a%2Fb",
            params=(("cols[]", "id"), ("q", "a b")),
            content=b'{"x": 1}',
            headers={"Authorization": "Token t-000001", "Content-Type": "application/json", "User-Agent": "ua/1"},
            extensions={"timeout": TIMEOUTS},
        )
        response, body = await exchange(transport, request)
    await transport.aclose()
    assert (response.status_code, body) == (200, b"{}")
    sent = script.received[0]
    assert sent.head.startswith("POST /api/v2/data-stores/1/data/a%2Fb?cols%5B%5D=id&q=a+b HTTP/1.1\r\n")
    assert sent.header("Authorization") == "Token t-000001"
    assert sent.header("User-Agent") == "ua/1"
    assert sent.body == b'{"x": 1}'


async def test_requests_one_after_another_share_one_connection() -> None:
    script = Script([answer("200 OK", b"1"), answer("200 OK", b"2")])
    transport = AiohttpTransport()
    async with scripted(script) as base:
        bodies = [(await exchange(transport, get(f"{base}/a")))[1] for _ in range(2)]
    await transport.aclose()
    assert bodies == [b"1", b"2"]
    assert script.connections == 1


async def test_an_answer_left_unread_leaves_nothing_for_the_next_request_which_gets_a_connection_of_its_own() -> None:
    partial = b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n" + b"x" * 10  # the rest never comes
    script = Script([partial, answer("200 OK", b"2")])
    transport = AiohttpTransport()
    async with scripted(script) as base:
        unread = await transport.handle_async_request(get(f"{base}/a"))
        await unread.aclose()
        _, body = await exchange(transport, get(f"{base}/b"))
    await transport.aclose()
    assert body == b"2"
    assert script.connections == 2


async def test_a_cookie_the_server_sets_is_never_sent_back() -> None:
    cookie = "Set-Cookie: session=alice-secret; Path=/"
    script = Script([answer("200 OK", b"{}", cookie), answer("200 OK", b"{}")])
    transport = AiohttpTransport()
    async with scripted(script) as base:
        await exchange(transport, get(f"{base}/users/me", Authorization="Token alice-000001"))
        await exchange(transport, get(f"{base}/users/me", Authorization="Token bob-0000002"))
    await transport.aclose()
    assert [request.header("Cookie") for request in script.received] == [None, None]


async def test_a_redirect_is_the_answer_and_is_not_followed() -> None:
    script = Script([answer("302 Found", b"", "Location: /elsewhere"), answer("200 OK", b"followed")])
    transport = AiohttpTransport()
    async with scripted(script) as base:
        response, _ = await exchange(transport, get(f"{base}/users/me", Authorization="Token alice-000001"))
    await transport.aclose()
    assert response.status_code == 302
    assert len(script.received) == 1


async def test_a_compressed_answer_comes_through_compressed_and_httpx2_decodes_it() -> None:
    packed = gzip.compress(b'{"id": 1}')
    script = Script(
        [answer("200 OK", packed, "Content-Encoding: gzip"), answer("200 OK", packed, "Content-Encoding: gzip")]
    )
    transport = AiohttpTransport()
    async with scripted(script) as base:
        _, decoded = await exchange(transport, get(f"{base}/hooks/1"))
        raw = await transport.handle_async_request(get(f"{base}/hooks/1"))
        as_sent = b"".join([piece async for piece in raw.aiter_raw()])
        await raw.aclose()
    await transport.aclose()
    assert decoded == b'{"id": 1}'
    assert as_sent == packed


async def test_nothing_listening_is_a_connect_error() -> None:
    async with scripted(Script([])) as base:
        pass  # closed again: its port now refuses connections
    transport = AiohttpTransport()
    with pytest.raises(httpx2.ConnectError):
        await transport.handle_async_request(get(f"{base}/users/me"))
    await transport.aclose()


@pytest.mark.parametrize("method", ["GET", "POST"])
async def test_a_connection_closed_before_the_answer_is_a_read_failure_sent_once(method: str) -> None:
    script = Script([None, answer("200 OK", b"sent again")])
    transport = AiohttpTransport()
    async with scripted(script) as base:
        request = httpx2.Request(method, f"{base}/hooks/1", extensions={"timeout": TIMEOUTS})
        with pytest.raises(httpx2.TransportError) as raised:
            await transport.handle_async_request(request)
    await transport.aclose()
    assert not isinstance(raised.value, httpx2.ConnectError | httpx2.ConnectTimeout)  # it may have been acted on
    assert len(script.received) == 1  # the engine does not send it again: MakeClient's retry policy decides


async def test_an_answer_cut_off_in_its_body_fails_as_it_is_read() -> None:
    cut = answer("200 OK", b"x" * 100)[:-90]
    script = Script([cut], then_close=True)
    transport = AiohttpTransport()
    async with scripted(script) as base:
        response = await transport.handle_async_request(get(f"{base}/hooks/1"))
        with pytest.raises(httpx2.TransportError):
            async for _ in response.aiter_bytes():
                pass
        await response.aclose()
    await transport.aclose()


async def test_a_stalled_answer_ends_with_a_read_timeout() -> None:
    transport = AiohttpTransport()
    async with scripted(Script([b"HTTP/1.1 200 OK\r\n"])) as base:  # a head that never ends
        request = httpx2.Request("GET", f"{base}/hooks/1", extensions={"timeout": httpx2.Timeout(0.2).as_dict()})
        with pytest.raises(httpx2.ReadTimeout):
            await transport.handle_async_request(request)
    await transport.aclose()


# --- MakeClient's own way in: AiohttpTransport.exchange, no httpx2 objects -----------------------------------


async def test_make_client_on_the_network_sends_its_request_as_built_and_reads_a_compressed_answer() -> None:
    packed = gzip.compress(b'{"scenario": {"id": 7}}')
    script = Script([answer("200 OK", packed, "Content-Encoding: gzip", "Content-Type: application/json")])
    async with scripted(script) as base:
        client = MakeClient(f"{base}/api/v2", authorization="Token t-0000000001")
        request = MakeRequest(
            "PATCH",
            "/scenarios/7",
            [("confirmed", "true"), ("cols[]", "id"), ("q", "a b")],
            body={"name": "Ünïcode", "x": 1},
            headers=(("X-Extra", "1"),),
        )
        body = await client.send(request)
        await client.aclose()
    assert body == {"scenario": {"id": 7}}
    sent = script.received[0]
    assert sent.head.startswith("PATCH /api/v2/scenarios/7?confirmed=true&cols%5B%5D=id&q=a+b HTTP/1.1\r\n")
    assert sent.header("Authorization") == "Token t-0000000001"
    assert sent.header("Content-Type") == "application/json"
    assert sent.header("Accept-Encoding") == "gzip, deflate"
    assert sent.header("User-Agent") == "make-mcp/0.1"
    assert sent.header("X-Extra") == "1"
    assert sent.body == '{"name":"Ünïcode","x":1}'.encode()


async def test_make_client_on_the_network_keeps_no_cookie_and_follows_no_redirect() -> None:
    cookie = "Set-Cookie: session=alice-secret; Path=/"
    moved = answer("302 Found", b"Found", "Location: /elsewhere")
    script = Script([answer("200 OK", b"{}", cookie), moved, answer("200 OK", b"followed")])
    async with scripted(script) as base:
        client = MakeClient(f"{base}/api/v2")
        await client.send(MakeRequest("GET", "/users/me"), authorization="Token alice-000001")
        with pytest.raises(MakeApiError) as raised:
            await client.send(MakeRequest("GET", "/users/me"), authorization="Token bob-0000002")
        await client.aclose()
    assert raised.value.status == 302
    assert [request.header("Cookie") for request in script.received] == [None, None]
    assert len(script.received) == 2


async def test_make_client_on_the_network_tells_no_connection_from_a_lost_answer() -> None:
    async with scripted(Script([])) as base:
        pass  # closed again: its port now refuses connections
    client = MakeClient(f"{base}/api/v2")
    refused = await client.attempt(MakeRequest("GET", "/users/me"), None, 10.0)
    await client.aclose()
    assert isinstance(refused, NotConnected)
    async with scripted(Script([None])) as base:
        client = MakeClient(f"{base}/api/v2")
        dropped = await client.attempt(MakeRequest("POST", "/scenarios", body={}), None, 10.0)
        await client.aclose()
    assert isinstance(dropped, Lost)


async def test_make_client_on_the_network_ends_a_stalled_answer_at_its_deadline_as_a_lost_one() -> None:
    stalled = b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{"  # a body that never ends
    async with scripted(Script([stalled])) as base:
        client = MakeClient(f"{base}/api/v2", timeout=0.2)
        outcome = await client.attempt(MakeRequest("GET", "/hooks/1"), None, 0.2)
        await client.aclose()
    assert outcome == Lost("no answer in time (MAKE_TIMEOUT is 0.2 s)")


def test_a_server_on_the_in_process_sandbox_never_loads_aiohttp() -> None:
    script = textwrap.dedent(
        """
        import sys, anyio
        from make_mcp.server.engine.connect import new_make_client
        from make_mcp.server.make_api.client import MakeRequest
        from make_mcp.server.support.config import Settings

        async def main():
            client, _ = new_make_client(Settings(sandbox=True))
            await client.send(MakeRequest("GET", "/users/me"))
            await client.aclose()
            print(sorted(name for name in sys.modules if name.split(".")[0] in ("aiohttp", "httpcore2", "h11")))

        anyio.run(main)
        """
    )
    env = {key: value for key, value in os.environ.items() if not key.startswith("MAKE_")}
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


@pytest.mark.parametrize("way_in", ["exchange", "httpx2"])
def test_the_first_request_imports_aiohttp_in_a_worker_thread_without_loading_ca_certificates_for_its_defaults(
    way_in: str,
) -> None:
    script = textwrap.dedent(
        """
        import asyncio, json, ssl, sys, threading
        import httpx2
        from make_mcp.server.make_api.wire import AiohttpTransport

        importing = []

        class Watch:
            def find_spec(self, name, path, target=None):
                if name == "aiohttp":
                    importing.append(threading.current_thread() is threading.main_thread())

        async def serve(reader, writer):
            await reader.readuntil(b"\\r\\n\\r\\n")
            writer.write(b"HTTP/1.1 200 OK\\r\\nContent-Length: 2\\r\\n\\r\\nok")
            await writer.drain()
            writer.close()

        async def main():
            server = await asyncio.start_server(serve, "127.0.0.1", 0)
            port = server.sockets[0].getsockname()[1]
            url = f"http://127.0.0.1:{port}/hooks/1"
            if sys.argv[1] == "exchange":  # MakeClient's way in
                transport = AiohttpTransport()
                reply = await transport.exchange("GET", url, [], None, 10.0)
                answer = [reply.status, b"".join([piece async for piece in reply.pieces()]).decode()]
                await reply.aclose()
                await transport.aclose()
            else:
                async with httpx2.AsyncClient(transport=AiohttpTransport()) as client:
                    response = await client.get(url)
                answer = [response.status_code, response.text]
            server.close()
            return answer

        ssl_methods = dict(vars(ssl.SSLContext))
        sys.meta_path.insert(0, Watch())
        answer = asyncio.run(main())
        import aiohttp.connector as connector
        defaults = (connector._SSL_CONTEXT_VERIFIED, connector._SSL_CONTEXT_UNVERIFIED)
        print(json.dumps({
            "answer": answer,
            "on_the_main_thread": importing,
            "ca_certificates_of_the_defaults": [context.cert_store_stats()["x509_ca"] for context in defaults],
            "ssl_as_before": dict(vars(ssl.SSLContext)) == ssl_methods,
        }))
        """
    )
    env = {key: value for key, value in os.environ.items() if not key.startswith("MAKE_")}
    done = subprocess.run([sys.executable, "-c", script, way_in], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {
        "answer": [200, "ok"],
        "on_the_main_thread": [False],
        "ca_certificates_of_the_defaults": [0, 0],
        "ssl_as_before": True,
    }
