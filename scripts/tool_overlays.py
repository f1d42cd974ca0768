"""Hand-written facts that the vendored spec does not carry, read by scripts/generate_tools.py.

Everything here is a decision a person made and can defend: tool names, short titles, our own
descriptions, annotations of the writes that change state, and the few places where the reference
disagrees with what Make answers. The generator fails loudly when an entry here no longer matches an
operation of the spec, so stale overlays cannot linger.
"""

from __future__ import annotations

# --- Tool names --------------------------------------------------------------------------------------
#
# Names of the official Make tool set, so prompts and skills written for the official MCP server keep
# working. Source: the public Make TypeScript SDK (npm @makehq/sdk, GitHub integromat/make-typescript-sdk),
# whose src/endpoints/*.tools.ts files declare each tool's `name` (blueprints_* come from the older
# src/endpoints/blueprints.mcp.ts). Only names and the operation each tool calls were taken from it.
# Where the SDK calls an undocumented path for the same operation, the documented one is mapped:
# data-stores_delete (SDK: DELETE /data-stores/{id}; docs: bulk DELETE /data-stores) and
# on-prem-agent_create (SDK: POST /agent/register; docs: POST /agents/{agentId}).
OFFICIAL_TOOL_NAMES: dict[tuple[str, str], str] = {
    # audit logs
    ("GET", "/audit-logs/organization/{organizationId}"): "audit-logs_list",
    ("GET", "/audit-logs/team/{teamId}"): "audit-logs_list-for-team",
    ("GET", "/audit-logs/{organizationId}/{uuid}"): "audit-logs_get",
    ("GET", "/audit-logs/organization/{organizationId}/filters"): "audit-logs_get-filters",
    ("GET", "/audit-logs/team/{teamId}/filters"): "audit-logs_get-filters-for-team",
    # connections
    ("GET", "/connections"): "connections_list",
    ("GET", "/connections/{connectionId}"): "connections_get",
    ("POST", "/connections"): "connections_create",
    ("PATCH", "/connections/{connectionId}"): "connections_update",
    ("POST", "/connections/{connectionId}/test"): "connections_verify",
    ("DELETE", "/connections/{connectionId}"): "connections_delete",
    # credential requests
    ("GET", "/credential-requests/requests"): "credential-requests_list",
    ("GET", "/credential-requests/requests/{requestId}/detail"): "credential-requests_get",
    ("DELETE", "/credential-requests/requests/{requestId}"): "credential-requests_delete",
    ("POST", "/credential-requests/credentials/{credentialId}/decline"): "credential-requests_credential-decline",
    ("POST", "/credential-requests/credentials/{credentialId}/delete-remote"): "credential-requests_credential-delete",
    ("POST", "/credential-requests/actions/create"): "credential-requests_create",
    # custom functions
    ("GET", "/functions"): "functions_list",
    ("GET", "/functions/{functionId}"): "functions_get",
    ("POST", "/functions"): "functions_create",
    ("PATCH", "/functions/{functionId}"): "functions_update",
    ("DELETE", "/functions/{functionId}"): "functions_delete",
    ("POST", "/functions/eval"): "functions_check",
    # custom properties
    ("GET", "/custom-property-structures"): "custom-property-structures_list",
    ("POST", "/custom-property-structures"): "custom-property-structures_create",
    (
        "GET",
        "/custom-property-structures/{customPropertyStructureId}/custom-property-structure-items",
    ): "custom-property-structure-items_list",
    (
        "POST",
        "/custom-property-structures/{customPropertyStructureId}/custom-property-structure-items",
    ): "custom-property-structure-items_create",
    (
        "PATCH",
        "/custom-property-structures/custom-property-structure-items/{customPropertyStructureItemId}",
    ): "custom-property-structure-items_update",
    (
        "DELETE",
        "/custom-property-structures/custom-property-structure-items/{customPropertyStructureItemId}",
    ): "custom-property-structure-items_delete",
    # data stores
    ("GET", "/data-stores"): "data-stores_list",
    ("GET", "/data-stores/{dataStoreId}"): "data-stores_get",
    ("POST", "/data-stores"): "data-stores_create",
    ("PATCH", "/data-stores/{dataStoreId}"): "data-stores_update",
    ("DELETE", "/data-stores"): "data-stores_delete",
    ("GET", "/data-stores/{dataStoreId}/data"): "data-store-records_list",
    ("POST", "/data-stores/{dataStoreId}/data"): "data-store-records_create",
    ("PATCH", "/data-stores/{dataStoreId}/data/{dataStoreKeyRecord}"): "data-store-records_update",
    ("PUT", "/data-stores/{dataStoreId}/data/{dataStoreKeyRecord}"): "data-store-records_replace",
    ("DELETE", "/data-stores/{dataStoreId}/data"): "data-store-records_delete",
    # data structures
    ("GET", "/data-structures"): "data-structures_list",
    ("GET", "/data-structures/{dataStructureId}"): "data-structures_get",
    ("POST", "/data-structures"): "data-structures_create",
    ("PATCH", "/data-structures/{dataStructureId}"): "data-structures_update",
    ("DELETE", "/data-structures/{dataStructureId}"): "data-structures_delete",
    # devices
    ("GET", "/devices"): "devices_list",
    # enums
    ("GET", "/enums/countries"): "enums_countries",
    ("GET", "/enums/imt-regions"): "enums_regions",
    ("GET", "/enums/timezones"): "enums_timezones",
    # hooks
    ("GET", "/hooks"): "hooks_list",
    ("GET", "/hooks/{hookId}"): "hooks_get",
    ("POST", "/hooks"): "hooks_create",
    ("PATCH", "/hooks/{hookId}"): "hooks_update",
    ("DELETE", "/hooks/{hookId}"): "hooks_delete",
    ("GET", "/hooks/{hookId}/incomings"): "hook-incomings_list",
    ("GET", "/hooks/{hookId}/incomings/stats"): "hook-incomings_stats",
    ("GET", "/hooks/{hookId}/incomings/{incomingId}"): "hook-incomings_get",
    ("DELETE", "/hooks/{hookId}/incomings"): "hook-incomings_delete",
    # incomplete executions and execution logs
    ("GET", "/dlqs"): "incomplete-executions_list",
    ("GET", "/dlqs/{dlqId}"): "incomplete-executions_get",
    ("GET", "/dlqs/{dlqId}/logs"): "executions_list-for-incomp-exec",
    ("GET", "/dlqs/{dlqId}/logs/{executionDlqId}"): "executions_get-for-incomp-exec",
    ("GET", "/scenarios/{scenarioId}/logs"): "executions_list",
    ("GET", "/scenarios/{scenarioId}/logs/{executionId}"): "executions_get",
    ("GET", "/scenarios/{scenarioId}/executions/{executionId}"): "executions_get-detail",
    # keys
    ("GET", "/keys"): "keys_list",
    ("GET", "/keys/{keyId}"): "keys_get",
    ("POST", "/keys"): "keys_create",
    ("PATCH", "/keys/{keyId}"): "keys_update",
    ("DELETE", "/keys/{keyId}"): "keys_delete",
    # on-prem agents
    ("GET", "/agents"): "on-prem-agent_list",
    ("GET", "/agents/{agentId}"): "on-prem-agent_get",
    ("POST", "/agents/{agentId}"): "on-prem-agent_create",
    ("PATCH", "/agents/{agentId}"): "on-prem-agent_update",
    ("DELETE", "/agents/{agentId}"): "on-prem-agent_delete",
    # organizations and teams
    ("GET", "/organizations"): "organizations_list",
    ("GET", "/organizations/{organizationId}"): "organizations_get",
    ("POST", "/organizations"): "organizations_create",
    ("PATCH", "/organizations/{organizationId}"): "organizations_update",
    ("DELETE", "/organizations/{organizationId}"): "organizations_delete",
    ("GET", "/teams"): "teams_list",
    ("GET", "/teams/{teamId}"): "teams_get",
    ("POST", "/teams"): "teams_create",
    ("DELETE", "/teams/{teamId}"): "teams_delete",
    # scenarios, their blueprints, folders and custom properties
    ("GET", "/scenarios"): "scenarios_list",
    ("GET", "/scenarios/{scenarioId}"): "scenarios_get",
    ("POST", "/scenarios"): "scenarios_create",
    ("PATCH", "/scenarios/{scenarioId}"): "scenarios_update",
    ("DELETE", "/scenarios/{scenarioId}"): "scenarios_delete",
    ("POST", "/scenarios/{scenarioId}/start"): "scenarios_activate",
    ("POST", "/scenarios/{scenarioId}/stop"): "scenarios_deactivate",
    ("POST", "/scenarios/{scenarioId}/run"): "scenarios_run",
    ("GET", "/scenarios/{scenarioId}/interface"): "scenarios_interface",
    ("PATCH", "/scenarios/{scenarioId}/interface"): "scenarios_set-interface",
    ("GET", "/scenarios/{scenarioId}/blueprint"): "blueprints_get",
    ("GET", "/scenarios/{scenarioId}/blueprints"): "blueprints_versions",
    ("GET", "/scenarios-folders"): "folders_list",
    ("POST", "/scenarios-folders"): "folders_create",
    ("PATCH", "/scenarios-folders/{folderId}"): "folders_update",
    ("DELETE", "/scenarios-folders/{folderId}"): "folders_delete",
    ("GET", "/scenarios/{scenarioId}/custom-properties"): "scenario-custom-properties_get",
    ("POST", "/scenarios/{scenarioId}/custom-properties"): "scenario-custom-properties_create",
    ("PUT", "/scenarios/{scenarioId}/custom-properties"): "scenario-custom-properties_replace",
    ("PATCH", "/scenarios/{scenarioId}/custom-properties"): "scenario-custom-properties_update",
    ("DELETE", "/scenarios/{scenarioId}/custom-properties"): "scenario-custom-properties_delete",
    # SDK apps
    ("GET", "/sdk/apps"): "sdk-apps_list",
    ("GET", "/sdk/apps/{SDK_appName}/{SDK_appVersion}"): "sdk-apps_get",
    ("POST", "/sdk/apps"): "sdk-apps_create",
    ("PATCH", "/sdk/apps/{SDK_appName}/{SDK_appVersion}"): "sdk-apps_update",
    ("DELETE", "/sdk/apps/{SDK_appName}/{SDK_appVersion}"): "sdk-apps_delete",
    ("GET", "/sdk/apps/{SDK_appName}/{SDK_appVersion}/readme"): "sdk-apps_get-docs",
    ("PUT", "/sdk/apps/{SDK_appName}/{SDK_appVersion}/readme"): "sdk-apps_set-docs",
    ("GET", "/sdk/apps/{SDK_appName}/{SDK_appVersion}/common"): "sdk-apps_get-common",
    ("PUT", "/sdk/apps/{SDK_appName}/{SDK_appVersion}/common"): "sdk-apps_set-common",
    ("GET", "/sdk/apps/{SDK_appName}/connections"): "sdk-connections_list",
    ("GET", "/sdk/apps/connections/{SDK_connectionName}"): "sdk-connections_get",
    ("POST", "/sdk/apps/{SDK_appName}/connections"): "sdk-connections_create",
    ("PATCH", "/sdk/apps/connections/{SDK_connectionName}"): "sdk-connections_update",
    ("DELETE", "/sdk/apps/connections/{SDK_connectionName}"): "sdk-connections_delete",
    ("GET", "/sdk/apps/connections/{SDK_connectionName}/{SDK_connectionSection}"): "sdk-connections_get-section",
    ("PUT", "/sdk/apps/connections/{SDK_connectionName}/{SDK_connectionSection}"): "sdk-connections_set-section",
    ("GET", "/sdk/apps/connections/{SDK_connectionName}/common"): "sdk-connections_get-common",
    ("PUT", "/sdk/apps/connections/{SDK_connectionName}/common"): "sdk-connections_set-common",
    ("GET", "/sdk/apps/{SDK_appName}/{SDK_appVersion}/functions"): "sdk-functions_list",
    ("GET", "/sdk/apps/{SDK_appName}/{SDK_appVersion}/functions/{SDK_functionName}"): "sdk-functions_get",
    ("POST", "/sdk/apps/{SDK_appName}/{SDK_appVersion}/functions"): "sdk-functions_create",
    ("DELETE", "/sdk/apps/{SDK_appName}/{SDK_appVersion}/functions/{SDK_functionName}"): "sdk-functions_delete",
    ("GET", "/sdk/apps/{SDK_appName}/{SDK_appVersion}/functions/{SDK_functionName}/code"): "sdk-functions_get-code",
    ("PUT", "/sdk/apps/{SDK_appName}/{SDK_appVersion}/functions/{SDK_functionName}/code"): "sdk-functions_set-code",
    ("GET", "/sdk/apps/{SDK_appName}/{SDK_appVersion}/functions/{SDK_functionName}/test"): "sdk-functions_get-test",
    ("PUT", "/sdk/apps/{SDK_appName}/{SDK_appVersion}/functions/{SDK_functionName}/test"): "sdk-functions_set-test",
    ("GET", "/sdk/apps/{SDK_appName}/{SDK_appVersion}/modules"): "sdk-modules_list",
    ("GET", "/sdk/apps/{SDK_appName}/{SDK_appVersion}/modules/{SDK_moduleName}"): "sdk-modules_get",
    ("POST", "/sdk/apps/{SDK_appName}/{SDK_appVersion}/modules"): "sdk-modules_create",
    ("PATCH", "/sdk/apps/{SDK_appName}/{SDK_appVersion}/modules/{SDK_moduleName}"): "sdk-modules_update",
    ("DELETE", "/sdk/apps/{SDK_appName}/{SDK_appVersion}/modules/{SDK_moduleName}"): "sdk-modules_delete",
    (
        "GET",
        "/sdk/apps/{SDK_appName}/{SDK_appVersion}/modules/{SDK_moduleName}/{SDK_moduleSection}",
    ): "sdk-modules_get-section",
    ("GET", "/sdk/apps/{SDK_appName}/{SDK_appVersion}/rpcs"): "sdk-rpcs_list",
    ("GET", "/sdk/apps/{SDK_appName}/{SDK_appVersion}/rpcs/{SDK_rpcName}"): "sdk-rpcs_get",
    ("POST", "/sdk/apps/{SDK_appName}/{SDK_appVersion}/rpcs"): "sdk-rpcs_create",
    ("PATCH", "/sdk/apps/{SDK_appName}/{SDK_appVersion}/rpcs/{SDK_rpcName}"): "sdk-rpcs_update",
    ("DELETE", "/sdk/apps/{SDK_appName}/{SDK_appVersion}/rpcs/{SDK_rpcName}"): "sdk-rpcs_delete",
    ("POST", "/sdk/apps/{SDK_appName}/{SDK_appVersion}/rpcs/{SDK_rpcName}"): "sdk-rpcs_test",
    ("GET", "/sdk/apps/{SDK_appName}/{SDK_appVersion}/rpcs/{SDK_rpcName}/{SDK_rpcSection}"): "sdk-rpcs_get-section",
    ("PUT", "/sdk/apps/{SDK_appName}/{SDK_appVersion}/rpcs/{SDK_rpcName}/{SDK_rpcSection}"): "sdk-rpcs_set-section",
    ("GET", "/sdk/apps/{SDK_appName}/webhooks"): "sdk-webhooks_list",
    ("GET", "/sdk/apps/webhooks/{SDK_webhookName}"): "sdk-webhooks_get",
    ("POST", "/sdk/apps/{SDK_appName}/webhooks"): "sdk-webhooks_create",
    ("PATCH", "/sdk/apps/webhooks/{SDK_webhookName}"): "sdk-webhooks_update",
    ("DELETE", "/sdk/apps/webhooks/{SDK_webhookName}"): "sdk-webhooks_delete",
    ("GET", "/sdk/apps/webhooks/{SDK_webhookName}/{SDK_webhookSection}"): "sdk-webhooks_get-section",
    ("PUT", "/sdk/apps/webhooks/{SDK_webhookName}/{SDK_webhookSection}"): "sdk-webhooks_set-section",
    # templates
    ("GET", "/templates"): "templates_list",
    ("GET", "/templates/{templateId}"): "templates_get",
    ("GET", "/templates/{templateId}/blueprint"): "templates_get-blueprint",
    ("POST", "/templates"): "templates_create",
    ("PATCH", "/templates/{templateId}"): "templates_update",
    ("DELETE", "/templates/{templateId}"): "templates_delete",
    ("GET", "/templates/public"): "public-templates_list",
    ("GET", "/templates/public/{templateUrl}"): "public-templates_get",
    ("GET", "/templates/public/{templateUrl}/blueprint"): "public-templates_get-blueprint",
    # users and roles
    ("GET", "/users/me"): "users_me",
    ("GET", "/users/roles"): "roles_list",
    ("GET", "/users/roles/{roleId}"): "roles_get",
    ("GET", "/users/roles/permissions"): "roles_permissions",
}

