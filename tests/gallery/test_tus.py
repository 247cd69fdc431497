"""Resumable uploads (tus 1.0) at /api/gallery/uploads/, spoken by hand as a tus client would."""

from __future__ import annotations

import base64
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from tests.conftest import bearer, register
from tests.gallery.conftest import ClientFactory, context_of, stored_keys

UPLOADS = "/api/gallery/uploads/"
TUS = {"Tus-Resumable": "1.0.0"}


def metadata(**values: str) -> str:
    return ",".join(f"{k} {base64.b64encode(v.encode()).decode()}" for k, v in values.items())


def create(client: TestClient, token: str | None, length: int, **meta: str) -> httpx.Response:
    meta = {"filename": "clip.mp4", "filetype": "video/mp4", **meta}
    headers = {**TUS, "Upload-Length": str(length), "Upload-Metadata": metadata(**meta)}
    return client.post(UPLOADS, headers={**headers, **(bearer(token) if token else {})})


def upload_url(resp: httpx.Response) -> str:
    assert resp.status_code == 201, resp.text
    return httpx.URL(resp.headers["Location"]).path


def patch(
    client: TestClient, token: str | None, url: str, offset: int, data: bytes
) -> httpx.Response:
    headers = {
        **TUS,
        "Upload-Offset": str(offset),
        "Content-Type": "application/offset+octet-stream",
        **(bearer(token) if token else {}),
    }
    return client.patch(url, headers=headers, content=data)


def offset_of(client: TestClient, token: str, url: str) -> int:
    resp = client.head(url, headers={**TUS, **bearer(token)})
    assert resp.status_code == 200
    return int(resp.headers["Upload-Offset"])


def tus_files(client: TestClient) -> list[Path]:
    root = context_of(client).settings.work_dir / "tus"
    return [p for p in root.rglob("*") if p.is_file() and ".locks" not in p.parts]


@pytest.mark.slow
def test_upload_in_chunks_with_a_resume_creates_a_video(
    gallery: TestClient, small_clip: Path
) -> None:
    token = register(gallery, "alice")
    data = small_clip.read_bytes()
    url = upload_url(create(gallery, token, len(data), title="Resumed", visibility="private"))
    third = len(data) // 3

    first = patch(gallery, token, url, 0, data[:third])
    assert first.status_code == 204
    assert first.headers["Upload-Offset"] == str(third)
    # The connection drops; the client asks where to go on, then sends the rest in two parts.
    offset = offset_of(gallery, token, url)
    assert offset == third
    assert patch(gallery, token, url, offset, data[offset : 2 * third]).status_code == 204
    offset = offset_of(gallery, token, url)
    last = patch(gallery, token, url, offset, data[offset:])

    assert last.status_code == 204, last.text
    video_id = last.headers["Video-Id"]
    found = gallery.get(f"{url}/video", headers=bearer(token))
    assert found.status_code == 200
    video = found.json()
    assert video["id"] == video_id
    assert (video["title"], video["visibility"], video["status"]) == (
        "Resumed",
        "private",
        "queued",
    )
    assert video["jobId"] and video["fileSize"] == len(data)
    [key] = stored_keys(gallery)
    assert key == f"videos/{video_id}/source/clip.mp4"
    stored = context_of(gallery).store.local_path(key)
    assert stored is not None and stored.read_bytes() == data
    [message] = context_of(gallery).queue.receive(visibility_timeout=30)
    assert message.body["videoId"] == video_id
    # The upload's own files are gone; only the note of which video it became is left.
    assert [p.name for p in tus_files(gallery)] == [f"{Path(url).name}.video.json"]


def test_every_tus_request_needs_a_token(gallery: TestClient) -> None:
    token = register(gallery, "alice")
    assert create(gallery, None, 10).status_code == 401
    url = upload_url(create(gallery, token, 10))

    assert gallery.head(url, headers=TUS).status_code == 401
    assert patch(gallery, None, url, 0, b"0123456789").status_code == 401
    assert gallery.delete(url, headers=TUS).status_code == 401
    assert gallery.get(f"{url}/video").status_code == 401
    assert offset_of(gallery, token, url) == 0


