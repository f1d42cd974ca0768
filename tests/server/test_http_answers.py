"""make_mcp.server.http.answers over stateless HTTP: a request asking for no progress is answered with
one JSON body; one with a progress token still gets its event stream, progress included."""

from __future__ import annotations

from typing import Any

import httpx2
import pytest
from mcp import Client
from mcp.client.streamable_http import streamable_http_client

from make_mcp.server.sandbox.faults import rate_limited
from make_mcp.server.support.config import Settings
from tests.conftest import LoopbackSandbox
from tests.server.test_app import InstantSleep
from tests.server.test_http_hostile import http_server


def settings_of(sandbox: LoopbackSandbox) -> Settings:
    return Settings(api_key=sandbox.token, zone=sandbox.url, allow_custom_zone=True, rate_limit=0, team=201)


async def answer_forms(url: str, mode: str, work: Any) -> list[tuple[str, str]]:
    """(JSON-RPC method, the answer's content type) of each POST `work(client)` makes after the client is set up."""
    forms: list[tuple[str, str]] = []

    async def seen(response: httpx2.Response) -> None:
        request = response.request
        if request.method == "POST" and b'"method":"tools/' in request.content:
            method = "tools/call" if b'"tools/call"' in request.content else "tools/list"
            forms.append((method, response.headers.get("content-type", "").split(";")[0]))

    async with (
        httpx2.AsyncClient(timeout=30, event_hooks={"response": [seen]}) as http,
        Client(streamable_http_client(url, http_client=http), mode=mode) as client,
    ):
        await work(client)
    return forms


async def test_a_request_asking_no_progress_is_answered_with_one_json_body_in_either_era(
    loopback_sandbox: LoopbackSandbox,
) -> None:
    results: list[Any] = []

    async def work(client: Client) -> None:
        results.append(await client.list_tools())
        results.append(await client.call_tool("scenarios_list", {"cols": ["id"]}))

    with http_server(settings_of(loopback_sandbox)) as url:
        legacy = await answer_forms(url, "legacy", work)
        modern = await answer_forms(url, "auto", work)
    assert legacy == [("tools/list", "application/json"), ("tools/call", "application/json")]
    assert modern == legacy
    assert all(not result.is_error for result in results[1::2])
    assert {tool.name for tool in results[0].tools} == {tool.name for tool in results[2].tools}


@pytest.mark.parametrize("mode", ["legacy", "auto"])
async def test_a_call_with_a_progress_token_still_gets_its_progress_on_an_event_stream(
    loopback_sandbox: LoopbackSandbox, mode: str
) -> None:
    loopback_sandbox.state.faults.add(rate_limited("3"), method="GET", path="/scenarios")  # once: then it answers
    sleep = InstantSleep()
    heard: list[str | None] = []
    results: list[Any] = []

    async def on_progress(progress: float, total: float | None, message: str | None) -> None:
        heard.append(message)

    async def work(client: Client) -> None:
        results.append(await client.call_tool("scenarios_list", {"cols": ["id"]}, progress_callback=on_progress))

    with http_server(settings_of(loopback_sandbox), sleep=sleep) as url:
        forms = await answer_forms(url, mode, work)
    assert [form for form in forms if form[0] == "tools/call"] == [("tools/call", "text/event-stream")]
    assert not results[0].is_error
    assert 3 in sleep.waits  # Make's Retry-After, waited before the second try
    assert any(message is not None and "trying again in 3 s" in message for message in heard)


async def test_a_body_past_the_sdks_cap_is_still_refused_whether_or_not_it_says_its_length(
    loopback_sandbox: LoopbackSandbox,
) -> None:
    from mcp.server.transport_security import DEFAULT_MAX_REQUEST_BODY_SIZE

    chunk = b" " * 65536
    chunks = DEFAULT_MAX_REQUEST_BODY_SIZE // len(chunk) + 2
    headers = {"Accept": "application/json, text/event-stream", "Content-Type": "application/json"}

    async def unsized() -> Any:
        for _ in range(chunks):
            yield chunk

    with http_server(settings_of(loopback_sandbox)) as url:
        async with httpx2.AsyncClient(timeout=30) as http:
            sized = await http.post(url, content=chunk * chunks, headers=headers)
            streamed = await http.post(url, content=unsized(), headers=headers)
    assert sized.status_code == 413 and streamed.status_code == 413


async def test_a_call_that_may_run_long_keeps_the_event_stream_and_its_keepalive_without_a_progress_token(
    loopback_sandbox: LoopbackSandbox,
) -> None:
    # The handshake era's client; a 2026-era request gets the form the SDK chooses for it on either side.
    results: list[Any] = []

    async def work(client: Client) -> None:
        results.append(await client.call_tool("scenarios_run", {"scenarioId": 401}))  # runs as a task if asked
        results.append(await client.call_tool("tools_call", {"name": "teams_get", "arguments": {"teamId": 201}}))
        results.append(await client.call_tool("hooks_get", {"hookId": 801}))

    with http_server(settings_of(loopback_sandbox)) as url:
        forms = await answer_forms(url, "legacy", work)
    calls = [form for form in forms if form[0] == "tools/call"]  # the client may list the tools in between
    assert calls == [
        ("tools/call", "text/event-stream"),
        ("tools/call", "text/event-stream"),
        ("tools/call", "application/json"),
    ]
    assert not any(result.is_error for result in results)
