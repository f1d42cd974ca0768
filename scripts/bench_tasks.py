"""Task benchmark: fourteen everyday tasks, each run for real with the fewest calls that do it, against a sandbox
seeded with a realistic account (server/sandbox/seed_account.py: hundreds of scenarios, runs, records).

Counts, per task and server: tool calls, the tokens of the tool listing the model is given (model-visible
part, as scripts/bench.py measures it) and the tokens of the results it reads (the text blocks: what clients
hand the model). Servers: make-mcp in its default (core) mode, in full mode and in discovery mode, shipped
defaults (destructive tools ask for confirmation: preview, then the confirmed call), and with --official Make's
official tool set (npm @makehq/sdk, installed and served by scripts/bench.py's machinery) in the same run. A tool
the listing does not show is found with tools_search, read with tools_describe and run with tools_call.

    .venv/bin/python scripts/bench_tasks.py [--official] [--json FILE]

Tokens are cl100k_base (bpe_openai). Everything runs on 127.0.0.1; each server gets a freshly seeded sandbox.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

SCRIPTS = Path(__file__).resolve().parent
if str(SCRIPTS) not in sys.path:
    sys.path.insert(0, str(SCRIPTS))

import bench  # noqa: E402  (scripts/bench.py: the stdio peer, the servers under test, the official install)
import httpx2  # noqa: E402

TEAM = 201
OFFICIAL_DIR = Path(tempfile.gettempdir()) / "make-mcp-bench-official"
# What an agent types into tools_search before it uses a tool the listing does not show.
SEARCH_WORDS = {
    "scenarios_list": "list scenarios",
    "incomplete-executions_list": "why did my scenario fail",
    "blueprints_get": "scenario blueprint",
    "data-structures_create": "create data structure",
    "data-stores_create": "create data store",
    "data-store-records_create": "add record to data store",
    "hooks_list": "list webhooks",
    "scenarios_deactivate": "turn off scenario",
    "connections_list": "list connections",
    "scenarios_run": "run a scenario",
    "folders_list": "list scenario folders",
    "scenarios_update": "rename scenario move folder",
    "teams_list-user-roles": "team roles of users",
    "roles_list": "list roles",
    "users_list": "list users",
    "hooks_disable": "disable a webhook",
    "executions_list": "list scenario runs",
    "executions_get-detail": "why did a run fail",
    "data-stores_list": "list data stores",
    "data-store-records_list": "list data store records",
    "data-store-records_update": "update data store record",
    "scenarios_get": "get scenario",
    "scenarios_create": "create scenario",
}
# The official tool set has no tool for these; its figure is for the calls that lead up to the missing one.
NO_OFFICIAL_TOOL = "no official tool"


@dataclass
class TaskFigures:
    task: str
    calls: int = 0
    result_tokens: int = 0
    note: str = ""


@dataclass
class ServerFigures:
    name: str
    listing_tokens: int
    tools: int
    tasks: list[TaskFigures] = field(default_factory=list[TaskFigures])


class Session:
    """One agent's tool calls on one server: counts them and the tokens of what it reads back."""

    def __init__(self, server: bench.StdioPeer, count: Callable[[str], int], *, kind: str, listed: set[str]) -> None:
        self.server = server
        self.count = count
        self.kind = kind  # "ours" or "official"
        self.listed = listed  # the tools the listing shows: any other is reached through the discovery tools
        self.figures = TaskFigures("")
        self._described: set[str] = set()

    @property
    def ours(self) -> bool:
        return self.kind == "ours"

    def discovered(self, tool: str) -> bool:
        return tool not in self.listed and "tools_call" in self.listed

    async def call(self, tool: str, arguments: dict[str, Any]) -> Any:
        if self.discovered(tool) and tool not in self._described:
            found = await self._raw("tools_search", {"query": SEARCH_WORDS[tool]})
            if tool not in found.get("tools", {}):
                self.figures.note += f" tools_search did not find {tool};"
            # A search answer carries the inputs of its best hits: those need no tools_describe, now or later.
            self._described |= set(found.get("inputs", {}))
            if tool not in self._described:
                await self._raw("tools_describe", {"name": tool})
                self._described.add(tool)
        payload = await self._tool(tool, arguments)
        if isinstance(payload, dict) and payload.get("confirmationRequired") is True:
            payload = await self._tool(tool, {**arguments, "confirmation": payload["confirmation"]})
        return payload

    async def _tool(self, tool: str, arguments: dict[str, Any]) -> Any:
        if self.discovered(tool):
            return await self._raw("tools_call", {"name": tool, "arguments": arguments})
        return await self._raw(tool, arguments)

    async def _raw(self, tool: str, arguments: dict[str, Any]) -> Any:
        result, _ = await self.server.request("tools/call", {"name": tool, "arguments": arguments})
        text = "\n".join(block.get("text", "") for block in result.get("content", []) if block.get("type") == "text")
        self.figures.calls += 1
        self.figures.result_tokens += self.count(text)
        if result.get("isError"):
            raise bench.BenchError(f"{self.server.name}: {tool} failed: {text[:400]}")
        if isinstance(result.get("structuredContent"), dict):
            return result["structuredContent"]
        try:
            return json.loads(text)
        except ValueError:
            return text


