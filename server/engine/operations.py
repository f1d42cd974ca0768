"""Generic code that reads an Operation declaration: its input schema, its request, its result."""

from __future__ import annotations

import base64
import binascii
import copy
import difflib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, TypeVar
from urllib.parse import quote, urlencode

from pydantic import AliasChoices, BaseModel, ValidationError
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue
from pydantic_core import core_schema

from make_mcp.server.engine.shaping import COLS, NEXT_PAGE, lean
from make_mcp.server.errors import InvalidArguments
from make_mcp.server.make_api.client import MakeRequest, field_value_problem
from make_mcp.server.support.json_bounds import JsonBoundExceeded, decode_json_text, unsendable
from make_mcp.tools.catalogue import MakeInput, Operation, Pagination, Step, Wire
from make_mcp.tools.conventions import WHERE_TO_FIND
from make_mcp.tools.jsonc import without_comments

ModelT = TypeVar("ModelT", bound=BaseModel)

# Web servers refuse request lines much over 8 KB (nginx and Apache by default); longer is refused here.
MAX_URL_CHARS = 8_000


# A value of any JSON type, spelled for strict converters and Gemini: each branch has one type (items one level deep).
_SCALARS = [{"type": "string"}, {"type": "number"}, {"type": "boolean"}, {"type": "object"}]
ANY_VALUE: dict[str, Any] = {"anyOf": [*_SCALARS, {"type": "array", "items": {"anyOf": _SCALARS}}, {"type": "null"}]}


class _CompactSchema(GenerateJsonSchema):
    """Schemas as small as they can be while saying everything: no titles; an optional field admits null, which
    means left out (strict converters make every field required, and a model then sends null for those it skips)."""

    def any_schema(self, schema: core_schema.AnySchema) -> JsonSchemaValue:
        return copy.deepcopy(ANY_VALUE)  # pydantic writes the field's description into what it gets

    def default_schema(self, schema: core_schema.WithDefaultSchema) -> JsonSchemaValue:
        value = super().default_schema(schema)
        if _admits_null(value):
            return value
        kept = {key: value.pop(key) for key in ("default", "description") if key in value}
        return {"anyOf": [value, {"type": "null"}], **kept}

    def field_title_should_be_set(self, schema: Any) -> bool:
        return False

    def model_schema(self, schema: core_schema.ModelSchema) -> JsonSchemaValue:
        value = super().model_schema(schema)
        value.pop("title", None)
        return value


def _admits_null(schema: JsonSchemaValue) -> bool:
    return schema.get("type") == "null" or any(_admits_null(branch) for branch in schema.get("anyOf", []))


@cache
def input_schema(model: type[MakeInput]) -> dict[str, Any]:
    """The JSON schema advertised for a tool: compact, with nested models inlined (no $ref), in the spelling
    every client takes (see `_portable`). A base64 field says so in its description: Gemini refuses
    `contentEncoding`."""
    raw = model.model_json_schema(by_alias=True, schema_generator=_CompactSchema)
    definitions = raw.pop("$defs", {})
    schema = _portable(_inline(raw, definitions))
    schema["properties"] = {name: _or_json_text(field) for name, field in schema.get("properties", {}).items()}
    return schema


def _or_json_text(field: dict[str, Any]) -> dict[str, Any]:
    """A field holding free-form objects also takes their JSON text (`validate_input` decodes it): strict
    converters close every object to no members at all, so under them the text is how the members get through."""
    branches: list[dict[str, Any]] = field.get("anyOf", [field])
    if not any(_has_open_object(branch) for branch in branches) or any(b.get("type") == "string" for b in branches):
        return field
    kept = {key: field[key] for key in ("description", "default") if key in field}
    typed = [{key: value for key, value in branch.items() if key not in kept} for branch in branches]
    values = [branch for branch in typed if branch.get("type") != "null"]
    nulls = [branch for branch in typed if branch.get("type") == "null"]
    return {"anyOf": [*values, {"type": "string"}, *nulls], **kept}


