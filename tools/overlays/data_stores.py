"""The overlay records of the data-stores toolset (what an overlay holds: tools/overlays/model.py)."""

from make_mcp.tools.overlays.model import OVERWRITES, SETS, Overlay

OVERLAYS: tuple[Overlay, ...] = (
    Overlay(
        "POST /data-stores/{dataStoreId}/data",
        "data-store-records_create",
        official=True,
        description="Add a record: `data` holds its fields; a key is generated when none is given.",
        core_rank=190,
    ),
    Overlay(
        "DELETE /data-stores/{dataStoreId}/data",
        "data-store-records_delete",
        default_query=(("confirmed", "true"),),
        official=True,
        description="Delete records by keys, or all records with all=true and confirmed=true (exceptKeys keeps some).",
        array_item_types={"keys": "string", "exceptKeys": "string"},
    ),
    Overlay(
        "GET /data-stores/{dataStoreId}/data",
        "data-store-records_list",
        sdk_fields={"limit": "query:pg[limit]"},
        official=True,
        description="List the records of a data store. Page with pg.",
        core_rank=180,
        not_trimmed="its items are the user's records (a key and the data)",
    ),
    Overlay(
        "PUT /data-stores/{dataStoreId}/data/{dataStoreKeyRecord}",
        "data-store-records_replace",
        argument_names={"dataStoreKeyRecord": "key", "body": "data"},
        official=True,
        description=(
            "Replace the whole record with key dataStoreKeyRecord, creating it when missing; `body` holds all"
            " its fields."
        ),
        writes=OVERWRITES,
        required_whole_body=True,
    ),
    Overlay(
        "PATCH /data-stores/{dataStoreId}/data/{dataStoreKeyRecord}",
        "data-store-records_update",
        argument_names={"dataStoreKeyRecord": "key", "body": "data"},
        official=True,
        description="Change some fields of the record with key dataStoreKeyRecord; `body` holds the fields to set.",
        writes=SETS,
        required_whole_body=True,
        core_rank=200,
    ),
    Overlay(
        "POST /data-stores",
        "data-stores_create",
        official=True,
        description="Create a data store in a team; datastructureId fixes the record shape, maxSizeMB its size.",
    ),
    # the SDK calls the undocumented DELETE /data-stores/{id}; this is the documented bulk delete
    Overlay(
        "DELETE /data-stores",
        # The official data-stores_delete is the one-store DELETE /data-stores/{dataStoreId} (undocumented).
        "data-stores_delete-many",
        description=(
            "Delete data stores of a team by ids, or all=true with optional exceptIds. Needs confirmed=true "
            "when a scenario uses them."
        ),
        array_item_types={"ids": "integer", "exceptIds": "integer"},
    ),
    Overlay(
        "GET /data-stores/{dataStoreId}",
        "data-stores_get",
        default_query=(("cols[]", "*"),),
        official=True,
        description="Get a data store: its data structure, size and limit, and how many records it holds.",
        core_rank=170,
    ),
    Overlay(
        "GET /data-stores",
        "data-stores_list",
        default_query=(("cols[]", "*"),),
        official=True,
        description="List the data stores of a team.",
        core_rank=160,
        default_cols=("id", "name", "records", "size", "maxSize", "datastructureId"),
    ),
    Overlay(
        "PATCH /data-stores/{dataStoreId}",
        "data-stores_update",
        official=True,
        description="Rename or resize a data store, or change its data structure.",
        writes=SETS,
    ),
    Overlay(
        "DELETE /data-stores/{dataStoreId}",
        "data-stores_delete",
        default_query=(("confirmed", "true"),),
        official=True,
        title="Delete data store",
        description="Delete one data store and its records. Needs confirmed=true when a scenario uses it.",
    ),
)
