"""Checking a module's `parameters` and `mapper` values against its Forman field specs, before Make sees them.

Forman is the form language of Make modules: a module's manifest lists its static fields (`parameters`) and its
mapped fields (`expect`, written to the blueprint's `mapper`). The rules follow Make's open-source validator
(@makehq/forman-schema) with the severities of our findings: an error is what Make refuses or cannot run as
written (a wrong type, a select label instead of its value, "false" for a boolean, an IML expression where the
field cannot be mapped, a value outside its validate bounds); a warning is what the person still has to fill or
choose (a required field left empty, a connection not yet picked), which Make accepts and its editor asks for.

The one leniency kept from Make's runtime, which Make's own example blueprints rely on: a numeric string ("200")
for a number field (as the sandbox's write check does); a number for a text field is refused, as Make's validator
does. A whole expression as one item of a multiple select is accepted in the mapper. Options loaded from an RPC (`rpc://...`) or Make's API (connections,
webhooks, keys, data stores) depend on the account and are not checked here.

Unknown fields: Make accepts and silently drops them, so they are errors only in strict mode (as in Make's
validator with `strict`); otherwise they are named in the fix of a required field they look like a misspelling
of. A scope whose fields come from an RPC (Google Sheets columns) is open: its unknown keys are never flagged.

Bounded: nesting deeper than MAX_DEPTH, more than MAX_CHECKS values or MAX_FINDINGS findings stop the check with
one finding saying so; the work is linear in the values and specs.
"""

from __future__ import annotations

import difflib
import functools
import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from make_mcp.server.builder.findings import Finding
from make_mcp.server.builder.iml import contains_expression, is_whole_expression

Where = Literal["parameters", "mapper"]

MAX_DEPTH = 32
MAX_CHECKS = 100_000
MAX_FINDINGS = 100
_SHOWN_OPTIONS = 12

VISUAL_TYPES = frozenset({"banner", "markdown", "html", "separator"})
TEXT_TYPES = frozenset(
    {"text", "date", "time", "timestamp", "timezone", "email", "url", "uuid", "color", "buffer", "filename"}
    | {"path", "password", "cert", "pkey", "aiagent", "scenario", "udttype", "file", "folder"}
)
NUMBER_TYPES = frozenset({"number", "integer", "uinteger", "port"})
BOOLEAN_TYPES = frozenset({"boolean", "checkbox"})
ID_TYPES = frozenset({"account", "hook", "keychain", "device", "datastore", "udt"})
SELECT_TYPES = frozenset({"select", "radio", "list"})
LIST_TYPES = frozenset({"array", "filter", "udtspec", "upload", "filestorage"})
FREE_TYPES = frozenset({"json", "hidden", "any"})

_ID_NOUNS = {
    "account": "connection",
    "hook": "webhook",
    "keychain": "key",
    "device": "device",
    "datastore": "data store",
    "udt": "data structure",
}
# Names Make's manifests give the two domains in `nested.domain`.
_DOMAINS: dict[str, Where] = {
    "parameters": "parameters",
    "default": "parameters",
    "expect": "mapper",
    "mapper": "mapper",
}
_BOOLEAN_WORDS = {"1": "true", "0": "false", "yes": "true", "no": "false", "on": "true", "off": "false"}
_NUMERIC = re.compile(r"\s*-?\d+(\.\d+)?([eE][+-]?\d+)?\s*")

_TEXT_TESTS = ("equal", "notequal", "contain", "notcontain", "startwith", "notstartwith", "endwith", "notendwith")
_TEXT_TESTS += ("pattern", "notpattern")
FILTER_OPERATORS = frozenset(
    {"exist", "notexist"}
    | {f"text:{test}{case}" for test in _TEXT_TESTS for case in ("", ":ci")}
    | {
        f"{kind}:{test}"
        for kind in ("number", "date", "time", "semver", "array")
        for test in ("equal", "notequal", "greater", "less", "greaterorequal", "lessorequal")
    }
    | {"array:contain", "array:contain:ci", "array:notcontain", "array:notcontain:ci"}
    | {"boolean:equal", "boolean:notequal"}
)


class _Stop(Exception):
    """The check went past one of its bounds; the finding saying so is already recorded."""


