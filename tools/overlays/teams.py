"""The overlay records of the teams toolset (what an overlay holds: tools/overlays/model.py)."""

from make_mcp.tools.catalogue import TrimmedFields
from make_mcp.tools.overlays.model import SETS, VARIABLE_TYPES, Overlay

OVERLAYS: tuple[Overlay, ...] = (
    Overlay(
        "POST /teams/{teamId}/variables",
        "team-variables_create",
        description="Create a team custom variable (needs a plan with custom variables).",
        required_body_fields=("name", "typeId", "value"),
        field_descriptions={"typeId": VARIABLE_TYPES, "name": "Letters, digits, $ and _."},
    ),
    Overlay("DELETE /teams/{teamId}/variables/{variableName}", "team-variables_delete"),
    Overlay(
        "GET /teams/{teamId}/variables/{variableName}/history", "team-variables_history", title="Team variable history"
    ),
    Overlay(
        "GET /teams/{teamId}/variables",
        "team-variables_list",
        description="List a team's custom variables, which its scenarios can read.",
        # The variable is its value: every field but whether Make set it.
        trimmed_fields=TrimmedFields(("name", "typeId", "value", "isSystem"), ("isSystem", "name", "typeId", "value")),
    ),
    Overlay(
        "PATCH /teams/{teamId}/variables/{variableName}",
        "team-variables_update",
        writes=SETS,
        field_descriptions={"typeId": VARIABLE_TYPES},
    ),
    Overlay(
        "POST /teams",
        "teams_create",
        sdk_fields={"transferLimit": "body"},
        official=True,
        description="Create a team in an organization.",
    ),
    Overlay(
        "DELETE /teams/{teamId}",
        "teams_delete",
        default_query=(("confirmed", "true"),),
        official=True,
        description="Delete a team.",
    ),
    Overlay("GET /teams/{teamId}", "teams_get", official=True, description="Get a team."),
    Overlay("GET /teams/{teamId}/feature-controls", "teams_get-feature-controls", title="Get team feature controls"),
    Overlay("GET /teams/{teamId}/llm-configuration", "teams_get-llm-configuration"),
    Overlay(
        "GET /teams/{teamId}/usage",
        "teams_get-usage",
        description="Daily operations, centicredits and data transfer of a team over the last 30 days.",
    ),
    Overlay("GET /teams/{teamId}/user-team-roles/{userId}", "teams_get-user-role", title="Get team role of a user"),
    Overlay(
        "GET /teams",
        "teams_list",
        sdk_fields={"includePrivateSpaces": "query"},
        default_query=(("cols[]", "*"),),
        official=True,
        description="List the teams of an organization.",
        core_rank=240,
        default_cols=("id", "name", "organizationId"),
    ),
    Overlay("GET /teams/{teamId}/user-team-roles", "teams_list-user-roles", title="List team roles of users"),
    Overlay("PATCH /teams/{teamId}", "teams_update", writes=SETS),
    Overlay("PATCH /teams/{teamId}/llm-configuration", "teams_update-llm-configuration", writes=SETS),
    Overlay(
        "GET /private-spaces/{privateSpaceId}",
        "private-spaces_get",
        default_query=(("cols[]", "*"),),
        official=True,
        title="Get private space",
    ),
    Overlay(
        "GET /private-spaces",
        "private-spaces_list",
        default_query=(("cols[]", "*"),),
        official=True,
        title="List private spaces",
        description="List an organization's private spaces (each user's own team), optionally by external ID.",
    ),
    Overlay(
        "PATCH /private-spaces/{privateSpaceId}",
        "private-spaces_update",
        official=True,
        title="Update private space",
        description="Set a private space's operations limit (null: none).",
        writes=SETS,
    ),
)
