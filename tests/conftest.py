"""Shared fixtures: the sandbox Make API served on loopback for each test that asks for it."""

from __future__ import annotations

import contextlib
import os
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
import uvicorn
from hypothesis import settings

from make_mcp.server.sandbox import SANDBOX_TOKEN, SandboxState, create_sandbox_app, demo_state

# The test command runs the same examples every time, so a result can be reproduced and a green run stays green;
# HYPOTHESIS_PROFILE=explore draws fresh examples (and many more) to hunt for new failures.
settings.register_profile("repeatable", derandomize=True)
settings.register_profile("explore", max_examples=2000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))

# What the HTTP servers of the tests set MAKE_HTTP_FIRST_LISTING_WAIT to: a caller's first tools/list holds their
# scenario tools however loaded the machine is (the default half second is not a bound a busy CI keeps).
TEST_FIRST_LISTING_WAIT = 60.0


@dataclass
class LoopbackSandbox:
    state: SandboxState
    url: str  # e.g. http://127.0.0.1:41234 (the zone to configure)
    token: str = SANDBOX_TOKEN

    @property
    def base_url(self) -> str:
        return f"{self.url}/api/v2"


@contextlib.contextmanager
def serving(state: SandboxState) -> Iterator[LoopbackSandbox]:
    """The sandbox of this state on a free loopback port; the socket listens before this returns."""
    # Naming IPPROTO_TCP lets asyncio set TCP_NODELAY on accepted connections; without it every answer
    # waits ~40 ms for a delayed ACK.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(128)
    port = sock.getsockname()[1]
    config = uvicorn.Config(create_sandbox_app(state), log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        yield LoopbackSandbox(state, f"http://127.0.0.1:{port}")
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


@pytest.fixture(autouse=True, scope="session")
def own_config_directory(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Servers the tests start keep their files (the confirmation key, stored logins) out of the user's own."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CONFIG_HOME", str(tmp_path_factory.mktemp("config")))
        yield


@pytest.fixture
def loopback_sandbox() -> Iterator[LoopbackSandbox]:
    """A fresh demo sandbox on a free loopback port; the socket listens before the fixture returns."""
    with serving(demo_state()) as sandbox:
        yield sandbox
