"""Comments: threading one level deep, edit/delete rights, comments off, rate limit, and the
access matrix (a private video's comments are 404 to others, as the video is)."""

from __future__ import annotations

from fastapi.testclient import TestClient
from httpx import Response

from tests.conftest import bearer, register
from tests.gallery.conftest import add_video, make_admin, user_id
from videoforge.social.comments import COMMENTS_PER_WINDOW


def comments_url(video_id: str) -> str:
    return f"/api/gallery/videos/{video_id}/comments"


def post(
    client: TestClient, token: str, video_id: str, body: str, parent: str | None = None
) -> Response:
    return client.post(
        comments_url(video_id), json={"body": body, "parentId": parent}, headers=bearer(token)
    )


def test_threads_are_one_level_deep_newest_first(client: TestClient) -> None:
    alice, bob = register(client, "alice"), register(client, "bob")
    video = add_video(client, user_id(client, alice))
    first = post(client, bob, video, "first!").json()
    second = post(client, alice, video, "see https://example.com/x.").json()
    reply = post(client, alice, video, "thanks", parent=first["id"])
    assert reply.status_code == 201, reply.text
    assert reply.json()["parentId"] == first["id"]

    too_deep = post(client, bob, video, "deeper", parent=reply.json()["id"])
    assert too_deep.status_code == 400
    assert "one level deep" in too_deep.json()["message"]
    other_video = add_video(client, user_id(client, alice))
    assert post(client, bob, other_video, "x", parent=first["id"]).status_code == 404

    page = client.get(comments_url(video)).json()
    assert [c["id"] for c in page["comments"]] == [second["id"], first["id"]]
    assert [r["body"] for r in page["comments"][1]["replies"]] == ["thanks"]
    assert page["count"] == 3 and page["pagination"]["total"] == 2
    assert page["comments"][1]["author"]["username"] == "bob"
    assert page["comments"][0]["body"] == "see https://example.com/x."


def test_bad_text_is_refused_with_a_message(client: TestClient) -> None:
    alice = register(client, "alice")
    video = add_video(client, user_id(client, alice))
    for body in ("", "   ", "nul\x00here", "x" * 2001):
        resp = post(client, alice, video, body)
        assert resp.status_code == 422, body
        assert resp.json()["message"].startswith("Invalid request")
    assert post(client, alice, video, "two\nlines").status_code == 201
    assert client.post(comments_url(video), json={"body": "hi"}).status_code == 401


def test_edit_own_delete_own_and_owner_or_admin_removes_any(client: TestClient) -> None:
    alice, bob, carol, root = (register(client, n) for n in ("alice", "bob", "carol", "root"))
    make_admin(client, "root")
    video = add_video(client, user_id(client, alice))
    bobs = post(client, bob, video, "bob says").json()
    url = f"{comments_url(video)}/{bobs['id']}"

    assert client.patch(url, json={"body": "changed"}, headers=bearer(alice)).status_code == 403
    edited = client.patch(url, json={"body": "bob edits"}, headers=bearer(bob))
    assert edited.status_code == 200 and edited.json()["editedAt"]
    assert client.delete(url, headers=bearer(carol)).status_code == 403

    listed = client.get(comments_url(video), headers=bearer(carol)).json()["comments"][0]
    assert listed["body"] == "bob edits"
    assert listed["canEdit"] is False and listed["canDelete"] is False
    owner_view = client.get(comments_url(video), headers=bearer(alice)).json()["comments"][0]
    assert owner_view["canDelete"] is True and owner_view["canEdit"] is False

    reply = post(client, carol, video, "a reply", parent=bobs["id"]).json()
    reply_url = f"{comments_url(video)}/{reply['id']}"
    assert client.delete(reply_url, headers=bearer(root)).status_code == 204
    post(client, carol, video, "another reply", parent=bobs["id"])
    assert client.delete(url, headers=bearer(alice)).status_code == 204  # replies go with it
    assert client.get(comments_url(video)).json()["count"] == 0
    assert client.delete(url, headers=bearer(bob)).status_code == 404


def test_the_owner_turns_comments_off(client: TestClient) -> None:
    alice, bob = register(client, "alice"), register(client, "bob")
    video = add_video(client, user_id(client, alice))
    post(client, bob, video, "before")
    video_url = f"/api/gallery/videos/{video}"
    resp = client.patch(video_url, json={"commentsEnabled": False}, headers=bearer(alice))
    assert resp.status_code == 200 and resp.json()["commentsEnabled"] is False
    assert (
        client.patch(video_url, json={"commentsEnabled": True}, headers=bearer(bob)).status_code
        == 403
    )

    page = client.get(comments_url(video)).json()
    assert page["commentsEnabled"] is False and page["comments"] == []
    refused = post(client, bob, video, "after")
    assert refused.status_code == 403 and "turned off" in refused.json()["message"]

    client.patch(video_url, json={"commentsEnabled": True}, headers=bearer(alice))
    assert [c["body"] for c in client.get(comments_url(video)).json()["comments"]] == ["before"]


def test_comments_are_rate_limited_per_account(client: TestClient) -> None:
    alice, bob = register(client, "alice"), register(client, "bob")
    video = add_video(client, user_id(client, alice))
    for n in range(COMMENTS_PER_WINDOW):
        assert post(client, bob, video, f"comment {n}").status_code == 201
    refused = post(client, bob, video, "one more")
    assert refused.status_code == 429
    assert "comments a minute" in refused.json()["message"]
    assert int(refused.headers["Retry-After"]) >= 1
    assert post(client, alice, video, "another account is not limited").status_code == 201


def test_a_private_videos_comments_are_404_to_others(client: TestClient) -> None:
    alice, bob, root = (register(client, n) for n in ("alice", "bob", "root"))
    make_admin(client, "root")
    private = add_video(client, user_id(client, alice), visibility="private")
    unlisted = add_video(client, user_id(client, alice), visibility="unlisted")
    mine = post(client, alice, private, "note to self").json()

    for token in (None, bob):
        headers = bearer(token) if token else {}
        assert client.get(comments_url(private), headers=headers).status_code == 404
    assert post(client, bob, private, "hi").status_code == 404
    url = f"{comments_url(private)}/{mine['id']}"
    assert client.patch(url, json={"body": "x"}, headers=bearer(bob)).status_code == 404
    assert client.delete(url, headers=bearer(bob)).status_code == 404
    assert client.get(comments_url(private), headers=bearer(root)).json()["count"] == 1

    assert post(client, bob, unlisted, "found the link").status_code == 201
    assert client.get(comments_url("nope")).status_code == 404
