"""Driving a running VideoForge over HTTP as a client does (end-to-end tests, benchmarks)."""

from __future__ import annotations

import time
from pathlib import Path

import httpx

PASSWORD = "correct horse 42"

# Settings for a server that transcodes tiny clips quickly and signs people up without email.
FAST_ENV = {
    "VIDEOFORGE_X264_PRESET": "ultrafast",
    "VIDEOFORGE_QUEUE_POLL_SECONDS": "0.2",
    "VIDEOFORGE_QUEUE_VISIBILITY_TIMEOUT_SECONDS": "3",
    "VIDEOFORGE_REQUIRE_EMAIL_CONFIRMATION": "false",
}


def sign_in(base: str, username: str, password: str = PASSWORD) -> dict[str, str]:
    """Register username (email username@example.com), sign in, return the bearer header."""
    httpx.post(
        f"{base}/api/auth/register",
        json={"username": username, "email": f"{username}@example.com", "password": password},
    ).raise_for_status()
    resp = httpx.post(f"{base}/api/auth/login", json={"username": username, "password": password})
    resp.raise_for_status()
    return {"Authorization": f"Bearer {resp.json()['accessToken']}"}


def upload(
    base: str,
    headers: dict[str, str],
    clip: Path,
    visibility: str = "public",
    title: str | None = None,
) -> dict:
    """Upload clip as multipart/form-data; return the new video (202)."""
    with clip.open("rb") as body:
        resp = httpx.post(
            f"{base}/api/gallery/videos",
            headers=headers,
            files={"file": (clip.name, body, "video/mp4")},
            data={"title": title or clip.stem, "description": "e2e", "visibility": visibility},
            timeout=60,
        )
    assert resp.status_code == 202, resp.text
    video: dict = resp.json()
    return video


def wait_for_job(
    base: str, headers: dict[str, str], job_id: str, until: set[str], timeout: float = 180
) -> dict:
    """Poll the job until its status is one of `until`."""
    deadline = time.monotonic() + timeout
    job: dict = {}
    while time.monotonic() < deadline:
        job = httpx.get(f"{base}/api/jobs/{job_id}", headers=headers).json()
        if job["status"] in until:
            return job
        time.sleep(0.3)
    raise AssertionError(f"job {job_id} never reached {until}; last seen {job}")
