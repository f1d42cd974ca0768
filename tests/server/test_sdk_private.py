"""The private parts of the MCP SDK the server relies on are still where server/protocol/sdk_private.py and
server/protocol/lazy_sdk.py expect them; a failure names what the installed SDK changed."""

from __future__ import annotations

import ast
import importlib.util
import inspect
from pathlib import Path

from mcp.server.lowlevel import Server
from mcp.server.streamable_http_manager import StreamableHTTPSessionManager

from make_mcp.server.protocol import lazy_sdk, sdk_private

ROOT = Path(__file__).resolve().parents[2]


async def test_the_session_manager_still_has_each_private_part_used_to_recreate_sessions() -> None:
    manager = StreamableHTTPSessionManager(app=Server("probe"))
    async with manager.run():
        missing = [name for name in sdk_private.MANAGER_ATTRIBUTES if not hasattr(manager, name)]
        assert missing == [], f"StreamableHTTPSessionManager no longer has {missing}: update sdk_private.py"
        assert isinstance(manager._server_instances, dict), "_server_instances is no longer a dict"  # pyright: ignore[reportPrivateUsage]
        assert isinstance(manager._session_owners, dict), "_session_owners is no longer a dict"  # pyright: ignore[reportPrivateUsage]
        assert manager._task_group is not None, "_task_group is not set while the manager runs"  # pyright: ignore[reportPrivateUsage]
        parameters = list(inspect.signature(manager._discard_session).parameters)  # pyright: ignore[reportPrivateUsage]
        assert len(parameters) == 2, f"_discard_session now takes {parameters}, not (session_id, transport)"
        assert not sdk_private.holds_session(manager, "no-such-session")


def test_the_private_stream_protocols_are_still_there() -> None:
    for name in ("ReadStream", "WriteStream"):
        assert getattr(sdk_private, name, None) is not None, f"the SDK no longer provides {name}"


def test_the_sdks_opentelemetry_middleware_is_still_where_it_is_dropped_from() -> None:
    from mcp.server._otel import OpenTelemetryMiddleware

    server = Server("probe")
    assert any(isinstance(m, OpenTelemetryMiddleware) for m in server.middleware), "Server no longer adds it"
    assert not any(isinstance(m, OpenTelemetryMiddleware) for m in sdk_private.without_otel_spans(server.middleware))


def test_every_module_lazy_sdk_names_still_exists() -> None:
    names = [*lazy_sdk.PACKAGES, lazy_sdk.SERVER_MODULE, lazy_sdk.WIRE_BASE_MODULE, *lazy_sdk.HTTP_MODULES]
    gone = [name for name in names if importlib.util.find_spec(name) is None]
    assert gone == [], f"modules lazy_sdk.py defers that the SDK no longer has: {gone}"


def test_no_other_module_touches_a_private_part_of_the_sdk() -> None:
    allowed = {ROOT / "server" / "protocol" / "sdk_private.py"}
    found = []
    for path in sorted((ROOT / "server").rglob("*.py")):
        if path in allowed or "sandbox" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            module = node.module if isinstance(node, ast.ImportFrom) else None
            names = [alias.name for alias in node.names] if isinstance(node, ast.Import) else [module or ""]
            for name in names:
                if name.split(".")[0] in ("mcp", "mcp_types") and any(part.startswith("_") for part in name.split(".")):
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno} imports {name}")
        if "reportPrivateUsage" in path.read_text(encoding="utf-8") and path.parent.name in ("protocol", "http"):
            found.append(f"{path.relative_to(ROOT)} reaches into private names")
    assert found == [], "private parts of the SDK outside sdk_private.py:\n" + "\n".join(found)


def test_the_runner_still_shapes_a_result_for_the_wire_as_sdk_private_asks_it_to() -> None:
    import mcp_types as types
    from mcp.server.runner import ServerRunner
    from mcp_types.version import LATEST_HANDSHAKE_VERSION, MODERN_PROTOCOL_VERSIONS

    assert callable(getattr(ServerRunner, "_serialize", None)), "ServerRunner._serialize is gone: update wire_result"
    listing = types.ListToolsResult(tools=[types.Tool(name="probe", input_schema={"type": "object"})])
    modern = sdk_private.wire_result(Server("probe"), "tools/list", max(MODERN_PROTOCOL_VERSIONS), listing)
    legacy = sdk_private.wire_result(Server("probe"), "tools/list", LATEST_HANDSHAKE_VERSION, listing)
    assert modern["tools"][0]["inputSchema"] == {"type": "object"} and modern["resultType"] == "complete"
    assert modern["_meta"]["io.modelcontextprotocol/serverInfo"]["name"] == "probe"
    assert legacy["tools"] == modern["tools"] and "resultType" not in legacy and "_meta" not in legacy
