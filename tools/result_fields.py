"""Default result fields of the list tools: what an agent does with each list, asked of Make through `cols[]`.

A list tool named here returns only these fields unless the call gives `cols` (other fields) or
`cols: ["*"]` (every field the tool's `cols` accepts). Each field is both one of the tool's `cols` values and
a field the reference documents for the list's items (tests/tools/test_result_fields.py checks both).

List tools without Make's `cols[]` are not named: their items are returned whole (less the empty values the
shape stage drops), since a call could not ask for a field left out. So are lists whose documented `cols`
values do not match their items (teams_list-user-roles), and lists whose items are small or all payload
(data-structures_list: the spec is what one reads it for).
"""

from __future__ import annotations

# Asked as `cols: ["*"]`: every field the tool's `cols` accepts.
ALL_FIELDS = "*"

DEFAULT_FIELDS: dict[str, tuple[str, ...]] = {
    # Which to open, run, fix or switch off: on or off, trigger, folder, failures waiting, apps used.
    "scenarios_list": (
        "id",
        "name",
        "teamId",
        "folderId",
        "isActive",
        "hookId",
        "scheduling",
        "dlqCount",
        "usedPackages",
    ),
    # Which account an app uses and whether it still works (expire).
    "connections_list": ("id", "name", "accountName", "accountType", "expire", "metadata", "teamId"),
    "credential-requests_list": ("id", "name", "status", "teamId", "expiresAt", "createdAt"),
    "functions_list": ("id", "name", "description", "args"),
    "custom-property-structure-items_list": ("id", "name", "label", "type", "required", "options"),
    "data-stores_list": ("id", "name", "records", "size", "maxSize", "datastructureId"),
    "devices_list": ("id", "name", "scope", "queueCount", "scenarioId"),
    "keys_list": ("id", "name", "typeName"),
    "organizations_list": ("id", "name", "zone", "teams", "isPaused"),
    "organizations_list-user-roles": ("userId", "organizationId", "invitation"),
    "folders_list": ("id", "name", "parentId", "scenariosTotal", "hasChildren"),
    "sdk-apps_list": ("name", "label", "version", "public", "approved", "beta"),
    "teams_list": ("id", "name", "organizationId"),
    "public-templates_list": ("id", "name", "description", "usedApps", "url"),
    "templates_list": ("id", "name", "description", "usedApps", "public", "published", "approved"),
    "roles_list": ("id", "name", "category", "description"),
    "user-organization-roles_list": ("userId", "organizationId", "usersRoleId", "invitation"),
    "users_list": ("id", "name", "email", "lastLogin", "userTeamIds"),
    "users_list-by-permission": ("id", "name", "email", "invitationStatus"),
}
