"""The overlay records of the devices toolset (what an overlay holds: tools/overlays/model.py)."""

from make_mcp.tools.catalogue import TrimmedFields
from make_mcp.tools.overlays.model import SETS, Overlay

OVERLAYS: tuple[Overlay, ...] = (
    Overlay("DELETE /devices/{deviceId}/incomings", "device-incomings_delete", title="Delete device incoming messages"),
    Overlay(
        "GET /devices/{deviceId}/incomings/{incomingId}", "device-incomings_get", title="Get device incoming message"
    ),
    Overlay(
        "GET /devices/{deviceId}/incomings",
        "device-incomings_list",
        title="List device incoming messages",
        trimmed_fields=TrimmedFields(("id", "created", "size"), ("created", "id", "scope", "size")),
    ),
    Overlay(
        "GET /devices/{deviceId}/incomings/stats", "device-incomings_stats", title="Get device incoming message stats"
    ),
    Overlay("DELETE /devices/{deviceId}/outgoings", "device-outgoings_delete", title="Delete device outgoing messages"),
    Overlay(
        "GET /devices/{deviceId}/outgoings/{outgoingId}", "device-outgoings_get", title="Get device outgoing message"
    ),
    Overlay(
        "GET /devices/{deviceId}/outgoings",
        "device-outgoings_list",
        title="List device outgoing messages",
        trimmed_fields=TrimmedFields(("id", "created", "size"), ("created", "id", "scope", "size")),
    ),
    Overlay("POST /devices/request", "devices_create-request", title="Request a device"),
    Overlay("DELETE /devices/{deviceId}", "devices_delete", title="Delete device"),
    Overlay("GET /devices/{deviceId}", "devices_get", title="Get device"),
    Overlay(
        "GET /devices",
        "devices_list",
        official=True,
        title="List devices",
        default_cols=("id", "name", "scope", "queueCount", "scenarioId"),
    ),
    Overlay("PATCH /devices/{deviceId}", "devices_update", title="Update device", writes=SETS),
)
