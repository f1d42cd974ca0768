"""Each packaged example of Make's official tool set, called here with the official arguments through a real MCP
client, sends Make the request the official tool sent (tools/spec/official-tools.json), but for the differences
the mapping lists with a reason (tools/spec/official-mapping.json). No Node is needed: the official requests are
vendored.

The examples of tools/spec/official-mapping.json's `notYet.requests` are strict expected failures: the drop-in
work is to empty that list, and one fixed without being taken off it fails the run.
Destructive calls are made with confirmation off (`--no-confirm`): the user's answer is not what is compared.
"""

from __future__ import annotations

import asyncio
import base64
import copy
from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest
import pytest_asyncio
from mcp import Client

from make_mcp.server.sandbox import SandboxState, demo_state
from make_mcp.server.sandbox.state import RecordedRequest
from make_mcp.tools.builder import SKIP_VALIDATION
from make_mcp.tools.registry import ALL_OPERATIONS
from tests.conftest import LoopbackSandbox, serving
from tests.server.test_app import mcp_client, text_of
from tests.tools.official import (
    Example,
    Request,
    body_of,
    differences,
    examples,
    grouped,
    mapping,
    official_request,
    params,
)

API_PREFIX = "/api/v2"
EXAMPLES = examples()


@dataclass(frozen=True)
class Session:
    sandbox: LoopbackSandbox
    client: Client


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def session() -> AsyncIterator[Session]:
    """One sandbox and one client for all examples: each call is compared by the requests it alone sent."""
    # The client's task group must be left in the task that entered it, so one task holds it open.
    opened: asyncio.Future[Session] = asyncio.get_running_loop().create_future()
    done = asyncio.Event()

    async def hold() -> None:
        with serving(demo_state()) as sandbox:
            async with mcp_client(sandbox, toolsets="all", confirm_destructive=False) as client:
                opened.set_result(Session(sandbox, client))
                await done.wait()

    holder = asyncio.create_task(hold())
    await asyncio.wait({holder, opened}, return_when=asyncio.FIRST_COMPLETED)
    if not opened.done():
        await holder  # it ended before opening: its error is the fixture's
    try:
        yield opened.result()
    finally:
        done.set()
        await holder


def our_request(recorded: RecordedRequest) -> Request:
    path = recorded.path.removeprefix(API_PREFIX)
    return Request(recorded.method, path, grouped(recorded.query), body_of(recorded.raw_body))


def with_scenario(state: SandboxState, scenario_id: int) -> None:
    """Demo scenario 401 also under `scenario_id`: a tool of several requests sends the later ones only once the
    first has an answer, which an ID unknown to the sandbox never gets."""
    if scenario_id not in state.scenarios:
        state.scenarios[scenario_id] = {**copy.deepcopy(state.scenarios[401]), "id": scenario_id}
        state.blueprints[scenario_id] = copy.deepcopy(state.blueprints[401])
        state.interfaces[scenario_id] = copy.deepcopy(state.interfaces[401])


def allowed(tool: str) -> dict[str, str]:
    """Where our request may differ from the official one, with the reason, by `where` (e.g. "query status")."""
    entry = next(t for t in mapping()["tools"] if t["name"] == tool)
    return {item["where"]: item["reason"] for item in entry.get("allowedDifferences", [])}


@pytest.mark.asyncio(loop_scope="module")
@pytest.mark.parametrize("example", params(EXAMPLES, [e.id for e in EXAMPLES], mapping()["notYet"]["requests"]))
async def test_the_official_example_sends_the_official_request(session: Session, example: Example) -> None:
    requests = session.sandbox.state.requests
    if len(example.requests) > 1 and isinstance(example.arguments.get("scenarioId"), int):
        with_scenario(session.sandbox.state, example.arguments["scenarioId"])
    requests.clear()
    arguments = example.arguments
    if next(op for op in ALL_OPERATIONS if op.name == example.tool).checks_blueprint:
        # What is compared is the write. make-mcp checks a blueprint first (tests/server/builder), which refuses
        # these examples' invented modules (google-email:watchEmails 1 is no module of Make's).
        arguments = {**arguments, SKIP_VALIDATION: True}
    result = await session.client.call_tool(example.tool, arguments)
    sent = [our_request(recorded) for recorded in requests]
    official = [official_request(recorded) for recorded in example.requests]
    permitted = allowed(example.tool)
    unexplained = [found for found in differences(sent, official) if found[1] not in permitted]
    context = "" if sent or not result.is_error else f" (the call answered: {text_of(result)[:300]})"
    assert unexplained == [], f"{example.id} differs from the official request{context}: {unexplained}"


def test_the_not_yet_list_names_only_vendored_examples() -> None:
    names = {example.id for example in EXAMPLES}
    assert sorted(set(mapping()["notYet"]["requests"]) - names) == []


def test_request_bodies_compare_as_json_text_or_bytes() -> None:
    assert body_of(b'{"a": 1}') == ("json", {"a": 1})
    assert body_of(b"function f() {}") == ("text", "function f() {}")
    assert body_of(b"\x89PNG") == ("bytes", base64.b64encode(b"\x89PNG").decode())
    assert body_of(b"") is None


def test_a_request_differing_in_a_query_value_or_a_body_field_is_told_apart() -> None:
    official = Request("GET", "/teams", {"organizationId": ["5"], "cols[]": ["*"]}, None)
    ours = Request("GET", "/teams", {"organizationId": ["5"]}, ("json", {"name": "x"}))
    assert differences([ours], [official]) == [
        ("0", "query cols[]", "None, official ['*']"),
        ("0", "body", '["json", {"name": "x"}], official null'),
    ]
    assert differences([], [official]) == [("0", "request", "not sent: GET /teams")]


@pytest.mark.asyncio(loop_scope="module")
async def test_the_official_limit_of_an_incomplete_execution_s_attempts_is_sent_as_make_s_page_size(
    session: Session,
) -> None:
    client, requests = session.client, session.sandbox.state.requests
    listed = await client.call_tool("incomplete-executions_list", {"scenarioId": 401})
    assert listed.structured_content is not None, text_of(listed)
    incomplete = listed.structured_content["dlqs"][0]["id"]
    for _ in range(2):
        await client.call_tool("incomplete-executions_retry", {"dlqId": incomplete})
    requests.clear()
    result = await client.call_tool(
        "executions_list-for-incomp-exec", {"incompleteExecutionId": incomplete, "limit": 1}
    )
    assert [(r.method, r.path, grouped(r.query)) for r in requests] == [
        ("GET", f"{API_PREFIX}/dlqs/{incomplete}/logs", {"pg[limit]": ["1"]})
    ]
    assert result.structured_content is not None, text_of(result)
    assert len(result.structured_content["dlqLogs"]) == 1