# Names for the operations the official tool set does not cover, in the same `<resource>_<action>`
# style. credential-requests_list-app-modules is the official credential-requests_list-app-modules-with-
# credentials shortened to fit the 48-character limit.
OWN_TOOL_NAMES: dict[tuple[str, str], str] = {
    # affiliate
    ("GET", "/affiliate/commission-info"): "affiliate_get-commission-info",
    ("GET", "/affiliate/stats"): "affiliate_get-stats",
    ("GET", "/affiliate/commissions"): "affiliate_list-commissions",
    ("POST", "/affiliate/partner-register"): "affiliate_register-partner",
    ("POST", "/affiliate/payout-request"): "affiliate_request-payout",
    # AI agents
    ("POST", "/ai-agents/v1/agents"): "ai-agents_create",
    ("GET", "/ai-agents/v1/agents"): "ai-agents_list",
    ("DELETE", "/ai-agents/v1/agents/{agentId}"): "ai-agents_delete",
    ("GET", "/ai-agents/v1/agents/{agentId}"): "ai-agents_get",
    ("PATCH", "/ai-agents/v1/agents/{agentId}"): "ai-agents_update",
    ("POST", "/ai-agents/v1/agents/{agentId}/run"): "ai-agents_run",
    ("POST", "/ai-agents/v1/agents/{agentId}/run/stream"): "ai-agents_run-stream",
    ("POST", "/ai-agents/v1/contexts"): "ai-agent-contexts_create",
    ("GET", "/ai-agents/v1/contexts"): "ai-agent-contexts_list",
    ("DELETE", "/ai-agents/v1/contexts/{contextId}"): "ai-agent-contexts_delete",
    ("GET", "/ai-agents/v1/llm-providers/{providerId}"): "llm-providers_get",
    ("GET", "/ai-agents/v1/llm-providers"): "llm-providers_list",
    ("GET", "/ai-agents/v1/llm-providers/{providerId}/models"): "llm-providers_list-models",
    # analytics
    ("GET", "/analytics/{organizationId}"): "analytics_get",
    # cashier
    ("GET", "/cashier/products"): "cashier_list-products",
    ("GET", "/cashier/prices/{priceId}"): "cashier_get-price",
    ("GET", "/cashier/vat-validation/patterns"): "cashier_get-vat-patterns",
    # connections
    ("GET", "/connections/{connectionId}/editable-data-schema"): "connections_get-editable-schema",
    ("POST", "/connections/{connectionId}/set-data"): "connections_set-data",
    ("POST", "/connections/{connectionId}/scoped"): "connections_check-scopes",
    # credential requests
    ("POST", "/credential-requests/requests"): "credential-requests_create-request",
    ("POST", "/credential-requests/requests/v2"): "credential-requests_create-request-v2",
    ("GET", "/credential-requests/requests/{requestId}"): "credential-requests_get-request",
    (
        "GET",
        "/credential-requests/apps/{name}/{version}/modules-with-credentials",
    ): "credential-requests_list-app-modules",
    (
        "POST",
        "/credential-requests/credentials/{credentialId}/request-reauthorize",
    ): "credential-requests_credential-reauthorize",
    # custom functions
    ("GET", "/functions/{functionId}/history"): "functions_history",
    # data structures
    ("POST", "/data-structures/{dataStructureId}/clone"): "data-structures_clone",
    # devices
    ("POST", "/devices/request"): "devices_create-request",
    ("DELETE", "/devices/{deviceId}"): "devices_delete",
    ("GET", "/devices/{deviceId}"): "devices_get",
    ("PATCH", "/devices/{deviceId}"): "devices_update",
    ("DELETE", "/devices/{deviceId}/incomings"): "device-incomings_delete",
    ("GET", "/devices/{deviceId}/incomings"): "device-incomings_list",
    ("GET", "/devices/{deviceId}/incomings/{incomingId}"): "device-incomings_get",
    ("GET", "/devices/{deviceId}/incomings/stats"): "device-incomings_stats",
    ("DELETE", "/devices/{deviceId}/outgoings"): "device-outgoings_delete",
    ("GET", "/devices/{deviceId}/outgoings"): "device-outgoings_list",
    ("GET", "/devices/{deviceId}/outgoings/{outgoingId}"): "device-outgoings_get",
    # enums
    ("GET", "/enums/user-api-token-scopes"): "enums_api-token-scopes",
    ("GET", "/enums/apps-review-statuses"): "enums_app-review-statuses",
    ("GET", "/enums/user-email-notifications"): "enums_email-notifications",
    ("GET", "/enums/languages"): "enums_languages",
    ("GET", "/enums/llm-builtin-tiers"): "enums_llm-builtin-tiers",
    ("GET", "/enums/llm-models"): "enums_llm-models",
    ("GET", "/enums/locales"): "enums_locales",
    ("GET", "/enums/imt-zones"): "enums_zones",
    ("GET", "/enums/module-types"): "enums_module-types",
    ("GET", "/enums/organization-features"): "enums_organization-features",
    ("GET", "/enums/us-states"): "enums_us-states",
    ("GET", "/enums/user-features"): "enums_user-features",
    ("GET", "/enums/variable-types"): "enums_variable-types",
    # general
    ("GET", "/ping"): "general_ping",
    # hooks
    ("POST", "/hooks/{hookId}/disable"): "hooks_disable",
    ("POST", "/hooks/{hookId}/enable"): "hooks_enable",
    ("POST", "/hooks/{hookId}/learn-start"): "hooks_learn-start",
    ("POST", "/hooks/{hookId}/learn-stop"): "hooks_learn-stop",
    ("GET", "/hooks/{hookId}/ping"): "hooks_ping",
    ("POST", "/hooks/{hookId}/set-data"): "hooks_set-data",
    ("GET", "/hooks/{hookId}/logs/{logId}"): "hook-logs_get",
    ("GET", "/hooks/{hookId}/logs"): "hook-logs_list",
    # incomplete executions
    ("DELETE", "/dlqs/{dlqId}"): "incomplete-executions_delete-one",
    ("PATCH", "/dlqs/{dlqId}"): "incomplete-executions_update",
    ("DELETE", "/dlqs"): "incomplete-executions_delete",
    ("GET", "/dlqs/{dlqId}/blueprint"): "incomplete-executions_get-blueprint",
    ("GET", "/dlqs/{dlqId}/bundle"): "incomplete-executions_get-bundle",
    ("POST", "/dlqs/{dlqId}/retry"): "incomplete-executions_retry",
    ("POST", "/dlqs/retry"): "incomplete-executions_retry-many",
    # keys
    ("GET", "/keys/types"): "keys_list-types",
    # managed organizations (MMS)
    ("POST", "/organizations/{organizationId}/managed-organizations"): "managed-organizations_create",
    ("GET", "/organizations/{organizationId}/managed-organizations"): "managed-organizations_list",
    (
        "GET",
        "/organizations/{organizationId}/managed-organizations-consumption",
    ): "managed-organizations_list-consumption",
    (
        "PATCH",
        "/organizations/{organizationId}/managed-organizations/{childOrganizationId}",
    ): "managed-organizations_update",
    # notifications
    ("DELETE", "/notifications"): "notifications_delete",
    ("GET", "/notifications"): "notifications_list",
    ("GET", "/notifications/{notificationId}"): "notifications_get",
    ("POST", "/notifications/mark-as-read"): "notifications_mark-as-read",
    # organizations
    ("POST", "/organizations/accept-invitation"): "organizations_accept-invitation",
    ("GET", "/organizations/invitation"): "organizations_get-invitation",
    ("POST", "/organizations/{organizationId}/invite"): "organizations_invite-user",
    ("GET", "/organizations/{organizationId}/check-team-permission"): "organizations_check-team-permission",
    ("GET", "/organizations/{organizationId}/apps"): "organizations_list-apps",
    ("GET", "/organizations/{organizationId}/usage"): "organizations_get-usage",
    ("GET", "/organizations/{organizationId}/feature-controls"): "organizations_get-feature-controls",
    ("PATCH", "/organizations/{organizationId}/feature-controls"): "organizations_update-feature-controls",
    ("GET", "/organizations/{organizationId}/private-spaces-settings"): "organizations_get-private-spaces",
    ("PATCH", "/organizations/{organizationId}/private-spaces-settings"): "organizations_update-private-spaces",
    ("PATCH", "/organizations/{organizationId}/tfa-enforcement"): "organizations_set-tfa-enforcement",
    ("GET", "/organizations/{organizationId}/sso-certificates"): "sso-certificates_list",
    ("GET", "/organizations/{organizationId}/subscription"): "subscriptions_get",
    ("POST", "/organizations/{organizationId}/subscription"): "subscriptions_create",
    ("PATCH", "/organizations/{organizationId}/subscription"): "subscriptions_change",
    ("DELETE", "/organizations/{organizationId}/subscription"): "subscriptions_cancel",
    ("POST", "/organizations/{organizationId}/subscription/pause"): "subscriptions_pause",
    ("POST", "/organizations/{organizationId}/subscription/unpause"): "subscriptions_unpause",
    ("POST", "/organizations/{organizationId}/subscription-free"): "subscriptions_set-free-plan",
    ("GET", "/organizations/{organizationId}/payments"): "subscriptions_list-payments",
    (
        "GET",
        "/organizations/{organizationId}/subscription/payment-method-types",
    ): "subscriptions_list-payment-method-types",
    ("GET", "/organizations/{organizationId}/subscription/payment-methods"): "subscriptions_list-payment-methods",
    (
        "PATCH",
        "/organizations/{organizationId}/subscription/payment-methods/{paymentMethodId}/default",
    ): "subscriptions_set-default-payment-method",
    (
        "DELETE",
        "/organizations/{organizationId}/subscription/payment-methods/{paymentMethodId}",
    ): "subscriptions_delete-payment-method",
    ("GET", "/organizations/{organizationId}/universal-discount"): "subscriptions_get-discount",
    ("POST", "/organizations/{organizationId}/universal-discount/redeem"): "subscriptions_redeem-discount",
    (
        "POST",
        "/organizations/{organizationId}/universal-discount/claim-cancellation-offer",
    ): "subscriptions_claim-cancellation-offer",
    ("POST", "/organizations/{organizationId}/variables"): "organization-variables_create",
    ("GET", "/organizations/{organizationId}/variables"): "organization-variables_list",
    ("PATCH", "/organizations/{organizationId}/variables/{variableName}"): "organization-variables_update",
    ("DELETE", "/organizations/{organizationId}/variables/{variableName}"): "organization-variables_delete",
    (
        "GET",
        "/organizations/{organizationId}/variables/{variableName}/history",
    ): "organization-variables_history",
    ("GET", "/organizations/{organizationId}/user-organization-roles"): "organizations_list-user-roles",
    ("GET", "/organizations/{organizationId}/user-organization-roles/{userId}"): "organizations_get-user-role",
    (
        "POST",
        "/organizations/{organizationId}/user-organization-roles/transfer",
    ): "organizations_transfer-ownership",
    # remote procedures
    ("POST", "/rpcs/{appName}/{appVersion}/{rpcName}"): "rpcs_call",
    ("OPTIONS", "/rpcs/{appName}/{appVersion}/{rpcName}"): "rpcs_process-action",
    # scenarios
    ("POST", "/scenarios/{scenarioId}/clone"): "scenarios_clone",
    ("POST", "/scenarios/{scenarioId}/replay"): "scenarios_replay",
    ("POST", "/scenarios/{scenarioId}/restore"): "scenarios_restore",
    ("GET", "/scenarios/trash/count"): "scenarios_count-trash",
    ("GET", "/scenarios/{scenarioId}/usage"): "scenarios_get-usage",
    ("GET", "/scenarios/{scenarioId}/triggers"): "scenarios_get-triggers",
    ("GET", "/scenarios/{scenarioId}/data/{moduleId}"): "scenarios_check-module-data",
    ("GET", "/scenarios/ai-agents"): "scenarios_list-ai-agents",
    ("GET", "/scenarios/consumptions"): "scenarios_list-consumptions",
    ("PATCH", "/scenarios/tools/{scenarioId}"): "scenarios_update-tool",
    ("GET", "/scenarios/{scenarioId}/build-variables"): "scenario-build-variables_list",
    ("POST", "/scenarios/{scenarioId}/build-variables"): "scenario-build-variables_add",
    ("PUT", "/scenarios/{scenarioId}/build-variables"): "scenario-build-variables_update",
    ("DELETE", "/scenarios/{scenarioId}/build-variables"): "scenario-build-variables_delete",
    ("POST", "/scenarios-folders/move-scenarios"): "folders_move-scenarios",
    ("GET", "/scenarios/{scenarioId}/modules/{moduleId}/logs"): "executions_list-module-logs",
    ("GET", "/scenarios/{scenarioId}/modules/operations"): "executions_operations-by-module",
    # SDK apps
    ("POST", "/sdk/apps/{SDK_appName}/{SDK_appVersion}/clone"): "sdk-apps_clone",
    ("POST", "/sdk/apps/{SDK_appName}/{SDK_appVersion}/clone-major"): "sdk-apps_clone-major",
    ("POST", "/sdk/apps/{SDK_appName}/{SDK_appVersion}/commit"): "sdk-apps_commit",
    ("POST", "/sdk/apps/{SDK_appName}/{SDK_appVersion}/rollback"): "sdk-apps_rollback",
    ("GET", "/sdk/apps/{SDK_appName}/{SDK_appVersion}/changes/{SDK_changeId}"): "sdk-apps_get-change",
    ("GET", "/sdk/apps/{SDK_appName}/{SDK_appVersion}/events-log"): "sdk-apps_get-events-log",
    ("GET", "/sdk/apps/{SDK_appName}/{SDK_appVersion}/icon/{SDK_appIconSize}"): "sdk-apps_get-icon",
    ("PUT", "/sdk/apps/{SDK_appName}/{SDK_appVersion}/icon"): "sdk-apps_set-icon",
    ("GET", "/sdk/apps/{SDK_appName}/{SDK_appVersion}/review"): "sdk-apps_get-review",
    ("POST", "/sdk/apps/{SDK_appName}/{SDK_appVersion}/review"): "sdk-apps_request-review",
    ("PUT", "/sdk/apps/{SDK_appName}/{SDK_appVersion}/review/form"): "sdk-apps_submit-review-form",
    ("POST", "/sdk/apps/{SDK_appName}/{SDK_appVersion}/base"): "sdk-apps_set-base",
    ("PATCH", "/sdk/apps/{SDK_appName}/{SDK_appVersion}/base"): "sdk-apps_update-base",
    ("PUT", "/sdk/apps/{SDK_appName}/{SDK_appVersion}/groups"): "sdk-apps_set-groups",
    ("PUT", "/sdk/apps/{SDK_appName}/{SDK_appVersion}/install"): "sdk-apps_set-install",
    ("POST", "/sdk/apps/{SDK_appName}/{SDK_appVersion}/opensource"): "sdk-apps_set-opensource",
    ("POST", "/sdk/apps/{SDK_appName}/{SDK_appVersion}/closedsource"): "sdk-apps_set-closedsource",
    ("POST", "/sdk/apps/{SDK_appName}/{SDK_appVersion}/{SDK_appVisibility}"): "sdk-apps_set-visibility",
    ("POST", "/sdk/apps/{SDK_appName}/{SDK_appVersion}/uninstall"): "sdk-apps_uninstall",
    ("POST", "/sdk/apps/connections/{SDK_connectionName}/recreate"): "sdk-connections_recreate",
    ("GET", "/sdk/apps/invites/{SDK_appInviteToken}"): "sdk-app-invites_get",
    ("POST", "/sdk/apps/invites/{SDK_appInviteToken}"): "sdk-app-invites_accept",
    ("POST", "/sdk/apps/{SDK_appName}/{SDK_appVersion}/modules/{SDK_moduleName}/clone"): "sdk-modules_clone",
    (
        "PUT",
        "/sdk/apps/{SDK_appName}/{SDK_appVersion}/modules/{SDK_moduleName}/{SDK_moduleConsumable}",
    ): "sdk-modules_set-consumable",
    (
        "POST",
        "/sdk/apps/{SDK_appName}/{SDK_appVersion}/modules/{SDK_moduleName}/{SDK_moduleDeprecation}",
    ): "sdk-modules_set-deprecation",
    (
        "POST",
        "/sdk/apps/{SDK_appName}/{SDK_appVersion}/modules/{SDK_moduleName}/{SDK_moduleVisibility}",
    ): "sdk-modules_set-visibility",
    ("PUT", "/sdk/apps/{SDK_appName}/{SDK_appVersion}/modules/{SDK_moduleName}/api"): "sdk-modules_set-api",
    ("PUT", "/sdk/apps/{SDK_appName}/{SDK_appVersion}/modules/{SDK_moduleName}/epoch"): "sdk-modules_set-epoch",
    ("PUT", "/sdk/apps/{SDK_appName}/{SDK_appVersion}/modules/{SDK_moduleName}/interface"): "sdk-modules_set-interface",
    (
        "PUT",
        "/sdk/apps/{SDK_appName}/{SDK_appVersion}/modules/{SDK_moduleName}/parameters",
    ): "sdk-modules_set-parameters",
    ("PUT", "/sdk/apps/{SDK_appName}/{SDK_appVersion}/modules/{SDK_moduleName}/samples"): "sdk-modules_set-samples",
    ("PUT", "/sdk/apps/{SDK_appName}/{SDK_appVersion}/modules/{SDK_moduleName}/scope"): "sdk-modules_set-scope",
    # teams
    ("PATCH", "/teams/{teamId}"): "teams_update",
    ("GET", "/teams/{teamId}/usage"): "teams_get-usage",
    ("GET", "/teams/{teamId}/feature-controls"): "teams_get-feature-controls",
    ("GET", "/teams/{teamId}/llm-configuration"): "teams_get-llm-configuration",
    ("PATCH", "/teams/{teamId}/llm-configuration"): "teams_update-llm-configuration",
    ("GET", "/teams/{teamId}/user-team-roles"): "teams_list-user-roles",
    ("GET", "/teams/{teamId}/user-team-roles/{userId}"): "teams_get-user-role",
    ("POST", "/teams/{teamId}/variables"): "team-variables_create",
    ("GET", "/teams/{teamId}/variables"): "team-variables_list",
    ("PATCH", "/teams/{teamId}/variables/{variableName}"): "team-variables_update",
    ("DELETE", "/teams/{teamId}/variables/{variableName}"): "team-variables_delete",
    ("GET", "/teams/{teamId}/variables/{variableName}/history"): "team-variables_history",
    # templates
    ("POST", "/templates/{templateId}/publish"): "templates_publish",
    ("POST", "/templates/{templateId}/request-approval"): "templates_request-approval",
    # users
    ("GET", "/users"): "users_list",
    ("GET", "/users/by-permission"): "users_list-by-permission",
    ("PATCH", "/users/{userId}"): "users_update",
    ("PUT", "/users/{userId}/attributes/email"): "users_update-email",
    ("PUT", "/users/{userId}/attributes/password"): "users_update-password",
    ("DELETE", "/users"): "users_delete-me",
    ("POST", "/users/password-reset-demand"): "users_request-password-reset",
    ("GET", "/users/password-reset"): "users_open-password-reset",
    ("POST", "/users/password-reset"): "users_reset-password",
    ("GET", "/users/me/current-authorization"): "users_me-authorization",
    ("GET", "/users/me/organization-invitations"): "users_me-invitations",
    ("GET", "/users/me/onboarding-survey"): "users_get-onboarding-survey",
    ("POST", "/users/me/onboarding-survey"): "users_submit-onboarding-survey",
    ("GET", "/users/unread-notifications"): "users_count-unread-notifications",
    ("POST", "/users/me/api-tokens"): "api-tokens_create",
    ("GET", "/users/me/api-tokens"): "api-tokens_list",
    ("DELETE", "/users/me/api-tokens/{timestamp}"): "api-tokens_delete",
    ("GET", "/mailhub/users/{userId}/preferences"): "email-preferences_get",
    ("PATCH", "/mailhub/users/{userId}/preferences"): "email-preferences_update",
    (
        "GET",
        "/mailhub/users/{userId}/organizations/{organizationId}/teams/{teamId}/preferences",
    ): "email-preferences_get-team",
    (
        "PATCH",
        "/mailhub/users/{userId}/organizations/{organizationId}/teams/{teamId}/preferences",
    ): "email-preferences_update-team",
    (
        "PATCH",
        "/mailhub/users/{userId}/organizations/{organizationId}/teams/{teamId}/native-preferences",
    ): "email-preferences_update-team-native",
    ("GET", "/users/{userId}/user-organization-roles"): "user-organization-roles_list",
    ("GET", "/users/{userId}/user-organization-roles/{organizationId}"): "user-organization-roles_get",
    ("POST", "/users/{userId}/user-organization-roles/{organizationId}"): "user-organization-roles_set",
    (
        "POST",
        "/users/{userId}/user-organization-roles/{organizationId}/transfer",
    ): "user-organization-roles_transfer-ownership",
    ("GET", "/users/{userId}/user-team-roles"): "user-team-roles_list",
    ("GET", "/users/{userId}/user-team-roles/{teamId}"): "user-team-roles_get",
    ("POST", "/users/{userId}/user-team-roles/{teamId}"): "user-team-roles_set",
    ("GET", "/users/{userId}/user-team-notifications/{teamId}"): "user-team-notifications_list",
    ("GET", "/users/{userId}/user-team-notifications/{teamId}/{notificationId}"): "user-team-notifications_get",
    ("PUT", "/users/{userId}/user-team-notifications/{teamId}/{notificationId}"): "user-team-notifications_update",
}

