"""The catalogue's data holds together: modules, Forman fields, connections, hooks and RPC references."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import jsonschema
import pytest

from make_mcp.server.sandbox.catalogue import APPS_DIR, catalogue, search
from make_mcp.server.sandbox.module_fields import DISPLAY_TYPES, SELECT_TYPES, VALUE_TYPES
from make_mcp.server.sandbox.resources_apps import blueprint_schema
from tests.server.sandbox.support import example_blueprints

MODULE_TYPES = {
    "trigger", "instant_trigger", "action", "search", "responder", "transformer", "router", "if_else", "merge",
    "iterator", "aggregator", "repeater", "error_handler", "agent",
}  # fmt: skip
OPEN_TYPES = {"select", "radio", "list", "json", "any", "hidden"}
RPC = re.compile(r"rpc://([a-z0-9-]+)@(\d+)/(\w+)")


def fields_of(fields: Any) -> Iterator[dict[str, Any]]:
    """Every field, descending into specs, nested lists and options' nested lists."""
    items = fields if isinstance(fields, list) else [fields] if isinstance(fields, dict) else []
    for field in items:
        yield field
        yield from fields_of(field.get("spec"))
        yield from fields_of(field.get("nested"))
        options = field.get("options")
        if isinstance(options, dict):
            yield from fields_of(options.get("nested"))
            options = options.get("store")
        for option in options if isinstance(options, list) else []:
            yield from fields_of(option.get("nested"))


def every_module() -> Iterator[tuple[str, dict[str, Any]]]:
    for app in catalogue().values():
        for module in app.modules:
            yield app.name, module


def test_each_file_holds_the_app_it_is_named_after() -> None:
    for path in APPS_DIR.glob("*.json"):
        app = json.loads(path.read_text(encoding="utf-8"))
        assert app["name"] == path.stem
        assert app["version"] in app["versions"]


def test_the_catalogue_holds_the_apps_the_builder_needs() -> None:
    wanted = {
        "builtin": {"BasicRouter", "BasicFeeder", "BasicAggregator", "BasicIfElse", "BasicMerge"},
        "util": {"SetVariable2", "SetVariables", "TextAggregator"},
        "gateway": {"CustomWebHook", "WebhookRespond"},
        "http": {"ActionSendData"},
        "json": {"ParseJSON", "CreateJSON", "AggregateToJSON"},
        "datastore": {"AddRecord", "GetRecord", "SearchRecord"},
        "google-sheets": {"watchRows", "addRow", "updateRow", "filterRows"},
        "slack": {"CreateMessage", "TriggerWatchPublicChannelMessages"},
        "typeform": {"watchResponses"},
        "ai-tools": {"Ask"},
    }
    for app, modules in wanted.items():
        assert modules <= {module["name"] for module in catalogue()[app].modules}, app


@pytest.mark.parametrize(("app", "module"), [(a, m) for a, m in every_module()], ids=lambda v: str(v)[:40])
def test_every_module_has_its_manifest_keys_and_known_field_types(app: str, module: dict[str, Any]) -> None:
    assert module["type"] in MODULE_TYPES
    assert module["crud"] in (None, "create", "read", "update", "delete")
    for domain in ("parameters", "expect", "interface"):
        for field in fields_of(module[domain]):
            kind = str(field.get("type", "")).split(":", 1)[0]
            assert kind in VALUE_TYPES or kind in OPEN_TYPES or kind in DISPLAY_TYPES, (app, module["name"], field)


@pytest.mark.parametrize(("app", "module"), [(a, m) for a, m in every_module()], ids=lambda v: str(v)[:40])
def test_a_module_needing_a_connection_or_webhook_has_the_field_for_it(app: str, module: dict[str, Any]) -> None:
    types = [str(field["type"]) for field in module["parameters"]]
    accounts = [t.split(":", 1)[1].split(",") for t in types if t.startswith("account:")]
    hooks = [t.split(":", 1)[1] for t in types if t.startswith("hook:")]
    if module["account"] and not hooks:
        wanted = [module["account"]] if isinstance(module["account"], str) else module["account"]
        assert accounts and set(wanted) <= set(accounts[0]), module["name"]
    if module["hook"]:
        assert hooks == [module["hook"]] and module["type"] == "instant_trigger" and module["listener"] is True


def test_every_rpc_reference_names_an_rpc_of_a_served_version() -> None:
    for app in catalogue().values():
        for name, version, rpc in RPC.findall(json.dumps(app.modules)):
            assert name == app.name and int(version) in app.versions and app.rpc(rpc) is not None, (name, rpc)
        for rpc in app.data["rpcs"]:
            assert all(set(option) == {"label", "value"} for option in rpc["response"]), rpc["name"]


def test_select_option_values_are_unique() -> None:
    for app, module in every_module():
        for field in fields_of([*module["parameters"], *module["expect"]]):
            options = field.get("options")
            if field.get("type") in SELECT_TYPES and isinstance(options, list):
                values = [json.dumps(option["value"]) for option in options]
                assert len(values) == len(set(values)), (app, module["name"], field["name"])


def test_search_ranks_exact_names_above_partial_ones() -> None:
    ranked = [app.name for _, app in search("json")]
    assert ranked[0] == "json"
    assert [app.name for _, app in search("zzzz-nothing")] == []


@pytest.mark.parametrize("name", sorted(example_blueprints()))
def test_the_blueprint_schema_accepts_every_example(name: str) -> None:
    jsonschema.validate(example_blueprints()[name], blueprint_schema())


def test_the_blueprint_schema_refuses_a_module_without_a_version_or_a_flow_of_text() -> None:
    schema = blueprint_schema()
    without_version = {"name": "x", "metadata": {}, "flow": [{"id": 1, "module": "json:ParseJSON"}]}
    with pytest.raises(jsonschema.ValidationError, match="'version' is a required property"):
        jsonschema.validate(without_version, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"name": "x", "metadata": {}, "flow": "json:ParseJSON"}, schema)
