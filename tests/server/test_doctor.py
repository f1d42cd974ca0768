"""`make-mcp doctor` against the loopback sandbox: reachability, token, scopes, and why tools are hidden."""

from __future__ import annotations

import io

import httpx2

from make_mcp.server.cli.doctor import run_doctor
from make_mcp.server.make_api.client import MakeClient, RetryPolicy
from make_mcp.server.support.config import Settings
from make_mcp.tools.conventions import DEFAULT_TOOLSETS
from make_mcp.tools.registry import ALL_OPERATIONS
from tests.conftest import LoopbackSandbox


async def doctor_report(sandbox: LoopbackSandbox, token: str, **overrides: object) -> tuple[bool, str]:
    settings = Settings(api_key=token, zone=sandbox.url, allow_custom_zone=True, **overrides)  # type: ignore[arg-type]
    client = MakeClient(
        settings.base_url, authorization=settings.authorization_header(), retry=RetryPolicy(max_retries=0)
    )
    out = io.StringIO()
    try:
        healthy = await run_doctor(settings, client, out)
    finally:
        await client.aclose()
    return healthy, out.getvalue()


async def test_doctor_reports_a_valid_token_its_scopes_and_why_tools_are_hidden(
    loopback_sandbox: LoopbackSandbox,
) -> None:
    limited = "3c1d6a8e-0000-4000-8000-00000000d0c7"
    loopback_sandbox.state.add_token(limited, ["organizations:read", "scenarios:read", "user:read"])
    healthy, report = await doctor_report(loopback_sandbox, limited, toolsets="scenarios,hooks")
    assert healthy
    assert "zone reachable: yes" in report and "token valid: yes" in report
    assert "scopes (3): organizations:read, scenarios:read, user:read" in report
    assert "toolsets enabled: hooks, scenarios" in report
    assert "the token lacks the scope scenarios:write" in report
    assert "its toolset 'sdk-apps' is not enabled" in report
    assert "  keys: Keys stored for scenarios" in report and "  hooks:" not in report
    assert limited not in report


async def test_doctor_flags_an_invalid_token(loopback_sandbox: LoopbackSandbox) -> None:
    healthy, report = await doctor_report(loopback_sandbox, "00000000-0000-4000-8000-000000000bad")
    assert not healthy
    assert "token valid: NO" in report


async def test_doctor_marks_unknown_scopes_when_discovery_fails() -> None:
    def make(request: httpx2.Request) -> httpx2.Response:
        if request.url.path.endswith("/current-authorization"):
            return httpx2.Response(500, json={"message": "Internal error", "code": "SC500"})
        return httpx2.Response(200, json={"authUser": {"email": "someone@example.com"}})

    settings = Settings(api_key="3c1d6a8e-0000-4000-8000-00000000d0c8", zone="eu2.make.com")
    client = MakeClient(
        settings.base_url,
        authorization=settings.authorization_header(),
        retry=RetryPolicy(max_retries=0),
        transport=httpx2.MockTransport(make),
    )
    out = io.StringIO()
    healthy = await run_doctor(settings, client, out)
    await client.aclose()
    assert healthy
    assert "scopes: UNKNOWN" in out.getvalue()
    in_default_toolsets = sum(op.toolset in DEFAULT_TOOLSETS for op in ALL_OPERATIONS)
    assert f"tools offered: {in_default_toolsets} of {len(ALL_OPERATIONS)}" in out.getvalue()


async def test_doctor_lists_the_scenario_tools_and_each_scenario_left_out_with_its_reason(
    loopback_sandbox: LoopbackSandbox,
) -> None:
    _, report = await doctor_report(loopback_sandbox, loopback_sandbox.token, team=201)
    assert "scenario tools (auto): 2\n  score_a_lead_404\n  generate_weekly_report_405\n" in report
    assert "left out: scenario 407 (Sync CRM contacts) is not a tool: its interface could not be read" in report
    _, off = await doctor_report(loopback_sandbox, loopback_sandbox.token, team=201, scenario_tools="off")
    assert "scenario tools (off): 0\n" in off and "score_a_lead_404" not in off
