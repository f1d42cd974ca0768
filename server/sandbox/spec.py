"""The vendored Make API v2 spec as the sandbox uses it: routing, request validation and sample responses.

Every documented operation can be answered from here alone: `match` finds the operation for a request path,
`validate_request` lists what Make would reject, and `sample_response` builds a body of the documented shape.
"""

from __future__ import annotations

import copy
import functools
import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic_core import from_json

SPEC_PATH = Path(__file__).resolve().parents[2] / "tools" / "spec" / "make-openapi.json"

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")

_NUMBERED_KEY = re.compile(r"(.+)\[(\d+)\]")
_INTEGER_TEXT = re.compile(r"-?\d+")
_JSON_TYPES: dict[str, str] = {
    "string": "a string",
    "integer": "an integer",
    "number": "a number",
    "boolean": "a boolean",
    "array": "an array",
    "object": "an object",
}
_SAMPLE_DATETIME = "2024-05-01T12:00:00.000Z"
_SAMPLE_DATE = "2024-05-01"


@dataclass(frozen=True)
class SpecOperation:
    method: str  # upper-case, e.g. "GET"
    path: str  # template relative to /api/v2, e.g. "/scenarios/{scenarioId}"
    operation_id: str
    tag: str
    scopes: tuple[str, ...]
    parameters: tuple[dict[str, Any], ...]  # raw OpenAPI parameter objects, path and query only
    request_body_schema: dict[str, Any] | None
    response_schema: dict[str, Any] | None
    response_example: Any | None
    request_body_is_json: bool = True  # False for the few bodies documented as text or an image


@dataclass(frozen=True)
class _QueryParam:
    name: str
    required: bool
    value_schemas: tuple[dict[str, Any], ...]  # each repeated value must fit one of these
    is_array: bool


@dataclass(frozen=True)
class _Route:
    op: SpecOperation
    path_param_names: tuple[str, ...]  # in template order
    path_schemas: dict[str, tuple[dict[str, Any], ...]]  # the value must fit one of these
    query_params: tuple[_QueryParam, ...]
    query_by_key: dict[str, _QueryParam]  # exact query keys: name, and base / base[] for arrays
    query_by_array_base: dict[str, _QueryParam]  # for numbered keys such as cols[1]


@dataclass
class _Node:
    literals: dict[str, _Node] = field(default_factory=dict)
    param: _Node | None = None
    routes: dict[str, list[_Route]] = field(default_factory=dict)  # by method; >1 only for same-shape templates