@dataclass
class _Scope:
    """One object of values being checked (the root `mapper`, a collection, an array item) and what is known of it."""

    where: Where
    path: str
    values: Mapping[str, Any]
    known: set[str] = field(default_factory=set)
    open: bool = False
    empty_required: list[tuple[str, str, str, str]] = field(default_factory=list)


@dataclass
class _Run:
    module_id: int | None
    strict: bool
    findings: list[Finding] = field(default_factory=list)
    checks: int = 0
    deferred: list[tuple[Where, object]] = field(default_factory=list)

    def add(self, severity: Literal["error", "warning"], path: str, message: str, fix: str) -> None:
        if len(self.findings) >= MAX_FINDINGS:
            self.findings.append(Finding("error", self.module_id, path, _TOO_MANY, _TOO_MANY_FIX))
            raise _Stop
        self.findings.append(Finding(severity, self.module_id, path, message, fix))

    def charge(self, path: str, cost: int = 1) -> None:
        self.checks += cost
        if self.checks > MAX_CHECKS:
            self.findings.append(Finding("error", self.module_id, path, _TOO_BIG, _TOO_BIG_FIX))
            raise _Stop


_TOO_MANY = f"More than {MAX_FINDINGS} findings; the check stopped here."
_TOO_MANY_FIX = "Fix the findings above and check again."
_TOO_BIG = f"The values hold more than {MAX_CHECKS} fields and items; the check stopped here."
_TOO_BIG_FIX = "Split the data: map large lists from a module's output instead of writing them into the blueprint."
_TOO_DEEP = f"The values nest deeper than {MAX_DEPTH} levels; the check stopped here."
_TOO_DEEP_FIX = "Flatten the structure: no Make module's fields nest this deep."


def validate_fields(
    specs: list[dict[str, Any]],
    values: Mapping[str, Any] | None,
    *,
    where: Where,
    module_id: int | None,
    strict: bool = False,
) -> list[Finding]:
    """Findings for one domain's values (`parameters` or `mapper`) against its Forman fields.

    Nested fields a manifest sends to the other domain are skipped; `validate_module` checks both domains together.
    """
    run = _Run(module_id, strict)
    try:
        root = _root_scope(run, where, values)
        _check_fields(run, specs, root, 0)
        run.deferred.clear()
        _finish_scope(run, root)
    except _Stop:
        pass
    return run.findings


def validate_module(
    parameter_specs: list[dict[str, Any]],
    expect_specs: list[dict[str, Any]],
    parameters: Mapping[str, Any] | None,
    mapper: Mapping[str, Any] | None,
    *,
    module_id: int | None,
    strict: bool = False,
) -> list[Finding]:
    """Findings for a module's `parameters` and `mapper` together, following nested fields across the two
    (Google Sheets hangs its mapper fields under the connection parameter's `nested: {domain: "expect"}`)."""
    run = _Run(module_id, strict)
    try:
        roots = {"parameters": _root_scope(run, "parameters", parameters), "mapper": _root_scope(run, "mapper", mapper)}
        _check_fields(run, parameter_specs, roots["parameters"], 0)
        _check_fields(run, expect_specs, roots["mapper"], 0)
        while run.deferred:
            where, store = run.deferred.pop(0)
            _check_nested_store(run, store, roots[where], 1)
        _finish_scope(run, roots["parameters"], roots["mapper"])
        _finish_scope(run, roots["mapper"], roots["parameters"])
    except _Stop:
        pass
    return run.findings


def _root_scope(run: _Run, where: Where, values: object) -> _Scope:
    if values is None:
        return _Scope(where, where, {})
    if isinstance(values, Mapping):
        return _Scope(where, where, values)
    run.add("error", where, f"`{where}` is {_kind(values)}, not an object of fields.", f"Write `{where}` as an object.")
    return _Scope(where, where, {})


