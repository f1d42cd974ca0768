"""The MCP SDK's package `__init__`s run late, on first need, and then give every name they always gave."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import mcp
import mcp.server

from server.lazy_sdk import defer_package_inits


def run_fresh(code: str) -> dict[str, object]:
    """Runs `code` in a new interpreter (this one has imported the SDK already); returns what it printed."""
    completed = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, timeout=120, check=True
    )
    return json.loads(completed.stdout)


def test_the_server_modules_import_without_the_sdk_client_or_its_high_level_server() -> None:
    seen = run_fresh(
        """
        import json, sys
        from server.lazy_sdk import defer_package_inits
        defer_package_inits()
        import server.app, server.runtime
        print(json.dumps({
            "client": sorted(name for name in sys.modules if name.startswith("mcp.client")),
            "mcpserver": sorted(name for name in sys.modules if name.startswith("mcp.server.mcpserver")),
        }))
        """
    )
    assert seen == {"client": [], "mcpserver": []}


def test_names_of_the_sdk_packages_are_all_there_once_asked_for() -> None:
    seen = run_fresh(
        """
        import json
        from server.lazy_sdk import defer_package_inits
        defer_package_inits()
        import mcp.server.lowlevel
        from mcp import Client, stdio_client
        from mcp.server import MCPServer, Server
        import mcp, mcp.server, mcp.client.client
        print(json.dumps({
            "mcp": sorted(name for name in mcp.__all__ if not hasattr(mcp, name)),
            "mcp.server": sorted(name for name in mcp.server.__all__ if not hasattr(mcp.server, name)),
            "same Client": Client is mcp.client.client.Client,
            "same Server": Server is mcp.server.lowlevel.Server,
            "types": mcp.types.__name__,
        }))
        """
    )
    assert seen == {"mcp": [], "mcp.server": [], "same Client": True, "same Server": True, "types": "mcp.types"}


def test_a_name_the_sdk_does_not_have_is_still_an_attribute_error() -> None:
    seen = run_fresh(
        """
        import json
        from server.lazy_sdk import defer_package_inits
        defer_package_inits()
        import mcp
        errors = []
        for _ in range(2):
            try:
                mcp.no_such_name
            except AttributeError as error:
                errors.append(str(error))
        print(json.dumps({"errors": errors, "initialized": hasattr(mcp, "Client")}))
        """
    )
    assert seen == {
        "errors": ["module 'mcp' has no attribute 'no_such_name'"] * 2,
        "initialized": True,
    }


def test_once_the_sdk_is_imported_deferring_changes_nothing() -> None:
    before = (sys.modules["mcp"], sys.modules["mcp.server"])
    defer_package_inits()
    assert (sys.modules["mcp"], sys.modules["mcp.server"]) == before
    assert mcp.server.Server is not None
