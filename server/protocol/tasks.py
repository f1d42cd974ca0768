"""Long calls as tasks (the tools whose record says runs_as_task: scenario runs, the builder's checks over a
blueprint's modules, blueprint writes): the call answers at once with a task, a worker runs it in the background
(following Make's execution for a run), the client polls the task and reads its result, and cancelling stops the
worker (and a run's execution in Make).

The worker runs the tool call as any call runs (validation, scopes, the run), telling its progress to the task's
status message; a run still going when the call's time is spent is then followed until it ends (up to Make's 40
minutes). The record lives in the shared state: with Redis, a restarted server that is asked about a task it finds
still working follows its execution again, with the credential of the caller asking (the one that made it).
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import TYPE_CHECKING, Any

import anyio
import anyio.abc

from make_mcp.server.engine.call import CallContext, Caller, CallProgress
from make_mcp.server.engine.internal import declared, internal_request
from make_mcp.server.engine.outcome import Answer, NeedsInput
from make_mcp.server.engine.pipeline import CallPort
from make_mcp.server.errors import MakeMcpError
from make_mcp.server.make_api.client import CallBudget, MakeRequest
from make_mcp.server.protocol.results import tool_result
from make_mcp.server.protocol.task_store import TaskRecord, TaskStore, new_task_id, owner_of
from make_mcp.server.scenario_tools.running import (
    EXECUTION_STATUS,
    RUN,
    RUN_TOOL,
    RUNNING,
    ScenarioRun,
    follow,
    parse_status,
)
from make_mcp.server.scenario_tools.schema import OutputShape
from make_mcp.server.support.sleep import Sleep
from make_mcp.server.support.state import Sealer, SharedState

if TYPE_CHECKING:
    from make_mcp.server.protocol.runner import ToolRunner

log = logging.getLogger("make_mcp.tasks")

RUN_PATH = re.compile(r"^/scenarios/(\d+)/run$")
STOP_TOOL = "executions_stop"  # cancelling a task stops its run
DEFAULT_TTL_SECONDS = 3600.0  # Make ends a run after 40 minutes; its result is kept a while after
MIN_TTL_SECONDS = 60.0
MAX_TTL_SECONDS = 24 * 3600.0
POLL_INTERVAL_SECONDS = 5.0
# A working task whose record no worker has touched for this long was left by a server that stopped (a worker
# writes at least every 10 s: progress heartbeats while Make answers, status checks while following).
STALE_SECONDS = 45.0


OnChange = Callable[[TaskRecord], Awaitable[None]]


class TaskNotFound(Exception):
    """No task of this ID for this caller: unknown, expired, or another caller's (all read the same)."""


def ttl_seconds(requested_ms: int | None) -> float:
    if requested_ms is None:
        return DEFAULT_TTL_SECONDS
    return min(max(requested_ms / 1000, MIN_TTL_SECONDS), MAX_TTL_SECONDS)