def _has_open_object(schema: dict[str, Any]) -> bool:
    if schema.get("type") == "object" and not schema.get("properties"):
        return True
    inner = [*schema.get("anyOf", []), *([schema["items"]] if "items" in schema else [])]
    inner += schema.get("properties", {}).values()
    return any(_has_open_object(branch) for branch in inner)


def _inline(node: Any, definitions: dict[str, Any]) -> Any:
    if isinstance(node, dict):
        if "$ref" in node:
            target = definitions[node["$ref"].rsplit("/", 1)[-1]]
            here = {k: v for k, v in node.items() if k != "$ref" and not (k == "default" and v is None)}
            return {**_inline(target, definitions), **here}
        return {
            # The keys of `properties` are field names (any text, "$ref" too), not keywords.
            k: {name: _inline(sub, definitions) for name, sub in v.items()}
            if k == "properties"
            else _inline(v, definitions)
            for k, v in node.items()
            if not (k == "default" and v is None)
        }
    if isinstance(node, list):
        return [_inline(item, definitions) for item in node]
    return node


def _portable(node: dict[str, Any]) -> dict[str, Any]:
    """The same schema in words every client takes. Gemini refuses `const`, `exclusiveMinimum` and enums of
    numbers (a run of integers is a range), google-genai's MCP conversion crashes on a boolean
    `additionalProperties` (googleapis/python-genai#2393) and openai-agents' strict mode refuses any other.
    Dropping `additionalProperties` loses nothing a client needs: validation refuses unknown arguments, naming
    the likely one, and checks a map's values; strict converters close every object themselves."""
    value: dict[str, Any] = {}
    for key, item in node.items():
        if key == "additionalProperties":
            continue
        if key == "const":
            value["enum"] = [item]
        elif key == "enum" and node.get("type") == "integer":
            if sorted(item) != list(range(min(item), max(item) + 1)):
                raise TypeError(f"the integer enum {item} is not a range")
            value["minimum"], value["maximum"] = min(item), max(item)
        elif key in ("exclusiveMinimum", "exclusiveMaximum"):
            if node.get("type") != "integer":
                raise TypeError(f"{key} on a {node.get('type')} has no inclusive spelling")
            inclusive, step = ("minimum", 1) if key == "exclusiveMinimum" else ("maximum", -1)
            value[inclusive] = item + step
        elif key == "properties":
            value[key] = {name: _portable(sub) for name, sub in item.items()}
        elif key in ("anyOf", "oneOf", "allOf"):
            value[key] = [_portable(sub) for sub in item]
        elif key in ("items", "not"):
            value[key] = _portable(item)  # pyright: ignore[reportUnknownArgumentType]
        else:
            value[key] = item
    return value


@dataclass(frozen=True, slots=True)
class FieldWire:
    field: str
    wire: Wire
    required: bool

    @property
    def name(self) -> str:
        return self.wire.name or self.field


@cache
def field_wires(model: type[MakeInput]) -> tuple[FieldWire, ...]:
    """Each field of an input model with where it goes in the request."""
    found: list[FieldWire] = []
    for name, info in model.model_fields.items():
        wire = next((m for m in info.metadata if isinstance(m, Wire)), None)
        if wire is None:
            raise TypeError(f"{model.__name__}.{name} has no Wire marker")
        found.append(FieldWire(name, wire, info.is_required()))
    return tuple(found)


def without_left_out(model: type[BaseModel], arguments: Mapping[str, Any]) -> dict[str, Any]:
    """The arguments less each optional field given as null: null means left out. Strict converters make every
    field required, so a model sends null for each one it means to skip; the call must do what it does without
    them (defaults filled in, nothing sent). Only a required field (Make's nullable ones) sends a null."""
    if all(value is not None for value in arguments.values()):
        return dict(arguments)
    optional = _optional_names(model)
    return {key: value for key, value in arguments.items() if not (value is None and key in optional)}


