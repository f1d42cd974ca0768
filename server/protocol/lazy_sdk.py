"""Importing the parts of the MCP SDK a server uses without what only other parts need.

`defer_package_inits()` defers five things; it does nothing once `mcp` is imported, so it is called first
thing, by the command line only. Two more are set up when the command line's package is imported, before anything
imports pydantic: `skip_pydantic_plugins()` and `compile_annotations_once()`.

The package `__init__`s. `import mcp.server.lowlevel` runs `mcp/__init__.py` and `mcp/server/__init__.py`
first, and those import the SDK's client, its high-level MCPServer and their dependencies: about a third of
a second the stdio server never needs. Both packages are registered without running their `__init__`; the
first time anything asks either package for a name it does not yet hold (`from mcp import Client`), the real
`__init__` runs in place, so every name is there as usual, only later.

The HTTP stack. `mcp/server/lowlevel/server.py` (the `Server` class) imports starlette, the SDK's auth routes and
middleware, its streamable HTTP transport (and through it sse_starlette, uvicorn and click) at its top, for
`Server.streamable_http_app` alone. When that module is first imported, `HTTP_MODULES` not imported yet are stood
in for while it runs: each name it takes from them is bound to a `DeferredName`. The first use of any of them
(`Server.streamable_http_app` called, or a deferred name called, read or checked against) imports the real
modules and binds the real objects in the module's namespace and in its functions' default arguments, so from
then on the module is exactly as if imported normally. Should the module's code put a deferred name anywhere else
at import (a class attribute, say), it is imported again normally.

The protocol eras. `mcp_types.methods` checks each message against the wire models of its protocol era
(`mcp_types._v2025_11_25`, `mcp_types._v2026_07_28`: some 400 pydantic models, a tenth of a second to define) and
imports both eras at its top, for its tables keyed by (method, version). While it runs, the eras are stood in
for: each name it takes from them is an `EraName` (a union of them an `EraUnion`), and each table holding one
becomes an `EraTable` (in the namespace and in its functions' defaults), which imports the era of a model when
the model is first looked up. A client speaks one era, so the other is never imported. Should an era name be left
anywhere else, the module is imported again normally. When an era is imported, its base class `WireModel` is
given `defer_build=True` as soon as it is defined, so each model builds its validator on first use (pydantic's
own mechanism), not all of them at import.

The monolith's validators. `mcp_types._types` defines the version-free models (some 190) and six adapters
over unions of them, and pydantic builds each one's validator as it is defined; a session uses a few dozen. While
it runs, pydantic's `ConfigDict` and `TypeAdapter` add `defer_build=True` to what it makes, so those too build
on first use. The module's names and pydantic's are the real ones again afterwards.

Pydantic's plugin discovery. The first time pydantic builds a validator it reads the entry points of every
installed distribution, looking for plugins (some 25 ms); make-mcp uses none, so `PYDANTIC_DISABLE_PLUGINS`
defaults to `__all__` (`skip_pydantic_plugins()`, before the command line's own settings model is built, the
first validator of a start-up). A value the user set is kept (an empty one lets plugins load).

Annotations compiled once (`compile_annotations_once()`, called when the command line's package is imported,
before anything imports pydantic). Each field of a model whose module postpones its annotations (the SDK's,
ours, pydantic's own typed dicts) is a string that becomes a `typing.ForwardRef`, which compiles it: some
1,800 at start-up, some 500 distinct ("str", "bool", "str | None"...). `typing`'s `compile` becomes a cached
one, so each distinct string is compiled once (some 3% of the start-up's instructions); a code object never
changes, so sharing one changes nothing else.
"""

from __future__ import annotations

import functools
import importlib
import importlib.machinery
import importlib.util
import operator
import os
import sys
import threading
import types
import typing
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

