"""The shape stage: Make's answer made lean for the model without losing what an agent needs. Pure functions.

What a result loses, and why nothing an agent needs goes with it:
- empty values (null, "", [], {}) of Make's envelope (a tool with a response key) and of the records directly
  in it: absent reads the same. Nothing deeper is touched, nor a body without an envelope (an app's code
  section, a record), nor what is read to be edited or is the user's own (a blueprint, a spec, data, outputs);
- Make's `{"code": "OK"}` beside the payload, and the paging echo `pg`: the caller knows what it asked; when a
  full page came back, `next` gives the `pg` of the next page;
- a record's object equal to another of the same record (updatedByUser equal to createdByUser) becomes
  `{"sameAs": "<that field>"}`;
- an update's echo of the whole object: the answer keeps its id and the fields the call sent, as Make now
  holds them; `cols` (where the tool has it) asks for more;
- of a list whose Make operation has no `cols[]` (its record's `trimmed_fields`), each item's fields
  other than its `id` and the call's `cols` (by default the tool's default fields; `["*"]`: all of them).
"""

from __future__ import annotations

import contextlib
import typing
from collections.abc import Mapping
from typing import Any

from make_mcp.server.errors import InvalidArguments
from make_mcp.server.support.json_bounds import decode_json_text
from make_mcp.tools.catalogue import MakeInput, Operation
from make_mcp.tools.result_fields import ALL_FIELDS

# Never trimmed: what is read to be edited and sent back, and the user's own values.
WHOLE = frozenset({"blueprint", "spec", "data", "outputs", "bundle", "value"})
# Kept in an update's answer beside the fields the call sent.
IDENTITY_FIELDS = ("id", "key")
PAGING = "pg"
NEXT_PAGE = "next"
COLS = "cols"
# Kept in each item of a list trimmed here, whatever `cols` names.
ITEM_ID = "id"


def with_result_fields(operation: Operation, arguments: Mapping[str, Any]) -> dict[str, Any]:
    """The arguments with the tool's default `cols` when the call gave none, `cols: ["*"]` as Make reads every
    column (`cols[]=*`, whole items, whatever the reference's column names), and the reference's spelling of a
    column as the items carry it (`column_aliases`)."""
    filled = dict(arguments)
    cols = filled.get(COLS)
    if _asks_for_all(cols):
        if column_choices(operation.input_model):
            filled[COLS] = [ALL_FIELDS]
    elif cols is None and operation.default_cols:
        filled[COLS] = list(operation.default_cols)
    elif isinstance(cols, list) and operation.column_aliases:
        renamed = dict(operation.column_aliases)
        filled[COLS] = [renamed.get(name, name) if isinstance(name, str) else name for name in cols]  # pyright: ignore[reportUnknownVariableType]
    return filled


def trimmed_fields(operation: Operation, cols: Any) -> frozenset[str] | None:
    """The item fields the shape stage keeps for a tool with `trimmed_fields`, from the call's `cols` (its default
    fields when None); None: every field Make answered (`["*"]`). A value the reference does not document for
    the items is refused, before anything is sent."""
    fields = operation.trimmed_fields
    assert fields is not None, operation.name
    if cols is None:
        return frozenset(fields.default)
    if isinstance(cols, str):
        with contextlib.suppress(ValueError):  # JSON text of an array; anything else is refused below
            cols = decode_json_text(cols, COLS)
    if _asks_for_all(cols):
        return None
    if not isinstance(cols, list) or not all(isinstance(name, str) for name in cols):  # pyright: ignore[reportUnknownVariableType]
        raise InvalidArguments(operation.name, [f"- {COLS}: must be an array of field names (or its JSON text)"])
    choices = ", ".join(repr(name) for name in (*fields.documented, ALL_FIELDS))
    problems = [
        f"- {COLS}.{index}: {name!r} is not a field of these items; must be one of {choices}"
        for index, name in enumerate(cols)  # pyright: ignore[reportUnknownArgumentType, reportUnknownVariableType]
        if name not in fields.documented
    ]
    if problems:
        raise InvalidArguments(operation.name, problems)
    return frozenset(cols)  # pyright: ignore[reportUnknownArgumentType]


def _asks_for_all(cols: Any) -> bool:
    """`["*"]`, as an array or its JSON text, or an array naming `*` among other fields."""
    if isinstance(cols, str):
        return cols.replace(" ", "") in (ALL_FIELDS, f'["{ALL_FIELDS}"]')
    return isinstance(cols, list) and ALL_FIELDS in cols


