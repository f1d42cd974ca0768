"""The messages the model reads for errors raised before any request: what is wrong and what to do next."""

from __future__ import annotations

from make_mcp.server.errors import MissingScope


def test_a_missing_scope_names_it_and_how_to_grant_it_with_an_api_token_or_an_oauth_login() -> None:
    message = MissingScope("scenarios_run", ["scenarios:run"], granted={"scenarios:read", "scenarios:write"}).message()
    assert message.startswith("scenarios_run needs the scope scenarios:run, which this token does not have")
    assert "nothing was sent to Make" in message
    assert "new Make API token that includes scenarios:run (Make: Profile > API access)" in message
    # --scopes asks for exactly those named, so the command keeps what the token already has.
    assert '`make-mcp login --scopes "scenarios:read scenarios:run scenarios:write"`' in message


def test_the_servers_own_token_needs_a_restart_to_bring_new_scopes() -> None:
    message = MissingScope("scenarios_run", ["scenarios:run"]).message()
    assert "restart this server with the new token" in message
    assert "next request" not in message


def test_a_token_sent_with_each_request_needs_no_restart_the_next_request_with_a_new_one_has_its_scopes() -> None:
    message = MissingScope("scenarios_run", ["scenarios:run"], per_request=True).message()
    assert "restart" not in message.replace("no restart needed", "")
    assert "the next request that carries it is served with its scopes" in message
    assert "Authorization header" in message


def test_several_missing_scopes_are_all_named() -> None:
    message = MissingScope("hooks_create", ["hooks:write", "hooks:read"]).message()
    assert "needs the scopes hooks:write, hooks:read" in message
    assert "To grant them" in message
    assert '--scopes "hooks:read hooks:write"' in message
