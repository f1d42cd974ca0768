"""Client ID Metadata Documents: an MCP client whose client_id is an HTTPS URL, described by the JSON found there.

The 2025-11-25 MCP authorization specification prefers these to dynamic registration: the client hosts its own
metadata (name, redirect URIs) and the authorization server fetches it. Fetching a URL a stranger chose is a
server-side request forgery risk, so the fetch is guarded: https only, every address the host resolves to must be
public (no loopback, private, link-local, multicast or reserved one), the connection goes to the address that was
checked (no second lookup a rebinding DNS could answer differently), no redirects, a size cap and a deadline.
A document is accepted only if its client_id is exactly its URL, it asks for no client secret, and its redirect
URIs pass the rules dynamic registration applies. Accepted documents are cached in the shared state.
"""

from __future__ import annotations

import ipaddress
import logging
import socket
import ssl
from collections.abc import Awaitable, Callable, Iterable
from urllib.parse import urlsplit

import anyio
import httpx2
from mcp.shared.auth import OAuthClientInformationFull
from pydantic import ValidationError

from make_mcp.server.make_api.client import USER_AGENT
from make_mcp.server.make_api.wire import AiohttpTransport
from make_mcp.server.support.state import SharedState

log = logging.getLogger("make_mcp.client_metadata")

MAX_DOCUMENT_BYTES = 5 * 1024  # the draft suggests 5 KB: a client's metadata is a few hundred bytes
FETCH_SECONDS = 5.0
CACHE_SECONDS = 3600  # a changed document (a new redirect URI) is seen within the hour
REFUSED_SECONDS = 60  # a refused client ID is not fetched again for this long

IpAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], Awaitable[list[str]]]
AddressCheck = Callable[[IpAddress], bool]


class RefusedDocument(Exception):
    """The client ID cannot be used; the message says why (logged, never shown with any secret in it)."""


def is_client_id_url(client_id: str) -> bool:
    return client_id.startswith("https://")


def is_public(address: IpAddress) -> bool:
    """Whether a fetch may go to this address: only the public internet, never this host or its networks."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_global and not address.is_multicast


async def system_resolve(host: str, port: int) -> list[str]:
    answers = await anyio.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(answer[4][0]) for answer in answers]


def check_url(url: str) -> tuple[str, int, str]:
    """The host, port and path of a usable client ID URL (https, a path, no credentials, fragment or dot segment)."""
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.hostname:
        raise RefusedDocument("a client ID URL must be https:// with a host")
    if parts.username is not None or parts.password is not None or parts.fragment or "#" in url:
        raise RefusedDocument("a client ID URL may not carry credentials or a fragment")
    segments = parts.path.split("/")
    if parts.path in ("", "/") or "." in segments or ".." in segments:
        raise RefusedDocument("a client ID URL needs a path without . or .. segments")
    try:
        port = parts.port or 443
    except ValueError:
        raise RefusedDocument("a client ID URL has an invalid port") from None
    return parts.hostname, port, parts.path + (f"?{parts.query}" if parts.query else "")


def check_document(url: str, body: bytes) -> OAuthClientInformationFull:
    """The client a fetched document describes, once it proves to be this URL's own and asks for no secret."""
    try:
        client = OAuthClientInformationFull.model_validate_json(body)
    except ValidationError as error:
        raise RefusedDocument(f"the document is not valid client metadata ({error.error_count()} errors)") from None
    if client.client_id != url:
        raise RefusedDocument("the document's client_id is not the URL it was fetched from")
    if client.client_secret is not None or client.token_endpoint_auth_method not in (None, "none"):
        raise RefusedDocument("only public clients (token_endpoint_auth_method none) may sign in by client ID URL")
    if not client.redirect_uris:
        raise RefusedDocument("the document lists no redirect_uris")
    return client.model_copy(update={"token_endpoint_auth_method": "none"})