def column_choices(model: type[MakeInput]) -> tuple[str, ...]:
    """The values a model's `cols` field accepts (its Literal), or () when it has no such field."""
    info = model.model_fields.get(COLS)
    if info is None:
        return ()
    pending: list[Any] = [info.annotation]
    while pending:
        kind = pending.pop()
        if typing.get_origin(kind) is typing.Literal:
            return tuple(str(value) for value in typing.get_args(kind) if value != ALL_FIELDS)
        pending.extend(typing.get_args(kind))
    return ()


def lean(
    body: Any,
    *,
    response_key: str | None,
    page: tuple[int | None, int | None] = (None, None),
    written: frozenset[str] | None = None,
    kept: frozenset[str] | None = None,
) -> dict[str, Any]:
    """Make's answer as the structured result. `page` is the (offset, limit) the call asked for; `written`, for
    an update, the names of the fields it sent (None: not an update, or the call asked for fields itself);
    `kept`, for a list trimmed here, the fields kept of each item besides its id (None: all of them)."""
    payload: dict[str, Any] = dict(body) if isinstance(body, dict) else {"result": body}  # pyright: ignore[reportUnknownArgumentType]
    if payload.get("code") == "OK" and len(payload) > 1:
        payload.pop("code")
    paging = payload.pop(PAGING, None) if isinstance(payload.get(PAGING), dict) else None
    if written is not None and response_key is not None and isinstance(payload.get(response_key), dict):
        payload[response_key] = _written_only(payload[response_key], written)
    if kept is not None and response_key is not None and isinstance(payload.get(response_key), list):
        payload[response_key] = [_only(item, kept) for item in payload[response_key]]
    shaped: dict[str, Any] = {}
    for key, value in payload.items():
        if key in WHOLE or response_key is None:
            shaped[key] = value
        elif key == response_key or not _empty(value):
            shaped[key] = _lean_record(value) if isinstance(value, dict) else _lean_items(value)
    if paging is not None or page != (None, None):
        following = next_page(shaped, response_key, paging, page)
        if following is not None:
            shaped[NEXT_PAGE] = following
    return shaped


def next_page(
    payload: Mapping[str, Any],
    response_key: str | None,
    paging: Mapping[str, Any] | None,
    page: tuple[int | None, int | None],
) -> dict[str, Any] | None:
    """`{"pg": {"offset": ..., "limit": ...}}` of the next page when this one came back full, else None."""
    items = payload.get(response_key) if response_key is not None else None
    if not isinstance(items, list):
        items = next((value for value in payload.values() if isinstance(value, list)), None)  # pyright: ignore[reportUnknownVariableType]
    if not isinstance(items, list):
        return None
    asked_offset, asked_limit = page
    limit = _int((paging or {}).get("limit")) or asked_limit
    offset = _int((paging or {}).get("offset"))
    offset = offset if offset is not None else (asked_offset or 0)
    if not limit or len(items) < limit:  # pyright: ignore[reportUnknownArgumentType]
        return None
    return {PAGING: {"offset": offset + len(items), "limit": limit}}  # pyright: ignore[reportUnknownArgumentType]


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _empty(value: Any) -> bool:
    """None, or an empty string, list or object (not 0 or false)."""
    return value is None or (isinstance(value, str | list | dict) and not value)


def _lean_items(value: Any) -> Any:
    if not isinstance(value, list):
        return value
    return [_lean_record(item) if isinstance(item, dict) else item for item in value]  # pyright: ignore[reportUnknownVariableType]


def _lean_record(record: dict[str, Any]) -> dict[str, Any]:
    """One record without its empty fields; an object equal to an earlier one of the record names that one."""
    kept: dict[str, Any] = {}
    objects: list[tuple[str, dict[str, Any]]] = []
    for key, value in record.items():
        if key in WHOLE:
            kept[key] = value
            continue
        if _empty(value):
            continue
        if isinstance(value, dict) and len(value) > 1:  # pyright: ignore[reportUnknownArgumentType]
            same = next((name for name, seen in objects if seen == value), None)
            if same is not None:
                kept[key] = {"sameAs": same}
                continue
            objects.append((key, value))  # pyright: ignore[reportUnknownArgumentType]
        kept[key] = value
    return kept


def _only(item: Any, kept: frozenset[str]) -> Any:
    if not isinstance(item, dict):
        return item
    return {key: value for key, value in item.items() if key in kept or key == ITEM_ID}  # pyright: ignore[reportUnknownVariableType]


def _written_only(record: dict[str, Any], written: frozenset[str]) -> dict[str, Any]:
    """An update's answer: the identity and the fields the call sent; the whole record when it holds neither."""
    kept = {key: value for key, value in record.items() if key in IDENTITY_FIELDS or key in written}
    return kept or record
