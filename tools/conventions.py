"""Make's conventions that are not one operation's: read by the generic code in server/.

What is Make-specific about defaulting IDs, hints for missing ones, the toolsets offered by default, what the
agent is told at `initialize`, and which argument names hold secrets lives here, as data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Toolsets offered when MAKE_TOOLSETS is not set (or says "default"): the everyday work on scenarios.
DEFAULT_TOOLSETS: tuple[str, ...] = (
    "scenarios",
    "builder",
    "incomplete-executions",
    "data-stores",
    "data-structures",
    "hooks",
    "connections",
    "teams",
    "organizations",
    "users",
)

# The default listing (MAKE_TOOL_MODE=core) is the tools whose record has a `core_rank` (set in its overlay), in that
# order (most useful first, so a client that keeps only the first N keeps the best), after the caller's scenario
# tools and before the three discovery tools, which reach every other selected tool: tools/registry.py CORE_TOOLS.
# They are the default toolsets' everyday tools; a tool the selection leaves out (MAKE_TOOLSETS, read-only mode,
# the token's scopes) is not listed.
# At most this many tools in the default listing, whatever the account holds: Cursor, the strictest client, keeps 40.
CORE_MAX_TOOLS = 40
# The caller's scenario tools listed first take at most the places left and this many UTF-8 bytes of model-visible
# JSON (name, description, input schema) together: at JSON's usual 3 to 4 bytes a cl100k token, about 1,300
# tokens, so the listing stays within 6,000. tools_search finds the others.
CORE_SCENARIO_TOOLS_BYTES = 4_000

# One line per toolset: what its tools are about.
TOOLSET_DESCRIPTIONS: dict[str, str] = {
    "affiliate": "Make's affiliate programme: registration, commissions, statistics and payouts.",
    "ai-agents": "AI agents of a team, their context files and the LLM providers they use.",
    "analytics": "Usage analytics of an organization.",
    "audit-logs": "Who did what in an organization or team, and when.",
    "builder": "Building scenarios: apps and modules, their fields and options, blueprint checks, audit and diff.",
    "cashier": "Make's products, their prices and VAT number patterns.",
    "connections": "Connections to other services (OAuth and API keys) that scenarios use.",
    "credential-requests": "Requests asking someone to authorize a connection or key on your behalf.",
    "custom-functions": "Custom JavaScript functions usable in a team's scenario mappings.",
    "custom-properties": "Structures of custom properties and their items.",
    "data-stores": "Data stores of a team and the records in them.",
    "data-structures": "Data structures that describe records, webhooks payloads and interfaces.",
    "devices": "Devices registered with Make and their incoming and outgoing messages.",
    "enums": "Reference lists: countries, regions, timezones, locales, languages, module types, token scopes.",
    "general": "Whether the Make API answers (ping).",
    "hooks": "Webhooks and mailhooks that start scenarios, and what they received.",
    "incomplete-executions": "Failed runs kept to be fixed and retried (Make's incomplete executions).",
    "keys": "Keys stored for scenarios, and the kinds of key Make knows.",
    "mms": "Managed organizations of a Make partner (Make Managed Services).",
    "notifications": "Notifications Make sends a user: list, read, mark as read, delete.",
    "on-prem-agents": "On-premise agents connecting Make to systems inside a private network.",
    "organizations": "Organizations, their members, invitations, variables and usage.",
    "remote-procedures": "Calls of an app's remote procedures and actions, as a scenario module makes them.",
    "scenarios": "Scenarios, their folders, blueprints, runs, logs and scheduling.",
    "sdk-apps": "Custom apps built with Make's SDK: modules, connections, RPCs, webhooks and versions.",
    "sso-certificates": "SSO certificates of an organization.",
    "subscriptions": "An organization's plan, subscription and billing.",
    "teams": "Teams, their members, roles, variables and usage.",
    "templates": "Scenario templates: private, public and approved.",
    "users": "The current user, their roles, API tokens and preferences.",
}


@dataclass(frozen=True, slots=True)
class DefaultId:
    """An ID a tool call gets from a setting when the agent left it out."""

    field: str  # the tool's input field, e.g. "teamId"
    setting: str  # the Settings attribute holding its value, e.g. "team"
    variable: str  # the variable a user sets, for messages
    where_to_find: str  # where an agent finds a value when there is no default


# Make's two scoping IDs. Where a tool takes either one (exactly_one_of), the first listed here is filled in, and
# only when the agent gave neither. An optional organizationId next to a teamId is never filled in: Make refuses
# the two together on such lists (folders_list ...).
DEFAULT_IDS: tuple[DefaultId, ...] = (
    DefaultId("teamId", "team", "MAKE_TEAM", "teams_list (with an organizationId) lists the teams"),
    DefaultId("organizationId", "organization", "MAKE_ORGANIZATION", "organizations_list lists the organizations"),
)
# (field, field): the second is left out when the tool has the first and the second is optional.
NOT_DEFAULTED_NEXT_TO = (("organizationId", "teamId"),)

# Missing IDs an agent most often has to look up first: where to find them, and the setting that fills them in.
WHERE_TO_FIND: dict[str, str] = {
    default.field: f"{default.where_to_find}; {default.variable} sets a default" for default in DEFAULT_IDS
}

# Argument names whose values a preview never repeats.
SECRET_ARGUMENT = re.compile(r"password|secret|token|api_?key|credential", re.IGNORECASE)

# What an agent is told at `initialize` (server/protocol/app.py instructions_for puts them together).
INSTRUCTIONS_INTRO = "Tools operate a Make.com account through the Make API v2; names are <resource>_<action>."
# What the agent is told of the tools it does not see in tools/list, per listing mode (MAKE_TOOL_MODE).
INSTRUCTIONS_BY_MODE: dict[str, str] = {
    "core": (
        "tools/list holds the everyday tools; for anything else find a tool with tools_search, read its schema "
        "with tools_describe and run it with tools_call."
    ),
    "discovery": "Find a tool with tools_search, read its schema with tools_describe, run it with tools_call.",
}
INSTRUCTIONS_NO_DEFAULTS = "Most lists need a teamId or organizationId: organizations_list, then teams_list, give them."
INSTRUCTIONS_PAGING = (
    'Lists page with pg.limit/pg.offset and return their most used fields; cols picks others, cols=["*"] all.'
)
INSTRUCTIONS_WHY_FAILED = (
    "Why a scenario failed: executions_list lists its runs, incomplete-executions_list the failed runs "
    "waiting to be fixed and retried."
)

# Internal requests the server makes itself, each through a declared operation (tools/registry.py).
SCOPES_OPERATION = "users_me-authorization"  # the token's scopes: authorization.scope
CURRENT_USER_OPERATION = "users_me"  # doctor: whose token it is
ORGANIZATIONS_OPERATION = "organizations_list"  # the rate limit: the one organization
ORGANIZATION_OPERATION = "organizations_get"  # the rate limit: organization.license.apiLimit
