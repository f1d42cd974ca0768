"""The process's Make client: to Make's zone or to an in-process sandbox, with its rate budget (the organization's
API limit, learned from Make unless MAKE_RATE_LIMIT gives it)."""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any
from urllib.parse import urlsplit

import anyio
import httpx2

from make_mcp.server.engine.internal import internal_request
from make_mcp.server.engine.scopes import discover_scopes
from make_mcp.server.engine.selection import Catalogue, ToolChoice
from make_mcp.server.errors import MakeError
from make_mcp.server.make_api.client import Credentials, MakeClient, RateBudget, RequestBudget, RetryPolicy
from make_mcp.server.support.config import Settings
from make_mcp.server.support.sleep import Sleep
from make_mcp.server.support.state import SharedRateBudget, SharedState
from make_mcp.tools.conventions import ORGANIZATION_OPERATION, ORGANIZATIONS_OPERATION

log = logging.getLogger("make_mcp")

SANDBOX_BASE_URL = "http://sandbox.make-mcp.invalid/api/v2"
LOWEST_PLAN_RATE_LIMIT = 60  # requests per minute on Make's Core plan


@asynccontextmanager
async def open_make_client(
    settings: Settings,
    *,
    sleep: Sleep = anyio.sleep,
    clock: Callable[[], float] | None = None,
    credentials: Credentials | None = None,
    shared: SharedState | None = None,
) -> AsyncIterator[MakeClient]:
    """The one client of the process: to Make's zone, or to an in-process sandbox; with its rate budget.

    Credentials: MAKE_API_KEY, else MAKE_ACCESS_TOKEN, else the tokens `make-mcp login` stored (renewed as
    they expire); `credentials` replaces that choice (tests). `shared`: the state of every instance (Redis),
    which then holds the rate budget.
    """
    client, budget = new_make_client(settings, sleep=sleep, clock=clock, credentials=credentials, shared=shared)
    try:
        await set_rate_budget(settings, client, budget)
        yield client
    finally:
        await client.aclose()


def new_make_client(
    settings: Settings,
    *,
    sleep: Sleep = anyio.sleep,
    clock: Callable[[], float] | None = None,
    credentials: Credentials | None = None,
    shared: SharedState | None = None,
) -> tuple[MakeClient, RequestBudget | None]:
    """The client, not yet asked anything, and its rate budget (None when there is none)."""
    retry = RetryPolicy(
        max_retries=settings.max_retries,
        max_retry_after=settings.max_retry_wait,
        deadline=settings.call_deadline or None,
    )
    budget = new_rate_budget(settings, sleep=sleep, clock=clock, shared=shared)
    if settings.sandbox:
        from make_mcp.server.sandbox import SANDBOX_TOKEN, create_sandbox_app, demo_state

        transport = httpx2.ASGITransport(app=create_sandbox_app(demo_state()))
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
        from make_mcp.server.make_api.auth import credentials_for

        client = MakeClient(
            settings.base_url,
            credentials=credentials if credentials is not None else credentials_for(settings),
            timeout=settings.timeout,
            retry=retry,
            sleep=sleep,
            budget=budget,
        )
    return client, budget


def new_rate_budget(
    settings: Settings,
    *,
    sleep: Sleep = anyio.sleep,
    clock: Callable[[], float] | None = None,
    shared: SharedState | None = None,
) -> RequestBudget | None:
    """This process's budget, or with `shared` one budget per organization for every instance using that state;
    None when there is none. `clock` defaults to monotonic time, or wall-clock time for a shared budget (every
    instance must read the same clock)."""
    # The built-in sandbox has no rate limit, so it gets a budget only when one is asked for.
    if settings.rate_limit == 0 or (settings.sandbox and settings.rate_limit is None):
        return None
    per_minute = settings.rate_limit or LOWEST_PLAN_RATE_LIMIT
    if shared is None:
        return RateBudget(per_minute, clock=clock or time.monotonic, sleep=sleep)
    return SharedRateBudget(shared, rate_budget_key(settings), per_minute, clock=clock or time.time, sleep=sleep)


def rate_budget_key(settings: Settings) -> str:
    """Make counts requests per organization of a zone: MAKE_ORGANIZATION's, else one budget for the zone."""
    zone = "sandbox" if settings.sandbox else urlsplit(settings.base_url).netloc
    return f"{zone}:org:{settings.organization or 'any'}"


async def set_rate_budget(settings: Settings, client: MakeClient, budget: RequestBudget | None) -> None:
    """Learns the organization's API limit for the budget, unless MAKE_RATE_LIMIT gives it (or there is no budget)."""
    if budget is not None and settings.rate_limit is None:
        budget.per_minute = await learn_rate_limit(client, settings.organization)
        log.info("rate budget: %d requests per minute", budget.per_minute)


async def learn_rate_limit(client: MakeClient, organization_id: int | None) -> int:
    """The organization's API limit (license.apiLimit); the lowest plan's when Make does not tell it."""
    try:
        if organization_id is None:
            listed = await client.send(internal_request(ORGANIZATIONS_OPERATION))
            organizations = _field(listed, "organizations")
            ids = [_field(org, "id") for org in organizations] if isinstance(organizations, list) else []
            if len(ids) != 1 or not isinstance(ids[0], int):
                log.info("rate budget: not exactly one organization; set MAKE_ORGANIZATION or MAKE_RATE_LIMIT")
                return LOWEST_PLAN_RATE_LIMIT
            organization_id = ids[0]
        body = await client.send(internal_request(ORGANIZATION_OPERATION, organizationId=organization_id))
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
    choice = ToolChoice.from_settings(settings)
    return choice.select(await discover_scopes(client))
