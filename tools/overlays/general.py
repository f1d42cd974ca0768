"""The overlay records of the general toolset (what an overlay holds: tools/overlays/model.py)."""

from make_mcp.tools.overlays.model import Overlay

OVERLAYS: tuple[Overlay, ...] = (Overlay("GET /ping", "general_ping"),)
