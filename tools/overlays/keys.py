"""The overlay records of the keys toolset (what an overlay holds: tools/overlays/model.py)."""

from make_mcp.tools.catalogue import TrimmedFields
from make_mcp.tools.overlays.model import OVERWRITES, Overlay

OVERLAYS: tuple[Overlay, ...] = (
    Overlay(
        "POST /keys",
        "keys_create",
        official=True,
        description="Create a key in a team; typeName is one of keys_list-types, parameters its values.",
    ),
    Overlay("DELETE /keys/{keyId}", "keys_delete", default_query=(("confirmed", "true"),), official=True),
    Overlay("GET /keys/{keyId}", "keys_get", default_query=(("cols[]", "*"),), official=True),
    Overlay(
        "GET /keys",
        "keys_list",
        default_query=(("cols[]", "*"),),
        official=True,
        description="List the keys (API keys, certificates and other secrets) of a team.",
        # Make's items carry no typeName, although the reference lists it
        default_cols=("id", "name"),
    ),
    Overlay(
        "GET /keys/types",
        "keys_list-types",
        # A key type's name and the parameters a key of it needs (not its icon).
        trimmed_fields=TrimmedFields(
            ("name", "label", "parameters"),
            ("author", "componentType", "icon", "label", "name", "parameters", "theme", "version"),
        ),
    ),
    Overlay(
        "PATCH /keys/{keyId}",
        "keys_update",
        sdk_fields={"name": "body", "parameters": "body"},
        official=True,
        writes=OVERWRITES,
    ),
)
