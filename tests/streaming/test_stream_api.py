"""GET /api/stream/{id}, /qualities and /thumbnail: who may play what, and which URL to play."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.streaming.helpers import (
    RUNGS,
    auth,
    make_user,
    make_video,
    media_playlist,
    owner_other_admin,
    put,
    write_hls,
)
from videoforge.context import Context
from videoforge.streaming.signing import read_media_token

HIDDEN = "No video with this id exists, or it is private."


@pytest.mark.parametrize(
    ("visibility", "viewer", "expected"),
    [
        ("public", None, 200),
        ("public", "other", 200),
        ("public", "owner", 200),
        ("unlisted", None, 200),
        ("unlisted", "other", 200),
        ("unlisted", "owner", 200),
        ("private", None, 404),
        ("private", "other", 404),
        ("private", "owner", 200),
        ("private", "admin", 200),
    ],
)
def test_who_may_play_a_video(
    app_client: TestClient, ctx: Context, visibility: str, viewer: str | None, expected: int
) -> None:
    users = owner_other_admin(ctx)
    video = make_video(ctx, users["owner"], visibility=visibility)
    write_hls(ctx, video.id)
    headers = auth(ctx, users[viewer]) if viewer else {}

    for path in ("", "/qualities", "/thumbnail"):
        resp = app_client.get(f"/api/stream/{video.id}{path}", headers=headers)
        assert resp.status_code == expected, (path, resp.text)
        if expected == 404:
            assert resp.json()["message"] == HIDDEN


def test_unknown_video_is_404(app_client: TestClient) -> None:
    resp = app_client.get("/api/stream/doesnotexist")
    assert resp.status_code == 404
    assert resp.json()["message"] == HIDDEN


def test_stream_info_of_a_ready_video(app_client: TestClient, ctx: Context) -> None:
    video = make_video(ctx, make_user(ctx, "owner"))
    write_hls(ctx, video.id)

    body = app_client.get(f"/api/stream/{video.id}").json()

    assert set(body) == {
        "videoId", "status", "playable", "streamUrl", "masterUrl", "quality", "qualities",
        "expiresIn", "thumbnailUrl", "posterUrl", "duration",
    }  # fmt: skip
    assert body["videoId"] == video.id
    assert body["status"] == "ready"
    assert body["playable"] is True
    assert body["quality"] == "auto"
    assert body["streamUrl"] == body["masterUrl"]
    assert body["masterUrl"].startswith(f"/media/{video.id}/")
    assert body["masterUrl"].endswith("/hls/master.m3u8")
    assert body["thumbnailUrl"].endswith("/thumbnail.jpg")
    assert body["posterUrl"].endswith("/poster.jpg")
    assert body["duration"] == 8.0
    ttl = ctx.settings.media_url_ttl_seconds
    assert ttl - 5 <= body["expiresIn"] <= ttl + 600
    token = body["masterUrl"].split("/")[3]
    assert read_media_token(ctx.tokens.media_secret, video.id, token) is not None
    assert [q["quality"] for q in body["qualities"]] == ["auto", "720p", "480p", "360p"]

    master = app_client.get(body["streamUrl"])
    assert master.status_code == 200
    assert "720p/index.m3u8" in master.text


def test_choosing_a_quality(app_client: TestClient, ctx: Context) -> None:
    video = make_video(ctx, make_user(ctx, "owner"))
    write_hls(ctx, video.id)

    body = app_client.get(f"/api/stream/{video.id}", params={"quality": "480p"}).json()

    assert body["quality"] == "480p"
    assert body["streamUrl"].endswith("/hls/480p/index.m3u8")
    assert body["masterUrl"].endswith("/hls/master.m3u8")
    playlist = app_client.get(body["streamUrl"])
    assert playlist.status_code == 200
    assert "seg_00001.m4s" in playlist.text


def test_4k_is_the_original_clients_name_for_2160p(app_client: TestClient, ctx: Context) -> None:
    uhd = {"name": "2160p", "width": 3840, "height": 2160, "bandwidth": 16_000_000, "fps": 30,
           "playlist": "hls/2160p/index.m3u8"}  # fmt: skip
    video = make_video(ctx, make_user(ctx, "owner"), renditions=[RUNGS[0], uhd])

    body = app_client.get(f"/api/stream/{video.id}", params={"quality": "4k"}).json()

    assert body["quality"] == "2160p"
    assert body["streamUrl"].endswith("/hls/2160p/index.m3u8")
    assert [q["quality"] for q in body["qualities"]] == ["auto", "2160p", "720p"]


def test_unknown_quality_is_400_listing_the_available_ones(
    app_client: TestClient, ctx: Context
) -> None:
    video = make_video(ctx, make_user(ctx, "owner"))

    resp = app_client.get(f"/api/stream/{video.id}", params={"quality": "4k"})

    assert resp.status_code == 400
    assert resp.json()["message"] == "This video has no 4k quality; available: 720p, 480p, 360p"


@pytest.mark.parametrize("status", ["uploaded", "queued", "processing"])
def test_video_without_output_is_not_playable_yet(
    app_client: TestClient, ctx: Context, status: str
) -> None:
    video = make_video(ctx, make_user(ctx, "owner"), status=status)

    resp = app_client.get(f"/api/stream/{video.id}")

    assert resp.status_code == 409
    assert resp.json()["message"] == "This video is still being processed."
    assert resp.json()["error"]["details"] == {"status": status}


def test_failed_video_is_409_with_the_reason(app_client: TestClient, ctx: Context) -> None:
    reason = "This file has no video stream."
    video = make_video(ctx, make_user(ctx, "owner"), status="failed", error=reason)

    resp = app_client.get(f"/api/stream/{video.id}")

    assert resp.status_code == 409
    assert resp.json()["message"] == reason
    assert resp.json()["error"]["details"] == {"status": "failed"}


def test_processing_video_plays_once_every_rung_has_a_segment(
    app_client: TestClient, ctx: Context
) -> None:
    video = make_video(ctx, make_user(ctx, "owner"), status="processing", renditions=[])
    write_hls(ctx, video.id, segments=1, finished=False, pictures=False)
    put(ctx, video.id, "hls/audio/index.m3u8", media_playlist(0, finished=False))

    blocked = app_client.get(f"/api/stream/{video.id}")
    assert blocked.status_code == 409  # the audio rendition has no segment yet
    menu = app_client.get(f"/api/stream/{video.id}/qualities").json()["qualities"]
    assert {q["quality"]: q["available"] for q in menu} == {
        "auto": False, "720p": True, "480p": True, "360p": True,
    }  # fmt: skip

    put(ctx, video.id, "hls/audio/index.m3u8", media_playlist(1, finished=False))
    body = app_client.get(f"/api/stream/{video.id}").json()

    assert body["status"] == "processing"
    assert body["playable"] is True
    # The row lists no renditions yet: they are read from the master playlist.
    assert [q["quality"] for q in body["qualities"]] == ["auto", "720p", "480p", "360p"]
    assert body["thumbnailUrl"] is None
    assert body["posterUrl"] is None
    playlist = app_client.get(body["streamUrl"].replace("master.m3u8", "720p/index.m3u8"))
    assert playlist.text.startswith("#EXTM3U\n#EXT-X-START:TIME-OFFSET=0\n")


def test_playlist_naming_a_missing_segment_is_not_playable(
    app_client: TestClient, ctx: Context
) -> None:
    video = make_video(ctx, make_user(ctx, "owner"), status="processing")
    write_hls(ctx, video.id, segments=1, finished=False)
    ctx.store.delete_prefix(f"videos/{video.id}/hls/360p/seg_00001.m4s")

    assert app_client.get(f"/api/stream/{video.id}").status_code == 409


def test_quality_menu(app_client: TestClient, ctx: Context) -> None:
    video = make_video(ctx, make_user(ctx, "owner"))

    body: dict[str, Any] = app_client.get(f"/api/stream/{video.id}/qualities").json()

    assert body["qualities"][0] == {
        "quality": "auto", "label": "Auto", "resolution": None, "width": None, "height": None,
        "bitrate": None, "fps": None, "available": True,
    }  # fmt: skip
    assert body["qualities"][1] == {
        "quality": "720p", "label": "720p", "resolution": "1280x720", "width": 1280,
        "height": 720, "bitrate": 3040000, "fps": 30, "available": True,
    }  # fmt: skip
    assert [q["quality"] for q in body["qualities"]] == ["auto", "720p", "480p", "360p"]


def test_thumbnail_urls_and_redirect(app_client: TestClient, ctx: Context) -> None:
    video = make_video(ctx, make_user(ctx, "owner"))
    write_hls(ctx, video.id)

    urls = app_client.get(f"/api/stream/{video.id}/thumbnail").json()
    assert set(urls) == {"thumbnailUrl", "posterUrl"}
    assert app_client.get(urls["posterUrl"]).content == b"\xff\xd8\xff\xe0 poster"

    redirect = app_client.get(f"/api/stream/{video.id}/thumbnail.jpg", follow_redirects=False)
    assert redirect.status_code == 307
    assert redirect.headers["location"] == urls["thumbnailUrl"]
    picture = app_client.get(redirect.headers["location"])
    assert picture.headers["content-type"] == "image/jpeg"
    assert picture.content == b"\xff\xd8\xff\xe0 thumbnail"


def test_missing_thumbnail(app_client: TestClient, ctx: Context) -> None:
    video = make_video(ctx, make_user(ctx, "owner"), status="queued")

    urls = app_client.get(f"/api/stream/{video.id}/thumbnail").json()
    assert urls == {"thumbnailUrl": None, "posterUrl": None}
    resp = app_client.get(f"/api/stream/{video.id}/thumbnail.jpg", follow_redirects=False)
    assert resp.status_code == 404
    assert resp.json()["message"] == "This video has no thumbnail yet."
