"""The overlay records of the organizations toolset (what an overlay holds: tools/overlays/model.py)."""

from make_mcp.tools.catalogue import TrimmedFields
from make_mcp.tools.overlays.model import OVERWRITES, SETS, SWITCH, VARIABLE_TYPES, Overlay

OVERLAYS: tuple[Overlay, ...] = (
    Overlay(
        "POST /organizations/{organizationId}/variables",
        "organization-variables_create",
        description="Create an organization custom variable (needs a plan with custom variables).",
        required_body_fields=("name", "typeId", "value"),
        field_descriptions={"typeId": VARIABLE_TYPES, "name": "Letters, digits, $ and _."},
    ),
    Overlay("DELETE /organizations/{organizationId}/variables/{variableName}", "organization-variables_delete"),
    Overlay(
        "GET /organizations/{organizationId}/variables/{variableName}/history",
        "organization-variables_history",
        title="Organization variable history",
    ),
    Overlay(
        "GET /organizations/{organizationId}/variables",
        "organization-variables_list",
        description="List an organization's custom variables, which all its scenarios can read.",
        not_trimmed="its answer is one object, not a list of items",
    ),
    Overlay(
        "PATCH /organizations/{organizationId}/variables/{variableName}",
        "organization-variables_update",
        writes=SETS,
        field_descriptions={"typeId": VARIABLE_TYPES},
    ),
    Overlay("POST /organizations/accept-invitation", "organizations_accept-invitation", writes=SWITCH),
    Overlay("GET /organizations/{organizationId}/check-team-permission", "organizations_check-team-permission"),
    Overlay("POST /organizations", "organizations_create", official=True),
    Overlay(
        "DELETE /organizations/{organizationId}",
        "organizations_delete",
        default_query=(("confirmed", "true"),),
        official=True,
    ),
    Overlay(
        "GET /organizations/{organizationId}",
        "organizations_get",
        official=True,
        description="Get an organization: its zone, license, teams and scenario counts.",
    ),
    Overlay("GET /organizations/{organizationId}/feature-controls", "organizations_get-feature-controls"),
    Overlay("GET /organizations/invitation", "organizations_get-invitation"),
    Overlay("GET /organizations/{organizationId}/private-spaces-settings", "organizations_get-private-spaces"),
    Overlay(
        "GET /organizations/{organizationId}/usage",
        "organizations_get-usage",
        description="Daily operations, centicredits and data transfer of an organization over the last 30 days.",
    ),
    Overlay(
        "GET /organizations/{organizationId}/user-organization-roles/{userId}",
        "organizations_get-user-role",
        title="Get organization role of a user",
    ),
    Overlay(
        "POST /organizations/{organizationId}/invite",
        "organizations_invite-user",
        array_item_types={"teamsId": "integer"},
    ),
    Overlay(
        "GET /organizations",
        "organizations_list",
        default_query=(("cols[]", "*"),),
        official=True,
        description="List the organizations the user belongs to.",
        core_rank=250,
        default_cols=("id", "name", "zone", "teams", "isPaused"),
    ),
    Overlay(
        "GET /organizations/{organizationId}/apps",
        "organizations_list-apps",
        trimmed_fields=TrimmedFields(
            ("appName", "appVersion", "installedAt"),
            ("appName", "appVersion", "installedAt", "installedBy", "organizationId"),
        ),
    ),
    Overlay(
        "GET /organizations/{organizationId}/user-organization-roles",
        "organizations_list-user-roles",
        title="List organization roles of users",
        # The items carry usersRoleId, and GET /users/{userId}/user-organization-roles documents that column.
        column_aliases=(("userRoleId", "usersRoleId"),),
        default_cols=("userId", "organizationId", "usersRoleId", "invitation"),
    ),
    Overlay("PATCH /organizations/{organizationId}/tfa-enforcement", "organizations_set-tfa-enforcement", writes=SETS),
    Overlay(
        "POST /organizations/{organizationId}/user-organization-roles/transfer",
        "organizations_transfer-ownership",
        title="Transfer organization ownership",
        writes=OVERWRITES,
    ),
    Overlay("PATCH /organizations/{organizationId}", "organizations_update", official=True, writes=SETS),
    Overlay(
        "PATCH /organizations/{organizationId}/feature-controls",
        "organizations_update-feature-controls",
        writes=SETS,
        required_body_fields=("id", "enabled"),
    ),
    Overlay(
        "PATCH /organizations/{organizationId}/private-spaces-settings",
        "organizations_update-private-spaces",
        writes=SETS,
    ),
)
