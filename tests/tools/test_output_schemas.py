"""Every tool's structured result fits the output schema it advertises: as the sandbox answers, and cut to
the result budget, at a record boundary or to text.

Arguments are drawn from each tool's input schema as in the every-tool end-to-end test, whose tables of
extra arguments are reused here.
"""

from __future__ import annotations

from typing import Any

from jsonschema import Draft202012Validator
from mcp import Client

from make_mcp.server.engine.operations import shape_result
from make_mcp.server.protocol.listing import tool_definition
from make_mcp.tools.catalogue import Operation
from make_mcp.tools.registry import ALL_OPERATIONS
from tests.conftest import LoopbackSandbox
from tests.server.test_app import mcp_client, text_of
from tests.tools.test_every_tool_end_to_end import (
    SCHEMA_GAPS,
    SET_UP,
    STATE_NEEDS,
    advertised_names,
    example_arguments,
    restore_demo,
)

BY_NAME = {operation.name: operation for operation in ALL_OPERATIONS}


async def structured_results(client: Client, sandbox: LoopbackSandbox) -> dict[str, dict[str, Any]]:
    """Each listed tool with an output schema, called once on a fresh demo account: its structured content."""
    found: dict[str, dict[str, Any]] = {}
    for tool in (await client.list_tools()).tools:
        if tool.output_schema is None:
            continue
        restore_demo(sandbox.state)
        arguments = {
            **example_arguments(tool.input_schema),
            **SCHEMA_GAPS.get(tool.name, {}),
            **STATE_NEEDS.get(tool.name, {}),
        }
        set_up = SET_UP.get(tool.name)
        if set_up is not None:
            arguments |= advertised_names(tool.name, await set_up(client))
        # The client checks structured content against the output schema itself and raises when it does not fit.
        result = await client.call_tool(tool.name, arguments)
        assert not result.is_error and result.structured_content is not None, f"{tool.name}: {text_of(result)}"
        found[tool.name] = result.structured_content
    return found


def misfits(results: dict[str, dict[str, Any]]) -> list[str]:
    problems: list[str] = []
    for name, structured in results.items():
        schema = advertised(BY_NAME[name])
        assert schema is not None
        error = next(iter(Draft202012Validator(schema).iter_errors(structured)), None)
        if error is not None:
            problems.append(f"{name}: {error.message} at {list(error.absolute_path)}")
    return problems


def advertised(operation: Operation) -> dict[str, Any] | None:
    return tool_definition(operation, confirm=False).output_schema


async def test_every_result_fits_its_output_schema_and_holds_the_response_key(
    loopback_sandbox: LoopbackSandbox,
) -> None:
    async with mcp_client(loopback_sandbox, toolsets="all", tool_mode="full", confirm_destructive=False) as client:
        results = await structured_results(client, loopback_sandbox)
    assert len(results) == sum(advertised(operation) is not None for operation in ALL_OPERATIONS)
    assert not misfits(results)
    keyless = [
        name
        for name, structured in results.items()
        if (key := BY_NAME[name].response_key) is not None and key not in structured
    ]
    assert not keyless, f"results without their tool's response key: {keyless}"


async def test_results_cut_at_a_record_boundary_still_fit_their_output_schemas(
    loopback_sandbox: LoopbackSandbox,
) -> None:
    async with mcp_client(
        loopback_sandbox, toolsets="all", tool_mode="full", confirm_destructive=False, result_max_chars=1_000
    ) as client:
        results = await structured_results(client, loopback_sandbox)
    cut = {name for name, structured in results.items() if "truncated" in structured}
    assert {"blueprints_get", "data-store-records_list"} <= cut  # a record's object and a list
    assert not misfits(results)


def test_a_result_cut_to_text_still_fits_every_output_schema() -> None:
    # A payload over budget with no list to cut becomes {"truncated", "partialText"}: the response key is gone,
    # which is why no advertised output schema may require it.
    broken: list[str] = []
    for operation in ALL_OPERATIONS:
        schema = advertised(operation)
        if schema is None:
            continue
        body = {operation.response_key or "value": "x" * 5_000}
        shaped = shape_result(operation, operation.input_model.model_construct(), body, 1_000)
        assert "partialText" in shaped
        if not Draft202012Validator(schema).is_valid(shaped):
            broken.append(operation.name)
    assert not broken, f"output schemas a result cut to text breaks: {broken}"


def test_a_schema_that_required_the_response_key_would_reject_a_result_cut_to_text() -> None:
    operation = BY_NAME["scenarios_get"]
    schema = advertised(operation)
    assert schema is not None and operation.response_key == "scenario"
    shaped = shape_result(operation, operation.input_model.model_construct(), {"scenario": {"x": "x" * 5_000}}, 1_000)
    assert Draft202012Validator(schema).is_valid(shaped)
    assert not Draft202012Validator({**schema, "required": ["scenario"]}).is_valid(shaped)


def test_a_null_where_the_reference_documents_a_value_fits_the_output_schema() -> None:
    # Make's answer to POST /functions/eval as recorded in its TypeScript SDK's tests; the reference documents
    # `error` as a string. Such answers are why every advertised property also allows null.
    schema = advertised(BY_NAME["functions_check"])
    assert schema is not None
    assert Draft202012Validator(schema).is_valid({"success": True, "error": None})
