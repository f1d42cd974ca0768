"""What a call needs from the layers above the engine, as ports they implement: the person at the client and the
tools' definitions (the protocol side, server/protocol/call_ports.py), and the builder (server/builder/).

Progress is told through CallProgress's `report` (engine/call.py), a plain callable. Cancelling needs no port:
the protocol side cancels the task that runs the call (a client's cancel, a task's), and the call's awaits end."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from make_mcp.tools.catalogue import Operation, RequestPort

# A tool's tools/list definition as JSON (tools_describe answers from it, tools_search from its input schema).
Definition = Callable[[Operation], Mapping[str, Any]]


@dataclass(frozen=True)
class PriorAnswer:
    """The person's answer that a call brings from its previous round (the 2026 era)."""

    state: str  # the state the question carried (a confirmation token)
    accepted: bool


class Person(Protocol):
    """The person at the client, for a client that can ask them (elicitation)."""

    @property
    def in_rounds(self) -> bool:
        """A question is the call's answer (NeedsInput) and the client calls again with theirs (the 2026 era)."""
        ...

    @property
    def opens_urls(self) -> bool:
        """The client can show the person a link to open."""
        ...

    def answer(self, key: str) -> PriorAnswer | None:
        """Their answer to the question `key` of this call's previous round, if it brings one."""
        ...

    async def confirm(self, message: str) -> bool:
        """Asks them within the call (the handshake era): whether they accepted."""
        ...

    async def open_url(self, message: str, url: str, ref: str) -> str:
        """Shows them a link: their action (accept, decline or cancel)."""
        ...


class Finding(Protocol):
    def to_dict(self) -> dict[str, object]: ...


class WriteChecked(Protocol):
    """The builder's check of a scenario write."""

    @property
    def warnings(self) -> Sequence[Finding]: ...

    @property
    def changes(self) -> str | None: ...  # an update's changes, shown in its confirmation


class Builder(Protocol):
    """The scenario builder (server/builder/service.py BuilderService): its tools' runs, and the check of a
    scenario write's blueprint."""

    async def run(
        self, name: str, arguments: Any, port: RequestPort, *, caller: str | None, organization: int | None
    ) -> Any: ...

    async def check_write(
        self, tool: str, arguments: Any, port: RequestPort, *, caller: str | None, organization: int | None
    ) -> WriteChecked: ...
