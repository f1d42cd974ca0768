"""A scenario interface as types: its inputs become a Pydantic model built at run time, its outputs a JSON schema.

Each interface item is a Make field: `name`, `type`, `label`, `help`, `default`, `required`, `options`, `spec`,
`validate` ({min, max, pattern}), `multiple`. Label becomes the title, help the description, select options an
enum, collections nested models and arrays lists of their `spec`. A type this module does not know is accepted
as any value, with a note saying so; a malformed item never stops the rest from being typed.

Model fields get synthetic Python names (`field_0` ...) and the Make name as their alias: Make names may be any
text ("first name", "json", "model_config"), and only the alias is accepted and shown.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date, datetime, time
from typing import Annotated, Any, Literal, cast
from urllib.parse import urlsplit

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, create_model
from pydantic.fields import FieldInfo
from pydantic.json_schema import WithJsonSchema

from make_mcp.server.engine.operations import input_schema
from make_mcp.tools.catalogue import BodyField, MakeInput, Wire

# The field types Make's scenario interfaces use, besides select, collection, dynamicCollection and array.
SCALAR_TYPES = ("text", "number", "integer", "uinteger", "boolean", "date", "time", "timestamp", "url", "email")
KNOWN_TYPES = (*SCALAR_TYPES, "json", "select", "collection", "dynamicCollection", "array", "any")
# How deep collections and arrays are followed; deeper parts are accepted as they come.
MAX_DEPTH = 6

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class ScenarioInput(MakeInput):
    """Base of every scenario tool's input model: only Make's field names are arguments."""

    model_config = ConfigDict(populate_by_name=False)


class _Collection(BaseModel):
    model_config = ConfigDict(extra="forbid")


class _OpenOutputs(BaseModel):
    """Outputs: Make may return more than the interface declares."""

    model_config = ConfigDict(extra="allow")


def _check_date(value: str) -> str:
    text = value.strip()
    try:
        datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        try:
            date.fromisoformat(text)
        except ValueError:
            raise ValueError(
                "must be an ISO 8601 date or date and time, e.g. 2025-03-01 or 2025-03-01T09:00:00Z"
            ) from None
    return value


def _check_time(value: str) -> str:
    try:
        time.fromisoformat(value.strip())
    except ValueError:
        raise ValueError("must be a time of day, e.g. 09:30 or 09:30:00") from None
    return value


def _check_url(value: str) -> str:
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError("must be an http or https address, e.g. https://example.com/page")
    return value


def _check_email(value: str) -> str:
    if not _EMAIL.match(value.strip()):
        raise ValueError("must be an email address, e.g. ana@example.com")
    return value


def _check_timestamp(value: str | int | float) -> str | int | float:
    if isinstance(value, str):
        _check_date(value)
    return value


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _text(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def _validate_rules(item: Mapping[str, Any]) -> Mapping[str, Any]:
    rules = item.get("validate")
    return cast(Mapping[str, Any], rules) if isinstance(rules, Mapping) else {}


def _pattern(rules: Mapping[str, Any]) -> str | None:
    pattern = _text(rules.get("pattern"))
    if pattern is None:
        return None
    try:
        re.compile(pattern)
    except re.error:
        return None  # Make's own pattern dialect may differ; an unusable pattern is not enforced here
    return pattern


def _option_values(item: Mapping[str, Any]) -> list[tuple[Any, str | None]]:
    """Each option's (value, label): Make writes options as {label, value} objects or as plain values."""
    raw = item.get("options")
    values: list[tuple[Any, str | None]] = []
    if not isinstance(raw, list):
        return values
    for option in cast(list[Any], raw):
        if isinstance(option, Mapping):
            option = cast(Mapping[str, Any], option)
            value, label = option.get("value"), _text(option.get("label"))
        else:
            value, label = option, None
        if isinstance(value, str | int | float | bool) and value not in [v for v, _ in values]:
            values.append((value, label))
    return values


class _Typed:
    """One field's annotation, its Field() keyword arguments, and the notes its description gets."""

    def __init__(self, annotation: Any, notes: Sequence[str] = (), **constraints: Any) -> None:
        self.annotation = annotation
        self.notes = list(notes)
        self.constraints = constraints