class ClientMetadataDocuments:
    """Looks up (and caches) the client an HTTPS client ID names. `resolve`, `address_allowed` and `verify` exist
    for tests, which serve documents from this host: production keeps the defaults."""

    def __init__(
        self,
        state: SharedState,
        *,
        redirect_uri_problem: Callable[[OAuthClientInformationFull], str | None],
        resolve: Resolver = system_resolve,
        address_allowed: AddressCheck = is_public,
        verify: ssl.SSLContext | bool = True,
    ) -> None:
        self._state = state
        self._redirect_uri_problem = redirect_uri_problem
        self._resolve = resolve
        self._address_allowed = address_allowed
        self._verify = verify

    async def client(self, url: str) -> OAuthClientInformationFull | None:
        """The client this URL describes, or None (the reason logged) when it cannot be used."""
        key = f"cimd:{url}"
        cached = await self._state.get(key)
        if cached is not None:
            return OAuthClientInformationFull.model_validate_json(cached)
        if await self._state.get(f"cimd-refused:{url}") is not None:  # no fetch per request of a refused ID
            return None
        try:
            client = check_document(url, await self.fetch(url))
            problem = self._redirect_uri_problem(client)
            if problem is not None:
                raise RefusedDocument(problem)
        except RefusedDocument as refused:
            log.warning("refused the client ID %s: %s", url[:200], refused)
            await self._state.put(f"cimd-refused:{url}", b"1", REFUSED_SECONDS)
            return None
        await self._state.put(key, client.model_dump_json().encode(), CACHE_SECONDS)
        return client

    async def fetch(self, url: str) -> bytes:
        host, port, target = check_url(url)
        address = await self._vetted_address(host, port)
        pinned = f"https://{_bracketed(address)}:{port}{target}"
        try:
            async with httpx2.AsyncClient(
                transport=AiohttpTransport(verify=self._verify),
                timeout=FETCH_SECONDS,
                follow_redirects=False,
                trust_env=False,
            ) as http:
                with anyio.fail_after(FETCH_SECONDS):
                    return await _read_capped(http, pinned, host, port)
        except (httpx2.HTTPError, TimeoutError, ssl.SSLError, OSError) as error:
            raise RefusedDocument(f"the document could not be fetched ({type(error).__name__})") from None

    async def _vetted_address(self, host: str, port: int) -> str:
        try:
            answers = await self._resolve(host, port)
        except OSError:
            raise RefusedDocument(f"{host} does not resolve") from None
        addresses = _parsed(answers)
        if not addresses:
            raise RefusedDocument(f"{host} does not resolve")
        refused = [str(address) for address in addresses if not self._address_allowed(address)]
        if refused:  # one bad answer is enough: a rebinding DNS would alternate
            raise RefusedDocument(f"{host} resolves to an address that is not public ({refused[0]})")
        return str(addresses[0])


async def _read_capped(http: httpx2.AsyncClient, pinned: str, host: str, port: int) -> bytes:
    headers = {
        "Host": host if port == 443 else f"{host}:{port}",
        "Accept": "application/json",
        "User-Agent": USER_AGENT,
    }
    async with http.stream("GET", pinned, headers=headers, extensions={"sni_hostname": host}) as response:
        if response.status_code != 200:
            raise RefusedDocument(f"the document's URL answered {response.status_code} (redirects are not followed)")
        body = bytearray()
        async for chunk in response.aiter_bytes():
            body.extend(chunk)
            if len(body) > MAX_DOCUMENT_BYTES:
                raise RefusedDocument(f"the document is larger than {MAX_DOCUMENT_BYTES} bytes")
        return bytes(body)


def _parsed(answers: Iterable[str]) -> list[IpAddress]:
    parsed: list[IpAddress] = []
    for answer in answers:
        try:
            parsed.append(ipaddress.ip_address(answer.split("%", 1)[0]))
        except ValueError:
            continue
    return parsed


def _bracketed(address: str) -> str:
    return f"[{address}]" if ":" in address else address