def unwrap(payload: Any, key: str) -> Any:
    """Make's payload under `key` (make-mcp keeps Make's wrapper; the official SDK returns what is inside)."""
    return payload.get(key, payload) if isinstance(payload, dict) else payload


def next_offset(payload: dict[str, Any]) -> int | None:
    """Where make-mcp says the next page begins: a page cut to the result budget, or a full page."""
    truncated = payload.get("truncated")
    if isinstance(truncated, dict) and isinstance(truncated.get("next"), str):
        found = re.search(r"pg\.offset=(\d+)", truncated["next"])
        return int(found.group(1)) if found else None
    following = payload.get("next")
    return following["pg"]["offset"] if isinstance(following, dict) else None


# --- the tasks: each returns a one-line answer, checked so a broken run cannot pass for a cheap one ---


async def why_scenarios_failed(s: Session) -> str:
    """Which scenarios have failed runs waiting, and why (the first five)."""
    scenarios: list[dict[str, Any]] = []
    if s.ours:
        offset: int | None = 0
        while offset is not None:
            page = await s.call("scenarios_list", {"teamId": TEAM, "pg": {"limit": 100, "offset": offset}})
            scenarios += page["scenarios"]
            offset = next_offset(page)
    else:
        scenarios = unwrap(await s.call("scenarios_list", {"teamId": TEAM}), "scenarios")
    failing = [scenario for scenario in scenarios if scenario.get("dlqCount")][:5]
    reasons: list[str] = []
    for scenario in failing:
        dlqs = unwrap(await s.call("incomplete-executions_list", {"scenarioId": scenario["id"]}), "dlqs")
        reasons += [dlq["reason"] for dlq in dlqs]
    assert failing and reasons, "no failed scenario found"
    return f"{len(failing)} failing scenarios of {len(scenarios)}: {sorted(set(reasons))}"


async def blueprint_and_apps(s: Session) -> str:
    if s.ours:
        blueprint = (await s.call("blueprints_get", {"scenarioId": 401}))["response"]["blueprint"]
    else:
        blueprint = (await s.call("scenarios_get", {"scenarioId": 401}))["blueprint"]
    apps: set[str] = set()
    pending = list(blueprint["flow"])
    while pending:
        module = pending.pop()
        apps.add(module["module"].split(":", 1)[0])
        for route in module.get("routes") or []:
            pending += route["flow"]
    assert "slack" in apps
    return f"{len(blueprint['flow'])} top-level modules; apps {sorted(apps)}"


