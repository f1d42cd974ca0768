"""What make_mcp.server.protocol.lazy_sdk defers happens late, on first need, and then gives every name it always gave: the MCP
SDK's package `__init__`s, the HTTP stack of its low-level server, and the protocol eras' validators."""

from __future__ import annotations

import importlib.machinery
import importlib.util
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import mcp
import mcp.server
import pytest

from make_mcp.server.protocol import lazy_sdk
from make_mcp.server.protocol.lazy_sdk import defer_package_inits


def run_fresh(code: str, env: dict[str, str] | None = None) -> Any:
    """Runs `code` in a new interpreter (this one has imported the SDK already); returns what it printed."""
    completed = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, timeout=120, check=True, env=env
    )
    return json.loads(completed.stdout)


def test_the_server_modules_import_without_the_sdk_client_or_its_high_level_server() -> None:
    seen = run_fresh(
        """
        import json, sys
        from make_mcp.server.protocol.lazy_sdk import defer_package_inits
        defer_package_inits()
        import make_mcp.server.protocol.app
        import make_mcp.server.runtime
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
        from make_mcp.server.protocol.lazy_sdk import defer_package_inits
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
        from make_mcp.server.protocol.lazy_sdk import defer_package_inits
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


HTTP_STACK = ("starlette", "uvicorn", "sse_starlette", "click", "mcp.server.auth", "mcp.server.streamable_http")


def test_the_low_level_server_imports_without_the_http_stack() -> None:
    seen = run_fresh(
        f"""
        import json, sys
        from make_mcp.server.protocol.lazy_sdk import defer_package_inits
        defer_package_inits()
        from mcp.server.lowlevel.server import Server
        Server("probe")
        print(json.dumps(sorted(name for name in sys.modules if name.startswith({HTTP_STACK!r}))))
        """
    )
    assert seen == []


def test_the_first_streamable_http_app_binds_the_real_names_and_defaults_of_the_low_level_server() -> None:
    seen = run_fresh(
        """
        import inspect, json
        from make_mcp.server.protocol.lazy_sdk import DeferredName, defer_package_inits
        defer_package_inits()
        import mcp.server.lowlevel.server as lowlevel
        deferred_before = sorted(k for k, v in vars(lowlevel).items() if isinstance(v, DeferredName))
        server = lowlevel.Server("probe")
        app = server.streamable_http_app()
        import starlette.applications, mcp.server.streamable_http_manager as manager
        import mcp.server.transport_security as security
        defaults = lowlevel.Server.streamable_http_app.__kwdefaults__
        print(json.dumps({
            "deferred before": len(deferred_before),
            "deferred after": sorted(k for k, v in vars(lowlevel).items() if isinstance(v, DeferredName)),
            "app": type(app).__name__,
            "same Starlette": lowlevel.Starlette is starlette.applications.Starlette,
            "defaults": [
                defaults["max_sessions"] == manager.DEFAULT_MAX_SESSIONS,
                defaults["session_idle_timeout"] == manager.DEFAULT_SESSION_IDLE_TIMEOUT,
                defaults["max_request_body_size"] == security.DEFAULT_MAX_REQUEST_BODY_SIZE,
            ],
            "session manager": type(server.session_manager).__name__,
            "unwrapped": not hasattr(lowlevel.Server.streamable_http_app, "__wrapped__"),
        }))
        """
    )
    assert seen == {
        "deferred before": 21,
        "deferred after": [],
        "app": "Starlette",
        "same Starlette": True,
        "defaults": [True, True, True],
        "session manager": "StreamableHTTPSessionManager",
        "unwrapped": True,
    }


def test_a_deferred_name_used_directly_imports_the_http_stack_and_acts_as_the_real_object() -> None:
    seen = run_fresh(
        """
        import json
        from make_mcp.server.protocol.lazy_sdk import defer_package_inits
        defer_package_inits()
        import mcp.server.lowlevel.server as lowlevel
        deferred = lowlevel.TransportSecuritySettings
        settings = deferred(enable_dns_rebinding_protection=False)
        from mcp.server.transport_security import TransportSecuritySettings
        print(json.dumps({
            "instance": isinstance(settings, deferred) and type(settings) is TransportSecuritySettings,
            "bound": lowlevel.TransportSecuritySettings is TransportSecuritySettings,
            "field": "allowed_hosts" in deferred.model_fields,
        }))
        """
    )
    assert seen == {"instance": True, "bound": True, "field": True}


def test_once_the_http_stack_is_imported_the_low_level_server_holds_the_real_names() -> None:
    seen = run_fresh(
        """
        import json
        from make_mcp.server.protocol.lazy_sdk import defer_package_inits
        defer_package_inits()
        import starlette.applications, mcp.server.streamable_http_manager, mcp.server.transport_security
        import mcp.server.auth.routes, mcp.server.auth.middleware.auth_context
        import starlette.middleware.authentication, starlette.routing
        import mcp.server.lowlevel.server as lowlevel
        print(json.dumps({"same": lowlevel.Starlette is starlette.applications.Starlette}))
        """
    )
    assert seen == {"same": True}


def test_a_module_that_keeps_a_deferred_name_where_it_cannot_be_replaced_is_imported_plainly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_probes(
        tmp_path,
        monkeypatch,
        probe_http="class App:\n    pass\n\nLIMIT = 5\n",
        probe_server="from probe_http import LIMIT, App\n\n\n"
        "class Server:\n    kind = App\n\n    def limit(self, limit=LIMIT):\n        return limit\n",
    )
    monkeypatch.setattr(lazy_sdk, "HTTP_MODULES", ("probe_http",))
    module = load_with_deferral("probe_server", tmp_path / "probe_server.py", monkeypatch)

    import probe_http  # type: ignore[import-not-found]  # pyright: ignore[reportMissingImports]

    assert module.Server.kind is probe_http.App
    assert module.Server().limit() == 5


def test_a_function_whose_default_is_a_deferred_name_gets_the_real_value_on_its_first_call(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_probes(
        tmp_path,
        monkeypatch,
        probe_http2="LIMIT = 5\n\n\ndef app(limit):\n    return ('app', limit)\n",
        probe_server2="from probe_http2 import LIMIT, app\n\n\n"
        "class Server:\n    def limit(self, *, limit=LIMIT):\n        return app(limit)\n",
    )
    monkeypatch.setattr(lazy_sdk, "HTTP_MODULES", ("probe_http2",))
    module = load_with_deferral("probe_server2", tmp_path / "probe_server2.py", monkeypatch)

    assert "probe_http2" not in sys.modules
    assert isinstance(module.LIMIT, lazy_sdk.DeferredName)
    assert module.Server().limit() == ("app", 5)
    assert module.LIMIT == 5 and "probe_http2" in sys.modules


def write_probes(folder: Path, mp: pytest.MonkeyPatch, **sources: str) -> None:
    """Writes each source as <name>.py in `folder`, importable from there."""
    for name, source in sources.items():
        (folder / f"{name}.py").write_text(source, encoding="utf-8")
    mp.syspath_prepend(str(folder))


def load_with_deferral(name: str, path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    for http_module in lazy_sdk.HTTP_MODULES:
        monkeypatch.delitem(sys.modules, http_module, raising=False)
    return load_with(lazy_sdk._DeferringLoader, name, path.parent, monkeypatch)  # pyright: ignore[reportPrivateUsage]


def load_with(
    loader: type[importlib.machinery.SourceFileLoader], name: str, folder: Path, mp: pytest.MonkeyPatch
) -> Any:
    """The module `name` of `folder`, run through `loader` (one of lazy_sdk's)."""
    path = folder / f"{name}.py"
    spec = importlib.util.spec_from_file_location(name, path, loader=loader(name, str(path)))
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    mp.setitem(sys.modules, name, module)
    spec.loader.exec_module(module)
    return module


def test_the_protocol_eras_wire_models_build_their_validators_on_first_use() -> None:
    seen = run_fresh(
        """
        import json
        from make_mcp.server.protocol.lazy_sdk import defer_package_inits
        defer_package_inits()
        import mcp.server.lowlevel
        import mcp_types._v2025_11_25 as era
        built_before = era.ListToolsRequest.__pydantic_complete__
        request = era.ListToolsRequest.model_validate({"jsonrpc": "2.0", "id": 1, "method": "tools/list"})
        print(json.dumps({
            "deferred": era.WireModel.model_config.get("defer_build"),
            "built before": built_before,
            "built after": era.ListToolsRequest.__pydantic_complete__,
            "method": request.method,
        }))
        """
    )
    assert seen == {"deferred": True, "built before": False, "built after": True, "method": "tools/list"}


@pytest.mark.parametrize(("given", "kept"), [(None, "__all__"), ("", ""), ("logfire", "logfire")])
def test_pydantic_plugins_are_not_looked_for_unless_the_user_says_otherwise(given: str | None, kept: str) -> None:
    env = {key: value for key, value in os.environ.items() if key != "PYDANTIC_DISABLE_PLUGINS"}
    if given is not None:
        env["PYDANTIC_DISABLE_PLUGINS"] = given
    seen = run_fresh(
        """
        import json, os
        from make_mcp.server.protocol.lazy_sdk import skip_pydantic_plugins
        skip_pydantic_plugins()
        print(json.dumps(os.environ.get("PYDANTIC_DISABLE_PLUGINS")))
        """,
        env,
    )
    assert seen == kept


@pytest.mark.parametrize(("given", "looked_for"), [(None, False), ("", True)])
def test_the_command_line_looks_for_no_pydantic_plugin_from_its_first_model_on_unless_the_user_says_otherwise(
    given: str | None, looked_for: bool
) -> None:
    env = {key: value for key, value in os.environ.items() if key != "PYDANTIC_DISABLE_PLUGINS"}
    if given is not None:
        env["PYDANTIC_DISABLE_PLUGINS"] = given
    seen = run_fresh(
        """
        import importlib.metadata, json
        groups = []
        entry_points = importlib.metadata.entry_points
        def recording(**selection):
            groups.append(selection.get("group"))
            return entry_points(**selection)
        importlib.metadata.entry_points = recording  # what pydantic's plugin loader takes at its import
        from make_mcp.server.cli.main import load_settings
        load_settings({})
        print(json.dumps("pydantic" in groups))
        """,
        env,
    )
    assert seen is looked_for


def test_with_starlette_imported_first_the_rest_of_the_http_stack_is_still_deferred() -> None:
    seen = run_fresh(
        f"""
        import json, sys
        from make_mcp.server.protocol.lazy_sdk import defer_package_inits
        defer_package_inits()
        import starlette.applications, starlette.routing, starlette.middleware  # as the built-in sandbox does
        import mcp.server.lowlevel.server as lowlevel
        deferred = sorted(name for name in sys.modules if name.startswith({HTTP_STACK[1:]!r}))
        real_starlette = lowlevel.Starlette is starlette.applications.Starlette
        app = lowlevel.Server("probe").streamable_http_app()
        import mcp.server.streamable_http_manager as manager
        print(json.dumps({{
            "imported before": deferred,
            "real starlette": real_starlette,
            "app": type(app).__name__,
            "manager": lowlevel.StreamableHTTPSessionManager is manager.StreamableHTTPSessionManager,
        }}))
        """
    )
    assert seen == {"imported before": [], "real starlette": True, "app": "Starlette", "manager": True}


ERA_TABLES = (
    "CLIENT_REQUESTS",
    "CLIENT_NOTIFICATIONS",
    "SERVER_REQUESTS",
    "SERVER_NOTIFICATIONS",
    "SERVER_RESULTS",
    "CLIENT_RESULTS",
)
INITIALIZE = {"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "probe", "version": "1"}}


def test_a_protocol_era_is_imported_when_a_message_of_its_era_is_first_checked() -> None:
    seen = run_fresh(
        f"""
        import json, sys
        from make_mcp.server.protocol.lazy_sdk import defer_package_inits
        defer_package_inits()
        import make_mcp.server.runtime
        from mcp_types import methods
        eras = lambda: sorted(name for name in sys.modules if name.startswith("mcp_types._v"))
        before = eras()
        methods.validate_client_request("initialize", "2025-11-25", {INITIALIZE!r})
        after_2025 = eras()
        try:
            methods.validate_client_request("tools/list", "2026-07-28", {{}})
        except ValueError:  # pydantic's ValidationError: a 2026 request carries more, but its era is there now
            pass
        print(json.dumps({{"before": before, "after 2025": after_2025, "after 2026": eras()}}))
        """
    )
    assert seen == {
        "before": [],
        "after 2025": ["mcp_types._v2025_11_25"],
        "after 2026": ["mcp_types._v2025_11_25", "mcp_types._v2026_07_28"],
    }


def test_the_method_tables_hold_the_same_models_as_when_imported_plainly() -> None:
    probe = f"""
        import json
        from mcp_types import methods
        tables = {{name: getattr(methods, name) for name in {ERA_TABLES!r}}}
        print(json.dumps({{
            "tables": {{name: {{str(key): str(value) for key, value in table.items()}} for name, table in tables.items()}},
            "defaults": [
                function.__kwdefaults__["surface"] is tables[name]
                for function, name in [
                    (methods.validate_client_request, "CLIENT_REQUESTS"),
                    (methods.parse_client_notification, "CLIENT_NOTIFICATIONS"),
                    (methods.serialize_server_result, "SERVER_RESULTS"),
                    (methods.validate_client_result, "CLIENT_RESULTS"),
                ]
            ],
            "mirror": __import__("mcp.types.methods").types.methods.SERVER_RESULTS is methods.SERVER_RESULTS,
        }}))
        """
    deferred = run_fresh(
        "from make_mcp.server.protocol.lazy_sdk import defer_package_inits\ndefer_package_inits()\n"
        + textwrap.dedent(probe)
    )
    plain = run_fresh(probe)
    assert deferred == plain
    assert deferred["defaults"] == [True] * 4 and deferred["mirror"]
    assert sum(map(len, deferred["tables"].values())) > 200


def test_a_module_that_keeps_an_era_name_outside_a_table_is_imported_plainly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_probes(
        tmp_path,
        monkeypatch,
        probe_era="class Ping:\n    pass\n\n\nclass Pong:\n    pass\n",
        probe_methods="import probe_era as era\n\nTABLE = {'ping': era.Ping}\nPONG = era.Pong\n",
    )
    monkeypatch.setattr(lazy_sdk, "ERA_MODULES", ("probe_era",))
    module = load_with(lazy_sdk._EraDeferringLoader, "probe_methods", tmp_path, monkeypatch)  # pyright: ignore[reportPrivateUsage]

    import probe_era  # type: ignore[import-not-found]  # pyright: ignore[reportMissingImports]

    assert module.PONG is probe_era.Pong
    assert {"ping": probe_era.Ping} == module.TABLE


def test_an_era_table_imports_its_era_on_the_first_lookup_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_probes(
        tmp_path,
        monkeypatch,
        probe_era2="class Ping:\n    pass\n\n\nclass Pong:\n    pass\n",
        probe_methods2="import probe_era2 as era\n\nTABLE = {'ping': era.Ping, 'either': era.Ping | era.Pong}\n\n\n"
        "def look(name, *, table=TABLE):\n    return table[name]\n",
    )
    monkeypatch.setattr(lazy_sdk, "ERA_MODULES", ("probe_era2",))
    module = load_with(lazy_sdk._EraDeferringLoader, "probe_methods2", tmp_path, monkeypatch)  # pyright: ignore[reportPrivateUsage]

    assert "probe_era2" not in sys.modules and isinstance(module.TABLE, lazy_sdk.EraTable)
    assert "ping" in module.TABLE and len(module.TABLE) == 2 and "probe_era2" not in sys.modules
    import probe_era2  # type: ignore[import-not-found]  # pyright: ignore[reportMissingImports]

    assert module.look("ping") is probe_era2.Ping
    assert module.look("either") == probe_era2.Ping | probe_era2.Pong
    assert module.era.Pong is probe_era2.Pong


def test_the_monolith_models_build_their_validators_on_first_use() -> None:
    seen = run_fresh(
        """
        import json, pydantic
        from make_mcp.server.protocol.lazy_sdk import defer_package_inits
        defer_package_inits()
        import mcp.server.lowlevel
        import mcp_types, mcp_types._types as monolith, mcp_types.jsonrpc as jsonrpc
        built_before = mcp_types.Tool.__pydantic_complete__
        tool = mcp_types.Tool.model_validate({"name": "probe", "inputSchema": {"type": "object"}})
        request = monolith.client_request_adapter.validate_python({"method": "tools/list", "params": {}})
        print(json.dumps({
            "built before": built_before,
            "built after": mcp_types.Tool.__pydantic_complete__,
            "tool": tool.name,
            "request": type(request).__name__,
            "real names": [
                monolith.ConfigDict is pydantic.ConfigDict, monolith.TypeAdapter is pydantic.TypeAdapter,
                type(jsonrpc.jsonrpc_message_adapter) is pydantic.TypeAdapter,
            ],
        }))
        """
    )
    assert seen == {
        "built before": False,
        "built after": True,
        "tool": "probe",
        "request": "ListToolsRequest",
        "real names": [True, True, True],
    }


def test_the_monolith_models_have_the_schemas_they_have_when_imported_plainly() -> None:
    probe = """
        import json, pydantic
        import mcp_types._types as monolith
        models = {
            name: value for name, value in sorted(vars(monolith).items())
            if isinstance(value, type) and issubclass(value, pydantic.BaseModel) and value.__module__ == monolith.__name__
            and not value.__pydantic_generic_metadata__["parameters"]
        }
        adapters = {name: value for name, value in sorted(vars(monolith).items()) if isinstance(value, pydantic.TypeAdapter)}
        print(json.dumps({
            "models": {name: [model.model_json_schema(mode=mode) for mode in ("validation", "serialization")]
                       for name, model in models.items()},
            "adapters": {name: adapter.json_schema() for name, adapter in adapters.items()},
        }))
        """
    deferred = run_fresh(
        "from make_mcp.server.protocol.lazy_sdk import defer_package_inits\ndefer_package_inits()\n"
        + textwrap.dedent(probe)
    )
    assert deferred == run_fresh(probe)
    assert len(deferred["models"]) > 100 and len(deferred["adapters"]) == 6


def test_an_annotation_string_is_compiled_once_and_means_what_it_always_meant() -> None:
    seen = run_fresh(
        """
        import json, typing
        import make_mcp.server.cli
        first, again = typing.ForwardRef("int | None"), typing.ForwardRef("int | None")
        try:
            typing.ForwardRef("int |")
            refused = None
        except SyntaxError as error:
            refused = str(error)
        print(json.dumps({
            "shared": first.__forward_code__ is again.__forward_code__,
            "other": typing.ForwardRef("str").__forward_code__ is not first.__forward_code__,
            "means": repr(typing._eval_type(first, {}, {})),
            "refused": refused,
        }))
        """
    )
    assert seen == {
        "shared": True,
        "other": True,
        "means": "int | None",
        "refused": "Forward reference must be an expression -- got 'int |'",
    }


def test_the_monolith_models_it_rebuilds_at_import_resolve_their_forward_references_on_first_use() -> None:
    probe = """
        import json
        import mcp_types._types as monolith
        rebuilt = ("InputResponseRequestParams", "ReadResourceRequestParams", "GetPromptRequestParams", "CallToolRequestParams")
        built_at_import = [getattr(monolith, name).__pydantic_complete__ for name in rebuilt]
        params = monolith.CallToolRequestParams.model_validate(
            {"name": "probe", "arguments": {}, "inputResponses": {"ask": {"action": "decline"}}}
        )
        print(json.dumps({
            "built at import": built_at_import,
            "answer": type(params.input_responses["ask"]).__name__,
            "dumped": params.model_dump(mode="json", by_alias=True, exclude_none=True),
        }))
        """
    deferred = run_fresh(
        "from make_mcp.server.protocol.lazy_sdk import defer_package_inits\ndefer_package_inits()\n"
        + textwrap.dedent(probe)
    )
    plain = run_fresh(probe)
    assert deferred["built at import"] == [False] * 4 and plain["built at import"] == [True] * 4
    assert deferred["answer"] == plain["answer"] == "ElicitResult"
    assert deferred["dumped"] == plain["dumped"]
