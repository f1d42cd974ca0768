"""A local HTTPS server of Client ID Metadata Documents for the tests, and the guard's test-only allowance.

The documents' host is `client.test`, served on 127.0.0.1 with a certificate made here for that name. The fetcher
under test is the production one; only its three injection points change: a resolver that answers 127.0.0.1 for
client.test, an address check that admits loopback, and a TLS context that trusts the test certificate.
"""

from __future__ import annotations

import datetime
import ipaddress
import json
import socket
import ssl
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import uvicorn
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from make_mcp.server.http.client_metadata import ClientMetadataDocuments, IpAddress
from make_mcp.server.http.remote_auth import redirect_uri_problem
from make_mcp.server.support.state import SharedState

HOST = "client.test"
REDIRECT_URI = "http://127.0.0.1:9/callback"  # never listened on


def write_certificate(folder: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, HOST)])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(HOST)]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return cert_path, key_path


@dataclass
class DocumentServer:
    """Serves whatever JSON `documents` holds under each path; `/moved` redirects, `/huge` is 64 KB."""

    port: int
    trust: ssl.SSLContext
    documents: dict[str, Any] = field(default_factory=dict)
    fetched: list[str] = field(default_factory=list)

    def url(self, path: str) -> str:
        return f"https://{HOST}:{self.port}{path}"

    def publish(self, path: str, **fields: Any) -> str:
        """Publishes a public client's document at `path` (its client_id its own URL, a loopback redirect URI,
        unless `fields` say otherwise); returns the URL."""
        url = self.url(path)
        self.documents[path] = {"client_id": url, "client_name": "CIMD test client", "redirect_uris": [REDIRECT_URI]}
        self.documents[path].update(fields)
        return url

    async def answer(self, request: Request) -> Response:
        path = request.url.path
        self.fetched.append(path)
        if path == "/moved":
            return RedirectResponse(self.url("/client.json"), status_code=302)
        if path == "/huge":
            return Response(
                json.dumps({"client_id": self.url(path), "pad": "x" * 65536}), media_type="application/json"
            )
        if path not in self.documents:
            return Response(status_code=404)
        return JSONResponse(self.documents[path])

    def documents_for(self, state: SharedState) -> ClientMetadataDocuments:
        """The production fetcher, pointed at this server: client.test is 127.0.0.1, and loopback is admitted."""

        async def resolve(host: str, port: int) -> list[str]:
            return ["127.0.0.1"] if host == HOST else []

        def loopback_too(address: IpAddress) -> bool:
            return address == ipaddress.ip_address("127.0.0.1")

        return ClientMetadataDocuments(
            state,
            redirect_uri_problem=redirect_uri_problem,
            resolve=resolve,
            address_allowed=loopback_too,
            verify=self.trust,
        )


def serve_documents(folder: Path) -> Iterator[DocumentServer]:
    cert, key = write_certificate(folder)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    trust = ssl.create_default_context(cafile=str(cert))
    documents = DocumentServer(sock.getsockname()[1], trust)
    app = Starlette(routes=[Route("/{path:path}", documents.answer)])
    config = uvicorn.Config(app, log_level="warning", ssl_certfile=str(cert), ssl_keyfile=str(key), lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.01)
    try:
        yield documents
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
