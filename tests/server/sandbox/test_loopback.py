"""The sandbox served for real on a loopback socket by uvicorn."""

from __future__ import annotations

import socket

import httpx2
import uvicorn

from make_mcp.server.sandbox import SANDBOX_TOKEN, create_sandbox_app, demo_state


async def test_sandbox_answers_over_loopback_http() -> None:
    state = demo_state()
    config = uvicorn.Config(create_sandbox_app(state), lifespan="off", log_level="warning")
    server = uvicorn.Server(config)
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    # Start and stop the server step by step (what Server.serve does) so the test needs no polling.
    config.load()
    server.lifespan = config.lifespan_class(config)
    await server.startup(sockets=[listener])
    try:
        async with httpx2.AsyncClient(
            base_url=f"http://127.0.0.1:{port}/api/v2", headers={"Authorization": f"Token {SANDBOX_TOKEN}"}
        ) as api:
            response = await api.get("/scenarios", params={"teamId": 201, "cols[]": "id"})
    finally:
        await server.shutdown(sockets=[listener])
        listener.close()
    assert response.status_code == 200
    assert response.json()["scenarios"] == [{"id": i} for i in (401, 402, 404, 405, 406, 407)]
    assert [r.path for r in state.requests] == ["/api/v2/scenarios"]
