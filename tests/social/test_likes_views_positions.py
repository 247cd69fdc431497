"""Likes (one per account, idempotent), views (once per viewer per window) and resume
positions, each behind the video's access rule."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import func, select, update

from tests.conftest import bearer, register
from tests.gallery.conftest import add_video, context_of, user_id
from videoforge.db import VideoView, utcnow
from videoforge.gallery.views import VIEW_WINDOW


def test_likes_are_one_per_account_and_idempotent(client: TestClient) -> None:
    alice, bob = register(client, "alice"), register(client, "bob")
    video = add_video(client, user_id(client, alice))
    like = f"/api/gallery/videos/{video}/like"
    likes = f"/api/gallery/videos/{video}/likes"

    assert client.get(likes).json() == {"likes": 0, "liked": False}
    assert client.put(like, headers=bearer(bob)).json() == {"likes": 1, "liked": True}
    assert client.put(like, headers=bearer(bob)).json() == {"likes": 1, "liked": True}
    assert client.put(like, headers=bearer(alice)).json()["likes"] == 2
    assert client.get(likes, headers=bearer(bob)).json() == {"likes": 2, "liked": True}
    assert client.delete(like, headers=bearer(bob)).json() == {"likes": 1, "liked": False}
    assert client.delete(like, headers=bearer(bob)).json() == {"likes": 1, "liked": False}
    assert client.put(like).status_code == 401


def test_a_private_videos_likes_are_404_to_others(client: TestClient) -> None:
    alice, bob = register(client, "alice"), register(client, "bob")
    private = add_video(client, user_id(client, alice), visibility="private")
    for method, path in (("GET", "likes"), ("PUT", "like"), ("DELETE", "like")):
        url = f"/api/gallery/videos/{private}/{path}"
        assert client.request(method, url, headers=bearer(bob)).status_code == 404
    assert client.get(f"/api/gallery/videos/{private}/likes").status_code == 404
    assert (
        client.put(f"/api/gallery/videos/{private}/like", headers=bearer(alice)).json()["likes"]
        == 1
    )


def views_of(client: TestClient, video: str, token: str | None = None, agent: str = "A") -> int:
    headers = {"User-Agent": agent, **(bearer(token) if token else {})}
    resp = client.get(f"/api/gallery/videos/{video}", headers=headers)
    assert resp.status_code == 200, resp.text
    views: int = resp.json()["views"]
    return views


def test_a_view_counts_once_per_viewer_within_the_window(client: TestClient) -> None:
    alice, bob = register(client, "alice"), register(client, "bob")
    video = add_video(client, user_id(client, alice))

    assert views_of(client, video, bob) == 1
    assert views_of(client, video, bob) == 1  # a reload is the same view
    assert views_of(client, video) == 2  # signed out: another viewer
    assert views_of(client, video) == 2
    assert views_of(client, video, agent="B") == 3  # another browser at the same address
    assert views_of(client, video, alice) == 3  # the owner counts no views

    with context_of(client).sessions() as session:
        viewers = session.scalars(select(VideoView.viewer)).all()
        assert all(v.startswith(("user:", "anon:")) for v in viewers)
        assert not any("testclient" in v for v in viewers)  # no raw address
        # The window passes: the next visit counts again, and the old records are deleted.
        past = utcnow() - VIEW_WINDOW - timedelta(minutes=1)
        session.execute(update(VideoView).values(created_at=past))
        session.commit()
    assert views_of(client, video, bob) == 4
    with context_of(client).sessions() as session:
        assert session.scalar(select(func.count()).select_from(VideoView)) == 1


def test_resume_position_per_account(client: TestClient) -> None:
    alice, bob = register(client, "alice"), register(client, "bob")
    video = add_video(client, user_id(client, alice))
    url = f"/api/gallery/videos/{video}/position"

    assert client.get(url, headers=bearer(bob)).json() == {"seconds": None}
    assert client.put(url, json={"seconds": 12.5}, headers=bearer(bob)).status_code == 200
    assert client.put(url, json={"seconds": 42}, headers=bearer(bob)).status_code == 200
    assert client.get(url, headers=bearer(bob)).json() == {"seconds": 42}
    assert client.get(url, headers=bearer(alice)).json() == {"seconds": None}
    assert client.put(url, json={"seconds": -1}, headers=bearer(bob)).status_code == 422
    assert client.delete(url, headers=bearer(bob)).status_code == 204
    assert client.get(url, headers=bearer(bob)).json() == {"seconds": None}
    assert client.get(url).status_code == 401

    private = add_video(client, user_id(client, alice), visibility="private")
    hidden = f"/api/gallery/videos/{private}/position"
    assert client.put(hidden, json={"seconds": 1}, headers=bearer(bob)).status_code == 404
    assert client.get(hidden, headers=bearer(bob)).status_code == 404
