"""The overlay records of the connections toolset (what an overlay holds: tools/overlays/model.py)."""

from make_mcp.tools.overlays.model import CHECK, OVERWRITES, Overlay

OVERLAYS: tuple[Overlay, ...] = (
    Overlay(
        "POST /connections/{connectionId}/scoped",
        "connections_check-scopes",
        writes=CHECK,
        required_body_fields=("scope",),
        array_item_types={"scope": "string"},
    ),
    # a connection is an account of an app: both its display name and its type are needed
    Overlay(
        "POST /connections",
        "connections_create",
        argument_names={"accountName": "name", "accountType": "accountName", "scopes": "scope"},
        sdk_fields={"data": "spread"},
        official=True,
        description="Create a connection in a team: its label (name) and the app's connection type (accountName).",
        required_body_fields=("accountName", "accountType"),
        array_item_types={"scopes": "string"},
        field_descriptions={
            "accountName": "Display name of the new connection.",
            "accountType": "The app's connection type, e.g. slack2; oauth2 is the HTTP app's OAuth 2.0 connection.",
        },
    ),
    Overlay(
        "DELETE /connections/{connectionId}",
        "connections_delete",
        default_query=(("confirmed", "true"),),
        official=True,
        description="Delete a connection.",
    ),
    Overlay(
        "GET /connections/{connectionId}",
        "connections_get",
        default_query=(("cols[]", "*"),),
        official=True,
        description="Get a connection: its app, account type, scopes and expiry.",
    ),
    Overlay("GET /connections/{connectionId}/editable-data-schema", "connections_get-editable-schema"),
    Overlay(
        "GET /connections",
        "connections_list",
        default_query=(("cols[]", "*"),),
        official=True,
        description="List the connections (authorized app accounts) of a team; filter by app type.",
        core_rank=230,
        # Which account an app uses and whether it still works (expire).
        default_cols=("id", "name", "accountName", "accountType", "expire", "metadata", "teamId"),
    ),
    Overlay(
        "POST /connections/{connectionId}/set-data",
        "connections_set-data",
        description="Update a connection's stored settings (see connections_get-editable-schema); `body` holds them.",
        writes=OVERWRITES,
        required_whole_body=True,
    ),
    Overlay(
        "PATCH /connections/{connectionId}",
        "connections_update",
        official=True,
        title="Rename a connection or set its data",
        description="Rename a connection, replace its stored data (see connections_get-editable-schema), or both. "
        "New data replaces all of the old: give every field.",
        writes=OVERWRITES,
        sdk_fields={"data": "body"},
        field_descriptions={"data": "The connection's new settings, sent to set-data; fields left out are emptied."},
        at_least_one_of=("name", "data"),
        run="CONNECTION_UPDATE",
    ),
    Overlay(
        "POST /connections/{connectionId}/test",
        "connections_verify",
        official=True,
        description="Check that a connection still authenticates with its app.",
        writes=CHECK,
    ),
)