PACKAGES = ("mcp", "mcp.server")
ANNOTATIONS_CACHED = 4096  # distinct annotation strings whose code is kept (some 500 at start-up)
SERVER_MODULE = "mcp.server.lowlevel.server"
WIRE_BASE_MODULE = "mcp_types._wire_base"
MONOLITH_MODULE = "mcp_types._types"
MONOLITH_IMPORTS = ("mcp_types.jsonrpc",)  # what MONOLITH_MODULE imports of its own package
METHODS_MODULE = "mcp_types.methods"
ERA_MODULES = ("mcp_types._v2025_11_25", "mcp_types._v2026_07_28")
# What SERVER_MODULE (mcp 2.3.0) imports from the HTTP stack; stdio serving needs none of it.
HTTP_MODULES = (
    "starlette.applications",
    "starlette.middleware",
    "starlette.middleware.authentication",
    "starlette.routing",
    "mcp.server.auth.middleware.auth_context",
    "mcp.server.auth.middleware.bearer_auth",
    "mcp.server.auth.provider",
    "mcp.server.auth.routes",
    "mcp.server.auth.settings",
    "mcp.server.streamable_http",
    "mcp.server.streamable_http_manager",
    "mcp.server.transport_security",
)


def defer_package_inits() -> None:
    if any(name in sys.modules for name in (*PACKAGES, SERVER_MODULE)):
        return
    for name in PACKAGES:
        spec = importlib.util.find_spec(name)
        if spec is None or spec.loader is None or spec.submodule_search_locations is None:
            return
        module = importlib.util.module_from_spec(spec)
        setattr(module, "__getattr__", _complete(module))  # noqa: B010
        sys.modules[name] = module
        if "." in name:
            parent, _, child = name.rpartition(".")
            setattr(sys.modules[parent], child, module)
    loaders: dict[str, type[importlib.machinery.SourceFileLoader]] = {SERVER_MODULE: _DeferringLoader}
    if WIRE_BASE_MODULE not in sys.modules:
        loaders[WIRE_BASE_MODULE] = _DeferBuildLoader
    if MONOLITH_MODULE not in sys.modules:
        loaders[MONOLITH_MODULE] = _DeferMonolithLoader
    if not any(name in sys.modules for name in (METHODS_MODULE, *ERA_MODULES)):
        loaders[METHODS_MODULE] = _EraDeferringLoader
    sys.meta_path.insert(0, _Finder(loaders))


def skip_pydantic_plugins() -> None:
    """Pydantic looks for no plugins unless the user's PYDANTIC_DISABLE_PLUGINS says otherwise."""
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")


def compile_annotations_once() -> None:
    """`typing.ForwardRef` compiles each annotation string with this cached `compile` (typing calls it nowhere else)."""
    if "compile" not in vars(typing):
        typing.compile = functools.lru_cache(maxsize=ANNOTATIONS_CACHED)(compile)  # pyright: ignore[reportAttributeAccessIssue]


