"""A peer for the gateway (a real HTTP server, uvicorn in a thread, that echoes what it got),
and an empty PostgreSQL database of our own."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from videoforge.testing.postgres import DatabaseFactory
from videoforge.testing.server import free_port


async def _echo(request: Request) -> JSONResponse:
    # Answers like a role that stamps its own X-Request-ID, so duplicates would show.
    request_id = request.headers.get("x-request-id", "")
    return JSONResponse(
        {"path": request.url.path, "requestId": request_id},
        headers={"x-request-id": request_id or "peer-made-one"},
    )


@dataclass
class Peer:
    url: str


@pytest.fixture
def echo_peer() -> Iterator[Peer]:
    app = Starlette(routes=[Route("/{path:path}", _echo)])
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline:
            raise TimeoutError("the echo peer did not start")
        time.sleep(0.02)
    yield Peer(f"http://127.0.0.1:{port}")
    server.should_exit = True
    thread.join(10)


@pytest.fixture
def empty_postgres_url(
    fresh_postgres: DatabaseFactory,
) -> Iterator[str]:
    """A new database on the test PostgreSQL server, dropped afterwards."""
    with fresh_postgres("vf_ops") as url:
        yield url
