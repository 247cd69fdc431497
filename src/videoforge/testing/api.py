"""Drive a running server through its public HTTP API, as a user would (end-to-end tests and
the benchmarks): register and sign in, upload, wait for a job, decode what it serves."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

PASSWORD = "correct horse 42"


def sign_in(base: str, username: str, *, register: bool = True) -> dict[str, str]:
    """Bearer headers for username (registered first unless told otherwise)."""
    if register:
        httpx.post(
            f"{base}/api/auth/register",
            json={"username": username, "email": f"{username}@example.com", "password": PASSWORD},
        ).raise_for_status()
    resp = httpx.post(f"{base}/api/auth/login", json={"username": username, "password": PASSWORD})
    resp.raise_for_status()
    return {"Authorization": f"Bearer {resp.json()['accessToken']}"}


def upload(
    base: str,
    headers: dict[str, str],
    clip: Path,
    visibility: str = "public",
    title: str | None = None,
) -> dict[str, Any]:
    """A multipart upload of clip; asserts the 202 and returns the video."""
    with clip.open("rb") as body:
        resp = httpx.post(
            f"{base}/api/gallery/videos",
            headers=headers,
            files={"file": (clip.name, body, "video/mp4")},
            data={"title": title or clip.stem, "description": "e2e", "visibility": visibility},
            timeout=60,
        )
    assert resp.status_code == 202, resp.text
    video: dict[str, Any] = resp.json()
    return video


def wait_for_job(
    base: str, headers: dict[str, str], job_id: str, until: set[str], timeout: float = 180
) -> dict[str, Any]:
    """Poll /api/jobs/{job_id} until its status is one of `until`."""
    deadline = time.monotonic() + timeout
    job: dict[str, Any] = {}
    while time.monotonic() < deadline:
        job = httpx.get(f"{base}/api/jobs/{job_id}", headers=headers).json()
        if job["status"] in until:
            return job
        time.sleep(0.3)
    raise AssertionError(f"job {job_id} never reached {until}; last seen {job}")


def wait_until(condition: Callable[[], bool], timeout: float = 10) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


def decode(ffmpeg: str, url: str) -> None:
    """Decode a whole media playlist with ffmpeg, fetched over HTTP (and any redirect it
    answers); fails on any broken segment."""
    result = subprocess.run(
        [ffmpeg, "-v", "error", "-xerror", "-i", url, "-f", "null", "-"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, f"ffmpeg could not decode {url}:\n{result.stderr[-2000:]}"
