"""Fixtures of the builder's tests: a port onto a demo sandbox through a real MakeClient, and a BuildContext."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from make_mcp.server.builder.context import BuildContext
from make_mcp.server.builder.manifests import ManifestCache
from tests.server.scenario_tools_support import SandboxPort, sandbox_port


@pytest.fixture
async def port() -> AsyncIterator[SandboxPort]:
    async with sandbox_port() as opened:
        yield opened


@pytest.fixture
def build(port: SandboxPort) -> BuildContext:
    return BuildContext(port, ManifestCache())
