"""Undoing an answer's content codings: gzip and deflate (zlib-wrapped or raw), stacked ones in reverse, each step
a bounded piece at a time, codings not asked for left alone."""

from __future__ import annotations

import gzip
import zlib

import pytest

from make_mcp.server.make_api.inflate import MAX_CODINGS, PIECE, InflateError, inflater


def undone(content_encoding: str, body: bytes, split: int = 7) -> list[bytes]:
    """The pieces the inflater gives for `body` fed in parts of `split` bytes."""
    undo = inflater(content_encoding)
    assert undo is not None
    pieces = [piece for start in range(0, len(body), split) for piece in undo.feed(body[start : start + split])]
    return pieces + list(undo.end())


def raw_deflated(data: bytes) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    return compressor.compress(data) + compressor.flush()


def test_a_gzip_body_inflates_to_what_was_compressed_whatever_the_parts_it_came_in() -> None:
    data = b'{"id": 1, "name": "' + b"x" * 5000 + b'"}'
    assert b"".join(undone("gzip", gzip.compress(data))) == data
    assert b"".join(undone("GZIP", gzip.compress(data), split=100_000)) == data


def test_a_body_that_inflates_a_lot_comes_out_in_pieces_no_larger_than_the_bound() -> None:
    data = b"0" * (PIECE * 10 + 3)
    pieces = undone("gzip", gzip.compress(data), split=1_000_000)
    assert b"".join(pieces) == data
    assert max(map(len, pieces)) <= PIECE
    assert len(pieces) >= 10


@pytest.mark.parametrize("packed", [zlib.compress(b"plain deflate" * 50), raw_deflated(b"plain deflate" * 50)])
def test_deflate_is_undone_whether_zlib_wrapped_or_raw(packed: bytes) -> None:
    assert b"".join(undone("deflate", packed)) == b"plain deflate" * 50


def test_stacked_codings_are_undone_the_last_applied_first() -> None:
    data = b'{"rows": [1, 2, 3]}' * 100
    assert b"".join(undone("deflate, gzip", gzip.compress(zlib.compress(data)))) == data


def test_no_coding_identity_or_one_not_asked_for_leaves_the_body_as_it_is() -> None:
    assert inflater(None) is None
    assert inflater("") is None
    assert inflater("identity") is None
    assert inflater("br") is None


def test_more_codings_than_any_server_stacks_is_an_error() -> None:
    with pytest.raises(InflateError):
        inflater(", ".join(["gzip"] * (MAX_CODINGS + 1)))


@pytest.mark.parametrize("coding", ["gzip", "deflate"])
def test_a_body_that_is_not_what_its_coding_says_is_an_inflate_error(coding: str) -> None:
    with pytest.raises(InflateError):
        undone(coding, b'{"id": 1} not compressed at all')
