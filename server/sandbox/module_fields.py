"""What Make refuses in a module's parameters or mapper: values of the wrong type, select values not among the options.

A small, independent reading of the Forman rules (types as Forman maps them, IML where a field is mappable,
nested fields of the chosen option, collection and array specs, validate enum and bounds). Missing required
values and unknown fields are not refusals: Make's editor asks for the first and drops the second. Options
that come from an RPC depend on the account and are not checked. Numeric text for a number field passes,
as Make's runtime converts it and Make's own example blueprints send it.
"""

from __future__ import annotations

from typing import Any

# Forman's JSON type of each field type; a type missing here takes any value.
VALUE_TYPES: dict[str, str] = {
    **dict.fromkeys(("account", "hook", "device", "keychain", "datastore", "udt"), "number"),
    **dict.fromkeys(("number", "integer", "uinteger", "port"), "number"),
    **dict.fromkeys(("boolean", "checkbox"), "boolean"),
    **dict.fromkeys(("array", "filter", "udtspec", "upload", "filestorage"), "array"),
    "collection": "object",
    **dict.fromkeys(
        (
            "text", "date", "buffer", "cert", "color", "email", "filename", "file", "folder", "password",
            "path", "pkey", "time", "timestamp", "timezone", "udttype", "scenario", "url", "uuid", "aiagent",
        ),
        "string",
    ),
}  # fmt: skip
SELECT_TYPES = ("select", "radio")
DISPLAY_TYPES = ("banner", "markdown", "html", "separator")
MAX_DEPTH = 32


def is_iml(value: Any) -> bool:
    return isinstance(value, str) and "{{" in value and "}}" in value


def is_whole_iml(value: Any) -> bool:
    """One IML expression and nothing else, which stands for a value of any type."""
    return isinstance(value, str) and value.startswith("{{") and value.endswith("}}") and value.rfind("{{") == 0


def base_type(field: dict[str, Any]) -> str:
    return str(field.get("type", "")).split(":", 1)[0]


def field_problems(fields: Any, values: Any, where: str, depth: int = 0) -> list[str]:
    """Problems of the values of one object (parameters, mapper, a collection) against its fields."""
    if not isinstance(fields, list) or not isinstance(values, dict) or depth > MAX_DEPTH:
        return []
    problems: list[str] = []
    for field in fields:
        if not isinstance(field, dict) or "name" not in field or base_type(field) in DISPLAY_TYPES:
            continue
        value = values.get(field["name"])
        if value is None or value == "":
            continue
        path = f"{where}.{field['name']}"
        problems.extend(value_problems(field, value, path, depth))
        problems.extend(field_problems(chosen_nested(field, value), values, where, depth + 1))
    return problems


def value_problems(field: dict[str, Any], value: Any, path: str, depth: int) -> list[str]:
    kind = base_type(field)
    if is_iml(value):
        if field.get("mappable") is False:
            return [f"{path}: the field is not mappable, so it takes no IML expression ({value!r})."]
        if is_whole_iml(value) or VALUE_TYPES.get(kind) in (None, "string"):
            return []
    wanted = VALUE_TYPES.get(kind)
    if wanted is not None and not fits(wanted, kind, value):
        return [f"{path}: expected {article(wanted)}, got {describe(value)}."]
    if kind in SELECT_TYPES:
        return option_problems(field, value, path)
    if kind == "collection":
        return field_problems(field.get("spec"), value, path, depth + 1)
    if kind == "array":
        return item_problems(field, value, path, depth)
    return bound_problems(field, value, path)


def fits(wanted: str, kind: str, value: Any) -> bool:
    if wanted == "number":
        number = as_number(value)
        if number is None:
            return False
        whole = kind in ("integer", "uinteger", "port", "account", "hook", "device", "keychain", "datastore", "udt")
        return (not whole or number == int(number)) and (kind != "uinteger" or number >= 0)
    if wanted == "boolean":
        return isinstance(value, bool)
    if wanted == "array":
        return isinstance(value, list)
    if wanted == "object":
        return isinstance(value, dict)
    return isinstance(value, str)


