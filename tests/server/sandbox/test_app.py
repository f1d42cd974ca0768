"""The sandbox's request pipeline: recording, auth, routing, scopes, rate limit, fallback to the spec."""

from __future__ import annotations

from make_mcp.server.sandbox import SANDBOX_TOKEN, SandboxState, create_sandbox_app, demo_state
from make_mcp.server.sandbox.app import HANDLERS
from make_mcp.server.sandbox.spec import SpecIndex
from make_mcp.server.sandbox.undocumented import undocumented_operations
from tests.server.sandbox.support import FakeClock, client

LIMITED_TOKEN = "0b7e4c1a-2f3d-4a5b-8c6d-7e8f9a0b1c2d"


def assert_make_error(body: dict[str, object], code: str) -> None:
    assert body["code"] == code
    assert isinstance(body["message"], str) and body["message"]
    assert isinstance(body["detail"], str) and body["detail"]


async def test_unknown_token_gets_401_with_make_error_body() -> None:
    app = create_sandbox_app(demo_state())
    async with client(app, token="11111111-2222-4333-8444-555555555555") as api:
        response = await api.get("/users/me")
    assert response.status_code == 401
    assert_make_error(response.json(), "SC401")


async def test_missing_authorization_header_gets_401() -> None:
    app = create_sandbox_app(demo_state())
    async with client(app, token=None) as api:
        response = await api.get("/scenarios", params={"teamId": 201})
    assert response.status_code == 401
    assert_make_error(response.json(), "SC401")


async def test_bearer_scheme_is_accepted_and_reported_as_oauth() -> None:
    app = create_sandbox_app(demo_state())
    async with client(app, scheme="Bearer") as api:
        response = await api.get("/users/me/current-authorization")
    assert response.status_code == 200
    assert response.json()["authorization"]["authUsed"] == "oauth"


async def test_token_without_scope_gets_403_naming_the_scope() -> None:
    state = demo_state()
    state.add_token(LIMITED_TOKEN, ["scenarios:read"])
    app = create_sandbox_app(state)
    async with client(app, token=LIMITED_TOKEN) as api:
        allowed = await api.get("/scenarios", params={"teamId": 201})
        denied = await api.post("/scenarios/401/start")
    assert allowed.status_code == 200
    assert denied.status_code == 403
    assert_make_error(denied.json(), "SC403")
    assert "scenarios:write" in denied.json()["detail"]


async def test_operation_listing_several_scopes_needs_all_of_them() -> None:
    state = demo_state()
    state.add_token(LIMITED_TOKEN, ["scenarios:run"])
    app = create_sandbox_app(state)
    async with client(app, token=LIMITED_TOKEN) as api:
        response = await api.post("/scenarios/403/run", json={"data": {"orderId": "A-1"}})
    assert response.status_code == 403
    assert "scenarios:read" in response.json()["detail"]


async def test_current_authorization_lists_the_calling_tokens_scopes() -> None:
    state = demo_state()
    state.add_token(LIMITED_TOKEN, ["organizations:read", "scenarios:read"])
    app = create_sandbox_app(state)
    async with client(app, token=LIMITED_TOKEN) as api:
        response = await api.get("/users/me/current-authorization")
    assert response.json() == {
        "authorization": {"authUsed": "token", "scope": ["organizations:read", "scenarios:read"]}
    }


async def test_unknown_path_gets_404_and_wrong_method_gets_405() -> None:
    app = create_sandbox_app(demo_state())
    async with client(app) as api:
        wrong_case = await api.get("/Scenarios", params={"teamId": 201})
        wrong_method = await api.put("/scenarios/401", json={})
        line_break = await api.post("/sdk/apps/my-app/%0A/modules", json={})  # no router path matches it
    assert wrong_case.status_code == 404
    assert_make_error(wrong_case.json(), "SC404")
    assert line_break.status_code == 404
    assert_make_error(line_break.json(), "SC404")
    assert wrong_method.status_code == 405
    assert_make_error(wrong_method.json(), "SC405")


