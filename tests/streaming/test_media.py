"""GET /media/{video_id}/{token}/{path}: signed access to one stored file of a video."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.streaming.helpers import (
    SEGMENT_BYTES,
    make_user,
    make_video,
    media_path,
    media_playlist,
    put,
    write_hls,
)
from videoforge.context import Context
from videoforge.storage import LocalStore

INVALID_LINK = "This link has expired or is not valid for this video."


@pytest.fixture
def video_id(ctx: Context) -> str:
    video = make_video(ctx, make_user(ctx, "owner"))
    write_hls(ctx, video.id)
    return video.id


@pytest.mark.parametrize(
    ("path", "content_type", "cache"),
    [
        ("hls/720p/seg_00001.m4s", "video/iso.segment", "private, max-age=3600"),
        ("hls/720p/init.mp4", "video/mp4", "private, max-age=3600"),
        ("thumbnail.jpg", "image/jpeg", "private, max-age=3600"),
        ("storyboard.webp", "image/webp", "private, max-age=3600"),
        ("captions/en.vtt", "text/vtt; charset=utf-8", "private, max-age=3600"),
        ("legacy/seg_00001.ts", "video/mp2t", "private, max-age=3600"),
        ("hls/master.m3u8", "application/vnd.apple.mpegurl", "no-cache"),
        ("hls/720p/index.m3u8", "application/vnd.apple.mpegurl", "private, max-age=60"),
    ],
)
def test_serves_stored_files_with_type_and_cache_headers(
    app_client: TestClient, ctx: Context, video_id: str, path: str, content_type: str, cache: str
) -> None:
    if not path.startswith(("hls/", "thumbnail")):
        put(ctx, video_id, path, b"some bytes")

    resp = app_client.get(media_path(ctx, video_id, path))

    assert resp.status_code == 200, resp.text
    assert resp.headers["content-type"] == content_type
    assert resp.headers["cache-control"] == cache
    assert resp.headers["access-control-allow-origin"] == "*"
    assert resp.headers["etag"]
    with ctx.store.open(f"videos/{video_id}/{path}") as stored:
        assert resp.content == stored.read()


def test_range_request_gets_206_and_those_bytes(
    app_client: TestClient, ctx: Context, video_id: str
) -> None:
    url = media_path(ctx, video_id, "hls/720p/seg_00002.m4s")

    whole = app_client.get(url)
    part = app_client.get(url, headers={"Range": "bytes=100-199"})

    assert whole.headers["accept-ranges"] == "bytes"
    assert part.status_code == 206
    assert part.content == SEGMENT_BYTES[100:200]
    assert part.headers["content-range"] == f"bytes 100-199/{len(SEGMENT_BYTES)}"


@pytest.mark.parametrize("path", ["hls/720p/seg_00001.m4s", "hls/720p/index.m3u8"])
def test_etag_revalidation_gets_304(
    app_client: TestClient, ctx: Context, video_id: str, path: str
) -> None:
    url = media_path(ctx, video_id, path)
    etag = app_client.get(url).headers["etag"]

    assert app_client.get(url, headers={"If-None-Match": etag}).status_code == 304
    assert app_client.get(url, headers={"If-None-Match": f"W/{etag}"}).status_code == 304
    assert app_client.get(url, headers={"If-None-Match": '"other"'}).status_code == 200


def test_expired_link_is_403(app_client: TestClient, ctx: Context, video_id: str) -> None:
    url = media_path(ctx, video_id, "hls/master.m3u8", ttl=60, now=time.time() - 7200)

    resp = app_client.get(url)

    assert resp.status_code == 403
    assert resp.json()["message"] == INVALID_LINK
    # CORS on errors too, so a player on another origin can see why.
    assert resp.headers["access-control-allow-origin"] == "*"


@pytest.mark.parametrize("token", ["garbage", "123.abc", "99999999999.", "٣٣٣.x", "é.é"])
def test_malformed_token_is_403(
    app_client: TestClient, ctx: Context, video_id: str, token: str
) -> None:
    resp = app_client.get(f"/media/{video_id}/{token}/hls/master.m3u8")
    assert resp.status_code == 403
    assert resp.json()["message"] == INVALID_LINK


def test_token_of_another_video_is_403(app_client: TestClient, ctx: Context, video_id: str) -> None:
    other = make_video(ctx, make_user(ctx, "someone"))
    write_hls(ctx, other.id)
    own_token = media_path(ctx, video_id, "x").split("/")[3]

    resp = app_client.get(f"/media/{other.id}/{own_token}/hls/master.m3u8")

    assert resp.status_code == 403
    assert resp.json()["message"] == INVALID_LINK


@pytest.mark.parametrize(
    "path",
    [
        "hls/..%2F..%2F..%2Fvideoforge.db",
        "%2e%2e/%2e%2e/videoforge.db",
        "hls/%2E%2E/%2E%2E/%2E%2E/%2E%2E/etc/passwd",
        "..%2Fother-video%2Fthumbnail.jpg",
        "source/upload.mp4",
        "Source/upload.mp4",
        "hls//master.m3u8",
        "hls/%2e/master.m3u8",
        "%2Fetc%2Fpasswd",
    ],
)
def test_paths_outside_the_served_files_are_404(
    app_client: TestClient, ctx: Context, video_id: str, path: str
) -> None:
    token = media_path(ctx, video_id, "x").split("/")[3]

    resp = app_client.get(f"/media/{video_id}/{token}/{path}")

    assert resp.status_code == 404
    assert resp.json()["message"] == "This video has no such file."


def test_event_playlist_being_written_starts_at_the_beginning(
    app_client: TestClient, ctx: Context, video_id: str
) -> None:
    put(ctx, video_id, "hls/480p/index.m3u8", media_playlist(3, finished=False))

    resp = app_client.get(media_path(ctx, video_id, "hls/480p/index.m3u8"))

    assert resp.headers["cache-control"] == "no-cache"
    lines = resp.text.splitlines()
    assert lines[:2] == ["#EXTM3U", "#EXT-X-START:TIME-OFFSET=0"]
    assert lines[2:] == media_playlist(3, finished=False).splitlines()[1:]


def test_finished_playlist_is_passed_through_unchanged(
    app_client: TestClient, ctx: Context, video_id: str
) -> None:
    resp = app_client.get(media_path(ctx, video_id, "hls/480p/index.m3u8"))

    assert resp.text == media_playlist(2, finished=True)
    assert "#EXT-X-START" not in resp.text


def test_deleted_files_are_404(app_client: TestClient, ctx: Context, video_id: str) -> None:
    url = media_path(ctx, video_id, "hls/720p/seg_00001.m4s")
    playlist_url = media_path(ctx, video_id, "hls/720p/index.m3u8")
    assert app_client.get(url).status_code == 200

    ctx.store.delete_prefix(f"videos/{video_id}/")

    assert app_client.get(url).status_code == 404
    assert app_client.get(playlist_url).status_code == 404


def test_folders_and_missing_files_are_404(
    app_client: TestClient, ctx: Context, video_id: str
) -> None:
    for path in ("hls", "hls/720p", "hls/1080p/index.m3u8", "thumbnail.jpg/x"):
        assert app_client.get(media_path(ctx, video_id, path)).status_code == 404, path


def test_head_and_cors_preflight(app_client: TestClient, ctx: Context, video_id: str) -> None:
    url = media_path(ctx, video_id, "hls/720p/seg_00001.m4s")

    head = app_client.head(url)
    preflight = app_client.options(
        url, headers={"Origin": "https://elsewhere.example", "Access-Control-Request-Method": "GET"}
    )

    assert head.status_code == 200
    assert head.headers["content-length"] == str(len(SEGMENT_BYTES))
    assert preflight.status_code == 204
    assert preflight.headers["access-control-allow-origin"] == "*"
    assert "Range" in preflight.headers["access-control-allow-headers"]


class _RemoteLikeStore(LocalStore):
    """A store without local files, as S3 will be."""

    def local_path(self, key: str) -> Path | None:
        return None


def test_stores_without_local_files_are_streamed(
    app_client: TestClient, ctx: Context, video_id: str
) -> None:
    assert isinstance(ctx.store, LocalStore)
    ctx.store = _RemoteLikeStore(ctx.store.root)
    url = media_path(ctx, video_id, "hls/720p/seg_00001.m4s")

    resp = app_client.get(url)

    assert resp.status_code == 200
    assert resp.content == SEGMENT_BYTES
    assert resp.headers["content-type"] == "video/iso.segment"
    assert resp.headers["cache-control"] == "private, max-age=3600"
    assert app_client.get(url, headers={"If-None-Match": resp.headers["etag"]}).status_code == 304
    missing = media_path(ctx, video_id, "hls/720p/seg_00009.m4s")
    assert app_client.get(missing).status_code == 404