async def data_store_with_records(s: Session) -> str:
    spec = [
        {"name": "email", "label": "Email", "type": "text", "required": True},
        {"name": "name", "label": "Name", "type": "text"},
        {"name": "score", "label": "Score", "type": "number"},
    ]
    created = await s.call("data-structures_create", {"teamId": TEAM, "name": "Contact", "strict": True, "spec": spec})
    structure_id = unwrap(created, "dataStructure")["id"]
    store = await s.call(
        "data-stores_create", {"teamId": TEAM, "name": "Contacts", "datastructureId": structure_id, "maxSizeMB": 1}
    )
    store_id = unwrap(store, "dataStore")["id"]
    for number, person in enumerate(("Ada", "Grace", "Linus"), start=1):
        record = {"email": f"{person.lower()}@example.com", "name": person, "score": number * 10}
        await s.call("data-store-records_create", {"dataStoreId": store_id, "key": f"c{number}", "data": record})
    return f"data store {store_id} with structure {structure_id} and 3 records"


async def turn_off_webhook_scenarios(s: Session) -> str:
    hooks = unwrap(await s.call("hooks_list", {"teamId": TEAM}), "hooks")
    used = [hook["scenarioId"] for hook in hooks if hook["name"] == "New lead webhook" and hook.get("scenarioId")]
    for scenario_id in used:
        await s.call("scenarios_deactivate", {"scenarioId": scenario_id})
    assert used
    return f"turned off scenarios {used}"


async def expired_connections(s: Session) -> str:
    connections = unwrap(await s.call("connections_list", {"teamId": TEAM}), "connections")
    now = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime())
    expired = [connection["name"] for connection in connections if (connection.get("expire") or "9999") < now]
    assert expired
    return f"{len(expired)} expired of {len(connections)}"


async def run_and_report(s: Session) -> str:
    outcome = await s.call("scenarios_run", {"scenarioId": 403, "data": {"orderId": "1001"}, "responsive": True})
    assert outcome["executionId"]
    return f"execution {outcome['executionId']}: {outcome.get('status')}"


async def rename_and_move(s: Session) -> str:
    folders = unwrap(await s.call("folders_list", {"teamId": TEAM}), "scenariosFolders")
    folder_id = next(folder["id"] for folder in folders if folder["name"] == "Onboarding")
    await s.call("scenarios_update", {"scenarioId": 402, "name": "Weekly MRR digest", "folderId": folder_id})
    return f"scenario 402 renamed and moved to folder {folder_id}"


async def who_has_which_role(s: Session) -> str:
    roles = unwrap(await s.call("roles_list", {}), "usersRoles")
    if not s.ours:  # the official tool set lists roles but no user's role
        return f"{len(roles)} roles; {NO_OFFICIAL_TOOL} tells who holds them"
    held = unwrap(await s.call("teams_list-user-roles", {"teamId": TEAM}), "userTeamRoles")
    users = unwrap(await s.call("users_list", {"teamId": TEAM}), "users")
    assert held and users
    return f"{len(held)} role assignments over {len(users)} users and {len(roles)} roles"


async def why_last_run_failed(s: Session) -> str:
    """The newest failed run of the lead capture and what broke it."""
    # The official tool takes the status as text but does not send it: the agent picks the failed run itself.
    official = {"scenarioId": 401, "status": "3"}
    arguments = {"scenarioId": 401, "status": 3, "pg": {"limit": 1}} if s.ours else official
    runs = unwrap(await s.call("executions_list", arguments), "scenarioLogs")
    failed = next(run for run in runs if run["status"] == 3)
    detail = await s.call("executions_get-detail", {"scenarioId": 401, "executionId": failed["id"]})
    error = detail.get("error") if isinstance(detail, dict) else None
    if not error:
        return f"run {failed['id']} failed; the answer does not say why"
    return f"run {failed['id']} failed in {error['causeModule']['appName']}: {error['message']}"


async def disable_a_webhook(s: Session) -> str:
    hooks = unwrap(await s.call("hooks_list", {"teamId": TEAM}), "hooks")
    hook = next(hook for hook in hooks if hook["name"] == "New lead webhook")
    if not s.ours:
        return f"webhook {hook['id']} found; {NO_OFFICIAL_TOOL} disables it"
    await s.call("hooks_disable", {"hookId": hook["id"]})
    return f"webhook {hook['id']} disabled"


