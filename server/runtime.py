"""Wires settings, the Make client (real or sandbox), the catalogue and a transport together."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx2
from mcp.server.stdio import stdio_server

from server.app import Catalogue, ToolRunner, build_server, selected_toolsets
from server.client import MakeClient, RetryPolicy
from server.config import Settings
from server.confirmation import Confirmations
from server.scopes import discover_scopes
from tools.registry import ALL_OPERATIONS, TOOLSETS

log = logging.getLogger("make_mcp")

SANDBOX_BASE_URL = "http://sandbox.make-mcp.invalid/api/v2"


@asynccontextmanager
async def open_make_client(settings: Settings) -> AsyncIterator[MakeClient]:
    """The one client of the process: to Make's zone, or to an in-process sandbox."""
    retry = RetryPolicy(max_retries=settings.max_retries, max_retry_after=settings.max_retry_wait)
    if settings.sandbox:
        from server.sandbox import SANDBOX_TOKEN, SandboxState, create_sandbox_app

        transport = httpx2.ASGITransport(app=create_sandbox_app(SandboxState.demo()))
        client = MakeClient(
            SANDBOX_BASE_URL,
            authorization=f"Token {SANDBOX_TOKEN}",
            timeout=settings.timeout,
            retry=retry,
            transport=transport,
        )
    else:
        client = MakeClient(
            settings.base_url, authorization=settings.authorization_header(), timeout=settings.timeout, retry=retry
        )
    try:
        yield client
    finally:
        await client.aclose()


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
