"""App manifests: what Make says an app's modules are (GET /imt/apps/{appName}/{appVersion}), read defensively.

A manifest becomes one `AppManifest` holding a `ModuleSpec` per module: its kind, static parameters, mapper
fields (`expect`), output fields (`interface`), the connection, webhook or key type it needs, the OAuth scopes,
and the RPCs its options load from. `compact_module` renders one for a model to read; the raw manifest is kept.

Manifests are cached per app and version (`ManifestCache`) in the shared state (Redis when MAKE_REDIS_URL is
set, this process's memory otherwise), so one build never fetches an app twice. A manifest Make does not mark
public (a custom app) is cached under the caller's credential fingerprint only: one user's private app never
reaches another.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from make_mcp.server.errors import MakeApiError
from make_mcp.server.support.state import LocalState, SharedState
from make_mcp.tools.builder import GET_APP
from make_mcp.tools.catalogue import RequestPort

MODULE_GROUPS = ("triggers", "actions", "searches")
# Make's module types as the agent reads them.
KINDS = {
    "trigger": "trigger",
    "instant_trigger": "instant trigger",
    "action": "action",
    "search": "search",
    "responder": "webhook response",
    "router": "router",
    "iterator": "iterator",
    "aggregator": "aggregator",
    "converger": "converger",
    "if_else": "if-else",
    "merge": "merge",
    "repeater": "repeater",
    "error_handler": "error handler",
    "transformer": "transformer",
    "agent": "AI agent",
}
CACHE_SECONDS = 3600.0
CACHE_PREFIX = "builder:manifest:"
RPC_PREFIX = "rpc://"


@dataclass(frozen=True)
class ModuleSpec:
    app: str
    version: int
    name: str
    label: str
    type: str
    listener: bool
    accounts: tuple[str, ...]  # connection types that fit; empty: no connection
    hook: str | None
    scopes: tuple[str, ...]
    parameters: list[dict[str, Any]]
    expect: list[dict[str, Any]]
    interface: list[dict[str, Any]]
    dynamic_expect: bool
    dynamic_interface: bool
    deprecated: bool
    raw: dict[str, Any] = field(repr=False)

    @property
    def id(self) -> str:
        return f"{self.app}:{self.name}"

    @property
    def kind(self) -> str:
        return KINDS.get(self.type, self.type or "action")

    @property
    def is_trigger(self) -> bool:
        return self.type in ("trigger", "instant_trigger")

    def rpcs(self) -> list[str]:
        """Every `rpc://` reference of its fields, in order, once each."""
        found = (ref for fields in (self.parameters, self.expect) for ref in _rpc_references(fields))
        return list(dict.fromkeys(found))


@dataclass(frozen=True)
class AppManifest:
    name: str
    label: str
    version: int
    versions: tuple[int, ...]
    public: bool
    modules: dict[str, ModuleSpec]
    rpcs: list[dict[str, Any]]
    raw: dict[str, Any] = field(repr=False)


def parse_app(body: Any, app: str, version: int) -> AppManifest:
    """The manifest of Make's answer; anything malformed in it is skipped rather than trusted."""
    raw = body.get("app") if isinstance(body, dict) else None
    if not isinstance(raw, dict):
        raw = {}
    name = _text(raw.get("name")) or app
    stated = raw.get("version")
    found_version = stated if isinstance(stated, int) else version
    versions = tuple(v for v in _list(raw.get("versions")) if isinstance(v, int)) or (found_version,)
    modules: dict[str, ModuleSpec] = {}
    for group in MODULE_GROUPS:
        for item in _list(raw.get(group)):
            if isinstance(item, dict) and _text(item.get("name")):
                spec = _module(name, found_version, item)
                modules[spec.name] = spec
    rpcs = [item for item in _list(raw.get("rpcs")) if isinstance(item, dict)]
    label = _text(raw.get("label")) or name
    return AppManifest(name, label, found_version, versions, raw.get("public") is not False, modules, rpcs, raw)


