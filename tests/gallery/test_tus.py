"""Resumable uploads (tus 1.0) at /api/gallery/uploads/, spoken by hand as a tus client would."""

from __future__ import annotations

import base64
import hashlib
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update

from tests.conftest import bearer, register
from tests.gallery.conftest import ClientFactory, context_of, stored_keys
from videoforge.db import TusUpload

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


def tus_files(client: TestClient) -> list[str]:
    """What uploads in progress hold in the store."""
    return [obj.key for obj in context_of(client).store.list("tus")]


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
    # The upload's pieces are gone (they became the source); HEAD says it is complete.
    assert tus_files(gallery) == []
    assert offset_of(gallery, token, url) == len(data)


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
        "checksum",
    }
    assert resp.headers["Tus-Checksum-Algorithm"] == "sha1"
    assert "Tus-Max-Chunk-Size" not in resp.headers  # no limit unless one is set


def test_a_patch_past_the_chunk_limit_is_refused_whole(make_client: ClientFactory) -> None:
    """With tus_max_chunk_bytes (AWS Lambda: 6 MB per request), OPTIONS names the limit and a
    larger PATCH gets a 413 saying it, whether or not it declares its length; nothing is kept."""
    limit = 256 * 1024
    client = make_client(tus_max_chunk_bytes=limit)
    assert client.options(UPLOADS).headers["Tus-Max-Chunk-Size"] == str(limit)
    token = register(client, "alice")
    url = upload_url(create(client, token, 3 * limit))
    data = bytes(range(256)) * (3 * limit // 256)

    declared = patch(client, token, url, 0, data[: limit + 1])
    undeclared = client.patch(  # chunked: the limit is found while the bytes arrive
        url,
        headers={
            **TUS,
            **bearer(token),
            "Upload-Offset": "0",
            "Content-Type": "application/offset+octet-stream",
        },
        content=iter([data[:limit], data[limit : limit + 10]]),
    )

    for refused in (declared, undeclared):
        assert refused.status_code == 413, refused.text
        assert refused.json()["error"]["code"] == "too_large"
        assert f"at most {limit} bytes" in refused.json()["message"]
    assert offset_of(client, token, url) == 0
    assert patch(client, token, url, 0, data[:limit]).headers["Upload-Offset"] == str(limit)


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
    no_name = client.post(UPLOADS, headers={**TUS, **bearer(token), "Upload-Length": "10"})
    assert no_name.json()["message"] == "Give the file a name."
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


# Findings of issue 10 (each failed on the tuspyserver-based endpoint) -------------------


def held_bytes(client: TestClient, url: str) -> bytes:
    """The bytes an upload in progress holds in the store, committed or not."""
    [key] = tus_files(client)
    local = context_of(client).store.local_path(key)
    assert local is not None
    return local.read_bytes()


def test_refused_patches_write_nothing_and_move_nothing(gallery: TestClient) -> None:
    """Finding 3: a PATCH refused for its headers leaves offset and bytes as they were, so the
    client's correct retry is accepted."""
    token = register(gallery, "alice")
    url = upload_url(create(gallery, token, 20))
    assert patch(gallery, token, url, 0, b"01234").status_code == 204
    good = {**TUS, **bearer(token), "Upload-Offset": "5"}
    octets = {"Content-Type": "application/offset+octet-stream"}

    refusals = [
        ({**good, "Content-Type": "text/plain"}, 415),
        (good, 415),  # no Content-Type at all
        ({**bearer(token), **octets, "Upload-Offset": "5"}, 412),  # no Tus-Resumable
        ({**good, **octets, "Upload-Offset": "3"}, 409),
        ({**good, **octets, "Upload-Offset": "-1"}, 400),
        ({**good, **octets, "Upload-Offset": "five"}, 400),
    ]
    for headers, status in refusals:
        resp = gallery.patch(url, headers=headers, content=b"XXXXX")
        assert resp.status_code == status, (headers, resp.text)
        assert resp.json()["message"], resp.text
        assert offset_of(gallery, token, url) == 5
        assert held_bytes(gallery, url) == b"01234"

    retry = patch(gallery, token, url, 5, b"56789")
    assert retry.status_code == 204, retry.text
    assert retry.headers["Upload-Offset"] == "10"
    assert held_bytes(gallery, url) == b"0123456789"


@pytest.mark.parametrize("length", ["-5", "abc", "1.5", "", "9" * 40])
def test_a_length_that_is_not_a_byte_count_is_400(gallery: TestClient, length: str) -> None:
    """Finding 4: Upload-Length -5 was accepted (201), and HEAD then said Content-Length: -5."""
    token = register(gallery, "alice")
    resp = gallery.post(
        UPLOADS,
        headers={
            **TUS,
            **bearer(token),
            "Upload-Length": length,
            "Upload-Metadata": metadata(filename="a.mp4"),
        },
    )
    assert resp.status_code == 400, resp.text
    assert "Upload-Length must be a whole number of bytes" in resp.json()["message"]
    with context_of(gallery).sessions() as session:
        assert session.query(TusUpload).count() == 0


def test_a_patch_while_another_writes_is_423_at_once(gallery: TestClient) -> None:
    """Someone else holds the upload's lease: refused at once with Retry-After, nothing
    written; once that lease has run out (its holder died), the upload carries on."""
    token = register(gallery, "alice")
    url = upload_url(create(gallery, token, 20))
    upload_id = Path(url).name
    set_lease(gallery, upload_id, "someone-else", timedelta(seconds=30))

    busy = patch(gallery, token, url, 0, b"01234")
    assert busy.status_code == 423, busy.text
    assert 1 <= int(busy.headers["Retry-After"]) <= 30
    assert offset_of(gallery, token, url) == 0
    assert gallery.delete(url, headers={**TUS, **bearer(token)}).status_code == 423

    set_lease(gallery, upload_id, "someone-else", timedelta(seconds=-1))
    assert patch(gallery, token, url, 0, b"01234").status_code == 204
    assert offset_of(gallery, token, url) == 5


def test_checksum_mismatch_is_460_and_stores_nothing(gallery: TestClient) -> None:
    token = register(gallery, "alice")
    url = upload_url(create(gallery, token, 20))

    def with_checksum(offset: int, data: bytes, digest_of: bytes) -> httpx.Response:
        digest = base64.b64encode(hashlib.sha1(digest_of).digest()).decode()
        headers = {
            **TUS,
            **bearer(token),
            "Upload-Offset": str(offset),
            "Content-Type": "application/offset+octet-stream",
            "Upload-Checksum": f"sha1 {digest}",
        }
        return gallery.patch(url, headers=headers, content=data)

    assert with_checksum(0, b"01234", b"01234").status_code == 204
    wrong = with_checksum(5, b"56789", b"5678X")
    assert wrong.status_code == 460, wrong.text
    assert offset_of(gallery, token, url) == 5
    assert held_bytes(gallery, url)[:5] == b"01234"
    bad = patch(gallery, token, url, 5, b"56789")
    assert bad.status_code == 204  # without a checksum, accepted as sent
    malformed = gallery.patch(
        url,
        headers={**TUS, **bearer(token), "Upload-Checksum": "md5 AAAA", "Upload-Offset": "10"},
    )
    assert malformed.status_code in (400, 415)


def test_expired_uploads_are_gone_and_cleaned_up(gallery: TestClient) -> None:
    token = register(gallery, "alice")
    url = upload_url(create(gallery, token, 20))
    assert patch(gallery, token, url, 0, b"01234").status_code == 204
    with context_of(gallery).sessions() as session:
        session.execute(
            update(TusUpload).values(expires_at=datetime.now(UTC) - timedelta(seconds=1))
        )
        session.commit()

    assert gallery.head(url, headers={**TUS, **bearer(token)}).status_code == 410
    assert patch(gallery, token, url, 5, b"56789").status_code == 410
    # Creating an upload purges expired ones (after answering): row and bytes are gone.
    upload_url(create(gallery, token, 10))
    with context_of(gallery).sessions() as session:
        assert [u.id for u in session.query(TusUpload)] != [Path(url).name]
        assert session.get(TusUpload, Path(url).name) is None
    assert all(not key.startswith(f"tus/{Path(url).name}/") for key in tus_files(gallery))
    assert gallery.head(url, headers={**TUS, **bearer(token)}).status_code == 404


def set_lease(client: TestClient, upload_id: str, holder: str, lasting: timedelta) -> None:
    with context_of(client).sessions() as session:
        session.execute(
            update(TusUpload)
            .where(TusUpload.id == upload_id)
            .values(lease_holder=holder[:32], lease_expires_at=datetime.now(UTC) + lasting)
        )
        session.commit()