def _check_fields(run: _Run, fields: object, scope: _Scope, depth: int) -> None:
    """Checks each named field of a spec list against the scope's values; RPC-loaded parts leave the scope open."""
    if isinstance(fields, str):
        scope.open = True
        return
    if not isinstance(fields, list):
        return
    if depth > MAX_DEPTH:
        run.findings.append(Finding("error", run.module_id, scope.path, _TOO_DEEP, _TOO_DEEP_FIX))
        raise _Stop
    for spec in fields:
        if isinstance(spec, str):
            scope.open = True
            continue
        if not isinstance(spec, dict) or spec.get("type") in VISUAL_TYPES:
            continue
        name = spec.get("name")
        if not isinstance(name, str) or not name:
            continue
        scope.known.add(name)
        _check_value(run, spec, scope.values.get(name), _join(scope.path, name), scope, depth)


def _check_value(run: _Run, spec: dict[str, Any], value: object, path: str, scope: _Scope, depth: int) -> None:
    run.charge(path)
    base = _base_type(spec)
    if value is None or value == "":
        if spec.get("required"):
            scope.empty_required.append((str(spec.get("name")), path, *_empty_required(spec, base, path)))
        _check_nested(run, _placeholder_nested(spec), scope, depth)
        return
    if isinstance(value, str) and contains_expression(value):
        if _check_expression(run, spec, base, value, path, scope.where):
            _check_nested(run, _field_nested(spec), scope, depth)
        return
    if not _check_type(run, spec, base, value, path):
        return
    if base in SELECT_TYPES:
        _check_nested(run, _check_select(run, spec, value, path, scope), scope, depth)
        return
    if base == "collection" and isinstance(value, Mapping):
        _check_collection(run, spec, value, path, scope.where, depth)
    elif base == "filter" and isinstance(value, list):
        _check_filter(run, spec, value, path, depth)
    elif base in LIST_TYPES and isinstance(value, list):
        _check_array(run, spec, value, path, scope.where, depth)
    elif base in ("file", "folder") and isinstance(value, str):
        _check_folder_path(run, spec, value, path)
    else:
        _check_rules(run, spec, base, value, path)
    _check_nested(run, _field_nested(spec), scope, depth)


def _check_expression(run: _Run, spec: dict[str, Any], base: str, value: str, path: str, where: Where) -> bool:
    """An IML value: only mapper fields that are mappable take one, and a typed field only as one whole expression."""
    label = _label(spec, path)
    if where == "parameters":
        run.add(
            "error",
            path,
            f"{label} holds an IML expression, but parameters are fixed settings that cannot be mapped.",
            "Write a fixed value here; data from other modules goes into the module's mapper fields.",
        )
        return False
    if spec.get("mappable") is False:
        run.add(
            "error",
            path,
            f"{label} cannot be mapped, but holds an IML expression.",
            f"Write {_type_noun(base)} instead of `{_short(value)}`.",
        )
        return False
    if base in NUMBER_TYPES | BOOLEAN_TYPES | ID_TYPES | {"collection"} | LIST_TYPES and not is_whole_expression(value):
        run.add(
            "error",
            path,
            f"{label} must be {_type_noun(base)}; text around an expression makes it text.",
            "Write one whole expression such as `{{1.value}}` with nothing around it, or a fixed value.",
        )
        return False
    return True


def _check_type(run: _Run, spec: dict[str, Any], base: str, value: object, path: str) -> bool:
    """The value's JSON type against the field's type; False (with a finding) when it does not fit."""
    problem = _type_problem(spec, base, value)
    if problem is None:
        return True
    message, fix = problem
    run.add("error", path, f"{_label(spec, path)} {message}", fix)
    return False


def _type_problem(spec: dict[str, Any], base: str, value: object) -> tuple[str, str] | None:
    if base in BOOLEAN_TYPES:
        return _boolean_problem(value)
    if base in NUMBER_TYPES:
        return _number_problem(base, value)
    if base in ID_TYPES:
        noun = _ID_NOUNS[base]
        number = None if isinstance(value, bool) else _as_number(value)
        if number is None or not float(number).is_integer():
            return (f"must be the ID (a number) of a {noun}, not {_kind(value)}.", f"Write the {noun}'s numeric ID.")
        return None
    if base in TEXT_TYPES:
        if isinstance(value, str):
            return None
        if _is_number(value):
            return (f"must be text, not {_kind(value)}.", f'Write it in quotes: "{value}".')
        return (f"must be text, not {_kind(value)}.", "Write a string.")
    if base == "collection" and not isinstance(value, Mapping):
        names = ", ".join(_spec_names(spec.get("spec"))[:_SHOWN_OPTIONS])
        return (f"must be an object, not {_kind(value)}.", f"Write an object with its fields ({names}).")
    if base in LIST_TYPES and not isinstance(value, list):
        return (f"must be a list, not {_kind(value)}.", "Write a list, e.g. wrap the value in [ ].")
    return None


