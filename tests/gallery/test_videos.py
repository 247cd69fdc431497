"""GET/PATCH/PUT/DELETE /api/gallery/videos: who sees what, search, sort, pages, views."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from tests.conftest import bearer, register
from tests.gallery.conftest import add_video, context_of, make_admin, user_id
from videoforge.db import Job, Video

VIDEO_FIELDS = {
    "id", "title", "description", "visibility", "status", "error", "duration", "resolution",
    "width", "height", "videoCodec", "audioCodec", "fileSize", "views", "commentsEnabled",
    "thumbnailUrl",
    "posterUrl", "qualities", "createdAt", "updatedAt", "userId", "owner", "jobId", "canEdit",
    "shareUrl", "previewUrl", "storyboardUrl", "downloadUrl",
}  # fmt: skip


def titles(client: TestClient, token: str | None = None, **params: str | int) -> list[str]:
    resp = client.get("/api/gallery/videos", params=params, headers=bearer(token) if token else {})
    assert resp.status_code == 200, resp.text
    return [video["title"] for video in resp.json()["videos"]]


def seed_visibilities(client: TestClient) -> tuple[str, str, str]:
    """alice owns one video of each visibility; returns tokens of alice, bob and an admin."""
    alice, bob, admin = (register(client, name) for name in ("alice", "bob", "root"))
    make_admin(client, "root")
    alice_id = user_id(client, alice)
    for visibility in ("public", "unlisted", "private"):
        add_video(client, alice_id, title=f"alice {visibility}", visibility=visibility)
    add_video(client, user_id(client, bob), title="bob private", visibility="private")
    return alice, bob, admin


def test_listing_rules_for_each_kind_of_viewer(gallery: TestClient) -> None:
    alice, bob, admin = seed_visibilities(gallery)

    # The public gallery lists public videos only, to everyone; one's own are in My videos.
    assert titles(gallery) == ["alice public"]
    assert titles(gallery, bob) == ["alice public"]
    assert titles(gallery, alice) == ["alice public"]
    assert titles(gallery, admin) == ["alice public"]
    assert sorted(titles(gallery, alice, mine="true")) == [
        "alice private", "alice public", "alice unlisted"
    ]  # fmt: skip

    assert titles(gallery, bob, visibility="private") == ["bob private"]
    assert titles(gallery, admin, visibility="private") == []  # only the caller's own
    assert titles(gallery, visibility="private") == []
    assert titles(gallery, bob, visibility="unlisted") == []
    assert titles(gallery, alice, visibility="unlisted") == ["alice unlisted"]
    assert titles(gallery, bob, mine="true") == ["bob private"]
    assert titles(gallery, bob, visibility="") == sorted(titles(gallery, bob), reverse=True)


def test_a_disabled_owners_videos_are_listed_to_no_one(gallery: TestClient) -> None:
    alice, bob, admin = seed_visibilities(gallery)
    path = f"/api/admin/users/{user_id(gallery, alice)}"
    resp = gallery.patch(path, json={"disabled": True}, headers=bearer(admin))
    assert resp.status_code == 200, resp.text

    # Their videos play for no one (their media links answer 404), so no list shows them.
    assert titles(gallery) == []
    assert titles(gallery, bob, mine="true") == ["bob private"]
    assert titles(gallery, admin, visibility="unlisted") == []
    assert titles(gallery, q="alice") == []


def test_mine_needs_sign_in(gallery: TestClient) -> None:
    resp = gallery.get("/api/gallery/videos", params={"mine": "true"})
    assert resp.status_code == 401
    assert resp.json()["message"]


def test_video_json_shape_and_urls(gallery: TestClient) -> None:
    token = register(gallery, "alice")
    renditions = [{"name": "720p", "width": 1280, "height": 720}, {"name": "360p"}]
    ready = add_video(
        gallery, user_id(gallery, token), width=1280, height=720, renditions=renditions
    )
    add_video(gallery, user_id(gallery, token), title="busy", status="processing")

    videos = gallery.get("/api/gallery/videos", headers=bearer(token)).json()["videos"]
    by_id = {video["id"]: video for video in videos}
    video = by_id[ready]
    assert set(video) == VIDEO_FIELDS
    assert video["resolution"] == "1280x720"
    assert video["qualities"] == ["720p", "360p"]
    assert video["thumbnailUrl"].startswith(f"/media/{ready}/")
    assert video["thumbnailUrl"].endswith("/thumbnail.jpg")
    assert video["posterUrl"].endswith("/poster.jpg")
    token_path = video["thumbnailUrl"].rsplit("/", 1)[0]  # one signed path for all its files
    assert video["previewUrl"] == f"{token_path}/preview.webp"
    assert video["storyboardUrl"] == f"{token_path}/storyboard.vtt"
    assert video["downloadUrl"] == f"/api/stream/{ready}/download"
    assert video["owner"] == "alice"
    assert video["canEdit"] is True
    assert video["shareUrl"] == f"/watch/{ready}"
    assert video["createdAt"].endswith(("Z", "+00:00"))
    busy = next(v for v in videos if v["title"] == "busy")
    assert busy["thumbnailUrl"] is None and busy["resolution"] is None
    assert busy["previewUrl"] is busy["storyboardUrl"] is busy["downloadUrl"] is None

    anonymous = gallery.get("/api/gallery/videos").json()["videos"]
    assert all(v["canEdit"] is False for v in anonymous)


def test_search_sort_and_pages(gallery: TestClient) -> None:
    token = register(gallery, "alice")
    owner = user_id(gallery, token)
    add_video(gallery, owner, title="Cat video", duration=30.0, views=5)
    add_video(gallery, owner, title="dog video", description="a CAT appears", duration=90.0)
    add_video(gallery, owner, title="Bird", duration=10.0, views=9)
    add_video(gallery, owner, title="100% _fun_", duration=None)

    assert sorted(titles(gallery, search="cat")) == ["Cat video", "dog video"]
    assert titles(gallery, search="100%") == ["100% _fun_"]
    assert titles(gallery, search="0_") == []  # wildcards are taken literally
    assert titles(gallery, sort="title") == ["100% _fun_", "Bird", "Cat video", "dog video"]
    assert titles(gallery, sort="views")[:2] == ["Bird", "Cat video"]
    assert titles(gallery, sort="duration") == ["dog video", "Cat video", "Bird", "100% _fun_"]
    assert titles(gallery, sort="oldest") == list(reversed(titles(gallery, sort="newest")))

    page = gallery.get("/api/gallery/videos", params={"page": 2, "limit": 3}).json()
    assert page["pagination"] == {"total": 4, "page": 2, "limit": 3, "totalPages": 2}
    assert len(page["videos"]) == 1


def test_bad_query_values_are_422_with_a_message(gallery: TestClient) -> None:
    for params in ({"limit": 0}, {"limit": 101}, {"page": 0}, {"sort": "random"}):
        resp = gallery.get("/api/gallery/videos", params=params)
        assert resp.status_code == 422, params
        assert resp.json()["message"].startswith("Invalid request")


def test_get_counts_views_of_others_only(gallery: TestClient) -> None:
    alice, bob = register(gallery, "alice"), register(gallery, "bob")
    video_id = add_video(gallery, user_id(gallery, alice))
    url = f"/api/gallery/videos/{video_id}"

    assert gallery.get(url, headers=bearer(alice)).json()["views"] == 0
    assert gallery.get(url, headers=bearer(bob)).json()["views"] == 1
    assert gallery.get(url).json()["views"] == 2


def test_private_and_unknown_are_404_unlisted_opens_by_id(gallery: TestClient) -> None:
    alice, bob = register(gallery, "alice"), register(gallery, "bob")
    private = add_video(gallery, user_id(gallery, alice), visibility="private")
    unlisted = add_video(gallery, user_id(gallery, alice), visibility="unlisted")

    for token in (bob, None):
        resp = gallery.get(f"/api/gallery/videos/{private}", headers=bearer(token) if token else {})
        assert resp.status_code == 404
        assert resp.json()["message"] == "No video with this id exists, or it is private."
    assert gallery.get(f"/api/gallery/videos/{private}", headers=bearer(alice)).status_code == 200
    assert gallery.get(f"/api/gallery/videos/{unlisted}").status_code == 200
    assert gallery.get("/api/gallery/videos/nope").status_code == 404


def test_owner_and_admin_change_others_cannot(gallery: TestClient) -> None:
    alice, bob, admin = (register(gallery, name) for name in ("alice", "bob", "root"))
    make_admin(gallery, "root")
    video_id = add_video(gallery, user_id(gallery, alice))
    url = f"/api/gallery/videos/{video_id}"

    resp = gallery.patch(
        url, json={"title": "  New title ", "visibility": "unlisted"}, headers=bearer(alice)
    )
    assert resp.status_code == 200, resp.text
    assert (resp.json()["title"], resp.json()["visibility"]) == ("New title", "unlisted")
    resp = gallery.put(url, json={"description": "from PUT"}, headers=bearer(admin))
    assert resp.status_code == 200
    assert resp.json()["description"] == "from PUT" and resp.json()["title"] == "New title"

    assert gallery.patch(url, json={"title": "mine"}, headers=bearer(bob)).status_code == 403
    assert gallery.patch(url, json={"title": "x"}).status_code == 401
    private = add_video(gallery, user_id(gallery, alice), visibility="private")
    resp = gallery.patch(f"/api/gallery/videos/{private}", json={"title": "x"}, headers=bearer(bob))
    assert resp.status_code == 404


def test_update_validation(gallery: TestClient) -> None:
    alice = register(gallery, "alice")
    url = f"/api/gallery/videos/{add_video(gallery, user_id(gallery, alice))}"
    for body in (
        {"title": ""},
        {"title": "x" * 201},
        {"description": "x" * 5001},
        {"visibility": "friends"},
    ):
        resp = gallery.patch(url, json=body, headers=bearer(alice))
        assert resp.status_code == 422, body
        assert next(iter(body)) in resp.json()["message"]


def test_delete_removes_files_and_rows(gallery: TestClient) -> None:
    alice, bob = register(gallery, "alice"), register(gallery, "bob")
    ctx = context_of(gallery)
    video_id = add_video(gallery, user_id(gallery, alice), status="processing")
    with ctx.sessions() as session:
        session.add(Job(video_id=video_id, user_id=user_id(gallery, alice), status="processing"))
        session.commit()
    for key in ("source/a.mp4", "hls/master.m3u8", "thumbnail.jpg"):
        ctx.store.put_stream(f"videos/{video_id}/{key}", [b"data"])
    other = add_video(gallery, user_id(gallery, bob))
    ctx.store.put_stream(f"videos/{other}/thumbnail.jpg", [b"keep"])
    url = f"/api/gallery/videos/{video_id}"

    assert gallery.delete(url, headers=bearer(bob)).status_code == 403
    resp = gallery.delete(url, headers=bearer(alice))
    assert resp.status_code == 204

    assert list(ctx.store.list(f"videos/{video_id}")) == []
    assert [o.key for o in ctx.store.list("videos")] == [f"videos/{other}/thumbnail.jpg"]
    with ctx.sessions() as session:
        assert session.get(Video, video_id) is None
        assert session.scalar(select(func.count()).select_from(Job)) == 0
    assert gallery.delete(url, headers=bearer(alice)).status_code == 404
