"""The overlay records of the users toolset (what an overlay holds: tools/overlays/model.py)."""

from make_mcp.tools.catalogue import TrimmedFields
from make_mcp.tools.overlays.model import CREATES_EACH_TIME, DISCARDS, OVERWRITES, SETS, Overlay

OVERLAYS: tuple[Overlay, ...] = (
    Overlay("POST /users/me/api-tokens", "api-tokens_create", array_item_types={"scope": "string"}),
    Overlay(
        "DELETE /users/me/api-tokens/{timestamp}",
        "api-tokens_delete",
        description="Delete one of your API tokens, picked by its creation timestamp.",
    ),
    Overlay(
        "GET /users/me/api-tokens",
        "api-tokens_list",
        # `created` is what api-tokens_delete takes.
        trimmed_fields=TrimmedFields(("label", "scope", "created"), ("created", "label", "scope", "token")),
    ),
    Overlay("GET /mailhub/users/{userId}/preferences", "email-preferences_get", title="Get email preferences"),
    Overlay(
        "GET /mailhub/users/{userId}/organizations/{organizationId}/teams/{teamId}/preferences",
        "email-preferences_get-team",
        title="Get team email preferences",
    ),
    Overlay(
        "PATCH /mailhub/users/{userId}/preferences",
        "email-preferences_update",
        title="Update global email preferences",
        writes=SETS,
        required_body_fields=("id", "enabled"),
    ),
    Overlay(
        "PATCH /mailhub/users/{userId}/organizations/{organizationId}/teams/{teamId}/preferences",
        "email-preferences_update-team",
        title="Update team email preferences",
        writes=SETS,
        required_body_fields=("id", "enabled"),
    ),
    Overlay(
        "PATCH /mailhub/users/{userId}/organizations/{organizationId}/teams/{teamId}/native-preferences",
        "email-preferences_update-team-native",
        title="Update team native email preferences",
        writes=SETS,
        required_body_fields=("id", "enabled"),
    ),
    Overlay("GET /users/roles/{roleId}", "roles_get", official=True),
    Overlay(
        "GET /users/roles",
        "roles_list",
        default_query=(("cols[]", "*"),),
        official=True,
        title="List roles",
        default_cols=("id", "name", "category", "description"),
    ),
    Overlay("GET /users/roles/permissions", "roles_permissions", official=True, title="List role permissions"),
    Overlay(
        "GET /users/{userId}/user-organization-roles/{organizationId}",
        "user-organization-roles_get",
        title="Get organization role of a user in an organization",
    ),
    Overlay(
        "GET /users/{userId}/user-organization-roles",
        "user-organization-roles_list",
        title="List organization roles of a user",
        default_cols=("userId", "organizationId", "usersRoleId", "invitation"),
    ),
    Overlay(
        "POST /users/{userId}/user-organization-roles/{organizationId}",
        "user-organization-roles_set",
        title="Set organization role of a user",
        writes=SETS,
        required_body_fields=("usersRoleId",),
    ),
    Overlay(
        "POST /users/{userId}/user-organization-roles/{organizationId}/transfer",
        "user-organization-roles_transfer-ownership",
        title="Transfer organization ownership to a user",
        writes=OVERWRITES,
    ),
    Overlay("GET /users/{userId}/user-team-notifications/{teamId}/{notificationId}", "user-team-notifications_get"),
    Overlay(
        "GET /users/{userId}/user-team-notifications/{teamId}",
        "user-team-notifications_list",
        trimmed_fields=TrimmedFields(("notificationId", "enabled"), ("enabled", "notificationId", "teamId", "userId")),
    ),
    Overlay(
        "PUT /users/{userId}/user-team-notifications/{teamId}/{notificationId}",
        "user-team-notifications_update",
        required_body_fields=("enabled",),
    ),
    Overlay(
        "GET /users/{userId}/user-team-roles/{teamId}", "user-team-roles_get", title="Get team role of a user in a team"
    ),
    Overlay(
        "GET /users/{userId}/user-team-roles",
        "user-team-roles_list",
        title="List team roles of a user",
        trimmed_fields=TrimmedFields(
            ("teamId", "usersRoleId", "changeable"), ("changeable", "ssoPending", "teamId", "userId", "usersRoleId")
        ),
    ),
    Overlay(
        "POST /users/{userId}/user-team-roles/{teamId}",
        "user-team-roles_set",
        title="Set team role of a user",
        writes=SETS,
        required_body_fields=("usersRoleId",),
    ),
    Overlay("GET /users/unread-notifications", "users_count-unread-notifications", title="Count unread notifications"),
    Overlay("DELETE /users", "users_delete-me", description="Delete the account of the user this token belongs to."),
    Overlay("GET /users/me/onboarding-survey", "users_get-onboarding-survey"),
    Overlay(
        "GET /users",
        "users_list",
        exactly_one_of=("teamId", "organizationId"),
        default_cols=("id", "name", "email", "lastLogin", "userTeamIds"),
    ),
    Overlay(
        "GET /users/by-permission",
        "users_list-by-permission",
        default_cols=("id", "name", "email", "invitationStatus"),
    ),
    Overlay(
        "GET /users/me",
        "users_me",
        official=True,
        title="Get current user",
        description="Get the user the credentials belong to.",
        core_rank=260,
    ),
    Overlay(
        "GET /users/me/current-authorization",
        "users_me-authorization",
        title="Get current authorization",
        description="Show the scopes of the credentials in use.",
    ),
    Overlay("GET /users/me/organization-invitations", "users_me-invitations", title="List my organization invitations"),
    Overlay("GET /users/password-reset", "users_open-password-reset", title="Open password reset session"),
    Overlay("POST /users/password-reset-demand", "users_request-password-reset", writes=CREATES_EACH_TIME),
    Overlay("POST /users/password-reset", "users_reset-password", writes=DISCARDS),
    Overlay(
        "POST /users/me/onboarding-survey",
        "users_submit-onboarding-survey",
        array_item_types={"preferred_apps": "string"},
    ),
    Overlay("PATCH /users/{userId}", "users_update", writes=SETS),
    Overlay("PUT /users/{userId}/attributes/email", "users_update-email", writes=OVERWRITES),
    Overlay("PUT /users/{userId}/attributes/password", "users_update-password", writes=OVERWRITES),
    Overlay(
        "POST /users/custom-roles",
        "custom-roles_create",
        official=True,
        title="Create custom role",
        description="Create an organization or team role of your own, with the permissions it grants.",
    ),
    Overlay("DELETE /users/custom-roles/{id}", "custom-roles_delete", official=True, title="Delete custom role"),
    Overlay(
        "PATCH /users/custom-roles/{id}", "custom-roles_update", official=True, title="Update custom role", writes=SETS
    ),
)
