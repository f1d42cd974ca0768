"""The user, organizations and teams; paging and cols on lists."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from make_mcp.server.sandbox import SANDBOX_TOKEN, create_sandbox_app, demo_state
from make_mcp.server.sandbox.resources import ApiError, Call, PageDefaults, page, spec_index
from make_mcp.server.sandbox.spec import SpecIndex
from tests.server.sandbox.support import client


async def test_me_returns_the_demo_user() -> None:
    app = create_sandbox_app(demo_state())
    async with client(app) as api:
        me = await api.get("/users/me")
        picked = await api.get("/users/me", params={"cols[]": ["email", "id"]})
    assert me.json()["authUser"]["id"] == 301
    assert picked.json() == {"authUser": {"email": "maker@example.com", "id": 301}}


async def test_organization_carries_its_api_limit_and_teams() -> None:
    app = create_sandbox_app(demo_state())
    async with client(app) as api:
        response = await api.get("/organizations/101")
    organization = response.json()["organization"]
    assert organization["license"]["apiLimit"] == 60
    assert organization["zone"] == "sandbox"
    assert organization["teams"] == [{"id": 201, "name": "Marketing"}, {"id": 202, "name": "Operations"}]


async def test_organization_list_shows_default_columns_unless_cols_asks_for_more() -> None:
    app = create_sandbox_app(demo_state())
    async with client(app) as api:
        default = await api.get("/organizations")
        more = await api.get("/organizations", params={"cols[]": ["id", "zone"]})
    assert default.json()["organizations"] == [{"id": 101, "name": "Sandbox Organization", "timezoneId": 113}]
    assert more.json()["organizations"] == [{"id": 101, "zone": "sandbox"}]


async def test_pagination_and_cols_apply_to_lists() -> None:
    app = create_sandbox_app(demo_state())
    async with client(app) as api:
        for name in ("Alpha", "Beta", "Gamma"):
            await api.post("/teams", json={"name": name, "organizationId": 101})
        response = await api.get(
            "/teams",
            params=[
                ("organizationId", "101"),
                ("pg[offset]", "1"),
                ("pg[limit]", "2"),
                ("pg[sortDir]", "desc"),
                ("cols[2]", "id"),
                ("cols[1]", "name"),
            ],
        )
    body = response.json()
    assert body["teams"] == [{"name": "Marketing", "id": 201}, {"name": "Gamma", "id": 205}]
    assert list(body["teams"][0]) == ["name", "id"]
    assert body["pg"] == {"sortBy": "name", "sortDir": "desc", "limit": 2, "offset": 1}


async def test_unknown_column_and_bad_paging_are_rejected() -> None:
    app = create_sandbox_app(demo_state())
    async with client(app) as api:
        bad_col = await api.get("/teams", params={"organizationId": 101, "cols[]": "password"})
        bad_limit = await api.get("/teams", params={"organizationId": 101, "pg[limit]": "-1"})
    assert bad_col.status_code == 400
    assert bad_limit.status_code == 400


async def test_created_team_appears_in_next_list() -> None:
    app = create_sandbox_app(demo_state())
    async with client(app) as api:
        created = await api.post("/teams", json={"name": "Finance", "organizationId": 101, "operationsLimit": 500})
        listed = await api.get("/teams", params={"organizationId": 101})
        fetched = await api.get("/teams/203")
    assert created.json()["team"]["id"] == 203
    assert created.json()["userTeamRole"] == {"usersRoleId": 1, "userId": 301, "teamId": 203, "changeable": False}
    assert [t["name"] for t in listed.json()["teams"]] == ["Finance", "Marketing", "Operations"]
    assert fetched.json()["team"]["operationsLimit"] == 500


async def test_team_delete_needs_confirmation_and_removes_its_contents() -> None:
    app = create_sandbox_app(demo_state())
    async with client(app) as api:
        refused = await api.delete("/teams/201")
        confirmed = await api.delete("/teams/201", params={"confirmed": "true"})
        scenarios = await api.get("/scenarios", params={"organizationId": 101})
        store = await api.get("/data-stores/701")
        hook = await api.get("/hooks/801")
    assert refused.status_code == 406
    assert refused.json()["code"] == "IM004"
    assert confirmed.json() == {"team": 201}
    assert [s["id"] for s in scenarios.json()["scenarios"]] == [403]
    assert store.status_code == hook.status_code == 404


def test_demo_token_is_uuid4_shaped_and_holds_every_scope_in_the_spec() -> None:
    state = demo_state()
    every = {scope for op in spec_index().operations for scope in op.scopes}
    parts = SANDBOX_TOKEN.split("-")
    assert [len(part) for part in parts] == [8, 4, 4, 4, 12]
    assert parts[2][0] == "4" and parts[3][0] in "89ab"
    assert state.tokens[SANDBOX_TOKEN].scopes == every


TEAM_NAMES = st.lists(st.text(alphabet="abcXYZ", min_size=1, max_size=4), max_size=12)


@settings(max_examples=60, deadline=None)
@given(names=TEAM_NAMES, offset=st.integers(0, 15), limit=st.integers(0, 15), descending=st.booleans())
def test_a_page_is_the_matching_slice_of_the_sorted_list(
    names: list[str], offset: int, limit: int, descending: bool
) -> None:
    state = demo_state()
    op = SpecIndex.load().find("GET", "/teams")
    assert op is not None
    query = [("pg[offset]", str(offset)), ("pg[limit]", str(limit)), ("pg[sortDir]", "desc" if descending else "asc")]
    call = Call(state, op, {}, query, None, state.tokens[SANDBOX_TOKEN])
    items = [{"id": index, "name": name} for index, name in enumerate(names)]
    chosen, pg = page(call, items, PageDefaults())
    ordered = sorted(items, key=lambda item: item["name"].casefold(), reverse=descending)
    assert chosen == ordered[offset : offset + limit]
    assert pg == {"sortBy": "name", "sortDir": "desc" if descending else "asc", "limit": limit, "offset": offset}


def test_paging_errors_name_every_bad_parameter() -> None:
    state = demo_state()
    op = SpecIndex.load().find("GET", "/data-stores")
    assert op is not None
    query = [("pg[sortBy]", "size"), ("pg[offset]", "x")]
    call = Call(state, op, {}, query, None, state.tokens[SANDBOX_TOKEN])
    with pytest.raises(ApiError) as raised:
        page(call, [], PageDefaults())
    assert raised.value.status == 400
    assert len(raised.value.suberrors) == 2
