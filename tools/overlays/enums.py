"""The overlay records of the enums toolset (what an overlay holds: tools/overlays/model.py)."""

from make_mcp.tools.overlays.model import Overlay

OVERLAYS: tuple[Overlay, ...] = (
    Overlay("GET /enums/user-api-token-scopes", "enums_api-token-scopes"),
    Overlay("GET /enums/apps-review-statuses", "enums_app-review-statuses"),
    Overlay("GET /enums/countries", "enums_countries", official=True),
    Overlay("GET /enums/user-email-notifications", "enums_email-notifications"),
    Overlay("GET /enums/languages", "enums_languages"),
    Overlay("GET /enums/llm-builtin-tiers", "enums_llm-builtin-tiers"),
    Overlay("GET /enums/llm-models", "enums_llm-models"),
    Overlay("GET /enums/locales", "enums_locales"),
    Overlay("GET /enums/module-types", "enums_module-types"),
    Overlay("GET /enums/organization-features", "enums_organization-features"),
    Overlay("GET /enums/imt-regions", "enums_regions", official=True),
    Overlay("GET /enums/timezones", "enums_timezones", official=True),
    Overlay("GET /enums/us-states", "enums_us-states"),
    Overlay("GET /enums/user-features", "enums_user-features"),
    Overlay("GET /enums/variable-types", "enums_variable-types"),
    Overlay("GET /enums/imt-zones", "enums_zones"),
)
