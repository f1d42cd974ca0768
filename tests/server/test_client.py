"""MakeClient against httpx2.MockTransport: auth, query encoding, retries, Retry-After, error mapping."""

from __future__ import annotations

from collections.abc import Callable

import httpx2
import pytest

from server.client import MakeClient, MakeRequest, RateBudget, RetryPolicy
from server.errors import (
    AuthenticationFailed,
    ConfirmationRequired,
    MakeApiError,
    MakeUnreachable,
    NotFound,
    RateLimited,
)

TOKEN = "11111111-2222-4333-8444-555555555555"


class FakeSleep:
    def __init__(self) -> None:
        self.waits: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


def make_client(handler: Callable[[httpx2.Request], httpx2.Response], sleep: FakeSleep, retries: int = 3) -> MakeClient:
    return MakeClient(
        "https://eu1.make.com/api/v2",
        authorization=f"Token {TOKEN}",
        transport=httpx2.MockTransport(handler),
        sleep=sleep,
        jitter=lambda: 0.0,
        retry=RetryPolicy(max_retries=retries, max_retry_after=30.0),
    )


async def test_request_carries_token_header_and_bracket_encoded_query() -> None:
    seen: list[httpx2.Request] = []

    def handler(request: httpx2.Request) -> httpx2.Response:
        seen.append(request)
        return httpx2.Response(200, json={"scenarios": []})

    client = make_client(handler, FakeSleep())
    body = await client.send(
        MakeRequest("GET", "/scenarios", [("teamId", "1"), ("cols[]", "id"), ("cols[]", "name"), ("pg[limit]", "5")])
    )
    await client.aclose()
    assert body == {"scenarios": []}
    request = seen[0]
    assert request.headers["Authorization"] == f"Token {TOKEN}"
    assert request.url.path == "/api/v2/scenarios"
    assert b"cols%5B%5D=id&cols%5B%5D=name" in request.url.query
    assert b"pg%5Blimit%5D=5" in request.url.query


async def test_bearer_authorization_overrides_per_request() -> None:
    seen: list[str] = []

    def handler(request: httpx2.Request) -> httpx2.Response:
        seen.append(request.headers["Authorization"])
        return httpx2.Response(200, json={})

    client = make_client(handler, FakeSleep())
    await client.send(MakeRequest("GET", "/users/me"), authorization="Bearer abc")
    await client.aclose()
    assert seen == ["Bearer abc"]


async def test_429_is_retried_after_the_retry_after_seconds() -> None:
    answers = [
        httpx2.Response(
            429, headers={"Retry-After": "7"}, json={"message": "Requests limit exceeded", "code": "SC429"}
        ),
        httpx2.Response(200, json={"ok": True}),
    ]
    sleep = FakeSleep()
    client = make_client(lambda request: answers.pop(0), sleep)
    assert await client.send(MakeRequest("POST", "/scenarios", body={"name": "x"})) == {"ok": True}
    await client.aclose()
    assert sleep.waits == [7.0]


async def test_retry_after_longer_than_the_cap_is_returned_to_the_caller_not_waited() -> None:
    sleep = FakeSleep()
    client = make_client(lambda request: httpx2.Response(429, headers={"Retry-After": "3600"}, json={}), sleep)
    with pytest.raises(RateLimited) as raised:
        await client.send(MakeRequest("GET", "/scenarios", operation="scenarios_list"))
    await client.aclose()
    assert sleep.waits == []
    assert raised.value.retry_after == 3600.0
    assert "wait 3600 s" in raised.value.message()


async def test_429_without_retry_after_backs_off_exponentially_then_gives_up() -> None:
    calls: list[int] = []

    def handler(request: httpx2.Request) -> httpx2.Response:
        calls.append(1)
        return httpx2.Response(429, json={"message": "Requests limit for organization exceeded"})

    sleep = FakeSleep()
    client = make_client(handler, sleep, retries=3)
    with pytest.raises(RateLimited):
        await client.send(MakeRequest("GET", "/scenarios"))
    await client.aclose()
    assert len(calls) == 4
    assert sleep.waits == [0.25, 0.5, 1.0]


