"""Shared pieces of the stateful handlers: the call context, Make-style errors, body fields, paging and cols.

Each resources_*.py module registers one small function per Make operation in its own `Registry`,
keyed by the operation's method and path template exactly as the spec writes them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any, TypeVar

from make_mcp.server.sandbox.spec import SpecIndex, SpecOperation, parse_int, vendored_operations
from make_mcp.server.sandbox.state import SandboxState, TokenGrant
from make_mcp.server.sandbox.undocumented import undocumented_operations

T = TypeVar("T")
ALL_COLUMNS = "*"
Handler = Callable[["Call"], Any]


@cache
def spec_index() -> SpecIndex:
    """The vendored spec and the undocumented operations Make's SDK calls, parsed once per process."""
    return SpecIndex([*vendored_operations(), *undocumented_operations()])


class ApiError(Exception):
    """An error answered with Make's error body: {"detail", "message", "code"[, "suberrors"]}."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        detail: str,
        suberrors: list[str] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.code = code
        self.message = message
        self.detail = detail
        self.suberrors = suberrors or []
        self.headers = dict(headers or {})

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {"detail": self.detail, "message": self.message, "code": self.code}
        if self.suberrors:
            body["suberrors"] = [{"message": text} for text in self.suberrors]
        return body


def invalid(problems: list[str]) -> ApiError:
    detail = problems[0] if len(problems) == 1 else f"Validation failed for {len(problems)} parameters."
    return ApiError(400, "IM005", "Invalid input parameters", detail, problems)


def bad_request(detail: str) -> ApiError:
    return ApiError(400, "SC400", "Bad request", detail)


def not_found(what: str) -> ApiError:
    return ApiError(404, "SC404", "Not found", f"{what} not found.")


def get_or_404(table: Mapping[int, T], key: int, what: str) -> T:
    if key not in table:
        raise not_found(what)
    return table[key]


class Registry:
    def __init__(self) -> None:
        self.table: dict[tuple[str, str], Handler] = {}

    def on(self, method: str, template: str) -> Callable[[Handler], Handler]:
        def register(handler: Handler) -> Handler:
            self.table[(method, template)] = handler
            return handler

        return register


@dataclass(frozen=True)
class Call:
    state: SandboxState
    op: SpecOperation
    params: Mapping[str, str]
    query: list[tuple[str, str]]
    body: Any
    grant: TokenGrant

    def path_int(self, name: str) -> int:
        value = parse_int(self.params.get(name, ""))
        if value is None:
            raise invalid([f"Invalid key, not parsable to integer: '{name}'."])
        return value

    def query_one(self, name: str) -> str | None:
        values = [value for key, value in self.query if key == name]
        return values[-1] if values else None

    def need_query_int(self, name: str) -> int:
        value = self.query_int(name)
        if value is None:
            raise invalid([f"Missing value of required parameter '{name}'."])
        return value

    def query_int(self, name: str) -> int | None:
        raw = self.query_one(name)
        if raw is None:
            return None
        value = parse_int(raw)
        if value is None:
            raise invalid([f"Parameter '{name}' must be an integer."])
        return value

    def query_flag(self, name: str) -> bool | None:
        raw = self.query_one(name)
        if raw is None:
            return None
        if raw.lower() in ("true", "1"):
            return True
        if raw.lower() in ("false", "0"):
            return False
        raise invalid([f"Parameter '{name}' must be a boolean."])

    def query_list(self, name: str) -> list[str]:
        """Values of `name[]` in order, then of numbered `name[N]` by N (Make's two array notations)."""
        plain = [value for key, value in self.query if key in (name, f"{name}[]")]
        pattern = re.compile(re.escape(name) + r"\[(\d+)\]")
        numbered: list[tuple[int, str]] = []
        for key, value in self.query:
            match = pattern.fullmatch(key)
            if match:
                numbered.append((int(match.group(1)), value))
        return plain + [value for _, value in sorted(numbered, key=lambda pair: pair[0])]

    def fields(self) -> Fields:
        if self.body is None:
            return Fields({})
        if not isinstance(self.body, dict):
            raise invalid(["The request body must be a JSON object."])
        return Fields(self.body)

    def documented_enum(self, name: str) -> list[Any] | None:
        """The allowed values the spec lists for a query parameter (or for its array items)."""
        for parameter in self.op.parameters:
            if parameter.get("name") == name and parameter.get("in") == "query":
                schema = parameter.get("schema") or {}
                return schema.get("enum") or (schema.get("items") or {}).get("enum")
        return None


class Fields:
    """Reads typed fields from a JSON body and collects every problem before failing once."""

    def __init__(self, body: dict[str, Any]) -> None:
        self.body = body
        self.problems: list[str] = []

    def has(self, name: str) -> bool:
        return name in self.body

    def _present(self, name: str, required: bool) -> bool:
        if self.body.get(name) is not None:
            return True
        if required:
            self.problems.append(f"Missing value of required parameter '{name}'.")
        return False

    def string(self, name: str, *, required: bool = False, max_length: int | None = None) -> str | None:
        if not self._present(name, required):
            return None
        value = self.body[name]
        if not isinstance(value, str):
            self.problems.append(f"Parameter '{name}' must be a string.")
            return None
        if max_length is not None and len(value) > max_length:
            self.problems.append(f"Parameter '{name}' must be at most {max_length} characters long.")
        return value

    def integer(self, name: str, *, required: bool = False, minimum: int | None = None) -> int | None:
        if not self._present(name, required):
            return None
        value = self.body[name]
        # IDs travel as numbers or numeric strings (the spec types some team IDs as strings).
        if isinstance(value, str):
            value = parse_int(value)
        if not isinstance(value, int) or isinstance(value, bool):
            self.problems.append(f"Parameter '{name}' must be an integer.")
            return None
        if minimum is not None and value < minimum:
            self.problems.append(f"Parameter '{name}' must be at least {minimum}.")
        return value

    def need_string(self, name: str, *, max_length: int | None = None) -> str:
        """A required string; "" stands in for a missing one until check() raises."""
        return self.string(name, required=True, max_length=max_length) or ""

    def need_int(self, name: str, *, minimum: int | None = None) -> int:
        """A required integer; 0 stands in for a missing one until check() raises."""
        value = self.integer(name, required=True, minimum=minimum)
        return 0 if value is None else value

    def boolean(self, name: str) -> bool | None:
        if not self._present(name, False):
            return None
        value = self.body[name]
        if not isinstance(value, bool):
            self.problems.append(f"Parameter '{name}' must be a boolean.")
            return None
        return value

    def array(self, name: str, *, required: bool = False) -> list[Any] | None:
        if not self._present(name, required):
            return None
        value = self.body[name]
        if not isinstance(value, list):
            self.problems.append(f"Parameter '{name}' must be an array.")
            return None
        return value

    def obj(self, name: str, *, required: bool = False) -> dict[str, Any] | None:
        if not self._present(name, required):
            return None
        value = self.body[name]
        if not isinstance(value, dict):
            self.problems.append(f"Parameter '{name}' must be an object.")
            return None
        return value

    def json_string(self, name: str, *, required: bool = False) -> dict[str, Any] | None:
        """A field Make takes as a JSON document serialized into a string (blueprint, scheduling)."""
        if not self._present(name, required):
            return None
        raw = self.body[name]
        if not isinstance(raw, str):
            self.problems.append(f"Parameter '{name}' must be a string containing JSON, not a {type(raw).__name__}.")
            return None
        try:
            value = json.loads(raw)
        except json.JSONDecodeError as error:
            self.problems.append(f"Parameter '{name}' is not valid JSON: {error.msg} at position {error.pos}.")
            return None
        except RecursionError:
            self.problems.append(f"Parameter '{name}' is nested too deeply to read.")
            return None
        if not isinstance(value, dict):
            self.problems.append(f"Parameter '{name}' must encode a JSON object.")
            return None
        return value

    def check(self) -> None:
        if self.problems:
            raise invalid(self.problems)


def require_confirmation(call: Call, detail: str) -> None:
    if call.query_flag("confirmed") is not True:
        raise ApiError(406, "IM004", "Confirmation required", f"{detail} Repeat the request with confirmed=true.")


# ---- lists: paging, sorting and cols ----


@dataclass(frozen=True)
class PageDefaults:
    sort_by: str = "name"
    sort_dir: str = "asc"
    limit: int = 10000
    # Sort names that are not a field of the items, with the value to sort by.
    computed: Mapping[str, Callable[[dict[str, Any]], Any]] | None = None


def page(
    call: Call, items: list[dict[str, Any]], defaults: PageDefaults
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    problems: list[str] = []
    for name in ("pg[sortBy]", "pg[sortDir]"):
        given, allowed = call.query_one(name), call.documented_enum(name)
        if given is not None and allowed is not None and given not in allowed:
            problems.append(f"Parameter '{name}' must be one of: {', '.join(map(str, allowed))}.")
    sort_by = call.query_one("pg[sortBy]") or defaults.sort_by
    sort_dir = call.query_one("pg[sortDir]") or defaults.sort_dir
    if sort_dir not in ("asc", "desc"):
        problems.append("Parameter 'pg[sortDir]' must be one of: asc, desc.")
    offset = _non_negative(call, "pg[offset]", 0, problems)
    limit = _non_negative(call, "pg[limit]", defaults.limit, problems)
    if problems:
        raise invalid(problems)
    value_of = (defaults.computed or {}).get(sort_by) or (lambda item: item.get(sort_by))
    ordered = sorted(items, key=lambda item: _sort_key(value_of(item)), reverse=sort_dir == "desc")
    pg = {"sortBy": sort_by, "sortDir": sort_dir, "limit": limit, "offset": offset}
    return ordered[offset : offset + limit], pg


def window(call: Call, items: list[T], default_limit: int) -> tuple[list[T], dict[str, Any]]:
    """Offset and limit only, for lists Make does not sort (data store records)."""
    problems: list[str] = []
    offset = _non_negative(call, "pg[offset]", 0, problems)
    limit = _non_negative(call, "pg[limit]", default_limit, problems)
    if problems:
        raise invalid(problems)
    return items[offset : offset + limit], {"limit": limit, "offset": offset}


def _non_negative(call: Call, name: str, default: int, problems: list[str]) -> int:
    raw = call.query_one(name)
    if raw is None:
        return default
    value = parse_int(raw)
    if value is None or value < 0:
        problems.append(f"Parameter '{name}' must be a non-negative integer.")
        return default
    return value


def _sort_key(value: Any) -> tuple[int, Any]:
    if isinstance(value, bool | int | float):
        return (0, value)
    if isinstance(value, str):
        return (1, value.casefold())
    if value is None:
        return (3, "")
    return (2, json.dumps(value, sort_keys=True))


# `cols[]=*` asks for every field (Make's SDK sends it).
ALL_COLUMNS = "*"


def columns(call: Call) -> list[str]:
    """The cols[] asked for; none (the whole items) for `*`, which Make reads as every column."""
    cols = call.query_list("cols")
    if ALL_COLUMNS in cols:
        return []
    allowed = call.documented_enum("cols[]")
    if allowed is not None:
        unknown = [col for col in cols if col not in allowed and col != ALL_COLUMNS]
        if unknown:
            raise invalid([f"Unknown column '{col}' in cols[]." for col in unknown])
    return cols


def select(item: dict[str, Any], cols: list[str]) -> dict[str, Any]:
    if ALL_COLUMNS in cols:
        return item
    return {col: item[col] for col in cols if col in item}


def list_body(
    call: Call,
    key: str,
    items: list[dict[str, Any]],
    defaults: PageDefaults,
    *,
    default_cols: list[str] | None = None,
    with_pg: bool = True,
) -> dict[str, Any]:
    """`{key: [...], "pg": {...}}` with Make's paging; cols[] picks keys, else the list's default columns."""
    every = ALL_COLUMNS in call.query_list("cols")
    cols = columns(call) or (None if every else default_cols)
    chosen, pg = page(call, items, defaults)
    body: dict[str, Any] = {key: [select(item, cols) if cols else item for item in chosen]}
    if with_pg:
        body["pg"] = pg
    return body


def single_body(call: Call, key: str, item: dict[str, Any]) -> dict[str, Any]:
    cols = columns(call)
    return {key: select(item, cols) if cols else item}


# ---- blueprints: the modules a scenario uses ----


def iter_modules(flow: Any) -> Iterator[dict[str, Any]]:
    """Every module of a blueprint flow, descending into router routes, if-else branches, an AI agent's tools
    and error handlers."""
    if not isinstance(flow, list):
        return
    for module in flow:
        if not isinstance(module, dict):
            continue
        yield module
        for key in ("routes", "branches", "tools"):
            paths = module.get(key)
            for path in paths if isinstance(paths, list) else []:
                if isinstance(path, dict):
                    yield from iter_modules(path.get("flow"))
        yield from iter_modules(module.get("onerror"))


def scenarios_using(state: SandboxState, parameter: str, value: int) -> list[int]:
    """IDs of scenarios with a module whose `parameters[parameter]` refers to `value` (a hook, connection, store)."""
    using: list[int] = []
    for scenario_id, blueprint in state.blueprints.items():
        for module in iter_modules(blueprint.get("flow")):
            parameters = module.get("parameters")
            if isinstance(parameters, dict) and str(parameters.get(parameter)) == str(value):
                using.append(scenario_id)
                break
    return using


def require_team(state: SandboxState, team_id: int) -> dict[str, Any]:
    return get_or_404(state.teams, team_id, "Team")