class SpecIndex:
    def __init__(self, operations: Iterable[SpecOperation]) -> None:
        self.operations: tuple[SpecOperation, ...] = tuple(operations)
        self._routes: dict[tuple[str, str], _Route] = {}
        self._root = _Node()
        for op in self.operations:
            route = _build_route(op)
            self._routes[(op.method, op.path)] = route
            node = self._root
            for segment in _split(op.path):
                if _is_param(segment):
                    node.param = node.param or _Node()
                    node = node.param
                else:
                    node = node.literals.setdefault(segment, _Node())
            node.routes.setdefault(op.method, []).append(route)

    @classmethod
    def load(cls) -> SpecIndex:
        return _load_vendored_index()

    @classmethod
    def from_document(cls, document: dict[str, Any]) -> SpecIndex:
        return cls(_operations_from_document(document))

    def find(self, method: str, template: str) -> SpecOperation | None:
        route = self._routes.get((method.upper(), template))
        return route.op if route is not None else None

    def match(self, method: str, path: str) -> tuple[SpecOperation, dict[str, str]] | None:
        """The operation of this method for a request path, and its path params.

        Templates are tried literal-before-parameter at each segment, and the first whose path params validate
        wins: `GET /keys/types` is the literal operation, `.../modules/m/private` the visibility one (not the
        same-shape deprecation one). When none validates, the first that fits is returned so the caller answers
        400 from validate_request (e.g. `DELETE /keys/types` is `DELETE /keys/{keyId}` with a bad id).
        """
        method = method.upper()
        fallback: tuple[SpecOperation, dict[str, str]] | None = None
        for node, values in _candidates(self._root, _split(path), 0, ()):
            for route in node.routes.get(method, ()):
                params = dict(zip(route.path_param_names, values, strict=True))
                if not _path_problems(route, params):
                    return route.op, params
                if fallback is None:
                    fallback = (route.op, params)
        return fallback

    def path_exists(self, path: str) -> bool:
        return any(node.routes for node, _ in _candidates(self._root, _split(path), 0, ()))

    def validate_request(
        self, op: SpecOperation, path_params: dict[str, str], query: list[tuple[str, str]], body: Any
    ) -> list[str]:
        """Problems Make would report for this request; empty when it is valid. Unknown query keys are ignored."""
        route = self._route(op)
        problems = _path_problems(route, path_params)
        problems.extend(_query_problems(route, query))
        problems.extend(_body_problems(op.request_body_schema, body))
        return problems

    def sample_response(
        self, op: SpecOperation, path_params: dict[str, str], query: list[tuple[str, str]], body: Any
    ) -> Any:
        """A fresh response body of the documented shape: the example when there is one, else synthesized."""
        if op.response_example is not None:
            result = copy.deepcopy(op.response_example)
        elif op.response_schema is None or not op.response_schema.get("type"):
            return {}
        else:
            result = _synthesize(op.response_schema, "", index=0, depth=0)
        route = self._route(op)
        _echo_path_params(result, route, path_params)
        if op.method in ("POST", "PUT", "PATCH") and isinstance(body, dict):
            _echo_body(result, body)
        if "pg[limit]" in route.query_by_key or "pg[offset]" in route.query_by_key:
            _apply_paging(result, query)
        if "cols" in route.query_by_array_base:
            _apply_cols(result, _array_values(query, "cols"))
        return result

    def _route(self, op: SpecOperation) -> _Route:
        route = self._routes.get((op.method, op.path))
        # Operations built outside this index (e.g. in tests) still get a route of their own.
        return route if route is not None and route.op is op else _build_route(op)


@functools.cache
def _load_vendored_index() -> SpecIndex:
    return SpecIndex(vendored_operations())


@functools.cache
def vendored_operations() -> tuple[SpecOperation, ...]:
    """The operations of the vendored spec, read once per process (pydantic_core's JSON parser: the 1 MB spec in
    about half the time of the standard library's, as the built-in sandbox starts)."""
    return tuple(_operations_from_document(from_json(SPEC_PATH.read_bytes())))


# ---- loading ----


def _operations_from_document(document: dict[str, Any]) -> Iterator[SpecOperation]:
    for template, item in document["paths"].items():
        shared = [p for p in item.get("parameters", []) if isinstance(p, dict)]
        for method, raw in item.items():
            if method not in HTTP_METHODS:
                continue
            own = raw.get("parameters", [])
            own_keys = {(p["name"], p["in"]) for p in own}
            parameters = [p for p in shared if (p["name"], p["in"]) not in own_keys] + list(own)
            schema, example = _response_schema_and_example(raw.get("responses", {}))
            yield SpecOperation(
                method=method.upper(),
                path=template,
                operation_id=raw.get("operationId", f"{method}{template}"),
                tag=(raw.get("tags") or [""])[0],
                scopes=_token_scopes(raw.get("security", [])),
                parameters=tuple(p for p in parameters if p.get("in") in ("path", "query")),
                request_body_schema=_content_schema(raw.get("requestBody", {}).get("content", {}))[0],
                response_schema=schema,
                response_example=example,
                request_body_is_json=_takes_json(raw.get("requestBody", {}).get("content", {})),
            )


def _token_scopes(security: list[dict[str, list[str]]]) -> tuple[str, ...]:
    for requirement in security:
        if "token" in requirement:
            return tuple(requirement["token"])
    return ()


def _takes_json(content: dict[str, Any]) -> bool:
    return not content or "application/json" in content