async def scenarios_using_a_connection(s: Session) -> str:
    """Which scenarios of the Archive folder use the finance Slack connection (read from their blueprints)."""
    folders = unwrap(await s.call("folders_list", {"teamId": TEAM}), "scenariosFolders")
    folder_id = next(folder["id"] for folder in folders if folder["name"] == "Archive")
    connections = unwrap(await s.call("connections_list", {"teamId": TEAM}), "connections")
    connection_id = next(c["id"] for c in connections if c["name"].startswith("slack (finance"))
    if s.ours:
        listed = unwrap(await s.call("scenarios_list", {"teamId": TEAM, "folderId": folder_id}), "scenarios")
    else:  # the official tool lists the whole team: the agent keeps the folder's
        everything = unwrap(await s.call("scenarios_list", {"teamId": TEAM}), "scenarios")
        listed = [scenario for scenario in everything if scenario.get("folderId") == folder_id]
    users: list[int] = []
    for scenario in [scenario for scenario in listed if "slack" in (scenario.get("usedPackages") or [])]:
        if s.ours:
            blueprint = (await s.call("blueprints_get", {"scenarioId": scenario["id"]}))["response"]["blueprint"]
        else:
            blueprint = (await s.call("scenarios_get", {"scenarioId": scenario["id"]}))["blueprint"]
        if f'"__IMTCONN__": {connection_id}' in json.dumps(blueprint):
            users.append(scenario["id"])
    return f"{len(users)} of the folder's {len(listed)} scenarios use connection {connection_id}: {users}"


async def copy_scenario_to_folder(s: Session) -> str:
    folders = unwrap(await s.call("folders_list", {"teamId": TEAM}), "scenariosFolders")
    folder_id = next(folder["id"] for folder in folders if folder["name"] == "Internal tools")
    if s.ours:
        scenario = (await s.call("scenarios_get", {"scenarioId": 402}))["scenario"]
    else:
        scenario = await s.call("scenarios_get", {"scenarioId": 402})
    copy = {
        "teamId": TEAM,
        "folderId": folder_id,
        "blueprint": {**scenario["blueprint"], "name": f"{scenario['name']} (copy)"},
        "scheduling": scenario["scheduling"],
    }
    created = unwrap(await s.call("scenarios_create", copy), "scenario")
    assert created["id"] != 402
    return f"scenario 402 copied as {created['id']} into folder {folder_id}"


async def rename_data_store_records(s: Session) -> str:
    """Every customer's name in capitals, in the Customers data store."""
    stores = unwrap(await s.call("data-stores_list", {"teamId": TEAM}), "dataStores")
    store_id = next(store["id"] for store in stores if store["name"] == "Customers")
    records = unwrap(await s.call("data-store-records_list", {"dataStoreId": store_id}), "records")
    for record in records:
        data = {"name": str(record["data"]["name"]).upper()}
        await s.call("data-store-records_update", {"dataStoreId": store_id, "key": record["key"], "data": data})
    assert records
    return f"{len(records)} records of data store {store_id} renamed"


async def connections_of_a_scenario(s: Session) -> str:
    if s.ours:
        blueprint = (await s.call("blueprints_get", {"scenarioId": 402}))["response"]["blueprint"]
    else:
        blueprint = (await s.call("scenarios_get", {"scenarioId": 402}))["blueprint"]
    used = {int(found) for found in re.findall(r'"__IMTCONN__": (\d+)', json.dumps(blueprint))}
    connections = unwrap(await s.call("connections_list", {"teamId": TEAM}), "connections")
    names = sorted(c["name"] for c in connections if c["id"] in used)
    assert names
    return f"scenario 402 uses {names}"


