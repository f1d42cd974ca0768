"""The built-in sandbox: an in-memory fake of the Make API v2, served in-process or on loopback."""

from make_mcp.server.sandbox.app import create_sandbox_app
from make_mcp.server.sandbox.demo import SANDBOX_TOKEN, demo_state
from make_mcp.server.sandbox.state import RecordedRequest, SandboxState

__all__ = ["SANDBOX_TOKEN", "RecordedRequest", "SandboxState", "create_sandbox_app", "demo_state"]
