"""The overlay records of the remote-procedures toolset (what an overlay holds: tools/overlays/model.py)."""

from make_mcp.tools.overlays.model import MAY_CALL_ANYTHING, Overlay

OVERLAYS: tuple[Overlay, ...] = (
    Overlay(
        "POST /rpcs/{appName}/{appVersion}/{rpcName}",
        "rpcs_call",
        title="Call an app remote procedure",
        writes=MAY_CALL_ANYTHING,
    ),
    Overlay(
        "OPTIONS /rpcs/{appName}/{appVersion}/{rpcName}",
        "rpcs_process-action",
        title="Process an app remote procedure action",
        writes=MAY_CALL_ANYTHING,
    ),
)
