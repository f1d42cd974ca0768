"""A tool the token lacks a scope for is refused before any request, over both transports, with a message that
names the scope, says how to grant it, and whether the server must be restarted for a new token.

Over stdio the server's own token is read once at start-up, so a new token needs a restart; over HTTP each
request brings its own token, so the next request with a new one is served with its scopes.
"""

from __future__ import annotations

from collections.abc import Callable

import mcp_types as types
from mcp import Client

from make_mcp.server.sandbox import SandboxState
from tests.conftest import LoopbackSandbox
from tests.server.test_cli import stdio_params
from tests.server.test_http import (
    ALICE,
    ALICE_SCOPES,
    HttpServer,
    sandbox_users,  # noqa: F401  (a fixture start_http needs)
    start_http,  # noqa: F401  (a fixture)
    user_client,
)

RUNNER = "c0ffee00-0000-4000-8000-0000000c0ffe"  # reads and writes scenarios, may not run them


def text_of(result: types.CallToolResult) -> str:
    return "\n".join(block.text for block in result.content if isinstance(block, types.TextContent))


def make_was_asked_only_for_scopes(state: SandboxState) -> bool:
    return all(request.path.endswith("/users/me/current-authorization") for request in state.requests)


async def test_over_stdio_a_missing_scope_is_refused_before_any_request_and_a_new_token_needs_a_restart(
    loopback_sandbox: LoopbackSandbox,
) -> None:
    loopback_sandbox.state.add_token(RUNNER, {"scenarios:read", "scenarios:write"})
    # Scenario tools off: their discovery is start-up's own request, not part of the refused call.
    params = stdio_params(
        "serve",
        MAKE_API_KEY=RUNNER,
        MAKE_ZONE=loopback_sandbox.url,
        MAKE_ALLOW_CUSTOM_ZONE="1",
        MAKE_RATE_LIMIT="0",
        MAKE_SCENARIO_TOOLS="off",
    )
    async with Client(params, mode="legacy") as client:
        result = await client.call_tool("scenarios_run", {"scenarioId": 401})
    assert result.is_error
    message = text_of(result)
    assert message.startswith("scenarios_run needs the scope scenarios:run, which this token does not have")
    assert "new Make API token that includes scenarios:run" in message
    assert 'make-mcp login --scopes "scenarios:read scenarios:run scenarios:write"' in message
    assert "restart this server with the new token" in message
    assert make_was_asked_only_for_scopes(loopback_sandbox.state)


async def test_over_http_a_missing_scope_is_refused_and_the_next_request_with_a_new_token_needs_no_restart(
    start_http: Callable[..., HttpServer],  # noqa: F811
    sandbox_users: LoopbackSandbox,  # noqa: F811
) -> None:
    server = start_http(scenario_tools="off")  # their discovery is not part of the refused call
    async with user_client(server.url, ALICE) as alice:
        refused = await alice.call_tool("scenarios_run", {"scenarioId": 401})
    assert refused.is_error
    message = text_of(refused)
    assert message.startswith("scenarios_run needs the scope scenarios:run, which this token does not have")
    assert "new Make API token that includes scenarios:run" in message
    assert f'make-mcp login --scopes "{" ".join(sorted({*ALICE_SCOPES, "scenarios:run"}))}"' in message
    assert "the next request that carries it is served with its scopes" in message
    assert "restart this server" not in message
    assert make_was_asked_only_for_scopes(sandbox_users.state)

    # Alice's new token has the scope: the same server, not restarted, runs the scenario with it.
    sandbox_users.state.add_token(RUNNER, {*ALICE_SCOPES, "scenarios:run"})
    async with user_client(server.url, RUNNER) as alice:
        ran = await alice.call_tool("scenarios_run", {"scenarioId": 401})
    assert not ran.is_error and ran.structured_content is not None, text_of(ran)
    assert ran.structured_content["confirmationRequired"] is True  # past the scope check: the run asks first
