"""The overlay records of the incomplete-executions toolset (what an overlay holds: tools/overlays/model.py)."""

from make_mcp.tools.catalogue import TrimmedFields
from make_mcp.tools.overlays.model import ACTS_OUTSIDE, OVERWRITES, Overlay

OVERLAYS: tuple[Overlay, ...] = (
    Overlay(
        "GET /dlqs/{dlqId}/logs/{executionDlqId}",
        "executions_get-for-incomp-exec",
        argument_names={"dlqId": "incompleteExecutionId", "executionDlqId": "executionId"},
        official=True,
        description="Get one retry attempt of an incomplete execution.",
    ),
    Overlay(
        "GET /dlqs/{dlqId}/logs",
        "executions_list-for-incomp-exec",
        argument_names={"dlqId": "incompleteExecutionId"},
        sdk_fields={"limit": "query:pg[limit]"},
        official=True,
        description="List the retry attempts of an incomplete execution.",
        trimmed_fields=TrimmedFields(
            ("id", "status", "timestamp", "duration", "operations", "type"),
            (
                "authorId",
                "centicredits",
                "duration",
                "id",
                "imtId",
                "instant",
                "operations",
                "organizationId",
                "status",
                "teamId",
                "timestamp",
                "transfer",
                "type",
            ),
        ),
    ),
    Overlay(
        "DELETE /dlqs",
        "incomplete-executions_delete",
        description=(
            "Delete incomplete executions of a scenario: pass ids, or all=true with optional exceptIds and "
            "confirmed=true."
        ),
        array_item_types={"ids": "string", "exceptIds": "string"},
    ),
    Overlay(
        "DELETE /dlqs/{dlqId}",
        "incomplete-executions_delete-one",
        title="Delete incomplete execution (deprecated)",
        description="Delete one incomplete execution (deprecated; incomplete-executions_delete takes several).",
    ),
    Overlay(
        "GET /dlqs/{dlqId}",
        "incomplete-executions_get",
        argument_names={"dlqId": "incompleteExecutionId"},
        official=True,
        description=(
            "Get one incomplete execution: its scenario, execution, retry attempts and whether it is resolved."
        ),
        core_rank=70,
    ),
    Overlay(
        "GET /dlqs/{dlqId}/blueprint",
        "incomplete-executions_get-blueprint",
        description="Get the blueprint stored with an incomplete execution.",
    ),
    Overlay(
        "GET /dlqs/{dlqId}/bundle",
        "incomplete-executions_get-bundle",
        description="Get the data bundle the failing module received.",
    ),
    Overlay(
        "GET /dlqs",
        "incomplete-executions_list",
        official=True,
        description="List the incomplete executions (stored failed runs awaiting a fix) of a scenario.",
        core_rank=60,
        # Why a run stopped and whether it is still to resolve.
        trimmed_fields=TrimmedFields(
            ("id", "reason", "created", "attempts", "resolved"),
            ("attempts", "created", "id", "reason", "resolved", "retry", "size"),
        ),
    ),
    Overlay(
        "POST /dlqs/{dlqId}/retry",
        "incomplete-executions_retry",
        description="Run an incomplete execution again from its stored state.",
        writes=ACTS_OUTSIDE,
        core_rank=80,
    ),
    Overlay(
        "POST /dlqs/retry",
        "incomplete-executions_retry-many",
        description="Retry incomplete executions of a scenario: pass ids, or all=true with optional exceptIds.",
        writes=ACTS_OUTSIDE,
        array_item_types={"ids": "string", "exceptIds": "string"},
    ),
    Overlay(
        "PATCH /dlqs/{dlqId}",
        "incomplete-executions_update",
        description=(
            "Change the stored blueprint (as an object) or failing module of an incomplete execution before "
            "retrying it."
        ),
        writes=OVERWRITES,
        json_string_fields=("blueprint",),
    ),
)
