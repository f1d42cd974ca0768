"""Maps Make's official tool set onto our catalogue and writes tools/spec/official-mapping.json.

    .venv/bin/python scripts/official_mapping.py           # write the file
    .venv/bin/python scripts/official_mapping.py --check   # exit 1 when the file is not what this computes

Computed from the facts (tools/spec/official-tools.json: each official tool's arguments and the requests its
packaged examples and its probe call made) and our catalogue (tools/registry.py ALL_OPERATIONS: method, path
template, input fields and their wire names), then finished by the decisions written by hand below, each
with its reason. Per official tool: its request(s) as method + path template, whether the reference
documents them, our operation for the same method and template today, and for each official argument where
it travels (path, query, body, the whole body, or nowhere: the official drops it) and our field that sends
it there. The `notYet` lists name the official tools whose requests or advertised arguments do not match yet:
tests/tools/test_official_*.py expects exactly those to fail.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from make_mcp.server.engine.operations import field_wires
from make_mcp.tools.catalogue import Operation
from make_mcp.tools.registry import ALL_OPERATIONS, DEFAULT_FIELDS

ROOT = Path(__file__).resolve().parents[1]

FACTS = ROOT / "tools" / "spec" / "official-tools.json"
SPEC = ROOT / "tools" / "spec" / "make-openapi.json"
OUTPUT = ROOT / "tools" / "spec" / "official-mapping.json"
UNDOCUMENTED_OUTPUT = ROOT / "tools" / "spec" / "official-undocumented-openapi.json"
# Response bodies recorded in the SDK's own tests (../shared/make-api/sdk-mocks), for the undocumented answers.
MOCKS = (
    next((p for p in (ROOT.parent / "shared", ROOT.parents[1] / "shared") if p.is_dir()), ROOT)
    / "make-api"
    / "sdk-mocks"
)

# --- decisions made by hand ---------------------------------------------------------------------------------

# What the official adds to requests without the caller asking, and what make-mcp does about each.
DEFAULTS: dict[str, dict[str, str]] = {
    "cols[]=*": {
        "decision": "send cols[]=* when the caller names no columns; cols may also be given as ['*']",
        "reason": "the official asks for every column, so its answers carry fields Make leaves out by default; "
        "a drop-in must return the same fields, and the result budget already cuts long answers",
    },
    "confirmed=true": {
        "decision": "send confirmed=true on the delete once the user has confirmed the call",
        "reason": "Make's 406 'confirm' answer exists so that a client asks; make-mcp asks the user itself "
        "(elicitation or a confirmation token) before sending any destructive request, so the request it "
        "then sends is the confirmed one, as the official's is",
    },
    "useDefaults=requiredOnly": {
        "decision": "send useDefaults=requiredOnly on hooks_create",
        "reason": "the same hook must come out of the same call; without it Make fills in options the caller "
        "did not choose",
    },
    "metadata": {
        "decision": "do not send metadata {input_spec, output_spec} on scenarios_create and scenarios_update; "
        "a scenario's inputs and outputs are set with scenarios_set-interface",
        "reason": "Make sets the scenario's interface from it: the official sends empty lists whenever the "
        "blueprint carries no interface, which on an update wipes the inputs and outputs the user defined, "
        "and on a create gives nothing a new scenario lacks without it",
    },
}

# Differences of one official tool that the computed mapping cannot state by itself.
TOOL_NOTES: dict[str, list[dict[str, str]]] = {
    "hooks_update": [
        {
            "what": "official hooks_update is POST /hooks/{hookId}/set-data; make-mcp's hooks_update was the "
            "PATCH /hooks/{hookId} rename and its set-data tool hooks_set-data",
            "decision": "hooks_update takes the official meaning; the rename becomes hooks_rename",
            "reason": "prompts written for the official server mean set-data by hooks_update",
        }
    ],
    "sdk-apps_set-public": [
        {
            "what": "the reference documents one request, POST .../{visibility}, which make-mcp served as "
            "sdk-apps_set-visibility with a visibility argument",
            "decision": "split into sdk-apps_set-public and sdk-apps_set-private",
            "reason": "the official names are two tools without a visibility argument",
        }
    ],
    "sdk-apps_set-private": [
        {
            "what": "the reference documents one request, POST .../{visibility}, which make-mcp served as "
            "sdk-apps_set-visibility with a visibility argument",
            "decision": "split into sdk-apps_set-public and sdk-apps_set-private",
            "reason": "the official names are two tools without a visibility argument",
        }
    ],
    "sdk-modules_set-public": [
        {
            "what": "the reference documents one request, POST .../modules/{moduleName}/{visibility}, which "
            "make-mcp served as sdk-modules_set-visibility with a visibility argument",
            "decision": "split into sdk-modules_set-public and sdk-modules_set-private",
            "reason": "the official names are two tools without a visibility argument",
        }
    ],
    "sdk-modules_set-private": [
        {
            "what": "the reference documents one request, POST .../modules/{moduleName}/{visibility}, which "
            "make-mcp served as sdk-modules_set-visibility with a visibility argument",
            "decision": "split into sdk-modules_set-public and sdk-modules_set-private",
            "reason": "the official names are two tools without a visibility argument",
        }
    ],
    "sdk-modules_set-section": [
        {
            "what": "one official tool with a section argument; the reference documents one request per section "
            "(here sdk-modules_set-api, set-epoch, set-parameters, set-interface, set-samples, set-scope)",
            "decision": "add sdk-modules_set-section, a tool of seven requests sending the chosen section's "
            "PUT .../modules/{moduleName}/<section> with the JSONC text; keep the per-section tools, whose bodies "
            "are typed",
            "reason": "the official name must exist with its meaning; the typed tools stay for other clients",
        }
    ],
    "sdk-apps_get-section": [
        {
            "what": "GET /sdk/apps/{appName}/{appVersion}/{section} is not in the reference",
            "decision": "declare it from the SDK's request (documented: false)",
            "reason": "Make's own SDK reads app sections there",
        }
    ],
    "sdk-apps_set-section": [
        {
            "what": "PUT .../base and .../installSpec are not in the reference (groups and install are, as "
            "sdk-apps_set-groups and sdk-apps_set-install)",
            "decision": "declare PUT /sdk/apps/{appName}/{appVersion}/{section} from the SDK's request "
            "(documented: false); keep the per-section tools",
            "reason": "Make's own SDK writes app sections there",
        }
    ],
    "credential-requests_list-app-modules-with-creds": [
        {
            "what": "make-mcp served the same request as credential-requests_list-app-modules",
            "decision": "rename to the official name",
            "reason": "one name for one operation: the official one",
        }
    ],
    "scenarios_get": [
        {
            "what": "the official also fetches the blueprint (GET /scenarios/{scenarioId}/blueprint) and returns "
            "it inside the scenario",
            "decision": "scenarios_get sends both requests, as a tool of two steps",
            "reason": "callers of the official tool read the blueprint from its result",
        }
    ],
    "data-stores_delete": [
        {
            "what": "the official deletes one store with DELETE /data-stores/{dataStoreId} (not in the reference); "
            "our data-stores_delete is the documented bulk DELETE /data-stores?teamId=...",
            "decision": "data-stores_delete takes the official meaning (documented: false); the bulk delete "
            "becomes data-stores_delete-many",
            "reason": "the official name and arguments (dataStoreId) must keep working",
        }
    ],
    "on-prem-agent_create": [
        {
            "what": "the official registers an agent with POST /agent/register?organizationId= (not in the "
            "reference); ours sends the documented POST /agents/{agentId}, which needs an agentId the "
            "official never asks for",
            "decision": "on-prem-agent_create sends POST /agent/register (documented: false); the documented "
            "operation stays as on-prem-agent_create-with-id",
            "reason": "the official call has no agentId to give",
        }
    ],
    "connections_create": [
        {
            "what": "the official name is the connection's label (sent as accountName) and accountName is the "
            "app's connection type (sent as accountType); it spreads data into the body and drops scope",
            "decision": "accept name and accountName with the official meaning; send data's fields and scope "
            "as Make takes them",
            "reason": "the official argument names must mean what they mean there; make-mcp keeps caller data "
            "the official drops",
        }
    ],
    "connections_update": [
        {
            "what": "the official sends data to POST /connections/{connectionId}/set-data with an empty body",
            "decision": "send data to set-data as the body",
            "reason": "make-mcp sends what the caller gave where the official drops it",
        }
    ],
    "custom-roles_update": [
        {
            "what": "the SDK sends PATCH /users/custom-roles/{id}; Make's live openapi.json (the undocumented list in "
            "../shared/make-api) names PATCH /users/custom-roles without an id",
            "decision": "declare the SDK's request (documented: false)",
            "reason": "the SDK's request is the one recorded from working code; the live list gives no parameters",
        }
    ],
    "custom-roles_delete": [
        {
            "what": "the SDK sends DELETE /users/custom-roles/{id} with organizationId in the body; Make's live "
            "openapi.json names DELETE /users/custom-roles without an id",
            "decision": "declare the SDK's request (documented: false)",
            "reason": "the SDK's request is the one recorded from working code; the live list gives no parameters",
        }
    ],
    "sdk-apps_create": [
        {
            "what": "the reference documents the body as {app: {name, label ...}}; the SDK sends the app's fields "
            "at the top level",
            "decision": "send the official body: the fields at the top level",
            "reason": "the SDK's request is what Make's own tools send and is recorded from working code",
        }
    ],
    "credential-requests_create": [
        {
            "what": "the reference documents a body of one connection or one key ({name, description, connection, "
            "key}); the SDK sends {name, description, teamId, credentials: [{appName, appModules ...}]}",
            "decision": "accept and send the official body",
            "reason": "the official arguments must keep working; the reference's body is the older one-credential form",
        }
    ],
    "executions_list-for-incomp-exec": [
        {
            "what": "the official drops its limit argument",
            "decision": "send limit as pg[limit], Make's page size, as the other official limit arguments",
            "reason": "make-mcp sends what the caller gave where the official drops it",
        }
    ],
    "executions_list": [
        {
            "what": "the official drops its status, from and to arguments",
            "decision": "send them as the query parameters Make documents",
            "reason": "make-mcp sends what the caller gave where the official drops it",
        }
    ],
}

# Our operation for an official tool where the computed match is wrong: a template of the same shape with
# another meaning (PUT .../modules/{moduleName}/{consumable} is not the section write), or the right one
# among several that cover the official request with a fixed segment.
OUR_OPERATION: dict[str, str | None] = {
    "sdk-modules_set-section": "sdk-modules_set-section",
}

# Official tools whose template the computation cannot find in the reference though every value of its
# {section} argument is a documented path of its own (PUT .../modules/{moduleName}/api, .../epoch ...).
DOCUMENTED_BY_SECTION: frozenset[str] = frozenset({"sdk-modules_set-section"})

# Where make-mcp's request may differ from the official one for a packaged example, by `where` as
# tests/tools/test_official_requests.py names it ("query <key>", "body <key>", "request"), with the reason.
# The examples exercise none of the caller data the official drops (TOOL_NOTES), and every other undocumented
# default is adopted (DEFAULTS); the differences are the columns a list asks for by default, and a null.
DEFAULT_COLUMNS_REASON = (
    "make-mcp asks a list for its most used fields by default (tools/result_fields.py), where the official "
    "asks for every column or none; cols=['*'] asks for every column, as the official does"
)
NULL_IS_LEFT_OUT = (
    "make-mcp reads a null argument as left out (strict clients send null for every field they skip), so the "
    "official's explicit null is not sent"
)
METADATA_IS_LEFT_OUT = (
    "make-mcp does not send the official's empty metadata (input_spec, output_spec): on an update it would "
    "wipe the scenario's interface (see defaults, metadata); scenarios_set-interface sets it"
)
ALLOWED_DIFFERENCES: dict[str, list[dict[str, str]]] = {
    "scenarios_create": [{"where": "body metadata", "reason": METADATA_IS_LEFT_OUT}],
    "scenarios_update": [{"where": "body metadata", "reason": METADATA_IS_LEFT_OUT}],
    "folders_update": [{"where": "body", "reason": NULL_IS_LEFT_OUT}],
    "private-spaces_update": [{"where": "body", "reason": NULL_IS_LEFT_OUT}],
}


def allowed_differences(name: str) -> list[dict[str, str]]:
    """The hand-made differences of a tool, and the default columns of a list tool with default fields."""
    found = list(ALLOWED_DIFFERENCES.get(name, []))
    if name in DEFAULT_FIELDS:
        found.append({"where": "query cols[]", "reason": DEFAULT_COLUMNS_REASON})
    return found


# Packaged examples ("<tool>#<n>") that do not send the official's request here yet (the test's expected
# failures). Emptying this list is the drop-in work: each entry fixed must be removed, the test insists.
NOT_YET_REQUESTS: frozenset[str] = frozenset()
# Official tools not advertised here yet under their name with all their argument names.
NOT_YET_ADVERTISED: frozenset[str] = frozenset()

# The recorded answer (a file of the SDK's test mocks) of each undocumented operation, by official tool.
RESPONSE_MOCKS: dict[str, str | None] = {
    "sdk-apps_get-section": "sdk/apps/get-section.json",
    "sdk-apps_set-section": "sdk/apps/get-section.json",
    "sdk-endpoints_list": "sdk/endpoints/list.json",
    "sdk-endpoints_get": "sdk/endpoints/get.json",
    "sdk-endpoints_create": "sdk/endpoints/create.json",
    "sdk-endpoints_update": "sdk/endpoints/update.json",
    "sdk-endpoints_delete": None,
    "sdk-endpoints_set-public": None,
    "sdk-endpoints_set-private": None,
    "sdk-endpoints_get-section": "sdk/apps/get-section.json",
    "sdk-endpoints_set-section": None,
    "credential-requests_create-by-credentials": "credential-requests/create-by-credentials.json",
    "credential-requests_extend-connection": "credential-requests/extend-connection.json",
    "data-stores_delete": None,
    "on-prem-agent_create": "on-prem-agents/create.json",
    "on-prem-agent_get-app-config": "on-prem-agents/app-config.json",
    "connected-system_list": "connected-systems/list.json",
    "connected-system_get": "connected-systems/get.json",
    "connected-system_create": "connected-systems/create.json",
    "connected-system_update": "connected-systems/update.json",
    "connected-system_delete": "connected-systems/delete.json",
    "connected-system_list-apps": "enums/connected-system-apps.json",
    "private-spaces_list": "private-spaces/list.json",
    "private-spaces_get": "private-spaces/get.json",
    "private-spaces_update": "private-spaces/update.json",
    "custom-roles_create": "custom-roles/create.json",
    "custom-roles_update": "custom-roles/update.json",
    "custom-roles_delete": "custom-roles/delete.json",
}

# --- computation ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Template:
    method: str
    path: str  # e.g. "/scenarios/{scenarioId}"

    @property
    def segments(self) -> list[str]:
        return self.path.strip("/").split("/")


def is_param(segment: str) -> bool:
    return segment.startswith("{") and segment.endswith("}")


def text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def official_template(request: Mapping[str, Any], arguments: Mapping[str, Any]) -> Template:
    """The request's path with each segment that spells an argument's value replaced by {argument}."""
    by_text = {text(value): name for name, value in arguments.items() if isinstance(value, str | int | float)}
    segments = request["path"].strip("/").split("/")
    return Template(request["method"], "/" + "/".join("{" + by_text[s] + "}" if s in by_text else s for s in segments))


def fits(official: Template, ours: Template) -> str | None:
    """'same' when the templates agree segment by segment, 'covers' when ours has a parameter where the official
    has a fixed segment (one of our tools does several official ones), else None."""
    if official.method != ours.method or len(official.segments) != len(ours.segments):
        return None
    result = "same"
    for theirs, mine in zip(official.segments, ours.segments, strict=True):
        if is_param(theirs) and is_param(mine):
            continue
        if is_param(mine):
            result = "covers"
        elif theirs != mine:
            return None
    return result


def our_operation(name: str, official: Template, operations: Sequence[Operation]) -> tuple[Operation | None, str]:
    if name in OUR_OPERATION:
        chosen = next((op for op in operations if op.name == OUR_OPERATION[name]), None)
        fit = fits(official, Template(chosen.method, chosen.path)) if chosen is not None else None
        return (chosen, fit) if chosen is not None and fit is not None else (None, "none")
    ranked: list[tuple[int, int, Operation, str]] = []
    for operation in operations:
        fit = fits(official, Template(operation.method, operation.path))
        # One of ours covers an official tool only within the same resource (not sdk-apps for sdk-endpoints).
        if fit == "covers" and operation.name.partition("_")[0] != name.partition("_")[0]:
            fit = None
        if fit is not None:
            ranked.append((0 if fit == "same" else 1, 0 if operation.name == name else 1, operation, fit))
    if not ranked:
        return None, "none"
    ranked.sort(key=lambda entry: (entry[0], entry[1], entry[2].path.count("{")))
    return ranked[0][2], ranked[0][3]


def advertised_name(operation: Operation, field: str) -> str:
    info = operation.input_model.model_fields[field]
    return info.alias or field


def where_sent(name: str, value: Any, requests: Sequence[Mapping[str, Any]], templates: Sequence[Template]) -> dict:
    """Where the official request carries the argument's value."""
    for index, (request, template) in enumerate(zip(requests, templates, strict=True)):
        step = {"request": index} if index else {}
        if "{" + name + "}" in template.segments:
            return {"in": "path", "position": template.segments.index("{" + name + "}"), **step}
        values = value if isinstance(value, list) else [value]
        for key, sent in request["query"]:
            if isinstance(value, dict) and any(key.startswith(k) for k in value):
                return {"in": "query", "wire": "<key>[]" if key.endswith("[]") else "<key>", **step}
            if key.removesuffix("[]") == name and sent in [text(item) for item in values]:
                return {"in": "query", "wire": key, **step}
        for key, sent in request["query"]:
            if sent in [text(item) for item in values] and not isinstance(value, bool):
                return {"in": "query", "wire": key, **step}
        body = request.get("body")
        if isinstance(body, dict):
            if name in body and (body[name] == value or body[name] == json.dumps(value, separators=(",", ":"))):
                encoded = body[name] != value
                return {"in": "body", "wire": name, **({"jsonText": True} if encoded else {}), **step}
            for key, sent in body.items():
                if sent == value and not isinstance(value, bool | int):
                    return {"in": "body", "wire": key, **step}
            if isinstance(value, dict) and value and all(body.get(k) == v for k, v in value.items()):
                return {"in": "body-spread", **step}
        if body == value or request.get("bodyText") == value or request.get("bodyBase64") == value:
            return {"in": "whole-body", **step}
        if request.get("bodyText") is not None and isinstance(value, str) and body is None:
            continue
    return {"in": "not-sent"}


