"""The overlay records of the hooks toolset (what an overlay holds: tools/overlays/model.py)."""

from make_mcp.tools.catalogue import TrimmedFields
from make_mcp.tools.overlays.model import OVERWRITES, SETS, SWITCH, Overlay

OVERLAYS: tuple[Overlay, ...] = (
    Overlay(
        "DELETE /hooks/{hookId}/incomings",
        "hook-incomings_delete",
        official=True,
        description="Delete queued webhook payloads by ids, or all=true (with confirmed=true) keeping exceptIds.",
        array_item_types={"ids": "string", "exceptIds": "string"},
    ),
    Overlay(
        "GET /hooks/{hookId}/incomings/{incomingId}",
        "hook-incomings_get",
        official=True,
        description="Get one queued webhook payload.",
    ),
    Overlay(
        "GET /hooks/{hookId}/incomings",
        "hook-incomings_list",
        official=True,
        description="List payloads waiting in a webhook's queue for a scenario to process them.",
        # What came in and how much; the payload is for hook-incomings_get or `cols: ["data"]`.
        trimmed_fields=TrimmedFields(("id", "created", "size"), ("created", "data", "id", "scope", "size")),
    ),
    Overlay(
        "GET /hooks/{hookId}/incomings/stats",
        "hook-incomings_stats",
        official=True,
        description="Get the size and limit of a webhook's queue.",
    ),
    Overlay("GET /hooks/{hookId}/logs/{logId}", "hook-logs_get", description="Get one logged webhook request."),
    Overlay(
        "GET /hooks/{hookId}/logs",
        "hook-logs_list",
        description="List the requests a webhook received recently.",
        field_descriptions={
            "from": "Entries newer than this time, in milliseconds since 1970.",
            "to": "Entries older than this time, in milliseconds since 1970.",
        },
        trimmed_fields=TrimmedFields(
            ("id", "loggedAt", "statusId", "typeId", "replayable"),
            ("appParser", "id", "imtId", "loggedAt", "parser", "replayable", "sizes", "statusId", "typeId", "udids"),
        ),
    ),
    Overlay(
        "POST /hooks",
        "hooks_create",
        sdk_fields={"data": "spread"},
        default_query=(("useDefaults", "requiredOnly"),),
        official=True,
        description="Create a webhook or mailhook in a team; typeName picks the kind (e.g. gateway-webhook).",
    ),
    Overlay(
        "DELETE /hooks/{hookId}",
        "hooks_delete",
        default_query=(("confirmed", "true"),),
        official=True,
        description="Delete a webhook or mailhook.",
    ),
    Overlay(
        "POST /hooks/{hookId}/disable",
        "hooks_disable",
        description="Make a hook refuse incoming data until enabled again.",
        writes=SWITCH,
    ),
    Overlay(
        "POST /hooks/{hookId}/enable",
        "hooks_enable",
        description="Let a hook accept incoming data again.",
        writes=SWITCH,
    ),
    Overlay(
        "GET /hooks/{hookId}",
        "hooks_get",
        official=True,
        description="Get a webhook or mailhook, including its URL, queue size and the scenario using it.",
        core_rank=220,
    ),
    Overlay(
        "POST /hooks/{hookId}/learn-start",
        "hooks_learn-start",
        title="Start learning hook data structure",
        description="Make the hook derive its data structure from the next payload it receives.",
        writes=SWITCH,
    ),
    Overlay(
        "POST /hooks/{hookId}/learn-stop",
        "hooks_learn-stop",
        title="Stop learning hook data structure",
        description="Stop a hook from deriving its data structure from payloads.",
        writes=SWITCH,
    ),
    Overlay(
        "GET /hooks",
        "hooks_list",
        official=True,
        description="List the webhooks and mailhooks of a team.",
        core_rank=210,
        # Which scenario a webhook starts, where it listens, whether it is on and how much waits in its queue.
        trimmed_fields=TrimmedFields(
            ("id", "name", "typeName", "url", "enabled", "scenarioId", "queueCount"),
            (
                "data",
                "editable",
                "enabled",
                "flags",
                "gone",
                "id",
                "name",
                "packageName",
                "queueCount",
                "queueLimit",
                "scenarioId",
                "teamId",
                "theme",
                "type",
                "typeName",
                "udid",
                "url",
            ),
        ),
    ),
    Overlay(
        "GET /hooks/{hookId}/ping",
        "hooks_ping",
        description="Check a hook: its address, whether a scenario uses it and whether it is learning.",
    ),
    Overlay(
        "POST /hooks/{hookId}/set-data",
        "hooks_update",
        official=True,
        argument_names={"body": "data"},
        description="Replace a hook's type-specific settings; `data` holds them (see hooks_get for the current ones).",
        writes=OVERWRITES,
        required_whole_body=True,
    ),
    Overlay(
        "PATCH /hooks/{hookId}",
        # The official hooks_update is the set-data request, so the rename has a name of its own.
        "hooks_rename",
        description="Rename a webhook or mailhook.",
        writes=SETS,
        required_body_fields=("name",),
    ),
)
