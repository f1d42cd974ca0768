"""scripts/conformance_sign_in.py registers the suite's callback with make-mcp and plays the person's browser."""

from __future__ import annotations

import importlib.util
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx2
import pytest

from make_mcp.server.make_api.auth import pkce_pair
from tests.conftest import LoopbackSandbox
from tests.server.test_remote_auth import Running, serve  # noqa: F401  (the fixture)

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "conformance_sign_in.py"
_spec = importlib.util.spec_from_file_location("make_mcp_conformance_sign_in", SCRIPT)
assert _spec is not None and _spec.loader is not None
sign_in = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(sign_in)


@pytest.fixture
def callback() -> Iterator[tuple[str, list[str]]]:
    """The suite's callback server: records each request's path and query."""
    received: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            received.append(self.path)
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"OK")

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/callback", received
    server.shutdown()
    server.server_close()


def test_the_scripted_browser_allows_the_sign_in_and_brings_a_code_the_client_exchanges_for_tokens(
    loopback_sandbox: LoopbackSandbox,
    serve: Callable[..., Running],  # noqa: F811  (the fixture imported above)
    callback: tuple[str, list[str]],
) -> None:
    redirect_uri, received = callback
    running = serve(loopback_sandbox)
    client = sign_in.register(running.base, redirect_uri)
    verifier, challenge = pkce_pair()
    query = {
        "response_type": "code",
        "client_id": client["client_id"],
        "state": "suite-state",
        "redirect_uri": redirect_uri,
        "code_challenge": challenge,
        "code_challenge_method": "S256",
        "resource": running.mcp_url,
    }

    sign_in.browse(f"{running.base}/authorize?{urlencode(query)}", redirect_uri)

    assert len(received) == 1 and urlsplit(received[0]).path == "/callback"
    answer = {key: values[0] for key, values in parse_qs(urlsplit(received[0]).query).items()}
    assert answer["state"] == "suite-state" and answer["iss"] == running.base
    token = httpx2.post(
        f"{running.base}/token",
        data={
            "grant_type": "authorization_code",
            "code": answer["code"],
            "redirect_uri": redirect_uri,
            "code_verifier": verifier,
            "client_id": client["client_id"],
            "client_secret": client["client_secret"],
        },
    )
    assert token.status_code == 200 and token.json()["token_type"] == "Bearer"
    assert token.headers["cache-control"] == "no-store"
