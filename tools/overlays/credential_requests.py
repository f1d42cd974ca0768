"""The overlay records of the credential-requests toolset (what an overlay holds: tools/overlays/model.py)."""

from make_mcp.tools.catalogue import TrimmedFields
from make_mcp.tools.overlays.model import CREATES_EACH_TIME, OVERWRITES, Overlay

OVERLAYS: tuple[Overlay, ...] = (
    Overlay(
        "POST /credential-requests/actions/create",
        "credential-requests_create",
        sdk_fields={"teamId": "body", "credentials": "body"},
        official=True,
        title="Create credential request from app modules",
    ),
    Overlay(
        "POST /credential-requests/requests",
        "credential-requests_create-request",
        title="Create credential request (deprecated)",
    ),
    Overlay(
        "POST /credential-requests/requests/v2",
        "credential-requests_create-request-v2",
        title="Create credential request (v2)",
    ),
    Overlay(
        "POST /credential-requests/credentials/{credentialId}/decline",
        "credential-requests_credential-decline",
        official=True,
        writes=OVERWRITES,
    ),
    Overlay(
        "POST /credential-requests/credentials/{credentialId}/delete-remote",
        "credential-requests_credential-delete",
        official=True,
        writes=OVERWRITES,
    ),
    Overlay(
        "POST /credential-requests/credentials/{credentialId}/request-reauthorize",
        "credential-requests_credential-reauthorize",
        writes=CREATES_EACH_TIME,
    ),
    Overlay(
        "DELETE /credential-requests/requests/{requestId}",
        "credential-requests_delete",
        default_query=(("confirmed", "true"),),
        official=True,
    ),
    Overlay(
        "GET /credential-requests/requests/{requestId}/detail",
        "credential-requests_get",
        official=True,
        title="Get credential request with credentials",
    ),
    Overlay(
        "GET /credential-requests/requests/{requestId}",
        "credential-requests_get-request",
        title="Get credential request",
    ),
    Overlay(
        "GET /credential-requests/requests",
        "credential-requests_list",
        default_query=(("cols[]", "*"),),
        official=True,
        default_cols=("id", "name", "status", "teamId", "expiresAt", "createdAt"),
    ),
    Overlay(
        "GET /credential-requests/apps/{name}/{version}/modules-with-credentials",
        "credential-requests_list-app-modules-with-creds",
        official=True,
        argument_names={"name": "appName", "version": "appVersion"},
        trimmed_fields=TrimmedFields(("id", "name", "label", "type"), ("hook", "id", "label", "name", "scope", "type")),
    ),
    Overlay(
        "POST /credential-requests/actions/create-by-credentials",
        "credential-requests_create-by-credentials",
        official=True,
        title="Create credential request by credentials",
        description="Ask someone for the credentials of the listed app connections and keys, in one request.",
    ),
    Overlay(
        "POST /credential-requests/actions/extend",
        "credential-requests_extend-connection",
        official=True,
        title="Extend connection by credential request",
        description="Ask a connection's owner to grant it more scopes.",
    ),
)
