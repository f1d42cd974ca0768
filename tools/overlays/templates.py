"""The overlay records of the templates toolset (what an overlay holds: tools/overlays/model.py)."""

from make_mcp.tools.overlays.model import CREATES_EACH_TIME, OVERWRITES, Overlay

OVERLAYS: tuple[Overlay, ...] = (
    Overlay(
        "GET /templates/public/{templateUrl}", "public-templates_get", default_query=(("cols[]", "*"),), official=True
    ),
    Overlay("GET /templates/public/{templateUrl}/blueprint", "public-templates_get-blueprint", official=True),
    Overlay(
        "GET /templates/public",
        "public-templates_list",
        default_query=(("cols[]", "*"),),
        official=True,
        description="Search the public template gallery by name or apps used.",
        default_cols=("id", "name", "description", "usedApps", "url"),
    ),
    Overlay("POST /templates", "templates_create", official=True, required_body_fields=("teamId",)),
    Overlay("DELETE /templates/{templateId}", "templates_delete", official=True),
    Overlay("GET /templates/{templateId}", "templates_get", official=True),
    Overlay("GET /templates/{templateId}/blueprint", "templates_get-blueprint", official=True),
    Overlay(
        "GET /templates",
        "templates_list",
        official=True,
        description="List a team's private templates.",
        default_cols=("id", "name", "description", "usedApps", "public", "published", "approved"),
    ),
    Overlay("POST /templates/{templateId}/publish", "templates_publish", writes=CREATES_EACH_TIME),
    Overlay("POST /templates/{templateId}/request-approval", "templates_request-approval", writes=CREATES_EACH_TIME),
    Overlay("PATCH /templates/{templateId}", "templates_update", official=True, writes=OVERWRITES),
)
