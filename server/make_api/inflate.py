"""An answer's body with its content codings undone, a bounded piece at a time.

MakeClient asks only for gzip and deflate (the standard library's zlib undoes both). Each step hands on at most
PIECE bytes per call, so a small compressed body never inflates in one go: the reader counts what came out and
stops at its cap. Codings this server did not ask for are left as they are (the body then fails as JSON, with a
clear message); "deflate" is taken as zlib-wrapped, or raw when its first bytes say so, as servers send both.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator, Sequence

PIECE = 64 * 1024
MAX_CODINGS = 5  # more codings stacked on one body is no server's answer


class InflateError(Exception):
    """The body does not decompress as its Content-Encoding says."""


def inflater(content_encoding: str | None) -> Inflater | None:
    """What undoes `content_encoding` (a Content-Encoding header); None when nothing needs undoing."""
    if not content_encoding:
        return None
    codings = [coding.strip().lower() for coding in content_encoding.split(",")]
    steps = [coding for coding in codings if coding in ("gzip", "deflate")]
    if len(steps) > MAX_CODINGS:
        raise InflateError(f"more than {MAX_CODINGS} content codings")
    return Inflater(steps) if steps else None


class Inflater:
    def __init__(self, codings: Sequence[str]) -> None:
        self._steps = [_Step(coding) for coding in reversed(codings)]  # the last applied is undone first

    def feed(self, data: bytes) -> Iterator[bytes]:
        """The decompressed pieces of `data`, the next part of the body. Raises InflateError."""
        try:
            yield from _through(self._steps, data)
        except zlib.error as error:
            raise InflateError(str(error)) from None

    def end(self) -> Iterator[bytes]:
        """What the steps still hold once the whole body was fed."""
        try:
            for index, step in enumerate(self._steps):
                yield from _through(self._steps[index + 1 :], step.flush())
        except zlib.error as error:
            raise InflateError(str(error)) from None


class _Step:
    def __init__(self, coding: str) -> None:
        self._coding = coding
        self._zlib = zlib.decompressobj(zlib.MAX_WBITS | 16 if coding == "gzip" else zlib.MAX_WBITS)
        self._first = True

    def out(self, data: bytes) -> Iterator[bytes]:
        first, self._first = self._first, False
        try:
            piece = self._zlib.decompress(data, PIECE)
        except zlib.error:
            if not (first and self._coding == "deflate"):
                raise
            self._zlib = zlib.decompressobj(-zlib.MAX_WBITS)  # raw deflate, without zlib's header
            piece = self._zlib.decompress(data, PIECE)
        while piece:
            yield piece
            piece = self._zlib.decompress(self._zlib.unconsumed_tail, PIECE)

    def flush(self) -> bytes:
        return self._zlib.flush()


def _through(steps: Sequence[_Step], data: bytes) -> Iterator[bytes]:
    if not steps:
        if data:
            yield data
        return
    for piece in steps[0].out(data):
        yield from _through(steps[1:], piece)
