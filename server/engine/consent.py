"""The user's consent to a destructive call: asked through elicitation where the client can, else a preview and
a confirmation token the agent repeats once the user agrees. Either way the consent is bound to what the call
will do (server/engine/confirmation.py signs it), so a confirmed call cannot do anything else."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from make_mcp.server.engine.call import CallContext, Plan
from make_mcp.server.engine.operations import build_request, field_wires, fill_path, validate_arguments
from make_mcp.server.engine.outcome import Answer, NeedsInput, Payload
from make_mcp.server.engine.ports import Person
from make_mcp.server.errors import InvalidArguments, MakeError
from make_mcp.server.make_api.client import MakeRequest
from make_mcp.tools.catalogue import Operation, Step
from make_mcp.tools.conventions import SECRET_ARGUMENT
from make_mcp.tools.registry import ALL_OPERATIONS

CONFIRM_KEY = "confirm"  # the question of a call asking for consent in rounds
PREVIEW_VALUE_CHARS = 80
PREVIEW_CHARS = 400


async def confirm(call: CallContext, plan: Plan, arguments: Mapping[str, Any], confirmation: Any) -> Payload | None:
    """None when the call may proceed; otherwise the answer that asks for (or refuses) confirmation."""
    operation, confirmations = plan.operation, call.caller.confirmations
    if isinstance(confirmation, str) and confirmation:
        problem = confirmations.check(confirmation, operation.name, effect(plan))
        if problem is None:
            return None
        return Answer.error(f"Not confirmed: {problem}; nothing was changed. Call without confirmation again.")
    person = call.person
    if person is not None and (answered := _answered(call, plan, person)) is not None:
        return answered.result  # the user's answer to the question of this call's first round
    shown = await preview(call, plan, arguments)
    if person is not None:
        return await _elicit(call, plan, shown, person)
    token = confirmations.issue(operation.name, effect(plan))
    return Answer.of(
        {
            "confirmationRequired": True,
            "preview": shown,
            "confirmation": token,
            "next": f"Show the preview to the user. Only if they agree, call {operation.name} again with the "
            "same arguments plus this confirmation (valid 5 minutes).",
        }
    )


@dataclass(frozen=True)
class _Answered:
    result: Answer | None  # None: accepted, the call may proceed


def _answered(call: CallContext, plan: Plan, person: Person) -> _Answered | None:
    """In rounds (the 2026 era), the second round of an elicited call carries the user's answer: what it decides."""
    answer = person.answer(CONFIRM_KEY) if person.in_rounds else None
    if answer is None:
        return None
    if call.caller.confirmations.check(answer.state, plan.operation.name, effect(plan)) is not None:
        return _Answered(Answer.error("Not confirmed: the confirmation expired or does not match; nothing changed."))
    return _Answered(None if answer.accepted else _declined(plan.operation))


async def _elicit(call: CallContext, plan: Plan, shown: str, person: Person) -> Payload | None:
    operation, confirmations = plan.operation, call.caller.confirmations
    message = f"Allow this change in Make? {shown}"
    if person.in_rounds:
        return NeedsInput(CONFIRM_KEY, message, confirmations.issue(operation.name, effect(plan)))
    return None if await person.confirm(message) else _declined(operation)


def effect(plan: Plan) -> dict[str, Any]:
    """What a call will do. A confirmation is bound to it, so the confirmed call may spell its arguments another
    way (an object as JSON text, an ID as a string) but cannot do anything else. A tool of several requests is
    bound to its validated input, which decides every request its run sends."""
    request = plan.request
    if request is None:
        return {"input": plan.validated.model_dump(mode="json", by_alias=True)}
    content = hashlib.sha256(request.content).hexdigest() if request.content is not None else None
    return {
        "method": request.method,
        "path": request.path,
        "query": request.query,
        "body": request.body,
        "content": content,
        "headers": request.headers,
    }


# --- previews --------------------------------------------------------------------------------------


async def preview(call: CallContext, plan: Plan, arguments: Mapping[str, Any]) -> str:
    """What the call will do: the resource by name where a GET of it can tell, and what the call sends."""
    operation = plan.operation
    if plan.request is None:
        planned = await planned_requests(plan)
        if planned is None:
            planned = [
                "may send " + ", ".join(dict.fromkeys(f"{s.method} {s.path}" for s in (operation, *operation.steps)))
            ]
        action = f"{operation.title} ({', '.join(planned)})"
    else:
        action = f"{operation.title} ({operation.method} {plan.request.path})"
    name = await _name_of_target(call, plan)
    if name:
        action = f"{action}: {name}"
    if plan.changes is not None:  # a scenario update: what changes, instead of the whole blueprint
        arguments = {key: value for key, value in arguments.items() if key not in ("blueprint", "scheduling")}
        action = f"{action}; changes: {plan.changes}"
    sent = _sent_arguments(operation, arguments)
    return f"{action}; with {sent}" if sent else action


