"""Each tool call's outcome is worked out once and seen, in one chain, by the log, the metrics and the caller's
own observers (the scenario tools' refresh)."""

from __future__ import annotations

import httpx2

from make_mcp.server.engine.confirmation import Confirmations
from make_mcp.server.engine.outcome import Outcome
from make_mcp.server.engine.selection import Catalogue
from make_mcp.server.make_api.client import MakeClient
from make_mcp.server.protocol.runner import ToolRunner
from make_mcp.server.sandbox import SANDBOX_TOKEN, create_sandbox_app, demo_state
from make_mcp.server.support.config import Settings
from make_mcp.tools.registry import ALL_OPERATIONS

BASE_URL = "http://sandbox.make-mcp.invalid/api/v2"


async def test_one_outcome_per_call_reaches_every_observer_in_order_with_the_inner_tool_and_its_kind() -> None:
    transport = httpx2.ASGITransport(app=create_sandbox_app(demo_state()))
    client = MakeClient(BASE_URL, authorization=f"Token {SANDBOX_TOKEN}", transport=transport)
    settings = Settings(sandbox=True, tool_mode="discovery")
    runner = ToolRunner(settings, client, Catalogue(ALL_OPERATIONS), Confirmations())
    seen: list[tuple[str, Outcome]] = []

    async def first(outcome: Outcome) -> None:
        seen.append(("first", outcome))

    async def second(outcome: Outcome) -> None:
        seen.append(("second", outcome))

    try:
        returned = await runner.call(
            "tools_call", {"name": "scenarios_get", "arguments": {"scenarioId": 401}}, observers=[first, second]
        )
        await runner.call("teams_get", {"teamId": "not a number"}, observers=[first])
        await runner.call("scenarios_delete", {"scenarioId": 402}, observers=[first])
    finally:
        await client.aclose()
    assert [where for where, _ in seen] == ["first", "second", "first", "first"]
    ran, again, bad, unconfirmed = (outcome for _, outcome in seen)
    assert ran is again  # the same value, not worked out twice
    assert (ran.tool, ran.inner, ran.ran, ran.kind) == ("tools_call", "scenarios_get", "scenarios_get", "ok")
    assert ran.operation is not None and ran.operation.name == "scenarios_get"
    assert ran is returned and ran.error is None  # the caller gets the one outcome, to answer with
    assert (bad.ran, bad.kind, type(bad.error).__name__) == ("teams_get", "bad_input", "InvalidArguments")
    assert (unconfirmed.ran, unconfirmed.kind) == ("scenarios_delete", "not_confirmed")
