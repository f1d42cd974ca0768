"""Seed data of the demo sandbox: a small but realistic Make account.

IDs (each kind numbers from its own base):
organization 101; teams 201 "Marketing" and 202 "Operations"; user 301; scenarios 401 (webhook-triggered,
active, in folder 501), 402 (daily, inactive), 403 (on-demand with a required input, active, team 202);
folder 501; data structure 601; data store 701 (5 records); hook 801 (used by scenario 401);
connections 901 (Google, used by 402) and 902 (Slack, used by 401); past runs of 401 (success, warning,
error, success) and 402 (success) in their execution logs; the failed run of 401 is an incomplete execution.
Scenarios 404-407 (team 201) are callable as tools: see demo_scenario_tools.py.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from make_mcp.server.sandbox.demo_scenario_tools import seed_scenario_tools_demo
from make_mcp.server.sandbox.resources import spec_index
from make_mcp.server.sandbox.resources_hooks import add_connection, add_hook
from make_mcp.server.sandbox.resources_incomplete import add_incomplete_execution
from make_mcp.server.sandbox.resources_scenarios import add_scenario, fail_execution, record_execution
from make_mcp.server.sandbox.resources_undocumented import seed_private_spaces
from make_mcp.server.sandbox.state import ID_BASES, SandboxState

SANDBOX_TOKEN = "7f3c9a2e-5b1d-4e8f-a6c4-2d9e0b1f3a57"
SEEDED_AT = "2025-01-15T09:30:00.000Z"
SEEDED_AT_MS = 1_736_933_400_000
# The defaults for MAKE_ORGANIZATION and MAKE_TEAM when serving the sandbox (the "Marketing" team).
DEMO_ORGANIZATION_ID = ID_BASES["organization"]
DEMO_TEAM_ID = ID_BASES["team"]


def every_scope() -> set[str]:
    return {scope for op in spec_index().operations for scope in op.scopes}


def seed_demo(state: SandboxState) -> None:
    organization_id = seed_account(state)
    seed_private_spaces(state, organization_id)
    state.add_token(SANDBOX_TOKEN, every_scope())
    marketing, operations = (
        team_id for team_id in state.teams if state.teams[team_id]["organizationId"] == organization_id
    )
    folder_id = state.next_id("folder")
    state.folders[folder_id] = {"id": folder_id, "name": "Lead pipeline", "parentId": None, "teamId": marketing}
    store_id = seed_customers(state, marketing)
    hook = add_hook(
        state,
        team_id=marketing,
        name="New lead webhook",
        type_name="gateway-webhook",
        data={"headers": False, "method": False, "stringify": False, "ip": None, "udt": None},
    )
    hook["learning"] = False
    google, slack = seed_connections(state, marketing)
    lead_capture = add_scenario(
        state,
        team_id=marketing,
        blueprint=lead_capture_blueprint(hook["id"], store_id, slack["id"]),
        scheduling={"type": "immediately"},
        folder_id=folder_id,
        when=SEEDED_AT,
        is_active=True,
    )
    digest = add_scenario(
        state,
        team_id=marketing,
        blueprint=digest_blueprint(store_id, google["id"]),
        scheduling={"type": "daily", "time": "08:00"},
        when=SEEDED_AT,
    )
    add_scenario(
        state,
        team_id=operations,
        blueprint=order_sync_blueprint(),
        scheduling={"type": "on-demand"},
        when=SEEDED_AT,
        is_active=True,
        interface_input=[{"name": "orderId", "type": "text", "default": None, "required": True, "multiline": False}],
    )
    seed_runs(state, lead_capture, digest)
    seed_scenario_tools_demo(state, when=SEEDED_AT)


def seed_connections(state: SandboxState, team_id: int) -> tuple[dict[str, Any], dict[str, Any]]:
    """The team's Google and Slack connections."""
    google = add_connection(
        state,
        team_id=team_id,
        name="Google (maker@example.com)",
        app="google",
        scopes=[
            "https://www.googleapis.com/auth/userinfo.email",
            "https://www.googleapis.com/auth/spreadsheets",
            "https://www.googleapis.com/auth/drive",  # Sheets' addRow finds spreadsheets through Drive
        ],
        data={},
        metadata={"type": "email", "value": "maker@example.com"},
    )
    slack = add_connection(
        state,
        team_id=team_id,
        name="Slack (Sandbox workspace)",
        app="slack3",
        scopes=["chat:write", "channels:read"],
        data={},
        metadata={"type": "string", "value": "Sandbox workspace"},
    )
    return google, slack


