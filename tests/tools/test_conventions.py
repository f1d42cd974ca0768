"""Make's conventions are data that names only what the catalogue holds."""

from __future__ import annotations

from make_mcp.server.engine.internal import declared
from make_mcp.tools import conventions
from make_mcp.tools.registry import ALL_OPERATIONS, TOOLSETS


def test_every_toolset_has_a_description_and_the_defaults_are_known_toolsets() -> None:
    assert set(conventions.TOOLSET_DESCRIPTIONS) == set(TOOLSETS)
    assert set(conventions.DEFAULT_TOOLSETS) <= set(TOOLSETS)


def test_the_defaulted_ids_are_fields_of_some_tool_and_each_has_a_hint() -> None:
    fields = {name for op in ALL_OPERATIONS for name in op.input_model.model_fields}
    for default in conventions.DEFAULT_IDS:
        assert default.field in fields
        assert default.variable in conventions.WHERE_TO_FIND[default.field]


def test_the_internal_requests_name_declared_get_operations() -> None:
    for name in (
        conventions.SCOPES_OPERATION,
        conventions.CURRENT_USER_OPERATION,
        conventions.ORGANIZATIONS_OPERATION,
        conventions.ORGANIZATION_OPERATION,
    ):
        assert declared(name).method == "GET" and declared(name).read_only


def test_the_secret_argument_pattern_knows_the_usual_names() -> None:
    for name in ("password", "clientSecret", "apiKey", "api_key", "accessToken", "credentials"):
        assert conventions.SECRET_ARGUMENT.search(name)
    assert not conventions.SECRET_ARGUMENT.search("scenarioId")