def _content_schema(content: dict[str, Any]) -> tuple[dict[str, Any] | None, Any | None]:
    """The JSON media type's schema and example, else the first media type's."""
    media = content.get("application/json") or next(iter(content.values()), None)
    if not isinstance(media, dict):
        return None, None
    return media.get("schema"), media.get("example")


def _response_schema_and_example(responses: dict[str, Any]) -> tuple[dict[str, Any] | None, Any | None]:
    for status in sorted(code for code in responses if code.startswith("2")):
        return _content_schema(responses[status].get("content", {}))
    return None, None


def _build_route(op: SpecOperation) -> _Route:
    path_schemas = {p["name"]: _value_schemas(p.get("schema", {}))[0] for p in op.parameters if p["in"] == "path"}
    query_params: list[_QueryParam] = []
    by_key: dict[str, _QueryParam] = {}
    by_array_base: dict[str, _QueryParam] = {}
    for raw in op.parameters:
        if raw["in"] != "query":
            continue
        name: str = raw["name"]
        value_schemas, is_array = _value_schemas(raw.get("schema", {}))
        base = name.removesuffix("[]")
        is_array = is_array or base != name
        param = _QueryParam(name, bool(raw.get("required")), value_schemas, is_array)
        query_params.append(param)
        by_key[name] = param
        if is_array:
            by_key.setdefault(base, param)
            by_key.setdefault(f"{base}[]", param)
            by_array_base[base] = param
    return _Route(
        op=op,
        path_param_names=tuple(s[1:-1] for s in _split(op.path) if _is_param(s)),
        path_schemas=path_schemas,
        query_params=tuple(query_params),
        query_by_key=by_key,
        query_by_array_base=by_array_base,
    )


def _value_schemas(schema: dict[str, Any]) -> tuple[tuple[dict[str, Any], ...], bool]:
    """The schemas a single query value may fit, and whether the parameter takes several values."""
    alternatives = schema.get("oneOf") or schema.get("anyOf") or [schema]
    values: list[dict[str, Any]] = []
    is_array = False
    for alternative in alternatives:
        if alternative.get("type") == "array":
            is_array = True
            values.append(alternative.get("items") or {})
        else:
            values.append(alternative)
    return tuple(values), is_array


# ---- routing ----


def _split(path: str) -> list[str]:
    trimmed = path.strip("/")
    return trimmed.split("/") if trimmed else []


def _is_param(segment: str) -> bool:
    return segment.startswith("{") and segment.endswith("}")


def _candidates(
    node: _Node, segments: list[str], position: int, values: tuple[str, ...]
) -> Iterator[tuple[_Node, tuple[str, ...]]]:
    """Every node the path reaches, literal children before the parameter child at each segment."""
    if position == len(segments):
        yield node, values
        return
    segment = segments[position]
    literal = node.literals.get(segment)
    if literal is not None:
        yield from _candidates(literal, segments, position + 1, values)
    if node.param is not None and segment:
        yield from _candidates(node.param, segments, position + 1, (*values, segment))


# ---- validation ----


def _path_problems(route: _Route, params: dict[str, str]) -> list[str]:
    problems: list[str] = []
    for name, schemas in route.path_schemas.items():
        if name not in params:
            problems.append(f"Missing value of required parameter '{name}'.")
            continue
        problem = _text_problem(name, params[name], schemas)
        if problem is not None:
            # Make's wording for an id segment that is not a number.
            if problem.endswith("must be an integer."):
                problem = f"Invalid key, not parsable to integer: '{name}'."
            problems.append(problem)
    return problems


