"""One tool call, as named stages over a per-call context.

    resolve   the tool's name to its Operation (tools_call of the core and discovery modes included)
    defaults  teamId / organizationId from the settings where the agent left them out
    validate  the arguments against the tool's input model: nothing is sent when they are wrong
    scope     the scopes the tool needs against the token's: nothing is sent when one is missing
    build     the request, or for a tool of several requests its run
    check     a scenario write's blueprint, by the builder: refused on errors, an update's changes for confirm
    confirm   the user's consent to a destructive call (server/engine/consent.py)
    send      the request(s), with the call's credential, budget and progress
    shape     Make's answer as the tool's result

Every request of a call, previews included, shares one CallBudget, so MAKE_CALL_DEADLINE bounds the whole call.

A builder tool runs in server/builder/ through the call's Builder port (its run, and a scenario write's check),
loaded on first use. The answer is a plain value (engine/outcome.py); the protocol side makes it its result.
"""

from __future__ import annotations

import difflib
import functools
import logging
import time
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from make_mcp.server.engine import consent
from make_mcp.server.engine.call import CallContext, Plan
from make_mcp.server.engine.confirmation import CONFIRMATION_FIELD
from make_mcp.server.engine.credential_links import offer_links
from make_mcp.server.engine.discovery import (
    CALL_TOOL,
    DESCRIBE_TOOL,
    DISCOVERY_TOOLS,
    SEARCH_TOOL,
    CallInput,
    DescribeInput,
    SearchInput,
    describe_result,
    search_result,
)
from make_mcp.server.engine.operations import (
    build_request,
    check_section_texts,
    dumps,
    shape_result_and_text,
    step_request,
    validate_arguments,
    validate_input,
    without_left_out,
)
from make_mcp.server.engine.outcome import Answer, Outcome, Payload, inner_arguments, inner_name, outcome_kind
from make_mcp.server.engine.ports import Builder, WriteChecked
from make_mcp.server.engine.shaping import COLS, trimmed_fields, with_result_fields
from make_mcp.server.errors import InvalidArguments, MakeMcpError, MissingScope, ToolNotAvailable
from make_mcp.server.support.config import Settings
from make_mcp.tools.builder import SKIP_VALIDATION, WRITE_CHECK_STEPS
from make_mcp.tools.catalogue import MakeInput, Operation, Step
from make_mcp.tools.conventions import DEFAULT_IDS, NOT_DEFAULTED_NEXT_TO

log = logging.getLogger("make_mcp.app")


async def call_tool(call: CallContext, name: str, arguments: Mapping[str, Any] | None) -> Outcome:
    """Runs one tool call; every failure is an error answer, never an exception. The outcome says once what
    happened, for the answer and for whatever observes calls."""
    started = time.perf_counter()
    failure: Exception | None = None
    try:
        result = await _stages(call, name, dict(arguments or {}))
    except MakeMcpError as error:
        log.debug("tool %s failed: %s", name, type(error).__name__)
        failure, result = error, Answer.error(error.with_what_was_done())
    except Exception as error:  # a bug of ours: say so without leaking internals
        log.exception("tool %s crashed", name)
        failure = error
        result = Answer.error(f"make-mcp failed internally while running {name} ({type(error).__name__}).")
    kind = outcome_kind(result, failure)
    seconds = time.perf_counter() - started
    ran_with = inner_arguments(name, arguments)
    return Outcome(name, inner_name(name, arguments), kind, result, failure, call.operation, seconds, ran_with)


async def _stages(call: CallContext, name: str, arguments: dict[str, Any]) -> Payload:
    resolved = resolve(call, name, arguments)
    if isinstance(resolved, Answer):  # tools_search, tools_describe: answered from the listing
        return resolved
    operation, arguments = resolved
    call.operation = operation
    arguments = without_left_out(operation.input_model, arguments)  # null means left out, before defaults
    confirmation = arguments.pop(CONFIRMATION_FIELD, None) if operation.destructive else None
    skip_check = arguments.pop(SKIP_VALIDATION, None) is True if operation.checks_blueprint else False
    # `cols` of a list Make gives no cols[]: never sent; the shape stage keeps those fields of each item.
    kept = trimmed_fields(operation, arguments.pop(COLS, None)) if operation.trimmed_fields is not None else None
    validated = validate_arguments(
        operation, with_result_fields(operation, with_defaults(operation, arguments, call.settings))
    )
    check_scopes(call, operation)
    plan = build(operation, validated)
    checked = None if skip_check or not operation.checks_blueprint else await check(call, plan)
    if checked is not None and checked.changes is not None:
        plan = replace(plan, changes=checked.changes)
    if operation.destructive and call.settings.confirm_destructive and harms(operation, validated):
        unconfirmed = await consent.confirm(call, plan, arguments, confirmation)
        if unconfirmed is not None:
            return unconfirmed
    body = await send(call, plan)
    return with_warnings(shape(call, plan, body, kept), checked)


