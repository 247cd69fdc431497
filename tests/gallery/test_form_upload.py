"""POST /api/gallery/videos (multipart): stored, probed, queued; or refused leaving nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from tests.conftest import bearer, register
from tests.gallery.conftest import ClientFactory, context_of, stored_keys, upload
from videoforge.db import Job, Video


def count_rows(client: TestClient) -> tuple[int, int]:
    with context_of(client).sessions() as session:
        videos = session.scalar(select(func.count()).select_from(Video)) or 0
        jobs = session.scalar(select(func.count()).select_from(Job)) or 0
        return videos, jobs


def files_on_disk(client: TestClient) -> list[Path]:
    """Everything in the store's directory, temporary files included."""
    root = context_of(client).settings.store_dir
    return [path for path in root.rglob("*") if path.is_file()]


@pytest.mark.slow
def test_upload_creates_queued_video_and_job(gallery: TestClient, small_clip: Path) -> None:
    token = register(gallery, "alice")
    resp = upload(
        gallery, token, small_clip, "My holiday (1).mp4", description="Sea", visibility="unlisted"
    )

    assert resp.status_code == 202, resp.text
    video = resp.json()
    assert video["title"] == "My holiday (1)"
    assert (video["description"], video["visibility"]) == ("Sea", "unlisted")
    assert video["status"] == "queued"
    assert (video["width"], video["height"], video["resolution"]) == (320, 240, "320x240")
    assert video["videoCodec"] == "h264" and video["audioCodec"] == "aac"
    assert video["duration"] == pytest.approx(2.0, abs=0.2)
    assert video["fileSize"] == small_clip.stat().st_size
    assert video["thumbnailUrl"] is None and video["canEdit"] is True

    assert stored_keys(gallery) == [f"videos/{video['id']}/source/My_holiday_1.mp4"]
    ctx = context_of(gallery)
    stored = ctx.store.local_path(stored_keys(gallery)[0])
    assert stored is not None and stored.read_bytes() == small_clip.read_bytes()
    [message] = ctx.queue.receive(visibility_timeout=30)
    assert message.body == {
        "jobId": video["jobId"],
        "videoId": video["id"],
        "userId": video["userId"],
    }
    job = gallery.get(f"/api/jobs/{video['jobId']}", headers=bearer(token)).json()
    assert (job["status"], job["videoId"]) == ("queued", video["id"])


@pytest.mark.slow
def test_original_upload_path_and_explicit_title(gallery: TestClient, small_clip: Path) -> None:
    token = register(gallery, "alice")
    resp = upload(gallery, token, small_clip, path="/api/upload", title="Named", visibility="")
    assert resp.status_code == 202, resp.text
    assert (resp.json()["title"], resp.json()["visibility"]) == ("Named", "public")


def test_not_a_video_is_415_and_nothing_is_kept(gallery: TestClient) -> None:
    token = register(gallery, "alice")
    resp = upload(gallery, token, b"just some text, not a video\n" * 50, "notes.mp4")
    assert resp.status_code == 415, resp.text
    assert resp.json()["message"] == "This file is not a video or audio file we can read."
    assert files_on_disk(gallery) == []
    assert count_rows(gallery) == (0, 0)


def test_empty_file_is_400(gallery: TestClient) -> None:
    token = register(gallery, "alice")
    resp = upload(gallery, token, b"", "empty.mp4")
    assert resp.status_code == 400
    assert resp.json()["message"] == "The file is empty."
    assert files_on_disk(gallery) == []


def test_oversize_is_413_while_streaming_and_nothing_is_kept(make_client: ClientFactory) -> None:
    client = make_client(max_upload_bytes=10_000)
    token = register(client, "alice")
    resp = upload(client, token, b"\0" * 50_000, "big.mp4")
    assert resp.status_code == 413
    assert resp.json()["message"] == "The file is larger than the 9.77 KB limit."
    assert files_on_disk(client) == []
    assert count_rows(client) == (0, 0)


def test_announced_oversize_is_413(make_client: ClientFactory) -> None:
    # Far above the limit plus form overhead: refused on its Content-Length.
    client = make_client(max_upload_bytes=1000)
    token = register(client, "alice")
    resp = upload(client, token, b"\0" * 2_000_000, "big.mp4")
    assert resp.status_code == 413
    assert resp.json()["message"] == "The file is larger than the 1000 bytes limit."
    assert files_on_disk(client) == []


@pytest.mark.parametrize("name", ["../evil.mp4", "dir/clip.mp4", "a..b.mp4"])
def test_path_like_file_name_is_400(gallery: TestClient, name: str) -> None:
    token = register(gallery, "alice")
    resp = upload(gallery, token, b"data", name)
    assert resp.status_code == 400
    assert resp.json()["message"] == "The file name must be a plain name, not a path."
    assert files_on_disk(gallery) == []


def test_missing_file_wrong_body_bad_fields_and_no_token(gallery: TestClient) -> None:
    token = register(gallery, "alice")
    no_file = gallery.post("/api/gallery/videos", headers=bearer(token), data={"title": "x"})
    assert no_file.status_code == 400
    json_body = gallery.post("/api/gallery/videos", headers=bearer(token), json={"title": "x"})
    assert json_body.status_code == 400
    assert "multipart/form-data" in json_body.json()["message"]

    bad = upload(gallery, token, b"data", "clip.mp4", visibility="friends")
    assert bad.status_code == 422 and "visibility" in bad.json()["message"]
    long_title = upload(gallery, token, b"data", "clip.mp4", title="x" * 201)
    assert long_title.status_code == 422
    assert files_on_disk(gallery) == []

    assert upload(gallery, None, b"data", "clip.mp4").status_code == 401