# --- Toolsets ----------------------------------------------------------------------------------------
#
# A toolset is the top-level name of the reference page (the part before " / "), slugged. Exceptions:
TOOLSET_OF_TAG: dict[str, str] = {
    "Scenarios folders": "scenarios",
}
# Tools whose resource gets a toolset of its own although the reference documents it on another page:
# an organization's subscription and payments (billing) are not everyday work, so they stay out of the
# default toolsets unless asked for.
TOOLSET_OF_RESOURCE: dict[str, str] = {
    "subscriptions": "subscriptions",
}

# --- Titles ------------------------------------------------------------------------------------------
#
# The spec's summary is the title, sentence-cased, except where it is vague or shared by two operations.
TITLES: dict[str, str] = {
    "ai-agents_get": "Get AI agent",
    "ai-agents_list": "List AI agents",
    "ai-agents_create": "Create AI agent",
    "ai-agents_update": "Update AI agent",
    "ai-agents_delete": "Delete AI agent",
    "ai-agents_run": "Run AI agent",
    "ai-agents_run-stream": "Run AI agent with SSE streaming",
    "ai-agent-contexts_list": "List AI agent contexts",
    "ai-agent-contexts_create": "Create AI agent context",
    "ai-agent-contexts_delete": "Delete AI agent context",
    "audit-logs_get-filters-for-team": "Get team audit log filters",
    "credential-requests_create": "Create credential request from app modules",
    "credential-requests_create-request": "Create credential request (deprecated)",
    "credential-requests_create-request-v2": "Create credential request (v2)",
    "credential-requests_get": "Get credential request with credentials",
    "credential-requests_get-request": "Get credential request",
    "devices_create-request": "Request a device",
    "devices_delete": "Delete device",
    "devices_get": "Get device",
    "devices_update": "Update device",
    "devices_list": "List devices",
    "device-incomings_delete": "Delete device incoming messages",
    "device-incomings_list": "List device incoming messages",
    "device-incomings_get": "Get device incoming message",
    "device-incomings_stats": "Get device incoming message stats",
    "device-outgoings_delete": "Delete device outgoing messages",
    "device-outgoings_list": "List device outgoing messages",
    "device-outgoings_get": "Get device outgoing message",
    "hooks_learn-start": "Start learning hook data structure",
    "hooks_learn-stop": "Stop learning hook data structure",
    "incomplete-executions_delete-one": "Delete incomplete execution (deprecated)",
    "organizations_get-user-role": "Get organization role of a user",
    "organizations_list-user-roles": "List organization roles of users",
    "organizations_transfer-ownership": "Transfer organization ownership",
    "organization-variables_history": "Organization variable history",
    "team-variables_history": "Team variable history",
    "teams_get-feature-controls": "Get team feature controls",
    "teams_get-user-role": "Get team role of a user",
    "teams_list-user-roles": "List team roles of users",
    # SDK (custom) apps: "SDK" tells them apart from the account's own connections, functions and hooks
    "sdk-apps_list": "List SDK apps",
    "sdk-apps_get": "Get SDK app",
    "sdk-apps_create": "Create SDK app",
    "sdk-apps_update": "Update SDK app",
    "sdk-apps_delete": "Delete SDK app",
    "sdk-apps_clone": "Clone SDK app",
    "sdk-apps_clone-major": "Clone SDK app into a new major version",
    "sdk-apps_commit": "Commit SDK app changes",
    "sdk-apps_rollback": "Roll back SDK app changes",
    "sdk-apps_get-change": "Get SDK app change",
    "sdk-apps_get-events-log": "Get SDK app events log",
    "sdk-apps_get-common": "Get SDK app common data",
    "sdk-apps_set-common": "Set SDK app common data",
    "sdk-apps_get-docs": "Get SDK app documentation",
    "sdk-apps_set-docs": "Set SDK app documentation",
    "sdk-apps_get-icon": "Get SDK app icon",
    "sdk-apps_set-icon": "Set SDK app icon",
    "sdk-apps_get-review": "Get SDK app review",
    "sdk-apps_request-review": "Request SDK app review",
    "sdk-apps_submit-review-form": "Submit SDK app review form",
    "sdk-apps_set-base": "Set SDK app base section",
    "sdk-apps_update-base": "Update SDK app base section",
    "sdk-apps_set-groups": "Set SDK app groups section",
    "sdk-apps_set-install": "Set SDK app install section",
    "sdk-apps_set-opensource": "Make SDK app open source",
    "sdk-apps_set-closedsource": "Make SDK app closed source",
    "sdk-apps_set-visibility": "Set SDK app visibility",
    "sdk-apps_uninstall": "Uninstall SDK app from organization",
    "sdk-app-invites_get": "Get SDK app invitation",
    "sdk-app-invites_accept": "Accept SDK app invitation",
    "sdk-connections_list": "List SDK app connections",
    "sdk-connections_get": "Get SDK app connection",
    "sdk-connections_create": "Create SDK app connection",
    "sdk-connections_update": "Update SDK app connection",
    "sdk-connections_delete": "Delete SDK app connection",
    "sdk-connections_recreate": "Recreate SDK app connection",
    "sdk-connections_get-common": "Get SDK app connection common data",
    "sdk-connections_set-common": "Set SDK app connection common data",
    "sdk-connections_get-section": "Get SDK app connection section",
    "sdk-connections_set-section": "Set SDK app connection section",
    "sdk-functions_list": "List SDK app functions",
    "sdk-functions_get": "Get SDK app function",
    "sdk-functions_create": "Create SDK app function",
    "sdk-functions_delete": "Delete SDK app function",
    "sdk-functions_get-code": "Get SDK app function code",
    "sdk-functions_set-code": "Set SDK app function code",
    "sdk-functions_get-test": "Get SDK app function test",
    "sdk-functions_set-test": "Set SDK app function test",
    "sdk-modules_list": "List SDK app modules",
    "sdk-modules_get": "Get SDK app module",
    "sdk-modules_create": "Create SDK app module",
    "sdk-modules_update": "Update SDK app module",
    "sdk-modules_delete": "Delete SDK app module",
    "sdk-modules_clone": "Clone SDK app module",
    "sdk-modules_get-section": "Get SDK app module section",
    "sdk-modules_set-api": "Set SDK app module api section",
    "sdk-modules_set-epoch": "Set SDK app module epoch section",
    "sdk-modules_set-interface": "Set SDK app module interface section",
    "sdk-modules_set-parameters": "Set SDK app module parameters section",
    "sdk-modules_set-samples": "Set SDK app module samples section",
    "sdk-modules_set-scope": "Set SDK app module scope section",
    "sdk-modules_set-consumable": "Set SDK app module consumable section",
    "sdk-modules_set-deprecation": "Deprecate or restore SDK app module",
    "sdk-modules_set-visibility": "Set SDK app module visibility",
    "sdk-rpcs_list": "List SDK app RPCs",
    "sdk-rpcs_get": "Get SDK app RPC",
    "sdk-rpcs_create": "Create SDK app RPC",
    "sdk-rpcs_update": "Update SDK app RPC",
    "sdk-rpcs_delete": "Delete SDK app RPC",
    "sdk-rpcs_test": "Test SDK app RPC",
    "sdk-rpcs_get-section": "Get SDK app RPC section",
    "sdk-rpcs_set-section": "Set SDK app RPC section",
    "sdk-webhooks_list": "List SDK app webhooks",
    "sdk-webhooks_get": "Get SDK app webhook",
    "sdk-webhooks_create": "Create SDK app webhook",
    "sdk-webhooks_update": "Update SDK app webhook",
    "sdk-webhooks_delete": "Delete SDK app webhook",
    "sdk-webhooks_get-section": "Get SDK app webhook section",
    "sdk-webhooks_set-section": "Set SDK app webhook section",
    "rpcs_call": "Call an app remote procedure",
    "rpcs_process-action": "Process an app remote procedure action",
    "user-organization-roles_set": "Set organization role of a user",
    "user-organization-roles_get": "Get organization role of a user in an organization",
    "user-organization-roles_list": "List organization roles of a user",
    "user-organization-roles_transfer-ownership": "Transfer organization ownership to a user",
    "user-team-roles_set": "Set team role of a user",
    "user-team-roles_get": "Get team role of a user in a team",
    "user-team-roles_list": "List team roles of a user",
    "users_open-password-reset": "Open password reset session",
    "users_me": "Get current user",
    "users_me-authorization": "Get current authorization",
    "users_me-invitations": "List my organization invitations",
    "users_count-unread-notifications": "Count unread notifications",
    "roles_list": "List roles",
    "roles_permissions": "List role permissions",
    "executions_list": "List scenario executions",
    "executions_get": "Get execution",
    "executions_get-detail": "Get execution detail",
    "subscriptions_set-free-plan": "Switch to the free plan",
    "subscriptions_unpause": "Resume the subscription",
    "managed-organizations_update": "Update child organization allocation",
    "managed-organizations_list": "List child organizations",
    "managed-organizations_list-consumption": "List child organization consumption",
    "email-preferences_get": "Get email preferences",
    "email-preferences_get-team": "Get team email preferences",
    "email-preferences_update": "Update global email preferences",
    "email-preferences_update-team": "Update team email preferences",
    "email-preferences_update-team-native": "Update team native email preferences",
}

