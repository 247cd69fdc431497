"""/api/gallery/videos/{id}/captions, and the tracks as HLS subtitle renditions of the master
playlist the streaming role serves."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.gallery.conftest import context_of
from tests.streaming.helpers import (
    auth,
    make_user,
    make_video,
    media_path,
    owner_other_admin,
    write_hls,
)
from videoforge.context import Context
from videoforge.db import User
from videoforge.media import hls
from videoforge.storage.layout import MASTER_PATH

SRT = b"1\n00:00:00,000 --> 00:00:01,500\nHello captions\n"
VTT = b"WEBVTT\n\n00:00.500 --> 00:02.000\nBonjour\n"


def add(
    client: TestClient,
    ctx: Context,
    user: User | None,
    video_id: str,
    content: bytes = SRT,
    filename: str = "subs.srt",
    **form: str,
) -> tuple[int, dict[str, Any]]:
    resp = client.post(
        f"/api/gallery/videos/{video_id}/captions",
        headers=auth(ctx, user) if user else {},
        files={"file": (filename, content, "application/octet-stream")},
        data={"language": "en", "label": "English", **form},
    )
    return resp.status_code, resp.json() if resp.content else {}


@pytest.fixture
def ctx(client: TestClient) -> Context:
    return context_of(client)


def test_add_list_replace_delete(client: TestClient, ctx: Context) -> None:
    owner = make_user(ctx, "owner")
    video = make_video(ctx, owner)
    status, caption = add(client, ctx, owner, video.id)
    assert status == 201, caption
    assert (caption["language"], caption["label"]) == ("en", "English")
    vtt = client.get(caption["url"])
    assert vtt.status_code == 200 and vtt.headers["content-type"].startswith("text/vtt")
    assert vtt.text == "WEBVTT\n\n1\n00:00:00.000 --> 00:00:01.500\nHello captions\n"

    status, french = add(client, ctx, owner, video.id, VTT, "fr.vtt", language="FR", label="")
    assert status == 201 and (french["language"], french["label"]) == ("fr", "fr")
    listed = client.get(f"/api/gallery/videos/{video.id}/captions").json()
    assert [c["language"] for c in listed] == ["en", "fr"]

    # Same language again: replaced, at a new address; the old file is gone from the store.
    status, again = add(client, ctx, owner, video.id, VTT, "en.vtt", label="English (new)")
    assert status == 201 and again["url"] != caption["url"]
    assert client.get(caption["url"]).status_code == 404
    listed = client.get(f"/api/gallery/videos/{video.id}/captions").json()
    assert [(c["language"], c["label"]) for c in listed] == [("en", "English (new)"), ("fr", "fr")]

    resp = client.delete(f"/api/gallery/videos/{video.id}/captions/fr", headers=auth(ctx, owner))
    assert resp.status_code == 204
    assert client.get(french["url"]).status_code == 404
    resp = client.delete(f"/api/gallery/videos/{video.id}/captions/fr", headers=auth(ctx, owner))
    assert resp.status_code == 404


def test_bad_files_are_refused_saying_where(client: TestClient, ctx: Context) -> None:
    owner = make_user(ctx, "owner")
    video = make_video(ctx, owner)
    bad = b"1\n00:00:01,000 --> 00:00:02,000\nfine\n\n2\n00:00:03 --> 00:00:04\n"
    status, body = add(client, ctx, owner, video.id, bad)
    assert status == 400
    assert body["error"]["code"] == "invalid_captions"
    assert body["error"]["details"] == {"line": 6}
    assert "Line 6: expected a timing such as 00:00:01,000 --> 00:00:04,000" in body["message"]

    status, body = add(client, ctx, owner, video.id, language="not a language")
    assert status == 400 and "not a language tag" in body["message"]
    status, body = add(client, ctx, owner, video.id, b"WEBVTT\n\n" + b"x" * (2 * 1024 * 1024))
    assert status == 413
    status, body = add(client, ctx, owner, video.id, label="two\nlines")
    assert status == 422
    assert client.get(f"/api/gallery/videos/{video.id}/captions").json() == []


@pytest.mark.parametrize(
    ("visibility", "viewer", "sees", "changes"),
    [
        ("public", None, 200, 401),
        ("public", "other", 200, 403),
        ("unlisted", "other", 200, 403),
        ("private", None, 404, 401),
        ("private", "other", 404, 404),
        ("private", "owner", 200, 201),
        ("private", "admin", 200, 201),
    ],
)
def test_access(
    client: TestClient, ctx: Context, visibility: str, viewer: str | None, sees: int, changes: int
) -> None:
    users = owner_other_admin(ctx)
    video = make_video(ctx, users["owner"], visibility=visibility)
    assert add(client, ctx, users["owner"], video.id)[0] == 201
    user = users[viewer] if viewer else None
    headers = auth(ctx, user) if user else {}
    resp = client.get(f"/api/gallery/videos/{video.id}/captions", headers=headers)
    assert resp.status_code == sees
    assert add(client, ctx, user, video.id, language="de")[0] == changes
    resp = client.delete(f"/api/gallery/videos/{video.id}/captions/en", headers=headers)
    assert resp.status_code == (204 if changes == 201 else changes)


def _served(client: TestClient, url: str) -> str:
    resp = client.get(url)
    assert resp.status_code == 200, resp.text
    return resp.text


def test_master_playlist_names_the_tracks(client: TestClient, ctx: Context) -> None:
    owner = make_user(ctx, "owner")
    video = make_video(ctx, owner, visibility="private")
    write_hls(ctx, video.id)
    stream = client.get(f"/api/stream/{video.id}", headers=auth(ctx, owner)).json()
    before = _served(client, stream["masterUrl"])
    assert "SUBTITLES" not in before

    add(client, ctx, owner, video.id)
    add(client, ctx, owner, video.id, VTT, "fr.vtt", language="fr", label='Fran"çais')
    master_url = stream["masterUrl"]
    served = _served(client, master_url)
    media = [line for line in hls.lines(served) if line.startswith("#EXT-X-MEDIA:TYPE=SUBTITLES")]
    assert len(media) == 2
    english = hls.attributes(media[0])
    assert english["GROUP-ID"] == "subs" and english["LANGUAGE"] == "en"
    assert english["NAME"] == "English"
    assert hls.attributes(media[1])["NAME"] == "Fran'çais"
    variants = [line for line in hls.lines(served) if line.startswith("#EXT-X-STREAM-INF")]
    assert variants and all(hls.attributes(v)["SUBTITLES"] == "subs" for v in variants)
    assert len(hls.parse_master(served).variants) == len(hls.parse_master(before).variants)

    # The subtitle playlist resolves under the master's signed path: one segment, the whole video.
    playlist_url = hls.resolve(master_url, english["URI"])
    playlist = _served(client, playlist_url)
    assert "#EXT-X-TARGETDURATION:8" in hls.lines(playlist)  # the video lasts 8 s
    assert "#EXTINF:8.000," in hls.lines(playlist) and hls.is_finished(playlist)
    vtt_url = hls.resolve(playlist_url, hls.first_segment_uri(playlist) or "")
    assert "Hello captions" in _served(client, vtt_url)

    # Private: nobody else gets a link, and a forged or other video's token is refused.
    assert client.get(f"/api/stream/{video.id}").status_code == 404
    other = make_video(ctx, owner)
    forged = playlist_url.replace(f"/media/{video.id}/", f"/media/{other.id}/")
    assert client.get(forged).status_code == 403
    relative = playlist_url.split("/", 4)[4]
    assert client.get(media_path(ctx, video.id, relative, ttl=-100)).status_code == 403
    assert client.get(media_path(ctx, video.id, "captions/nothere.m3u8")).status_code == 404
    assert client.get(media_path(ctx, other.id, relative)).status_code == 404


def test_stored_master_is_untouched(client: TestClient, ctx: Context) -> None:
    owner = make_user(ctx, "owner")
    video = make_video(ctx, owner)
    write_hls(ctx, video.id)
    add(client, ctx, owner, video.id)
    with ctx.store.open(f"videos/{video.id}/{MASTER_PATH}") as stored:
        assert b"SUBTITLES" not in stored.read()