def _scalar_type(kind: str, rules: Mapping[str, Any]) -> _Typed:
    low, high = _number(rules.get("min")), _number(rules.get("max"))
    if kind == "text":
        bounds: dict[str, Any] = {}
        if low is not None and low >= 0:
            bounds["min_length"] = int(low)
        if high is not None and high >= 0:
            bounds["max_length"] = int(high)
        pattern = _pattern(rules)
        if pattern is not None:
            bounds["pattern"] = pattern
        return _Typed(str, **bounds)
    if kind in ("number", "integer", "uinteger"):
        bounds = {}
        if low is not None:
            bounds["ge"] = low if kind == "number" else int(low)
        if high is not None:
            bounds["le"] = high if kind == "number" else int(high)
        if kind == "uinteger":
            bounds["ge"] = max(bounds.get("ge", 0), 0)
        return _Typed(float if kind == "number" else int, **bounds)
    if kind == "boolean":
        return _Typed(bool)
    if kind == "date":
        return _Typed(Annotated[str, AfterValidator(_check_date)], ["ISO 8601 date or date and time"])
    if kind == "time":
        return _Typed(Annotated[str, AfterValidator(_check_time)], ["time of day, HH:MM or HH:MM:SS"])
    if kind == "timestamp":
        return _Typed(
            Annotated[str | int | float, AfterValidator(_check_timestamp)],
            ["ISO 8601 date and time, or seconds since 1970"],
        )
    # The format goes on the type itself, so it stays on the string branch of an optional field's anyOf.
    if kind == "url":
        return _Typed(Annotated[str, AfterValidator(_check_url), WithJsonSchema({"type": "string", "format": "uri"})])
    return _Typed(Annotated[str, AfterValidator(_check_email), WithJsonSchema({"type": "string", "format": "email"})])


def _choices_schema(values: Sequence[str | int | float | bool]) -> dict[str, Any]:
    kinds = sorted(
        {
            "boolean"
            if isinstance(v, bool)
            else "integer"
            if isinstance(v, int)
            else "number"
            if isinstance(v, float)
            else "string"
            for v in values
        }
    )
    if len(kinds) > 1:
        return {"anyOf": [{"type": kind} for kind in kinds]}
    if kinds[0] in ("integer", "number"):
        numbers = [v for v in values if not isinstance(v, bool) and isinstance(v, int | float)]
        return {"type": kinds[0], "minimum": min(numbers), "maximum": max(numbers)}
    return {"type": kinds[0]}