@cache
def _optional_names(model: type[BaseModel]) -> frozenset[str]:
    """Every name an optional field of `model` may be given by: its own, its alias, its alias choices."""
    fields = model.model_fields
    optional = {info.alias or name for name, info in fields.items() if not info.is_required()}
    optional |= {name for name, info in fields.items() if not info.is_required()}
    optional |= {
        choice
        for info in fields.values()
        if not info.is_required() and isinstance(info.validation_alias, AliasChoices)
        for choice in info.validation_alias.choices
        if isinstance(choice, str)
    }
    return frozenset(optional)


def validate_input(model: type[ModelT], tool: str, arguments: Mapping[str, Any]) -> ModelT:
    """The arguments as an instance of the tool's input model; objects and arrays sent as JSON text count."""
    not_json = unsendable(arguments)
    if not_json:
        raise InvalidArguments(tool, not_json)
    arguments = without_left_out(model, arguments)
    try:
        return model.model_validate(arguments)
    except ValidationError as exc:
        try:
            decoded = _with_json_text_decoded(exc, arguments)
        except JsonBoundExceeded as bound:
            raise InvalidArguments(tool, str(bound).splitlines()) from None
        if decoded is None:
            raise InvalidArguments(tool, describe_validation_problems(exc, model)) from None
    try:
        return model.model_validate(decoded)
    except ValidationError as exc:
        raise InvalidArguments(tool, describe_validation_problems(exc, model)) from None


def validate_arguments(operation: Operation, arguments: dict[str, Any]) -> MakeInput:
    validated = validate_input(operation.input_model, operation.name, arguments)
    if operation.exactly_one_of:
        given = [name for name in operation.exactly_one_of if getattr(validated, name) is not None]
        if len(given) != 1:
            raise InvalidArguments(operation.name, [_exactly_one_problem(operation.exactly_one_of, given)])
    if operation.at_least_one_of and all(getattr(validated, name) is None for name in operation.at_least_one_of):
        names = " or ".join(operation.at_least_one_of)
        raise InvalidArguments(operation.name, [f"- {names}: give at least one of them (or both)"])
    return validated


# Validation errors that mean "wanted an object or an array": models send such fields as JSON text at times.
_STRUCTURE_ERRORS = frozenset({"dict_type", "list_type", "model_type", "model_attributes_type"})


def _with_json_text_decoded(exc: ValidationError, arguments: Mapping[str, Any]) -> dict[str, Any] | None:
    """The arguments with each top-level object or array that came as JSON text decoded; None if there is none."""
    decoded = dict(arguments)
    for error in exc.errors(include_url=False, include_context=False):
        location = error["loc"]
        if error["type"] not in _STRUCTURE_ERRORS or len(location) != 1:
            continue
        name = str(location[0])
        text = arguments.get(name)
        if not isinstance(text, str):
            continue
        try:
            value = decode_json_text(text, name)
        except JsonBoundExceeded:
            raise
        except ValueError:
            continue
        if isinstance(value, dict | list):
            decoded[name] = value
    return decoded if decoded != arguments else None


def _did_you_mean(location: tuple[int | str, ...], known: list[str]) -> str:
    """For a top-level argument the model does not know: the field it was most likely meant to be."""
    if len(location) != 1 or not isinstance(location[0], str):
        return ""
    lowered = {name.lower(): name for name in known}
    match = lowered.get(location[0].lower()) or next(
        iter(difflib.get_close_matches(location[0], known, n=1, cutoff=0.8)), None
    )
    return f"; did you mean {match}?" if match else ""


def describe_validation_problems(exc: ValidationError, model: type[BaseModel]) -> list[str]:
    """One line per problem; an unknown argument names the model's field it was most likely meant to be."""
    known = [info.alias or name for name, info in model.model_fields.items()]
    problems: list[str] = []
    for error in exc.errors(include_url=False, include_context=False):
        where = ".".join(str(part) for part in error["loc"]) or "arguments"
        message = error["msg"]
        if error["type"] == "extra_forbidden":
            message = "is not a parameter of this tool" + _did_you_mean(error["loc"], known)
        elif error["type"] in ("literal_error", "enum"):
            message = error["msg"].replace("Input should be", "must be")
        elif error["type"] in ("dict_type", "model_type", "model_attributes_type"):
            message = "must be an object (or its JSON text)"
        elif error["type"] == "list_type":
            message = "must be an array (or its JSON text)"
        elif error["type"] == "missing" and where in WHERE_TO_FIND:
            message = f"{message}; {WHERE_TO_FIND[where]}"
        problems.append(f"- {where}: {message}")
    return problems