def _query_problems(route: _Route, query: list[tuple[str, str]]) -> list[str]:
    problems: list[str] = []
    seen: set[str] = set()
    for key, value in query:
        param = route.query_by_key.get(key)
        if param is None:
            numbered = _NUMBERED_KEY.fullmatch(key)
            param = route.query_by_array_base.get(numbered.group(1)) if numbered else None
        if param is None:
            continue  # Make ignores query parameters it does not know
        seen.add(param.name)
        if param.name in ("cols[]", "cols") and (value == "*" or value in _item_fields(route.op.response_schema)):
            continue  # every field (Make's SDK asks for them so), or a field the items carry by its name
        problem = _text_problem(param.name, value, param.value_schemas)
        if problem is not None:
            problems.append(problem)
    for param in route.query_params:
        if param.required and param.name not in seen:
            problems.append(f"Missing value of required parameter '{param.name}'.")
    return problems


def _text_problem(name: str, text: str, schemas: Iterable[dict[str, Any]]) -> str | None:
    """None when the text fits one of the schemas, else the problem with the first one."""
    first: str | None = None
    for schema in schemas:
        problem = _single_text_problem(name, text, schema)
        if problem is None:
            return None
        first = first or problem
    return first


def _single_text_problem(name: str, text: str, schema: dict[str, Any]) -> str | None:
    kind = schema.get("type")
    value: Any = text
    if kind == "integer":
        value = parse_int(text)
        if value is None:
            return f"Parameter '{name}' must be an integer."
    elif kind == "number":
        value = _parse_number(text)
        if value is None:
            return f"Parameter '{name}' must be a number."
    elif kind == "boolean":
        if text.lower() not in ("true", "false", "1", "0"):
            return f"Parameter '{name}' must be a boolean."
        value = text.lower() in ("true", "1")
    return _constraint_problem(name, value, schema)


def parse_int(text: str) -> int | None:
    """The integer the text spells (surrounding whitespace allowed), or None."""
    # int() trims less than str.strip() (e.g. not U+001F), so the stripped text is what gets parsed.
    stripped = text.strip()
    return int(stripped) if _INTEGER_TEXT.fullmatch(stripped) else None


def _parse_number(text: str) -> float | None:
    try:
        number = float(text)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def _constraint_problem(name: str, value: Any, schema: dict[str, Any]) -> str | None:
    enum = schema.get("enum")
    if enum is not None and value not in enum:
        return f"Parameter '{name}' must be one of: {', '.join(str(item) for item in enum)} (got '{value}')."
    if isinstance(value, int | float) and not isinstance(value, bool):
        minimum, maximum = schema.get("minimum"), schema.get("maximum")
        if minimum is not None and schema.get("exclusiveMinimum") is True and value <= minimum:
            return f"Parameter '{name}' must be greater than {minimum}."
        if minimum is not None and value < minimum:
            return f"Parameter '{name}' must be at least {minimum}."
        if maximum is not None and schema.get("exclusiveMaximum") is True and value >= maximum:
            return f"Parameter '{name}' must be less than {maximum}."
        if maximum is not None and value > maximum:
            return f"Parameter '{name}' must be at most {maximum}."
    if isinstance(value, str):
        if "minLength" in schema and len(value) < schema["minLength"]:
            return f"Parameter '{name}' must be at least {schema['minLength']} characters long."
        if "maxLength" in schema and len(value) > schema["maxLength"]:
            return f"Parameter '{name}' must be at most {schema['maxLength']} characters long."
        if "pattern" in schema and not re.search(schema["pattern"], value):
            return f"Parameter '{name}' has an invalid format."
    return None


def _body_problems(schema: dict[str, Any] | None, body: Any) -> list[str]:
    if not schema or not schema.get("properties"):
        return []  # free-form or non-JSON bodies are not checked
    if body is None:
        body = {}
    if not isinstance(body, dict):
        return ["The request body must be a JSON object."]
    problems: list[str] = []
    properties: dict[str, Any] = schema["properties"]
    for name in schema.get("required", []):
        if body.get(name) is None:
            problems.append(f"Missing value of required parameter '{name}'.")
    for name, value in body.items():
        if name in properties and value is not None:
            problem = _json_problem(name, value, properties[name])
            if problem is not None:
                problems.append(problem)
    return problems