def _module(app: str, version: int, item: dict[str, Any]) -> ModuleSpec:
    account = item.get("account")
    accounts = (account,) if isinstance(account, str) else tuple(a for a in _list(account) if isinstance(a, str))
    hook = item.get("hook") if isinstance(item.get("hook"), str) else None
    return ModuleSpec(
        app=app,
        version=version,
        name=str(item["name"]),
        label=_text(item.get("label")) or str(item["name"]),
        type=_text(item.get("type")) or "action",
        listener=item.get("listener") is True or item.get("type") == "instant_trigger",
        accounts=accounts,
        hook=hook,
        scopes=tuple(s for s in _list(item.get("scope")) if isinstance(s, str)),
        parameters=_fields(item.get("parameters")),
        expect=_fields(item.get("expect")),
        interface=_fields(item.get("interface")),
        dynamic_expect=item.get("dynamicExpect") is True,
        dynamic_interface=item.get("dynamicInterface") is True,
        deprecated=item.get("deprecated") is True,
        raw=item,
    )


def _fields(value: Any) -> list[dict[str, Any]]:
    return [item for item in _list(value) if isinstance(item, dict)]


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _rpc_references(fields: list[dict[str, Any]]) -> Iterator[str]:
    for spec in fields:
        for value in (spec.get("options"), spec.get("nested")):
            if isinstance(value, str) and value.startswith(RPC_PREFIX):
                yield value
            if isinstance(value, dict):
                store = value.get("store")
                if isinstance(store, str) and store.startswith(RPC_PREFIX):
                    yield store
                yield from _rpc_references(_fields(value.get("nested")))
            for option in _list(value):
                if isinstance(option, dict):
                    yield from _rpc_references(_fields(option.get("nested")))
        rpc = spec.get("rpc")
        if isinstance(rpc, dict) and isinstance(rpc.get("url"), str):
            yield rpc["url"]
        yield from _rpc_references(_fields(spec.get("nested")))
        spec_value = spec.get("spec")
        yield from _rpc_references(_fields(spec_value) if isinstance(spec_value, list) else _fields([spec_value]))


# --- the compact rendering ----------------------------------------------------------------------------

MAX_OPTIONS_SHOWN = 25
MAX_DEPTH = 6


def compact_module(spec: ModuleSpec) -> dict[str, Any]:
    """One module as an agent needs it to fill a blueprint: one line per field, nested fields as dotted names."""
    rendered: dict[str, Any] = {
        "module": spec.id,
        "version": spec.version,
        "label": spec.label,
        "kind": spec.kind,
    }
    if spec.accounts:
        rendered["connection"] = {"types": list(spec.accounts), "scopes": list(spec.scopes)}
    if spec.hook:
        rendered["webhook"] = spec.hook
    rendered["parameters"] = list(field_lines(spec.parameters))
    rendered["mapper"] = list(field_lines(spec.expect))
    if spec.dynamic_expect:
        rendered["mapperIsDynamic"] = True
    rendered["output"] = list(field_lines(spec.interface, output=True))
    if spec.dynamic_interface:
        rendered["outputIsDynamic"] = True
    rpcs = spec.rpcs()
    if rpcs:
        rendered["rpcs"] = rpcs
    if spec.deprecated:
        rendered["deprecated"] = True
    return rendered


def field_lines(
    fields: list[dict[str, Any]], prefix: str = "", *, output: bool = False, depth: int = 0
) -> Iterator[str]:
    """`name: type, required, default 5, one of a|b, options rpc://..., min 1 - Label` and the nested fields."""
    if depth > MAX_DEPTH:
        return
    for spec in fields:
        name = _text(spec.get("name")) or "[]"
        kind = _text(spec.get("type")) or "any"
        if kind in ("banner", "markdown", "html", "separator"):
            continue
        path = f"{prefix}{name}"
        yield f"{path}: {', '.join(_traits(spec, kind, output))}{_label(spec)}"
        yield from _nested_lines(spec, path, output=output, depth=depth)


