"""sdk-modules_set-section sends the chosen section's documented request with the JSONC text as the whole body."""

from __future__ import annotations

import pytest

from make_mcp.server.sandbox import demo_state
from tests.conftest import serving
from tests.server.test_app import mcp_client, text_of

TEXT = '{\n  // the module\'s section\n  "url": "/items", /* kept: */ "qs": {"q": "a//b"}, "response": {}\n}'
MODULE = {"appName": "my-app", "appVersion": 1, "moduleName": "listItems"}
SECTIONS = ("api", "epoch", "parameters", "expect", "interface", "samples", "scope")
PREFIX = "/sdk/apps/{SDK_appName}/{SDK_appVersion}/modules/{SDK_moduleName}"


@pytest.mark.asyncio
async def test_each_section_is_sent_as_a_put_to_its_own_path_with_the_text_as_it_is() -> None:
    with serving(demo_state()) as sandbox:
        async with mcp_client(sandbox, toolsets="all", confirm_destructive=False) as client:
            results = []
            sent = []
            for section in SECTIONS:
                sandbox.state.requests.clear()  # the server's start-up reads, the section before
                results.append(
                    await client.call_tool("sdk-modules_set-section", {**MODULE, "section": section, "body": TEXT})
                )
                sent.append(list(sandbox.state.requests))
    assert [text_of(r) for r in results if r.is_error] == []
    assert [[(r.method, r.path) for r in requests] for requests in sent] == [
        [("PUT", f"/api/v2/sdk/apps/my-app/1/modules/listItems/{section}")] for section in SECTIONS
    ]
    assert all(requests[0].raw_body == TEXT.encode() for requests in sent)
    assert all(requests[0].headers["content-type"] == "application/jsonc" for requests in sent)


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("arguments", "problem"),
    [
        ({"section": "communication", "body": TEXT}, "- section:"),
        ({"section": "api", "body": "{url: /items}"}, "- body: is not JSON text (comments allowed)"),
    ],
    ids=["unknown section", "not JSON"],
)
async def test_an_unknown_section_or_a_text_that_is_not_json_is_refused_and_nothing_is_sent(
    arguments: dict[str, str], problem: str
) -> None:
    with serving(demo_state()) as sandbox:
        async with mcp_client(sandbox, toolsets="all", confirm_destructive=False) as client:
            sandbox.state.requests.clear()  # the server's start-up reads
            result = await client.call_tool("sdk-modules_set-section", {**MODULE, **arguments})
        sent = list(sandbox.state.requests)
    assert result.is_error
    assert problem in text_of(result)
    assert sent == []


@pytest.mark.asyncio
async def test_the_listing_names_every_section_request_the_tool_may_send_and_the_scope() -> None:
    with serving(demo_state()) as sandbox:
        async with mcp_client(sandbox, toolsets="all", tool_mode="full") as client:
            listed = await client.list_tools()
            assert listed.next_cursor is None
    tool = next(t for t in listed.tools if t.name == "sdk-modules_set-section")
    meta = tool.meta or {}
    described = next(value for value in meta.values() if isinstance(value, dict) and "requests" in value)
    assert [(r["method"], r["path"]) for r in described["requests"][1:]] == [
        ("PUT", f"{PREFIX}/{section}") for section in SECTIONS
    ]
    assert described["scopes"] == ["sdk-apps:write"]
    assert tool.input_schema["properties"]["section"]["enum"] == list(SECTIONS)
    assert sorted(tool.input_schema["required"]) == ["appName", "appVersion", "body", "moduleName", "section"]
