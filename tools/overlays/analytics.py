"""The overlay records of the analytics toolset (what an overlay holds: tools/overlays/model.py)."""

from make_mcp.tools.overlays.model import Overlay

OVERLAYS: tuple[Overlay, ...] = (Overlay("GET /analytics/{organizationId}", "analytics_get"),)
