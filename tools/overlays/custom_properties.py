"""The overlay records of the custom-properties toolset (what an overlay holds: tools/overlays/model.py)."""

from make_mcp.tools.catalogue import TrimmedFields
from make_mcp.tools.overlays.model import SETS, Overlay

OVERLAYS: tuple[Overlay, ...] = (
    Overlay(
        "POST /custom-property-structures/{customPropertyStructureId}/custom-property-structure-items",
        "custom-property-structure-items_create",
        official=True,
    ),
    Overlay(
        "DELETE /custom-property-structures/custom-property-structure-items/{customPropertyStructureItemId}",
        "custom-property-structure-items_delete",
        official=True,
    ),
    Overlay(
        "GET /custom-property-structures/{customPropertyStructureId}/custom-property-structure-items",
        "custom-property-structure-items_list",
        sdk_fields={
            "id": "query",
            "name": "query",
            "label": "query",
            "description": "query",
            "type": "query",
            "required": "query",
        },
        default_query=(("cols[]", "*"),),
        official=True,
        default_cols=("id", "name", "label", "type", "required", "options"),
    ),
    Overlay(
        "PATCH /custom-property-structures/custom-property-structure-items/{customPropertyStructureItemId}",
        "custom-property-structure-items_update",
        official=True,
        writes=SETS,
    ),
    Overlay(
        "POST /custom-property-structures",
        "custom-property-structures_create",
        official=True,
        response_key=("customPropertyStructure", "object"),
    ),
    Overlay(
        "GET /custom-property-structures",
        "custom-property-structures_list",
        official=True,
        trimmed_fields=TrimmedFields(("id", "belongers"), ("belongers", "created", "id")),
    ),
)