def test_someone_elses_upload_does_not_exist(gallery: TestClient) -> None:
    alice, bob = register(gallery, "alice"), register(gallery, "bob")
    url = upload_url(create(gallery, alice, 10))
    assert gallery.head(url, headers={**TUS, **bearer(bob)}).status_code == 404
    assert patch(gallery, bob, url, 0, b"0123456789").status_code == 404
    assert gallery.get(f"{url}/video", headers=bearer(bob)).status_code == 404


def test_options_advertise_the_configured_limit(make_client: ClientFactory) -> None:
    client = make_client(max_upload_bytes=5000)
    resp = client.options(UPLOADS)
    assert resp.status_code == 204
    assert resp.headers["Tus-Version"] == "1.0.0"
    assert resp.headers["Tus-Max-Size"] == "5000"
    assert set(resp.headers["Tus-Extension"].split(",")) == {
        "creation",
        "expiration",
        "termination",
    }


def test_creation_is_checked_before_any_byte(make_client: ClientFactory) -> None:
    client = make_client(max_upload_bytes=5000)
    token = register(client, "alice")

    too_big = create(client, token, 5001)
    assert too_big.status_code == 413
    assert too_big.json()["message"] == "The file is larger than the 4.88 KB limit."
    assert create(client, token, 0).json()["message"] == "The file is empty."
    path_name = create(client, token, 10, filename="../x.mp4")
    assert path_name.json()["message"] == "The file name must be a plain name, not a path."
    assert create(client, token, 10, visibility="friends").status_code == 422
    no_type = client.post(
        UPLOADS,
        headers={
            **TUS,
            **bearer(token),
            "Upload-Length": "10",
            "Upload-Metadata": metadata(filename="a.mp4"),
        },
    )
    assert no_type.status_code == 400
    deferred = client.post(
        UPLOADS,
        headers={
            **TUS,
            **bearer(token),
            "Upload-Defer-Length": "1",
            "Upload-Metadata": metadata(filename="a.mp4", filetype="video/mp4"),
        },
    )
    assert deferred.status_code == 400
    assert tus_files(client) == []


def test_offset_mismatch_is_409_and_termination_deletes(gallery: TestClient) -> None:
    token = register(gallery, "alice")
    url = upload_url(create(gallery, token, 10))
    assert patch(gallery, token, url, 0, b"01234").status_code == 204
    assert patch(gallery, token, url, 0, b"01234").status_code == 409
    assert patch(gallery, token, url, 5, b"0123456789").status_code == 400  # beyond Upload-Length
    assert offset_of(gallery, token, url) == 5

    assert gallery.delete(url, headers={**TUS, **bearer(token)}).status_code == 204
    assert gallery.head(url, headers={**TUS, **bearer(token)}).status_code == 404
    assert gallery.get(f"{url}/video", headers=bearer(token)).status_code == 404


def test_unfinished_upload_has_no_video_yet(gallery: TestClient) -> None:
    token = register(gallery, "alice")
    url = upload_url(create(gallery, token, 10))
    resp = gallery.get(f"{url}/video", headers=bearer(token))
    assert resp.status_code == 409


def test_finished_upload_that_is_not_a_video_is_415_and_removed(gallery: TestClient) -> None:
    token = register(gallery, "alice")
    data = b"plain text, not a video\n" * 40
    url = upload_url(create(gallery, token, len(data), filename="notes.mp4"))
    resp = patch(gallery, token, url, 0, data)
    assert resp.status_code == 415
    assert resp.json()["message"] == "This file is not a video or audio file we can read."
    assert stored_keys(gallery) == []
    assert tus_files(gallery) == []
    assert gallery.get("/api/gallery/videos", headers=bearer(token)).json()["videos"] == []
