"""The overlay records of the subscriptions toolset (what an overlay holds: tools/overlays/model.py)."""

from make_mcp.tools.catalogue import TrimmedFields
from make_mcp.tools.overlays.model import CREATES_EACH_TIME, OVERWRITES, SETS, SWITCH, Overlay

OVERLAYS: tuple[Overlay, ...] = (
    # Documented on the organizations page; a toolset of its own (see TOOLSETS).
    Overlay("DELETE /organizations/{organizationId}/subscription", "subscriptions_cancel"),
    Overlay("PATCH /organizations/{organizationId}/subscription", "subscriptions_change", writes=OVERWRITES),
    Overlay(
        "POST /organizations/{organizationId}/universal-discount/claim-cancellation-offer",
        "subscriptions_claim-cancellation-offer",
        writes=CREATES_EACH_TIME,
    ),
    Overlay("POST /organizations/{organizationId}/subscription", "subscriptions_create"),
    Overlay(
        "DELETE /organizations/{organizationId}/subscription/payment-methods/{paymentMethodId}",
        "subscriptions_delete-payment-method",
    ),
    Overlay("GET /organizations/{organizationId}/subscription", "subscriptions_get"),
    Overlay("GET /organizations/{organizationId}/universal-discount", "subscriptions_get-discount"),
    Overlay(
        "GET /organizations/{organizationId}/subscription/payment-method-types",
        "subscriptions_list-payment-method-types",
        trimmed_fields=TrimmedFields(
            ("value", "label"), ("canBeDefaultForExtras", "canBeDefaultForSubscription", "label", "value")
        ),
    ),
    Overlay(
        "GET /organizations/{organizationId}/subscription/payment-methods",
        "subscriptions_list-payment-methods",
        trimmed_fields=TrimmedFields(
            ("id", "type", "methodDetails", "valid", "customerDefaultMethod"),
            (
                "created",
                "customerDefaultExtrasMethod",
                "customerDefaultMethod",
                "id",
                "isImmediate",
                "methodDetails",
                "type",
                "valid",
            ),
        ),
    ),
    Overlay(
        "GET /organizations/{organizationId}/payments",
        "subscriptions_list-payments",
        trimmed_fields=TrimmedFields(
            ("id", "created", "product_name", "amount_total", "currency_code", "status_name", "invoice_number"),
            (
                "amount_total",
                "created",
                "currency_code",
                "hosted_invoice_url",
                "id",
                "invoice_number",
                "invoice_url",
                "payment_method",
                "period_from",
                "period_to",
                "product_name",
                "status_name",
                "type_name",
            ),
        ),
    ),
    Overlay("POST /organizations/{organizationId}/subscription/pause", "subscriptions_pause", writes=OVERWRITES),
    Overlay(
        "POST /organizations/{organizationId}/universal-discount/redeem",
        "subscriptions_redeem-discount",
        writes=CREATES_EACH_TIME,
    ),
    Overlay(
        "PATCH /organizations/{organizationId}/subscription/payment-methods/{paymentMethodId}/default",
        "subscriptions_set-default-payment-method",
        writes=SETS,
    ),
    Overlay(
        "POST /organizations/{organizationId}/subscription-free",
        "subscriptions_set-free-plan",
        title="Switch to the free plan",
        writes=OVERWRITES,
    ),
    Overlay(
        "POST /organizations/{organizationId}/subscription/unpause",
        "subscriptions_unpause",
        title="Resume the subscription",
        writes=SWITCH,
    ),
)
