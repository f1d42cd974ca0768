"""What a new blueprint changes in a saved one, by module ID: modules added, removed and changed (module, version,
place, mappings, parameters, filter), and the scheduling; short enough to show a person before an update."""

from __future__ import annotations

import json
from typing import Any

from make_mcp.server.builder.blueprint import Placed, walk

VALUE_CHARS = 60
MAX_CHANGES = 60
MAX_TEXT_CHARS = 1200


def _short(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, sort_keys=True)
    return text if len(text) <= VALUE_CHARS else text[: VALUE_CHARS - 1] + "…"


def blueprint_changes(
    old: dict[str, Any], new: dict[str, Any], old_scheduling: Any = None, new_scheduling: Any = None
) -> dict[str, Any]:
    before = {item.id: item for item in walk(old) if item.id is not None}
    after = {item.id: item for item in walk(new) if item.id is not None}
    changes: dict[str, Any] = {
        "added": [f"{i}: {after[i].name}" for i in after if i not in before],
        "removed": [f"{i}: {before[i].name}" for i in before if i not in after],
        "changed": {},
    }
    for module_id in after.keys() & before.keys():
        lines = _module_changes(before[module_id], after[module_id])
        if lines:
            changes["changed"][str(module_id)] = lines[:MAX_CHANGES]
    if new_scheduling is not None and new_scheduling != old_scheduling:
        changes["scheduling"] = f"{_short(old_scheduling)} -> {_short(new_scheduling)}"
    if (old.get("name") or None) != (new.get("name") or None) and new.get("name"):
        changes["name"] = f"{_short(old.get('name'))} -> {_short(new.get('name'))}"
    return {key: value for key, value in changes.items() if value}


def _module_changes(old: Placed, new: Placed) -> list[str]:
    lines = []
    if old.name != new.name:
        lines.append(f"module {old.name} -> {new.name}")
    if old.module.get("version") != new.module.get("version"):
        lines.append(f"version {old.module.get('version')} -> {new.module.get('version')}")
    if old.path != new.path:
        lines.append(f"moved {old.path} -> {new.path}")
    for part in ("parameters", "mapper"):
        lines.extend(_field_changes(part, old.module.get(part), new.module.get(part)))
    if old.module.get("filter") != new.module.get("filter"):
        lines.append(f"filter {_short(old.module.get('filter'))} -> {_short(new.module.get('filter'))}")
    if bool(old.module.get("onerror")) != bool(new.module.get("onerror")):
        lines.append("error handler added" if new.module.get("onerror") else "error handler removed")
    return lines


def _field_changes(part: str, old: Any, new: Any) -> list[str]:
    old = old if isinstance(old, dict) else {}
    new = new if isinstance(new, dict) else {}
    lines = []
    for key in dict.fromkeys([*old, *new]):
        if key not in new:
            lines.append(f"{part}.{key} removed (was {_short(old[key])})")
        elif key not in old:
            lines.append(f"{part}.{key} = {_short(new[key])}")
        elif old[key] != new[key]:
            lines.append(f"{part}.{key} {_short(old[key])} -> {_short(new[key])}")
    return lines


def changes_text(changes: dict[str, Any]) -> str:
    """One line a confirmation shows: counts and the first changes."""
    if not changes:
        return "no change to the blueprint or scheduling"
    parts = []
    if changes.get("added"):
        parts.append(f"adds {', '.join(changes['added'])}")
    if changes.get("removed"):
        parts.append(f"removes {', '.join(changes['removed'])}")
    for module_id, lines in changes.get("changed", {}).items():
        parts.append(f"module {module_id}: {'; '.join(lines[:4])}{' …' if len(lines) > 4 else ''}")
    if changes.get("scheduling"):
        parts.append(f"scheduling {changes['scheduling']}")
    if changes.get("name"):
        parts.append(f"name {changes['name']}")
    text = "; ".join(parts)
    return text if len(text) <= MAX_TEXT_CHARS else text[: MAX_TEXT_CHARS - 1] + "…"