class _PlanningPort:
    """tools.catalogue.RequestPort that notes each request a run would send, with its path filled in, and sends
    nothing: every answer is empty, so the run goes the way its input decides."""

    def __init__(self, operation: Operation) -> None:
        self._operation = operation
        self.planned: list[str] = []

    async def send(self, step: Step, path_params: Mapping[str, Any] | None = None, **_: Any) -> Any:
        self.planned.append(f"{step.method} {fill_path(self._operation.name, step.path, path_params or {})}")
        return {}

    async def progress(self, message: str) -> None:
        return None

    async def sleep(self, seconds: float) -> None:
        return None

    def time_left(self) -> float | None:
        return None


async def planned_requests(plan: Plan) -> list[str] | None:
    """The requests a tool of several requests will send for this input ("PATCH /connections/5"), in order: its
    run, played against a port that sends nothing. None when the run cannot go on without Make's answers."""
    assert plan.operation.run is not None
    port = _PlanningPort(plan.operation)
    try:
        await plan.operation.run(plan.validated, port)
    except Exception:  # a run that reads what an answer holds: every declared step is shown instead
        return None
    return list(dict.fromkeys(port.planned))


async def _name_of_target(call: CallContext, plan: Plan) -> str | None:
    """The name of the resource the path addresses, read with the GET of its nearest `{id}` prefix."""
    get = _target_request(plan)
    if get is None:
        return None
    try:
        return _resource_name(await call.send(get))
    except MakeError:
        return None


def _target_request(plan: Plan) -> MakeRequest | None:
    """The GET of the declared operation reading the resource the path addresses, with the call's path IDs."""
    template = plan.operation.path.split("/")
    values = {fw.name: getattr(plan.validated, fw.field) for fw in _path_wires(plan.operation)}
    for end in range(len(template), 1, -1):
        getter = _getter_of("/".join(template[:end])) if template[end - 1].startswith("{") else None
        if getter is None:
            continue
        try:
            ids = {fw.field: values[fw.name] for fw in _path_wires(getter)}
            return build_request(getter, validate_arguments(getter, ids))
        except (KeyError, InvalidArguments):
            return None
    return None


def _path_wires(operation: Operation) -> list[Any]:
    return [fw for fw in field_wires(operation.input_model) if fw.wire.location == "path"]


@cache
def _gets_by_path() -> dict[str, tuple[Operation, ...]]:
    """GET operations by path template (their input models are not loaded here)."""
    gets: dict[str, list[Operation]] = {}
    for op in ALL_OPERATIONS:
        # A tool of several requests serves when its own GET is one of its steps (scenarios_get).
        sends_own = op.run is None or any((step.method, step.path) == (op.method, op.path) for step in op.steps)
        if op.method == "GET" and sends_own:
            gets.setdefault(op.path, []).append(op)
    return {path: tuple(ops) for path, ops in gets.items()}


@cache
def _getter_of(path: str) -> Operation | None:
    """The first GET of `path` that needs nothing but its path; only the models of that path's GETs are loaded."""
    for op in _gets_by_path().get(path, ()):
        if all(fw.wire.location == "path" for fw in field_wires(op.input_model) if fw.required):
            return op
    return None


def _sent_arguments(operation: Operation, arguments: Mapping[str, Any]) -> str:
    """The arguments besides the path ids, shortened, so the user sees what will be changed or sent."""
    model = operation.input_model
    location = {
        key: fw.wire.location
        for fw in field_wires(model)
        for key in (fw.field, model.model_fields[fw.field].alias)
        if key
    }
    shown: list[str] = []
    for name, value in arguments.items():
        if location.get(name, "path") == "path":  # path ids are in the preview already; unknown names are not sent
            continue
        text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)
        if SECRET_ARGUMENT.search(name):
            text = "(hidden)"
        elif len(text) > PREVIEW_VALUE_CHARS:
            text = text[: PREVIEW_VALUE_CHARS - 1] + "…"
        shown.append(f"{name}={text}")
    joined = ", ".join(shown)
    return joined if len(joined) <= PREVIEW_CHARS else joined[: PREVIEW_CHARS - 1] + "…"


def _resource_name(body: Any) -> str | None:
    if not isinstance(body, dict):
        return None
    for value in body.values():  # pyright: ignore[reportUnknownVariableType]
        if isinstance(value, dict) and isinstance(value.get("name"), str):  # pyright: ignore[reportUnknownMemberType]
            return f"{value['name']!r}"  # pyright: ignore[reportUnknownArgumentType]
    return None


def _declined(operation: Operation) -> Answer:
    return Answer.error(f"The user did not confirm {operation.name}; nothing was changed.")
