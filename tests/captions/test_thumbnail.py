"""/api/gallery/videos/{id}/thumbnail: a frame of the video, or an uploaded picture, becomes the
video's thumbnail and poster; bad pictures are refused."""

from __future__ import annotations

import subprocess
from pathlib import Path

import av
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update

from tests.conftest import bearer, register
from tests.gallery.conftest import context_of, upload
from videoforge.db import Video


def picture(ffmpeg: str, dest: Path, source: str, size: str = "640x360") -> Path:
    argv = [ffmpeg, "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi"]
    subprocess.run([*argv, "-i", f"{source}:s={size}", "-frames:v", "1", str(dest)], check=True)
    return dest


def stored_picture(client: TestClient, video_id: str, name: str) -> av.VideoFrame:
    path = context_of(client).store.local_path(f"videos/{video_id}/{name}")
    assert path is not None and path.is_file()
    with av.open(str(path)) as container:
        return next(container.decode(video=0))


def mean_red_minus_blue(frame: av.VideoFrame) -> float:
    red, _, blue = bytes(frame.reformat(width=1, height=1, format="rgb24").planes[0])[:3]
    return float(red - blue)


@pytest.fixture
def owned(client: TestClient, small_clip: Path) -> tuple[str, str]:
    """(token, video id) of an uploaded clip, marked ready."""
    token = register(client, "alice")
    resp = upload(client, token, small_clip)
    assert resp.status_code == 202, resp.text
    video_id = resp.json()["id"]
    with context_of(client).sessions() as db:
        db.execute(update(Video).where(Video.id == video_id).values(status="ready"))
        db.commit()
    return token, video_id


def test_pick_a_frame(client: TestClient, owned: tuple[str, str]) -> None:
    token, video_id = owned
    resp = client.post(
        f"/api/gallery/videos/{video_id}/thumbnail/frame", json={"time": 1.2}, headers=bearer(token)
    )
    assert resp.status_code == 200, resp.text
    thumb = stored_picture(client, video_id, "thumbnail.jpg")
    poster = stored_picture(client, video_id, "poster.jpg")
    assert (thumb.width, thumb.height) == (320, 240)  # the clip's size: never scaled up
    assert (poster.width, poster.height) == (320, 240)

    served = client.get(resp.json()["thumbnailUrl"] + "?v=2")  # the owner's page busts its cache
    assert served.status_code == 200 and served.content.startswith(b"\xff\xd8")

    resp = client.post(
        f"/api/gallery/videos/{video_id}/thumbnail/frame", json={"time": -1}, headers=bearer(token)
    )
    assert resp.status_code == 422


def test_upload_a_picture(
    client: TestClient, owned: tuple[str, str], ffmpeg: str, tmp_path: Path
) -> None:
    token, video_id = owned
    url = f"/api/gallery/videos/{video_id}/thumbnail/image"
    red = picture(ffmpeg, tmp_path / "red.png", "color=c=red", "1920x1080")
    resp = client.post(url, headers=bearer(token), files={"file": ("red.png", red.read_bytes())})
    assert resp.status_code == 200, resp.text
    thumb = stored_picture(client, video_id, "thumbnail.jpg")
    poster = stored_picture(client, video_id, "poster.jpg")
    assert (thumb.width, thumb.height) == (320, 180)
    assert (poster.width, poster.height) == (1280, 720)
    assert mean_red_minus_blue(thumb) > 150

    blue = picture(ffmpeg, tmp_path / "blue.jpg", "color=c=blue")
    resp = client.post(url, headers=bearer(token), files={"file": ("b.jpg", blue.read_bytes())})
    assert resp.status_code == 200
    assert mean_red_minus_blue(stored_picture(client, video_id, "thumbnail.jpg")) < -150


def test_bad_pictures_are_refused(
    client: TestClient, owned: tuple[str, str], ffmpeg: str, small_clip: Path, tmp_path: Path
) -> None:
    token, video_id = owned
    url = f"/api/gallery/videos/{video_id}/thumbnail/image"

    def send(data: bytes) -> tuple[int, str]:
        resp = client.post(url, headers=bearer(token), files={"file": ("x", data)})
        return resp.status_code, resp.json()["message"]

    assert send(b"just some text, no picture") == (
        415,
        "This file is not a picture we can read: upload a JPEG, PNG, WebP or GIF image.",
    )
    assert send(small_clip.read_bytes())[0] == 415  # a video is not a picture
    assert send(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)[0] == 415
    assert send(b"\xff" * (10 * 1024 * 1024 + 1))[0] == 413
    huge = picture(ffmpeg, tmp_path / "wide.png", "color=c=green", "9000x16")
    status, message = send(huge.read_bytes())
    assert status == 400 and "9000x16" in message


def test_only_the_owner_changes_the_picture(client: TestClient, owned: tuple[str, str]) -> None:
    _, video_id = owned
    other = register(client, "bob")
    url = f"/api/gallery/videos/{video_id}/thumbnail/frame"
    assert client.post(url, json={"time": 0}, headers=bearer(other)).status_code == 403
    assert client.post(url, json={"time": 0}).status_code == 401
    assert client.post("/api/gallery/videos/nope/thumbnail/frame", json={"time": 0},
                       headers=bearer(other)).status_code == 404  # fmt: skip