def _exactly_one_problem(names: tuple[str, ...], given: list[str]) -> str:
    where = ", ".join(names)
    if given:
        return f"- {where}: give one of them, not {' and '.join(given)} together"
    hints = "; ".join(WHERE_TO_FIND[name] for name in names if name in WHERE_TO_FIND)
    return f"- {where}: give one of them" + (f"; {hints}" if hints else "")


class _BadValue(ValueError):
    """A value that passed the schema but cannot travel on the wire."""


def build_request(operation: Operation, arguments: MakeInput) -> MakeRequest:
    """Turns validated arguments into Make's (method, path, query, body)."""
    try:
        request = _build_request(operation, arguments)
    except _BadValue as problem:
        raise InvalidArguments(operation.name, [str(problem)]) from None
    if _url_length_bound(request) > MAX_URL_CHARS and (length := _url_length(request)) > MAX_URL_CHARS:
        raise InvalidArguments(
            operation.name,
            [
                f"- arguments: the request's URL would be {length} characters, over the {MAX_URL_CHARS} Make accepts; "
                "use shorter or fewer path and query values"
            ],
        )
    return request


def _url_length_bound(request: MakeRequest) -> int:
    """At least the length of the request's path and encoded query (a byte encodes to 3 characters at most): the
    exact length is worked out only when this one is over the limit."""
    return len(request.path) + sum(3 * (len(key.encode()) + len(value.encode())) + 2 for key, value in request.query)


def _url_length(request: MakeRequest) -> int:
    return len(request.path) + len(urlencode(request.query, quote_via=quote))


def _merge_into_body(
    arguments: MakeInput, body: dict[str, Any], spread: tuple[str, dict[str, Any]], nulled: list[str]
) -> None:
    """The members of a spread object and the fields set to null (setNull) join the body, each given once."""
    for key, value in spread[1].items():
        if key in body:
            raise _BadValue(f"- {spread[0]}: {key} is also given as an argument of its own; give it once")
        body[key] = value
    for name in nulled:
        wire_name = _wire_name(arguments, name)
        if wire_name in body:
            raise _BadValue(f"- setNull: {name} is given a value too; give it or list it in setNull")
        body[wire_name] = None


def _build_request(operation: Operation, arguments: MakeInput) -> MakeRequest:
    path = operation.path
    query: list[tuple[str, str]] = []
    headers: list[tuple[str, str]] = []
    body: dict[str, Any] = {}
    whole_body: Any = None
    content: bytes | None = None
    content_type: str | None = None
    nulled: list[str] = []
    spread: tuple[str, dict[str, Any]] = ("", {})
    for field_wire in field_wires(type(arguments)):
        value = getattr(arguments, field_wire.field)
        _check_unicode(field_wire.field, value)
        location = field_wire.wire.location
        if location == "path":
            path = path.replace("{" + field_wire.name + "}", _path_segment(field_wire.field, value))
        elif location == "query":
            if value is not None:
                query.extend(_query_pairs(field_wire.name, value))
        elif location == "header":
            if value is not None:
                headers.append((field_wire.name, _header_value(field_wire.field, value)))
        elif location == "whole_body" and field_wire.wire.content_type is not None:
            if value is not None:
                content = _raw_body(field_wire.field, value, field_wire.wire.base64)
                content_type = field_wire.wire.content_type
                if content_type == "application/jsonc":
                    _check_jsonc(field_wire.field, value)
        elif location == "whole_body":
            whole_body = value
        elif location == "nulls":
            nulled = value or []
        elif location == "body_spread":
            spread = (field_wire.field, value or {})
        elif value is not None or field_wire.required:
            # An optional field that is None was left out (see `without_left_out`); a required one sends null.
            body[field_wire.name] = _body_value(value, field_wire.wire.json_string)
    _merge_into_body(arguments, body, spread, nulled)
    given = {key for key, _ in query}
    query.extend((key, value) for key, value in operation.default_query if key not in given)
    payload = whole_body if whole_body is not None else (body or None)
    return MakeRequest(
        operation.method,
        path,
        query,
        payload,
        operation.name,
        tuple(headers),
        content,
        content_type,
        rate_limited=not operation.rate_limit_exempt,
        min_timeout=operation.min_timeout,
    )


