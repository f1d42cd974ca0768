"""The overlay records of the affiliate toolset (what an overlay holds: tools/overlays/model.py)."""

from make_mcp.tools.catalogue import TrimmedFields
from make_mcp.tools.overlays.model import A_DATE, Overlay

OVERLAYS: tuple[Overlay, ...] = (
    Overlay(
        "GET /affiliate/commission-info",
        "affiliate_get-commission-info",
        field_descriptions={"dateFrom": A_DATE, "dateTo": A_DATE},
    ),
    Overlay("GET /affiliate/stats", "affiliate_get-stats", field_descriptions={"dateFrom": A_DATE, "dateTo": A_DATE}),
    Overlay(
        "GET /affiliate/commissions",
        "affiliate_list-commissions",
        field_descriptions={"dateFrom": A_DATE, "dateTo": A_DATE},
        trimmed_fields=TrimmedFields(
            ("id", "commission", "status", "type", "created", "organization_id"),
            (
                "commission",
                "created",
                "id",
                "organization_id",
                "payout_approved",
                "payout_realized",
                "payout_requested",
                "source",
                "status",
                "type",
            ),
        ),
    ),
    Overlay("POST /affiliate/partner-register", "affiliate_register-partner"),
    Overlay("POST /affiliate/payout-request", "affiliate_request-payout"),
)
