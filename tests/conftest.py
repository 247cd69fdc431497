"""Shared fixtures: settings on a temporary data dir, the app with a test client, users, clips."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from videoforge.app import create_app
from videoforge.config import Settings, load_settings
from videoforge.context import Context, build_context
from videoforge.media.tools import find_ffmpeg
from videoforge.testing import postgres
from videoforge.testing.clips import make_clip
from videoforge.testing.postgres import DatabaseFactory


@pytest.fixture(scope="session")
def fresh_postgres() -> DatabaseFactory:
    """Make throwaway PostgreSQL databases: `with fresh_postgres("vf_ops") as url: ...`.
    Fails with how to fix it when the server is down; skips with VIDEOFORGE_TEST_POSTGRES=skip."""
    admin = postgres.admin_url()
    if admin is None:
        pytest.skip("VIDEOFORGE_TEST_POSTGRES=skip")

    @contextmanager
    def make(prefix: str) -> Iterator[str]:
        try:
            with postgres.fresh_database(admin, prefix) as url:
                yield url
        except postgres.PostgresUnavailable as exc:
            pytest.fail(str(exc), pytrace=False)

    return make


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return load_settings(
        data_dir=tmp_path / "var",
        x264_preset="ultrafast",
        queue_poll_seconds=0.1,
        retry_base_seconds=0.2,
        retry_max_seconds=1.0,
        require_email_confirmation=False,  # tests/auth checks confirmation; others sign in directly
    )


@pytest.fixture
def ctx(settings: Settings) -> Iterator[Context]:
    context = build_context(settings)
    yield context
    context.close()


@pytest.fixture
def api_settings(settings: Settings) -> Settings:
    """Settings for API tests: every role but the processor (no background transcoding)."""
    return settings.model_copy(update={"roles": ["gateway", "auth", "gallery", "streaming"]})


@pytest.fixture
def client(api_settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(api_settings)) as test_client:
        yield test_client


@pytest.fixture
def ffmpeg() -> str:
    return find_ffmpeg(Settings())


@pytest.fixture(scope="session")
def session_ffmpeg() -> str:
    return find_ffmpeg(Settings())


@pytest.fixture(scope="session")
def small_clip(tmp_path_factory: pytest.TempPathFactory, session_ffmpeg: str) -> Path:
    """A 2-second 320x240 H.264 + AAC clip, made once per test session."""
    return make_clip(session_ffmpeg, tmp_path_factory.mktemp("clips") / "small.mp4")


def register(client: TestClient, username: str, password: str = "correct horse 42") -> str:
    """Register and sign in; return an access token."""
    email = f"{username}@example.com"
    resp = client.post(
        "/api/auth/register", json={"username": username, "email": email, "password": password}
    )
    assert resp.status_code == 201, resp.text
    resp = client.post("/api/auth/login", json={"username": username, "password": password})
    assert resp.status_code == 200, resp.text
    token: str = resp.json()["accessToken"]
    return token


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