def _boolean_problem(value: object) -> tuple[str, str] | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        word = value.strip().lower()
        return (f'must be a boolean, not the text "{_short(value)}".', f"Write {word} without quotes.")
    meant = _BOOLEAN_WORDS.get(str(value).strip().lower()) if isinstance(value, str | int) else None
    if meant is not None:
        return (f"must be a boolean, not {_kind(value)}.", f"Write {meant} (a boolean, without quotes).")
    return (f"must be a boolean, not {_kind(value)}.", "Write true or false (without quotes).")


def _number_problem(base: str, value: object) -> tuple[str, str] | None:
    number = None if isinstance(value, bool) else _as_number(value)
    if number is None:
        return (f"must be a number, not {_kind(value)}.", "Write a number, e.g. 10.")
    if base == "number":
        return None
    if not float(number).is_integer():
        return (f"must be a whole number, not {number}.", f"Write a whole number, e.g. {math.floor(number)}.")
    if base == "uinteger" and number < 0:
        return (f"must be 0 or more, not {number}.", "Write a whole number of 0 or more.")
    if base == "port" and not 1 <= number <= 65535:
        return (f"must be a port from 1 to 65535, not {number}.", "Write a port number from 1 to 65535, e.g. 443.")
    return None


def _check_select(run: _Run, spec: dict[str, Any], value: object, path: str, scope: _Scope) -> object:
    """A select's value (or list of values with `multiple`) among its options; answers the nested fields to check."""
    options = _inline_options(spec)
    if options is None:
        scope.open = scope.open or _options_from_rpc(spec)
        return _field_nested(spec)
    by_value = _index_options(options, _option_value_key(spec))
    if spec.get("multiple"):
        if not isinstance(value, list):
            fix = f"Write a list: [{_show(value)}]."
            run.add("error", path, f"{_label(spec, path)} takes a list of values.", fix)
            return None
        run.charge(path, len(value))
        for index, single in enumerate(value):
            if scope.where == "mapper" and spec.get("mappable") is not False and _is_expression(single):
                continue
            _find_option(run, spec, options, by_value, single, _join(path, str(index)))
        _check_item_count(run, spec, value, path)
        return _field_nested(spec)
    option = _find_option(run, spec, options, by_value, value, path)
    if option is None:
        return None
    chosen = option.get("nested")
    return chosen if chosen is not None else _field_nested(spec)


def _find_option(
    run: _Run, spec: dict[str, Any], options: list[dict[str, Any]], index: _OptionIndex, value: object, path: str
) -> dict[str, Any] | None:
    key = _option_value_key(spec)
    value_key = _value_key(value)
    found = index.get(value_key) if value_key is not None else None
    if found is not None:
        return found
    for option in options:
        if key in option and _value_key(option[key]) is None and _same(option[key], value):
            return option
    label = _label(spec, path)
    meant = _option_meant(options, key, value)
    if meant is not None:
        written = json.dumps(meant.get("label"))
        if value == meant.get("label"):
            message = f"{label} holds the option label {json.dumps(value)}; Make expects the option's value."
        else:
            message = f"{label} holds {json.dumps(value)}, an option written in the wrong letter case."
        run.add(
            "error",
            path,
            message,
            f"Write {json.dumps(meant[key])} (the value of the option labelled {written}).",
        )
        return None
    shown = ", ".join(json.dumps(option[key]) for option in options[:_SHOWN_OPTIONS] if key in option)
    more = " ..." if len(options) > _SHOWN_OPTIONS else ""
    run.add(
        "error",
        path,
        f"{label} holds {_show(value)}, which is not one of its options.",
        f"Write one of: {shown}{more}.",
    )
    return None


