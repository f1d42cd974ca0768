"""The overlay records of the ai-agents toolset (what an overlay holds: tools/overlays/model.py)."""

from make_mcp.tools.overlays.model import ACTS_OUTSIDE, SETS, Overlay

OVERLAYS: tuple[Overlay, ...] = (
    Overlay("POST /ai-agents/v1/contexts", "ai-agent-contexts_create", title="Create AI agent context"),
    Overlay("DELETE /ai-agents/v1/contexts/{contextId}", "ai-agent-contexts_delete", title="Delete AI agent context"),
    Overlay(
        "GET /ai-agents/v1/contexts",
        "ai-agent-contexts_list",
        title="List AI agent contexts",
        not_trimmed="the reference does not document its items",
    ),
    Overlay("POST /ai-agents/v1/agents", "ai-agents_create", title="Create AI agent"),
    Overlay("DELETE /ai-agents/v1/agents/{agentId}", "ai-agents_delete", title="Delete AI agent"),
    Overlay("GET /ai-agents/v1/agents/{agentId}", "ai-agents_get", title="Get AI agent"),
    Overlay(
        "GET /ai-agents/v1/agents",
        "ai-agents_list",
        title="List AI agents",
        not_trimmed="the reference does not document its items",
    ),
    Overlay("POST /ai-agents/v1/agents/{agentId}/run", "ai-agents_run", title="Run AI agent", writes=ACTS_OUTSIDE),
    Overlay(
        "POST /ai-agents/v1/agents/{agentId}/run/stream",
        "ai-agents_run-stream",
        title="Run AI agent with SSE streaming",
        writes=ACTS_OUTSIDE,
    ),
    Overlay("PATCH /ai-agents/v1/agents/{agentId}", "ai-agents_update", title="Update AI agent", writes=SETS),
    Overlay("GET /ai-agents/v1/llm-providers/{providerId}", "llm-providers_get"),
    Overlay(
        "GET /ai-agents/v1/llm-providers",
        "llm-providers_list",
        not_trimmed="each of the three fields of its items is what one reads it for",
    ),
    Overlay(
        "GET /ai-agents/v1/llm-providers/{providerId}/models",
        "llm-providers_list-models",
        not_trimmed="the reference does not document its items",
    ),
)