def our_field(operation: Operation, sent: Mapping[str, Any], official_path: Template) -> str | None:
    wires = field_wires(operation.input_model)
    where = sent["in"]
    if sent.get("request"):
        return None
    if where == "path":
        segment = operation.path.strip("/").split("/")[sent["position"]]
        if not is_param(segment):
            return None
        wire_name = segment[1:-1]
        return next((w.field for w in wires if w.wire.location == "path" and w.name == wire_name), None)
    if where == "query":
        wire_name: str = sent["wire"]
        for w in wires:
            if w.wire.location != "query":
                continue
            if w.name == wire_name or w.name == wire_name.removesuffix("[]") or w.name.removesuffix("[]") == wire_name:
                return w.field
            if wire_name.startswith("pg[") and w.name == "pg":
                return f"{w.field}.{wire_name[3:-1]}"
            if wire_name.startswith("<") and w.name.startswith("<"):
                return w.field
        return None
    whole = next((w.field for w in wires if w.wire.location == "whole_body"), None)
    if where == "body":
        direct = next((w.field for w in wires if w.wire.location == "body" and w.name == sent["wire"]), None)
        return direct or (f"{whole}.{sent['wire']}" if whole else None)
    if where == "body-spread":
        return next((w.field for w in wires if w.wire.location == "body_spread"), whole)
    if where == "whole-body":
        return whole
    return None


