"""Which tools a caller gets, decided in one place.

`ToolChoice` is what the settings choose (toolsets, read-only mode), validated once when the server
starts. `ToolChoice.select(granted_scopes)` applies the caller's grant and gives the `Catalogue`: the tools the
caller may call, and for every other one why it is hidden. Everything that needs the selection (stdio, each HTTP
caller, doctor, `make-mcp tools`, login's default scopes) starts from `ToolChoice.from_settings`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from make_mcp.server.engine.discovery import DISCOVERY_TOOLS
from make_mcp.server.errors import ConfigurationError
from make_mcp.server.support.config import Settings
from make_mcp.tools.catalogue import Operation
from make_mcp.tools.conventions import DEFAULT_TOOLSETS
from make_mcp.tools.registry import ALL_OPERATIONS, TOOLSETS


def selected_toolsets(setting: str, known: Iterable[str] = TOOLSETS) -> frozenset[str]:
    """The toolsets MAKE_TOOLSETS names ('default' and 'all' included); ConfigurationError for an unknown one."""
    known_set = frozenset(known)
    names = {name.strip() for name in setting.split(",") if name.strip()}
    if names == {"all"}:
        return known_set
    if "default" in names:
        names = (names - {"default"}) | set(DEFAULT_TOOLSETS)
    unknown = sorted(names - known_set)
    if unknown:
        raise ConfigurationError(
            f"MAKE_TOOLSETS names unknown toolsets {', '.join(unknown)}; known: {', '.join(sorted(known_set))}"
        )
    return frozenset(names)


def required_scopes(operation: Operation) -> tuple[str, ...]:
    """The scopes a tool needs: its own and, for a tool of several requests, those of every step it may send."""
    if not operation.steps:
        return operation.scopes
    scopes = dict.fromkeys(operation.scopes)
    for step in operation.steps:
        scopes.update(dict.fromkeys(step.scopes))
    return tuple(scopes)


@dataclass
class Catalogue:
    """The tools one caller may call, and why the others are hidden."""

    operations: tuple[Operation, ...]
    granted_scopes: frozenset[str] | None = None  # None: unknown, so nothing is hidden for lack of a scope
    hidden: dict[str, str] = field(default_factory=dict[str, str])  # tool name -> reason
    # Tools hidden only for lack of a scope: a call of one is refused naming the scope, after validation.
    lacking_scope: dict[str, Operation] = field(default_factory=dict[str, Operation])
    own: tuple[Operation, ...] = ()  # the caller's own tools among `operations` (first there), listed in every mode
    by_name: dict[str, Operation] = field(init=False)

    def __post_init__(self) -> None:
        self.by_name = {op.name: op for op in self.operations}

    def missing_scopes(self, operation: Operation) -> list[str]:
        if self.granted_scopes is None:
            return []
        return [scope for scope in required_scopes(operation) if scope not in self.granted_scopes]

    @classmethod
    def select(
        cls,
        operations: Iterable[Operation],
        *,
        toolsets: frozenset[str] | None = None,
        read_only: bool = False,
        granted_scopes: frozenset[str] | None = None,
        extra: Iterable[Operation] = (),
    ) -> Catalogue:
        """Toolsets, read-only mode and the token's scopes are all filters over one list.

        `extra` are the caller's own tools built at run time (e.g. their scenarios as tools): listed first, in
        every mode, whatever the toolsets; read-only mode and the scopes apply to them as to any other.
        """
        visible: list[Operation] = []
        hidden: dict[str, str] = {}
        lacking_scope: dict[str, Operation] = {}
        extra = tuple(extra)
        extra_names = {op.name for op in extra}
        for op in (*extra, *operations):
            missing = [s for s in required_scopes(op) if granted_scopes is not None and s not in granted_scopes]
            if toolsets is not None and op.toolset not in toolsets and op.name not in extra_names:
                hidden[op.name] = f"its toolset {op.toolset!r} is not enabled (MAKE_TOOLSETS / --toolsets)"
            elif read_only and not op.read_only:
                hidden[op.name] = "it changes data and the server is in read-only mode"
            elif missing:
                hidden[op.name] = f"the token lacks the scope {', '.join(missing)}"
                lacking_scope[op.name] = op
            else:
                visible.append(op)
        own = tuple(op for op in visible if op.name in extra_names)
        return cls(tuple(visible), granted_scopes, hidden, lacking_scope, own)


@dataclass(frozen=True)
class ToolChoice:
    """What the settings choose, validated once: an unknown toolset stops the server before it serves."""

    toolsets: frozenset[str]
    read_only: bool = False
    operations: tuple[Operation, ...] = ALL_OPERATIONS

    @classmethod
    def from_settings(cls, settings: Settings) -> ToolChoice:
        return cls(selected_toolsets(settings.toolsets), settings.read_only)

    def select(self, granted_scopes: frozenset[str] | None = None, extra: Iterable[Operation] = ()) -> Catalogue:
        """The catalogue of a caller whose token grants `granted_scopes` (None: unknown), with their own tools."""
        return Catalogue.select(
            self.operations,
            toolsets=self.toolsets,
            read_only=self.read_only,
            granted_scopes=granted_scopes,
            extra=extra,
        )

    def needed_scopes(self) -> frozenset[str]:
        """Every scope the chosen tools need: what a login asks for unless told otherwise."""
        return frozenset(scope for op in self.select().operations for scope in required_scopes(op))


def catalogue_names() -> frozenset[str]:
    """The names scenario tools must never take: every catalogue tool's and discovery's."""
    return frozenset(op.name for op in ALL_OPERATIONS) | frozenset(DISCOVERY_TOOLS)


def default_scopes(settings: Settings) -> tuple[str, ...]:
    """The scopes the configured toolsets' tools need (only the read-only tools' with --read-only); no admin:*."""
    needed = ToolChoice.from_settings(settings).needed_scopes()
    # Admin scopes serve only Make's platform administrators; ask for them explicitly with --scopes.
    return tuple(sorted(scope for scope in needed if not scope.startswith("admin:")))