def _json_problem(name: str, value: Any, schema: dict[str, Any]) -> str | None:
    kind = schema.get("type")
    if kind is None or _json_type_fits(name, value, kind):
        return _constraint_problem(name, value, schema) if kind in ("string", "integer", "number") else None
    return f"Parameter '{name}' must be {_JSON_TYPES.get(kind, kind)}."


def _json_type_fits(name: str, value: Any, kind: str) -> bool:
    if isinstance(value, bool):
        return kind == "boolean"
    if kind == "integer":
        # Numeric strings pass too, as in the stateful handlers (clients send some ids as strings).
        is_whole = isinstance(value, int) or (isinstance(value, float) and value.is_integer())
        return is_whole or (isinstance(value, str) and bool(_INTEGER_TEXT.fullmatch(value.strip())))
    if kind == "number":
        return isinstance(value, int | float) or (isinstance(value, str) and _parse_number(value) is not None)
    if kind == "string":
        # The spec types a few id fields as strings (e.g. POST /hooks teamId) that clients send as numbers.
        return isinstance(value, str) or (isinstance(value, int) and (name == "id" or name.endswith("Id")))
    if kind == "array":
        return isinstance(value, list)
    if kind == "object":
        return isinstance(value, dict)
    return True


# ---- sample responses ----


def _synthesize(schema: dict[str, Any], name: str, index: int, depth: int) -> Any:
    """A deterministic value of the schema's shape; `index` varies ids and texts between list items."""
    alternatives = schema.get("oneOf") or schema.get("anyOf")
    if alternatives:
        return _synthesize(alternatives[0], name, index, depth)
    kind = schema.get("type")
    if schema.get("enum"):
        return copy.deepcopy(schema["enum"][0])
    if kind == "object":
        properties: dict[str, Any] = schema.get("properties") or {}
        return {key: _synthesize(sub, key, index, depth + 1) for key, sub in properties.items()}
    if kind == "array":
        items = schema.get("items") or {}
        if not items.get("type") and not items.get("oneOf"):
            return []
        count = 2 if depth <= 1 else 1  # a couple of entries in the main lists, one deeper down
        return [_synthesize(items, name, position, depth + 1) for position in range(count)]
    if kind == "integer":
        return max(int(schema.get("minimum", 1)), 1) + index
    if kind == "number":
        return 1.5 + index
    if kind == "boolean":
        return False
    if kind == "string":
        return _sample_string(name, schema, index)
    return None


def _sample_string(name: str, schema: dict[str, Any], index: int) -> str:
    lowered = name.lower()
    suffix = f" {index + 1}" if index else ""
    fmt = schema.get("format")
    if fmt == "date-time" or name.endswith("At") or lowered.endswith(("time", "timestamp")):
        return _SAMPLE_DATETIME
    if fmt == "date" or lowered.endswith("date"):
        return _SAMPLE_DATE
    if fmt == "uuid" or lowered in ("uuid", "udid"):
        return f"00000000-0000-4000-8000-{index + 1:012d}"
    if "email" in lowered:
        return f"user{index + 1}@example.com"
    if lowered.endswith(("url", "uri")):
        return f"https://www.example.com/{index + 1}"
    return f"Sample {name or 'value'}{suffix}"


def _item_fields(schema: dict[str, Any] | None) -> set[str]:
    """The fields of the objects the documented answer carries: a list's items, or the one wrapped object. Make
    takes these names in cols[] although a page's column list spells one otherwise (userRoleId for usersRoleId)."""
    if not isinstance(schema, dict):
        return set()
    fields: set[str] = set()
    for value in schema.get("properties", {}).values():
        inner = value.get("items", value) if isinstance(value, dict) else {}
        if isinstance(inner, dict):
            fields |= set(inner.get("properties", {}))
    return fields


def _listed(result: Any) -> list[Any] | None:
    """The response's main list: the body itself when it is an array, else its first array property."""
    if isinstance(result, list):
        return result
    if isinstance(result, dict):
        for value in result.values():
            if isinstance(value, list):
                return value
    return None