def check_section_texts(operation: Operation, arguments: MakeInput) -> None:
    """InvalidArguments for a JSONC whole body that is not JSON text: what build_request refuses, for a tool of
    several requests whose run sends the text itself."""
    for field_wire in field_wires(type(arguments)):
        value = getattr(arguments, field_wire.field)
        wire = field_wire.wire
        if wire.location == "whole_body" and wire.content_type == "application/jsonc" and value is not None:
            try:
                _check_jsonc(field_wire.field, value)
            except _BadValue as problem:
                raise InvalidArguments(operation.name, [str(problem)]) from None


def _wire_name(arguments: MakeInput, public: str) -> str:
    """The wire name of the body field agents call `public` (its alias, else its attribute name)."""
    fields = type(arguments).model_fields
    return next(f.name for f in field_wires(type(arguments)) if (fields[f.field].alias or f.field) == public)


def _check_unicode(field: str, value: Any) -> None:
    # JSON text can carry unpaired surrogates (\ud800), which no UTF-8 request can.
    if value is None or isinstance(value, bool | int | float):
        return
    try:
        (value if isinstance(value, str) else dumps(value)).encode("utf-8")
    except UnicodeEncodeError:
        raise _BadValue(f"- {field}: holds text that is not valid Unicode (an unpaired surrogate)") from None


def _header_value(field: str, value: Any) -> str:
    text = _scalar(value)
    problem = field_value_problem(text)
    if problem is not None:
        raise _BadValue(f"- {field}: {problem} (it is sent as an HTTP header)")
    return text


def _raw_body(field: str, value: Any, is_base64: bool) -> bytes:
    text = value if isinstance(value, str) else dumps(value)
    if not is_base64:
        return text.encode()
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise _BadValue(f"- {field}: is not valid base64") from None


def _check_jsonc(field: str, text: str) -> None:
    """A section text must be JSON once its comments are removed: Make would refuse it after the request."""
    try:
        decode_json_text(without_comments(text), field)
    except JsonBoundExceeded as error:
        raise _BadValue(str(error)) from None
    except ValueError as error:
        raise _BadValue(f"- {field}: is not JSON text (comments allowed): {error}") from None


def _path_segment(field: str, value: Any) -> str:
    text = _scalar(value)
    if text in ("", ".", ".."):
        raise _BadValue(f"- {field}: {text!r} is not a valid identifier")
    return quote(text, safe="")


def step_request(
    tool: str,
    step: Step,
    path_params: Mapping[str, Any] | None = None,
    *,
    query: Sequence[tuple[str, str]] = (),
    body: Any = None,
    content: bytes | None = None,
    content_type: str | None = None,
) -> MakeRequest:
    """The request of one declared step of a tool of several requests (or of scenario tool discovery)."""
    return MakeRequest(
        step.method,
        fill_path(tool, step.path, path_params or {}),
        list(query),
        body,
        tool,
        content=content,
        content_type=content_type,
        rate_limited=not step.rate_limit_exempt,
        min_timeout=step.min_timeout,
    )


