"""Uploads straight to S3 (a moto server) with presigned URLs: the bytes go from this test to the
bucket with plain httpx PUTs, never through the app."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from tests.conftest import bearer, register
from tests.gallery.conftest import ClientFactory
from videoforge.errors import PayloadTooLarge
from videoforge.gallery.direct_upload import MIN_PART_BYTES, part_size_for
from videoforge.testing.aws import CREDENTIALS, MotoServer, unique_name
from videoforge.testing.clips import make_clip

pytestmark = pytest.mark.slow
DIRECT = "/api/gallery/uploads/direct"


@pytest.fixture(scope="module")
def aws() -> Iterator[MotoServer]:
    with MotoServer() as server:
        yield server


@pytest.fixture
def s3_client(
    aws: MotoServer, make_client: ClientFactory, monkeypatch: pytest.MonkeyPatch
) -> TestClient:
    """The API app on the S3 store (a fresh bucket), as the settings build it."""
    for name, value in CREDENTIALS.items():
        monkeypatch.setenv(name.upper(), value)
    bucket = unique_name("direct")
    aws.client("s3").create_bucket(Bucket=bucket)
    return make_client(store="s3", s3_bucket_name=bucket, s3_endpoint_url=aws.endpoint_url)


@pytest.fixture(scope="module")
def big_clip(tmp_path_factory: pytest.TempPathFactory, session_ffmpeg: str) -> Path:
    """A real video of more than one 8 MiB part (uncompressed frames are big)."""
    path = tmp_path_factory.mktemp("direct") / "raw.avi"
    make_clip(session_ffmpeg, path, seconds=3.2, audio=False, video_args=("-c:v", "rawvideo"))
    assert MIN_PART_BYTES < path.stat().st_size <= 2 * MIN_PART_BYTES
    return path


def bucket_keys(client: TestClient) -> list[str]:
    store = client.app.state.ctx.store  # type: ignore[attr-defined]
    return sorted(obj.key for obj in store.list(""))


def start(client: TestClient, token: str, path: Path, **fields: object) -> httpx.Response:
    body = {
        "filename": path.name,
        "size": path.stat().st_size,
        "contentType": "video/x-msvideo",
        "title": "Raw",
        **fields,
    }
    return client.post(DIRECT, json=body, headers=bearer(token))


def put_part(url: str, path: Path, number: int, part_size: int) -> None:
    with path.open("rb") as source:
        source.seek((number - 1) * part_size)
        resp = httpx.put(url, content=source.read(part_size))
    assert resp.status_code == 200, resp.text
    assert resp.headers["etag"]


def test_part_sizes_keep_within_s3_limits() -> None:
    assert part_size_for(1) == MIN_PART_BYTES
    assert part_size_for(200 * 1024**3) == 21 * 1024**2  # 200 GiB in fewer than 10000 parts
    assert part_size_for(64 * 1024**2 * 10_000) == 64 * 1024**2
    with pytest.raises(PayloadTooLarge):
        part_size_for(64 * 1024**2 * 10_000 + 1)


def test_resume_after_losing_the_client_state(s3_client: TestClient, big_clip: Path) -> None:
    token = register(s3_client, "alice")
    started = start(s3_client, token, big_clip, visibility="private")
    assert started.status_code == 201, started.text
    upload = started.json()
    assert upload["partSize"] == MIN_PART_BYTES
    assert [p["partNumber"] for p in upload["parts"]] == [1, 2]
    assert upload["uploadedParts"] == []
    put_part(upload["parts"][0]["url"], big_clip, 1, upload["partSize"])

    # The client forgets everything but the video id, and asks what is left.
    early = s3_client.post(f"{DIRECT}/{upload['videoId']}/complete", headers=bearer(token))
    assert early.status_code == 409
    assert early.json()["error"]["details"]["missing"] == [2]
    resumed = s3_client.get(f"{DIRECT}/{upload['videoId']}", headers=bearer(token)).json()
    assert resumed["uploadedParts"] == [1]
    assert [p["partNumber"] for p in resumed["parts"]] == [2]
    put_part(resumed["parts"][0]["url"], big_clip, 2, resumed["partSize"])

    done = s3_client.post(f"{DIRECT}/{upload['videoId']}/complete", headers=bearer(token))
    assert done.status_code == 202, done.text
    video = done.json()
    assert (video["id"], video["status"], video["visibility"]) == (
        upload["videoId"],
        "queued",
        "private",
    )
    assert video["jobId"] and video["title"] == "Raw"
    assert video["fileSize"] == big_clip.stat().st_size
    assert video["resolution"] == "320x240"
    # The source is in the bucket; the pending record is gone; asking again answers the video.
    assert bucket_keys(s3_client) == [upload["key"]]
    again = s3_client.post(f"{DIRECT}/{upload['videoId']}/complete", headers=bearer(token))
    assert again.json()["id"] == video["id"]


def test_others_cannot_see_or_finish_an_upload(s3_client: TestClient, big_clip: Path) -> None:
    alice, bob = register(s3_client, "alice"), register(s3_client, "bob")
    upload = start(s3_client, alice, big_clip).json()
    for method, path in [
        ("GET", f"{DIRECT}/{upload['videoId']}"),
        ("POST", f"{DIRECT}/{upload['videoId']}/complete"),
        ("DELETE", f"{DIRECT}/{upload['videoId']}"),
    ]:
        assert s3_client.request(method, path, headers=bearer(bob)).status_code == 404
        assert s3_client.request(method, path).status_code == 401
    assert s3_client.post(DIRECT, json={"filename": "a.mp4", "size": 5}).status_code == 401


def test_cancel_removes_the_parts_and_the_record(s3_client: TestClient, big_clip: Path) -> None:
    token = register(s3_client, "alice")
    upload = start(s3_client, token, big_clip).json()
    put_part(upload["parts"][0]["url"], big_clip, 1, upload["partSize"])

    assert (
        s3_client.delete(f"{DIRECT}/{upload['videoId']}", headers=bearer(token)).status_code == 204
    )

    assert bucket_keys(s3_client) == []
    gone = s3_client.get(f"{DIRECT}/{upload['videoId']}", headers=bearer(token))
    assert gone.status_code == 404
    s3 = s3_client.app.state.ctx.store.client  # type: ignore[attr-defined]
    bucket = s3_client.app.state.ctx.store.bucket  # type: ignore[attr-defined]
    assert s3.list_multipart_uploads(Bucket=bucket).get("Uploads", []) == []


def test_refusals_before_any_byte(s3_client: TestClient, big_clip: Path) -> None:
    token = register(s3_client, "alice")
    too_big = start(s3_client, token, big_clip, size=11 * 1024**3)
    assert too_big.status_code == 413
    assert "larger than" in too_big.json()["message"]
    assert start(s3_client, token, big_clip, size=0).json()["message"] == "The file is empty."
    path_name = start(s3_client, token, big_clip, filename="../x.mp4")
    assert path_name.status_code == 400
    assert bucket_keys(s3_client) == []


def test_a_file_that_is_not_a_video_leaves_nothing(s3_client: TestClient, tmp_path: Path) -> None:
    token = register(s3_client, "alice")
    junk = tmp_path / "notes.mp4"
    junk.write_bytes(b"not a video at all " * 100)
    upload = start(s3_client, token, junk).json()
    put_part(upload["parts"][0]["url"], junk, 1, upload["partSize"])

    done = s3_client.post(f"{DIRECT}/{upload['videoId']}/complete", headers=bearer(token))

    assert done.status_code == 415
    assert bucket_keys(s3_client) == []
    assert s3_client.get("/api/gallery/videos", headers=bearer(token)).json()["videos"] == []


def test_the_originals_presigned_put_and_confirm(s3_client: TestClient, small_clip: Path) -> None:
    token = register(s3_client, "alice")
    assert s3_client.post("/api/upload/generate-url", json={"filename": "a.mp4"}).status_code == 401
    made = s3_client.post(
        "/api/upload/generate-url",
        json={"filename": "small.mp4", "contentType": "video/mp4"},
        headers=bearer(token),
    )
    assert made.status_code == 200, made.text
    url = made.json()
    assert set(url) >= {"uploadUrl", "s3Key", "expiresIn"}
    confirm = {"s3Key": url["s3Key"], "title": "Small", "visibility": "public"}

    early = s3_client.post("/api/upload/confirm", json=confirm, headers=bearer(token))
    assert early.status_code == 409  # nothing PUT yet; the upload stays open
    put = httpx.put(
        url["uploadUrl"], content=small_clip.read_bytes(), headers={"Content-Type": "video/mp4"}
    )
    assert put.status_code == 200, put.text
    video_id = url["videoId"]
    not_parts = s3_client.get(f"{DIRECT}/{video_id}", headers=bearer(token))
    assert not_parts.status_code == 404  # a single-PUT upload has no parts to resume
    bob = register(s3_client, "bob")
    assert (
        s3_client.post("/api/upload/confirm", json=confirm, headers=bearer(bob)).status_code == 404
    )

    done = s3_client.post("/api/upload/confirm", json=confirm, headers=bearer(token))

    assert done.status_code == 202, done.text
    assert done.json()["title"] == "Small" and done.json()["jobId"]
    assert bucket_keys(s3_client) == [url["s3Key"]]


def test_local_store_points_to_tus(gallery: TestClient) -> None:
    token = register(gallery, "alice")
    resp = gallery.post(DIRECT, json={"filename": "a.mp4", "size": 10}, headers=bearer(token))
    assert resp.status_code == 409
    assert "/api/gallery/uploads/" in resp.json()["message"]
    generate = gallery.post(
        "/api/upload/generate-url", json={"filename": "a.mp4"}, headers=bearer(token)
    )
    assert generate.status_code == 409
