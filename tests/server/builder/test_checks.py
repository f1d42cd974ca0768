"""Each rule of blueprints_validate with a blueprint that breaks it and one that does not, checked against the
sandbox's real manifests, blueprint schema and demo team (server/builder/validate.py)."""

from __future__ import annotations

from typing import Any

import pytest

from make_mcp.server.builder.context import BuildContext
from make_mcp.server.builder.findings import Finding
from make_mcp.server.builder.manifests import ManifestCache
from make_mcp.server.builder.validate import validate_blueprint
from make_mcp.server.sandbox import demo_state
from tests.server.builder.support import SLACK, STORE, TEAM, blueprint, module
from tests.server.sandbox.support import WEBHOOK, example_blueprints, fixture
from tests.server.scenario_tools_support import SandboxPort, sandbox_port

HOOK = 801  # the demo team's gateway webhook


def http(module_id: int, url: str = "https://api.example.com/items", **parts: Any) -> dict[str, Any]:
    return module(module_id, "http:ActionSendData", 3, mapper={"url": url, "method": "get"}, **parts)


def variable(module_id: int, value: Any = "x", **parts: Any) -> dict[str, Any]:
    mapper = {"name": "v", "scope": "roundtrip", "value": value}
    return module(module_id, "util:SetVariable2", **{"mapper": mapper, **parts})


def slack(module_id: int, text: str = "hello", connection: Any = SLACK, **parts: Any) -> dict[str, Any]:
    mapper = {"channelWType": "list", "channelType": "public", "channel": "C024BE91L", "text": text}
    return module(module_id, "slack:CreateMessage", 4, parameters={"__IMTCONN__": connection}, mapper=mapper, **parts)


def router(module_id: int, *routes: list[dict[str, Any]]) -> dict[str, Any]:
    return {"id": module_id, "module": "builtin:BasicRouter", "version": 1, "routes": [{"flow": r} for r in routes]}


def webhook(hook: Any = HOOK) -> dict[str, Any]:
    return {**WEBHOOK, "parameters": {"hook": hook}}


def feeder(module_id: int) -> dict[str, Any]:
    return module(module_id, "builtin:BasicFeeder", mapper={"array": "{{1.headers}}"})


FILTER = {"name": "big", "conditions": [[{"a": "{{1.statusCode}}", "o": "number:greater", "b": "5"}]]}