class _Builder:
    """Builds the models of one interface; names nested models after the tool so each is distinct."""

    def __init__(self, model_name: str, collection_base: type[BaseModel], *, for_outputs: bool = False) -> None:
        self.model_name = model_name
        self.collection_base = collection_base
        self.for_outputs = for_outputs  # outputs: nothing is required, at any depth (Make may leave any out)
        self.count = 0

    def field_type(self, item: Mapping[str, Any], depth: int) -> _Typed:
        kind = item.get("type")
        rules = _validate_rules(item)
        if not isinstance(kind, str) or kind not in KNOWN_TYPES:
            shown = kind if isinstance(kind, str) else "missing"
            return _Typed(Any, [f"Make type {shown!r} is not known to this server: any value is passed on as given"])
        if kind in SCALAR_TYPES:
            typed = _scalar_type(kind, rules)
        elif kind == "select":
            typed = self._select(item)
        elif kind == "json":
            typed = _Typed(dict[str, Any], ["a JSON object"])
        elif kind == "dynamicCollection":
            typed = _Typed(dict[str, Any], ["an object with any keys"])
        elif kind == "collection":
            typed = self._collection(item.get("spec"), depth)
        elif kind == "array":
            typed = self._array(item, rules, depth)
        else:  # any
            typed = _Typed(Any)
        if item.get("multiple") is True and kind not in ("array", "collection"):  # several values of the type
            typed = _Typed(list[Annotated[typed.annotation, Field(**typed.constraints)]], typed.notes)
        return typed

    def _select(self, item: Mapping[str, Any]) -> _Typed:
        options = _option_values(item)
        if not options:
            return _Typed(str | int | float | bool, ["a select field without options: any choice is passed on"])
        labelled = [f"{value} ({label})" for value, label in options if label and label != str(value)]
        notes = [f"options: {', '.join(labelled)}"] if labelled else []
        values = tuple(value for value, _ in options)
        if all(isinstance(value, str) for value in values):
            return _Typed(Literal[values], notes)
        # Gemini refuses enums of anything but text: other choices are typed, listed in the description and
        # checked by the model.
        if not labelled:
            notes = [f"one of: {', '.join(map(str, values))}"]
        return _Typed(Annotated[Literal[values], WithJsonSchema(_choices_schema(values))], notes)

    def _collection(self, spec: Any, depth: int) -> _Typed:
        items = _spec_items(spec)
        if depth >= MAX_DEPTH or not items:
            return _Typed(dict[str, Any], ["an object"])
        return _Typed(self.model(items, depth + 1, base=self.collection_base))

    def _array(self, item: Mapping[str, Any], rules: Mapping[str, Any], depth: int) -> _Typed:
        spec = item.get("spec")
        if depth >= MAX_DEPTH:
            element: _Typed = _Typed(Any)
        elif isinstance(spec, list):  # each element is a collection of these fields
            element = self._collection(spec, depth)
        elif isinstance(spec, Mapping):  # each element is one field of this type
            element = self.field_type(cast(Mapping[str, Any], spec), depth + 1)
        else:
            element = _Typed(Any)
        bounds: dict[str, Any] = {}
        low, high = _number(rules.get("min")), _number(rules.get("max"))
        if low is not None and low >= 0:
            bounds["min_length"] = int(low)
        if high is not None and high >= 0:
            bounds["max_length"] = int(high)
        annotation = list[Annotated[element.annotation, Field(**element.constraints)]]
        notes = [f"each item: {'; '.join(element.notes)}"] if element.notes else []
        return _Typed(annotation, notes, **bounds)

    def model(self, items: Sequence[Mapping[str, Any]], depth: int, *, base: type[BaseModel]) -> type[BaseModel]:
        fields: dict[str, Any] = {}
        for index, item in enumerate(_with_nested_options(items)):
            name = _text(item.get("name"))
            if name is None or name in [info.alias for _, info in fields.values()]:
                continue  # nameless or repeated: Make could not map it either
            typed = self.field_type(item, depth)
            # The tool's own arguments are what the run sends (in its body's `data`).
            wire = BodyField() if depth == 0 and not self.for_outputs else None
            fields[f"field_{index}"] = _field(item, typed, optional=self.for_outputs, wire=wire)
        self.count += 1
        suffix = "" if depth == 0 else f"_{self.count}"
        return create_model(f"{self.model_name}{suffix}", __base__=base, **fields)


def _spec_items(spec: Any) -> list[Mapping[str, Any]]:
    if isinstance(spec, Mapping):
        spec = [spec]
    if not isinstance(spec, list):
        return []
    return [cast(Mapping[str, Any], item) for item in cast(list[Any], spec) if isinstance(item, Mapping)]


