"""Helpers for the sandbox tests: a controllable clock, a client factory and blueprint bodies."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx2
from starlette.applications import Starlette

from make_mcp.server.sandbox import SANDBOX_TOKEN

START = 1_750_000_000.0  # 2025-06-15T15:06:40Z


class FakeClock:
    def __init__(self, now: float = START) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def client(app: Starlette, token: str | None = SANDBOX_TOKEN, scheme: str = "Token") -> httpx2.AsyncClient:
    headers = {"Authorization": f"{scheme} {token}"} if token is not None else {}
    return httpx2.AsyncClient(
        transport=httpx2.ASGITransport(app=app), base_url="http://sandbox/api/v2", headers=headers
    )


def blueprint(name: str = "Parse a payload", flow: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    modules = flow or [{"id": 1, "module": "json:ParseJSON", "version": 1, "parameters": {}, "mapper": {"json": "{}"}}]
    return {"name": name, "flow": modules, "metadata": {"version": 1, "scenario": {"roundtrips": 1}}}


def scenario_body(team_id: int = 201, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "teamId": team_id,
        "blueprint": json.dumps(blueprint()),
        "scheduling": json.dumps({"type": "indefinitely", "interval": 900}),
    }
    body.update(overrides)
    return body


FIXTURES = Path(__file__).parents[1] / "builder" / "fixtures"
WEBHOOK = {"id": 1, "module": "gateway:CustomWebHook", "version": 1, "parameters": {"hook": 1}, "mapper": {}}


def fixture(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def example_blueprints() -> dict[str, dict[str, Any]]:
    """The vendored examples as whole blueprints: the fragments placed after a webhook module 1."""
    return {
        "full-blueprint.json": fixture("full-blueprint.json"),
        "ai-agent-full-blueprint.json": fixture("ai-agent-full-blueprint.json"),
        "if-else-pattern.json": blueprint("If-else", [WEBHOOK, *fixture("if-else-pattern.json").values()]),
        "router-pattern.json": blueprint("Router", [WEBHOOK, fixture("router-pattern.json")]),
    }
