"""App manifests read defensively, rendered compactly for a model, and cached per app and version: in this
process, or in a real Redis shared by instances; a custom app's manifest only for the caller who read it."""

from __future__ import annotations

import json

from make_mcp.server.builder.manifests import ManifestCache, compact_module, parse_app
from make_mcp.server.support.state import RedisState
from tests.server.scenario_tools_support import SandboxPort, sandbox_port
from tests.server.test_state import redis_url

__all__ = ["redis_url"]  # the real redis-server fixture


def test_a_manifest_with_malformed_parts_keeps_what_it_can_read() -> None:
    body = {
        "app": {
            "name": "x",
            "version": 2,
            "actions": [{"name": "ok", "type": "action"}, "junk", {"label": "nameless"}],
            "searches": "not a list",
            "triggers": [{"name": "t", "type": "instant_trigger", "scope": ["a", 3]}],
        }
    }
    manifest = parse_app(body, "x", 2)
    assert list(manifest.modules) == ["t", "ok"]
    assert manifest.modules["t"].kind == "instant trigger" and manifest.modules["t"].listener
    assert manifest.modules["t"].scopes == ("a",)
    assert parse_app("nonsense", "y", 1).modules == {}


async def test_the_compact_rendering_gives_fields_options_rpcs_nested_fields_and_outputs(port: SandboxPort) -> None:
    manifest = await ManifestCache().app(port, "google-sheets", 2)
    assert manifest is not None
    rendered = compact_module(manifest.modules["addRow"])
    assert rendered["module"] == "google-sheets:addRow" and rendered["kind"] == "action"
    assert rendered["connection"]["types"] == ["google"]
    assert "__IMTCONN__: account:google, required - Connection" in rendered["parameters"]
    assert any(
        line.startswith("sheetId: select, required, options rpc://google-sheets@2/") for line in rendered["mapper"]
    )
    assert any(line.startswith("mode=select (Search by path) > from: select") for line in rendered["mapper"])
    assert any(line.startswith("updates.spreadsheetId: text") for line in rendered["output"])
    assert rendered["rpcs"] and all(rpc.startswith("rpc://google-sheets@2/") for rpc in rendered["rpcs"])
    assert len(json.dumps(rendered)) < len(json.dumps(manifest.modules["addRow"].raw))


async def test_an_unknown_app_or_version_is_none_and_a_known_one_is_fetched_once(port: SandboxPort) -> None:
    cache = ManifestCache()
    assert await cache.app(port, "nosuchapp", 1) is None
    assert await cache.app(port, "slack", 99) is None
    for _ in range(3):
        assert await cache.app(port, "slack", 4) is not None
    assert port.sent.count(("GET", "/imt/apps/slack/4")) == 1


async def test_instances_sharing_redis_fetch_each_manifest_once_and_private_apps_stay_with_their_caller(
    redis_url: str,
) -> None:
    first, second = RedisState(redis_url), RedisState(redis_url)
    try:
        await first.delete("builder:manifest:public:slack:4")
        async with sandbox_port() as port_a, sandbox_port() as port_b:
            assert await ManifestCache(first).app(port_a, "slack", 4) is not None
            assert await ManifestCache(second).app(port_b, "slack", 4) is not None  # another instance
        assert port_a.sent == [("GET", "/imt/apps/slack/4")] and port_b.sent == []

        private = {"app": {"name": "mine", "version": 1, "public": False, "actions": [{"name": "go"}]}}
        cache_a, cache_b = ManifestCache(first), ManifestCache(second)
        await _put_answer(cache_a, private, caller="alice")
        assert await cache_a.app(_Refusing(), "mine", 1, caller="alice") is not None
        assert await cache_b.app(_Missing(), "mine", 1, caller="bob") is None  # bob asks Make, which has none for him
    finally:
        await first.aclose()
        await second.aclose()


async def _put_answer(cache: ManifestCache, body: dict[str, object], *, caller: str) -> None:
    """The manifest as Make answers it to `caller`, read once through the cache."""

    class Answering(_Refusing):
        async def send(self, *args: object, **kwargs: object) -> object:
            return body

    assert await cache.app(Answering(), "mine", 1, caller=caller) is not None


class _Refusing:
    """A port that must not be used: the cache answers."""

    async def send(self, *args: object, **kwargs: object) -> object:
        raise AssertionError("asked Make again")


class _Missing:
    async def send(self, *args: object, **kwargs: object) -> object:
        from make_mcp.server.errors import MakeApiError

        raise MakeApiError("test", 404, "SC404", "App not found")
