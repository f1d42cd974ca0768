"""Importing the parts of the MCP SDK a server uses without first running its package `__init__`s.

`import mcp.server.lowlevel` runs `mcp/__init__.py` and `mcp/server/__init__.py` first, and those import
the SDK's client, its high-level MCPServer and their dependencies: about a third of a second the stdio
server never needs. `defer_package_inits()` registers both packages without running their `__init__`;
the first time anything asks either package for a name it does not yet hold (`from mcp import Client`),
the real `__init__` runs in place, so every name is there as usual, only later.

It does nothing once `mcp` is imported, so it is called first thing, by the command line only.
"""

from __future__ import annotations

import importlib.util
import sys
import types
from typing import Any

PACKAGES = ("mcp", "mcp.server")


def defer_package_inits() -> None:
    if any(name in sys.modules for name in PACKAGES):
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
