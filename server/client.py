"""MakeClient: the one HTTP client every tool call goes through.

It owns the auth header, the base URL, timeouts, retries (429 and transport failures always when the
request cannot have been processed; 5xx and read failures only for idempotent methods), Retry-After,
and the mapping of Make's error bodies onto server.errors.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Any

import anyio
import httpx2

from server.errors import MakeApiError, MakeUnreachable, RateLimited

log = logging.getLogger("make_mcp.client")

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
USER_AGENT = "make-mcp/0.1"

Sleep = Callable[[float], Awaitable[None]]


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


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    max_retries: int = 3
    base_delay: float = 0.5
    max_delay: float = 8.0
    max_retry_after: float = 60.0

    def backoff(self, attempt: int, jitter: float) -> float:
        """Exponential backoff with full jitter; jitter is in [0, 1)."""
        return min(self.max_delay, self.base_delay * 2**attempt) * (0.5 + jitter / 2)


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
        authorization: str | None,
        timeout: float = 30.0,
        retry: RetryPolicy | None = None,
        transport: httpx2.AsyncBaseTransport | None = None,
        sleep: Sleep = anyio.sleep,
        jitter: Callable[[], float] = random.random,
        budget: RateBudget | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self._authorization = authorization
        self._retry = retry or RetryPolicy()
        self._sleep = sleep
        self._jitter = jitter
        self._budget = budget
        self._http = httpx2.AsyncClient(
            base_url=self.base_url,
            timeout=httpx2.Timeout(timeout),
            transport=transport,
            headers={"User-Agent": USER_AGENT, "Accept": "application/json"},
            trust_env=False,
            follow_redirects=False,
        )

    async def aclose(self) -> None:
        await self._http.aclose()

    async def send(self, request: MakeRequest, *, authorization: str | None = None) -> Any:
        """Sends one request, retrying where safe; returns the decoded JSON body or raises a MakeError."""
        auth = authorization or self._authorization
        headers = dict(request.headers)
        if auth:
            headers["Authorization"] = auth
        if request.content is not None and request.content_type:
            headers["Content-Type"] = request.content_type
        idempotent = request.method in IDEMPOTENT_METHODS
        attempt = 0
        while True:
            if self._budget is not None:
                await self._budget.acquire()
            started = time.perf_counter()
            try:
                response = await self._http.request(
                    request.method,
                    self.base_url + request.path,
                    params=tuple(request.query),
                    json=request.body if request.content is None else None,
                    content=request.content,
                    headers=headers,
                )
            except (httpx2.ConnectError, httpx2.ConnectTimeout, httpx2.PoolTimeout) as exc:
                # Nothing reached Make: safe to retry whatever the method.
                if attempt < self._retry.max_retries:
                    await self._sleep(self._retry.backoff(attempt, self._jitter()))
                    attempt += 1
                    continue
                raise MakeUnreachable(operation=request.operation, reason=_describe_transport_error(exc)) from None
            except httpx2.TransportError as exc:
                # The request may have been processed: only an idempotent one is sent again.
                if idempotent and attempt < self._retry.max_retries:
                    await self._sleep(self._retry.backoff(attempt, self._jitter()))
                    attempt += 1
                    continue
                reason = _describe_transport_error(exc)
                if not idempotent:
                    reason += " (not retried: the request may have been carried out; check before repeating it)"
                raise MakeUnreachable(operation=request.operation, reason=reason) from None
            log.debug(
                "%s %s -> %s in %.0f ms",
                request.method,
                request.operation or request.path,
                response.status_code,
                (time.perf_counter() - started) * 1000,
            )
            if response.is_success:
                return _decode(response)
            error = MakeApiError.from_response(
                request.operation or request.path,
                response.status_code,
                _decode_error_body(response),
                retry_after=_retry_after_seconds(response),
            )
            wait = self._retry_wait(error, idempotent, attempt)
            if wait is None:
                raise error
            await self._sleep(wait)
            attempt += 1

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
            return error.retry_after if error.retry_after is not None else self._retry.backoff(attempt, self._jitter())
        return None


def _decode(response: httpx2.Response) -> Any:
    if not response.content:
        return {}
    try:
        return response.json()
    except ValueError:
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
        return max(0.0, float(value))
    except ValueError:
        try:
            return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
        except (TypeError, ValueError):
            return None


def _describe_transport_error(exc: httpx2.TransportError) -> str:
    kind = type(exc).__name__
    if isinstance(exc, httpx2.TimeoutException):
        return f"no answer in time ({kind})"
    return f"connection failed ({kind})"
