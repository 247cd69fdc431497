"""oEmbed for public videos, its discovery link on the watch page, and who may frame which page."""

from __future__ import annotations

import html
import re
from urllib.parse import parse_qs, urlsplit
from xml.etree import ElementTree

import pytest
from fastapi.testclient import TestClient

from tests.gallery.conftest import context_of
from tests.streaming.helpers import make_user, make_video
from videoforge.context import Context
from videoforge.db import Video

SITE = "http://testserver"


@pytest.fixture
def ctx(client: TestClient) -> Context:
    return context_of(client)


def oembed(client: TestClient, url: str, **params: str) -> tuple[int, dict[str, object]]:
    resp = client.get("/api/gallery/oembed", params={"url": url, **params})
    return resp.status_code, resp.json()


def sized(ctx: Context, video_id: str, width: int, height: int) -> None:
    with ctx.sessions() as db:
        video = db.get(Video, video_id)
        assert video is not None
        video.width, video.height = width, height
        db.commit()


def test_public_video(client: TestClient, ctx: Context) -> None:
    video = make_video(ctx, make_user(ctx, "alice"))
    sized(ctx, video.id, 1280, 720)
    status, body = oembed(client, f"{SITE}/watch/{video.id}", format="json")
    assert status == 200
    assert body["version"] == "1.0" and body["type"] == "video"
    assert (body["title"], body["author_name"]) == ("A test video", "alice")
    assert (body["width"], body["height"]) == (640, 360)
    assert body["thumbnail_url"] == f"{SITE}/api/stream/{video.id}/thumbnail.jpg"
    assert (body["thumbnail_width"], body["thumbnail_height"]) == (320, 180)
    frame = str(body["html"])
    assert f'src="{SITE}/embed/{video.id}"' in frame and 'width="640" height="360"' in frame

    status, body = oembed(client, f"{SITE}/embed/{video.id}", maxwidth="400", maxheight="150")
    assert (body["width"], body["height"]) == (267, 150)
    status, body = oembed(client, f"{SITE}/watch/{video.id}", maxwidth="320")
    assert (body["width"], body["height"]) == (320, 180)


@pytest.mark.parametrize("visibility", ["unlisted", "private"])
def test_only_public_videos(client: TestClient, ctx: Context, visibility: str) -> None:
    video = make_video(ctx, make_user(ctx, "alice"), visibility=visibility)
    assert oembed(client, f"{SITE}/watch/{video.id}")[0] == 404


def test_unknown_addresses_and_formats(client: TestClient, ctx: Context) -> None:
    video = make_video(ctx, make_user(ctx, "alice"))
    assert oembed(client, f"{SITE}/watch/nothing")[0] == 404
    assert oembed(client, f"https://elsewhere.example/watch/{video.id}")[0] == 404
    assert oembed(client, f"{SITE}/upload")[0] == 404
    status, body = oembed(client, f"{SITE}/watch/{video.id}", format="yaml")
    assert status == 422 and "json" in str(body["message"])


def test_the_xml_form_holds_the_same_fields(client: TestClient, ctx: Context) -> None:
    video = make_video(ctx, make_user(ctx, "alice"))
    address = f"{SITE}/watch/{video.id}"
    answer = oembed(client, address)[1]
    resp = client.get("/api/gallery/oembed", params={"url": address, "format": "xml"})
    assert resp.status_code == 200 and resp.headers["content-type"].startswith("text/xml")
    root = ElementTree.fromstring(resp.content)
    assert root.tag == "oembed"
    assert {child.tag: child.text for child in root} == {k: str(v) for k, v in answer.items()}


def test_watch_page_names_the_oembed_answer(client: TestClient, ctx: Context) -> None:
    public = make_video(ctx, make_user(ctx, "alice"))
    private = make_video(ctx, make_user(ctx, "bob"), visibility="private")
    page = client.get(f"/watch/{public.id}").text
    link = re.search(r'<link rel="alternate" type="application/json\+oembed" href="([^"]+)"', page)
    assert link is not None
    href = urlsplit(html.unescape(link[1]))
    assert parse_qs(href.query)["url"] == [f"{SITE}/watch/{public.id}"]
    assert client.get(f"{href.path}?{href.query}").json()["title"] == "A test video"
    assert "oembed" not in client.get(f"/watch/{private.id}").text
    assert "oembed" not in client.get("/watch/nothing").text


def test_only_embed_pages_may_be_framed_by_others(client: TestClient) -> None:
    embed = client.get("/embed/abc")
    assert embed.status_code == 200
    assert embed.headers["content-security-policy"] == "frame-ancestors *"
    assert "x-frame-options" not in embed.headers
    for path in ("/", "/watch/abc", "/upload", "/nowhere"):
        resp = client.get(path)
        assert resp.headers["x-frame-options"] == "SAMEORIGIN"
        assert resp.headers["content-security-policy"] == "frame-ancestors 'self'"
