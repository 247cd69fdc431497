"""What only the S3 store does: presigned URLs, browser-style multipart uploads, prefixes, and
clear errors. Every byte goes over HTTP to a real moto server, as a browser's would."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.storage.conftest import SMALL_PART
from videoforge.storage.s3 import S3Store, S3StoreError, UploadedPart, s3_client
from videoforge.testing.aws import CREDENTIALS, MotoServer, unique_name

pytestmark = pytest.mark.slow


def test_presigned_put_then_read_back(s3_store: S3Store) -> None:
    url = s3_store.presign_put("videos/v1/source/clip.mp4", 300, "video/mp4")

    resp = httpx.put(url, content=b"uploaded by the browser", headers={"Content-Type": "video/mp4"})

    assert resp.status_code == 200, resp.text
    with s3_store.open("videos/v1/source/clip.mp4") as stream:
        assert stream.read() == b"uploaded by the browser"
    head = s3_store.client.head_object(Bucket=s3_store.bucket, Key="videos/v1/source/clip.mp4")
    assert head["ContentType"] == "video/mp4"


def test_presigned_get_streams_the_object(s3_store: S3Store) -> None:
    s3_store.put_stream("videos/v1/poster.jpg", [b"\xff\xd8 a picture"])

    resp = httpx.get(s3_store.presign_get("videos/v1/poster.jpg", 300))

    assert resp.status_code == 200
    assert resp.content == b"\xff\xd8 a picture"


def test_presigned_get_with_a_download_name(s3_store: S3Store) -> None:
    s3_store.put_stream("videos/v1/source/clip.mp4", [b"video bytes"])

    url = s3_store.presign_get("videos/v1/source/clip.mp4", 300, filename='Été "2024".mp4')
    resp = httpx.get(url)

    assert resp.status_code == 200
    disposition = resp.headers["content-disposition"]
    assert disposition.startswith('attachment; filename="_t_ _2024_.mp4"')
    assert "filename*=UTF-8''%C3%89t%C3%A9%20%222024%22.mp4" in disposition


def upload_part(store: S3Store, key: str, upload_id: str, number: int, data: bytes) -> str:
    """PUT one part the way a browser does, to its presigned URL; return the part's ETag."""
    resp = httpx.put(store.presign_part(key, upload_id, number, 300), content=data)
    assert resp.status_code == 200, resp.text
    return resp.headers["etag"]


def test_presigned_multipart_upload_resumes_part_by_part(s3_store: S3Store) -> None:
    key = "videos/v2/source/long.mp4"
    first, second = b"a" * SMALL_PART, b"the end"
    upload_id = s3_store.start_multipart(key, "video/mp4")
    etag_1 = upload_part(s3_store, key, upload_id, 1, first)

    # The browser was closed; a new session asks what is already there and sends the rest.
    assert [(p.number, p.size) for p in s3_store.list_parts(key, upload_id)] == [(1, SMALL_PART)]
    etag_2 = upload_part(s3_store, key, upload_id, 2, second)
    assert [p.number for p in s3_store.list_parts(key, upload_id)] == [1, 2]

    done = s3_store.complete_multipart(
        key, upload_id, [UploadedPart(2, etag_2), UploadedPart(1, etag_1)]
    )

    assert done.size == len(first) + len(second)
    with s3_store.open(key) as stream:
        assert stream.read() == first + second


def test_complete_without_etags_joins_the_parts_s3_holds(s3_store: S3Store) -> None:
    key = "videos/v3/source/clip.mp4"
    upload_id = s3_store.start_multipart(key, "video/mp4")
    upload_part(s3_store, key, upload_id, 1, b"only part")

    assert s3_store.complete_multipart(key, upload_id).size == len(b"only part")


def test_aborted_upload_is_gone(s3_store: S3Store) -> None:
    key = "videos/v4/source/clip.mp4"
    upload_id = s3_store.start_multipart(key, "video/mp4")
    upload_part(s3_store, key, upload_id, 1, b"part")

    s3_store.abort_multipart(key, upload_id)

    with pytest.raises(FileNotFoundError):
        s3_store.list_parts(key, upload_id)
    with pytest.raises(FileNotFoundError):
        s3_store.stat(key)


def test_long_streams_go_up_in_parts_and_failures_leave_no_upload(s3_store: S3Store) -> None:
    s3_store.put_stream("videos/v5/big", [b"x" * SMALL_PART] * 2 + [b"tail"])
    assert s3_store.stat("videos/v5/big").etag.endswith("-3")  # S3's mark of a 3-part upload

    def broken() -> Iterator[bytes]:
        yield from [b"y" * SMALL_PART] * 3
        raise OSError("disk read failed")

    with pytest.raises(OSError, match="disk read failed"):
        s3_store.put_stream("videos/v5/other", broken())
    uploads = s3_store.client.list_multipart_uploads(Bucket=s3_store.bucket)
    assert uploads.get("Uploads", []) == []


def test_prefix_keeps_a_store_inside_its_folder(aws: MotoServer, s3_store: S3Store) -> None:
    tenant = S3Store(
        s3_store.bucket, region=aws.region, prefix="/tenant-a/", client=s3_store.client
    )
    s3_store.put_stream("videos/1/poster.jpg", [b"outside"])
    tenant.put_stream("videos/1/poster.jpg", [b"inside"])

    assert [obj.key for obj in tenant.list("videos")] == ["videos/1/poster.jpg"]
    raw = s3_store.client.get_object(Bucket=s3_store.bucket, Key="tenant-a/videos/1/poster.jpg")
    assert raw["Body"].read() == b"inside"
    assert tenant.delete_prefix("videos/1") == 1
    assert s3_store.usage_bytes() == len(b"outside")


def test_a_missing_bucket_is_a_clear_error(aws: MotoServer) -> None:
    client = s3_client(aws.region, aws.endpoint_url, **CREDENTIALS)
    store = S3Store(unique_name("no-such-bucket"), region=aws.region, client=client)

    with pytest.raises(S3StoreError, match="NoSuchBucket"):
        store.put_stream("videos/1/poster.jpg", [b"x"])
    with pytest.raises(S3StoreError, match=r"could not list s3://no-such-bucket-\w+/videos"):
        list(store.list("videos"))
