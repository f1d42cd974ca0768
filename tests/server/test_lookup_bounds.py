"""server/lookup_bounds.py: whose address a request's scope lookups count against."""

from __future__ import annotations

import pytest

from make_mcp.server.http.lookup_bounds import client_address
from make_mcp.server.support.config import ForwardedHeader

ADDRESSES: dict[str, tuple[ForwardedHeader, list[tuple[bytes, bytes]], str]] = {
    "the peer, with no trusted header": ("off", [(b"x-forwarded-for", b"10.0.0.1")], "127.0.0.9"),
    "the last X-Forwarded-For entry, the proxy's": (
        "x-forwarded-for",
        [(b"x-forwarded-for", b"6.6.6.6, 10.0.0.1")],
        "10.0.0.1",
    ),
    "the last of several X-Forwarded-For headers": (
        "x-forwarded-for",
        [(b"x-forwarded-for", b"6.6.6.6"), (b"X-Forwarded-For", b"10.0.0.2")],
        "10.0.0.2",
    ),
    "the other header is not the trusted one": ("forwarded", [(b"x-forwarded-for", b"10.0.0.1")], "127.0.0.9"),
    "Forwarded's last for=, port left out": (
        "forwarded",
        [(b"forwarded", b"for=6.6.6.6, For=10.0.0.3:80;proto=https")],
        "10.0.0.3",
    ),
    "Forwarded's IPv6 in brackets, counted by its /64": (
        "forwarded",
        [(b"forwarded", b'for="[2001:db8:1:2:3:4:5:6]:4711"')],
        "2001:db8:1:2::/64",
    ),
    "no trusted header sent: the peer": ("x-forwarded-for", [], "127.0.0.9"),
    "an IPv4-mapped address is its IPv4": ("x-forwarded-for", [(b"x-forwarded-for", b"::ffff:10.0.0.4")], "10.0.0.4"),
    "a name that is no address, as it is": ("forwarded", [(b"forwarded", b"for=_hidden")], "_hidden"),
}


@pytest.mark.parametrize(("header", "headers", "expected"), ADDRESSES.values(), ids=ADDRESSES.keys())
def test_a_requests_address_is_the_peers_unless_the_trusted_proxy_header_says(
    header: ForwardedHeader, headers: list[tuple[bytes, bytes]], expected: str
) -> None:
    assert client_address({"client": ("127.0.0.9", 5555), "headers": headers}, header) == expected