# --- Descriptions ------------------------------------------------------------------------------------
#
# Our own words for the operations agents use most. Other tools get a description composed from facts
# (title, required inputs, response key). Keep each to one or two short sentences.
DESCRIPTIONS: dict[str, str] = {
    # scenarios
    "scenarios_list": (
        "List the scenarios of a team or of a whole organization (teamId or organizationId, not both); "
        "filter by folderId, isActive or id. Use cols to pick fields."
    ),
    "scenarios_get": "Get a scenario's settings and state by scenarioId. The blueprint comes from blueprints_get.",
    "scenarios_create": (
        "Create a scenario in a team. Pass blueprint and scheduling as JSON objects, e.g. scheduling "
        '{"type": "indefinitely", "interval": 900}; set confirmed=true if it uses apps not yet installed.'
    ),
    "scenarios_update": (
        "Change a scenario's name, folder, blueprint or scheduling (objects, not strings). "
        "Set confirmed=true when the new blueprint needs apps installed."
    ),
    "scenarios_delete": "Delete a scenario.",
    "scenarios_activate": "Switch a scenario on so its schedule or trigger runs it.",
    "scenarios_deactivate": "Switch a scenario off; it stops running until activated again.",
    "scenarios_run": (
        "Run a scenario now, with optional input `data` (see scenarios_interface). responsive=true waits "
        "for the outcome; otherwise only the executionId returns (check it with executions_get-detail)."
    ),
    "scenarios_interface": "Get a scenario's declared inputs and outputs: the shape of `data` that scenarios_run takes.",
    "scenarios_set-interface": "Replace a scenario's declared inputs and outputs.",
    "scenarios_clone": (
        "Copy a scenario into a team under a new name; map connections, keys, hooks, devices, data "
        "structures and data stores of the copy with the account/key/hook/device/udt/datastore objects."
    ),
    "scenarios_list-consumptions": "List the operations, transfer and credits each scenario used since the last reset.",
    "blueprints_get": "Get a scenario's blueprint (modules, routes, settings). blueprintId selects an older version.",
    "blueprints_versions": "List the saved blueprint versions of a scenario.",
    "folders_list": "List the scenario folders of a team.",
    "folders_create": "Create a scenario folder in a team.",
    "folders_update": "Rename a scenario folder.",
    "folders_delete": "Delete a scenario folder.",
    "folders_move-scenarios": "Move scenarios into a folder of their team.",
    "scenarios_replay": "Run one past execution of an active scenario again, with the input it had then.",
    "scenarios_restore": "Bring a deleted scenario back from the trash (possible for 30 days after deletion).",
    "scenarios_check-module-data": "Tell whether a module of a scenario holds stored data (the data itself is not returned).",
    "scenarios_get-triggers": "Get the settings of a scenario's trigger module, such as its webhook.",
    "scenarios_get-usage": "Daily operations, centicredits and data transfer of a scenario over the last 30 days.",
    "executions_list-module-logs": "List the logged runs of one module of a scenario.",
    "executions_operations-by-module": "Operations each module of a scenario used over the last `days` days.",
    "scenario-build-variables_list": "List a scenario's buildtime variables (TAC_ team and PAC_ personal values).",
    # executions and incomplete executions
    "executions_list": (
        "List a scenario's past runs, newest first, each with its status (1 success, 2 warning, 3 error); "
        "filter by status, time (from/to) or size. Page with pg."
    ),
    "executions_get": "Get the summary of one run: status, duration, operations and transfer used.",
    "executions_get-detail": "Get the outcome of one run: status, outputs, and on failure the error and failing module.",
    "executions_list-for-incomp-exec": "List the retry attempts of an incomplete execution.",
    "executions_get-for-incomp-exec": "Get one retry attempt of an incomplete execution.",
    "incomplete-executions_list": "List the incomplete executions (stored failed runs awaiting a fix) of a scenario.",
    "incomplete-executions_get": "Get one incomplete execution: its scenario, execution, retry attempts and whether it is resolved.",
    "incomplete-executions_get-blueprint": "Get the blueprint stored with an incomplete execution.",
    "incomplete-executions_get-bundle": "Get the data bundle the failing module received.",
    "incomplete-executions_update": (
        "Change the stored blueprint (as an object) or failing module of an incomplete execution before retrying it."
    ),
    "incomplete-executions_retry": "Run an incomplete execution again from its stored state.",
    "incomplete-executions_retry-many": "Retry incomplete executions of a scenario: pass ids, or all=true with optional exceptIds.",
    "incomplete-executions_delete": (
        "Delete incomplete executions of a scenario: pass ids, or all=true with optional exceptIds and confirmed=true."
    ),
    # data stores and records
    "data-stores_list": "List the data stores of a team.",
    "data-stores_get": "Get a data store: its data structure, size and limit, and how many records it holds.",
    "data-stores_create": "Create a data store in a team; datastructureId fixes the record shape, maxSizeMB its size.",
    "data-stores_update": "Rename or resize a data store, or change its data structure.",
    "data-stores_delete": (
        "Delete data stores of a team by ids, or all=true with optional exceptIds. "
        "Needs confirmed=true when a scenario uses them."
    ),
    "data-store-records_list": "List the records of a data store. Page with pg.",
    "data-store-records_create": "Add a record: `data` holds its fields; a key is generated when none is given.",
    "data-store-records_update": "Change some fields of the record with key dataStoreKeyRecord; `body` holds the fields to set.",
    "data-store-records_replace": (
        "Replace the whole record with key dataStoreKeyRecord, creating it when missing; `body` holds all its fields."
    ),
    "data-store-records_delete": (
        "Delete records by keys, or all records with all=true and confirmed=true (exceptKeys keeps some)."
    ),
    "data-structures_list": "List the data structures (record and payload shapes) of a team.",
    "data-structures_get": "Get a data structure and its field specification.",
    "data-structures_create": "Create a data structure in a team from a field specification (spec).",
    "data-structures_update": "Rename a data structure or replace its field specification (give every field).",
    "data-structures_delete": "Delete a data structure.",
    # hooks
    "hooks_list": "List the webhooks and mailhooks of a team.",
    "hooks_get": "Get a webhook or mailhook, including its URL, queue size and the scenario using it.",
    "hooks_create": "Create a webhook or mailhook in a team; typeName picks the kind (e.g. gateway-webhook).",
    "hooks_update": "Rename a webhook or mailhook.",
    "hooks_delete": "Delete a webhook or mailhook.",
    "hooks_enable": "Let a hook accept incoming data again.",
    "hooks_disable": "Make a hook refuse incoming data until enabled again.",
    "hooks_learn-start": "Make the hook derive its data structure from the next payload it receives.",
    "hooks_learn-stop": "Stop a hook from deriving its data structure from payloads.",
    "hooks_ping": "Check a hook: its address, whether a scenario uses it and whether it is learning.",
    "hooks_set-data": "Replace a hook's type-specific settings; `body` holds them.",
    "hook-incomings_list": "List payloads waiting in a webhook's queue for a scenario to process them.",
    "hook-incomings_get": "Get one queued webhook payload.",
    "hook-incomings_stats": "Get the size and limit of a webhook's queue.",
    "hook-incomings_delete": "Delete queued webhook payloads by ids, or all=true (with confirmed=true) keeping exceptIds.",
    "hook-logs_list": "List the requests a webhook received recently.",
    "hook-logs_get": "Get one logged webhook request.",
    # connections and keys
    "connections_list": "List the connections (authorized app accounts) of a team; filter by app type.",
    "connections_get": "Get a connection: its app, account type, scopes and expiry.",
    "connections_create": "Create a connection in a team for an app account type (accountName, accountType).",
    "connections_update": "Rename a connection.",
    "connections_set-data": "Update a connection's stored settings (see connections_get-editable-schema); `body` holds them.",
    "connections_verify": "Check that a connection still authenticates with its app.",
    "connections_delete": "Delete a connection.",
    "keys_list": "List the keys (API keys, certificates and other secrets) of a team.",
    "keys_create": "Create a key in a team; typeName is one of keys_list-types, parameters its values.",
    # teams, organizations, users
    "teams_list": "List the teams of an organization.",
    "teams_get": "Get a team.",
    "teams_create": "Create a team in an organization.",
    "teams_delete": "Delete a team.",
    "organizations_list": "List the organizations the user belongs to.",
    "organizations_get": "Get an organization: its zone, license, teams and scenario counts.",
    "users_me": "Get the user the credentials belong to.",
    "users_me-authorization": "Show the scopes of the credentials in use.",
    # SDK apps
    "sdk-apps_list": "List the custom (SDK) apps the user can edit.",
    "sdk-apps_get": "Get a custom app version.",
    "sdk-apps_create": "Create a custom app; `app` holds its name, label, theme, language and audience.",
    "sdk-modules_list": "List the modules of a custom app version.",
    "sdk-modules_get": "Get a module of a custom app version.",
    "sdk-connections_list": "List the connection definitions of a custom app.",
    "sdk-rpcs_list": "List the remote procedures of a custom app version.",
    "sdk-functions_list": "List the custom IML functions of a custom app version.",
    "sdk-webhooks_list": "List the webhook definitions of a custom app.",
    "scenario-custom-properties_get": "Get the custom property values filled in for a scenario.",
    "scenario-custom-properties_create": (
        "Fill in a scenario's custom properties for the first time; `body` maps item names to values."
    ),
    "scenario-custom-properties_update": "Change some custom property values of a scenario; `body` maps item names to values.",
    "scenario-custom-properties_replace": "Replace all custom property values of a scenario; `body` maps item names to values.",
    "scenario-custom-properties_delete": "Delete all custom property values of a scenario.",
    # templates
    "public-templates_list": "Search the public template gallery by name or apps used.",
    "templates_list": "List a team's private templates.",
    # teams, organizations and users
    "teams_get-usage": "Daily operations, centicredits and data transfer of a team over the last 30 days.",
    "organizations_get-usage": "Daily operations, centicredits and data transfer of an organization over the last 30 days.",
    "team-variables_list": "List a team's custom variables, which its scenarios can read.",
    "team-variables_create": "Create a team custom variable (needs a plan with custom variables).",
    "organization-variables_list": "List an organization's custom variables, which all its scenarios can read.",
    "organization-variables_create": "Create an organization custom variable (needs a plan with custom variables).",
    "api-tokens_delete": "Delete one of your API tokens, picked by its creation timestamp.",
    "users_delete-me": "Delete the account of the user this token belongs to.",
    "incomplete-executions_delete-one": "Delete one incomplete execution (deprecated; incomplete-executions_delete takes several).",
}

