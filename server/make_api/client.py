"""MakeClient: the one HTTP client every tool call goes through.

It owns the auth header, the base URL, timeouts, retries (429 and transport failures always when the
request cannot have been processed; 5xx and read failures only for idempotent methods), Retry-After,
and the mapping of Make's error bodies onto make_mcp.server.errors. `send` is three steps, each testable alone:
one try (`MakeClient.attempt`, classified as an answer, no connection, a lost answer or an unreadable
one), the retry decision (`RetryPolicy.wait_before_retry`), and the answer's filtering (`filter_answer`:
JSON decoded within limits, an echoed credential masked).

The credential comes from a `Credentials` object: a fixed header (API token), or OAuth 2.0 tokens
(server/make_api/auth.py) that renew themselves before they expire and once after a 401.

The timeout bounds each whole attempt, not only each network read: an answer dribbled out a byte at a
time ends like no answer at all. Answers are read a piece at a time up to MAX_ANSWER_BYTES decompressed,
and no cookie is ever kept: one client serves many users' credentials over HTTP.
"""

from __future__ import annotations

import asyncio
import base64
import functools
import json
import logging
import math
import random
import re
import time
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Any, Protocol
from urllib.parse import quote, urlencode

import anyio
import httpx2

from make_mcp.server.errors import (
    MakeApiError,
    MakeError,
    MakeUnreachable,
    RateLimited,
    UnreadableAnswer,
    UnusableCredential,
)
from make_mcp.server.make_api.inflate import InflateError, inflater
from make_mcp.server.make_api.wire import Reply, Wire, wire_for
from make_mcp.server.support.metrics import RetryReason, record_make_request, record_rate_budget_wait, record_retry_wait
from make_mcp.server.support.sleep import Sleep

log = logging.getLogger("make_mcp.client")

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
USER_AGENT = "make-mcp/0.1"
# Sent with every request, before the request's own; the encodings are those server/make_api/inflate.py undoes.
DEFAULT_HEADERS = (("User-Agent", USER_AGENT), ("Accept", "application/json"), ("Accept-Encoding", "gzip, deflate"))
# Make's largest answers (a page of data-store records, a big blueprint, execution logs) are a few MiB, and a
# result is cut to MAKE_RESULT_MAX_CHARS anyway; 32 MiB leaves room for those while keeping what a
# compressed answer may inflate to per concurrent call small (a 1 MiB gzip body can hold 1 GiB).
MAX_ANSWER_BYTES = 32 * 2**20
# Deeper JSON is no answer of Make's (a blueprint's routers nest a few levels each) and would overflow the
# recursive steps after it (masking, shaping, the SDK's serialisation).
MAX_JSON_DEPTH = 128
MAYBE_DONE = " (not retried: the request may have been carried out; check before repeating it)"
# Response headers that may carry the id of Make's (or a proxy's) request, for logs.
REQUEST_ID_HEADERS = ("x-request-id", "request-id", "x-amzn-requestid", "x-amz-cf-id", "cf-ray")


class Credentials(Protocol):
    """Where the Authorization header comes from."""

    async def header(self) -> str | None:
        """The header to send now (may renew an expiring token first)."""
        ...

    async def refreshed_after_401(self, failed_header: str) -> bool:
        """After Make refused `failed_header`: True when a new header is worth one more try."""
        ...


class StaticCredentials:
    """A header that never changes: an API token ('Token ...') or a bare access token ('Bearer ...')."""

    def __init__(self, header: str | None) -> None:
        self._header = header

    async def header(self) -> str | None:
        return self._header

    async def refreshed_after_401(self, failed_header: str) -> bool:
        return False


