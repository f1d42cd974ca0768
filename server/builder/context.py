"""What one builder call works with: the port its requests go through, the manifest cache, and whom it acts for.

Manifests and Make's blueprint schema are read through the cache, so a call (and the build it is part of) asks
Make for each app version once; a lookup that failed once in a call is not repeated in that call.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from make_mcp.server.builder.manifests import AppManifest, ManifestCache, ModuleSpec
from make_mcp.server.errors import MakeError, MakeMcpError
from make_mcp.tools.builder import BLUEPRINT_SCHEMA
from make_mcp.tools.catalogue import RequestPort

SCHEMA_KEY = "builder:blueprint-schema"
SCHEMA_SECONDS = 24 * 3600.0


class NotInCatalogue(MakeMcpError):
    """Make's catalogue has no such app, version or module; the message says where to look."""


@dataclass
class BuildContext:
    port: RequestPort
    cache: ManifestCache
    caller: str | None = None  # the caller's credential, only ever hashed (private manifests' cache key)
    organization: int | None = None
    _apps: dict[tuple[str, int], AppManifest | None] = field(default_factory=dict[tuple[str, int], AppManifest | None])

    async def app(self, app: str, version: int) -> AppManifest | None:
        key = (app, version)
        if key not in self._apps:
            self._apps[key] = await self.cache.app(
                self.port, app, version, organization=self.organization, caller=self.caller
            )
        return self._apps[key]

    async def module(self, app: str, version: int, name: str) -> ModuleSpec | None:
        manifest = await self.app(app, version)
        return None if manifest is None else manifest.modules.get(name)

    async def blueprint_schema(self) -> dict[str, Any] | None:
        """Make's blueprint JSON Schema; None when Make does not serve it (the structure rules still run)."""
        cached = await self.cache.state.get(SCHEMA_KEY)
        if cached is not None:
            return json.loads(cached)
        try:
            answer = await self.port.send(BLUEPRINT_SCHEMA)
        except MakeError:
            return None
        schema = answer.get("blueprint") if isinstance(answer, dict) else None
        if not isinstance(schema, dict):
            return None
        await self.cache.state.put(SCHEMA_KEY, json.dumps(schema).encode(), SCHEMA_SECONDS)
        return schema