# Descriptions of common parameters, by Make's name (or our field name when that differs). Other
# parameters go without: the name and type speak. An ID's description names the tool that finds it.
PARAM_DESCRIPTIONS: dict[str, str] = {
    "teamId": "From teams_list.",
    "organizationId": "From organizations_list.",
    "scenarioId": "From scenarios_list.",
    "hookId": "Webhook or mailhook, from hooks_list.",
    "connectionId": "From connections_list.",
    "dataStoreId": "From data-stores_list.",
    "dataStructureId": "From data-structures_list.",
    "dataStoreKeyRecord": "Record key.",
    "dlqId": "Incomplete execution, from incomplete-executions_list.",
    "executionId": "From executions_list or scenarios_run.",
    "moduleId": "The module's id in the scenario's blueprint (blueprints_get).",
    "timestamp": "The token's `created` value from api-tokens_list.",
    "confirmed": "Set true when Make asks to confirm.",
    "cols": "Fields to return.",
    "pg": "Paging and sorting.",
    "blueprint": "Scenario blueprint as a JSON object.",
    "scheduling": 'Scheduling as a JSON object, e.g. {"type": "indefinitely", "interval": 900}.',
    "__IMTCONN__": "ID of the connection the hook uses (sent as __IMTCONN__).",
    "<connectionType>[]": "Scopes each listed connection type must have, keyed by type (sent as <type>[]).",
}