def seed_runs(state: SandboxState, lead_capture: dict[str, Any], digest: dict[str, Any]) -> None:
    """Past runs for the execution logs: leads captured (one with a warning, one failed at its Slack message
    and kept as an incomplete execution) and a digest sent."""
    hour = 3_600_000
    for started, status, duration, operations in ((1, 1, 842, 3), (3, 2, 1_530, 3), (5, 3, 2_104, 2), (8, 1, 790, 3)):
        execution_id = record_execution(
            state,
            lead_capture,
            kind="auto",
            status=status,
            started_ms=SEEDED_AT_MS + started * hour,
            duration=duration,
            operations=operations,
            transfer=1_284,
        )
        if status == 3:
            fail_execution(state, execution_id, module_id=4, name="DataError", message="[404] channel_not_found")
            add_incomplete_execution(
                state,
                lead_capture,
                execution_id=execution_id,
                failed_module=4,
                error_type="DataError",
                reason="[404] channel_not_found",
                created_ms=SEEDED_AT_MS + started * hour + duration,
            )
    record_execution(
        state, digest, kind="manual", status=1, started_ms=SEEDED_AT_MS + 23 * hour, duration=3_412, operations=5
    )


def seed_account(state: SandboxState) -> int:
    user_id = state.next_id("user")
    state.user = {
        "id": user_id,
        "name": "Sandbox Maker",
        "email": "maker@example.com",
        "language": "en",
        "timezoneId": 113,
        "localeId": 1,
        "countryId": 1,
        "features": {},
        "avatar": None,
        "lastLogin": SEEDED_AT,
        "timezone": "Europe/Prague",
        "locale": "en",
    }
    organization_id = state.next_id("organization")
    state.organizations[organization_id] = {
        "id": organization_id,
        "name": "Sandbox Organization",
        "serviceName": "core",
        "nextReset": None,
        "operations": "0",
        "transfer": "0",
        "operationsExt": "0",
        "transferExt": "0",
        "unusedOperations": "0",
        "unusedTransfer": "0",
        "isPaused": False,
        "countryId": 1,
        "timezoneId": 113,
        "deleted": False,
        "license": {
            "apps": [],
            "users": 5,
            "dslimit": 10,
            "fslimit": 1073741824,
            "iolimit": 10000,
            "dsslimit": 10485760,
            "fulltext": False,
            "interval": 1,
            "transfer": 10737418240,
            "operations": 10000,
            "apiLimit": 60,
        },
        "features": {},
        "zone": "sandbox",
    }
    for name in ("Marketing", "Operations"):
        team_id = state.next_id("team")
        state.teams[team_id] = {
            "id": team_id,
            "name": name,
            "organizationId": organization_id,
            "operationsLimit": None,
            "transferLimit": None,
            "scenarioDrafts": False,
        }
    return organization_id


def seed_customers(state: SandboxState, team_id: int) -> int:
    structure_id = state.next_id("dataStructure")
    state.data_structures[structure_id] = {
        "id": structure_id,
        "name": "Customer",
        "teamId": team_id,
        "spec": [
            {"name": "name", "label": "Name", "type": "text", "default": None, "required": True},
            {"name": "email", "label": "Email", "type": "text", "default": None, "required": True},
            {"name": "plan", "label": "Plan", "type": "text", "default": "free", "required": False},
            {"name": "mrr", "label": "Monthly revenue", "type": "number", "default": 0, "required": False},
            {"name": "active", "label": "Active", "type": "boolean", "default": True, "required": False},
        ],
        "strict": True,
    }
    store_id = state.next_id("dataStore")
    state.data_stores[store_id] = {
        "id": store_id,
        "name": "Customers",
        "teamId": team_id,
        "datastructureId": structure_id,
        "maxSize": 1024 * 1024,
    }
    customers = [
        ("Alice Brown", "alice.brown@example.com", "pro", 99, True),
        ("Bob Novak", "bob.novak@example.com", "core", 29, True),
        ("Carla Diaz", "carla.diaz@example.com", "teams", 299, True),
        ("Deepak Rao", "deepak.rao@example.com", "free", 0, False),
        ("Emma Laurent", "emma.laurent@example.com", "pro", 99, True),
    ]
    state.records[store_id] = {
        f"{state.next_id('record'):012x}": {"name": name, "email": email, "plan": plan, "mrr": mrr, "active": active}
        for name, email, plan, mrr, active in customers
    }
    return store_id