def added_defaults(requests: Sequence[Mapping[str, Any]], arguments: Mapping[str, Any]) -> list[str]:
    """What the official sends that no argument asked for: the undocumented defaults."""
    found: list[str] = []
    for request in requests:
        for key, value in request["query"]:
            if key == "cols[]" and value == "*" and "cols" not in arguments:
                found.append("cols[]=*")
            elif key == "confirmed" and "confirmed" not in arguments:
                found.append("confirmed=true")
            elif key == "useDefaults":
                found.append(f"useDefaults={value}")
        body = request.get("body")
        if isinstance(body, dict) and "metadata" in body and "metadata" not in arguments:
            found.append("metadata")
    return sorted(set(found))


def documented_paths() -> set[tuple[str, str]]:
    document = json.loads(SPEC.read_text(encoding="utf-8"))
    return {(method.upper(), path) for path, item in document["paths"].items() for method in item}


def map_tool(tool: Mapping[str, Any], operations: Sequence[Operation], documented: set[tuple[str, str]]) -> dict:
    name: str = tool["name"]
    probe = tool["probe"]
    if not probe["requests"]:
        raise SystemExit(f"official_mapping: {name}'s probe sent nothing")
    templates = [official_template(request, probe["arguments"]) for request in probe["requests"]]
    ours, fit = our_operation(name, templates[0], operations)
    same_request = ours is not None and fit in ("same", "covers")
    same_name = next((op for op in operations if op.name == name), None)
    if ours is None:
        status = "missing" if same_name is None else "other-meaning"
    elif fit == "covers":
        status = "covered"
    elif ours.name == name:
        status = "same"
    elif any(op.name == name for op in operations):
        status = "other-meaning"
    else:
        status = "renamed"
    arguments: list[dict[str, Any]] = []
    for argument in tool["arguments"]:
        sent = where_sent(argument["name"], probe["arguments"][argument["name"]], probe["requests"], templates)
        field = our_field(ours, sent, templates[0]) if ours is not None and same_request else None
        advertised = advertised_name(ours, field.partition(".")[0]) if ours is not None and field else None
        if sent["in"] == "path":
            template = ours.path if ours is not None and same_request else templates[sent.get("request", 0)].path
            sent = {**sent, "wire": template.strip("/").split("/")[sent["position"]].strip("{}")}
        if sent["in"] == "not-sent":
            argument_status = "not-sent"
        elif not same_request:
            argument_status = "no-tool"  # nothing here sends this request yet
        elif field is None:
            argument_status = "refused"
        elif field.partition(".")[0] != argument["name"] and advertised != argument["name"]:
            argument_status = "renamed"
        else:
            argument_status = "same"
        arguments.append(
            {
                "name": argument["name"],
                "required": argument["required"],
                **sent,
                "ours": (advertised if "." not in (field or "") else field) if field else None,
                "status": argument_status,
            }
        )
    defaults = sorted(
        {d for example in tool["examples"] for d in added_defaults(example["requests"], example["arguments"])}
    )
    return {
        "name": name,
        "requests": [
            {"method": t.method, "path": ours.path if ours is not None and same_request and i == 0 else t.path}
            for i, t in enumerate(templates)
        ],
        # Our tool of the request says whether the reference documents it (a fixed segment, as in set-public,
        # makes a path the reference does not spell); without one, the reference's paths say.
        "documented": (ours.meta or {}).get("documented", True) is True
        if ours is not None and same_request
        else name in DOCUMENTED_BY_SECTION
        or all(
            (t.method, ours.path if ours is not None and same_request and i == 0 else t.path) in documented
            for i, t in enumerate(templates)
        ),
        "ours": ours.name if ours is not None else None,
        "status": status,
        # What our tool of the official name does when that is another request.
        **({"nameHereIs": f"{same_name.method} {same_name.path}"} if status == "other-meaning" and same_name else {}),
        # The value our covering tool's path parameter takes for this official tool (e.g. SDK_appVisibility=public).
        **({"fixed": fixed_segments(templates[0], ours.path)} if fit == "covers" and ours is not None else {}),
        "arguments": arguments,
        "defaults": defaults,
        "notes": TOOL_NOTES.get(name, []),
        "allowedDifferences": allowed_differences(name),
    }


