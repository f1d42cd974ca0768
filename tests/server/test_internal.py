"""The server's own requests to Make, built from declared operations."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from make_mcp.server.engine.internal import declared, internal_request, request_without_arguments
from make_mcp.tools.conventions import SCOPES_OPERATION

# Operations the server asks with request_without_arguments.
WITHOUT_ARGUMENTS = (SCOPES_OPERATION,)


def test_an_operation_asked_without_arguments_has_no_parameters_and_is_asked_as_its_input_model_would_ask() -> None:
    for name in WITHOUT_ARGUMENTS:
        assert declared(name).input_model.model_fields == {}
        assert request_without_arguments(name) == internal_request(name)


def test_the_scopes_request_imports_no_input_model() -> None:
    script = textwrap.dedent(
        """
        import sys
        from make_mcp.server.engine.internal import request_without_arguments
        from make_mcp.tools.conventions import SCOPES_OPERATION
        request = request_without_arguments(SCOPES_OPERATION)
        print(request.method, request.path)
        print(sorted(name for name in sys.modules if name.startswith("make_mcp.tools.inputs.")))
        """
    )
    printed = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=120
    ).stdout.splitlines()
    assert printed == ["GET /users/me/current-authorization", "[]"]