def module(module_id: int, name: str, version: int, x: int, **fields: Any) -> dict[str, Any]:
    return {"id": module_id, "module": name, "version": version, **fields, "metadata": {"designer": {"x": x, "y": 0}}}


def blueprint(name: str, flow: list[dict[str, Any]], *, instant: bool = False) -> dict[str, Any]:
    return {
        "name": name,
        "flow": flow,
        "metadata": {
            "instant": instant,
            "version": 1,
            "scenario": {
                "roundtrips": 1,
                "maxErrors": 3,
                "autoCommit": True,
                "autoCommitTriggerLast": True,
                "sequential": False,
                "confidential": False,
                "dataloss": False,
                "dlq": False,
                "freshVariables": False,
            },
            "designer": {"orphans": []},
        },
    }


def lead_capture_blueprint(hook_id: int, store_id: int, slack_id: int) -> dict[str, Any]:
    save = module(
        3,
        "datastore:AddRecord",
        1,
        600,
        parameters={"datastore": store_id},
        mapper={"key": "", "overwrite": False, "data": {"name": "{{1.name}}", "email": "{{1.email}}", "plan": "free"}},
    )
    notify = module(
        4,
        "slack:CreateMessage",
        4,
        600,
        parameters={"__IMTCONN__": slack_id},
        mapper={
            "channelWType": "list",
            "channelType": "public",
            "channel": "C024BE91L",
            "text": "New lead: {{1.name}} <{{1.email}}>",
        },
    )
    return blueprint(
        "Capture new leads",
        [
            module(1, "gateway:CustomWebHook", 1, 0, parameters={"hook": hook_id, "maxResults": 1}),
            module(2, "builtin:BasicRouter", 1, 300, mapper=None, routes=[{"flow": [save]}, {"flow": [notify]}]),
        ],
        instant=True,
    )


def digest_blueprint(store_id: int, google_id: int) -> dict[str, Any]:
    return blueprint(
        "Daily MRR digest",
        [
            module(
                1,
                "datastore:SearchRecord",
                1,
                0,
                parameters={"datastore": store_id},
                mapper={"limit": 100, "filter": [[{"a": "active", "o": "boolean:equal", "b": "true"}]]},
            ),
            module(2, "builtin:BasicAggregator", 1, 300, parameters={"feeder": 1}, mapper={"mrr": "{{1.data.mrr}}"}),
            module(
                3,
                "google-sheets:addRow",
                2,
                600,
                parameters={"__IMTCONN__": google_id},
                mapper={
                    "mode": "select",
                    "spreadsheetId": "/1AbCdEfGhIjKlMnOpQrStUvWxYz",
                    "sheetId": "Digest",
                    "values": {"0": "{{formatDate(now; 'YYYY-MM-DD')}}", "1": "{{sum(map(2.array; 'mrr'))}}"},
                },
            ),
        ],
    )


def order_sync_blueprint() -> dict[str, Any]:
    return blueprint(
        "Sync order on demand",
        [
            module(
                1,
                "http:ActionSendData",
                3,
                0,
                parameters={"handleErrors": False},
                mapper={"url": "https://shop.example.com/api/orders/{{var.input.orderId}}", "method": "get"},
            ),
            module(2, "json:ParseJSON", 1, 300, parameters={"type": ""}, mapper={"json": "{{1.data}}"}),
        ],
    )


def demo_state(*, clock: Callable[[], float] = time.time) -> SandboxState:
    """A sandbox holding the demo account (the README's sandbox section describes it)."""
    state = SandboxState(clock=clock)
    seed_demo(state)
    return state
