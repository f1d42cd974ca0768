"""MakeClient: the one HTTP client every tool call goes through.

It owns the auth header, the base URL, timeouts, retries (429 and transport failures always when the
request cannot have been processed; 5xx and read failures only for idempotent methods), Retry-After,
and the mapping of Make's error bodies onto server.errors.

The credential comes from a `Credentials` object: a fixed header (API token), or OAuth 2.0 tokens
(server/auth.py) that renew themselves before they expire and once after a 401.

The timeout bounds each whole attempt, not only each network read: an answer dribbled out a byte at a
time ends like no answer at all. Bodies that echo the credential have it masked before anyone sees them.
"""

from __future__ import annotations

import logging
import math
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Any, Protocol

import anyio
import httpx2

from server.errors import MakeApiError, MakeUnreachable, RateLimited

log = logging.getLogger("make_mcp.client")

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
USER_AGENT = "make-mcp/0.1"
# httpx keeps 20 idle connections by default, so a burst of more concurrent calls reconnects every time;
# idle connections still close after 5 s.
CONNECTION_LIMITS = httpx2.Limits(max_connections=100, max_keepalive_connections=100, keepalive_expiry=5.0)

Sleep = Callable[[float], Awaitable[None]]


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
                await self._sleep(60.0 - (now - self._sent[0]))


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
        budget: RateBudget | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self._credentials = credentials if credentials is not None else StaticCredentials(authorization)
        self._timeout = timeout
        self._retry = retry or RetryPolicy()
        self._sleep = sleep
        self._jitter = jitter
        self._budget = budget
        self._http = httpx2.AsyncClient(
            base_url=self.base_url,
            timeout=httpx2.Timeout(timeout),
            transport=transport,
            limits=CONNECTION_LIMITS,
            headers={"User-Agent": USER_AGENT, "Accept": "application/json"},
            trust_env=False,
            follow_redirects=False,
        )

    async def aclose(self) -> None:
        await self._http.aclose()

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
        """Sends one request, retrying where safe; returns the decoded JSON body or raises a MakeError.

        `on_wait` hears of every wait before a retry (seconds, why), so a caller can tell its user. `budget` is
        the call's time, shared by all its requests; without one the request gets a budget of its own.
        """
        budget = budget if budget is not None else self.call_budget()
        # A per-request header (the HTTP transport's caller's own) is used as is: never renewed.
        auth = authorization or await self._credentials.header()
        headers = dict(request.headers)
        if auth:
            headers["Authorization"] = auth
        if request.content is not None and request.content_type:
            headers["Content-Type"] = request.content_type
        idempotent = request.method in IDEMPOTENT_METHODS
        maybe_done = (
            "" if idempotent else " (not retried: the request may have been carried out; check before repeating it)"
        )
        secret = _credential(auth)
        timeout = max(self._timeout, request.min_timeout or 0.0)
        attempt = 0
        renewed = False
        while True:
            if self._budget is not None and request.rate_limited:
                await self._budget.acquire()
            left = budget.left()
            if left is not None and left <= 0:
                raise MakeUnreachable(
                    operation=request.operation, reason="the call's time (MAKE_CALL_DEADLINE) ran out"
                )
            try_timeout = timeout if left is None else min(timeout, left)
            started = time.perf_counter()
            try:
                with anyio.fail_after(try_timeout):
                    response = await self._http.request(
                        request.method,
                        self.base_url + request.path,
                        params=tuple(request.query),
                        json=request.body if request.content is None else None,
                        content=request.content,
                        headers=headers,
                        timeout=try_timeout,
                    )
            except (httpx2.ConnectError, httpx2.ConnectTimeout, httpx2.PoolTimeout) as exc:
                budget.spend(time.perf_counter() - started)
                # Nothing reached Make: safe to retry whatever the method.
                wait = self._retry.backoff(attempt, self._jitter())
                if attempt < self._retry.max_retries and budget.fits(wait):
                    budget.spend(wait)
                    await self._wait(wait, "Make could not be reached", on_wait)
                    attempt += 1
                    continue
                raise MakeUnreachable(operation=request.operation, reason=_describe_transport_error(exc)) from None
            except (httpx2.TransportError, TimeoutError) as exc:
                budget.spend(time.perf_counter() - started)
                # The request may have been processed: only an idempotent one is sent again.
                wait = self._retry.backoff(attempt, self._jitter())
                if idempotent and attempt < self._retry.max_retries and budget.fits(wait):
                    budget.spend(wait)
                    await self._wait(wait, "Make did not answer", on_wait)
                    attempt += 1
                    continue
                if not isinstance(exc, TimeoutError):
                    reason = _describe_transport_error(exc)
                elif try_timeout == self._timeout:
                    reason = f"no answer in time (MAKE_TIMEOUT is {self._timeout:g} s)"
                else:
                    reason = f"no answer in {try_timeout:g} s"
                raise MakeUnreachable(operation=request.operation, reason=reason + maybe_done) from None
            if log.isEnabledFor(logging.DEBUG):
                log.debug(
                    "%s %s -> %s in %.0f ms",
                    request.method,
                    request.operation or request.path,
                    response.status_code,
                    (time.perf_counter() - started) * 1000,
                )
            if response.is_success:
                try:
                    return _masked(_decode(response), _echoed(response, secret))
                except _UnreadableAnswer as problem:
                    raise MakeUnreachable(operation=request.operation, reason=f"{problem}{maybe_done}") from None
            if response.status_code == 401 and authorization is None and auth and not renewed:
                # Make refused the request before doing anything, so one more try is safe for any method.
                renewed = True
                if await self._credentials.refreshed_after_401(auth):
                    auth = await self._credentials.header()
                    if auth:
                        headers["Authorization"] = auth
                    secret = _credential(auth)
                    continue
            error = MakeApiError.from_response(
                request.operation or request.path,
                response.status_code,
                _masked(_decode_error_body(response), _echoed(response, secret)),
                retry_after=_retry_after_seconds(response),
                may_have_acted=not idempotent,
            )
            budget.spend(time.perf_counter() - started)
            wait = self._retry_wait(error, idempotent, attempt)
            if wait is None or not budget.fits(wait):
                raise error
            budget.spend(wait)
            why = "Make's rate limit was reached" if isinstance(error, RateLimited) else f"Make answered {error.status}"
            await self._wait(wait, why, on_wait)
            attempt += 1

    async def _wait(self, seconds: float, why: str, on_wait: OnWait | None) -> None:
        if on_wait is not None:
            await on_wait(seconds, why)
        await self._sleep(seconds)

    def _retry_wait(self, error: MakeApiError, idempotent: bool, attempt: int) -> float | None:
        """Seconds to wait before the next try, or None when the error is final."""
        if attempt >= self._retry.max_retries:
            return None
        if isinstance(error, RateLimited):
            if error.retry_after is None:
                return self._retry.backoff(attempt, self._jitter())
            if error.retry_after > self._retry.max_retry_after:
                return None  # longer than we may wait: let the agent decide
            return error.retry_after
        if error.status >= 500 and idempotent:
            if error.retry_after is None:
                return self._retry.backoff(attempt, self._jitter())
            return error.retry_after if error.retry_after <= self._retry.max_retry_after else None
        return None