def fill_path(tool: str, template: str, values: Mapping[str, Any]) -> str:
    """A path template with each `{name}` replaced by its value, percent-encoded as one path segment, as
    build_request fills an operation's path; InvalidArguments for a value no segment can be, ValueError when
    the values do not match the template's parameters."""
    path = template
    for name, value in values.items():
        placeholder = "{" + name + "}"
        if placeholder not in path:
            raise ValueError(f"{template} has no parameter {name}")
        try:
            path = path.replace(placeholder, _path_segment(name, value))
        except _BadValue as problem:
            raise InvalidArguments(tool, [str(problem)]) from None
    if "{" in path:
        raise ValueError(f"{template} needs more parameters than {', '.join(values) or 'none'}")
    return path


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if hasattr(value, "value"):  # enums
        return str(value.value)
    return str(value)


def _query_pairs(name: str, value: Any) -> list[tuple[str, str]]:
    if isinstance(value, Pagination):
        return [(f"pg[{key}]", _scalar(item)) for key, item in value.model_dump(exclude_none=True).items()]
    if isinstance(value, BaseModel):
        return [(f"{name}[{key}]", _scalar(item)) for key, item in value.model_dump(exclude_none=True).items()]
    if isinstance(value, list | tuple):
        key = name if name.endswith("]") else f"{name}[]"
        return [(key, _scalar(item)) for item in value]  # pyright: ignore[reportUnknownVariableType]
    if isinstance(value, dict) and "<" in name:
        # A placeholder wire name such as `<connectionType>[]`: each key fills it in.
        prefix, _, rest = name.partition("<")
        suffix = rest.partition(">")[2]
        pairs: list[tuple[str, str]] = []
        for key, items in value.items():  # pyright: ignore[reportUnknownVariableType]
            for item in items if isinstance(items, list) else [items]:  # pyright: ignore[reportUnknownVariableType]
                pairs.append((f"{prefix}{key}{suffix}", _scalar(item)))
        return pairs
    if isinstance(value, dict):
        return [(f"{name}[{key}]", _scalar(item)) for key, item in value.items()]  # pyright: ignore[reportUnknownVariableType]
    return [(name, _scalar(value))]


def _body_value(value: Any, json_string: bool) -> Any:
    if isinstance(value, BaseModel):
        value = value.model_dump(mode="json", exclude_none=True, by_alias=True)
    elif isinstance(value, list) and any(isinstance(item, BaseModel) for item in value):  # pyright: ignore[reportUnknownVariableType]
        value = [_body_value(item, False) for item in value]  # pyright: ignore[reportUnknownVariableType]
    if json_string and value is not None and not isinstance(value, str):
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    return value


# --- results -----------------------------------------------------------------------------------


def dumps(value: Any) -> str:
    return _ENCODER.encode(value)


# What json.dumps would make afresh for each call with these options.
_ENCODER = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False, default=str)


def shape_result(operation: Operation, arguments: MakeInput, body: Any, max_chars: int) -> dict[str, Any]:
    """The structured result: Make's body as an object, cut at a record boundary when over budget."""
    return shape_result_and_text(operation, arguments, body, max_chars)[0]


def shape_result_and_text(
    operation: Operation, arguments: MakeInput, body: Any, max_chars: int, kept: frozenset[str] | None = None
) -> tuple[dict[str, Any], str]:
    """`shape_result` and its JSON text (`dumps`), which measuring the budget already wrote once. `kept`: for a
    list tool trimmed here (`trimmed_fields`), the fields kept of each item (`make_mcp.server.engine.shaping.trimmed_fields`).

    The text is the structured result's compact JSON: one payload, as MCP asks of a tool with structured
    content, so a client hands the model the one or the other and nothing is read twice."""
    pg = getattr(arguments, "pg", None) if "pg" in type(arguments).model_fields else None
    page = (pg.offset, pg.limit) if isinstance(pg, Pagination) else (None, None)
    written = _written_fields(operation, arguments)
    payload = lean(body, response_key=operation.response_key, page=page, written=written, kept=kept)
    text = dumps(payload)
    if len(text) <= max_chars:
        return payload, text
    shaped = _cut_to_budget(operation, arguments, payload, max_chars)
    return shaped, dumps(shaped)


