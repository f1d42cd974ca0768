"""The engine runs a call on its own, with fake ports for what only the protocol side can do (the person, the tools'
definitions, progress), and ends it in one plain outcome: the tool, how it ended, a plain answer, the error."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx2

from make_mcp.server.engine.call import CallContext, Caller, CallProgress
from make_mcp.server.engine.confirmation import Confirmations
from make_mcp.server.engine.consent import CONFIRM_KEY
from make_mcp.server.engine.discovery import ToolIndex
from make_mcp.server.engine.outcome import Answer, NeedsInput, Outcome
from make_mcp.server.engine.pipeline import call_tool
from make_mcp.server.engine.ports import PriorAnswer
from make_mcp.server.engine.selection import Catalogue
from make_mcp.server.errors import InvalidArguments, MakeError
from make_mcp.server.make_api.client import MakeClient, MakeRequest
from make_mcp.server.sandbox import SANDBOX_TOKEN, create_sandbox_app, demo_state
from make_mcp.server.support.config import Settings
from make_mcp.tools.catalogue import Operation
from make_mcp.tools.registry import ALL_OPERATIONS

BASE_URL = "http://sandbox.make-mcp.invalid/api/v2"
CATALOGUE = Catalogue(ALL_OPERATIONS)


@dataclass
class FakePerson:
    """A person who answers as told, and notes each question."""

    in_rounds: bool
    accepts: bool = True
    prior: PriorAnswer | None = None
    opens_urls: bool = False
    asked: list[str] = field(default_factory=list[str])

    def answer(self, key: str) -> PriorAnswer | None:
        return self.prior if key == CONFIRM_KEY else None

    async def confirm(self, message: str) -> bool:
        self.asked.append(message)
        return self.accepts

    async def open_url(self, message: str, url: str, ref: str) -> str:
        raise AssertionError("no link to show in these calls")


def definition(operation: Operation) -> Mapping[str, Any]:
    return {"name": operation.name, "description": "as listed", "inputSchema": {"type": "object"}, "title": "x"}


@dataclass
class Engine:
    """A sandbox account and what reaches it; `run` makes a fresh context per call, as the runner does."""

    client: MakeClient
    confirmations: Confirmations = field(default_factory=Confirmations)
    sent: list[str] = field(default_factory=list[str])

    async def run(self, name: str, arguments: dict[str, Any], **ports: Any) -> Outcome:
        caller = Caller(None, self.confirmations)
        settings = Settings(sandbox=True, tool_mode="discovery")
        index = ToolIndex(CATALOGUE.operations)
        call = CallContext(
            settings, self.client, CATALOGUE, index, caller, self.client.call_budget(), definition, **ports
        )
        call.observe = self.heard
        return await call_tool(call, name, arguments)

    async def heard(self, request: MakeRequest, body: Any) -> None:
        self.sent.append(f"{request.method} {request.path}")


@asynccontextmanager
async def engine() -> AsyncIterator[Engine]:
    transport = httpx2.ASGITransport(app=create_sandbox_app(demo_state()))
    client = MakeClient(BASE_URL, authorization=f"Token {SANDBOX_TOKEN}", transport=transport)
    try:
        yield Engine(client)
    finally:
        await client.aclose()


async def test_a_call_that_succeeds_is_an_ok_outcome_whose_answer_is_the_shaped_result_as_plain_data() -> None:
    async with engine() as make:
        outcome = await make.run("tools_call", {"name": "scenarios_get", "arguments": {"scenarioId": 401}})
    assert (outcome.tool, outcome.inner, outcome.kind, outcome.error) == ("tools_call", "scenarios_get", "ok", None)
    assert outcome.operation is not None and outcome.operation.name == "scenarios_get"
    assert type(outcome.payload) is Answer and not outcome.payload.is_error
    assert outcome.payload.structured is not None and outcome.payload.structured["scenario"]["id"] == 401
    assert '"id":401' in outcome.payload.text
    assert make.sent[0] == "GET /scenarios/401"


async def test_bad_input_is_a_bad_input_outcome_with_an_error_answer_and_no_request_to_make() -> None:
    async with engine() as make:
        outcome = await make.run("teams_get", {"teamId": "not a number"})
    assert outcome.kind == "bad_input" and isinstance(outcome.error, InvalidArguments)
    assert outcome.payload == Answer(None, outcome.payload.text, is_error=True)
    assert "teamId" in outcome.payload.text
    assert make.sent == []


async def test_make_s_refusal_is_a_make_error_outcome_whose_answer_says_what_make_answered() -> None:
    async with engine() as make:
        outcome = await make.run("scenarios_get", {"scenarioId": 999999})
    assert outcome.kind == "make_error" and isinstance(outcome.error, MakeError)
    assert isinstance(outcome.payload, Answer) and outcome.payload.is_error and outcome.payload.structured is None
    assert "404" in outcome.payload.text


async def test_a_destructive_call_nobody_can_be_asked_about_answers_with_a_preview_and_a_token_and_changes_nothing() -> (
    None
):
    async with engine() as make:
        outcome = await make.run("scenarios_delete", {"scenarioId": 402})
        still_there = await make.run("scenarios_get", {"scenarioId": 402})
    assert outcome.kind == "not_confirmed" and isinstance(outcome.payload, Answer)
    asked = outcome.payload.structured or {}
    assert asked["confirmationRequired"] is True and asked["confirmation"] and "402" in asked["preview"]
    assert "DELETE /scenarios/402" not in make.sent and still_there.kind == "ok"


async def test_asked_in_rounds_the_answer_is_a_question_and_the_person_s_yes_in_the_next_round_runs_the_call() -> None:
    async with engine() as make:
        first = await make.run("scenarios_delete", {"scenarioId": 402}, person=FakePerson(in_rounds=True))
        assert first.kind == "asked_user" and isinstance(first.payload, NeedsInput)
        assert first.payload.key == CONFIRM_KEY and first.payload.message.startswith("Allow this change in Make?")
        assert "DELETE /scenarios/402" not in make.sent
        yes = FakePerson(in_rounds=True, prior=PriorAnswer(first.payload.state, accepted=True))
        second = await make.run("scenarios_delete", {"scenarioId": 402}, person=yes)
    assert second.kind == "ok" and "DELETE /scenarios/402" in make.sent


async def test_an_answer_from_a_round_that_asked_about_another_call_runs_nothing() -> None:
    async with engine() as make:
        first = await make.run("scenarios_delete", {"scenarioId": 401}, person=FakePerson(in_rounds=True))
        assert isinstance(first.payload, NeedsInput)
        elsewhere = FakePerson(in_rounds=True, prior=PriorAnswer(first.payload.state, accepted=True))
        second = await make.run("scenarios_delete", {"scenarioId": 402}, person=elsewhere)
    assert second.kind == "error" and isinstance(second.payload, Answer)
    assert "does not match" in second.payload.text
    assert not any(sent.startswith("DELETE") for sent in make.sent)


async def test_asked_within_the_call_a_person_who_declines_leaves_everything_unchanged() -> None:
    person = FakePerson(in_rounds=False, accepts=False)
    async with engine() as make:
        outcome = await make.run("scenarios_delete", {"scenarioId": 402}, person=person)
    assert len(person.asked) == 1 and "402" in person.asked[0]
    assert outcome.kind == "error" and isinstance(outcome.payload, Answer)
    assert outcome.payload.text == "The user did not confirm scenarios_delete; nothing was changed."
    assert not any(sent.startswith("DELETE") for sent in make.sent)


async def test_asked_within_the_call_a_person_who_agrees_lets_it_run() -> None:
    async with engine() as make:
        outcome = await make.run("scenarios_delete", {"scenarioId": 402}, person=FakePerson(in_rounds=False))
    assert outcome.kind == "ok" and "DELETE /scenarios/402" in make.sent


async def test_tools_describe_answers_from_the_definition_the_protocol_side_gives() -> None:
    async with engine() as make:
        outcome = await make.run("tools_describe", {"name": "hooks_list"})
    assert outcome.kind == "ok" and isinstance(outcome.payload, Answer)
    assert outcome.payload.structured == {
        "name": "hooks_list",
        "description": "as listed",
        "inputSchema": {"type": "object"},
    }


async def test_each_wait_before_a_retry_is_told_through_the_progress_port() -> None:
    told: list[str] = []

    async def report(message: str) -> None:
        told.append(message)

    async def no_sleep(seconds: float) -> None:
        return None

    progress = CallProgress(report, no_sleep, heartbeat_wanted=False)
    await progress.retry_wait(3.0, "Make is busy")
    assert told == ["Make is busy; trying again in 3 s"]