def _wrapped_entities(result: Any) -> list[dict[str, Any]]:
    """The objects a single-entity response carries, e.g. {"scenario": {...}}; else the body itself."""
    if not isinstance(result, dict):
        return []
    wrapped = [value for key, value in result.items() if key != "pg" and isinstance(value, dict)]
    return wrapped if len(wrapped) == 1 else [result]


def _same_type_as(current: Any, raw: str) -> Any | None:
    """The text as the JSON type of the current value, or None when it cannot take that type."""
    if isinstance(current, bool):
        return None
    if isinstance(current, int):
        return parse_int(raw)
    if isinstance(current, float):
        return _parse_number(raw)
    if isinstance(current, str):
        return raw
    return None


def _echo_path_params(result: Any, route: _Route, params: dict[str, str]) -> None:
    """Path params reappear in the body: same-named properties, and the addressed entity's id."""
    objects: list[dict[str, Any]] = []
    if isinstance(result, dict):
        objects.append(result)
        objects.extend(value for value in result.values() if isinstance(value, dict))
    listed = _listed(result)
    if listed is not None:
        objects.extend(item for item in listed if isinstance(item, dict))
    for obj in objects:
        for name, raw in params.items():
            if name in obj:
                value = _same_type_as(obj[name], raw)
                if value is not None:
                    obj[name] = value
    addressed = route.op.path.endswith("}") and route.path_param_names[-1] in params
    for entity in _wrapped_entities(result) if addressed else []:
        if "id" in entity:
            value = _same_type_as(entity["id"], params[route.path_param_names[-1]])
            if value is not None:
                entity["id"] = value


def _echo_body(result: Any, body: dict[str, Any]) -> None:
    """Scalar body fields replace same-named fields of the created or updated entity when the types agree."""
    for entity in _wrapped_entities(result):
        for name, value in body.items():
            current = entity.get(name)
            if isinstance(value, str | int | float | bool) and type(value) is type(current):
                entity[name] = value


def _apply_paging(result: Any, query: list[tuple[str, str]]) -> None:
    limit = _query_int(query, "pg[limit]")
    offset = _query_int(query, "pg[offset]")
    listed = _listed(result)
    if listed is not None:
        start = offset if offset is not None and offset >= 0 else 0
        stop = start + limit if limit is not None and limit >= 0 else len(listed)
        listed[:] = listed[start:stop]
    page = result.get("pg") if isinstance(result, dict) else None
    if isinstance(page, dict):
        for key, value in (("limit", limit), ("offset", offset)):
            if value is not None and key in page:
                page[key] = value
        for key in ("sortBy", "sortDir"):
            text = _query_last(query, f"pg[{key}]")
            if text is not None and key in page:
                page[key] = text


def _apply_cols(result: Any, cols: list[str]) -> None:
    """Keeps only the requested keys, in the requested order, on the listed objects (or the wrapped entity);
    `*` keeps every key."""
    if not cols or "*" in cols:
        return
    listed = _listed(result)
    targets = _wrapped_entities(result) if listed is None else [item for item in listed if isinstance(item, dict)]
    for obj in targets:
        kept = {key: obj[key] for key in cols if key in obj}
        obj.clear()
        obj.update(kept)


def _query_last(query: list[tuple[str, str]], name: str) -> str | None:
    values = [value for key, value in query if key == name]
    return values[-1] if values else None


def _query_int(query: list[tuple[str, str]], name: str) -> int | None:
    text = _query_last(query, name)
    return None if text is None else parse_int(text)


def _array_values(query: list[tuple[str, str]], base: str) -> list[str]:
    """Values of `base[]` (and bare `base`) in order, then numbered `base[N]` by N: Make's two array notations."""
    plain = [value for key, value in query if key in (base, f"{base}[]")]
    numbered: list[tuple[int, str]] = []
    for key, value in query:
        match = _NUMBERED_KEY.fullmatch(key)
        if match and match.group(1) == base:
            numbered.append((int(match.group(2)), value))
    return plain + [value for _, value in sorted(numbered, key=lambda pair: pair[0])]