def fixed_segments(official: Template, our_path: str) -> dict[str, str]:
    ours = Template(official.method, our_path).segments
    return {
        mine.strip("{}"): theirs
        for theirs, mine in zip(official.segments, ours, strict=True)
        if is_param(mine) and not is_param(theirs)
    }


def counts(tools: Iterable[Mapping[str, Any]]) -> dict[str, int]:
    tools = list(tools)
    tally: dict[str, int] = {"tools": len(tools)}
    for tool in tools:
        tally[f"tools {tool['status']}"] = tally.get(f"tools {tool['status']}", 0) + 1
    tally["tools undocumented"] = sum(not tool["documented"] for tool in tools)
    for tool in tools:
        for argument in tool["arguments"]:
            key = f"arguments {argument['status']}"
            tally[key] = tally.get(key, 0) + 1
    tally["tools with an argument not accepted as named"] = sum(
        any(a["status"] in ("renamed", "refused") for a in tool["arguments"]) for tool in tools if tool["ours"]
    )
    for tool in tools:
        for default in tool["defaults"]:
            key = f"default {default.partition('=')[0] if default.startswith('use') else default}"
            tally[key] = tally.get(key, 0) + 1
    return dict(sorted(tally.items()))


def compute() -> dict[str, Any]:
    facts = json.loads(FACTS.read_text(encoding="utf-8"))
    operations = list(ALL_OPERATIONS)
    documented = documented_paths()
    tools = [map_tool(tool, operations, documented) for tool in facts["tools"]]
    official = {tool["name"] for tool in tools}
    official_requests = {(r["method"], r["path"]) for tool in tools for r in tool["requests"]}
    named = {*TOOL_NOTES, *ALLOWED_DIFFERENCES, *NOT_YET_ADVERTISED, *(e.partition("#")[0] for e in NOT_YET_REQUESTS)}
    unknown = sorted(named - official)
    if unknown:
        raise SystemExit(f"official_mapping: hand-made entries for tools the official set lacks: {unknown}")
    return {
        "package": facts["package"],
        "generatedBy": "scripts/official_mapping.py",
        "counts": counts(tools),
        # Our operations whose request no official tool sends: what only make-mcp offers.
        "ownTools": sorted(op.name for op in operations if (op.method, op.path) not in official_requests),
        "defaults": DEFAULTS,
        "notYet": {"requests": sorted(NOT_YET_REQUESTS), "advertised": sorted(NOT_YET_ADVERTISED)},
        "tools": tools,
    }