def _is_expression(value: object) -> bool:
    return isinstance(value, str) and is_whole_expression(value)


def _option_meant(options: list[dict[str, Any]], key: str, value: object) -> dict[str, Any] | None:
    """The option a text value names by its label, or by its label or value in another letter case."""
    if not isinstance(value, str):
        return None
    folded = value.strip().casefold()
    exact = [option for option in options if key in option and option.get("label") == value]
    if exact:
        return exact[0]
    for option in options:
        spelled = {str(option.get("label", "")).casefold(), str(option.get(key, "")).casefold()}
        if key in option and folded in spelled:
            return option
    return None


def _check_collection(
    run: _Run, spec: dict[str, Any], value: Mapping[str, Any], path: str, where: Where, depth: int
) -> None:
    fields = spec.get("spec")
    scope = _Scope(where, path, value, open=not isinstance(fields, list) or not fields)
    _check_fields(run, fields, scope, depth + 1)
    _finish_scope(run, scope)


def _check_array(run: _Run, spec: dict[str, Any], value: list[Any], path: str, where: Where, depth: int) -> None:
    """Each item against the array's `spec`: a list of fields (items are objects) or one field (items are values)."""
    item_spec = spec.get("spec")
    if depth + 1 > MAX_DEPTH and value:
        run.findings.append(Finding("error", run.module_id, path, _TOO_DEEP, _TOO_DEEP_FIX))
        raise _Stop
    for index, item in enumerate(value):
        item_path = _join(path, str(index))
        if isinstance(item_spec, list) and item_spec:
            if not isinstance(item, Mapping):
                names = ", ".join(_spec_names(item_spec)[:_SHOWN_OPTIONS])
                message = f"Item {index} of {_label(spec, path)} must be an object, not {_kind(item)}."
                run.add("error", item_path, message, f"Write each item as an object with its fields ({names}).")
                continue
            _check_collection(run, {"spec": item_spec}, item, item_path, where, depth)
        elif isinstance(item_spec, dict):
            holder = _Scope(where, path, {str(index): item}, open=True)
            _check_value(run, {**item_spec, "name": str(index)}, item, item_path, holder, depth + 1)
            _finish_scope(run, holder)
        else:
            run.charge(item_path)
    _check_item_count(run, spec, value, path)


def _check_item_count(run: _Run, spec: dict[str, Any], value: list[Any], path: str) -> None:
    rules = spec.get("validate")
    if not isinstance(rules, dict):
        return
    least, most = _bound(rules, "minItems"), _bound(rules, "maxItems")
    label = _label(spec, path)
    if least is not None and len(value) < least:
        run.add("error", path, f"{label} has {len(value)} items; it needs at least {least}.", f"Write {least} or more.")
    if most is not None and len(value) > most:
        run.add("error", path, f"{label} has {len(value)} items; it takes at most {most}.", f"Keep {most} at most.")


def _check_filter(run: _Run, spec: dict[str, Any], value: list[Any], path: str, depth: int) -> None:
    """A filter is OR-groups of AND-conditions `{a, o, b}` (one flat list when the field's `logic` is and/or)."""
    flat = spec.get("logic") in ("and", "or")
    groups = [value] if flat else value
    example = '[[{"a": "{{1.status}}", "o": "text:equal", "b": "done"}]]'
    allowed = _filter_operators(spec)
    for group_index, group in enumerate(groups):
        group_path = path if flat else _join(path, str(group_index))
        if not isinstance(group, list):
            run.add(
                "error",
                group_path,
                f"{_label(spec, path)} holds {_kind(group)} where a list of conditions goes.",
                f"Write the filter as OR-groups of AND-conditions, e.g. {example}.",
            )
            continue
        run.charge(group_path, len(group))
        for index, condition in enumerate(group):
            _check_condition(run, spec, condition, _join(group_path, str(index)), allowed)


