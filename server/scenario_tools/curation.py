"""The curation file (MAKE_SCENARIO_FILE): which scenarios to offer and how, like Make's MCP toolboxes.

A TOML file with one `[[scenario]]` table per scenario offered:

    [[scenario]]
    id = 4412                          # required: the scenario ID
    name = "add_lead"                  # optional tool name (default: from the scenario's name and ID)
    description = "Adds a lead ..."    # optional, replaces the scenario's own description
    read_only = true                   # optional: the run changes nothing (offered in read-only mode)
    confirm = true                     # optional: each run needs the user's confirmation first

With a file, its scenarios are the ones offered (MAKE_SCENARIO_TOOLS=off still turns them all off); in
read-only mode only those marked read_only are.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

_KEYS = {"id", "name", "description", "read_only", "confirm"}


class CurationError(ValueError):
    """The file cannot be used: it says where and why."""


@dataclass(frozen=True, slots=True)
class CuratedScenario:
    scenario_id: int
    name: str | None = None
    description: str | None = None
    read_only: bool = False
    confirm: bool = False


def load_curation(path: Path) -> dict[int, CuratedScenario]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise CurationError(f"MAKE_SCENARIO_FILE {str(path)!r} cannot be read: {exc.strerror or exc}") from None
    return parse_curation(text, str(path))


def parse_curation(text: str, where: str = "MAKE_SCENARIO_FILE") -> dict[int, CuratedScenario]:
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CurationError(f"{where} is not valid TOML: {exc}") from None
    unknown = sorted(set(document) - {"scenario"})
    if unknown:
        raise CurationError(f"{where}: unknown top-level keys {unknown}; list scenarios as [[scenario]] tables")
    tables = document.get("scenario", [])
    if not isinstance(tables, list):
        raise CurationError(f"{where}: 'scenario' must be [[scenario]] tables")
    curated: dict[int, CuratedScenario] = {}
    problems: list[str] = []
    for number, raw in enumerate(cast(list[Any], tables), start=1):
        entry = _entry(raw, number, problems)
        if entry is None:
            continue
        if entry.scenario_id in curated:
            problems.append(f"scenario #{number}: id {entry.scenario_id} is listed twice")
            continue
        curated[entry.scenario_id] = entry
    names = [entry.name for entry in curated.values() if entry.name]
    problems.extend(f"the tool name {name!r} is given twice" for name in sorted(set(names)) if names.count(name) > 1)
    if problems:
        raise CurationError(f"{where}: " + "; ".join(problems))
    return curated


def _entry(raw: Any, number: int, problems: list[str]) -> CuratedScenario | None:
    where = f"scenario #{number}"
    if not isinstance(raw, Mapping):
        problems.append(f"{where} is not a table")
        return None
    table = cast(Mapping[str, Any], raw)
    unknown = sorted(set(table) - _KEYS)
    if unknown:
        problems.append(f"{where}: unknown keys {unknown} (known: {', '.join(sorted(_KEYS))})")
    scenario_id = table.get("id")
    if not isinstance(scenario_id, int) or isinstance(scenario_id, bool) or scenario_id <= 0:
        problems.append(f"{where}: 'id' must be a positive integer (the scenario ID)")
        return None
    kinds = {"name": str, "description": str, "read_only": bool, "confirm": bool}
    for key, kind in kinds.items():
        if key in table and not isinstance(table[key], kind):
            problems.append(f"{where} (id {scenario_id}): {key!r} must be {'text' if kind is str else 'true or false'}")
            return None
    if table.get("read_only") is True and table.get("confirm") is True:
        problems.append(f"{where} (id {scenario_id}): a read_only run needs no confirmation; drop one of the two")
        return None
    return CuratedScenario(
        scenario_id=scenario_id,
        name=table.get("name"),
        description=table.get("description"),
        read_only=table.get("read_only", False),
        confirm=table.get("confirm", False),
    )
