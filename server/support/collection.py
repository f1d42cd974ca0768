"""How often Python's cyclic garbage collector runs in a serving process (stdio and HTTP alike).

Each request allocates thousands of short-lived objects; Python's default (a young collection every 700
allocations, a full one scanning every object, the catalogue's models included, every 100 of those) spends a
good share of the CPU per request on collecting. Once started, collections happen less often and skip what
start-up made (it is frozen first).
"""

from __future__ import annotations

import gc

GC_THRESHOLDS = (50_000, 20, 10)


def collect_less_often() -> None:
    """Collections come less often from now on."""
    gc.set_threshold(*GC_THRESHOLDS)
