"""The overlay records of the on-prem-agents toolset (what an overlay holds: tools/overlays/model.py)."""

from make_mcp.tools.catalogue import TrimmedFields
from make_mcp.tools.overlays.model import SETS, Overlay

OVERLAYS: tuple[Overlay, ...] = (
    # the SDK calls the undocumented POST /agent/register; this is the documented operation
    # The official on-prem-agent_create registers an agent without an ID (POST /agent/register, undocumented).
    Overlay("POST /agents/{agentId}", "on-prem-agent_create-with-id"),
    Overlay("DELETE /agents/{agentId}", "on-prem-agent_delete", official=True),
    Overlay("GET /agents/{agentId}", "on-prem-agent_get", official=True),
    Overlay(
        "GET /agents",
        "on-prem-agent_list",
        official=True,
        # The agent's state; never its client secret unless asked (Make's items carry no lastConnectionDate).
        trimmed_fields=TrimmedFields(
            ("id", "name", "status", "connected", "version"),
            (
                "alerted",
                "clientSecret",
                "connected",
                "createdDate",
                "id",
                "lastConnectionDate",
                "name",
                "status",
                "systemConnectionsCount",
                "tenantId",
                "version",
            ),
        ),
    ),
    Overlay(
        "PATCH /agents/{agentId}", "on-prem-agent_update", official=True, writes=SETS, required_body_fields=("name",)
    ),
    # tools/spec/official-undocumented-openapi.json: the reference lacks them, the official tool set calls them.
    # Their tools say so in `_meta` ("documented": false); each name and argument is the official tool's.
    Overlay(
        "POST /connected-systems",
        "connected-system_create",
        official=True,
        title="Create connected system",
        description="Register a system reached through an on-premise agent: its name, agent and app.",
    ),
    Overlay(
        "DELETE /connected-systems/{connectedSystemId}",
        "connected-system_delete",
        official=True,
        title="Delete connected system",
    ),
    Overlay(
        "GET /connected-systems/{connectedSystemId}",
        "connected-system_get",
        official=True,
        title="Get connected system",
    ),
    Overlay(
        "GET /connected-systems",
        "connected-system_list",
        official=True,
        title="List connected systems",
        description="List the systems an organization reaches through its on-premise agents (optionally one agent's).",
        not_trimmed="the reference does not document it (Make's SDK calls it), nor its items",
    ),
    Overlay(
        "GET /enums/connected-system-apps",
        "connected-system_list-apps",
        official=True,
        title="List connected system apps",
        description="List the apps a connected system can be set up for.",
        not_trimmed="the reference does not document it (Make's SDK calls it), nor its items",
    ),
    Overlay(
        "PATCH /connected-systems/{connectedSystemId}",
        "connected-system_update",
        official=True,
        title="Update connected system",
        writes=SETS,
    ),
    Overlay(
        "POST /agent/register",
        "on-prem-agent_create",
        official=True,
        title="Register on-premise agent",
        description="Register a new on-premise agent for an organization; the answer holds what the agent needs.",
    ),
    Overlay(
        "GET /agents/{agentId}/apps/{appName}/config",
        "on-prem-agent_get-app-config",
        official=True,
        title="Get on-premise agent app config",
        description="Get how an on-premise agent is set up for one app.",
    ),
)