def harms(operation: Operation, validated: MakeInput) -> bool:
    """Whether a destructive tool's call does what makes it so: every call, unless the tool names the fields
    that do (`destructive_fields`) and this call sends none of them."""
    fields = operation.destructive_fields
    return not fields or any(getattr(validated, field, None) is not None for field in fields)


# --- resolve ---------------------------------------------------------------------------------------


def resolve(call: CallContext, name: str, arguments: dict[str, Any]) -> tuple[Operation, dict[str, Any]] | Answer:
    """The operation a call runs and its arguments; the discovery tools' own questions are answered here.

    They exist in every mode but full, and reach every tool of the caller's catalogue, listed or not.
    """
    if call.settings.tool_mode != "full" and name in DISCOVERY_TOOLS:
        if name == SEARCH_TOOL:
            search = validate_input(SearchInput, name, arguments)
            found = call.index.search(search.query, search.toolset, search.limit)
            return Answer.of(search_result(found, lambda hit: _input_schema_of(call, hit)))
        if name == DESCRIBE_TOOL:
            described = validate_input(DescribeInput, name, arguments)
            operation = operation_named(call, described.name)
            check_scopes(call, operation)  # a tool the token may not call is not described either
            return Answer.of(describe_result(dict(call.definition(operation))))
        assert name == CALL_TOOL
        inner = validate_input(CallInput, name, arguments)
        if inner.name in DISCOVERY_TOOLS:
            raise ToolNotAvailable("tools_call runs Make tools, not the discovery tools themselves.")
        name, arguments = inner.name, dict(inner.arguments)
    return operation_named(call, name), arguments


def _input_schema_of(call: CallContext, name: str) -> dict[str, Any]:
    return call.definition(operation_named(call, name))["inputSchema"]


def operation_named(call: CallContext, name: str) -> Operation:
    """The tool `name` of this caller's catalogue; a tool hidden only for lack of a scope too (the scope stage
    refuses it, after validation); ToolNotAvailable for any other."""
    catalogue = call.catalogue
    operation = catalogue.by_name.get(name) or catalogue.lacking_scope.get(name)
    if operation is not None:
        return operation
    reason = catalogue.hidden.get(name)
    if reason is not None:
        raise ToolNotAvailable(f"The tool {name} is not available here because {reason}.")
    close = difflib.get_close_matches(name, list(catalogue.by_name), n=3, cutoff=0.75)
    suggestion = f" Did you mean {' or '.join(close)}?" if close else ""
    where = "See tools/list." if call.settings.tool_mode == "full" else "tools_search finds tools by words."
    raise ToolNotAvailable(f"There is no tool named {name!r}.{suggestion} {where}")


# --- defaults --------------------------------------------------------------------------------------


def with_defaults(operation: Operation, arguments: Mapping[str, Any], settings: Settings) -> dict[str, Any]:
    """The arguments with the IDs of tools/conventions.py DEFAULT_IDS filled in from their settings."""
    filled = dict(arguments)
    if operation.exactly_one_of:
        if not any(filled.get(name) is not None for name in operation.exactly_one_of):
            defaults = {default.field: getattr(settings, default.setting) for default in DEFAULT_IDS}
            name = next((n for n in defaults if n in operation.exactly_one_of and defaults[n] is not None), None)
            if name is not None:
                filled[name] = defaults[name]
        return filled
    for name, setting in _defaulted(operation.input_model):
        value = getattr(settings, setting)
        if value is not None and name not in filled:
            filled[name] = value
    return filled


@functools.cache
def _defaulted(model: type[MakeInput]) -> tuple[tuple[str, str], ...]:
    """(field, setting) of each DEFAULT_IDS field `model` has and takes from the settings: not one that
    NOT_DEFAULTED_NEXT_TO leaves out next to another of its fields."""
    fields = model.model_fields
    found: list[tuple[str, str]] = []
    for default in DEFAULT_IDS:
        name = default.field
        if name not in fields:
            continue
        next_to = (other for left, other in NOT_DEFAULTED_NEXT_TO if left == name)
        if any(other in fields and not fields[name].is_required() for other in next_to):
            continue
        found.append((name, default.setting))
    return tuple(found)