# Told of each wait before a retry: (seconds, why).
OnWait = Callable[[float, str], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class MakeRequest:
    method: str
    path: str  # already filled in and percent-encoded, relative to /api/v2
    query: list[tuple[str, str]] = field(default_factory=list[tuple[str, str]])
    body: Any = None  # sent as JSON, unless `content` is set
    operation: str = ""  # tool name, for messages and logs
    headers: tuple[tuple[str, str], ...] = ()
    content: bytes | None = None  # a non-JSON body (markdown, javascript, png)
    content_type: str | None = None
    rate_limited: bool = True  # False: Make exempts the operation from the organization's limit (not budgeted)
    min_timeout: float | None = None  # seconds a try may take at least, for operations Make keeps open longer


# --- What one try can end in -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Answered:
    """An answer came: its status, headers and whole body (decompressed, at most MAX_ANSWER_BYTES)."""

    status: int
    headers: Mapping[str, str]  # case-insensitive
    body: bytes

    @property
    def is_success(self) -> bool:
        return 200 <= self.status < 300


@dataclass(frozen=True, slots=True)
class NotConnected:
    """No connection to Make: nothing was sent, so the request may be sent again whatever its method."""

    reason: str


@dataclass(frozen=True, slots=True)
class Lost:
    """The request went out but its answer did not come back (timeout, dropped connection): Make may have
    carried it out."""

    reason: str


@dataclass(frozen=True, slots=True)
class Unreadable:
    """An answer came that cannot be used (too large, wrongly compressed, not Make's JSON): never retried."""

    reason: str  # completes "Make's answer to <operation> ..."


TryOutcome = Answered | NotConnected | Lost | Unreadable
# What a try that did not succeed ended in, as the retry decision sees it.
Failure = NotConnected | Lost | Unreadable | MakeApiError


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    max_retries: int = 3
    base_delay: float = 0.5
    max_delay: float = 8.0
    max_retry_after: float = 60.0
    # Seconds one call may take in all, tries and waits; None: only the counts above bound it.
    deadline: float | None = None

    def backoff(self, attempt: int, jitter: float) -> float:
        """Exponential backoff with full jitter; jitter is in [0, 1)."""
        return min(self.max_delay, self.base_delay * 2**attempt) * (0.5 + jitter / 2)

    def wait_before_retry(
        self, failure: Failure, *, idempotent: bool, attempt: int, budget: CallBudget, jitter: float
    ) -> float | None:
        """Seconds to wait before trying again after try number `attempt` (0 first) failed; None: the failure is
        final (not safe or not worth repeating, the retries are spent, or the wait would not fit the budget)."""
        if attempt >= self.max_retries:
            return None
        wait = self._wait_for(failure, idempotent=idempotent, attempt=attempt, jitter=jitter)
        return wait if wait is not None and budget.fits(wait) else None

    def _wait_for(self, failure: Failure, *, idempotent: bool, attempt: int, jitter: float) -> float | None:
        if isinstance(failure, NotConnected):
            return self.backoff(attempt, jitter)  # nothing reached Make
        if isinstance(failure, Lost):
            return self.backoff(attempt, jitter) if idempotent else None  # it may have been carried out
        if isinstance(failure, Unreadable):
            return None
        # A 429 means Make refused the request before doing anything; a 5xx does not.
        if not isinstance(failure, RateLimited) and not (failure.status >= 500 and idempotent):
            return None
        if failure.retry_after is None:
            return self.backoff(attempt, jitter)
        if failure.retry_after > self.max_retry_after:
            return None  # longer than we may wait: let the agent decide
        return failure.retry_after


class CallBudget:
    """The seconds one tool call may spend in all, over every request it sends (tries and retry waits).

    Waits for the rate budget are not counted. A call makes one budget and passes it to each `send`, so a
    destructive call's preview and its real request share MAKE_CALL_DEADLINE instead of getting it each.
    """

    def __init__(self, seconds: float | None) -> None:
        self.seconds = seconds  # None: no deadline
        self.spent = 0.0

    def left(self) -> float | None:
        return None if self.seconds is None else self.seconds - self.spent

    def spend(self, seconds: float) -> None:
        self.spent += seconds

    def fits(self, wait: float) -> bool:
        """Whether waiting `wait` more seconds still leaves a try time before the deadline."""
        return self.seconds is None or self.spent + wait + MIN_TRY_SECONDS <= self.seconds


# A retry is only worth starting with at least this long left for its try.
MIN_TRY_SECONDS = 1.0


class RequestBudget(Protocol):
    """A requests-per-minute budget a MakeClient waits on before each request: this process's (RateBudget) or one
    shared by every instance (make_mcp.server.support.state.SharedRateBudget)."""

    per_minute: int

    async def acquire(self) -> None:
        """Returns once one more request fits the budget (and counts it)."""
        ...


class RateBudget:
    """Keeps this process under a requests-per-minute budget by waiting, instead of provoking 429s."""

    def __init__(self, per_minute: int, *, clock: Callable[[], float] = time.monotonic, sleep: Sleep = anyio.sleep):
        self.per_minute = per_minute
        self._clock = clock
        self._sleep = sleep
        self._sent: list[float] = []
        self._lock = anyio.Lock()

    async def acquire(self) -> None:
        async with self._lock:
            while True:
                now = self._clock()
                self._sent = [t for t in self._sent if now - t < 60.0]
                if len(self._sent) < self.per_minute:
                    self._sent.append(now)
                    return
                wait = 60.0 - (now - self._sent[0])
                record_rate_budget_wait(wait)
                await self._sleep(wait)


class MakeClient:
    def __init__(
        self,
        base_url: str,
        *,
        authorization: str | None = None,
        credentials: Credentials | None = None,
        timeout: float = 30.0,
        retry: RetryPolicy | None = None,
        transport: httpx2.AsyncBaseTransport | None = None,
        sleep: Sleep = anyio.sleep,
        jitter: Callable[[], float] = random.random,
        budget: RequestBudget | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self._credentials = credentials if credentials is not None else StaticCredentials(authorization)
        self._timeout = timeout
        self._retry = retry or RetryPolicy()
        self._sleep = sleep
        self._jitter = jitter
        self._budget = budget
        # A wire, not httpx2's AsyncClient: no cookie jar (so none is ever kept: one client sends many users'
        # requests), no redirect handling (none is followed), and none of the client's per-request merging of
        # URLs, headers and settings, which cost more than the request itself. On the network, aiohttp carries
        # the requests (server/make_api/wire.py); `transport`, any other httpx2 transport.
        self._wire: Wire = wire_for(transport)

    async def aclose(self) -> None:
        await self._wire.aclose()

    def call_budget(self) -> CallBudget:
        """A fresh budget of MAKE_CALL_DEADLINE seconds for one tool call."""
        return CallBudget(self._retry.deadline)

    async def send(
        self,
        request: MakeRequest,
        *,
        authorization: str | None = None,
        on_wait: OnWait | None = None,
        budget: CallBudget | None = None,
    ) -> Any:
        """Sends one request, retrying where safe; returns the decoded JSON body or raises a MakeMcpError.

        `on_wait` hears of every wait before a retry (seconds, why), so a caller can tell its user. `budget` is
        the call's time, shared by all its requests; without one the request gets a budget of its own.
        """
        budget = budget if budget is not None else self.call_budget()
        # A per-request header (the HTTP transport's caller's own) is used as is: never renewed.
        auth = _usable(authorization or await self._credentials.header())
        idempotent = request.method in IDEMPOTENT_METHODS
        timeout = max(self._timeout, request.min_timeout or 0.0)
        attempt = 0
        renewed = False
        while True:
            outcome = await self._timed_attempt(request, auth, timeout, budget)
            if isinstance(outcome, Answered) and outcome.status == 401 and authorization is None and not renewed:
                # Make refused the request before doing anything, so one more try is safe for any method.
                renewed = True
                if auth and await self._credentials.refreshed_after_401(auth):
                    auth = _usable(await self._credentials.header())
                    continue
            failure: Failure
            if not isinstance(outcome, Answered):
                failure = outcome
            elif outcome.is_success:
                try:
                    return filter_answer(outcome, auth)
                except _BodyProblem as problem:
                    failure = Unreadable(str(problem))
            else:
                failure = api_error(request, outcome, auth, idempotent=idempotent)
            wait = self._retry.wait_before_retry(
                failure, idempotent=idempotent, attempt=attempt, budget=budget, jitter=self._jitter()
            )
            if wait is None:
                raise final_error(request, failure, idempotent=idempotent)
            budget.spend(wait)
            record_retry_wait(_retry_reason(failure), wait)
            if on_wait is not None:
                await on_wait(wait, _why_retried(failure))
            await self._sleep(wait)
            attempt += 1

    async def _timed_attempt(
        self, request: MakeRequest, auth: str | None, timeout: float, budget: CallBudget
    ) -> TryOutcome:
        """One try within the rate budget and what is left of the call's time, which it spends."""
        if self._budget is not None and request.rate_limited:
            await self._budget.acquire()
        left = budget.left()
        if left is not None and left <= 0:
            raise MakeUnreachable(operation=request.operation, reason="the call's time (MAKE_CALL_DEADLINE) ran out")
        try_timeout = timeout if left is None else min(timeout, left)
        started = time.perf_counter()
        outcome = await self.attempt(request, auth, try_timeout)
        took = time.perf_counter() - started
        budget.spend(took)
        record_make_request(request.method, outcome.status if isinstance(outcome, Answered) else None, took)
        return outcome

    async def attempt(self, request: MakeRequest, authorization: str | None, try_timeout: float) -> TryOutcome:
        """One try of `request`, `try_timeout` seconds for all of it (connecting, sending, the whole answer)."""
        started = time.perf_counter()
        try:
            # asyncio's own deadline: this server runs on asyncio only (as aiohttp does), and it costs half as much
            # CPU time as anyio's cancel scope; an outer scope's cancellation still goes through it as one.
            async with asyncio.timeout(try_timeout):
                answered = await self._exchange(request, authorization, try_timeout)
        except (httpx2.ConnectError, httpx2.ConnectTimeout, httpx2.PoolTimeout) as exc:
            return NotConnected(_describe_transport_error(exc))
        except httpx2.TransportError as exc:
            return Lost(_describe_transport_error(exc))
        except TimeoutError:
            if try_timeout == self._timeout:
                return Lost(f"no answer in time (MAKE_TIMEOUT is {self._timeout:g} s)")
            return Lost(f"no answer in {try_timeout:g} s")
        except _BodyProblem as problem:
            return Unreadable(str(problem))
        if log.isEnabledFor(logging.DEBUG):
            log.debug(
                "%s %s -> %s in %.0f ms",
                request.method,
                request.operation or request.path,
                answered.status,
                (time.perf_counter() - started) * 1000,
            )
        return answered

    async def _exchange(self, request: MakeRequest, authorization: str | None, try_timeout: float) -> Answered:
        url, headers, content = self._wire_request(request, authorization)
        reply = await self._wire.exchange(request.method, url, headers, content, try_timeout)
        try:
            return Answered(reply.status, reply.headers, await _read_capped(reply))
        finally:
            await reply.aclose()

    def _wire_request(
        self, request: MakeRequest, authorization: str | None
    ) -> tuple[str, list[tuple[str, str]], bytes | None]:
        """The URL (percent-encoded), headers and body `request` goes out with."""
        url = self.base_url + request.path
        if request.query:
            url += "?" + urlencode(request.query)
        headers = [*DEFAULT_HEADERS, *request.headers]
        if authorization:
            headers.append(("Authorization", authorization))
        content = request.content
        if content is not None:
            if request.content_type:
                headers.append(("Content-Type", request.content_type))
        elif request.body is not None:
            content = json_body(request.body)
            headers.append(("Content-Type", "application/json"))
        return url, headers, content


def json_body(value: Any) -> bytes:
    """A request's JSON body: compact UTF-8, no NaN or Infinity (which JSON has no way to write)."""
    return _ENCODER.encode(value).encode("utf-8")


_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def _retry_reason(failure: Failure) -> RetryReason:
    if isinstance(failure, RateLimited):
        return "rate_limited"
    return "server_error" if isinstance(failure, MakeApiError) else "unreachable"


def _why_retried(failure: Failure) -> str:
    if isinstance(failure, NotConnected):
        return "Make could not be reached"
    if isinstance(failure, Lost | Unreadable):
        return "Make did not answer"
    if isinstance(failure, RateLimited):
        return "Make's rate limit was reached"
    return f"Make answered {failure.status}"


def final_error(request: MakeRequest, failure: Failure, *, idempotent: bool) -> MakeError:
    """The error the model reads once `failure` is not retried (again)."""
    if isinstance(failure, NotConnected):
        return MakeUnreachable(operation=request.operation, reason=failure.reason)
    if isinstance(failure, Lost):
        return MakeUnreachable(operation=request.operation, reason=failure.reason + ("" if idempotent else MAYBE_DONE))
    if isinstance(failure, Unreadable):
        return UnreadableAnswer(
            operation=request.operation or request.path, reason=failure.reason, may_have_acted=not idempotent
        )
    return failure


def api_error(request: MakeRequest, answer: Answered, authorization: str | None, *, idempotent: bool) -> MakeApiError:
    """Make's error answer as a MakeApiError; its raw body (credential masked) and request id are kept for logs."""
    operation = request.operation or request.path
    forms = _echoed_forms(answer.body, authorization)
    raw = _masked(answer.body.decode("utf-8", "replace"), forms)
    try:
        body: Any = _parsed_json(answer.body)
    except ValueError:
        body = raw  # a plain-text error: its first line is Make's message
    except _BodyProblem:
        body = None  # nested too deep: nothing in it is worth reading
    error = MakeApiError.from_response(
        operation,
        answer.status,
        _masked(body, forms),
        retry_after=_retry_after_seconds(answer.headers),
        may_have_acted=not idempotent,
        raw_body=raw,
        request_id=_request_id(answer.headers),
    )
    log.debug("Make answered %s to %s (request id %s): %.2000s", answer.status, operation, error.request_id, raw)
    return error


# --- Filtering an answer ---------------------------------------------------------------------------------


class _BodyProblem(Exception):
    """A body this server will not use; the message completes "Make's answer to <operation> ..."."""


def filter_answer(answer: Answered, authorization: str | None) -> Any:
    """A success answer's body as JSON (within MAX_JSON_DEPTH, non-finite numbers as null), with an echoed
    credential masked; {"text": ...} for a plain-text answer. Raises _BodyProblem for one that is not usable."""
    if not answer.body:
        return {}
    forms = _echoed_forms(answer.body, authorization)
    try:
        return _masked(_parsed_json(answer.body), forms)
    except ValueError:
        content_type = answer.headers.get("Content-Type", "").lower()
        text = answer.body.decode("utf-8", "replace")
        if "html" in content_type or text.lstrip()[:15].lower().startswith(("<!doctype", "<html")):
            raise _BodyProblem("was an HTML page, not Make's JSON (a proxy, login or outage page)") from None
        if "json" in content_type:
            raise _BodyProblem("was not valid JSON (cut off or garbled on the way)") from None
        return {"text": _masked(text[:10_000], forms)}


def _parsed_json(body: bytes) -> Any:
    """JSON text decoded (ValueError when it is not JSON), _BodyProblem when it nests deeper than MAX_JSON_DEPTH.
    NaN, Infinity and numbers too large for a float become null: JSON has no way to carry them on to the
    model, and the rest of the answer stays usable. Lone surrogate escapes (\\ud800) become U+FFFD: no UTF-8
    text, so no MCP frame, can hold them."""
    too_deep = _BodyProblem(f"was JSON nested deeper than {MAX_JSON_DEPTH} levels, which no answer of Make's is")
    try:
        value = _DECODER.decode(body.decode(json.detect_encoding(body), "surrogatepass"))  # as json.loads does
    except RecursionError:
        raise too_deep from None
    # Fewer brackets than the limit cannot nest deeper than it: most answers need no walk.
    if body.count(b"[") + body.count(b"{") > MAX_JSON_DEPTH and _depth(value) > MAX_JSON_DEPTH:
        raise too_deep
    if _SURROGATE_ESCAPE.search(body):
        value = _strings_mapped(value, lambda text: _LONE_SURROGATE.sub("\ufffd", text))
    return value


_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")  # a pair is one character once decoded: only lone ones are left


def _no_number(constant: str) -> None:
    return None


def _finite_or_none(text: str) -> float | None:
    number = float(text)
    return number if math.isfinite(number) else None


# One decoder for every answer (json.loads with these options would make one each time).
_DECODER = json.JSONDecoder(parse_constant=_no_number, parse_float=_finite_or_none)


def _depth(value: Any) -> int:
    """How deeply arrays and objects nest in a decoded JSON value (a scalar: 0), without recursion."""
    deepest = 0
    pending: list[tuple[Any, int]] = [(value, 1)]
    while pending:
        node, level = pending.pop()
        if isinstance(node, dict):
            children: Any = node.values()  # pyright: ignore[reportUnknownMemberType]
        elif isinstance(node, list):
            children = node
        else:
            continue
        deepest = max(deepest, level)
        if level > MAX_JSON_DEPTH:
            return level
        pending.extend((child, level + 1) for child in children)  # pyright: ignore[reportUnknownVariableType]
    return deepest


async def _read_capped(reply: Reply) -> bytes:
    """The whole body, decompressed a piece at a time; _BodyProblem past MAX_ANSWER_BYTES or when it does not
    decompress."""
    pieces: list[bytes] = []
    size = 0
    encoding = reply.headers.get("Content-Encoding")
    try:
        undo = inflater(encoding)
        async for raw in reply.pieces():
            if pieces:  # lets the try's timeout and other calls in between pieces (most answers are one)
                await anyio.lowlevel.checkpoint()
            size = _keep(pieces, size, (raw,) if undo is None else undo.feed(raw))
        if undo is not None:
            _keep(pieces, size, undo.end())
    except InflateError:
        raise _BodyProblem(
            f"said it was compressed (Content-Encoding: {(encoding or '')[:40]}) but could not be decompressed "
            "(garbled on the way, or mislabelled by a proxy)"
        ) from None
    return b"".join(pieces)


def _keep(pieces: list[bytes], size: int, more: Iterable[bytes]) -> int:
    """`more` added to `pieces` (`size` bytes so far) and their size then; _BodyProblem past MAX_ANSWER_BYTES."""
    for piece in more:
        size += len(piece)
        if size > MAX_ANSWER_BYTES:
            raise _BodyProblem(
                f"was larger than {MAX_ANSWER_BYTES // 2**20} MiB once decompressed, more than this server "
                "reads: ask for less (a filter, fewer columns or a smaller page)"
            )
        pieces.append(piece)
    return size


def _retry_after_seconds(headers: Mapping[str, str]) -> float | None:
    value = headers.get("Retry-After")
    if value is None:
        return None
    try:
        seconds = float(value)
    except ValueError:
        try:
            seconds = parsedate_to_datetime(value).timestamp() - time.time()
        except (TypeError, ValueError):
            return None
    return max(0.0, seconds) if math.isfinite(seconds) else None


def _request_id(headers: Mapping[str, str]) -> str | None:
    for name in REQUEST_ID_HEADERS:
        value = headers.get(name)
        if value:
            return value[:200]
    return None


# --- Credentials in headers and in answers ---------------------------------------------------------------


def field_value_problem(value: str) -> str | None:
    """Why `value` cannot be an HTTP header's value (RFC 9110 field-value, ASCII only), or None when it can."""
    if _FIELD_VALUE.fullmatch(value):  # the usual case, in one pass
        return None
    if not value.isascii():
        return "must be ASCII text (no accented letters, emoji or other non-ASCII characters)"
    if any(not (char.isprintable() or char == "\t") for char in value):
        return "must be a single line of printable text (no line breaks or other control characters)"
    if value != value.strip(" \t"):
        return "must not start or end with a space or tab"
    return None


# Printable ASCII, tabs inside, neither starting nor ending with a space or tab.
_FIELD_VALUE = re.compile(r"[!-~](?:[ -~\t]*[!-~])?")


def _usable(authorization: str | None) -> str | None:
    """The Authorization header when it can go out as one; UnusableCredential (never naming it) when not."""
    if authorization and field_value_problem(authorization) is not None:
        raise UnusableCredential()
    return authorization


def _credential(authorization: str | None) -> str | None:
    """The secret part of an Authorization header ('Token <secret>'); None when too short to mask safely."""
    secret = (authorization or "").partition(" ")[2].strip()
    return secret if len(secret) >= 8 else None


def _echoed_forms(body: bytes, authorization: str | None) -> tuple[str, ...]:
    """Each way the header's secret appears in the raw body: as is, JSON-escaped ('/' as '\\/'), percent-encoded,
    or base64 (standard or URL-safe, padded or not, of the secret or of the whole header); empty when in none."""
    secret = _credential(authorization)
    if secret is None or authorization is None:
        return ()
    found = {form for form, raw in _forms_of(secret, authorization) if raw in body}
    if found:
        found.add(secret)  # an escaped echo is the plain secret once the JSON is decoded
    # The longest first, so a padded form is masked before its unpadded prefix.
    return tuple(sorted(found, key=len, reverse=True))


@functools.lru_cache(maxsize=256)
def _forms_of(secret: str, authorization: str) -> tuple[tuple[str, bytes], ...]:
    """Every form of the secret `_echoed_forms` looks for, as text and as bytes (the same for every answer to one
    credential, so kept for the credentials in use)."""
    encoded = {
        encode(raw)
        for raw in (secret.encode(), authorization.encode())
        for encode in (base64.b64encode, base64.urlsafe_b64encode)
    }
    forms = {
        secret,
        secret.replace("/", "\\/"),
        quote(secret, safe=""),
        *(form.decode() for form in encoded),
        *(form.rstrip(b"=").decode() for form in encoded),
    }
    return tuple((form, form.encode()) for form in forms)


def _masked(value: Any, forms: tuple[str, ...]) -> Any:
    """The value with every form of the credential replaced, in strings (keys too) at any depth."""
    if not forms:
        return value

    def mask(text: str) -> str:
        for form in forms:
            text = text.replace(form, "[redacted]")
        return text

    return _strings_mapped(value, mask)


def _strings_mapped(value: Any, change: Callable[[str], str]) -> Any:
    """A decoded JSON value with `change` applied to every string in it (keys too) at any depth."""
    if isinstance(value, str):
        return change(value)
    if isinstance(value, dict):
        return {_strings_mapped(key, change): _strings_mapped(item, change) for key, item in value.items()}  # pyright: ignore[reportUnknownVariableType]
    if isinstance(value, list):
        return [_strings_mapped(item, change) for item in value]  # pyright: ignore[reportUnknownVariableType]
    return value


def _describe_transport_error(exc: httpx2.TransportError) -> str:
    kind = type(exc).__name__
    if isinstance(exc, httpx2.TimeoutException):
        return f"no answer in time ({kind})"
    return f"connection failed ({kind})"