def _check_condition(run: _Run, spec: dict[str, Any], condition: object, path: str, allowed: frozenset[str]) -> None:
    if not isinstance(condition, Mapping):
        run.add(
            "error",
            path,
            f"A condition of {_label(spec, path)} is {_kind(condition)}, not an object.",
            'Write each condition as {"a": ..., "o": ..., "b": ...}, e.g. {"a": "{{1.status}}", "o": "exist"}.',
        )
        return
    if condition.get("a") in (None, ""):
        run.add(
            "warning", _join(path, "a"), "A filter condition has no operand `a`.", "Write the value to test in `a`."
        )
    operator = condition.get("o")
    if operator in (None, ""):
        run.add(
            "error",
            _join(path, "o"),
            "A filter condition has no operator `o`.",
            "Write an operator such as text:equal.",
        )
    elif isinstance(operator, str) and contains_expression(operator):
        return
    elif not isinstance(operator, str) or operator not in allowed:
        close = difflib.get_close_matches(str(operator)[:100], sorted(allowed), n=3)
        hint = ", ".join(close) if close else "text:equal, number:greater, exist"
        run.add(
            "error",
            _join(path, "o"),
            f"The filter operator {_show(operator)} does not exist.",
            f"Write one of Make's operators, e.g. {hint}.",
        )


def _filter_operators(spec: dict[str, Any]) -> frozenset[str]:
    """The operators a filter field offers (`options.operators`, grouped), else all of Make's."""
    options = spec.get("options")
    operators = options.get("operators") if isinstance(options, dict) else None
    if not isinstance(operators, list):
        return FILTER_OPERATORS
    found = _inline_options({"options": operators}) or []
    return frozenset(str(option.get("value")) for option in found)


def _check_folder_path(run: _Run, spec: dict[str, Any], value: str, path: str) -> None:
    options = spec.get("options")
    single = isinstance(options, dict) and options.get("singleLevel") is True
    show_root = not isinstance(options, dict) or options.get("showRoot") is not False
    if single and ((not show_root and "/" in value) or (show_root and value.rfind("/") > 0)):
        run.add(
            "error",
            path,
            f"{_label(spec, path)} takes one level, but {_show(value)} has several.",
            "Write a single folder or file name without slashes inside it.",
        )
    _check_rules(run, spec, "text", value, path)


def _check_rules(run: _Run, spec: dict[str, Any], base: str, value: object, path: str) -> None:
    """The field's `validate` rules: pattern, min/max (length of text, size of numbers), enum."""
    rules = spec.get("validate")
    if not isinstance(rules, dict):
        return
    label = _label(spec, path)
    number = _as_number(value) if base in NUMBER_TYPES else None
    least, most = _bound(rules, "min"), _bound(rules, "max")
    if number is not None:
        if least is not None and number < least:
            run.add("error", path, f"{label} is {number}, below its minimum {least}.", f"Write {least} or more.")
        if most is not None and number > most:
            run.add("error", path, f"{label} is {number}, above its maximum {most}.", f"Write {most} or less.")
    elif isinstance(value, str):
        if least is not None and len(value) < least:
            run.add("error", path, f"{label} is {len(value)} characters; it needs {least}.", f"Write at least {least}.")
        if most is not None and len(value) > most:
            run.add("error", path, f"{label} is {len(value)} characters; {most} at most.", f"Shorten it to {most}.")
        _check_pattern(run, rules.get("pattern"), value, label, path)
    enum = rules.get("enum")
    if isinstance(enum, list) and enum and not any(_same(allowed, value) for allowed in enum):
        shown = ", ".join(json.dumps(allowed) for allowed in enum[:_SHOWN_OPTIONS])
        run.add("error", path, f"{label} holds {_show(value)}, not an allowed value.", f"Write one of: {shown}.")


def _check_pattern(run: _Run, pattern: object, value: str, label: str, path: str) -> None:
    source = pattern.get("regexp") if isinstance(pattern, dict) else pattern
    if not isinstance(source, str):
        return
    compiled = _compile(source)
    if compiled is not None and compiled.search(value) is None:
        run.add("error", path, f"{label} does not match the pattern {source}.", f"Write a value matching {source}.")


@functools.lru_cache(maxsize=256)
def _compile(source: str) -> re.Pattern[str] | None:
    """JavaScript patterns mostly read the same in Python; one that does not compile is not checked."""
    try:
        return re.compile(source)
    except (re.error, RecursionError, OverflowError):
        return None