# (rule, a blueprint breaking it, the words of the error, the same blueprint fixed)
CASES: list[tuple[str, dict[str, Any], str, dict[str, Any]]] = [
    ("unique ids", blueprint(http(1), variable(1)), "used twice", blueprint(http(1), variable(2))),
    ("flow present", {"name": "x", "flow": [], "metadata": {"version": 1}}, "no flow", blueprint(http(1))),
    (
        "router has routes",
        blueprint(http(1), router(2)),
        "router has no routes",
        blueprint(http(1), router(2, [variable(3)])),
    ),
    (
        "filters sit on a route's first module",
        blueprint(http(1), {**router(2, [variable(3)]), "routes": [{"flow": [variable(3)], "filter": FILTER}]}),
        "filter on the route itself",
        blueprint(http(1), router(2, [variable(3, filter=FILTER)])),
    ),
    (
        "nothing follows a router",
        blueprint(http(1), router(2, [variable(3)]), variable(4)),
        "follows a router",
        blueprint(http(1), router(2, [variable(3)], [variable(4)])),
    ),
    (
        "routes belong to routers",
        blueprint({**http(1), "routes": [{"flow": [variable(2)]}]}),
        "not a router but has routes",
        blueprint(http(1), router(3, [variable(2)])),
    ),
    (
        "an if-else is followed by its merge",
        blueprint(
            http(1),
            {
                "id": 2,
                "module": "builtin:BasicIfElse",
                "version": 1,
                "branches": [{"flow": [variable(3)]}, {"flow": []}],
            },
            variable(5),
        ),
        "without a merge",
        blueprint(
            http(1),
            {
                "id": 2,
                "module": "builtin:BasicIfElse",
                "version": 1,
                "branches": [{"flow": [variable(3)]}, {"flow": []}],
            },
            {"id": 4, "module": "builtin:BasicMerge", "version": 1},
            variable(5),
        ),
    ),
    (
        "a merge follows an if-else",
        blueprint(http(1), {"id": 4, "module": "builtin:BasicMerge", "version": 1}),
        "must follow an if-else",
        blueprint(http(1)),
    ),
    (
        "error directives live in onerror",
        blueprint(http(1), module(2, "builtin:Ignore")),
        "outside onerror",
        blueprint(http(1, onerror=[module(2, "builtin:Ignore")])),
    ),
    (
        "an aggregator names its feeder",
        blueprint(
            http(1),
            feeder(2),
            module(3, "builtin:BasicAggregator"),
        ),
        "names no source module",
        blueprint(
            http(1),
            feeder(2),
            module(3, "builtin:BasicAggregator", parameters={"feeder": 2}),
        ),
    ),
    (
        "the feeder runs before the aggregator",
        blueprint(http(1), module(3, "builtin:BasicAggregator", parameters={"feeder": 9})),
        "not a module that runs before",
        blueprint(
            http(1),
            feeder(9),
            module(3, "builtin:BasicAggregator", parameters={"feeder": 9}),
        ),
    ),
    (
        "filter operators are Make's",
        blueprint(http(1), variable(2, filter={"name": "x", "conditions": [[{"a": "{{1.data}}", "o": "equals"}]]})),
        "not one of Make's",
        blueprint(
            http(1),
            variable(2, filter={"name": "x", "conditions": [[{"a": "{{1.data}}", "o": "text:equal", "b": "y"}]]}),
        ),
    ),
    (
        "designer metadata holds numbers",
        blueprint(http(1, metadata={"designer": {"x": "left", "y": 0}})),
        "designer must hold numbers",
        blueprint(http(1, metadata={"designer": {"x": 0, "y": 0}})),
    ),
    ("the app exists", blueprint(module(1, "nosuchapp:Do")), "no app nosuchapp", blueprint(http(1))),
    (
        "the version exists",
        blueprint(module(1, "http:ActionSendData", 9, mapper={"url": "https://a.example", "method": "get"})),
        "in version 9",
        blueprint(http(1)),
    ),
    (
        "the module exists",
        blueprint(module(1, "http:ActionSendDat", 3)),
        "Did you mean http:ActionSendData",
        blueprint(http(1)),
    ),
    (
        "scheduling is no module",
        blueprint(module(1, "builtin:Scheduler")),
        "scheduling is not a module",
        blueprint(http(1)),
    ),
    (
        "mapper fields are not written in parameters",
        blueprint(
            module(1, "http:ActionSendData", 3, parameters={"url": "https://a.example"}, mapper={"method": "get"})
        ),
        "Move url from parameters to mapper",
        blueprint(http(1)),
    ),
    (
        "select fields take values, not labels",
        blueprint(module(1, "http:ActionSendData", 3, mapper={"url": "https://a.example", "method": "GET"})),
        "method",
        blueprint(http(1)),
    ),
    (
        "a trigger starts the scenario",
        blueprint(http(1), webhook() | {"id": 2}),
        "does not start",
        blueprint(webhook(), http(2)),
    ),
    (
        "references read modules that ran before",
        blueprint(variable(1, "{{2.statusCode}}"), http(2)),
        "does not run before",
        blueprint(http(2), variable(1, "{{2.statusCode}}")),
    ),
    (
        "references stay on their route",
        blueprint(http(1), router(2, [http(3)], [variable(4, "{{3.data}}")])),
        "does not run before",
        blueprint(http(1), router(2, [http(3)], [variable(4, "{{1.data}}")])),
    ),
    (
        "after an aggregator its bundles are gone",
        blueprint(
            http(1),
            feeder(2),
            module(3, "builtin:BasicAggregator", parameters={"feeder": 2}),
            variable(4, "{{2.value}}"),
        ),
        "does not run before",
        blueprint(
            http(1),
            feeder(2),
            module(3, "builtin:BasicAggregator", parameters={"feeder": 2}),
            variable(4, "{{3.array}}"),
        ),
    ),
    (
        "references name a module that exists",
        blueprint(http(1), variable(2, "{{7.data}}")),
        "there is no module 7",
        blueprint(http(1), variable(2, "{{1.data}}")),
    ),
    (
        "the output has the field",
        blueprint(http(1), variable(2, "{{1.body}}")),
        "gives no body",
        blueprint(http(1), variable(2, "{{1.data}}")),
    ),
    (
        "IML is closed",
        blueprint(http(1), variable(2, "{{1.data")),
        "Malformed IML",
        blueprint(http(1), variable(2, "{{1.data}}")),
    ),
]


def errors(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity == "error"]


@pytest.mark.parametrize(("rule", "broken", "words", "fixed"), CASES, ids=[case[0] for case in CASES])
async def test_each_rule_finds_the_blueprint_that_breaks_it_and_passes_the_one_that_does_not(
    rule: str, broken: dict[str, Any], words: str, fixed: dict[str, Any], build: BuildContext
) -> None:
    found = errors((await validate_blueprint(build, broken)).findings)
    assert any(words in f.message or words in f.fix or words in f.path for f in found), found
    report = await validate_blueprint(build, fixed)
    assert report.valid, errors(report.findings)


async def test_a_connection_the_team_lacks_is_an_error_and_one_it_has_is_not(build: BuildContext) -> None:
    found = errors((await validate_blueprint(build, blueprint(slack(1, connection=9999)), team_id=TEAM)).findings)
    assert [f.path for f in found] == ["flow[0].parameters.__IMTCONN__"]
    assert "has no connection 9999" in found[0].message
    assert (await validate_blueprint(build, blueprint(slack(1)), team_id=TEAM)).valid


async def test_a_connection_of_another_type_is_an_error(build: BuildContext) -> None:
    found = errors((await validate_blueprint(build, blueprint(slack(1, connection=901)), team_id=TEAM)).findings)
    assert any("of type google" in f.message and "slack2 or slack3" in f.message for f in found), found