async def test_5xx_is_retried_for_get_but_never_for_post() -> None:
    calls: list[str] = []

    def handler(request: httpx2.Request) -> httpx2.Response:
        calls.append(request.method)
        return httpx2.Response(503, json={"message": "Service unavailable", "code": "SC503"})

    client = make_client(handler, FakeSleep(), retries=2)
    with pytest.raises(MakeApiError) as read:
        await client.send(MakeRequest("GET", "/scenarios"))
    with pytest.raises(MakeApiError) as write:
        await client.send(MakeRequest("POST", "/scenarios/1/run"))
    await client.aclose()
    assert calls == ["GET", "GET", "GET", "POST"]
    assert "try again later" in read.value.message()
    assert "may have been carried out all the same: check before repeating it" in write.value.message()


async def test_a_5xx_retry_after_beyond_the_longest_wait_is_returned_not_waited() -> None:
    calls: list[str] = []

    def handler(request: httpx2.Request) -> httpx2.Response:
        calls.append(request.method)
        return httpx2.Response(503, headers={"Retry-After": "3600"}, json={"message": "Maintenance"})

    sleep = FakeSleep()
    client = make_client(handler, sleep, retries=2)
    with pytest.raises(MakeApiError) as raised:
        await client.send(MakeRequest("GET", "/scenarios"))
    await client.aclose()
    assert calls == ["GET"] and sleep.waits == []
    assert "asks to wait 3600 s" in raised.value.message()


async def test_read_timeout_is_not_retried_for_a_non_idempotent_request() -> None:
    calls: list[str] = []

    def handler(request: httpx2.Request) -> httpx2.Response:
        calls.append(request.method)
        raise httpx2.ReadTimeout("slow", request=request)

    client = make_client(handler, FakeSleep())
    with pytest.raises(MakeUnreachable) as raised:
        await client.send(MakeRequest("POST", "/scenarios/1/run", operation="scenarios_run"))
    await client.aclose()
    assert calls == ["POST"]
    assert "not retried" in raised.value.message()


async def test_connection_refused_is_retried_whatever_the_method() -> None:
    calls: list[str] = []

    def handler(request: httpx2.Request) -> httpx2.Response:
        calls.append(request.method)
        if len(calls) < 3:
            raise httpx2.ConnectError("refused", request=request)
        return httpx2.Response(200, json={"scenario": {"id": 1}})

    client = make_client(handler, FakeSleep())
    assert await client.send(MakeRequest("POST", "/scenarios", body={})) == {"scenario": {"id": 1}}
    await client.aclose()
    assert calls == ["POST", "POST", "POST"]


@pytest.mark.parametrize(
    ("status", "body", "error_class"),
    [
        (401, {"message": "Invalid credentials", "code": "IM102"}, AuthenticationFailed),
        (404, {"message": "Scenario not found", "detail": "id 9", "code": "SC404"}, NotFound),
        (406, {"message": "Confirmation required", "code": "IM004"}, ConfirmationRequired),
    ],
)
async def test_make_error_bodies_map_to_typed_errors(status: int, body: dict[str, str], error_class: type) -> None:
    client = make_client(lambda request: httpx2.Response(status, json=body), FakeSleep())
    with pytest.raises(error_class) as raised:
        await client.send(MakeRequest("DELETE", "/scenarios/9", operation="scenarios_delete"))
    await client.aclose()
    text = raised.value.message()
    assert str(status) in text and body["code"] in text and body["message"] in text
    assert "scenarios_delete" in text


async def test_suberrors_are_listed_in_the_message() -> None:
    body = {"message": "Validation failed", "code": "IM005", "suberrors": [{"message": "name is required"}]}
    client = make_client(lambda request: httpx2.Response(400, json=body), FakeSleep())
    with pytest.raises(MakeApiError) as raised:
        await client.send(MakeRequest("POST", "/teams"))
    await client.aclose()
    assert "- name is required" in raised.value.message()


async def test_html_error_page_becomes_a_readable_error() -> None:
    html = "<html><body><h1>502 Bad Gateway</h1></body></html>"
    client = make_client(lambda request: httpx2.Response(502, text=html), FakeSleep(), retries=0)
    with pytest.raises(MakeApiError) as raised:
        await client.send(MakeRequest("GET", "/scenarios"))
    await client.aclose()
    assert "HTML page" in raised.value.message()
    assert "<html" not in raised.value.message()