def _check_nested(run: _Run, nested: object, scope: _Scope, depth: int) -> None:
    """Fields that appear once a field has a value: they sit beside it, or in the domain `nested.domain` names."""
    if nested is None:
        return
    store = nested.get("store") if isinstance(nested, dict) else nested
    domain = nested.get("domain") if isinstance(nested, dict) else None
    if isinstance(domain, str) and domain:
        target = _DOMAINS.get(domain)
        if target is None:
            scope.open = True
            return
        if target != scope.where:
            run.deferred.append((target, store))
            return
    _check_nested_store(run, store, scope, depth + 1)


def _check_nested_store(run: _Run, store: object, scope: _Scope, depth: int) -> None:
    if isinstance(store, str):
        scope.open = True
        return
    _check_fields(run, store, scope, depth)


def _finish_scope(run: _Run, scope: _Scope, other_root: _Scope | None = None) -> None:
    """Reports the scope's empty required fields (naming a misspelt key meant for one, or the same key written in
    the other domain) and, in strict mode, its unknown keys."""
    unknown = [] if scope.open else [key for key in scope.values if key not in scope.known]
    run.charge(scope.path, len(scope.values))
    for name, path, message, fix in scope.empty_required:
        meant = _misspelling(name, unknown)
        if meant is not None:
            fix = f"Rename `{meant}` to `{name}`: Make ignores `{meant}`, which is not a field of this module."
        elif other_root is not None and name in other_root.values and name not in other_root.known:
            fix = f"Move `{name}` from `{other_root.where}` to `{scope.where}`, where this module reads it."
        run.add("warning", path, message, fix)
    if not run.strict:
        return
    for key in unknown:
        run.add(
            "error",
            _join(scope.path, key),
            f"`{key}` is not a field here; Make drops it.",
            _unknown_fix(key, scope),
        )


def _unknown_fix(key: str, scope: _Scope) -> str:
    close = difflib.get_close_matches(key, sorted(scope.known)[:500], n=1)
    if close:
        return f"Rename it to `{close[0]}`, or remove it."
    if scope.path != scope.where:
        return "Remove it."
    where = "parameters" if scope.where == "mapper" else "mapper"
    return f"Remove it (or, if it belongs to the module's {where}, move it there)."


def _misspelling(name: str, unknown: list[str]) -> str | None:
    for key in unknown[:200]:
        if key.lower() == name.lower() or difflib.SequenceMatcher(None, key[:100], name).ratio() >= 0.85:
            return key
    return None


def _empty_required(spec: dict[str, Any], base: str, path: str) -> tuple[str, str]:
    """(message, fix) for a required field left empty: what to write there."""
    label = _label(spec, path)
    if base in ID_TYPES:
        noun = _ID_NOUNS[base]
        kind = _type_kind(spec)
        of_type = f" of type {kind}" if kind else ""
        return (f"{label} has no {noun} chosen yet.", f"Choose a {noun}{of_type} and write its numeric ID here.")
    default = spec.get("default")
    if default is not None and default != "":
        return (f"{label} is required and empty.", f"Write a value (its default is {json.dumps(default)[:80]}).")
    options = _inline_options(spec)
    if options:
        key = _option_value_key(spec)
        shown = ", ".join(json.dumps(option[key]) for option in options[:_SHOWN_OPTIONS] if key in option)
        return (f"{label} is required and empty.", f"Write one of: {shown}.")
    return (f"{label} is required and empty.", f"Write {_type_noun(base)} here.")


def _inline_options(spec: dict[str, Any]) -> list[dict[str, Any]] | None:
    """A select's options written in the manifest (groups flattened), or None when they load from elsewhere."""
    options = spec.get("options")
    store = options.get("store") if isinstance(options, dict) else options
    if not isinstance(store, list):
        return None
    flat: list[dict[str, Any]] = []
    for item in store:
        if isinstance(item, dict) and isinstance(item.get("options"), list) and "value" not in item:
            flat.extend(option for option in item["options"] if isinstance(option, dict))
        elif isinstance(item, dict):
            flat.append(item)
    return flat


def _options_from_rpc(spec: dict[str, Any]) -> bool:
    options = spec.get("options")
    store = options.get("store") if isinstance(options, dict) else options
    return isinstance(store, str)