def _traits(spec: dict[str, Any], kind: str, output: bool) -> list[str]:
    traits = [kind + ("[]" if spec.get("multiple") is True else "")]
    if output:
        return traits
    if spec.get("required") is True:
        traits.append("required")
    if "default" in spec and spec["default"] not in (None, ""):
        traits.append(f"default {json.dumps(spec['default'], ensure_ascii=False)[:60]}")
    if spec.get("mappable") is False:
        traits.append("no IML")
    options = spec.get("options")
    store = options.get("store") if isinstance(options, dict) else options
    if isinstance(store, str):
        traits.append(f"options {store}")
    elif isinstance(store, list):
        values = [_option_text(option) for option in store if isinstance(option, dict)]
        shown = "|".join(values[:MAX_OPTIONS_SHOWN]) + ("|..." if len(values) > MAX_OPTIONS_SHOWN else "")
        traits.append(f"one of {shown}")
    validate = spec.get("validate")
    if isinstance(validate, dict):
        traits.extend(f"{key} {json.dumps(value)[:40]}" for key, value in validate.items() if key != "enum")
    return traits


def _option_text(option: dict[str, Any]) -> str:
    value = (
        json.dumps(option.get("value"), ensure_ascii=False)
        if not isinstance(option.get("value"), str)
        else option["value"]
    )
    label = _text(option.get("label"))
    return f"{value} ({label})" if label and label != value else str(value)


def _label(spec: dict[str, Any]) -> str:
    label = _text(spec.get("label"))
    return f" - {label}" if label else ""


def _nested_lines(spec: dict[str, Any], path: str, *, output: bool, depth: int) -> Iterator[str]:
    inner = spec.get("spec")
    if isinstance(inner, dict):
        inner = [inner]
    if isinstance(inner, list):
        separator = "[]." if spec.get("type") == "array" else "."
        yield from field_lines(_fields(inner), path + separator, output=output, depth=depth + 1)
    nested = spec.get("nested")
    if isinstance(nested, list):
        yield from field_lines(_fields(nested), f"{path} > ", output=output, depth=depth + 1)
    elif isinstance(nested, str):
        yield f"{path} > (fields from {nested})"
    options = spec.get("options")
    for option in _list(options.get("store") if isinstance(options, dict) else options):
        if isinstance(option, dict) and isinstance(option.get("nested"), list):
            where = f"{path}={_option_text(option)} > "
            yield from field_lines(_fields(option["nested"]), where, output=output, depth=depth + 1)


# --- the cache --------------------------------------------------------------------------------------


class ManifestCache:
    """Manifests by app and version for this process (or every instance, in Redis), fetched once each."""

    def __init__(self, state: SharedState | None = None, *, seconds: float = CACHE_SECONDS) -> None:
        self.state = state or LocalState()
        self._seconds = seconds

    async def app(
        self, port: RequestPort, app: str, version: int, *, organization: int | None = None, caller: str | None = None
    ) -> AppManifest | None:
        """The manifest, or None when Make has no such app or version (404)."""
        private_key = _key(app, version, caller or "server-credential")
        for key in (_key(app, version, None), private_key):
            cached = await self.state.get(key)
            if cached is not None:
                return parse_app(json.loads(cached), app, version)
        query = [] if organization is None else [("organizationId", str(organization))]
        try:
            body = await port.send(GET_APP, {"appName": app, "appVersion": version}, query=query)
        except MakeApiError as error:
            if error.status == 404:
                return None
            raise
        manifest = parse_app(body, app, version)
        key = _key(app, version, None) if manifest.public else private_key
        await self.state.put(key, json.dumps(body, separators=(",", ":")).encode(), self._seconds)
        return manifest


def _key(app: str, version: int, caller: str | None) -> str:
    whose = "public" if caller is None else hashlib.sha256(caller.encode()).hexdigest()[:24]
    return f"{CACHE_PREFIX}{whose}:{app}:{version}"
