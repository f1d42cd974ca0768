"""The overlay records of the cashier toolset (what an overlay holds: tools/overlays/model.py)."""

from make_mcp.tools.overlays.model import Overlay

OVERLAYS: tuple[Overlay, ...] = (
    Overlay("GET /cashier/prices/{priceId}", "cashier_get-price"),
    Overlay("GET /cashier/vat-validation/patterns", "cashier_get-vat-patterns"),
    Overlay("GET /cashier/products", "cashier_list-products", not_trimmed="the reference does not document its items"),
)