# A retry is only worth starting with at least this long left for its try.
MIN_TRY_SECONDS = 1.0


class _UnreadableAnswer(Exception):
    """A success status with a body that cannot be Make's answer."""


def _decode(response: httpx2.Response) -> Any:
    if not response.content:
        return {}
    try:
        return response.json()
    except ValueError:
        content_type = response.headers.get("Content-Type", "").lower()
        if "html" in content_type or response.text.lstrip()[:15].lower().startswith(("<!doctype", "<html")):
            raise _UnreadableAnswer(
                "the answer was an HTML page, not Make's JSON (a proxy, login or outage page)"
            ) from None
        if "json" in content_type:
            raise _UnreadableAnswer("the answer was not valid JSON (cut off or garbled on the way)") from None
        return {"text": response.text[:10_000]}


def _decode_error_body(response: httpx2.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return response.text


def _retry_after_seconds(response: httpx2.Response) -> float | None:
    value = response.headers.get("Retry-After")
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


def _credential(authorization: str | None) -> str | None:
    """The secret part of an Authorization header ('Token <secret>'); None when too short to mask safely."""
    secret = (authorization or "").partition(" ")[2].strip()
    return secret if len(secret) >= 8 else None


def _echoed(response: httpx2.Response, secret: str | None) -> str | None:
    """The secret when the raw body holds it (also JSON-escaped as some servers write '/'), else None."""
    if secret is None:
        return None
    forms = {secret.encode(), secret.replace("/", "\\/").encode()}
    return secret if any(form in response.content for form in forms) else None


def _masked(value: Any, secret: str | None) -> Any:
    """The value with every occurrence of the credential replaced, in strings at any depth."""
    if secret is None:
        return value
    if isinstance(value, str):
        return value.replace(secret, "[redacted]")
    if isinstance(value, dict):
        return {_masked(key, secret): _masked(item, secret) for key, item in value.items()}  # pyright: ignore[reportUnknownVariableType]
    if isinstance(value, list):
        return [_masked(item, secret) for item in value]  # pyright: ignore[reportUnknownVariableType]
    return value


def _describe_transport_error(exc: httpx2.TransportError) -> str:
    kind = type(exc).__name__
    if isinstance(exc, httpx2.TimeoutException):
        return f"no answer in time ({kind})"
    return f"connection failed ({kind})"
