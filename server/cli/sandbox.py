"""`make-mcp sandbox`: the built-in Make API served over HTTP."""

from __future__ import annotations

import logging

log = logging.getLogger("make_mcp")


def serve_sandbox(host: str, port: int, rate_limit: int | None) -> None:
    """Serves the sandbox Make API over HTTP, for pointing a server or a benchmark at it."""
    import uvicorn

    from make_mcp.server.sandbox import create_sandbox_app, demo_state

    state = demo_state()
    state.rate_limit_per_minute = rate_limit
    log.warning("sandbox Make API on http://%s:%d/api/v2 (its demo token is in the README)", host, port)
    uvicorn.run(create_sandbox_app(state), host=host, port=port, log_level="warning")
