"""Credential requests: created four ways into one store, each with the link the person opens, then read and deleted."""

from __future__ import annotations

from typing import Any

from make_mcp.server.sandbox import create_sandbox_app, demo_state
from tests.server.sandbox.support import client

PROVIDER = {"name": "Ops", "email": "ops@example.com"}


async def post_then(path: str, body: dict[str, Any], *reads: str) -> tuple[Any, list[Any]]:
    """The created answer, then the answers of the reads (paths with {id} for the new request's id)."""
    async with client(create_sandbox_app(demo_state())) as api:
        created = await api.post(path, json=body)
        request_id = created.json().get("request", {}).get("id", "")
        answers = []
        for read in reads:
            method, _, template = read.partition(" ")
            response = await api.request(method, template.format(id=request_id), params={"teamId": 201})
            answers.append((response.status_code, response.json()))
    return created, answers


async def test_a_v2_request_derives_connections_and_scopes_from_the_modules_named() -> None:
    body = {
        "teamId": 201,
        "name": "Sheets and Slack",
        "provider": PROVIDER,
        "credentials": [
            {"appName": "google-sheets", "appModules": ["addRow", "watchRows"]},
            {"appName": "typeform", "appModules": ["watchResponses"]},
        ],
    }
    created, [(status, detail)] = await post_then(
        "/credential-requests/requests/v2", body, "GET /credential-requests/requests/{id}/detail"
    )
    assert created.status_code == 200
    request = created.json()["request"]
    assert created.json()["publicUri"] == f"https://make.com/credential-requests/{request['id']}/authorize"
    assert (request["teamId"], request["organizationId"], request["status"]) == (201, 101, "pending")
    assert status == 200
    credentials = detail["requestDetail"]["credentials"]
    assert [(c["component"], c["name"]) for c in credentials] == [
        ("account", "google"),
        ("account", "typeform"),
        ("hook", "typeform"),
    ]
    assert credentials[0]["scope"] == [
        "https://www.googleapis.com/auth/spreadsheets",
        "https://www.googleapis.com/auth/drive",
    ]
    assert detail["requestDetail"]["makeProvider"]["email"] == "ops@example.com"


async def test_a_v2_request_for_an_unknown_app_or_module_is_refused() -> None:
    body = {
        "teamId": 201,
        "name": "Broken",
        "provider": 301,
        "credentials": [{"appName": "nope", "appModules": ["x"]}, {"appName": "slack", "appModules": ["Post"]}],
    }
    created, _ = await post_then("/credential-requests/requests/v2", body)
    assert (created.status_code, created.json()["code"]) == (400, "IM005")
    assert [e["message"] for e in created.json()["suberrors"]] == [
        "App 'nope' not found.",
        "App 'slack' has no module 'Post'.",
    ]


async def test_a_request_by_credentials_answers_its_credentials_and_is_listed() -> None:
    body = {
        "teamId": 201,
        "connections": [{"type": "slack3", "scope": ["chat:write"]}],
        "keys": [{"type": "basicauth"}],
    }
    created, [(status, listed)] = await post_then(
        "/credential-requests/actions/create-by-credentials", body, "GET /credential-requests/requests"
    )
    assert created.status_code == 200
    assert [(c["component"], c["name"], c["scope"]) for c in created.json()["credentials"]] == [
        ("account", "slack3", ["chat:write"]),
        ("keychain", "basicauth", []),
    ]
    assert status == 200 and [r["id"] for r in listed["requests"]] == [created.json()["request"]["id"]]


async def test_an_action_request_needs_a_connection_or_a_key_with_its_team() -> None:
    created, _ = await post_then("/credential-requests/actions/create", {"key": {"type": "basicauth"}})
    assert (created.status_code, created.json()["detail"]) == (
        400,
        "key: Missing value of required parameter 'teamId'.",
    )
    created, _ = await post_then("/credential-requests/actions/create", {"name": "Nothing"})
    assert created.status_code == 400


async def test_a_deleted_request_is_gone() -> None:
    body = {"connection": {"teamId": 201, "accountName": "google", "scopes": ["openid"]}}
    created, [(deleted_status, deleted), (status, gone)] = await post_then(
        "/credential-requests/actions/create",
        body,
        "DELETE /credential-requests/requests/{id}",
        "GET /credential-requests/requests/{id}",
    )
    assert created.status_code == 200
    assert (deleted_status, deleted) == (200, {"deleted": True})
    assert (status, gone["code"]) == (404, "SC404")
