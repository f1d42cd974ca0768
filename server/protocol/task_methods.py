"""Tasks on the wire, in both protocol eras.

2025-11-25 (experimental tasks): the client puts `task` in a tools/call's params; the answer is `{"task": ...}`;
tasks/get tells the task, tasks/result waits for and gives the tool's result, tasks/cancel cancels. That answer
is no CallToolResult, which the SDK's per-version check of tools/call results would refuse, so a middleware (the
SDK's public seam before that check) answers task-augmented calls of that era.

2026-07-28 (the io.modelcontextprotocol/tasks extension): the client lists the extension in its capabilities;
the answer is the task itself with `resultType: "task"`; tasks/get gives it with its result once ended;
tasks/cancel acknowledges; tasks/update is refused (these tasks never ask for input).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, Literal

import mcp_types as types
from mcp.server.context import CallNext, HandlerResult, ServerRequestContext
from mcp.shared.exceptions import MCPError
from mcp_types.version import MODERN_PROTOCOL_VERSIONS
from pydantic import BaseModel

from make_mcp.server.engine.call import Caller
from make_mcp.server.protocol.task_store import TaskRecord, iso
from make_mcp.server.protocol.tasks import POLL_INTERVAL_SECONDS, TaskEnded, TaskManager, TaskNotFound

if TYPE_CHECKING:
    from make_mcp.server.protocol.runner import ToolRunner

TASKS_EXTENSION = "io.modelcontextprotocol/tasks"
RELATED_TASK = "io.modelcontextprotocol/related-task"
INVALID_PARAMS = -32602

# The runner and caller a request acts with (the transport's choice, per credential over HTTP).
ActingFor = Callable[[ServerRequestContext[Any]], Awaitable[tuple["ToolRunner", Caller]]]


class TaskCreated(types.Result):
    """A 2026-era tools/call answered with a task."""

    result_type: Literal["task"] = "task"
    task_id: str
    status: str
    status_message: str | None = None
    created_at: str
    last_updated_at: str
    ttl_ms: int | None
    poll_interval_ms: int | None = None


class UpdateTaskParams(types.RequestParams):
    task_id: str
    input_responses: dict[str, Any] | None = None


def modern(ctx: ServerRequestContext[Any]) -> bool:
    return ctx.protocol_version in MODERN_PROTOCOL_VERSIONS


def wants_task_2026(ctx: ServerRequestContext[Any]) -> bool:
    """Whether a 2026-era request's client declared the tasks extension."""
    capabilities = ctx.session.client_capabilities
    return modern(ctx) and capabilities is not None and TASKS_EXTENSION in (capabilities.extensions or {})


def task_fields(record: TaskRecord, *, era_2026: bool) -> dict[str, Any]:
    """The Task object of either era (their names for the lifetime and the poll interval differ)."""
    status = "completed" if era_2026 and record.status == "failed" else record.status  # a tool error is a result
    fields: dict[str, Any] = {
        "taskId": record.task_id,
        "status": status,
        "statusMessage": record.message,
        "createdAt": iso(record.created),
        "lastUpdatedAt": iso(record.updated),
        ("ttlMs" if era_2026 else "ttl"): int(record.ttl_seconds * 1000),
        ("pollIntervalMs" if era_2026 else "pollInterval"): int(POLL_INTERVAL_SECONDS * 1000),
    }
    return {key: value for key, value in fields.items() if value is not None}


def created_2026(record: TaskRecord) -> TaskCreated:
    return TaskCreated.model_validate(task_fields(record, era_2026=True))


class TaskMethods:
    """The tasks/* handlers and the 2025-11-25 middleware over one TaskManager."""

    def __init__(
        self,
        manager: TaskManager,
        acting_for: ActingFor,
        start: Callable[[ServerRequestContext[Any], types.CallToolRequestParams, int | None], Awaitable[Any]],
    ) -> None:
        self.manager = manager
        self._acting_for = acting_for
        self._start = start  # starts the call as a task (a TaskRecord), or None when that tool runs plainly

    async def middleware(self, ctx: ServerRequestContext[Any, Any], call_next: CallNext) -> HandlerResult:
        """A 2025-11-25 tools/call with `task`: answered with the task (see the module's docstring)."""
        raw = ctx.params
        if ctx.method != "tools/call" or modern(ctx) or not raw or raw.get("task") is None or not self.manager.offered:
            return await call_next(ctx)
        params = types.CallToolRequestParams.model_validate(raw, by_name=False)
        ttl = params.task.ttl if params.task is not None else None
        record = await self._start(ctx, params, ttl)
        if not isinstance(record, TaskRecord):
            return await call_next(ctx)
        return {"task": task_fields(record, era_2026=False)}

    async def get(self, ctx: ServerRequestContext[Any], params: types.GetTaskRequestParams) -> dict[str, Any]:
        runner, caller = await self._acting_for(ctx)
        record = await self._found(self.manager.get(params.task_id, runner, caller))
        fields = task_fields(record, era_2026=modern(ctx))
        if modern(ctx) and record.ended and record.result is not None:
            fields["result"] = record.result
        return fields

    async def result(self, ctx: ServerRequestContext[Any], params: types.GetTaskPayloadRequestParams) -> dict[str, Any]:
        runner, caller = await self._acting_for(ctx)
        record = await self._found(self.manager.wait(params.task_id, runner, caller))
        if record.result is None:  # cancelled
            raise MCPError(code=INVALID_PARAMS, message=f"The task was {record.status}: {record.message}")
        meta = {**(record.result.get("_meta") or {}), RELATED_TASK: {"taskId": record.task_id}}
        return {**record.result, "_meta": meta}

    async def cancel(self, ctx: ServerRequestContext[Any], params: types.CancelTaskRequestParams) -> dict[str, Any]:
        runner, caller = await self._acting_for(ctx)
        try:
            record = await self._found(self.manager.cancel(params.task_id, runner, caller))
        except TaskEnded as ended:
            raise MCPError(code=INVALID_PARAMS, message=str(ended)) from None
        return {} if modern(ctx) else task_fields(record, era_2026=False)

    async def update(self, ctx: ServerRequestContext[Any], params: UpdateTaskParams) -> dict[str, Any]:
        runner, caller = await self._acting_for(ctx)
        await self._found(self.manager.get(params.task_id, runner, caller))
        raise MCPError(code=INVALID_PARAMS, message="This task never asks for input; there is nothing to update.")

    @staticmethod
    async def _found(pending: Awaitable[TaskRecord]) -> TaskRecord:
        try:
            return await pending
        except TaskNotFound:
            raise MCPError(code=INVALID_PARAMS, message="Task not found.") from None

    def handlers(self) -> list[tuple[str, type[BaseModel], Callable[..., Awaitable[Any]]]]:
        return [
            ("tasks/get", types.GetTaskRequestParams, self.get),
            ("tasks/result", types.GetTaskPayloadRequestParams, self.result),
            ("tasks/cancel", types.CancelTaskRequestParams, self.cancel),
            ("tasks/update", UpdateTaskParams, self.update),
        ]


def legacy_capability() -> types.ServerTasksCapability:
    return types.ServerTasksCapability(
        cancel=types.TasksCancelCapability(),
        requests=types.ServerTasksRequestsCapability(
            tools=types.TasksToolsCapability(call=types.TasksCallCapability())
        ),
    )