class TaskManager:
    """Starts, follows, answers about and cancels the tasks of one server; workers run in the task group attached
    by the transport (tasks are offered only once one is)."""

    def __init__(
        self,
        state: SharedState,
        *,
        sealer: Sealer | None = None,  # MAKE_STATE_KEY's, where the state is Redis
        clock: Callable[[], float] = time.time,
        sleep: Sleep = anyio.sleep,
    ) -> None:
        self.store = TaskStore(state, sealer)
        self._clock = clock
        self._sleep = sleep
        self._group: anyio.abc.TaskGroup | None = None
        self._workers: dict[str, anyio.CancelScope] = {}
        self._ended: dict[str, anyio.Event] = {}
        self._on_change: dict[str, OnChange] = {}

    def attach(self, group: anyio.abc.TaskGroup) -> None:
        self._group = group

    @property
    def offered(self) -> bool:
        return self._group is not None

    async def start(
        self,
        runner: ToolRunner,
        caller: Caller,
        name: str,
        arguments: Mapping[str, Any] | None,
        ttl_ms: int | None,
        on_change: OnChange | None = None,  # told when Make names the run's execution and when the task ends
    ) -> TaskRecord:
        """Records a working task for this call and starts its worker; returns at once."""
        now = self._clock()
        record = TaskRecord(
            new_task_id(), owner_of(caller.authorization), name, now, now, ttl_seconds(ttl_ms), message="started"
        )
        await self.store.save(record, now)
        if on_change is not None:
            self._on_change[record.task_id] = on_change
        self._spawn(record, lambda: self._run_call(record, runner, caller, dict(arguments or {})))
        return record

    async def get(self, task_id: str, runner: ToolRunner, caller: Caller) -> TaskRecord:
        """The caller's task; one left working by a server that stopped is followed again from here."""
        record = await self._load(task_id, caller)
        left = not record.ended and task_id not in self._workers and self._clock() - record.updated > STALE_SECONDS
        if left and self.offered:
            self._spawn(record, lambda: self._resume(record, runner, caller))
        return record

    async def wait(self, task_id: str, runner: ToolRunner, caller: Caller) -> TaskRecord:
        """The caller's task once it has ended (tasks/result waits for it)."""
        record = await self.get(task_id, runner, caller)
        while not record.ended:
            ended = self._ended.get(task_id)
            if ended is not None:
                await ended.wait()
            else:  # worked on by another instance (or left): look again now and then
                await self._sleep(POLL_INTERVAL_SECONDS)
            record = await self.get(task_id, runner, caller)
        return record

    async def cancel(self, task_id: str, runner: ToolRunner, caller: Caller) -> TaskRecord:
        """Stops the task's worker and its Make execution; an ended task is refused."""
        record = await self._load(task_id, caller)
        if record.ended:
            raise TaskEnded(f"The task has already ended ({record.status}); there is nothing to cancel.")
        worker = self._workers.get(task_id)
        if worker is not None:
            worker.cancel()
        record.status, record.message = "cancelled", await self._stop_execution(record, runner, caller)
        await self._save(record)
        self._mark_ended(task_id)
        await self._changed(record)
        return record

    # --- the worker ----------------------------------------------------------------------------------

    def _spawn(self, record: TaskRecord, work: Callable[[], Awaitable[None]]) -> None:
        assert self._group is not None
        scope = anyio.CancelScope()
        self._workers[record.task_id] = scope
        self._ended.setdefault(record.task_id, anyio.Event())

        async def worker() -> None:
            with scope:
                try:
                    await work()
                except Exception:  # a bug of ours: the task fails, saying so without internals
                    log.exception("task of %s crashed", record.tool)
                    await self._end(record, Answer.error(f"make-mcp failed internally while running {record.tool}."))
                finally:
                    self._workers.pop(record.task_id, None)

        self._group.start_soon(worker)

    async def _run_call(self, record: TaskRecord, runner: ToolRunner, caller: Caller, arguments: dict[str, Any]):
        call = self._context(record, runner, caller)
        call.observe = lambda request, body: self._observe(record, request, body)
        answer = (await runner.run(call, record.tool, arguments)).payload
        if isinstance(answer, NeedsInput):  # never without a request to ask through
            answer = Answer.error(f"{record.tool} needs input the task cannot ask for; call it without a task.")
        structured = answer.structured or {}
        if not answer.is_error and record.execution_id and parse_status(structured.get("status")) in (None, RUNNING):
            answer = await self._follow(record, runner, caller)
        await self._end(record, answer)

    async def _resume(self, record: TaskRecord, runner: ToolRunner, caller: Caller) -> None:
        if record.execution_id is None or record.scenario_id is None:
            message = (
                f"make-mcp stopped before Make named the run's execution: executions_list with "
                f"scenarioId={record.scenario_id} shows the scenario's runs."
            )
            await self._end(record, Answer.error(message))
            return
        await self._end(record, await self._follow(record, runner, caller))

    async def _follow(self, record: TaskRecord, runner: ToolRunner, caller: Caller) -> Answer:
        assert record.scenario_id is not None and record.execution_id is not None
        operation = runner.catalogue.by_name.get(record.tool)
        if operation is None and record.tool == RUN_TOOL:  # asked for again where the toolset is not offered
            operation = declared(RUN_TOOL)
        if operation is None:  # a scenario tool no longer offered to this caller
            return Answer.error(f"{record.tool} is no longer offered; executions_get-detail gives the run's outcome.")
        shape = operation.run.shape if isinstance(operation.run, ScenarioRun) else None
        call = self._context(record, runner, caller)
        call.budget = CallBudget(None)  # a task follows the run until it ends
        port = CallPort(call, operation, also=(EXECUTION_STATUS,))
        try:
            body = await follow(record.tool, record.scenario_id, record.execution_id, port, shape or OutputShape(None))
        except MakeMcpError as error:
            return Answer.error(error.with_what_was_done())
        return Answer.of(body)

    def _context(self, record: TaskRecord, runner: ToolRunner, caller: Caller) -> CallContext:
        call = runner.context(caller)
        # Each report becomes the task's status message (the client reads it with tasks/get); the heartbeats
        # also tell other instances the worker is alive.
        call.progress = CallProgress(lambda message: self.note(record, message), self._sleep, heartbeat_wanted=True)
        return call

    async def _observe(self, record: TaskRecord, request: MakeRequest, body: Any) -> None:
        """A run's answer names the execution it started: kept, so cancel can stop it and a restart follow it."""
        found = RUN_PATH.match(request.path)
        execution = body.get("executionId") if isinstance(body, Mapping) else None
        if request.method == "POST" and found and execution not in (None, ""):
            record.scenario_id, record.execution_id = int(found.group(1)), str(execution)
            record.message = f"Make is running execution {execution}"
            await self._save(record)
            await self._changed(record)

    async def note(self, record: TaskRecord, message: str) -> None:
        record.message = message
        await self._save(record)

    async def _end(self, record: TaskRecord, answer: Answer) -> None:
        if record.ended:
            return
        record.status = "failed" if answer.is_error else "completed"
        record.result = tool_result(answer).model_dump(by_alias=True, mode="json", exclude_none=True)
        record.message = "the tool answered with an error" if answer.is_error else "done"
        await self._save(record)
        self._mark_ended(record.task_id)
        await self._changed(record)

    async def _changed(self, record: TaskRecord) -> None:
        on_change = self._on_change.get(record.task_id)
        if record.ended:
            self._on_change.pop(record.task_id, None)
        if on_change is not None:
            await on_change(record)

    async def _save(self, record: TaskRecord) -> None:
        """Saves the record, unless another instance has ended the task meanwhile (then this worker stops)."""
        stored = await self.store.load(record.task_id, record.owner)
        if stored is not None and stored.ended and not record.ended:
            record.status, record.message, record.result = stored.status, stored.message, stored.result
            worker = self._workers.get(record.task_id)
            if worker is not None:
                worker.cancel()
            return
        record.updated = self._clock()
        await self.store.save(record, record.updated)

    def _mark_ended(self, task_id: str) -> None:
        ended = self._ended.pop(task_id, None)
        if ended is not None:
            ended.set()

    async def _load(self, task_id: str, caller: Caller) -> TaskRecord:
        record = await self.store.load(task_id, owner_of(caller.authorization))
        if record is None:
            raise TaskNotFound(task_id)
        return record

    async def _stop_execution(self, record: TaskRecord, runner: ToolRunner, caller: Caller) -> str:
        operation = runner.catalogue.by_name.get(record.tool)
        if operation is not None and operation.path != RUN.path:  # no run: stopping the worker stops the call
            if operation.read_only:
                return f"cancelled; {record.tool} stopped"
            return f"cancelled; {record.tool} stopped, but a write it had already sent may have been made"
        if record.execution_id is None or record.scenario_id is None:
            return "cancelled before Make named the run's execution; executions_list shows whether it started"
        request = internal_request(STOP_TOOL, scenarioId=record.scenario_id, executionId=record.execution_id)
        try:
            await runner.context(caller).send(request)
        except MakeMcpError as error:
            return f"cancelled; stopping execution {record.execution_id} failed: {error.message()}"
        return f"cancelled; Make stopped execution {record.execution_id}"


class TaskEnded(Exception):
    """A cancel of a task that has already ended."""
