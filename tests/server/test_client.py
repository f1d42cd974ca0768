"""MakeClient against httpx2.MockTransport: auth, query encoding, retries, Retry-After, error mapping, and its
three steps (one try, the retry decision, the answer's filtering) each on its own."""

from __future__ import annotations

import base64
import json
import logging
import zlib
from collections.abc import Callable

import anyio
import httpx2
import pytest

from make_mcp.server.errors import (
    AuthenticationFailed,
    ConfirmationRequired,
    MakeApiError,
    MakeUnreachable,
    NotFound,
    RateLimited,
    UnreadableAnswer,
    UnusableCredential,
)
from make_mcp.server.make_api.client import (
    MAX_ANSWER_BYTES,
    MAX_JSON_DEPTH,
    Answered,
    CallBudget,
    Lost,
    MakeClient,
    MakeRequest,
    NotConnected,
    RateBudget,
    RetryPolicy,
    Unreadable,
    field_value_problem,
    filter_answer,
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


async def test_a_json_body_goes_out_compact_in_utf_8_and_a_raw_one_with_its_own_type() -> None:
    seen: list[httpx2.Request] = []

    def handler(request: httpx2.Request) -> httpx2.Response:
        seen.append(request)
        return httpx2.Response(200, json={})

    client = make_client(handler, FakeSleep())
    await client.send(MakeRequest("POST", "/hooks", body={"name": "Ünïcode", "teamId": 1}))
    await client.send(MakeRequest("PUT", "/functions/1/code", content=b"return 1;", content_type="text/javascript"))
    await client.send(MakeRequest("GET", "/hooks"))
    await client.aclose()
    assert seen[0].content == '{"name":"Ünïcode","teamId":1}'.encode()
    assert seen[0].headers["Content-Type"] == "application/json"
    assert (seen[1].content, seen[1].headers["Content-Type"]) == (b"return 1;", "text/javascript")
    assert (seen[2].content, seen[2].headers.get("Content-Type")) == (b"", None)


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


# --- The three steps of a send, each on its own ------------------------------------------------------------


def plain_client(handler: Callable[[httpx2.Request], httpx2.Response]) -> MakeClient:
    return MakeClient("https://eu1.make.com/api/v2", transport=httpx2.MockTransport(handler), sleep=FakeSleep())


def raising(error: type[httpx2.TransportError]) -> Callable[[httpx2.Request], httpx2.Response]:
    def handler(request: httpx2.Request) -> httpx2.Response:
        raise error("injected", request=request)

    return handler


@pytest.mark.parametrize(
    ("handler", "kind"),
    [
        (lambda request: httpx2.Response(503, json={}), Answered),
        (raising(httpx2.ConnectError), NotConnected),
        (raising(httpx2.ConnectTimeout), NotConnected),
        (raising(httpx2.ReadTimeout), Lost),
        (raising(httpx2.RemoteProtocolError), Lost),
        (lambda request: gzip_labelled(b"{}"), Unreadable),
    ],
)
async def test_one_try_is_classified_as_an_answer_no_connection_a_lost_answer_or_an_unreadable_one(
    handler: Callable[[httpx2.Request], httpx2.Response], kind: type
) -> None:
    client = plain_client(handler)
    outcome = await client.attempt(MakeRequest("GET", "/scenarios"), "Token abcdefgh", 5.0)
    await client.aclose()
    assert isinstance(outcome, kind)


RETRIES = RetryPolicy(max_retries=3, base_delay=1.0, max_delay=8.0, max_retry_after=30.0)


def api_failure(status: int, retry_after: float | None = None) -> MakeApiError:
    return MakeApiError.from_response("scenarios_get", status, {}, retry_after=retry_after)


@pytest.mark.parametrize(
    ("failure", "idempotent", "attempt", "wait"),
    [
        (NotConnected("refused"), False, 0, 0.5),  # nothing reached Make: any method, backed off
        (NotConnected("refused"), True, 2, 2.0),
        (NotConnected("refused"), True, 3, None),  # the retries are spent
        (Lost("no answer"), True, 1, 1.0),
        (Lost("no answer"), False, 0, None),  # a POST may have been carried out
        (Unreadable("was too large"), True, 0, None),
        (api_failure(429, 7.0), False, 0, 7.0),  # Make refused it before doing anything
        (api_failure(429, None), False, 1, 1.0),
        (api_failure(429, 31.0), True, 0, None),  # longer than we may wait: the agent decides
        (api_failure(503, None), True, 0, 0.5),
        (api_failure(503, 4.0), True, 0, 4.0),
        (api_failure(503, None), False, 0, None),
        (api_failure(404), True, 0, None),
    ],
)
def test_the_retry_decision_weighs_the_failure_the_method_and_the_attempt(
    failure: NotConnected | Lost | Unreadable | MakeApiError, idempotent: bool, attempt: int, wait: float | None
) -> None:
    budget = CallBudget(None)
    assert RETRIES.wait_before_retry(failure, idempotent=idempotent, attempt=attempt, budget=budget, jitter=0.0) == wait


def test_the_retry_decision_starts_no_retry_whose_wait_would_not_fit_the_calls_budget() -> None:
    budget = CallBudget(10.0)
    budget.spend(2.0)
    limited = api_failure(429, 7.5)
    assert RETRIES.wait_before_retry(limited, idempotent=True, attempt=0, budget=budget, jitter=0.0) is None
    assert (
        RETRIES.wait_before_retry(api_failure(429, 7.0), idempotent=True, attempt=0, budget=budget, jitter=0.0) == 7.0
    )


def answer(body: bytes, content_type: str = "application/json") -> Answered:
    return Answered(200, httpx2.Headers({"Content-Type": content_type}), body)


def test_filtering_decodes_json_and_keeps_plain_text_as_text() -> None:
    assert filter_answer(answer(b'{"id": 1}'), None) == {"id": 1}
    assert filter_answer(answer(b"", "text/plain"), None) == {}
    assert filter_answer(answer(b"# notes", "text/markdown"), None) == {"text": "# notes"}


def test_filtering_turns_nan_infinity_and_too_large_numbers_from_make_into_null() -> None:
    body = b'{"id": 401, "score": NaN, "max": Infinity, "min": -Infinity, "big": 1e999, "ok": 1.5}'
    filtered = filter_answer(answer(body), None)
    assert filtered == {"id": 401, "score": None, "max": None, "min": None, "big": None, "ok": 1.5}
    json.dumps(filtered, allow_nan=False)  # valid JSON all the way to the model


@pytest.mark.parametrize("depth", [MAX_JSON_DEPTH + 1, 900, 20_000])
async def test_json_nested_deeper_than_the_limit_is_a_short_error_not_a_crash(depth: int) -> None:
    nested = b"[" * depth + b"]" * depth
    client = make_client(lambda request: httpx2.Response(200, content=nested), FakeSleep())
    with pytest.raises(UnreadableAnswer) as raised:
        await client.send(MakeRequest("GET", "/scenarios/1", operation="scenarios_get"))
    await client.aclose()
    assert raised.value.message() == (
        f"Make's answer to scenarios_get was JSON nested deeper than {MAX_JSON_DEPTH} levels, which no answer of "
        "Make's is."
    )


def test_json_nested_exactly_to_the_limit_is_accepted() -> None:
    depth = MAX_JSON_DEPTH
    assert filter_answer(answer(b'{"a":' * (depth - 1) + b"[]" + b"}" * (depth - 1)), None) is not None


async def test_an_error_answer_nested_too_deep_still_maps_to_makes_status() -> None:
    nested = b"[" * 20_000 + b"]" * 20_000
    client = make_client(lambda request: httpx2.Response(404, content=nested), FakeSleep())
    with pytest.raises(NotFound) as raised:
        await client.send(MakeRequest("GET", "/scenarios/1", operation="scenarios_get"))
    await client.aclose()
    assert raised.value.message().startswith("Make answered 404 to scenarios_get\nCheck the IDs")


# --- Hostile answers: cookies, compression bombs, echoed tokens ----------------------------------------------


async def test_a_cookie_set_for_one_user_is_never_sent_for_another() -> None:
    cookies: list[str | None] = []

    def handler(request: httpx2.Request) -> httpx2.Response:
        cookies.append(request.headers.get("Cookie"))
        return httpx2.Response(200, json={}, headers={"Set-Cookie": "session=alice-secret; Path=/"})

    client = make_client(handler, FakeSleep())
    await client.send(MakeRequest("GET", "/users/me"), authorization="Token alice-token-0001")
    await client.send(MakeRequest("GET", "/users/me"), authorization="Token bob-token-00002")
    await client.send(MakeRequest("GET", "/users/me"))
    await client.aclose()
    assert cookies == [None, None, None]


async def test_a_redirect_is_never_followed_and_its_credential_goes_nowhere_else() -> None:
    paths: list[str] = []

    def handler(request: httpx2.Request) -> httpx2.Response:
        paths.append(request.url.path)
        return httpx2.Response(302, headers={"Location": "https://elsewhere.example/steal"}, text="Found")

    client = make_client(handler, FakeSleep())
    with pytest.raises(MakeApiError) as raised:
        await client.send(MakeRequest("GET", "/users/me"), authorization="Token alice-token-0001")
    await client.aclose()
    assert paths == ["/api/v2/users/me"]
    assert raised.value.status == 302


def gzip_labelled(body: bytes) -> httpx2.Response:
    """An answer saying it is gzip-compressed, its body as given, read by the client as it streams in."""
    return httpx2.Response(200, stream=httpx2.ByteStream(body), headers={"Content-Encoding": "gzip"})


def gzipped(data: bytes) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    return compressor.compress(data) + compressor.flush()


async def test_a_compressed_answer_that_inflates_past_the_cap_is_a_clear_error_read_no_further() -> None:
    inflated = b'{"blob": "' + b"0" * (MAX_ANSWER_BYTES + 1) + b'"}'
    bomb = gzipped(inflated)
    assert len(bomb) < MAX_ANSWER_BYTES // 100
    sent: list[int] = []

    def handler(request: httpx2.Request) -> httpx2.Response:
        sent.append(1)
        return gzip_labelled(bomb)

    client = make_client(handler, FakeSleep())
    with pytest.raises(UnreadableAnswer) as raised:
        await client.send(MakeRequest("GET", "/scenarios", operation="scenarios_list"))
    await client.aclose()
    assert raised.value.message().startswith("Make's answer to scenarios_list was larger than 32 MiB")
    assert sent == [1]  # not asked again: the same answer would come back


async def test_a_compressed_answer_under_the_cap_is_read_whole() -> None:
    body = json.dumps({"rows": ["x" * 1000] * 1000}).encode()
    client = make_client(lambda request: gzip_labelled(gzipped(body)), FakeSleep())
    assert await client.send(MakeRequest("GET", "/scenarios")) == json.loads(body)
    await client.aclose()


async def test_a_gzip_label_on_a_plain_body_is_a_short_specific_error() -> None:
    client = make_client(lambda request: gzip_labelled(b'{"id": 1}'), FakeSleep())
    with pytest.raises(UnreadableAnswer) as raised:
        await client.send(MakeRequest("POST", "/scenarios", body={}, operation="scenarios_create"))
    await client.aclose()
    message = raised.value.message()
    assert "said it was compressed (Content-Encoding: gzip) but could not be decompressed" in message
    assert "may have been carried out" in message


OTHER_TOKEN = "a+b/c?d>e~f=g-secret-0123"


@pytest.mark.parametrize(
    "echo",
    [
        OTHER_TOKEN,
        OTHER_TOKEN.replace("/", "\\/"),
        base64.b64encode(OTHER_TOKEN.encode()).decode(),
        base64.b64encode(OTHER_TOKEN.encode()).decode().rstrip("="),
        base64.urlsafe_b64encode(OTHER_TOKEN.encode()).decode(),
        base64.urlsafe_b64encode(OTHER_TOKEN.encode()).decode().rstrip("="),
    ],
    ids=["plain", "json-escaped", "base64", "base64-unpadded", "base64url", "base64url-unpadded"],
)
@pytest.mark.parametrize("status", [200, 400])
async def test_an_echoed_token_is_masked_in_plain_escaped_and_base64_forms(echo: str, status: int) -> None:
    body = '{"echo": "prefix ' + echo + ' suffix", "' + echo + '": 1}'
    client = make_client(lambda request: httpx2.Response(status, content=body.encode()), FakeSleep(), retries=0)
    encoded = {
        OTHER_TOKEN,
        *(form(OTHER_TOKEN.encode()).decode() for form in (base64.b64encode, base64.urlsafe_b64encode)),
    }
    try:
        seen = repr(await client.send(MakeRequest("GET", "/users/me"), authorization=f"Token {OTHER_TOKEN}"))
    except MakeApiError as error:
        seen = error.message() + repr(error) + error.raw_body
    await client.aclose()
    assert "[redacted]" in seen
    for form in encoded:
        assert form.rstrip("=") not in seen


async def test_an_api_error_keeps_makes_raw_body_and_request_id_for_logs_masked(
    caplog: pytest.LogCaptureFixture,
) -> None:
    body = {"message": "Scenario not found", "code": "SC404", "echo": TOKEN, "extra": {"trace": "abc"}}
    client = make_client(
        lambda request: httpx2.Response(404, json=body, headers={"X-Request-Id": "req-42"}), FakeSleep()
    )
    with caplog.at_level(logging.DEBUG, logger="make_mcp"), pytest.raises(NotFound) as raised:
        await client.send(MakeRequest("GET", "/scenarios/9", operation="scenarios_get"))
    await client.aclose()
    error = raised.value
    assert error.request_id == "req-42"
    assert '"trace"' in error.raw_body and TOKEN not in error.raw_body
    assert "req-42" in caplog.text and TOKEN not in caplog.text
    assert "trace" not in error.message() and "req-42" not in error.message()


@pytest.mark.parametrize("token", [f"{TOKEN}\n", f"{TOKEN}\r", f"{TOKEN}\x0b", f"t\u00f6ken-{TOKEN}"])
async def test_a_credential_no_header_can_carry_is_refused_without_sending_or_naming_it(token: str) -> None:
    sent: list[int] = []

    def handler(request: httpx2.Request) -> httpx2.Response:
        sent.append(1)
        return httpx2.Response(200, json={})

    client = MakeClient(
        "https://eu1.make.com/api/v2",
        authorization=f"Token {token}",
        transport=httpx2.MockTransport(handler),
        sleep=FakeSleep(),
    )
    with pytest.raises(UnusableCredential) as raised:
        await client.send(MakeRequest("GET", "/users/me"))
    await client.aclose()
    assert sent == []
    assert TOKEN not in raised.value.message() and "nothing was sent" in raised.value.message()


async def test_a_whole_bearer_header_echoed_in_base64_is_masked() -> None:
    header = f"Bearer {OTHER_TOKEN}"  # "Bearer " is 7 bytes: the token's own base64 is not part of the header's
    echo = base64.b64encode(header.encode()).decode()
    client = make_client(lambda request: httpx2.Response(200, json={"seen": echo}), FakeSleep())
    body = await client.send(MakeRequest("GET", "/users/me"), authorization=header)
    await client.aclose()
    assert body == {"seen": "[redacted]"}


def test_filtering_turns_lone_surrogate_escapes_into_the_replacement_character_and_keeps_pairs() -> None:
    body = b'{"name": "a\\ud800b", "\\udc00key": ["\\uDFFF"], "pair": "\\ud83d\\ude00"}'
    filtered = filter_answer(answer(body), None)
    assert filtered == {"name": "a\ufffdb", "\ufffdkey": ["\ufffd"], "pair": "\U0001f600"}
    json.dumps(filtered, ensure_ascii=False).encode("utf-8")  # every frame carrying it can be written


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("Token abc", None),
        ("a\tb", None),
        ("x", None),
        ("", None),
        ("Token é", "must be ASCII text"),
        ("Token a\nb", "must be a single line"),
        ("Token a\x7f", "must be a single line"),
        (" Token a", "must not start or end"),
        ("Token a\t", "must not start or end"),
    ],
)
def test_a_header_value_is_printable_ascii_on_one_line_without_spaces_around(value: str, problem: str | None) -> None:
    found = field_value_problem(value)
    assert found == problem if problem is None else (found or "").startswith(problem)


async def test_a_try_cancelled_from_outside_while_make_has_not_answered_is_cancelled_not_a_timeout() -> None:
    waiting = anyio.Event()

    async def handler(request: httpx2.Request) -> httpx2.Response:
        waiting.set()
        await anyio.sleep_forever()
        raise AssertionError("never answered")

    client = MakeClient("https://eu1.make.com/api/v2", transport=httpx2.MockTransport(handler))
    outcomes: list[object] = []

    async def cancel_once_waiting(scope: anyio.CancelScope) -> None:
        await waiting.wait()
        scope.cancel()

    with anyio.CancelScope() as scope:
        async with anyio.create_task_group() as group:
            group.start_soon(cancel_once_waiting, scope)
            outcomes.append(await client.attempt(MakeRequest("GET", "/users/me"), None, 30.0))
    await client.aclose()
    assert scope.cancelled_caught
    assert outcomes == []