# --- Parameters --------------------------------------------------------------------------------------
#
# Renamed fields: the wire name is not a usable Python name. Keys are wire names.
FIELD_NAMES: dict[str, str] = {
    "<connectionType>[]": "scopes",
    "__IMTCONN__": "IMTCONN",
}

# Types the reference cannot express. `<connectionType>[]` is one query array per connection type, so
# the field takes a dict of type -> scopes (see the placeholder rule in tools/catalogue.py).
FIELD_TYPES: dict[str, str] = {
    "<connectionType>[]": "dict[str, list[str]]",
}

# IDs the reference types inconsistently (string in some operations, number in others) although Make
# always uses integers for them; a string or float field would reject or mangle an agent's 5.
INTEGER_FIELDS: frozenset[str] = frozenset(
    {
        "teamId",
        "organizationId",
        "userId",
        "deviceId",
        "typeId",
        "priceId",
        "providerId",
        "makeConnectionId",
        "makeProviderId",
        "SDK_appVersion",
    }
)

# Header parameters the runtime sets itself (the body's content type).
SKIPPED_PARAMETERS: frozenset[str] = frozenset({"Content-Type"})

# Body fields that carry JSON text in Make's API but objects in ours (besides those whose description
# says "(JSON string)").
JSON_STRING_FIELDS: frozenset[tuple[str, str]] = frozenset(
    {
        ("scenarios_update", "blueprint"),
        ("scenarios_update", "scheduling"),
        ("incomplete-executions_update", "blueprint"),
    }
)