def undocumented_openapi(document: Mapping[str, Any]) -> dict[str, Any]:
    """The operations the official calls and the reference lacks, as OpenAPI: what the sandbox answers and the
    generator declares (documented: false). Parameters and bodies come from the official arguments' facts."""
    facts = {tool["name"]: tool for tool in json.loads(FACTS.read_text(encoding="utf-8"))["tools"]}
    paths: dict[str, dict[str, Any]] = {}
    for tool in document["tools"]:
        if tool["documented"] or tool["name"] in DOCUMENTED_BY_SECTION:
            continue
        request = tool["requests"][0]
        schemas = {argument["name"]: argument for argument in facts[tool["name"]]["arguments"]}
        parameters: list[dict[str, Any]] = []
        properties: dict[str, Any] = {}
        required: list[str] = []
        whole_body = False
        for argument in tool["arguments"]:
            fact = schemas[argument["name"]]
            if argument["in"] in ("path", "query"):
                schema = fact["schema"]
                if argument["in"] == "path" and schema.get("type") == "number":
                    schema = {**schema, "type": "integer"}  # IDs and app versions in a path are whole numbers
                parameters.append(
                    {
                        "name": argument.get("wire", argument["name"]),
                        "in": argument["in"],
                        "required": argument["in"] == "path" or fact["required"],
                        "schema": schema,
                    }
                )
            elif argument["in"] == "body":
                properties[argument["wire"]] = fact["schema"]
                if fact["required"]:
                    required.append(argument["wire"])
            elif argument["in"] == "whole-body":
                whole_body = True
        for default in tool["defaults"]:
            name = {"cols[]=*": "cols[]", "confirmed=true": "confirmed"}.get(default)
            if name is not None and all(p["name"] != name for p in parameters):
                kind = {"type": "array", "items": {"type": "string"}} if name == "cols[]" else {"type": "boolean"}
                parameters.append({"name": name, "in": "query", "required": False, "schema": kind})
        operation: dict[str, Any] = {
            "operationId": tool["name"],
            "tags": ["undocumented"],
            "x-source": f"{document['package']} request of {tool['name']}",
            "security": [{"token": [facts[tool["name"]]["scope"]]}],
            "parameters": parameters,
        }
        if whole_body:
            # Section texts are JSONC: JSON with comments, so not always JSON.
            operation["requestBody"] = {"content": {"application/jsonc": {"schema": {"type": "string"}}}}
        elif properties:
            body = {"type": "object", "properties": properties, **({"required": required} if required else {})}
            operation["requestBody"] = {"content": {"application/json": {"schema": body}}}
        mock = RESPONSE_MOCKS[tool["name"]]
        answer: dict[str, Any] = {"description": "OK"}
        if mock is not None:
            example = json.loads((MOCKS / mock).read_text(encoding="utf-8"))
            answer["content"] = {"application/json": {"example": example}}
        operation["responses"] = {"200": answer}
        paths.setdefault(request["path"], {})[request["method"].lower()] = operation
    return {
        "openapi": "3.0.0",
        "info": {
            "title": "Make API v2 operations that Make's SDK calls and the reference does not document",
            "version": document["package"],
        },
        "x-generated-by": "scripts/official_mapping.py --undocumented",
        "paths": dict(sorted(paths.items())),
    }


def render(document: Mapping[str, Any]) -> str:
    return json.dumps(document, indent=1, ensure_ascii=False) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--check", action="store_true", help="only compare with the vendored file")
    parser.add_argument(
        "--undocumented", action="store_true", help=f"also write {UNDOCUMENTED_OUTPUT.name} (needs {MOCKS})"
    )
    args = parser.parse_args(argv)
    document = compute()
    rendered = render(document)
    if args.undocumented:
        UNDOCUMENTED_OUTPUT.write_text(render(undocumented_openapi(document)), encoding="utf-8")
        sys.stderr.write(f"official_mapping: wrote {UNDOCUMENTED_OUTPUT}\n")
    if args.check:
        current = OUTPUT.read_text(encoding="utf-8") if OUTPUT.exists() else ""
        if current != rendered:
            sys.stderr.write(f"official_mapping: {OUTPUT} is stale; run scripts/official_mapping.py\n")
            return 1
        return 0
    OUTPUT.write_text(rendered, encoding="utf-8")
    sys.stderr.write(f"official_mapping: wrote {OUTPUT}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
