"""The overlay records of the notifications toolset (what an overlay holds: tools/overlays/model.py)."""

from make_mcp.tools.overlays.model import SWITCH, Overlay

OVERLAYS: tuple[Overlay, ...] = (
    Overlay("DELETE /notifications", "notifications_delete"),
    Overlay("GET /notifications/{notificationId}", "notifications_get"),
    Overlay(
        "GET /notifications",
        "notifications_list",
        not_trimmed="each of the five fields of its items is what one reads it for",
    ),
    Overlay("POST /notifications/mark-as-read", "notifications_mark-as-read", writes=SWITCH),
)
