"""A realistic Make account on top of the demo: hundreds of scenarios with their runs, failures, webhooks,
connections (some expired), folders and data stores full of records. For benchmarks and tests only; the
served sandbox stays the small demo.

Deterministic: the same sizes give the same account, ids and all.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from make_mcp.server.sandbox.demo import SEEDED_AT_MS, blueprint, module
from make_mcp.server.sandbox.resources_hooks import add_connection, add_hook
from make_mcp.server.sandbox.resources_incomplete import add_incomplete_execution
from make_mcp.server.sandbox.resources_scenarios import add_scenario, fail_execution, record_execution
from make_mcp.server.sandbox.state import SandboxState, iso_timestamp

DAY_MS = 86_400_000

# App, the module a scenario uses it with, that module's version.
APPS = (
    ("slack", "slack:CreateMessage", 4),
    ("google-sheets", "google-sheets:addRow", 2),
    ("gmail", "google-email:sendAnEmail", 3),
    ("hubspotcrm", "hubspotcrm:createContact", 2),
    ("airtable", "airtable:ActionCreateRecord", 3),
    ("notion", "notion:createDatabaseItem", 2),
    ("shopify", "shopify:GetOrder", 1),
    ("stripe", "stripe:retrieveCustomer", 1),
    ("mailchimp", "mailchimp:addSubscriber", 2),
    ("trello", "trello:createCard", 1),
)
TOPICS = (
    "lead",
    "invoice",
    "order",
    "signup",
    "ticket",
    "refund",
    "newsletter",
    "renewal",
    "review",
    "payout",
    "webinar",
    "trial",
)
VERBS = ("Sync", "Notify about", "Archive", "Enrich", "Route", "Log", "Score", "Digest of", "Follow up on", "Tag")
FOLDERS = (
    "Sales",
    "Finance",
    "Support",
    "Marketing ops",
    "Onboarding",
    "Reporting",
    "E-commerce",
    "HR",
    "Internal tools",
    "Experiments",
    "Archive",
    "Partners",
)


@dataclass(frozen=True)
class AccountSize:
    scenarios: int = 300
    webhooks: int = 40
    connections: int = 30
    expired_connections: int = 5
    data_stores: int = 6
    records_per_store: int = 60
    runs_per_scenario: int = 6


def seed_large_account(state: SandboxState, size: AccountSize = AccountSize(), *, seed: int = 7) -> None:
    """Adds a busy team's worth of resources to a demo sandbox (teams 201 and 202 of organization 101)."""
    rng = random.Random(seed)
    teams = sorted(state.teams)
    folders = _folders(state, teams)
    connections = _connections(state, teams, size, rng)
    hooks = [
        add_hook(
            state,
            team_id=teams[index % len(teams)],
            name=f"{rng.choice(TOPICS).title()} webhook {index + 1}",
            type_name="gateway-webhook",
            data={"headers": False, "method": False, "stringify": False, "ip": None, "udt": None},
        )
        for index in range(size.webhooks)
    ]
    for hook in hooks:
        hook["learning"] = False
    stores = [_store(state, teams[0], index, size.records_per_store, rng) for index in range(size.data_stores)]
    for index in range(size.scenarios):
        team_id = teams[0] if index % 3 else teams[-1]
        hook = hooks[index] if index < len(hooks) else None
        if hook is not None:
            team_id = hook["teamId"]
        name = f"{rng.choice(VERBS)} {rng.choice(TOPICS)}s {index + 1}"
        own = [c for c in connections if c["teamId"] == team_id] or connections
        flow = _flow(rng, hook, own, stores)
        scheduling = (
            {"type": "immediately"}
            if hook is not None
            else rng.choice(
                [{"type": "indefinitely", "interval": 900}, {"type": "daily", "time": "07:30"}, {"type": "on-demand"}]
            )
        )
        scenario = add_scenario(
            state,
            team_id=team_id,
            blueprint=blueprint(name, flow, instant=hook is not None),
            scheduling=scheduling,
            folder_id=rng.choice(folders[team_id] + [None]),
            when=iso_timestamp((SEEDED_AT_MS - rng.randrange(400) * DAY_MS) / 1000),
            is_active=rng.random() < 0.6,
        )
        scenario["description"] = rng.choice(["", "", f"Owned by the {rng.choice(FOLDERS)} team."])
        _runs(state, scenario, size.runs_per_scenario, rng)


