"""The built-in sandbox: an in-memory fake of the Make API v2, served in-process or on loopback."""

from server.sandbox.app import create_sandbox_app
from server.sandbox.demo import SANDBOX_TOKEN
from server.sandbox.state import RecordedRequest, SandboxState

__all__ = ["SANDBOX_TOKEN", "RecordedRequest", "SandboxState", "create_sandbox_app"]