def _with_nested_options(items: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """The items, each select followed by the fields its options add (optional: they apply to one choice)."""
    flat: list[Mapping[str, Any]] = []
    for item in items:
        flat.append(item)
        options = item.get("options")
        if item.get("type") != "select" or not isinstance(options, list):
            continue
        for option in cast(list[Any], options):
            if not isinstance(option, Mapping):
                continue
            option = cast(Mapping[str, Any], option)
            for nested in _spec_items(option.get("nested")):
                note = f"used when {item.get('name')} is {option.get('value')!r}"
                help_text = "; ".join(t for t in (_text(nested.get("help")), note) if t)
                flat.append({**nested, "required": False, "help": help_text})
    return flat


def _field(item: Mapping[str, Any], typed: _Typed, *, optional: bool, wire: Wire | None) -> tuple[Any, FieldInfo]:
    name = str(item.get("name")).strip()
    description = "; ".join(t for t in (_text(item.get("help")), *typed.notes) if t) or None
    title = _text(item.get("label"))
    default = None if optional else item.get("default")
    required = not optional and item.get("required") is True and default is None
    constraints = {key: value for key, value in typed.constraints.items() if value is not None}
    annotation = typed.annotation if required else typed.annotation | None
    if wire is not None:
        annotation = Annotated[annotation, wire]
    if required:
        return annotation, Field(alias=name, title=title, description=description, **constraints)
    return annotation, Field(default=default, alias=name, title=title, description=description, **constraints)


def input_model(model_name: str, items: Any) -> type[ScenarioInput]:
    """The input model of a scenario tool from its interface's `input` (a list of Make fields, or null)."""
    built = _Builder(model_name, _Collection).model(_spec_items(items), 0, base=ScenarioInput)
    return cast(type[ScenarioInput], built)


def arguments_schema(model: type[ScenarioInput]) -> dict[str, Any]:
    """The input JSON schema advertised for the tool."""
    return input_schema(model)


class OutputShape:
    """The outputs' JSON schema, and the check that a run's outputs fit it before they are returned.

    MCP clients check structuredContent against outputSchema and refuse a result that does not fit, so outputs
    are coerced to the declared types ("70" for an integer becomes 70, nulls are left out); outputs that still
    do not fit are returned whole under `unexpectedOutputs`, which the schema leaves open."""

    def __init__(self, items: Any) -> None:
        fields = _spec_items(items)
        self.model: type[BaseModel] | None = None
        self.schema: dict[str, Any] = {"type": "object"}
        if fields:
            self.model = _Builder("Outputs", _OpenOutputs, for_outputs=True).model(fields, 0, base=_OpenOutputs)
            # Not through input_schema's cache: a refresh builds new models, and this one is only used here.
            self.schema = _open_outputs(input_schema.__wrapped__(self.model))

    def fit(self, outputs: Any) -> tuple[dict[str, Any], Any]:
        """(outputs that fit the schema, what did not fit or None)."""
        if outputs is None:
            return {}, None
        if not isinstance(outputs, dict):
            return {}, outputs
        if self.model is None:
            return cast(dict[str, Any], outputs), None
        try:
            fitted = self.model.model_validate(outputs)
        except ValidationError:
            return {}, outputs
        return fitted.model_dump(mode="json", by_alias=True, exclude_none=True), None


def _open_outputs(node: Any) -> Any:
    """An input schema made the outputs' schema: `fit` leaves nulls out, so no field admits null, and every object
    takes more members than declared (Make may return more than the interface says)."""
    if isinstance(node, list):
        return [_open_outputs(item) for item in cast(list[Any], node)]
    if not isinstance(node, dict):
        return node
    node = cast(dict[str, Any], node)
    branches = node.get("anyOf")
    if isinstance(branches, list):
        kept = [b for b in cast(list[Any], branches) if b != {"type": "null"}]
        if len(kept) == 1:
            rest = {key: value for key, value in node.items() if key != "anyOf"}
            node = {**cast(dict[str, Any], kept[0]), **rest}
    opened = {key: _open_outputs(value) if key != "properties" else value for key, value in node.items()}
    if "properties" in node:
        opened["properties"] = {name: _open_outputs(sub) for name, sub in node["properties"].items()}
    if opened.get("type") == "object":
        opened["additionalProperties"] = True
    return opened


def output_properties(items: Any) -> dict[str, Any]:
    """The JSON schema of the outputs (an object), from the interface's `output` items."""
    return OutputShape(items).schema


def output_schema(items: Any) -> dict[str, Any]:
    """The tool's outputSchema: one shape for a finished and an unfinished run (see running.py)."""
    return result_schema(OutputShape(items))


def result_schema(shape: OutputShape) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {
            # One type a branch, not a type array: MCP Inspector --strict warns of those.
            "executionId": {"anyOf": [{"type": "string"}, {"type": "null"}]},
            "status": {"type": "string", "description": "SUCCESS, WARNING, ERROR or RUNNING"},
            "outputs": {
                **shape.schema,
                "description": "what the scenario's Return output module gave (outputs of other types than the "
                "interface declares come as Make gave them, under unexpectedOutputs)",
            },
            "next": {"type": "string", "description": "for a run still going: how to get its outcome later"},
        },
    }


def describe_outputs(items: Any) -> str:
    """A phrase naming the outputs and their types, for the tool's description."""
    names = [
        f"{_text(item.get('name'))} ({item.get('type') if isinstance(item.get('type'), str) else 'any'})"
        for item in _spec_items(items)
        if _text(item.get("name"))
    ]
    if not names:
        return "It returns no outputs (the scenario has no Return output module items)."
    return f"It returns the outputs {', '.join(names)}."
