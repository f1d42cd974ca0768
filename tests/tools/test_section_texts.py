"""Section tools of the official set send the section's JSON text (comments allowed) as the whole body."""

from __future__ import annotations

from typing import Any

import pytest

from make_mcp.server.sandbox import demo_state
from tests.conftest import serving
from tests.server.test_app import mcp_client, text_of

TEXT = '{\n  // where the list comes from\n  "url": "/items", /* kept: */ "qs": {"q": "a//b"}\n}'
SECTION_CALLS: dict[str, tuple[dict[str, Any], str]] = {
    "sdk-rpcs_set-section": (
        {"appName": "my-app", "appVersion": 1, "rpcName": "listItems", "section": "api"},
        "/api/v2/sdk/apps/my-app/1/rpcs/listItems/api",
    ),
    "sdk-webhooks_set-section": (
        {"webhookName": "my-app-hook", "section": "api"},
        "/api/v2/sdk/apps/webhooks/my-app-hook/api",
    ),
    "sdk-apps_set-section": (
        {"name": "my-app", "version": 1, "section": "base"},
        "/api/v2/sdk/apps/my-app/1/base",
    ),
}


@pytest.mark.asyncio
@pytest.mark.parametrize("tool", sorted(SECTION_CALLS))
async def test_a_section_tool_sends_the_text_as_it_is_as_jsonc(tool: str) -> None:
    arguments, path = SECTION_CALLS[tool]
    with serving(demo_state()) as sandbox:
        async with mcp_client(sandbox, toolsets="all", confirm_destructive=False) as client:
            sandbox.state.requests.clear()  # the server's start-up reads
            result = await client.call_tool(tool, {**arguments, "body": TEXT})
        sent = list(sandbox.state.requests)
    assert not result.is_error, text_of(result)
    assert [(r.method, r.path) for r in sent] == [("PUT", path)]
    assert sent[0].raw_body == TEXT.encode()
    assert sent[0].headers["content-type"] == "application/jsonc"


@pytest.mark.asyncio
@pytest.mark.parametrize("tool", sorted(SECTION_CALLS))
async def test_a_section_text_that_is_not_json_is_refused_and_nothing_is_sent(tool: str) -> None:
    arguments, _ = SECTION_CALLS[tool]
    with serving(demo_state()) as sandbox:
        async with mcp_client(sandbox, toolsets="all", confirm_destructive=False) as client:
            sandbox.state.requests.clear()  # the server's start-up reads
            result = await client.call_tool(tool, {**arguments, "body": "{url: /items}"})
        sent = list(sandbox.state.requests)
    assert result.is_error
    assert "body: is not JSON text (comments allowed)" in text_of(result)
    assert sent == []