TASKS: tuple[tuple[str, Callable[[Session], Awaitable[str]]], ...] = (
    ("find why scenarios failed", why_scenarios_failed),
    ("read a blueprint and the apps it uses", blueprint_and_apps),
    ("create a data store with a structure and three records", data_store_with_records),
    ("turn off the scenarios that use a webhook", turn_off_webhook_scenarios),
    ("find expired connections", expired_connections),
    ("run a scenario and report the outcome", run_and_report),
    ("rename a scenario and move it to a folder", rename_and_move),
    ("who has which role", who_has_which_role),
    # Added in the fifth session (issue 20): everyday tasks beyond the first eight.
    ("why did my last run fail", why_last_run_failed),
    ("disable a webhook", disable_a_webhook),
    ("find the scenarios of a folder that use a connection", scenarios_using_a_connection),
    ("copy a scenario into another folder", copy_scenario_to_folder),
    ("rename a data store's records", rename_data_store_records),
    ("which connections a scenario uses", connections_of_a_scenario),
)
FIRST_EIGHT = 8


# --- the seeded sandbox, in a process of its own ---


def serve_seeded_sandbox(port: int) -> None:
    import uvicorn

    from make_mcp.server.sandbox import create_sandbox_app, demo_state
    from make_mcp.server.sandbox.seed_account import seed_large_account

    state = demo_state()
    seed_large_account(state)
    uvicorn.run(create_sandbox_app(state), host=bench.HOST, port=port, log_level="warning", lifespan="off")


@contextlib.asynccontextmanager
async def seeded_sandbox() -> AsyncIterator[str]:
    port = bench.free_port()
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        str(Path(__file__).resolve()),
        "--serve-sandbox",
        str(port),
        cwd=bench.ROOT,
        env=bench.clean_env(),
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )
    zone = f"http://{bench.HOST}:{port}"
    try:
        async with bench.direct_client(zone) as client:
            deadline = time.monotonic() + bench.REQUEST_TIMEOUT
            while True:
                if process.returncode is not None:
                    raise bench.BenchError(f"the seeded sandbox exited with {process.returncode}")
                with contextlib.suppress(httpx2.TransportError):
                    if (await client.get(bench.FLOOR_PATH)).status_code == 200:
                        break
                if time.monotonic() > deadline:
                    raise bench.BenchError("the seeded sandbox did not answer within its start-up time")
                await asyncio.sleep(0.1)
        yield zone
    finally:
        with contextlib.suppress(ProcessLookupError):
            process.terminate()
        await bench.stop_process(process)


async def measure(
    name: str,
    target: Callable[[str], bench.ServerUnderTest],
    count: Callable[[str], int],
    *,
    kind: str,
) -> ServerFigures:
    async with seeded_sandbox() as zone:
        server_under_test = target(zone)
        async with bench.peer(
            server_under_test.name, server_under_test.argv, server_under_test.env, server_under_test.cwd
        ) as server:
            await server.initialize()
            listing, _ = await server.request("tools/list", {})
            figures = ServerFigures(name, count(bench.model_visible(listing["tools"])), len(listing["tools"]))
            listed = {tool["name"] for tool in listing["tools"]}
            session = Session(server, count, kind=kind, listed=listed)
            for task, run in TASKS:
                session.figures = TaskFigures(task)
                session._described.clear()  # each task is a conversation of its own  # pyright: ignore[reportPrivateUsage]
                answer = await run(session)
                session.figures.note = (answer + ";" + session.figures.note).strip(";")
                figures.tasks.append(session.figures)
    return figures


def ours(**settings: str) -> Callable[[str], bench.ServerUnderTest]:
    def make(zone: str) -> bench.ServerUnderTest:
        target = bench.ours(zone, for_calls=False, **settings)
        target.env["MAKE_TEAM"] = str(TEAM)
        return target

    return make


async def run(with_official: bool, official_dir: Path) -> list[ServerFigures]:
    import bpe_openai

    encoding = bpe_openai.get_encoding("cl100k_base")

    def count(text: str) -> int:
        return len(encoding.encode(text))

    measured = [
        await measure("make-mcp, default (core) mode", ours(), count, kind="ours"),
        await measure("make-mcp, full mode", ours(MAKE_TOOL_MODE="full"), count, kind="ours"),
        await measure("make-mcp, discovery mode", ours(MAKE_TOOL_MODE="discovery"), count, kind="ours"),
    ]
    if with_official:
        await asyncio.to_thread(bench.install_official, official_dir)
        measured.append(
            await measure(
                "official tool set (MakeTools)", lambda zone: bench.official(zone, official_dir), count, kind="official"
            )
        )
    return measured


