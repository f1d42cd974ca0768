"""The overlay records of the sso-certificates toolset (what an overlay holds: tools/overlays/model.py)."""

from make_mcp.tools.overlays.model import Overlay

OVERLAYS: tuple[Overlay, ...] = (
    Overlay(
        "GET /organizations/{organizationId}/sso-certificates",
        "sso-certificates_list",
        not_trimmed="the reference does not document its items",
    ),
)