def _complete(module: types.ModuleType) -> Any:
    """The module's `__getattr__`: runs the package's real `__init__` once, then answers from it."""

    def __getattr__(name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        namespace = vars(module)
        if namespace.pop("__getattr__", None) is None:  # already run: the name does not exist
            raise AttributeError(f"module {module.__name__!r} has no attribute {name!r}")
        spec = module.__spec__
        assert spec is not None and spec.loader is not None
        spec.loader.exec_module(module)
        return getattr(module, name)

    return __getattr__


# --- The HTTP stack ---------------------------------------------------------------------------------------


class DeferredName:
    """Stands for `name` of `module` in SERVER_MODULE until the HTTP stack is imported; any use imports it."""

    def __init__(self, module: str, name: str, completion: _Completion) -> None:
        self.module = module
        self.name = name
        self.completion = completion

    def __repr__(self) -> str:
        return f"<deferred {self.module}.{self.name}>"

    def real(self) -> Any:
        self.completion.run()
        return _real(self)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.real()(*args, **kwargs)

    def __getattr__(self, attribute: str) -> Any:
        if attribute.startswith("__"):
            raise AttributeError(attribute)
        return getattr(self.real(), attribute)

    def __getitem__(self, item: Any) -> Any:
        return self.real()[item]

    def __instancecheck__(self, instance: Any) -> bool:
        return isinstance(instance, self.real())

    def __subclasscheck__(self, subclass: type) -> bool:
        return issubclass(subclass, self.real())


class _StandIn(types.ModuleType):
    """An HTTP module while SERVER_MODULE runs: every name taken from it is a DeferredName."""

    def __init__(self, name: str, completion: _Completion) -> None:
        super().__init__(name)
        self._completion = completion

    def __getattr__(self, name: str) -> DeferredName:
        if name.startswith("__"):
            raise AttributeError(name)
        return DeferredName(self.__name__, name, self._completion)


class _Finder:
    """Finds each module of `loaders` the usual way, once, and runs it through the loader of ours given for it."""

    def __init__(self, loaders: dict[str, type[importlib.machinery.SourceFileLoader]]) -> None:
        self.loaders = loaders

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: types.ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        loader = self.loaders.pop(fullname, None)
        if loader is None:
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is None or not isinstance(spec.loader, importlib.machinery.SourceFileLoader):
            return spec
        spec.loader = loader(spec.loader.name, spec.loader.path)
        return spec


class _DeferBuildLoader(importlib.machinery.SourceFileLoader):
    def exec_module(self, module: types.ModuleType) -> None:
        super().exec_module(module)
        config = getattr(getattr(module, "WireModel", None), "model_config", None)
        if isinstance(config, dict):
            config["defer_build"] = True


class _DeferMonolithLoader(importlib.machinery.SourceFileLoader):
    """Runs the monolith with pydantic's `ConfigDict` and `TypeAdapter` giving `defer_build=True`, and its own
    `Model.model_rebuild()` calls (forward references resolved at import) left to the first use too; its own
    names and pydantic's are the real ones again afterwards. What it imports of its own package comes first,
    plainly."""

    def exec_module(self, module: types.ModuleType) -> None:
        import pydantic

        for name in MONOLITH_IMPORTS:
            importlib.import_module(name)
        real = {"ConfigDict": pydantic.ConfigDict, "TypeAdapter": pydantic.TypeAdapter}
        deferring = _deferring(**real)
        for name, value in deferring.items():
            setattr(pydantic, name, value)
        rebuild = vars(pydantic.BaseModel)["model_rebuild"]
        pydantic.BaseModel.model_rebuild = classmethod(_rebuilding_later(rebuild.__func__))  # pyright: ignore[reportAttributeAccessIssue]
        try:
            super().exec_module(module)
        finally:
            pydantic.BaseModel.model_rebuild = rebuild
            for name, value in real.items():
                setattr(pydantic, name, value)
                if vars(module).get(name) is deferring[name]:
                    setattr(module, name, value)


def _rebuilding_later(rebuild: Callable[..., Any]) -> Callable[..., Any]:
    """`BaseModel.model_rebuild` as the monolith calls it: called bare (the module's own calls), nothing, so the
    model builds on first use, as every other model of the module; called by pydantic with arguments, the real
    one (one frame further from the caller whose namespace it reads)."""

    def model_rebuild(cls: type, **given: Any) -> Any:
        if not given:
            return None
        depth = given.get("_parent_namespace_depth", 2)
        return rebuild(cls, **{**given, "_parent_namespace_depth": depth + 1 if depth > 0 else depth})

    return model_rebuild


def _deferring(ConfigDict: Any, TypeAdapter: Any) -> dict[str, Any]:
    """`ConfigDict` and `TypeAdapter` as the monolith calls them, each with `defer_build=True` added."""

    def config(**settings: Any) -> Any:
        return ConfigDict(**settings, defer_build=True)

    class DeferringAdapter(TypeAdapter):
        def __class_getitem__(cls, item: Any) -> Any:  # `TypeAdapter[T](...)`: subscripted, then called
            return cls

        def __init__(self, target: Any, *, config: Any = None, _parent_depth: int = 2, module: str | None = None):
            if config is None and not isinstance(target, type):  # a class may have a config of its own
                config = ConfigDict(defer_build=True)
            super().__init__(target, config=config, _parent_depth=_parent_depth + 1, module=module)

    return {"ConfigDict": config, "TypeAdapter": DeferringAdapter}


class _DeferringLoader(importlib.machinery.SourceFileLoader):
    def exec_module(self, module: types.ModuleType) -> None:
        # Those imported already (the built-in sandbox serves through starlette) give their real names.
        deferred = [name for name in HTTP_MODULES if name not in sys.modules]
        if not deferred:  # nothing to save
            super().exec_module(module)
            return
        completion = _Completion()
        stand_ins = {name: _StandIn(name, completion) for name in deferred}
        before = set(sys.modules)
        ran = _run_standing_in(self, module, stand_ins)
        # The module, and any module it imported first that took a name from a stand-in too.
        others = set(sys.modules) - before - set(stand_ins) - {module.__name__}
        loaded = [sys.modules[name] for name in others]
        if completion.prepare([module, *loaded]) or not ran:
            completion.run()  # the real names wherever a DeferredName went; then the module once more, plainly
            _run_again_plainly(self, module)


def _run_standing_in(
    loader: importlib.machinery.SourceFileLoader, module: types.ModuleType, stand_ins: Mapping[str, types.ModuleType]
) -> bool:
    """Runs the module with `stand_ins` in sys.modules in place of the real modules; False when it raised."""
    sys.modules.update(stand_ins)
    try:
        importlib.machinery.SourceFileLoader.exec_module(loader, module)
        return True
    except Exception:
        return False
    finally:
        for name, stand_in in stand_ins.items():
            if sys.modules.get(name) is stand_in:
                del sys.modules[name]


def _run_again_plainly(loader: importlib.machinery.SourceFileLoader, module: types.ModuleType) -> None:
    for name in set(vars(module)) - _MODULE_DUNDERS:
        delattr(module, name)
    importlib.machinery.SourceFileLoader.exec_module(loader, module)


Owner = type | types.ModuleType


class _Completion:
    """Binds the real HTTP names where DeferredNames stand for them: once, on the first use of any of them."""

    def __init__(self) -> None:
        self.modules: list[types.ModuleType] = []
        self.wrapped: list[tuple[Owner, str, types.FunctionType]] = []
        self.lock = threading.RLock()
        self.done = False

    def prepare(self, modules: list[types.ModuleType]) -> bool:
        """Notes the modules holding DeferredNames and wraps the functions whose defaults are DeferredNames (the
        first call completes); True when a DeferredName is somewhere this cannot reach (a class attribute)."""
        self.modules = [module for module in modules if any(map(_is_deferred, vars(module).values()))]
        for owner, name, function in self.functions():
            if any(map(_is_deferred, _defaults(function))):
                setattr(owner, name, self.completing(function))
                self.wrapped.append((owner, name, function))
        classes = [owner for owner, _ in self.owners() if isinstance(owner, type)]
        return any(_is_deferred(value) for cls in classes for value in vars(cls).values())

    def owners(self) -> Iterator[tuple[Owner, str]]:
        """Each module and each class it defines, with the module's name."""
        for module in self.modules:
            yield module, module.__name__
            for value in list(vars(module).values()):
                if isinstance(value, type) and value.__module__ == module.__name__:
                    yield value, module.__name__

    def functions(self) -> Iterator[tuple[Owner, str, types.FunctionType]]:
        for owner, module_name in self.owners():
            for name, value in list(vars(owner).items()):
                if isinstance(value, types.FunctionType) and value.__module__ == module_name:
                    yield owner, name, value

    def completing(self, function: types.FunctionType) -> Callable[..., Any]:
        @functools.wraps(function)
        def first_call(*args: Any, **kwargs: Any) -> Any:
            self.run()
            return function(*args, **kwargs)

        return first_call

    def run(self) -> None:
        with self.lock:
            if self.done:
                return
            for owner, name, function in self.wrapped:
                setattr(owner, name, function)
            for module in self.modules:
                namespace = vars(module)
                namespace.update({name: _real(value) for name, value in namespace.items() if _is_deferred(value)})
            for _, _, function in self.functions():
                if function.__defaults__:
                    function.__defaults__ = tuple(map(_real, function.__defaults__))
                if function.__kwdefaults__:
                    function.__kwdefaults__ = {key: _real(value) for key, value in function.__kwdefaults__.items()}
            self.done = True


def _is_deferred(value: object) -> bool:
    return type(value) is DeferredName


def _defaults(function: types.FunctionType) -> list[Any]:
    return [*(function.__defaults__ or ()), *(function.__kwdefaults__ or {}).values()]


def _real(value: Any) -> Any:
    """The object a DeferredName stands for (importing its module); any other value as it is."""
    if _is_deferred(value):
        return getattr(importlib.import_module(value.module), value.name)
    return value


# --- The protocol eras ------------------------------------------------------------------------------------


class EraName:
    """Stands for `name` of a protocol era's module in METHODS_MODULE's tables; `real()` imports the module."""

    def __init__(self, module: str, name: str) -> None:
        self.module = module
        self.name = name

    def __repr__(self) -> str:
        return f"<deferred {self.module}.{self.name}>"

    def real(self) -> Any:
        return getattr(importlib.import_module(self.module), self.name)

    def __or__(self, other: Any) -> EraUnion:
        return EraUnion((self, other))

    def __ror__(self, other: Any) -> EraUnion:
        return EraUnion((other, self))


class EraUnion:
    """`A | B | ...` of the tables where any member is an EraName; `real()` is the union of the real members."""

    def __init__(self, members: tuple[Any, ...]) -> None:
        self.members = members

    def __repr__(self) -> str:
        return " | ".join(map(repr, self.members))

    def real(self) -> Any:
        return functools.reduce(operator.or_, map(_real_era, self.members))

    def __or__(self, other: Any) -> EraUnion:
        return EraUnion((*self.members, other))

    def __ror__(self, other: Any) -> EraUnion:
        return EraUnion((other, *self.members))


class _EraStandIn(types.ModuleType):
    """An era's module while METHODS_MODULE runs (every name an EraName); afterwards the real module's names."""

    sealed = False

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        if self.sealed:
            return getattr(importlib.import_module(self.__name__), name)
        return EraName(self.__name__, name)


class EraTable(Mapping[Any, Any]):
    """One of METHODS_MODULE's read-only tables whose values are era models: a value is made real (its era's
    module imported) when it is first looked up, so only the eras of the messages seen are ever imported."""

    def __init__(self, table: Mapping[Any, Any]) -> None:
        self._values = dict(table)

    def __getitem__(self, key: Any) -> Any:
        value = self._values[key]
        if _is_era(value):
            value = self._values[key] = value.real()
        return value

    def __contains__(self, key: object) -> bool:
        return key in self._values

    def __iter__(self) -> Iterator[Any]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __repr__(self) -> str:
        return f"EraTable({self._values!r})"


class _EraDeferringLoader(importlib.machinery.SourceFileLoader):
    def exec_module(self, module: types.ModuleType) -> None:
        stand_ins = {name: _EraStandIn(name) for name in ERA_MODULES}
        ran = _run_standing_in(self, module, stand_ins)
        for stand_in in stand_ins.values():
            stand_in.sealed = True
        if not ran or not _tables_made_lazy(module):
            _run_again_plainly(self, module)  # importing both eras


def _tables_made_lazy(module: types.ModuleType) -> bool:
    """Puts an EraTable in place of each table holding EraNames, in the namespace and in function defaults;
    False when an EraName is anywhere else (such a module is imported again, plainly)."""
    namespace = vars(module)
    tables = {
        id(value): EraTable(value)
        for value in namespace.values()
        if isinstance(value, Mapping) and any(map(_is_era, value.values()))  # pyright: ignore[reportUnknownArgumentType]
    }
    swap: Callable[[Any], Any] = lambda value: tables.get(id(value), value)  # noqa: E731
    for name, value in list(namespace.items()):
        namespace[name] = swap(value)
        if isinstance(value, types.FunctionType) and value.__module__ == module.__name__:
            value.__defaults__ = value.__defaults__ and tuple(map(swap, value.__defaults__))
            value.__kwdefaults__ = value.__kwdefaults__ and {k: swap(v) for k, v in value.__kwdefaults__.items()}
    return not any(_holds_era(value) for value in namespace.values())


def _holds_era(value: Any) -> bool:
    if _is_era(value):
        return True
    if isinstance(value, (tuple, list, set, frozenset)):
        return any(map(_is_era, value))  # pyright: ignore[reportUnknownArgumentType]
    if isinstance(value, Mapping) and not isinstance(value, EraTable):
        return any(map(_is_era, value.values()))  # pyright: ignore[reportUnknownArgumentType]
    return False


def _is_era(value: object) -> bool:
    return type(value) is EraName or type(value) is EraUnion


def _real_era(value: Any) -> Any:
    return value.real() if _is_era(value) else value


_MODULE_DUNDERS = {"__name__", "__spec__", "__loader__", "__file__", "__cached__", "__package__", "__builtins__"}
