"""Which scenarios become tools: the MAKE_SCENARIO_TOOLS setting.

    auto             the default: MAKE_TEAM's scenarios when it is set, else those of every organization the token
                     sees (only MAKE_ORGANIZATION's when that is set)
    organization     every team's scenarios in MAKE_ORGANIZATION (every organization the token sees when unset)
    off              no scenario tools
    a list           comma- or space-separated `team:<id>`, `organization:<id>`, `folder:<id>`, `scenario:<id>`;
                     a bare number is a scenario ID. Example: `team:201,folder:5,4412`. Folders are looked up in
                     MAKE_TEAM when it is set, else in every organization the token sees.

Whatever is chosen, only active scenarios with on-demand scheduling become tools.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Mode = Literal["auto", "organization", "off", "list"]
KINDS = ("team", "organization", "folder", "scenario")

_ENTRY = re.compile(r"^(?:(team|organization|folder|scenario):)?([1-9][0-9]{0,17})$")


@dataclass(frozen=True, slots=True)
class ScenarioChoice:
    mode: Mode
    teams: tuple[int, ...] = ()
    organizations: tuple[int, ...] = ()
    folders: tuple[int, ...] = ()
    scenarios: tuple[int, ...] = ()


def parse_choice(text: str) -> ScenarioChoice:
    """The setting's meaning; raises ValueError naming each entry it cannot read."""
    cleaned = text.strip().lower()
    if cleaned in ("", "auto"):
        return ScenarioChoice("auto")
    if cleaned in ("organization", "off"):
        return ScenarioChoice("organization" if cleaned == "organization" else "off")
    found: dict[str, list[int]] = {kind: [] for kind in KINDS}
    bad: list[str] = []
    for entry in re.split(r"[,\s]+", cleaned):
        if not entry:
            continue
        matched = _ENTRY.match(entry)
        if matched is None:
            bad.append(entry)
            continue
        kind, number = matched.group(1) or "scenario", int(matched.group(2))
        if number not in found[kind]:
            found[kind].append(number)
    if not bad and not any(found.values()):
        bad.append(text.strip())
    if bad:
        raise ValueError(
            f"cannot read {', '.join(repr(b) for b in bad)}: use auto, organization, off, or a list of "
            "team:<id>, organization:<id>, folder:<id>, scenario:<id> (a bare number is a scenario ID)"
        )
    return ScenarioChoice(
        "list",
        teams=tuple(found["team"]),
        organizations=tuple(found["organization"]),
        folders=tuple(found["folder"]),
        scenarios=tuple(found["scenario"]),
    )
