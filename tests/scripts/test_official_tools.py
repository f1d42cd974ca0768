"""scripts/official_tools.py keeps facts only: schema keywords without prose, requests below /api/v2."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "official_tools.py"
_spec = importlib.util.spec_from_file_location("make_mcp_official_tools", SCRIPT)
assert _spec is not None and _spec.loader is not None
official_tools = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(official_tools)


def test_schema_facts_keep_types_and_constraints_and_drop_descriptions() -> None:
    schema = {
        "type": "object",
        "description": "prose",
        "properties": {"limit": {"type": "number", "minimum": 1, "title": "prose"}},
        "required": ["limit"],
    }
    assert official_tools.schema_facts(schema, "t") == {
        "type": "object",
        "properties": {"limit": {"type": "number", "minimum": 1}},
        "required": ["limit"],
    }


def test_an_unknown_schema_keyword_stops_the_script() -> None:
    with pytest.raises(SystemExit, match="not handled"):
        official_tools.schema_facts({"type": "string", "format": "email"}, "t.arg")


def test_a_request_keeps_its_path_below_the_api_prefix_query_order_and_body() -> None:
    request = {
        "method": "GET",
        "path": "/api/v2/teams",
        "query": [["organizationId", "5"], ["cols[]", "*"]],
        "contentType": None,
        "body": None,
    }
    assert official_tools.request_facts(request, "teams_list") == {
        "method": "GET",
        "path": "/teams",
        "query": [["organizationId", "5"], ["cols[]", "*"]],
    }
    text = {**request, "method": "PUT", "contentType": "application/javascript", "body": {"text": "code"}}
    assert official_tools.request_facts(text, "t")["bodyText"] == "code"


def test_a_request_outside_the_api_stops_the_script() -> None:
    request = {"method": "GET", "path": "/elsewhere", "query": [], "contentType": None, "body": None}
    with pytest.raises(SystemExit, match="outside"):
        official_tools.request_facts(request, "t")
