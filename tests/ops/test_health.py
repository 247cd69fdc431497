"""/api/ready: local backends on every role, and the peers a gateway forwards to."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.ops.conftest import Peer
from videoforge.app import create_app
from videoforge.config import Settings

UNREACHABLE = "http://127.0.0.1:9"  # the discard port: nothing listens there


def gateway_settings(settings: Settings, gallery: str, others: str) -> Settings:
    return settings.model_copy(
        update={
            "roles": ["gateway"],
            "gallery_service_url": gallery,
            "streaming_service_url": others,
            "auth_service_url": others,
        }
    )


def test_ready_checks_the_backends(client: TestClient) -> None:
    answer = client.get("/api/ready")
    assert answer.status_code == 200
    assert answer.json() == {
        "status": "ready",
        "checks": {"database": "ok", "store": "ok", "queue": "ok"},
    }


def test_health_stays_cheap_when_a_peer_is_down(settings: Settings) -> None:
    with TestClient(create_app(gateway_settings(settings, UNREACHABLE, UNREACHABLE))) as client:
        assert client.get("/api/health").status_code == 200


@pytest.mark.slow
def test_gateway_is_not_ready_without_its_peers(settings: Settings, echo_peer: Peer) -> None:
    with TestClient(create_app(gateway_settings(settings, UNREACHABLE, echo_peer.url))) as client:
        answer = client.get("/api/ready")
    assert answer.status_code == 503
    checks = answer.json()["checks"]
    assert checks["gallery role"] == f"failing: {UNREACHABLE} unreachable (ConnectError)"
    assert checks["streaming role"] == "ok"
    assert checks["auth role"] == "ok"
    assert checks["database"] == "ok"


@pytest.mark.slow
def test_gateway_is_ready_with_its_peers(settings: Settings, echo_peer: Peer) -> None:
    with TestClient(create_app(gateway_settings(settings, echo_peer.url, echo_peer.url))) as client:
        answer = client.get("/api/ready")
    assert answer.status_code == 200, answer.text
    assert answer.json()["checks"]["gallery role"] == "ok"