async def test_unknown_id_gets_404_with_make_error_body() -> None:
    app = create_sandbox_app(demo_state())
    async with client(app) as api:
        response = await api.get("/scenarios/999999")
    assert response.status_code == 404
    assert_make_error(response.json(), "SC404")


async def test_rate_limit_answers_429_with_retry_after_from_the_clock() -> None:
    clock = FakeClock()
    state = demo_state(clock=clock)
    state.rate_limit_per_minute = 2
    app = create_sandbox_app(state)
    async with client(app) as api:
        assert (await api.get("/users/me")).status_code == 200
        clock.advance(20)
        assert (await api.get("/users/me")).status_code == 200
        clock.advance(10)
        limited = await api.get("/users/me")
        clock.advance(30)  # the first request leaves the rolling minute
        freed = await api.get("/users/me")
    assert limited.status_code == 429
    assert limited.headers["Retry-After"] == "30"
    assert limited.json()["message"] == "Requests limit for organization exceeded, please try again later."
    assert limited.json()["code"] == "SC429"
    assert freed.status_code == 200


async def test_running_a_scenario_is_exempt_from_the_rate_limit() -> None:
    state = demo_state(clock=FakeClock())
    state.rate_limit_per_minute = 1
    app = create_sandbox_app(state)
    async with client(app) as api:
        assert (await api.get("/users/me")).status_code == 200
        run = await api.post("/scenarios/403/run", json={"data": {"orderId": "A-1"}})
        limited = await api.get("/users/me")
    assert run.status_code == 200
    assert limited.status_code == 429


async def test_requests_are_recorded_in_order() -> None:
    state = demo_state()
    app = create_sandbox_app(state)
    assert state.requests == []
    async with client(app) as api:
        await api.get("/scenarios", params=[("teamId", "201"), ("cols[]", "id")])
        await api.patch("/scenarios/401", json={"name": "Renamed"})
        await api.get("/nowhere")
    recorded = [(r.method, r.path, r.query, r.body) for r in state.requests]
    assert recorded == [
        ("GET", "/api/v2/scenarios", [("teamId", "201"), ("cols[]", "id")], None),
        ("PATCH", "/api/v2/scenarios/401", [], {"name": "Renamed"}),
        ("GET", "/api/v2/nowhere", [], None),
    ]
    assert all("authorization" not in r.headers for r in state.requests)
    assert state.requests[1].headers["content-type"] == "application/json"


async def test_rejected_requests_are_recorded_too() -> None:
    state = demo_state()
    app = create_sandbox_app(state)
    async with client(app, token="not-a-token") as api:
        await api.get("/users/me")
    assert [(r.method, r.path) for r in state.requests] == [("GET", "/api/v2/users/me")]


async def test_body_that_is_not_json_gets_400() -> None:
    app = create_sandbox_app(demo_state())
    async with client(app) as api:
        response = await api.patch("/scenarios/401", content=b"{not json", headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert_make_error(response.json(), "IM005")


async def test_operation_without_handler_is_validated_against_the_spec() -> None:
    app = create_sandbox_app(demo_state())
    async with client(app) as api:
        missing_team = await api.get("/devices")
        countries = await api.get("/enums/countries")
    assert missing_team.status_code == 400
    assert_make_error(missing_team.json(), "IM005")
    assert missing_team.json()["suberrors"]
    assert countries.status_code == 200
    assert "countries" in countries.json()


def test_every_stateful_handler_is_a_documented_operation_or_a_declared_undocumented_one() -> None:
    spec = SpecIndex.load()
    undocumented = {(op.method, op.path) for op in undocumented_operations()}
    assert [key for key in HANDLERS if spec.find(*key) is None and key not in undocumented] == []


def test_default_app_uses_a_fresh_demo_state() -> None:
    app = create_sandbox_app()
    state = app.state.sandbox
    assert isinstance(state, SandboxState)
    assert SANDBOX_TOKEN in state.tokens
