"""Playlists through the API: making and changing them, the order of their entries, who sees
what (a private playlist is 404 to others; a video a viewer may not see is left out for them)
and clear refusals of bad input."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.conftest import bearer, register
from tests.gallery.conftest import add_video, make_admin, user_id

PLAYLISTS = "/api/gallery/playlists"


def make_playlist(client: TestClient, token: str, **fields: Any) -> dict[str, Any]:
    resp = client.post(PLAYLISTS, json={"title": "Mix", **fields}, headers=bearer(token))
    assert resp.status_code == 201, resp.text
    body: dict[str, Any] = resp.json()
    return body


def add(client: TestClient, token: str, playlist_id: str, video_id: str) -> dict[str, Any]:
    resp = client.post(
        f"{PLAYLISTS}/{playlist_id}/entries", json={"videoId": video_id}, headers=bearer(token)
    )
    assert resp.status_code == 201, resp.text
    body: dict[str, Any] = resp.json()
    return body


def titles(playlist: dict[str, Any]) -> list[str]:
    return [entry["video"]["title"] for entry in playlist["entries"]]


def test_make_rename_describe_hide_and_delete(client: TestClient) -> None:
    alice = register(client, "alice")
    made = make_playlist(client, alice, title="  Cats  ", description="Best cats.")
    assert (made["title"], made["description"], made["visibility"]) == (
        "Cats",
        "Best cats.",
        "public",
    )
    assert made["entries"] == [] and made["videoCount"] == 0 and made["canEdit"] is True
    assert made["owner"]["username"] == "alice"

    changed = client.patch(
        f"{PLAYLISTS}/{made['id']}",
        json={"title": "Dogs", "visibility": "unlisted"},
        headers=bearer(alice),
    ).json()
    assert (changed["title"], changed["description"], changed["visibility"]) == (
        "Dogs",
        "Best cats.",
        "unlisted",
    )
    mine = client.get(f"{PLAYLISTS}/mine", headers=bearer(alice)).json()["playlists"]
    assert [p["title"] for p in mine] == ["Dogs"]

    assert client.delete(f"{PLAYLISTS}/{made['id']}", headers=bearer(alice)).status_code == 204
    assert client.get(f"{PLAYLISTS}/{made['id']}", headers=bearer(alice)).status_code == 404
    assert client.get(f"{PLAYLISTS}/mine", headers=bearer(alice)).json()["playlists"] == []


def test_entries_keep_their_order_and_move(client: TestClient) -> None:
    alice = register(client, "alice")
    owner = user_id(client, alice)
    a, b, c = (add_video(client, owner, title=name) for name in "abc")
    playlist = make_playlist(client, alice)
    for video in (a, b, c):
        playlist = add(client, alice, playlist["id"], video)
    assert titles(playlist) == ["a", "b", "c"]
    assert [e["position"] for e in playlist["entries"]] == [0, 1, 2]
    entry = {e["video"]["title"]: e["id"] for e in playlist["entries"]}

    def move(name: str, position: int) -> dict[str, Any]:
        resp = client.put(
            f"{PLAYLISTS}/{playlist['id']}/entries/{entry[name]}/position",
            json={"position": position},
            headers=bearer(alice),
        )
        assert resp.status_code == 200, resp.text
        body: dict[str, Any] = resp.json()
        return body

    assert titles(move("c", 0)) == ["c", "a", "b"]
    assert titles(move("c", 1)) == ["a", "c", "b"]
    assert titles(move("a", 99)) == ["c", "b", "a"]  # past the end: last
    removed = client.delete(
        f"{PLAYLISTS}/{playlist['id']}/entries/{entry['b']}", headers=bearer(alice)
    ).json()
    assert titles(removed) == ["c", "a"] and [e["position"] for e in removed["entries"]] == [0, 1]
    assert titles(client.get(f"{PLAYLISTS}/{playlist['id']}").json()) == ["c", "a"]

    again = client.post(
        f"{PLAYLISTS}/{playlist['id']}/entries", json={"videoId": a}, headers=bearer(alice)
    )
    assert again.status_code == 409 and again.json()["error"]["code"] == "already_in_playlist"
    holding = client.get(f"{PLAYLISTS}/mine", params={"videoId": b}, headers=bearer(alice))
    assert holding.json()["playlists"][0]["hasVideo"] is False
    holding = client.get(f"{PLAYLISTS}/mine", params={"videoId": a}, headers=bearer(alice))
    assert holding.json()["playlists"][0]["hasVideo"] is True


def test_a_private_playlist_is_not_there_for_others(client: TestClient) -> None:
    alice, bob, root = register(client, "alice"), register(client, "bob"), register(client, "root")
    make_admin(client, "root")
    secret = make_playlist(client, alice, visibility="private")
    link_only = make_playlist(client, alice, title="Link only", visibility="unlisted")
    shown = make_playlist(client, alice, title="Shown")
    url = f"{PLAYLISTS}/{secret['id']}"

    for headers in ({}, bearer(bob)):
        assert client.get(url, headers=headers).status_code == 404
        assert client.get(f"{PLAYLISTS}/{link_only['id']}", headers=headers).status_code == 200
    assert client.get(url, headers=bearer(alice)).status_code == 200
    assert client.get(url, headers=bearer(root)).json()["canEdit"] is True

    # Others cannot change it: 404 for the private one, 403 for one they can see.
    assert client.patch(url, json={"title": "x"}, headers=bearer(bob)).status_code == 404
    assert client.delete(url, headers=bearer(bob)).status_code == 404
    refused = client.patch(f"{PLAYLISTS}/{shown['id']}", json={"title": "x"}, headers=bearer(bob))
    assert refused.status_code == 403
    assert client.post(PLAYLISTS, json={"title": "x"}).status_code == 401

    # The channel lists public playlists only, to everyone, its owner included.
    for headers in ({}, bearer(alice)):
        listed = client.get("/api/gallery/channels/alice/playlists", headers=headers).json()
        assert [p["title"] for p in listed["playlists"]] == ["Shown"]
    assert client.get("/api/gallery/channels/nobody/playlists").status_code == 404


def test_a_playlist_never_shows_a_video_the_viewer_may_not_see(client: TestClient) -> None:
    alice, bob = register(client, "alice"), register(client, "bob")
    owner = user_id(client, alice)
    open_video = add_video(client, owner, title="open")
    hidden = add_video(client, owner, title="hidden", visibility="private")
    link_only = add_video(client, owner, title="link only", visibility="unlisted")
    playlist = make_playlist(client, alice)
    for video in (open_video, hidden, link_only):
        add(client, alice, playlist["id"], video)

    url = f"{PLAYLISTS}/{playlist['id']}"
    assert titles(client.get(url, headers=bearer(alice)).json()) == ["open", "hidden", "link only"]
    for headers in ({}, bearer(bob)):
        seen = client.get(url, headers=headers).json()
        assert titles(seen) == ["open", "link only"] and seen["videoCount"] == 2
        listed = client.get("/api/gallery/channels/alice/playlists", headers=headers).json()
        assert listed["playlists"][0]["videoCount"] == 2

    # Nor can anyone add a video they may not see: it does not exist for them.
    bobs = make_playlist(client, bob)
    refused = client.post(
        f"{PLAYLISTS}/{bobs['id']}/entries", json={"videoId": hidden}, headers=bearer(bob)
    )
    assert refused.status_code == 404
    # Someone else's public video may go into one's own playlist, not into theirs.
    assert titles(add(client, bob, bobs["id"], open_video)) == ["open"]
    into_theirs = client.post(f"{url}/entries", json={"videoId": open_video}, headers=bearer(bob))
    assert into_theirs.status_code == 403


def test_bad_input_gets_a_clear_refusal(client: TestClient) -> None:
    alice = register(client, "alice")
    playlist = make_playlist(client, alice)
    url = f"{PLAYLISTS}/{playlist['id']}"
    for body in (
        {"title": "   "},
        {"title": "a\x00b"},
        {"title": "x" * 201},
        {"visibility": "secret"},
    ):
        resp = client.post(PLAYLISTS, json={"title": "ok", **body}, headers=bearer(alice))
        assert resp.status_code == 422, body
        assert resp.json()["message"]
    assert (
        client.patch(url, json={"visibility": "hidden"}, headers=bearer(alice)).status_code == 422
    )

    missing_video = client.post(f"{url}/entries", json={"videoId": "nope"}, headers=bearer(alice))
    assert missing_video.status_code == 404 and "video" in missing_video.json()["message"]
    assert client.post(f"{url}/entries", json={}, headers=bearer(alice)).status_code == 422
    missing_entry = client.put(
        f"{url}/entries/nope/position", json={"position": 0}, headers=bearer(alice)
    )
    assert missing_entry.status_code == 404 and "entry" in missing_entry.json()["message"]
    owner = user_id(client, alice)
    entry = add(client, alice, playlist["id"], add_video(client, owner))["entries"][0]
    negative = client.put(
        f"{url}/entries/{entry['id']}/position", json={"position": -1}, headers=bearer(alice)
    )
    assert negative.status_code == 422
    assert client.get(f"{PLAYLISTS}/nope").status_code == 404
