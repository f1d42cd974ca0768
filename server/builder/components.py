"""What a blueprint needs besides its modules: connections, webhooks, keys, data stores and data structures; which
of them the team has (IDs to use), which are missing, and whether the IDs a blueprint names exist and fit."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from make_mcp.server.builder.blueprint import Placed
from make_mcp.server.builder.findings import Finding
from make_mcp.server.builder.manifests import ModuleSpec
from make_mcp.server.errors import MakeApiError
from make_mcp.tools.builder import (
    GET_CONNECTION,
    LIST_CONNECTIONS,
    LIST_DATA_STORES,
    LIST_DATA_STRUCTURES,
    LIST_HOOKS,
    LIST_KEYS,
)
from make_mcp.tools.catalogue import RequestPort, Step


@dataclass(frozen=True)
class Kind:
    noun: str
    step: Step
    answer_key: str
    type_key: str | None  # the item's field holding its type, compared with the Forman type's suffix
    list_tool: str


KINDS = {
    "account": Kind("connection", LIST_CONNECTIONS, "connections", "accountName", "connections_list"),
    "hook": Kind("webhook", LIST_HOOKS, "hooks", "typeName", "hooks_list"),
    "keychain": Kind("key", LIST_KEYS, "keys", "typeName", "keys_list"),
    "datastore": Kind("data store", LIST_DATA_STORES, "dataStores", None, "data-stores_list"),
    "udt": Kind("data structure", LIST_DATA_STRUCTURES, "dataStructures", None, "data-structures_list"),
}


@dataclass
class Need:
    kind: str  # a key of KINDS
    types: tuple[str, ...]  # the types that fit (connection types, webhook type ...); empty: any
    scopes: tuple[str, ...]
    module_id: int | None
    module: str
    path: str
    value: Any


@dataclass
class Inventory:
    """What the team has, by kind (None: not read, for want of a team or a scope)."""

    items: dict[str, list[dict[str, Any]] | None] = field(default_factory=dict[str, list[dict[str, Any]] | None])
    unread: dict[str, str] = field(default_factory=dict[str, str])


def needs_of(item: Placed | None, spec: ModuleSpec) -> list[Need]:
    """The components one module's static parameters ask for (the top-level ones: where Make keeps them)."""
    values = item.module.get("parameters") if item is not None else None
    values = values if isinstance(values, dict) else {}
    found = []
    for field_spec in spec.parameters:
        kind, _, suffix = str(field_spec.get("type", "")).partition(":")
        if kind not in KINDS:
            continue
        types = tuple(t for t in suffix.split(",") if t)
        scopes = spec.scopes if kind == "account" else ()
        name = str(field_spec.get("name"))
        where = f"{item.path}.parameters.{name}" if item is not None else f"parameters.{name}"
        module_id = item.id if item is not None else None
        found.append(Need(kind, types, scopes, module_id, spec.id, where, values.get(name)))
    return found


async def read_inventory(port: RequestPort, team_id: int | None, kinds: set[str]) -> Inventory:
    inventory = Inventory()
    for kind in sorted(kinds):
        if team_id is None:
            inventory.items[kind] = None
            continue
        try:
            answer = await port.send(KINDS[kind].step, query=[("teamId", str(team_id))])
        except MakeApiError as error:
            inventory.items[kind] = None
            inventory.unread[kind] = f"could not list {KINDS[kind].noun}s ({error.status} {error.code or ''})".strip()
            continue
        listed = answer.get(KINDS[kind].answer_key) if isinstance(answer, dict) else None
        inventory.items[kind] = [i for i in listed if isinstance(i, dict)] if isinstance(listed, list) else []
    return inventory


def component_findings(needs: list[Need], inventory: Inventory, team_id: int | None) -> Iterator[Finding]:
    """An ID the team does not have, or of another type, is an error (Make cannot run the module with it)."""
    for need in needs:
        held = inventory.items.get(need.kind)
        if held is None or need.value in (None, "") or (isinstance(need.value, str) and "{{" in need.value):
            continue
        kind = KINDS[need.kind]
        match = next((i for i in held if i.get("id") == need.value or str(i.get("id")) == str(need.value)), None)
        if match is None:
            yield Finding(
                "error",
                need.module_id,
                need.path,
                f"Team {team_id} has no {kind.noun} {need.value!r} ({need.module} needs one).",
                f"Use an ID from {kind.list_tool}, or add a {kind.noun} (extract_blueprint_components).",
            )
            continue
        actual = match.get(kind.type_key) if kind.type_key else None
        if need.types and isinstance(actual, str) and actual not in need.types:
            yield Finding(
                "error",
                need.module_id,
                need.path,
                f"{kind.noun.capitalize()} {need.value} is of type {actual}; {need.module} needs "
                f"{' or '.join(need.types)}.",
                f"Pick a {kind.noun} of type {need.types[0]}.",
            )


def summary(needs: list[Need], inventory: Inventory) -> list[dict[str, Any]]:
    """One entry per kind and type: what needs it, what the team has of it, whether it is missing."""
    grouped: dict[tuple[str, tuple[str, ...]], list[Need]] = {}
    for need in needs:
        grouped.setdefault((need.kind, need.types), []).append(need)
    entries = []
    for (kind, types), group in grouped.items():
        held = inventory.items.get(kind)
        type_key = KINDS[kind].type_key
        fitting = (
            None
            if held is None
            else [
                {"id": i.get("id"), "name": i.get("name")}
                for i in held
                if not types or type_key is None or i.get(type_key) in types
            ]
        )
        entry: dict[str, Any] = {
            "kind": KINDS[kind].noun,
            "type": " or ".join(types) if types else None,
            "modules": sorted({n.module_id for n in group if n.module_id is not None}) or [n.module for n in group],
            "chosen": sorted({str(n.value) for n in group if n.value not in (None, "")}),
        }
        scopes = sorted({s for n in group for s in n.scopes})
        if scopes:
            entry["scopes"] = scopes
        if fitting is None:
            entry["teamHas"] = inventory.unread.get(kind, "unknown: give teamId")
        else:
            entry["teamHas"] = fitting[:20]
            entry["missing"] = not fitting
        entries.append(entry)
    return entries


async def scope_findings(port: RequestPort, needs: list[Need], inventory: Inventory) -> list[Finding]:
    """A chosen connection without every scope its module lists: Make runs the module and gets a 403."""
    findings = []
    checked: dict[Any, set[str] | None] = {}
    for need in needs:
        if need.kind != "account" or not need.scopes or inventory.items.get("account") is None:
            continue
        if not isinstance(need.value, int) or isinstance(need.value, bool):
            continue
        if need.value not in checked:
            checked[need.value] = await _connection_scopes(port, need.value)
        granted = checked[need.value]
        lacking = [scope for scope in need.scopes if granted is not None and scope not in granted]
        if lacking:
            findings.append(
                Finding(
                    "error",
                    need.module_id,
                    need.path,
                    f"Connection {need.value} lacks scopes {need.module} needs: {', '.join(lacking)}.",
                    "Reauthorize the connection with those scopes, or pick one that has them.",
                )
            )
    return findings


async def _connection_scopes(port: RequestPort, connection_id: int) -> set[str] | None:
    try:
        answer = await port.send(GET_CONNECTION, {"connectionId": connection_id})
    except MakeApiError:
        return None
    connection = answer.get("connection") if isinstance(answer, dict) else None
    scopes = connection.get("scopes") if isinstance(connection, dict) else None
    if not isinstance(scopes, list):
        return None
    return {str(s.get("id")) if isinstance(s, dict) else str(s) for s in scopes}