def _folders(state: SandboxState, teams: list[int]) -> dict[int, list[int]]:
    by_team: dict[int, list[int]] = {team_id: [] for team_id in teams}
    for index, name in enumerate(FOLDERS):
        team_id = teams[index % len(teams)]
        folder_id = state.next_id("folder")
        state.folders[folder_id] = {"id": folder_id, "name": name, "parentId": None, "teamId": team_id}
        by_team[team_id].append(folder_id)
    return by_team


def _connections(state: SandboxState, teams: list[int], size: AccountSize, rng: random.Random) -> list[dict[str, Any]]:
    made: list[dict[str, Any]] = []
    for index in range(size.connections):
        app = APPS[index % len(APPS)][0]
        who = f"{rng.choice(['ops', 'sales', 'finance', 'support', 'maker'])}{index}@example.com"
        connection = add_connection(
            state,
            team_id=teams[index % len(teams)],
            name=f"{app} ({who})",
            app=app,
            scopes=["read", "write"],
            data={},
            metadata={"type": "email", "value": who},
        )
        if index < size.expired_connections:
            expired = iso_timestamp((SEEDED_AT_MS - (index + 1) * 9 * DAY_MS) / 1000)
            state.connections[connection["id"]]["expire"] = expired
        elif index % 4 == 0:
            state.connections[connection["id"]]["expire"] = iso_timestamp((SEEDED_AT_MS + 200 * DAY_MS) / 1000)
        made.append(state.connections[connection["id"]])
    return made


def _store(state: SandboxState, team_id: int, index: int, records: int, rng: random.Random) -> int:
    structure_id = state.next_id("dataStructure")
    state.data_structures[structure_id] = {
        "id": structure_id,
        "name": f"{TOPICS[index].title()} record",
        "teamId": team_id,
        "spec": [
            {"name": "email", "label": "Email", "type": "text", "default": None, "required": True},
            {"name": "status", "label": "Status", "type": "text", "default": "new", "required": False},
            {"name": "amount", "label": "Amount", "type": "number", "default": 0, "required": False},
        ],
        "strict": False,
    }
    store_id = state.next_id("dataStore")
    state.data_stores[store_id] = {
        "id": store_id,
        "name": f"{TOPICS[index].title()}s",
        "teamId": team_id,
        "datastructureId": structure_id,
        "maxSize": 10 * 1024 * 1024,
    }
    state.records[store_id] = {
        f"{state.next_id('record'):012x}": {
            "email": f"{TOPICS[index]}{number}@example.com",
            "status": rng.choice(["new", "open", "won", "lost"]),
            "amount": rng.randrange(0, 5_000),
        }
        for number in range(records)
    }
    return store_id


def _flow(
    rng: random.Random, hook: dict[str, Any] | None, connections: list[dict[str, Any]], stores: list[int]
) -> list[dict[str, Any]]:
    if hook is not None:
        trigger = module(1, "gateway:CustomWebHook", 1, 0, parameters={"hook": hook["id"], "maxResults": 1})
    else:
        trigger = module(1, "datastore:SearchRecord", 1, 0, parameters={"datastore": rng.choice(stores)})
    flow = [trigger]
    for position in range(rng.randrange(2, 5)):
        app, name, version = rng.choice(APPS)
        connection = next((c for c in connections if c["accountName"] == app), rng.choice(connections))
        flow.append(
            module(
                position + 2,
                name,
                version,
                300 * (position + 1),
                parameters={"__IMTCONN__": connection["id"]},
                mapper={"value": f"{{{{1.{rng.choice(['email', 'id', 'name', 'total'])}}}}}"},
            )
        )
    return flow


def _runs(state: SandboxState, scenario: dict[str, Any], count: int, rng: random.Random) -> None:
    failing = rng.random() < 0.1
    for number in range(rng.randrange(0, count + 1)):
        status = 3 if failing and number % 2 else rng.choice([1, 1, 1, 1, 2])
        started = SEEDED_AT_MS + number * 3_600_000 + rng.randrange(3_600_000)
        execution_id = record_execution(
            state,
            scenario,
            kind="auto",
            status=status,
            started_ms=started,
            duration=rng.randrange(300, 9_000),
            operations=rng.randrange(1, 12),
            transfer=rng.randrange(200, 40_000),
        )
        if status == 3:
            error_type = rng.choice(["DataError", "ConnectionError", "RateLimitError"])
            reason = rng.choice(["[404] channel_not_found", "[401] invalid_auth", "[429] Too many requests"])
            fail_execution(state, execution_id, module_id=2, name=error_type, message=reason)
            add_incomplete_execution(
                state,
                scenario,
                execution_id=execution_id,
                failed_module=2,
                error_type=error_type,
                reason=reason,
                created_ms=started + 2_000,
            )
