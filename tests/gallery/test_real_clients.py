"""Uploads over real HTTP to the real server: httpx multipart, and tuspy as the tus client."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from tusclient.client import TusClient

from videoforge.testing.server import ServerProcess

PASSWORD = "correct horse 42"


@pytest.fixture
def server(tmp_path: Path) -> Iterator[ServerProcess]:
    process = ServerProcess(
        tmp_path / "var",
        {
            "VIDEOFORGE_ROLES": "gateway,auth,gallery,streaming",
            "VIDEOFORGE_REQUIRE_EMAIL_CONFIRMATION": "false",
        },
    ).start()
    try:
        yield process
    finally:
        process.stop()


def sign_in(url: str) -> dict[str, str]:
    body = {"username": "zed", "email": "zed@example.com", "password": PASSWORD}
    httpx.post(f"{url}/api/auth/register", json=body).raise_for_status()
    login = httpx.post(f"{url}/api/auth/login", json={"username": "zed", "password": PASSWORD})
    return {"Authorization": f"Bearer {login.json()['accessToken']}"}


@pytest.mark.slow
def test_multipart_and_tus_clients(server: ServerProcess, small_clip: Path) -> None:
    auth = sign_in(server.url)

    with small_clip.open("rb") as file:
        form = httpx.post(
            f"{server.url}/api/gallery/videos",
            headers=auth,
            files={"file": ("clip.mp4", file, "video/mp4")},
            data={"title": "By form"},
        )
    assert form.status_code == 202, form.text

    tus = TusClient(f"{server.url}/api/gallery/uploads/", headers=auth)
    uploader = tus.uploader(
        str(small_clip),
        chunk_size=20_000,
        metadata={"filename": "clip.mp4", "filetype": "video/mp4", "title": "By tus"},
    )
    uploader.upload()
    assert uploader.url is not None
    video = httpx.get(f"{uploader.url}/video", headers=auth)
    assert video.status_code == 200, video.text
    assert video.json()["status"] == "queued"

    listed = httpx.get(f"{server.url}/api/gallery/videos", headers=auth).json()["videos"]
    assert sorted(v["title"] for v in listed) == ["By form", "By tus"]