# Free-form bodies the operation cannot do without, although the reference marks the body optional.
REQUIRED_WHOLE_BODIES: frozenset[str] = frozenset(
    {
        "connections_set-data",
        "hooks_set-data",
        "data-store-records_update",
        "data-store-records_replace",
        "scenario-custom-properties_create",
        "scenario-custom-properties_replace",
        "scenario-custom-properties_update",
        "sdk-apps_set-docs",
        "sdk-apps_set-common",
        "sdk-connections_set-common",
        "sdk-connections_set-section",
        "sdk-functions_set-code",
        "sdk-functions_set-test",
    }
)

# Body fields an operation is pointless without, although the reference marks none of its body required:
# a rename without the name, a variable without its value, a create without what it creates. Keys are tool
# names, values Make's field names. A field the reference comes to require is reported as stale.
REQUIRED_BODY_FIELDS: dict[str, tuple[str, ...]] = {
    # a connection is an account of an app: both its display name and its type are needed
    "connections_create": ("accountName", "accountType"),
    "connections_update": ("name",),
    "connections_check-scopes": ("scope",),
    "hooks_update": ("name",),
    "folders_update": ("name",),
    "on-prem-agent_update": ("name",),
    "scenarios_set-interface": ("interface",),
    "scenarios_replay": ("executionIds",),
    "scenario-build-variables_add": ("input",),
    "scenario-build-variables_update": ("input",),
    "templates_create": ("teamId",),
    "organization-variables_create": ("name", "typeId", "value"),
    "team-variables_create": ("name", "typeId", "value"),
    "organizations_update-feature-controls": ("id", "enabled"),
    # the reference's description says Make requires these two
    "managed-organizations_create": ("regionId", "countryId"),
    "managed-organizations_update": ("operations",),
    "email-preferences_update": ("id", "enabled"),
    "email-preferences_update-team": ("id", "enabled"),
    "email-preferences_update-team-native": ("id", "enabled"),
    "user-team-notifications_update": ("enabled",),
    "user-organization-roles_set": ("usersRoleId",),
    "user-team-roles_set": ("usersRoleId",),
    "sdk-apps_create": ("app",),
    "sdk-connections_create": ("type", "label"),
    "sdk-webhooks_create": ("type", "label"),
    "sdk-rpcs_create": ("name", "label"),
    "sdk-functions_create": ("name",),
    "sdk-modules_clone": ("newName",),
}

VARIABLE_TYPES = "1 number, 2 string, 3 boolean, 4 date (ISO 8601)."
BUILD_VARIABLES = (
    "Items {name, value}; a name starts with TAC_ (team) or PAC_ (personal) and must be an input of the scenario."
)

