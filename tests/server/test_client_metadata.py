"""Client ID Metadata Documents: fetched over HTTPS from a local test server, refused when they are not usable."""

from __future__ import annotations

import ipaddress
import logging
from collections.abc import Iterator

import pytest

from make_mcp.server.http.client_metadata import ClientMetadataDocuments, RefusedDocument, check_url, is_public
from make_mcp.server.http.remote_auth import redirect_uri_problem
from make_mcp.server.support.state import LocalState
from tests.server.client_documents import HOST, REDIRECT_URI, DocumentServer, serve_documents


@pytest.fixture(scope="module")
def documents(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DocumentServer]:
    yield from serve_documents(tmp_path_factory.mktemp("cimd"))


async def test_a_client_is_read_from_its_document_and_cached(documents: DocumentServer) -> None:
    url = documents.publish("/cached.json")
    fetcher = documents.documents_for(LocalState())
    first = await fetcher.client(url)
    documents.documents.pop("/cached.json")  # gone from the web: the cache answers
    second = await fetcher.client(url)
    assert first is not None and second is not None
    assert first.client_id == second.client_id == url
    assert first.client_name == "CIMD test client"
    assert [str(uri) for uri in first.redirect_uris or []] == [REDIRECT_URI]
    assert first.token_endpoint_auth_method == "none"
    assert documents.fetched.count("/cached.json") == 1


@pytest.mark.parametrize(
    ("path", "fields", "reason"),
    [
        ("/other-id.json", {"client_id": "https://elsewhere.example/client.json"}, "client_id is not the URL"),
        ("/secret.json", {"token_endpoint_auth_method": "client_secret_post"}, "only public clients"),
        ("/no-redirects.json", {"redirect_uris": []}, "lists no redirect_uris"),
        ("/not-metadata.json", {"client_id": 42}, "not valid client metadata"),
        ("/clear-text.json", {"redirect_uris": ["http://attacker.example/cb"]}, "must be loopback"),
    ],
)
async def test_a_document_that_is_not_the_url_s_own_public_client_is_refused(
    documents: DocumentServer, path: str, fields: dict[str, object], reason: str, caplog: pytest.LogCaptureFixture
) -> None:
    url = documents.publish(path, **fields)
    with caplog.at_level(logging.WARNING, "make_mcp.client_metadata"):
        assert await documents.documents_for(LocalState()).client(url) is None
    assert reason in caplog.text


async def test_a_refused_client_id_is_not_fetched_again_for_a_minute(documents: DocumentServer) -> None:
    now = [0.0]
    url = documents.publish("/refused.json", client_id="https://elsewhere.example/client.json")
    fetcher = documents.documents_for(LocalState(clock=lambda: now[0]))
    assert await fetcher.client(url) is None
    documents.publish("/refused.json")  # fixed meanwhile
    assert await fetcher.client(url) is None
    assert documents.fetched.count("/refused.json") == 1
    now[0] = 61.0
    assert await fetcher.client(url) is not None
    assert documents.fetched.count("/refused.json") == 2


@pytest.mark.parametrize(
    ("path", "reason"), [("/moved", "answered 302"), ("/huge", "larger than"), ("/missing.json", "answered 404")]
)
async def test_redirects_oversized_and_missing_documents_are_refused(
    documents: DocumentServer, path: str, reason: str
) -> None:
    with pytest.raises(RefusedDocument, match=reason):
        await documents.documents_for(LocalState()).fetch(documents.url(path))


async def test_a_host_resolving_to_a_private_address_is_refused_before_any_connection(
    documents: DocumentServer,
) -> None:
    async def private(host: str, port: int) -> list[str]:
        return ["93.184.215.14", "10.0.0.7"]  # one public answer does not make up for a private one

    fetcher = ClientMetadataDocuments(LocalState(), redirect_uri_problem=redirect_uri_problem, resolve=private)
    with pytest.raises(RefusedDocument, match=r"not public \(10\.0\.0\.7\)"):
        await fetcher.fetch(documents.url("/client.json"))


async def test_production_s_guard_refuses_this_host_s_own_test_server(documents: DocumentServer) -> None:
    async def to_loopback(host: str, port: int) -> list[str]:
        return ["127.0.0.1"]

    url = documents.publish("/guarded.json")
    fetcher = ClientMetadataDocuments(LocalState(), redirect_uri_problem=redirect_uri_problem, resolve=to_loopback)
    with pytest.raises(RefusedDocument, match="not public"):
        await fetcher.fetch(url)
    assert "/guarded.json" not in documents.fetched


@pytest.mark.parametrize(
    "address",
    [
        *("127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0"),
        *("::1", "fe80::1", "fc00::1", "::ffff:10.0.0.1", "224.0.0.1", "240.0.0.1"),
    ],
)
def test_loopback_private_link_local_and_reserved_addresses_are_not_public(address: str) -> None:
    assert not is_public(ipaddress.ip_address(address))


def test_ordinary_internet_addresses_are_public() -> None:
    assert is_public(ipaddress.ip_address("93.184.215.14"))
    assert is_public(ipaddress.ip_address("2606:4700::6810:84e5"))


@pytest.mark.parametrize(
    "url",
    [
        f"http://{HOST}/client.json",
        f"https://{HOST}/",
        f"https://{HOST}",
        f"https://user:pw@{HOST}/client.json",
        f"https://{HOST}/client.json#x",
        f"https://{HOST}/a/../client.json",
    ],
)
def test_client_id_urls_without_https_a_path_or_with_credentials_fragments_or_dot_segments_are_refused(
    url: str,
) -> None:
    with pytest.raises(RefusedDocument):
        check_url(url)


def test_a_client_id_url_keeps_its_port_and_query() -> None:
    assert check_url(f"https://{HOST}:8443/c.json?v=2") == (HOST, 8443, "/c.json?v=2")
