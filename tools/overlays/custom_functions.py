"""The overlay records of the custom-functions toolset (what an overlay holds: tools/overlays/model.py)."""

from make_mcp.tools.overlays.model import CHECK, OVERWRITES, Overlay

OVERLAYS: tuple[Overlay, ...] = (
    Overlay("POST /functions/eval", "functions_check", official=True, writes=CHECK),
    Overlay("POST /functions", "functions_create", official=True),
    Overlay("DELETE /functions/{functionId}", "functions_delete", official=True),
    Overlay("GET /functions/{functionId}", "functions_get", official=True),
    Overlay("GET /functions/{functionId}/history", "functions_history"),
    Overlay(
        "GET /functions",
        "functions_list",
        default_query=(("cols[]", "*"),),
        official=True,
        default_cols=("id", "name", "description", "args"),
    ),
    Overlay(
        "PATCH /functions/{functionId}",
        "functions_update",
        sdk_fields={"name": "body"},
        official=True,
        writes=OVERWRITES,
    ),
)