def _option_value_key(spec: dict[str, Any]) -> str:
    options = spec.get("options")
    key = options.get("value") if isinstance(options, dict) else None
    return key if isinstance(key, str) and key else "value"


def _field_nested(spec: dict[str, Any]) -> object:
    if spec.get("nested") is not None:
        return spec["nested"]
    options = spec.get("options")
    return options.get("nested") if isinstance(options, dict) else None


def _placeholder_nested(spec: dict[str, Any]) -> object:
    options = spec.get("options")
    placeholder = options.get("placeholder") if isinstance(options, dict) else None
    return placeholder.get("nested") if isinstance(placeholder, dict) else None


def _base_type(spec: dict[str, Any]) -> str:
    kind = spec.get("type")
    return kind.partition(":")[0] if isinstance(kind, str) else "any"


def _type_kind(spec: dict[str, Any]) -> str:
    kind = spec.get("type")
    return kind.partition(":")[2] if isinstance(kind, str) else ""


def _type_noun(base: str) -> str:
    """What the field takes, with its article: "a whole number", "a connection ID"."""
    if base in BOOLEAN_TYPES:
        return "a boolean (true or false)"
    if base in ("integer", "uinteger", "port"):
        return "a whole number"
    if base == "number":
        return "a number"
    if base in ID_TYPES:
        return f"a {_ID_NOUNS[base]} ID"
    if base in SELECT_TYPES:
        return "a value among its options"
    if base == "collection":
        return "an object"
    if base in LIST_TYPES:
        return "a list"
    return "a value" if base in FREE_TYPES else "text"


def _label(spec: dict[str, Any], path: str) -> str:
    label = spec.get("label")
    return f"`{path}` ({label})" if isinstance(label, str) and label else f"`{path}`"


def _spec_names(fields: object) -> list[str]:
    if not isinstance(fields, list):
        return []
    return [spec["name"] for spec in fields if isinstance(spec, dict) and isinstance(spec.get("name"), str)]


def _as_number(value: object) -> float | int | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value if math.isfinite(value) else None
    if isinstance(value, str) and len(value) <= 64 and _NUMERIC.fullmatch(value):
        number = float(value)
        if not math.isfinite(number):
            return None
        return int(number) if number.is_integer() and "." not in value and "e" not in value.lower() else number
    return None


def _bound(rules: dict[str, Any], key: str) -> float | int | None:
    value = rules.get(key)
    return value if isinstance(value, int | float) and not isinstance(value, bool) else None


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


_OptionIndex = dict[tuple[str, object], dict[str, Any]]


def _index_options(options: list[dict[str, Any]], key: str) -> _OptionIndex:
    """Options by their scalar value, so a long list of chosen values is matched in linear time."""
    index: _OptionIndex = {}
    for option in options:
        value_key = _value_key(option[key]) if key in option else None
        if value_key is not None:
            index.setdefault(value_key, option)
    return index


def _value_key(value: object) -> tuple[str, object] | None:
    """A hashable key equal exactly when `_same` holds, for JSON scalars; None for objects and lists."""
    if isinstance(value, bool):
        return ("boolean", value)
    if _is_number(value):
        return ("number", value)
    if isinstance(value, str) or value is None:
        return ("text", value)
    return None


def _same(left: object, right: object) -> bool:
    """JSON equality: true is not 1, "1" is not 1."""
    if isinstance(left, bool) or isinstance(right, bool):
        return isinstance(left, bool) and isinstance(right, bool) and left == right
    if _is_number(left) and _is_number(right):
        return left == right
    return type(left) is type(right) and left == right


def _kind(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, str):
        return f'the text "{_short(value)}"'
    if isinstance(value, Mapping):
        return "an object"
    if isinstance(value, list):
        return "a list"
    return type(value).__name__


def _show(value: object) -> str:
    """A value as JSON for a message, short whatever its size."""
    if isinstance(value, str):
        return json.dumps(_short(value))
    if value is None or isinstance(value, bool) or _is_number(value):
        return json.dumps(value)
    return _kind(value)


def _short(text: str) -> str:
    return text if len(text) <= 60 else text[:57] + "..."


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key
