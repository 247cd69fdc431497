"""ECS task scale-in protection, against a small HTTP server standing in for the ECS agent."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from videoforge.worker.protection import STATE_PATH, ScaleInProtection


class Agent:
    """Records the protection states PUT to it; answers 500 while `failing`."""

    def __init__(self) -> None:
        self.states: list[dict[str, object]] = []
        self.failing = False
        agent = self

        class Handler(BaseHTTPRequestHandler):
            def do_PUT(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                assert self.path == STATE_PATH
                agent.states.append(body)
                self.send_response(500 if agent.failing else 200)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"{}")

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.uri = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def agent() -> Iterator[Agent]:
    agent = Agent()
    yield agent
    agent.server.shutdown()


def test_protected_while_busy_and_released_when_idle(agent: Agent) -> None:
    busy = False
    protection = ScaleInProtection(agent.uri, lambda: busy, expires_minutes=30)

    protection.check()  # idle from the start: nothing to say
    busy = True
    protection.check()
    protection.check()  # still busy, not yet time to renew: no second call
    busy = False
    protection.check()

    assert agent.states == [
        {"ProtectionEnabled": True, "ExpiresInMinutes": 30},
        {"ProtectionEnabled": False},
    ]
    assert not protection.protected


def test_an_agent_error_is_retried_at_the_next_check(agent: Agent) -> None:
    protection = ScaleInProtection(agent.uri, lambda: True)
    agent.failing = True
    protection.check()
    assert not protection.protected
    agent.failing = False
    protection.check()
    assert protection.protected
    assert len(agent.states) == 2


def test_stop_releases_the_protection(agent: Agent) -> None:
    protection = ScaleInProtection(agent.uri, lambda: True, check_seconds=0.05)
    protection.start()
    protection.check()
    protection.stop()
    assert agent.states[-1] == {"ProtectionEnabled": False}


def test_only_on_ecs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ECS_AGENT_URI", raising=False)
    assert ScaleInProtection.from_environment(lambda: True) is None
    monkeypatch.setenv("ECS_AGENT_URI", "http://169.254.170.2/api/abc")
    made = ScaleInProtection.from_environment(lambda: True)
    assert made is not None and made.url == "http://169.254.170.2/api/abc" + STATE_PATH
