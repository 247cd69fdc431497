"""Request ids: taken or made, answered, logged, and forwarded by the gateway to other roles."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from tests.ops.conftest import Peer
from videoforge.app import create_app
from videoforge.config import Settings
from videoforge.logs import configure_logging, job_logging

log = logging.getLogger("videoforge.tests.ops")


@pytest.fixture
def captured() -> Iterator[io.StringIO]:
    """Root logging as `configure_logging` sets it, into a buffer; restored afterwards."""
    root = logging.getLogger()
    saved_handlers, saved_level = root.handlers[:], root.level
    yield io.StringIO()
    root.handlers[:] = saved_handlers
    root.setLevel(saved_level)


def json_lines(buffer: io.StringIO) -> list[dict[str, object]]:
    return [json.loads(line) for line in buffer.getvalue().splitlines() if line]


def test_request_id_is_answered(client: TestClient) -> None:
    given = client.get("/api/health", headers={"X-Request-ID": "abc-123.x"})
    assert given.headers["x-request-id"] == "abc-123.x"
    made = client.get("/api/health").headers["x-request-id"]
    assert len(made) == 32 and int(made, 16) >= 0
    assert client.get("/api/health").headers["x-request-id"] != made


def test_unsafe_request_id_is_replaced(client: TestClient) -> None:
    answer = client.get("/api/health", headers={"X-Request-ID": "evil\tline two"})
    assert answer.headers["x-request-id"] not in ("evil\tline two", "")
    assert len(answer.headers["x-request-id"]) == 32


def test_log_records_carry_the_request_id(api_settings: Settings, captured: io.StringIO) -> None:
    app = create_app(api_settings)

    @app.get("/api/test-log")
    def logs_something() -> dict[str, str]:
        log.warning("handling the test request")
        return {}

    configure_logging(api_settings.model_copy(update={"log_json": True}), stream=captured)
    with TestClient(app) as client:
        client.get("/api/test-log", headers={"X-Request-ID": "req-42"})
    lines = json_lines(captured)  # every line parses as JSON
    ours = [line for line in lines if line["message"] == "handling the test request"]
    assert ours and ours[0]["request_id"] == "req-42"
    assert ours[0]["level"] == "warning" and ours[0]["logger"] == "videoforge.tests.ops"
    assert all("request_id" not in line for line in lines if line is not ours[0])


def test_text_lines_name_the_job(settings: Settings, captured: io.StringIO) -> None:
    configure_logging(settings, stream=captured)
    with job_logging("job-7"):
        log.warning("transcoding")
    log.warning("idle")
    first, second = captured.getvalue().splitlines()
    assert first.endswith("transcoding [job=job-7]")
    assert second.endswith("idle")


def test_json_lines_name_the_job_and_keep_tracebacks(
    settings: Settings, captured: io.StringIO
) -> None:
    configure_logging(settings.model_copy(update={"log_json": True}), stream=captured)
    with job_logging("job-8"):
        try:
            raise ValueError("bad frame")
        except ValueError:
            log.exception("attempt failed")
    (entry,) = json_lines(captured)
    assert entry["job_id"] == "job-8"
    assert "ValueError: bad frame" in str(entry["exception"])


@pytest.mark.slow
def test_gateway_forwards_the_request_id(settings: Settings, echo_peer: Peer) -> None:
    gateway = settings.model_copy(
        update={
            "roles": ["gateway"],
            "gallery_service_url": echo_peer.url,
            "streaming_service_url": echo_peer.url,
            "auth_service_url": echo_peer.url,
        }
    )
    with TestClient(create_app(gateway)) as client:
        given = client.get("/api/gallery/videos", headers={"X-Request-ID": "trace-1"})
        made = client.get("/api/gallery/videos")
    assert given.json() == {"path": "/api/gallery/videos", "requestId": "trace-1"}
    assert given.headers.get_list("x-request-id") == ["trace-1"]
    # An id the gateway made reaches the peer too, and comes back once.
    assert made.json()["requestId"] == made.headers["x-request-id"]
    assert len(made.headers.get_list("x-request-id")) == 1