# --- scope -----------------------------------------------------------------------------------------


def check_scopes(call: CallContext, operation: Operation) -> None:
    """MissingScope, naming each scope the token lacks, before anything is sent."""
    missing = call.catalogue.missing_scopes(operation)
    if missing:
        # A caller's own token (HTTP) is looked at on each request; the server's own only at start-up.
        granted = call.catalogue.granted_scopes or ()
        raise MissingScope(operation.name, missing, granted=granted, per_request=call.caller.authorization is not None)


# --- build, send, shape ----------------------------------------------------------------------------


def build(operation: Operation, validated: MakeInput) -> Plan:
    if operation.builder is not None:  # its handler decides what it sends; its fields carry no wire
        return Plan(operation, validated, None)
    if operation.run is not None:
        try:  # what its requests will carry comes from the input: text no UTF-8 request can carry is refused now
            dumps(validated.model_dump(mode="json")).encode("utf-8")
        except UnicodeEncodeError:
            raise InvalidArguments(operation.name, ["- arguments: hold text that is not valid Unicode"]) from None
        check_section_texts(operation, validated)
        return Plan(operation, validated, None)
    return Plan(operation, validated, build_request(operation, validated))


async def send(call: CallContext, plan: Plan) -> Any:
    if plan.request is not None:
        return await call.send(plan.request)
    port = CallPort(call, plan.operation)
    if plan.operation.builder is not None:
        builder = _builder(call, plan.operation)
        body = await builder.run(
            plan.operation.builder,
            plan.validated,
            port,
            caller=call.caller.authorization,
            organization=call.settings.organization,
        )
        return await offer_links(call.person, body)
    assert plan.operation.run is not None
    return await plan.operation.run(plan.validated, port)


def _builder(call: CallContext, operation: Operation) -> Builder:
    if call.builder is None:
        raise ToolNotAvailable(f"{operation.name} needs the builder, which this server was started without.")
    return call.builder


# --- check -----------------------------------------------------------------------------------------


async def check(call: CallContext, plan: Plan) -> WriteChecked:
    """The builder's check of the blueprint a scenario write sends (BlueprintRefused on errors): it reads the
    manifests, Make's blueprint schema and the team's components, and for an update the saved scenario."""
    port = CallPort(call, plan.operation, also=WRITE_CHECK_STEPS)
    return await _builder(call, plan.operation).check_write(
        plan.operation.name,
        plan.validated,
        port,
        caller=call.caller.authorization,
        organization=call.settings.organization,
    )


def with_warnings(answer: Answer, checked: WriteChecked | None) -> Answer:
    """A checked write's answer with the warnings the person still has to act on (a connection to pick ...)."""
    if checked is None or not checked.warnings or answer.structured is None:
        return answer
    warnings = [finding.to_dict() for finding in checked.warnings]
    return Answer.of({**answer.structured, "blueprintWarnings": warnings})


def shape(call: CallContext, plan: Plan, body: Any, kept: frozenset[str] | None = None) -> Answer:
    max_chars = call.settings.result_max_chars
    structured, text = shape_result_and_text(plan.operation, plan.validated, body, max_chars, kept)
    return Answer.of(structured, text)


# --- the port of a tool of several requests --------------------------------------------------------


class CallPort:
    """make_mcp.tools.catalogue.RequestPort for one call: each declared step sent as the call's other requests are."""

    def __init__(self, call: CallContext, operation: Operation, also: tuple[Step, ...] = ()) -> None:
        self._call = call
        self._operation = operation
        self._also = also  # steps allowed besides the operation's own (a task following a run it started)

    async def send(
        self,
        step: Step,
        path_params: Mapping[str, Any] | None = None,
        *,
        query: Sequence[tuple[str, str]] = (),
        body: Any = None,
        failure: str | None = None,
        content: bytes | None = None,
        content_type: str | None = None,
    ) -> Any:
        if step not in self._operation.steps and step not in self._also:
            raise ValueError(f"{self._operation.name} sends a request it does not declare: {step.method} {step.path}")
        request = step_request(
            self._operation.name, step, path_params, query=query, body=body, content=content, content_type=content_type
        )
        try:
            return await self._call.send(request)
        except MakeMcpError as error:
            error.done_before = failure
            raise

    async def progress(self, message: str) -> None:
        if self._call.progress is not None:
            await self._call.progress.report(message)

    async def sleep(self, seconds: float) -> None:
        self._call.budget.spend(seconds)  # waiting is part of the call's time
        await self._call.sleep(seconds)

    def time_left(self) -> float | None:
        return self._call.budget.left()