def _written_fields(operation: Operation, arguments: MakeInput) -> frozenset[str] | None:
    """For an update (PATCH or PUT) that did not ask for fields with `cols`: the names of the fields it sent."""
    # A tool of several requests (its own `run`) answers with its own result, not one update's record.
    if operation.run is not None or operation.method not in ("PATCH", "PUT") or getattr(arguments, COLS, None):
        return None
    sent: set[str] = set()
    for field_wire in field_wires(type(arguments)):
        value = getattr(arguments, field_wire.field, None)
        if field_wire.wire.location == "body" and field_wire.field in arguments.model_fields_set:
            sent.add(field_wire.name)
        elif field_wire.wire.location in ("whole_body", "body_spread") and isinstance(value, dict):
            sent.update(str(key) for key in value)  # pyright: ignore[reportUnknownArgumentType, reportUnknownVariableType]
    return frozenset(sent)


LARGER_BUDGET = (
    "this operation has no paging or column choice: the rest shows only with a larger result budget, "
    "MAKE_RESULT_MAX_CHARS, set by whoever runs this server"
)


def _cut_to_budget(
    operation: Operation, arguments: MakeInput, payload: dict[str, Any], max_chars: int
) -> dict[str, Any]:
    located = _largest_list(payload, ())
    if located is None:
        text = dumps(payload)
        return {
            "truncated": {
                "note": f"The response was {len(text)} characters, over the {max_chars} budget, and holds no list "
                "to cut at a record boundary; showing its beginning as text.",
                "more": LARGER_BUDGET,
            },
            "partialText": text[: max_chars - 400],
        }
    path, items = located
    keep = _most_items_that_fit(payload, path, items, max_chars - 600)
    cut = _replace_at(payload, path, items[:keep])
    cut.pop(NEXT_PAGE, None)  # the page was cut: the note says where the rest begins
    note: dict[str, Any] = {
        "list": ".".join(path),
        "returned": keep,
        "inResponse": len(items),
        "note": f"Cut to fit the {max_chars}-character result budget; {len(items) - keep} more items were in Make's answer.",
    }
    model_fields = type(arguments).model_fields
    if "pg" in model_fields:
        pg = getattr(arguments, "pg", None)
        offset = (pg.offset if isinstance(pg, Pagination) and pg.offset else 0) + keep
        note["next"] = f"call {operation.name} again with pg.offset={offset} and pg.limit={max(keep, 1)}"
    narrows = COLS in model_fields or operation.trimmed_fields is not None
    if narrows:
        note["narrower"] = "pass cols to return only the properties you need"
    if "pg" not in model_fields and not narrows:
        note["more"] = LARGER_BUDGET
    cut["truncated"] = note
    return cut


def _largest_list(node: Any, path: tuple[str, ...]) -> tuple[tuple[str, ...], list[Any]] | None:
    best: tuple[tuple[str, ...], list[Any]] | None = None
    best_size = 0
    stack: list[tuple[tuple[str, ...], Any]] = [(path, node)]
    while stack:
        here, value = stack.pop()
        if isinstance(value, dict):
            for key, child in value.items():  # pyright: ignore[reportUnknownVariableType]
                stack.append(((*here, str(key)), child))  # pyright: ignore[reportUnknownArgumentType]
        elif isinstance(value, list) and len(value) > 1:  # pyright: ignore[reportUnknownArgumentType]
            size = len(dumps(value))
            if size > best_size:
                best, best_size = (here, value), size  # pyright: ignore[reportUnknownVariableType]
    return best


def _replace_at(payload: dict[str, Any], path: tuple[str, ...], items: list[Any]) -> dict[str, Any]:
    if not path:
        return {"result": items}
    head, *rest = path
    copy = dict(payload)
    copy[head] = items if not rest else _replace_at(payload[head], tuple(rest), items)
    return copy


def _most_items_that_fit(payload: dict[str, Any], path: tuple[str, ...], items: list[Any], budget: int) -> int:
    low, high = 0, len(items)
    while low < high:
        middle = (low + high + 1) // 2
        if len(dumps(_replace_at(payload, path, items[:middle]))) <= budget:
            low = middle
        else:
            high = middle - 1
    return low
