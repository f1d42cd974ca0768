"""Wires settings, the Make client (real or sandbox), the catalogue and a transport together."""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import anyio
import httpx2
from mcp.server.stdio import stdio_server

from server.app import Catalogue, ToolRunner, build_server, selected_toolsets
from server.client import Credentials, MakeClient, MakeRequest, RateBudget, RetryPolicy, Sleep
from server.config import Settings
from server.confirmation import Confirmations
from server.errors import MakeError
from server.scopes import discover_scopes
from tools.registry import ALL_OPERATIONS, TOOLSETS

log = logging.getLogger("make_mcp")

SANDBOX_BASE_URL = "http://sandbox.make-mcp.invalid/api/v2"
LOWEST_PLAN_RATE_LIMIT = 60  # requests per minute on Make's Core plan


@asynccontextmanager
async def open_make_client(
    settings: Settings,
    *,
    sleep: Sleep = anyio.sleep,
    clock: Callable[[], float] = time.monotonic,
    credentials: Credentials | None = None,
) -> AsyncIterator[MakeClient]:
    """The one client of the process: to Make's zone, or to an in-process sandbox; with its rate budget.

    Credentials: MAKE_API_KEY, else MAKE_ACCESS_TOKEN, else the tokens `make-mcp login` stored (renewed as
    they expire); `credentials` replaces that choice (tests).
    """
    retry = RetryPolicy(max_retries=settings.max_retries, max_retry_after=settings.max_retry_wait)
    # The built-in sandbox has no rate limit, so it gets a budget only when one is asked for.
    wants_budget = settings.rate_limit != 0 and not (settings.sandbox and settings.rate_limit is None)
    budget = (
        RateBudget(settings.rate_limit or LOWEST_PLAN_RATE_LIMIT, clock=clock, sleep=sleep) if wants_budget else None
    )
    if settings.sandbox:
        from server.sandbox import SANDBOX_TOKEN, SandboxState, create_sandbox_app

        transport = httpx2.ASGITransport(app=create_sandbox_app(SandboxState.demo()))
        client = MakeClient(
            SANDBOX_BASE_URL,
            authorization=f"Token {SANDBOX_TOKEN}",
            timeout=settings.timeout,
            retry=retry,
            transport=transport,
            sleep=sleep,
            budget=budget,
        )
    else:
        from server.auth import credentials_for

        client = MakeClient(
            settings.base_url,
            credentials=credentials if credentials is not None else credentials_for(settings),
            timeout=settings.timeout,
            retry=retry,
            sleep=sleep,
            budget=budget,
        )
    try:
        if budget is not None and settings.rate_limit is None:
            budget.per_minute = await learn_rate_limit(client, settings.organization)
            log.info("rate budget: %d requests per minute", budget.per_minute)
        yield client
    finally:
        await client.aclose()


async def learn_rate_limit(client: MakeClient, organization_id: int | None) -> int:
    """The organization's API limit (license.apiLimit); the lowest plan's when Make does not tell it."""
    try:
        if organization_id is None:
            listed = await client.send(MakeRequest("GET", "/organizations", operation="rate limit discovery"))
            organizations = _field(listed, "organizations")
            ids = [_field(org, "id") for org in organizations] if isinstance(organizations, list) else []
            if len(ids) != 1 or not isinstance(ids[0], int):
                log.info("rate budget: not exactly one organization; set MAKE_ORGANIZATION or MAKE_RATE_LIMIT")
                return LOWEST_PLAN_RATE_LIMIT
            organization_id = ids[0]
        body = await client.send(
            MakeRequest("GET", f"/organizations/{organization_id}", operation="rate limit discovery")
        )
    except MakeError as error:
        log.warning("could not learn the organization's API limit: %s", error.message().splitlines()[0])
        return LOWEST_PLAN_RATE_LIMIT
    limit = _field(_field(_field(body, "organization"), "license"), "apiLimit")
    if isinstance(limit, int) and not isinstance(limit, bool) and limit > 0:
        return limit
    return LOWEST_PLAN_RATE_LIMIT


def _field(value: Any, key: str) -> Any:
    return value.get(key) if isinstance(value, dict) else None  # pyright: ignore[reportUnknownMemberType]


async def load_catalogue(settings: Settings, client: MakeClient) -> Catalogue:
    """The tools this configuration offers: toolsets, read-only mode and the token's scopes applied."""
    toolsets = selected_toolsets(settings.toolsets, TOOLSETS)
    granted = await discover_scopes(client)
    return Catalogue.select(ALL_OPERATIONS, toolsets=toolsets, read_only=settings.read_only, granted_scopes=granted)


async def serve_stdio(settings: Settings) -> None:
    async with open_make_client(settings) as client:
        catalogue = await load_catalogue(settings, client)
        log.info("serving %d tools over stdio", len(catalogue.operations))
        server = build_server(ToolRunner(settings, client, catalogue, Confirmations()))
        async with stdio_server() as (read_stream, write_stream):
            await server.run(read_stream, write_stream, server.create_initialization_options())


async def print_tools(settings: Settings, as_json: bool) -> None:
    """Writes the tools this configuration offers to stdout (a command of its own, not the MCP server)."""
    import sys

    from server.app import tool_definition

    async with open_make_client(settings) as client:
        catalogue = await load_catalogue(settings, client)
    if as_json:
        import mcp_types as types

        listing = types.ListToolsResult(
            tools=[tool_definition(op, confirm=settings.confirm_destructive) for op in catalogue.operations]
        )
        sys.stdout.write(listing.model_dump_json(by_alias=True, exclude_none=True) + "\n")
        return
    for op in catalogue.operations:
        mode = "read" if op.read_only else "write"
        sys.stdout.write(f"{op.name:48} {op.toolset:24} {mode:5} {op.method} {op.path}\n")
    sys.stdout.write(f"{len(catalogue.operations)} tools\n")


def serve_sandbox(host: str, port: int, rate_limit: int | None) -> None:
    """Serves the sandbox Make API over HTTP, for pointing a server or a benchmark at it."""
    import uvicorn

    from server.sandbox import SandboxState, create_sandbox_app

    state = SandboxState.demo()
    state.rate_limit_per_minute = rate_limit
    log.warning("sandbox Make API on http://%s:%d/api/v2 (its demo token is in the README)", host, port)
    uvicorn.run(create_sandbox_app(state), host=host, port=port, log_level="warning")


async def doctor(settings: Settings) -> bool:
    import sys

    from server.doctor import run_doctor

    async with open_make_client(settings) as client:
        return await run_doctor(settings, client, sys.stdout)