async def test_token_never_appears_in_error_messages() -> None:
    def handler(request: httpx2.Request) -> httpx2.Response:
        return httpx2.Response(401, json={"message": "Invalid token", "code": "IM001"})

    client = make_client(handler, FakeSleep())
    with pytest.raises(AuthenticationFailed) as raised:
        await client.send(MakeRequest("GET", "/users/me"))
    await client.aclose()
    assert TOKEN not in raised.value.message()
    assert TOKEN not in repr(raised.value)


async def test_rate_budget_waits_instead_of_exceeding_the_limit() -> None:
    now = [0.0]
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)
        now[0] += seconds

    budget = RateBudget(2, clock=lambda: now[0], sleep=sleep)
    await budget.acquire()
    now[0] = 10.0
    await budget.acquire()
    await budget.acquire()
    assert waits == [50.0]


async def test_a_slow_operation_gets_its_longer_timeout_and_others_the_configured_one() -> None:
    seen: dict[str, object] = {}

    def handler(request: httpx2.Request) -> httpx2.Response:
        seen[request.url.path] = request.extensions["timeout"]["read"]
        return httpx2.Response(200, json={})

    client = make_client(handler, FakeSleep())
    await client.send(MakeRequest("POST", "/scenarios/1/run", min_timeout=45.0))
    await client.send(MakeRequest("GET", "/scenarios/1", min_timeout=None))
    await client.send(MakeRequest("GET", "/teams/1", min_timeout=5.0))
    assert seen == {"/api/v2/scenarios/1/run": 45.0, "/api/v2/scenarios/1": 30.0, "/api/v2/teams/1": 30.0}


def deadline_client(
    handler: Callable[[httpx2.Request], httpx2.Response], sleep: FakeSleep, deadline: float
) -> MakeClient:
    return MakeClient(
        "https://eu1.make.com/api/v2",
        authorization=f"Token {TOKEN}",
        transport=httpx2.MockTransport(handler),
        sleep=sleep,
        jitter=lambda: 0.0,
        retry=RetryPolicy(max_retries=10, max_retry_after=60.0, deadline=deadline),
    )


async def test_a_retry_whose_wait_would_pass_the_call_deadline_is_not_started() -> None:
    sleep = FakeSleep()
    limited = httpx2.Response(429, headers={"Retry-After": "20"}, json={"message": "Requests limit exceeded"})
    client = deadline_client(lambda request: limited, sleep, deadline=55.0)
    with pytest.raises(RateLimited) as raised:
        await client.send(MakeRequest("GET", "/scenarios", operation="scenarios_list"))
    await client.aclose()
    assert sleep.waits == [20.0, 20.0]  # a third wait would end at 60 s, past the 55 s deadline
    assert "wait 20 s" in raised.value.message()


async def test_the_try_after_the_waits_gets_only_the_time_left_before_the_deadline() -> None:
    sleep = FakeSleep()
    read_timeouts: list[float] = []

    def handler(request: httpx2.Request) -> httpx2.Response:
        read_timeouts.append(request.extensions["timeout"]["read"])
        if len(read_timeouts) == 1:
            return httpx2.Response(503, json={"message": "Service unavailable"})
        return httpx2.Response(200, json={"ok": True})

    client = MakeClient(
        "https://eu1.make.com/api/v2",
        authorization=f"Token {TOKEN}",
        transport=httpx2.MockTransport(handler),
        sleep=sleep,
        jitter=lambda: 0.0,
        timeout=30.0,
        retry=RetryPolicy(max_retries=3, base_delay=16.0, max_delay=16.0, deadline=35.0),
    )
    assert await client.send(MakeRequest("GET", "/teams/1")) == {"ok": True}
    await client.aclose()
    assert sleep.waits == [8.0]  # 16 s backoff with zero jitter is halved
    assert read_timeouts[0] == 30.0
    assert 26.0 < read_timeouts[1] < 27.0  # 35 s deadline - 8 s waited - the first try's few milliseconds