def as_number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.strip())
        except ValueError:
            return None
    return None


def static_options(field: dict[str, Any]) -> list[dict[str, Any]] | None:
    """The field's option list, or None when its options come from an RPC or are open."""
    options = field.get("options")
    if isinstance(options, dict):
        options = options.get("store")
    if isinstance(options, list) and all(isinstance(option, dict) for option in options):
        return options
    enum = (field.get("validate") or {}).get("enum")
    if isinstance(enum, list):
        return [{"value": item, "label": str(item)} for item in enum]
    return None


def option_problems(field: dict[str, Any], value: Any, path: str) -> list[str]:
    options = static_options(field)
    if options is None or field.get("editable") is True:
        return []
    chosen = value if field.get("multiple") and isinstance(value, list) else [value]
    allowed = [option.get("value") for option in options]
    problems: list[str] = []
    for item in chosen:
        if is_whole_iml(item) and field.get("mappable") is not False:
            continue
        if not any(same(item, candidate) for candidate in allowed):
            labels = [option for option in options if option.get("label") == item]
            hint = f" (that is the label of {labels[0].get('value')!r})" if labels else ""
            shown = ", ".join(repr(candidate) for candidate in allowed)
            problems.append(f"{path}: {item!r} is not one of the option values {shown}{hint}.")
    return problems


def same(value: Any, candidate: Any) -> bool:
    return type(value) is type(candidate) and value == candidate


def chosen_nested(field: dict[str, Any], value: Any) -> list[dict[str, Any]]:
    """Fields that appear once this field has this value: its own nested list and the chosen option's."""
    nested: list[dict[str, Any]] = []
    own = field.get("nested")
    if isinstance(field.get("options"), dict):
        own = own or field["options"].get("nested")
    if isinstance(own, list):
        nested.extend(own)
    for option in static_options(field) or []:
        if same(value, option.get("value")) and isinstance(option.get("nested"), list):
            nested.extend(option["nested"])
    return nested


def item_problems(field: dict[str, Any], items: list[Any], path: str, depth: int) -> list[str]:
    problems = bound_problems(field, items, path)
    spec = field.get("spec")
    for index, item in enumerate(items):
        where = f"{path}[{index}]"
        if isinstance(spec, dict):
            if item is not None and item != "":
                problems.extend(value_problems(spec, item, where, depth + 1))
        elif isinstance(spec, list) and spec:
            if not isinstance(item, dict):
                problems.append(
                    f"{where}: expected an object with fields {', '.join(s.get('name', '?') for s in spec)}."
                )
            else:
                problems.extend(field_problems(spec, item, where, depth + 1))
    return problems


def bound_problems(field: dict[str, Any], value: Any, path: str) -> list[str]:
    rules = field.get("validate")
    if not isinstance(rules, dict):
        return []
    low, high = rules.get("min"), rules.get("max")
    if isinstance(value, list):
        low, high = rules.get("minItems"), rules.get("maxItems")
        size, unit = float(len(value)), "items"
    elif isinstance(value, str) and VALUE_TYPES.get(base_type(field)) == "string":
        size, unit = float(len(value)), "characters"
    else:
        number = as_number(value)
        if number is None:
            return []
        size, unit = number, ""
    if isinstance(low, int | float) and size < low:
        return [f"{path}: {size:g} {unit} is below the minimum of {low}.".replace("  ", " ")]
    if isinstance(high, int | float) and size > high:
        return [f"{path}: {size:g} {unit} is above the maximum of {high}.".replace("  ", " ")]
    return []


def article(wanted: str) -> str:
    return {
        "number": "a number",
        "boolean": "a boolean (true or false)",
        "array": "an array",
        "object": "an object",
    }.get(wanted, "a text")


def describe(value: Any) -> str:
    names = {bool: "a boolean", int: "a number", float: "a number", str: "a text", list: "an array", dict: "an object"}
    shown = repr(value) if not isinstance(value, list | dict) else ""
    return f"{names.get(type(value), type(value).__name__)} {shown}".rstrip()