# Item types of arrays the reference leaves untyped (`items: {}`), from what its descriptions and Make's answers
# say the items are. Keys are (tool name, Make's field name); values JSON schema types.
ARRAY_ITEM_TYPES: dict[tuple[str, str], str] = {
    ("api-tokens_create", "scope"): "string",
    ("connections_check-scopes", "scope"): "string",
    ("connections_create", "scopes"): "string",
    ("data-store-records_delete", "keys"): "string",
    ("data-store-records_delete", "exceptKeys"): "string",
    ("data-stores_delete", "ids"): "integer",
    ("data-stores_delete", "exceptIds"): "integer",
    ("data-structures_create", "spec"): "object",
    ("data-structures_update", "spec"): "object",
    ("hook-incomings_delete", "ids"): "string",
    ("hook-incomings_delete", "exceptIds"): "string",
    ("incomplete-executions_delete", "ids"): "string",
    ("incomplete-executions_delete", "exceptIds"): "string",
    ("incomplete-executions_retry-many", "ids"): "string",
    ("incomplete-executions_retry-many", "exceptIds"): "string",
    ("organizations_invite-user", "teamsId"): "integer",
    ("scenarios_replay", "executionIds"): "string",
    ("users_submit-onboarding-survey", "preferred_apps"): "string",
}

# Parameters of which a call takes exactly one, where the reference marks the first required although its
# text says either will do (and both together is an error). Keys are tool names, values Make's names.
EXACTLY_ONE_OF: dict[str, tuple[str, ...]] = {
    "scenarios_list": ("teamId", "organizationId"),
    "users_list": ("teamId", "organizationId"),
}

# Descriptions of one tool's fields (body or parameters) where the name alone does not say what Make wants.
# Keys are (tool name, Make's field name).
FIELD_DESCRIPTIONS: dict[tuple[str, str], str] = {
    ("executions_list", "status"): "1 success, 2 warning, 3 error.",
    ("executions_list", "from"): "Runs from this time on, in milliseconds since 1970.",
    ("executions_list", "to"): "Runs up to this time, in milliseconds since 1970.",
    ("hook-logs_list", "from"): "Entries newer than this time, in milliseconds since 1970.",
    ("hook-logs_list", "to"): "Entries older than this time, in milliseconds since 1970.",
    **{
        (tool, field): "A date, YYYY-MM-DD."
        for tool in (
            "affiliate_get-commission-info",
            "affiliate_get-stats",
            "affiliate_list-commissions",
            "audit-logs_list",
            "audit-logs_list-for-team",
        )
        for field in ("dateFrom", "dateTo")
    },
    ("team-variables_create", "typeId"): VARIABLE_TYPES,
    ("organization-variables_create", "typeId"): VARIABLE_TYPES,
    ("team-variables_update", "typeId"): VARIABLE_TYPES,
    ("organization-variables_update", "typeId"): VARIABLE_TYPES,
    ("team-variables_create", "name"): "Letters, digits, $ and _.",
    ("organization-variables_create", "name"): "Letters, digits, $ and _.",
    ("scenarios_replay", "executionIds"): "Execution ids from executions_list; Make replays only the first.",
    ("scenario-build-variables_add", "input"): BUILD_VARIABLES,
    ("scenario-build-variables_update", "input"): BUILD_VARIABLES,
    ("connections_create", "accountName"): "Display name of the new connection.",
    ("connections_create", "accountType"): (
        "The app's connection type, e.g. slack2; oauth2 is the HTTP app's OAuth 2.0 connection."
    ),
}

# --- Responses ---------------------------------------------------------------------------------------
#
# Where live Make answers under another key than the reference documents (seen in the SDK's recorded
# responses): key and JSON type of the payload.
RESPONSE_KEYS: dict[str, tuple[str, str]] = {
    "sdk-rpcs_list": ("appRpcs", "array"),
    "custom-property-structures_create": ("customPropertyStructure", "object"),
}

# --- Sending ---------------------------------------------------------------------------------------
#
# Operations Make documents as outside the organization's request limit: the client's rate budget skips them.
RATE_LIMIT_EXEMPT: frozenset[str] = frozenset({"scenarios_run"})
# Seconds a try may take at least, for operations Make keeps open longer than a usual request: a responsive
# scenario run waits up to 40 s for its outcome, and cut sooner the run goes on but its answer is lost.
MIN_TIMEOUTS: dict[str, float] = {"scenarios_run": 45.0}

# --- Annotations -------------------------------------------------------------------------------------
#
# Defaults by method: GET read-only and idempotent; DELETE destructive and idempotent; PUT idempotent;
# POST and PATCH neither. Below, (destructive, idempotent) for every write that is not a plain create,
# checked by hand: state switches, runs, overwrites, deletions through POST, and idempotent PATCHes.
# Creates keep the POST default. The SDK app section and code writes keep the non-destructive default:
# Make holds such edits as uncommitted changes that sdk-apps_rollback can discard.
WRITE_ANNOTATIONS: dict[str, tuple[bool, bool]] = {
    # runs and replays act in the outside world through the scenario's modules
    "scenarios_run": (True, False),
    "scenarios_replay": (True, False),
    "incomplete-executions_retry": (True, False),
    "incomplete-executions_retry-many": (True, False),
    "ai-agents_run": (True, False),
    "ai-agents_run-stream": (True, False),
    # remote procedures usually fetch options from the app's API, but may call anything
    "rpcs_call": (False, False),
    "rpcs_process-action": (False, False),
    "sdk-rpcs_test": (False, False),
    # switches: repeating them changes nothing more
    "scenarios_activate": (False, True),
    "scenarios_deactivate": (False, True),
    "scenarios_restore": (False, True),
    "hooks_enable": (False, True),
    "hooks_disable": (False, True),
    "hooks_learn-start": (False, True),
    "hooks_learn-stop": (False, True),
    "notifications_mark-as-read": (False, True),
    "organizations_accept-invitation": (False, True),
    "sdk-app-invites_accept": (False, True),
    "sdk-apps_set-opensource": (False, True),
    "sdk-apps_set-closedsource": (False, True),
    "sdk-apps_set-visibility": (False, True),
    "sdk-modules_set-visibility": (False, True),
    "sdk-modules_set-deprecation": (False, True),
    "subscriptions_unpause": (False, True),
    # checks that only read, sent as POST
    "connections_verify": (False, True),
    "connections_check-scopes": (False, True),
    "functions_check": (False, True),
    # copies and requests create something new each time
    "scenarios_clone": (False, False),
    "data-structures_clone": (False, False),
    "sdk-apps_clone": (False, False),
    "sdk-apps_clone-major": (False, False),
    "sdk-modules_clone": (False, False),
    "sdk-apps_commit": (False, False),
    "sdk-apps_request-review": (False, False),
    "templates_publish": (False, False),
    "templates_request-approval": (False, False),
    "folders_move-scenarios": (False, True),
    "scenario-build-variables_add": (False, False),
    "credential-requests_credential-reauthorize": (False, False),
    "users_request-password-reset": (False, False),
    "users_reset-password": (True, False),
    "subscriptions_redeem-discount": (False, False),
    "subscriptions_claim-cancellation-offer": (False, False),
    # overwrite, discard or revoke something
    "sdk-apps_rollback": (True, False),
    "sdk-apps_uninstall": (True, True),
    "sdk-apps_set-base": (False, True),
    "sdk-connections_recreate": (True, False),
    "credential-requests_credential-decline": (True, True),
    "credential-requests_credential-delete": (True, True),
    "subscriptions_pause": (True, True),
    "subscriptions_set-free-plan": (True, True),
    "subscriptions_change": (True, True),
    "organizations_transfer-ownership": (True, True),
    "user-organization-roles_transfer-ownership": (True, True),
    "user-organization-roles_set": (False, True),
    "user-team-roles_set": (False, True),
    "hooks_set-data": (True, True),
    "connections_set-data": (True, True),
    "incomplete-executions_update": (True, True),
    # PUTs that replace a whole resource
    "data-store-records_replace": (True, True),
    "scenario-custom-properties_replace": (True, True),
    "scenario-build-variables_update": (True, True),
    "users_update-email": (True, True),
    "users_update-password": (True, True),
    # PATCHes that set the given fields: repeating them changes nothing more
    "ai-agents_update": (False, True),
    "connections_update": (False, True),
    "custom-property-structure-items_update": (False, True),
    "data-stores_update": (False, True),
    "data-store-records_update": (False, True),
    "data-structures_update": (True, True),
    "devices_update": (False, True),
    "email-preferences_update": (False, True),
    "email-preferences_update-team": (False, True),
    "email-preferences_update-team-native": (False, True),
    "folders_update": (False, True),
    "functions_update": (True, True),
    "hooks_update": (False, True),
    "keys_update": (True, True),
    "managed-organizations_update": (False, True),
    "on-prem-agent_update": (False, True),
    "organization-variables_update": (False, True),
    "organizations_update": (False, True),
    "organizations_update-feature-controls": (False, True),
    "organizations_update-private-spaces": (False, True),
    "organizations_set-tfa-enforcement": (False, True),
    "scenario-custom-properties_update": (False, True),
    "scenarios_update": (True, True),
    "scenarios_set-interface": (True, True),
    "scenarios_update-tool": (False, True),
    "sdk-apps_update": (False, True),
    "sdk-apps_update-base": (False, True),
    "sdk-connections_update": (False, True),
    "sdk-modules_update": (False, True),
    "sdk-rpcs_update": (False, True),
    "sdk-webhooks_update": (False, True),
    "subscriptions_set-default-payment-method": (False, True),
    "team-variables_update": (False, True),
    "teams_update": (False, True),
    "teams_update-llm-configuration": (False, True),
    "templates_update": (True, True),
    "users_update": (False, True),
}
