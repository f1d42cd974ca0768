"""The overlay records of the audit-logs toolset (what an overlay holds: tools/overlays/model.py)."""

from make_mcp.tools.catalogue import TrimmedFields
from make_mcp.tools.overlays.model import A_DATE, Overlay

OVERLAYS: tuple[Overlay, ...] = (
    Overlay("GET /audit-logs/{organizationId}/{uuid}", "audit-logs_get", official=True),
    Overlay("GET /audit-logs/organization/{organizationId}/filters", "audit-logs_get-filters", official=True),
    Overlay(
        "GET /audit-logs/team/{teamId}/filters",
        "audit-logs_get-filters-for-team",
        official=True,
        title="Get team audit log filters",
    ),
    Overlay(
        "GET /audit-logs/organization/{organizationId}",
        "audit-logs_list",
        official=True,
        field_descriptions={"dateFrom": A_DATE, "dateTo": A_DATE},
        # Who did what to which, when.
        trimmed_fields=TrimmedFields(
            ("uuid", "eventName", "triggeredAt", "actor", "targetId", "team"),
            (
                "actor",
                "createdAt",
                "eventName",
                "organization",
                "organizationId",
                "targetId",
                "team",
                "triggeredAt",
                "uuid",
                "version",
            ),
        ),
    ),
    Overlay(
        "GET /audit-logs/team/{teamId}",
        "audit-logs_list-for-team",
        official=True,
        field_descriptions={"dateFrom": A_DATE, "dateTo": A_DATE},
        trimmed_fields=TrimmedFields(
            ("uuid", "eventName", "triggeredAt", "actor", "targetId"),
            (
                "actor",
                "createdAt",
                "eventName",
                "organization",
                "organizationId",
                "targetId",
                "team",
                "triggeredAt",
                "uuid",
                "version",
            ),
        ),
    ),
)
