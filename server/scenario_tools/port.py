"""The request port of scenario tool discovery, outside any tool call: its requests go out with one caller's
credential through the process's client."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import anyio

from make_mcp.server.engine.operations import step_request
from make_mcp.server.make_api.client import MakeClient
from make_mcp.tools.catalogue import Step


class DiscoveryPort:
    """make_mcp.tools.catalogue.RequestPort outside any call: discovery's requests, sent with one caller's credential."""

    def __init__(self, client: MakeClient, authorization: str | None) -> None:
        self._client = client
        self._authorization = authorization

    async def send(
        self,
        step: Step,
        path_params: Mapping[str, Any] | None = None,
        *,
        query: Sequence[tuple[str, str]] = (),
        body: Any = None,
        failure: str | None = None,  # unused: discovery words its own failures (no tool result to say it in)
        content: bytes | None = None,
        content_type: str | None = None,
    ) -> Any:
        request = step_request(
            "scenario tool discovery",
            step,
            path_params,
            query=query,
            body=body,
            content=content,
            content_type=content_type,
        )
        return await self._client.send(request, authorization=self._authorization)

    async def progress(self, message: str) -> None:
        return None

    async def sleep(self, seconds: float) -> None:
        await anyio.sleep(seconds)

    def time_left(self) -> float | None:
        return None