def _sum(m: ServerFigures, picked: Sequence[int], what: str) -> int:
    return sum(getattr(m.tasks[index], what) for index in picked)


def report(measured: Sequence[ServerFigures]) -> str:
    names = [figures.name for figures in measured]
    lines = [
        "| task | " + " | ".join(f"{name}: calls / result tokens" for name in names) + " |",
        "|---|" + "---:|" * len(names),
    ]
    for index, (task, _) in enumerate(TASKS):
        cells = [f"{m.tasks[index].calls} / {m.tasks[index].result_tokens:,}" for m in measured]
        lines.append(f"| {task} | " + " | ".join(cells) + " |")
    groups = {
        "the first eight": range(FIRST_EIGHT),
        "the added six": range(FIRST_EIGHT, len(TASKS)),
        f"all {len(TASKS)}": range(len(TASKS)),
    }
    for label, picked in groups.items():
        totals = [f"**{_sum(m, picked, 'calls')} / {_sum(m, picked, 'result_tokens'):,}**" for m in measured]
        lines.append(f"| **{label}** | " + " | ".join(totals) + " |")
    lines += [
        "",
        "| server | tools listed | tool-list tokens | result tokens, all tasks | per task: list + results (mean) |",
        "|---|---:|---:|---:|---:|",
    ]
    for m in measured:
        results = sum(t.result_tokens for t in m.tasks)
        per_task = m.listing_tokens + results / len(m.tasks)
        lines.append(f"| {m.name} | {m.tools} | {m.listing_tokens:,} | {results:,} | {per_task:,.0f} |")
    official = next((m for m in measured if m.name.startswith("official")), None)
    if official is not None:
        lines += ["", "Against the official tool set (calls: over the tasks it can do, the others named):"]
        done = [index for index, task in enumerate(official.tasks) if NO_OFFICIAL_TOOL not in task.note]
        lines.append(f"- tasks it cannot do: {[TASKS[i][0] for i in range(len(TASKS)) if i not in done]}")
        for label, picked in {**groups, "the tasks it can do": done}.items():
            picked = list(picked)
            calls = _sum(official, picked, "calls")
            results = _sum(official, picked, "result_tokens")
            context = official.listing_tokens + results / len(picked)
            for m in measured:
                if m is official:
                    continue
                ours_results = _sum(m, picked, "result_tokens")
                ours_context = m.listing_tokens + ours_results / len(picked)
                lines.append(
                    f"- {label}, {m.name}: calls {_sum(m, picked, 'calls') / calls:.2f}x; result tokens "
                    f"{ours_results / results:.0%}; per task (list plus results) {ours_context / context:.0%}"
                )
    lines += ["", "Answers:"]
    for m in measured:
        lines += [f"- {m.name}:"] + [f"  - {t.task}: {t.note}" for t in m.tasks]
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--official", action="store_true", help="also run the tasks on Make's official tool set (npm)")
    parser.add_argument("--official-dir", type=Path, default=OFFICIAL_DIR)
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the figures as JSON")
    parser.add_argument("--deadline", type=float, default=600.0, help="seconds the whole run may take")
    parser.add_argument("--serve-sandbox", type=int, metavar="PORT", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve_sandbox is not None:
        serve_seeded_sandbox(args.serve_sandbox)
        return 0

    async def bounded() -> list[ServerFigures]:
        async with asyncio.timeout(args.deadline):
            return await run(args.official, args.official_dir)

    try:
        measured = asyncio.run(bounded())
    except TimeoutError:
        sys.stderr.write(f"bench_tasks: stopped after the {args.deadline:.0f} s deadline\n")
        return 1
    except (bench.BenchError, AssertionError, OSError, subprocess.SubprocessError) as error:
        sys.stderr.write(f"bench_tasks: {error}\n")
        return 1
    sys.stdout.write(report(measured))
    if args.json is not None:
        args.json.write_text(json.dumps([asdict(m) for m in measured], indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