async def test_a_connection_without_the_modules_scopes_is_an_error() -> None:
    state = demo_state()
    state.connections[SLACK]["scopes"] = ["channels:read"]  # chat:write taken away
    async with sandbox_port(state) as port:
        checked = await validate_blueprint(BuildContext(port, ManifestCache()), blueprint(slack(1)), team_id=TEAM)
    found = errors(checked.findings)
    assert any("lacks scopes" in f.message and "chat:write" in f.message for f in found), found


async def test_a_webhook_of_another_team_or_type_is_an_error_and_the_teams_own_is_not(build: BuildContext) -> None:
    found = errors((await validate_blueprint(build, blueprint(webhook(hook=5555)), team_id=TEAM)).findings)
    assert any("has no webhook 5555" in f.message for f in found), found
    report = await validate_blueprint(build, blueprint(webhook()), team_id=TEAM, scheduling={"type": "immediately"})
    assert report.valid, report.findings


async def test_a_data_store_the_team_lacks_is_an_error(build: BuildContext) -> None:
    store = module(1, "datastore:AddRecord", parameters={"datastore": 12345}, mapper={"data": {"name": "x"}})
    found = errors((await validate_blueprint(build, blueprint(store), team_id=TEAM)).findings)
    assert any("has no data store 12345" in f.message for f in found), found
    fine = module(1, "datastore:AddRecord", parameters={"datastore": STORE}, mapper={"data": {"name": "x"}})
    assert (await validate_blueprint(build, blueprint(fine), team_id=TEAM)).valid


async def test_a_connection_not_yet_picked_is_a_warning_not_an_error(build: BuildContext) -> None:
    report = await validate_blueprint(build, blueprint(slack(1, connection=None)), team_id=TEAM)
    assert report.valid
    assert any(f.severity == "warning" and f.path.endswith("__IMTCONN__") for f in report.findings)


async def test_an_instant_trigger_runs_immediately_and_nothing_else_does(build: BuildContext) -> None:
    hooked = blueprint(webhook(), http(2))
    every_15 = {"type": "indefinitely", "interval": 900}
    assert not (await validate_blueprint(build, hooked, scheduling=every_15)).valid
    assert (await validate_blueprint(build, hooked, scheduling={"type": "immediately"})).valid
    assert not (await validate_blueprint(build, blueprint(http(1)), scheduling={"type": "immediately"})).valid
    assert (await validate_blueprint(build, blueprint(http(1)), scheduling=every_15)).valid


async def test_a_webhook_response_needs_a_webhook_and_every_path_of_a_responding_webhook_answers(
    build: BuildContext,
) -> None:
    respond = module(9, "gateway:WebhookRespond", mapper={"status": 200, "body": "ok"})
    found = errors((await validate_blueprint(build, blueprint(http(1), respond))).findings)
    assert any("answers nobody" in f.message for f in found), found
    one_route = blueprint(webhook(), router(2, [respond], [http(3)]))
    report = await validate_blueprint(build, one_route, scheduling={"type": "immediately"})
    assert report.valid
    assert any(f.severity == "warning" and "without a webhook response" in f.message for f in report.findings)
    both = blueprint(webhook(), router(2, [respond], [http(3), respond | {"id": 10}]))
    answered = await validate_blueprint(build, both, scheduling={"type": "immediately"})
    assert not any("webhook response" in f.message for f in answered.findings)


async def test_a_scenario_run_as_a_tool_is_on_demand_and_told_to_declare_its_inputs(build: BuildContext) -> None:
    reads = blueprint(module(1, "scenario-service:StartSubscenario", 2), variable(2, "{{var.input.city}}"))
    report = await validate_blueprint(build, reads, scheduling={"type": "indefinitely", "interval": 60}, as_tool=True)
    assert any("must be on demand" in f.message for f in errors(report.findings))
    report = await validate_blueprint(build, reads, scheduling={"type": "on-demand"}, as_tool=True)
    assert report.valid
    assert any("city" in f.message for f in report.findings if f.path == "interface.input")


async def test_makes_example_blueprints_validate_with_no_errors(build: BuildContext) -> None:
    examples = example_blueprints()
    # The router fragment reads a module 6 it does not contain: placed after a webhook numbered 6 (its output
    # is whatever the webhook receives).
    examples["router-pattern.json"] = blueprint(webhook() | {"id": 6}, fixture("router-pattern.json"))
    for name, example in examples.items():
        report = await validate_blueprint(build, example)
        assert report.valid, (name, errors(report.findings))


async def test_each_app_version_is_fetched_once_however_many_modules_use_it(
    build: BuildContext, port: SandboxPort
) -> None:
    await validate_blueprint(build, blueprint(http(1), http(2), router(3, [http(4)], [http(5)])))
    await validate_blueprint(build, blueprint(http(1)))
    assert port.sent.count(("GET", "/imt/apps/http/3")) == 1
    assert port.sent.count(("GET", "/validation-schemas/blueprint")) == 1
