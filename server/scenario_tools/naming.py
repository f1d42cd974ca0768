"""Tool names and descriptions of scenario tools.

A name is the scenario's name in snake case plus its ID (`add_lead_to_crm_4412`): readable, unique (IDs are),
at most `max_length` characters (MAKE_SCENARIO_TOOL_NAME_MAX, 56 by default) and within the MCP name pattern.
The ID stays whole when the name is cut. A name that would meet a catalogue tool's is never given.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

TOOL_NAME = re.compile(r"^[a-zA-Z0-9_-]{1,64}$")
DEFAULT_MAX_LENGTH = 56
MIN_MAX_LENGTH = 16  # room for "scenario_" and a long ID

NO_DESCRIPTION = (
    "Runs the Make scenario {name!r}. It has no description in Make; adding one (scenario settings in Make) "
    "tells agents when to use it."
)


def slug(text: str) -> str:
    """Lower-case ASCII words joined by underscores; accents are dropped, other characters split words."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "_".join(re.findall(r"[a-z0-9]+", ascii_text.lower()))


def tool_name(scenario_name: str, scenario_id: int, max_length: int = DEFAULT_MAX_LENGTH) -> str:
    suffix = f"_{scenario_id}"
    words = slug(scenario_name) or "scenario"
    room = max(max_length, MIN_MAX_LENGTH) - len(suffix)
    if len(words) > room:
        cut = words[:room]
        if words[room] != "_" and "_" in cut:  # the cut fell inside a word: end at the word before it
            shorter = cut.rsplit("_", 1)[0]
            cut = shorter if len(shorter) > room // 2 else cut
        words = cut.rstrip("_")
    return f"{words or 'scenario'}{suffix}"


class NameBook:
    """Hands out names that meet neither the catalogue's nor each other's."""

    def __init__(self, taken: Iterable[str]) -> None:
        self._taken = set(taken)

    def claim(self, wanted: str, fallback: str) -> tuple[str, str | None]:
        """The wanted name if it is valid and free, else the fallback (made free); and why the wanted one was not."""
        problem: str | None = None
        if not TOOL_NAME.match(wanted):
            problem = f"the tool name {wanted!r} is not 1-64 letters, digits, '_' or '-'"
        elif wanted in self._taken:
            problem = f"the tool name {wanted!r} is already taken"
        if problem is None:
            self._taken.add(wanted)
            return wanted, None
        name, number = fallback, 2
        while name in self._taken:
            name, number = f"{fallback[: 64 - len(str(number)) - 1]}_{number}", number + 1
        self._taken.add(name)
        return name, problem if wanted != fallback else None


# A tool's description is read on every tools/list: a scenario's long notes are cut.
MAX_DESCRIPTION_CHARS = 1_000


def description(scenario_name: str, scenario_description: str | None, outputs_phrase: str) -> str:
    own = (scenario_description or "").strip()
    if len(own) > MAX_DESCRIPTION_CHARS:
        own = own[: MAX_DESCRIPTION_CHARS - 1].rstrip() + "…"
    opening = own if own else NO_DESCRIPTION.format(name=scenario_name)
    if own and not own.endswith((".", "!", "?")):
        opening += "."
    return f"{opening} {outputs_phrase}"
