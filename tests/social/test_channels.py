"""Channels: the public page of an account, its profile editing and its avatar."""

from __future__ import annotations

import subprocess
from pathlib import Path

import av
from fastapi.testclient import TestClient

from tests.conftest import bearer, register
from tests.gallery.conftest import add_video, user_id
from videoforge.social.avatars import AVATAR_SIDE, MAX_AVATAR_BYTES


def picture(ffmpeg: str, path: Path, size: str = "640x360") -> bytes:
    subprocess.run(
        [ffmpeg, "-loglevel", "error", "-y", "-f", "lavfi", "-i", f"testsrc=size={size}",
         "-frames:v", "1", str(path)],
        check=True,
    )  # fmt: skip
    return path.read_bytes()


def test_a_channel_shows_its_profile_and_public_videos_only(client: TestClient) -> None:
    alice = register(client, "alice")
    owner = user_id(client, alice)
    add_video(client, owner, title="shown")
    add_video(client, owner, title="link only", visibility="unlisted")
    add_video(client, owner, title="secret", visibility="private")

    channel = client.get("/api/gallery/channels/alice").json()
    assert channel["displayName"] == "alice" and channel["avatarUrl"] is None
    changed = client.patch(
        "/api/gallery/channels/me",
        json={"displayName": "  Alice A. ", "bio": "I film cats.\nAnd dogs."},
        headers=bearer(alice),
    )
    assert changed.status_code == 200, changed.text
    channel = client.get("/api/gallery/channels/ALICE").json()
    assert channel["displayName"] == "Alice A." and channel["bio"] == "I film cats.\nAnd dogs."
    for token in (None, alice):  # the same for everyone, the owner included
        page = client.get(
            "/api/gallery/channels/alice/videos", headers=bearer(token) if token else {}
        ).json()
        assert [v["title"] for v in page["videos"]] == ["shown"]

    assert client.get("/api/gallery/channels/nobody").status_code == 404
    bad = client.patch(
        "/api/gallery/channels/me", json={"displayName": "a\x07b"}, headers=bearer(alice)
    )
    assert bad.status_code == 422
    assert client.patch("/api/gallery/channels/me", json={"bio": "x"}).status_code == 401


def test_the_avatar_is_scaled_to_a_square_webp(
    client: TestClient, ffmpeg: str, tmp_path: Path
) -> None:
    alice = register(client, "alice")
    resp = client.put(
        "/api/gallery/channels/me/avatar",
        content=picture(ffmpeg, tmp_path / "me.png"),
        headers={**bearer(alice), "Content-Type": "image/png"},
    )
    assert resp.status_code == 200, resp.text
    url = resp.json()["avatarUrl"]
    assert url.startswith("/api/gallery/channels/alice/avatar?v=")

    image = client.get(url)
    assert image.status_code == 200 and image.headers["content-type"] == "image/webp"
    (tmp_path / "got.webp").write_bytes(image.content)
    with av.open(str(tmp_path / "got.webp")) as container:
        frame = next(container.decode(video=0))
        assert (frame.width, frame.height) == (AVATAR_SIDE, AVATAR_SIDE)

    removed = client.delete("/api/gallery/channels/me/avatar", headers=bearer(alice))
    assert removed.json()["avatarUrl"] is None
    assert client.get(url).status_code == 404


def test_non_pictures_and_large_files_are_refused(
    client: TestClient, small_clip: Path, ffmpeg: str, tmp_path: Path
) -> None:
    alice = register(client, "alice")
    url = "/api/gallery/channels/me/avatar"
    for content in (b"not a picture at all", small_clip.read_bytes(), b""):
        resp = client.put(url, content=content, headers=bearer(alice))
        assert resp.status_code == 415, resp.text
        assert resp.json()["message"]
    huge = client.put(url, content=b"\0" * (MAX_AVATAR_BYTES + 1), headers=bearer(alice))
    assert huge.status_code == 413 and "MB" in huge.json()["message"]
    assert client.get("/api/gallery/channels/alice").json()["avatarUrl"] is None
    jpeg = picture(ffmpeg, tmp_path / "tall.jpg", size="200x500")
    assert client.put(url, content=jpeg).status_code == 401
