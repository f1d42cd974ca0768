"""The overlay records of the mms toolset (what an overlay holds: tools/overlays/model.py)."""

from make_mcp.tools.catalogue import TrimmedFields
from make_mcp.tools.overlays.model import SETS, Overlay

OVERLAYS: tuple[Overlay, ...] = (
    # the reference's description says Make requires regionId and countryId
    Overlay(
        "POST /organizations/{organizationId}/managed-organizations",
        "managed-organizations_create",
        required_body_fields=("regionId", "countryId"),
    ),
    Overlay(
        "GET /organizations/{organizationId}/managed-organizations",
        "managed-organizations_list",
        title="List child organizations",
        trimmed_fields=TrimmedFields(
            ("organizationId", "organizationName", "zoneName", "operationsAllocated"),
            (
                "countryId",
                "operationsAllocated",
                "organizationId",
                "organizationName",
                "timezoneId",
                "zoneDomain",
                "zoneId",
                "zoneName",
            ),
        ),
    ),
    Overlay(
        "GET /organizations/{organizationId}/managed-organizations-consumption",
        "managed-organizations_list-consumption",
        title="List child organization consumption",
        trimmed_fields=TrimmedFields(
            ("organizationId", "operationsConsumed", "centicreditsConsumed", "transferConsumed", "lastReset"),
            (
                "centicreditsConsumed",
                "centicreditsExtra",
                "lastReset",
                "operationsConsumed",
                "operationsExtra",
                "organizationId",
                "transferConsumed",
                "transferExtra",
            ),
        ),
    ),
    Overlay(
        "PATCH /organizations/{organizationId}/managed-organizations/{childOrganizationId}",
        "managed-organizations_update",
        title="Update child organization allocation",
        writes=SETS,
        required_body_fields=("operations",),
    ),
)
