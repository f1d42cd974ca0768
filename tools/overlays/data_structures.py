"""The overlay records of the data-structures toolset (what an overlay holds: tools/overlays/model.py)."""

from make_mcp.tools.overlays.model import CREATES_EACH_TIME, OVERWRITES, Overlay

OVERLAYS: tuple[Overlay, ...] = (
    Overlay("POST /data-structures/{dataStructureId}/clone", "data-structures_clone", writes=CREATES_EACH_TIME),
    Overlay(
        "POST /data-structures",
        "data-structures_create",
        official=True,
        description="Create a data structure in a team from a field specification (spec).",
        array_item_types={"spec": "object"},
    ),
    Overlay(
        "DELETE /data-structures/{dataStructureId}",
        "data-structures_delete",
        default_query=(("confirmed", "true"),),
        official=True,
        description="Delete a data structure.",
    ),
    Overlay(
        "GET /data-structures/{dataStructureId}",
        "data-structures_get",
        official=True,
        description="Get a data structure and its field specification.",
    ),
    Overlay(
        "GET /data-structures",
        "data-structures_list",
        default_query=(("cols[]", "*"),),
        official=True,
        description="List the data structures (record and payload shapes) of a team.",
    ),
    Overlay(
        "PATCH /data-structures/{dataStructureId}",
        "data-structures_update",
        official=True,
        description="Rename a data structure or replace its field specification (give every field).",
        writes=OVERWRITES,
        array_item_types={"spec": "object"},
    ),
)
