"""The operations Make's SDK calls that the reference does not document, as the sandbox routes them.

They come from tools/spec/official-undocumented-openapi.json (written by scripts/official_mapping.py from the
official tool set's recorded requests) and are served beside the documented ones.
"""

from __future__ import annotations

import functools
import json

from server.sandbox.spec import SPEC_PATH, SpecIndex, SpecOperation

UNDOCUMENTED_SPEC_PATH = SPEC_PATH.with_name("official-undocumented-openapi.json")


@functools.cache
def undocumented_operations() -> tuple[SpecOperation, ...]:
    with UNDOCUMENTED_SPEC_PATH.open(encoding="utf-8") as handle:
        return SpecIndex.from_document(json.load(handle)).operations
