"""The event loop the server runs on: uvloop where it is installed (Linux and macOS), else asyncio's own.

uvloop (libuv underneath) spends less CPU time per call than asyncio's pure-Python loop on the work a call
does: pipe and socket reads and writes, callbacks and timers (scripts/bench_cpu.py). Every command runs on
the loop chosen here, so stdio and HTTP serving and the one-shot commands behave alike.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import anyio

T = TypeVar("T")


def loop_factory() -> Callable[[], asyncio.AbstractEventLoop] | None:
    """uvloop's loop factory when uvloop can be used here; None: asyncio's default loop."""
    if sys.platform == "win32":
        return None
    try:
        import uvloop
    except ImportError:
        return None
    return uvloop.new_event_loop


def run(main: Callable[..., Awaitable[T]], *args: Any) -> T:
    """`main(*args)` on the chosen loop, until it returns."""
    return anyio.run(main, *args, backend="asyncio", backend_options={"loop_factory": loop_factory()})
