"""The whole API (tests/conftest.py's `client`) with an administrator and a user signed in."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient

from tests.conftest import bearer, register
from videoforge.auth import service
from videoforge.context import Context
from videoforge.db import Job, Video

PASSWORD = "correct horse 42"


@dataclass
class People:
    admin: dict[str, str]  # Authorization headers
    user: dict[str, str]
    user_id: str


def sign_in(client: TestClient, username: str) -> dict[str, str]:
    resp = client.post("/api/auth/login", json={"username": username, "password": PASSWORD})
    assert resp.status_code == 200, resp.text
    return bearer(resp.json()["accessToken"])


def context(client: TestClient) -> Context:
    ctx: Context = client.app.state.ctx  # type: ignore[attr-defined]
    return ctx


@pytest.fixture
def people(client: TestClient) -> People:
    with context(client).sessions() as db:
        service.create_user(
            db, username="root", email="root@example.com", password=PASSWORD, role="admin"
        )
    user_token = register(client, "uma")
    me = client.get("/api/auth/me", headers=bearer(user_token)).json()
    return People(admin=sign_in(client, "root"), user=bearer(user_token), user_id=me["id"])


def add_video(client: TestClient, user_id: str, *, job_status: str = "ready") -> Job:
    """A video row with a job in `job_status` (no file: these tests do not transcode)."""
    with context(client).sessions() as db:
        video = Video(
            user_id=user_id, title="Clip", status="uploaded", source_key="videos/x/source/clip.mp4"
        )
        db.add(video)
        db.flush()
        job = Job(video_id=video.id, user_id=user_id, status=job_status)
        video.status = "failed" if job_status == "failed" else "ready"
        if job_status == "failed":
            job.error = "ffmpeg said no"
        db.add(job)
        db.commit()
        return job
