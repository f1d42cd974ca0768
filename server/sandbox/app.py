"""The sandbox ASGI app: a fake Make API v2 served under /api/v2.

Every request is recorded, then: authentication (401), routing by the spec (404/405), scopes (403),
the organization's rate limit (429), and finally a stateful handler or, for operations without one,
the spec's request validation (400) and a sample response of the documented shape. Tests can script
faults (429 storms, 5xx, hangs, dropped connections ...) on `state.faults`: see faults.py.

Make's OAuth 2.0 authorize and token endpoints are served too, outside /api/v2: see oauth.py. The
authorization server is `app.state.oauth`.
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from make_mcp.server.sandbox import (
    resources_account,
    resources_apps,
    resources_credential_requests,
    resources_data,
    resources_hooks,
    resources_incomplete,
    resources_scenario_runs,
    resources_scenarios,
    resources_undocumented,
)
from make_mcp.server.sandbox.demo import demo_state
from make_mcp.server.sandbox.oauth import SandboxOAuth
from make_mcp.server.sandbox.resources import ApiError, Call, Handler, invalid, spec_index
from make_mcp.server.sandbox.spec import SpecIndex, SpecOperation
from make_mcp.server.sandbox.state import RecordedRequest, SandboxState, TokenGrant
from make_mcp.tools.jsonc import without_comments

API_PREFIX = "/api/v2"
METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
RATE_LIMIT_MESSAGE = "Requests limit for organization exceeded, please try again later."
# Make documents that organization request limits do not apply to running a scenario.
RATE_LIMIT_EXEMPT = {("POST", "/scenarios/{scenarioId}/run")}
# The docs list organizations:read for this call, but Make's recorded answer shows a token holding only
# scenarios:read and datastores:read reading its own authorization, so any valid token may.
SCOPE_FREE = {("GET", "/users/me/current-authorization")}

HANDLERS: dict[tuple[str, str], Handler] = {
    **resources_account.HANDLERS.table,
    **resources_apps.HANDLERS.table,
    **resources_credential_requests.HANDLERS.table,
    **resources_scenarios.HANDLERS.table,
    **resources_scenario_runs.HANDLERS.table,
    **resources_data.HANDLERS.table,
    **resources_hooks.HANDLERS.table,
    **resources_incomplete.HANDLERS.table,
    **resources_undocumented.HANDLERS.table,
}


def create_sandbox_app(state: SandboxState | None = None) -> Starlette:
    sandbox = state if state is not None else demo_state()
    spec = spec_index()
    undocumented = [f"{method} {template}" for method, template in HANDLERS if spec.find(method, template) is None]
    if undocumented:
        raise RuntimeError(f"sandbox handlers for operations missing from the spec: {undocumented}")
    oauth = SandboxOAuth(sandbox)

    async def endpoint(request: Request) -> Response:
        raw = await request.body()
        body, body_is_json = parse_body(raw, request.headers.get("content-type", ""))
        query = list(request.query_params.multi_items())
        headers = {name: value for name, value in request.headers.items() if name != "authorization"}
        sandbox.requests.append(RecordedRequest(request.method, request.url.path, query, body, headers, raw))
        fault = sandbox.faults.take(request.method, request.url.path)
        if fault is not None and fault.fault.release is not None:  # a stall: the normal answer, later
            await fault.fault.release.wait()
            fault = None
        if fault is not None and not fault.after_processing:
            return fault.fault.response()
        try:
            oauth.drop_expired()
            grant = authenticate(sandbox, request.headers.get("authorization"))
            result = dispatch(sandbox, spec, grant, request.method, request.url.path, query, body, body_is_json)
            response = JSONResponse(result)
        except ApiError as error:
            response = JSONResponse(error.body(), status_code=error.status, headers=error.headers)
        return fault.fault.response() if fault is not None else response

    async def unrouted(request: Request, exc: Exception) -> Response:
        # Starlette's own 404 (a path its router cannot match, e.g. with a line break), in Make's format.
        error = ApiError(404, "SC404", "Not found", f"No Make API endpoint at {request.url.path!r}.")
        return JSONResponse(error.body(), status_code=error.status)

    app = Starlette(
        routes=[*oauth.routes(), Route("/{path:path}", endpoint, methods=METHODS)],
        exception_handlers={404: unrouted},
    )
    app.state.sandbox = sandbox
    app.state.oauth = oauth
    return app


def parse_body(raw: bytes, content_type: str = "") -> tuple[Any, bool]:
    if not raw.strip():
        return None, True
    text = raw.decode("utf-8", errors="replace")
    if content_type.startswith("application/jsonc"):
        text = without_comments(text)  # Make reads section texts with their comments
    try:
        return json.loads(text), True
    except (json.JSONDecodeError, RecursionError):
        return text, False


def authenticate(state: SandboxState, header: str | None) -> TokenGrant:
    scheme, _, token = (header or "").strip().partition(" ")
    if scheme.lower() not in ("token", "bearer") or not token.strip():
        raise ApiError(
            401,
            "SC401",
            "Unauthorized",
            "Missing or malformed Authorization header; send 'Authorization: Token <api-token>'.",
        )
    grant = state.tokens.get(token.strip())
    if grant is None:
        raise ApiError(401, "SC401", "Unauthorized", "Invalid access token.")
    return replace(grant, auth_used="token" if scheme.lower() == "token" else "oauth")


def dispatch(
    state: SandboxState,
    spec: SpecIndex,
    grant: TokenGrant,
    method: str,
    path: str,
    query: list[tuple[str, str]],
    body: Any,
    body_is_json: bool,
) -> Any:
    op, params = route(spec, method, path)
    authorize(grant, op)
    throttle(state, grant, op)
    if not body_is_json and op.request_body_is_json:
        raise invalid(["The request body is not valid JSON."])
    handler = HANDLERS.get((op.method, op.path))
    if handler is not None:
        return handler(Call(state, op, params, query, body, grant))
    problems = spec.validate_request(op, params, query, body)
    if problems:
        raise invalid(problems)
    return spec.sample_response(op, params, query, body)


def route(spec: SpecIndex, method: str, path: str) -> tuple[SpecOperation, dict[str, str]]:
    api_path = path[len(API_PREFIX) :] if path.startswith(API_PREFIX + "/") else None
    matched = spec.match(method, api_path) if api_path is not None else None
    if matched is not None:
        return matched
    if api_path is not None and spec.path_exists(api_path):
        raise ApiError(405, "SC405", "Method not allowed", f"{method} is not allowed on {api_path}.")
    raise ApiError(
        404, "SC404", "Not found", f"No Make API endpoint at {path}. Paths are case-sensitive and start with /api/v2/."
    )


def authorize(grant: TokenGrant, op: SpecOperation) -> None:
    if (op.method, op.path) in SCOPE_FREE:
        return
    missing = [scope for scope in op.scopes if scope not in grant.scopes]
    if missing:
        raise ApiError(
            403,
            "SC403",
            "Permission denied",
            f"Access denied: {op.method} {op.path} needs the scope {', '.join(missing)}, which the token lacks.",
        )


def throttle(state: SandboxState, grant: TokenGrant, op: SpecOperation) -> None:
    if (op.method, op.path) in RATE_LIMIT_EXEMPT:
        return
    wait = state.throttle(grant.organization_id)
    if wait is not None:
        raise ApiError(
            429,
            "SC429",
            RATE_LIMIT_MESSAGE,
            f"The organization's limit of {state.rate_limit_per_minute} requests per minute is used up; "
            f"retry in {wait} s.",
            headers={"Retry-After": str(wait)},
        )
