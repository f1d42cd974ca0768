"""Stateful handlers: the calling user, organizations and teams."""

from __future__ import annotations

from typing import Any

from make_mcp.server.sandbox.resources import (
    Call,
    PageDefaults,
    Registry,
    get_or_404,
    list_body,
    require_confirmation,
    require_team,
    single_body,
)
from make_mcp.server.sandbox.state import SandboxState

HANDLERS = Registry()

BY_NAME = PageDefaults(sort_by="name", sort_dir="asc", limit=10000)


# ---- users/me ----


@HANDLERS.on("GET", "/users/me")
def get_me(call: Call) -> Any:
    return single_body(call, "authUser", call.state.user)


@HANDLERS.on("GET", "/users/me/current-authorization")
def get_current_authorization(call: Call) -> Any:
    return {"authorization": {"authUsed": call.grant.auth_used, "scope": sorted(call.grant.scopes)}}


# ---- organizations ----


def render_organization(state: SandboxState, organization: dict[str, Any]) -> dict[str, Any]:
    teams = [
        {"id": team["id"], "name": team["name"]}
        for team in state.teams.values()
        if team["organizationId"] == organization["id"]
    ]
    return {**organization, "teams": teams}


@HANDLERS.on("GET", "/organizations")
def list_organizations(call: Call) -> Any:
    items = [render_organization(call.state, org) for org in call.state.organizations.values()]
    return list_body(call, "organizations", items, BY_NAME, default_cols=["id", "name", "timezoneId"])


@HANDLERS.on("GET", "/organizations/{organizationId}")
def get_organization(call: Call) -> Any:
    organization = get_or_404(call.state.organizations, call.path_int("organizationId"), "Organization")
    return {"organization": render_organization(call.state, organization)}


@HANDLERS.on("PATCH", "/organizations/{organizationId}")
def update_organization(call: Call) -> Any:
    organization = get_or_404(call.state.organizations, call.path_int("organizationId"), "Organization")
    fields = call.fields()
    changes = {
        "name": fields.string("name", max_length=128),
        "countryId": fields.integer("countryId"),
        "timezoneId": fields.integer("timezoneId"),
    }
    fields.check()
    organization.update({key: value for key, value in changes.items() if value is not None})
    return {"organization": render_organization(call.state, organization)}


# ---- teams ----


@HANDLERS.on("GET", "/teams")
def list_teams(call: Call) -> Any:
    organization_id = call.need_query_int("organizationId")
    get_or_404(call.state.organizations, organization_id, "Organization")
    items = [team for team in call.state.teams.values() if team["organizationId"] == organization_id]
    if call.query_flag("includePrivateSpaces"):
        items += private_space_teams(call.state, organization_id)
    return list_body(call, "teams", items, BY_NAME, default_cols=["id", "name", "organizationId"])


def private_space_teams(state: SandboxState, organization_id: int) -> list[dict[str, Any]]:
    """The organization's private spaces as the teams they are (undocumented: Make's SDK lists them so)."""
    return [
        {
            "id": space["id"],
            "name": space["name"],
            "organizationId": organization_id,
            "operationsLimit": space["operationsLimit"],
            "transferLimit": space["transferLimit"],
            "scenarioDrafts": False,
        }
        for space in state.private_spaces.values()
        if space["organizationId"] == organization_id
    ]


@HANDLERS.on("GET", "/teams/{teamId}")
def get_team(call: Call) -> Any:
    return single_body(call, "team", require_team(call.state, call.path_int("teamId")))


@HANDLERS.on("POST", "/teams")
def create_team(call: Call) -> Any:
    fields = call.fields()
    name = fields.need_string("name", max_length=128)
    organization_id = fields.need_int("organizationId")
    operations_limit = fields.integer("operationsLimit", minimum=0)
    transfer_limit = fields.integer("transferLimit", minimum=0)  # undocumented; Make's SDK sends it
    fields.check()
    get_or_404(call.state.organizations, organization_id, "Organization")
    team = {
        "id": call.state.next_id("team"),
        "name": name,
        "organizationId": organization_id,
        "operationsLimit": operations_limit,
        "transferLimit": transfer_limit,
        "scenarioDrafts": False,
    }
    call.state.teams[team["id"]] = team
    role = {"usersRoleId": 1, "userId": call.state.user.get("id"), "teamId": team["id"], "changeable": False}
    return {"team": team, "userTeamRole": role}


@HANDLERS.on("PATCH", "/teams/{teamId}")
def update_team(call: Call) -> Any:
    team = require_team(call.state, call.path_int("teamId"))
    fields = call.fields()
    changes = {
        "name": fields.string("name", max_length=128),
        "operationsLimit": fields.integer("operationsLimit", minimum=0),
        "scenarioDrafts": fields.boolean("scenarioDrafts"),
    }
    fields.check()
    team.update({key: value for key, value in changes.items() if value is not None})
    return single_body(call, "team", team)


@HANDLERS.on("DELETE", "/teams/{teamId}")
def delete_team(call: Call) -> Any:
    team_id = call.path_int("teamId")
    require_team(call.state, team_id)
    require_confirmation(call, "Deleting a team also deletes its scenarios, hooks, data stores and connections.")
    delete_team_contents(call.state, team_id)
    del call.state.teams[team_id]
    return {"team": team_id}


def delete_team_contents(state: SandboxState, team_id: int) -> None:
    for scenario_id in [sid for sid, s in state.scenarios.items() if s["teamId"] == team_id]:
        del state.scenarios[scenario_id]
        state.blueprints.pop(scenario_id, None)
        state.interfaces.pop(scenario_id, None)
    for store_id in [sid for sid, s in state.data_stores.items() if s["teamId"] == team_id]:
        del state.data_stores[store_id]
        state.records.pop(store_id, None)
    for table in (state.folders, state.data_structures, state.hooks, state.connections):
        for key in [key for key, item in table.items() if item["teamId"] == team_id]:
            del table[key]
