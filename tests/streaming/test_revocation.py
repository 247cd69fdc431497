"""Issue 10, finding 6: media links handed out earlier stop working within the revocation window
when the video becomes private, its owner is disabled, or it is deleted. The media route's
cache runs on an injected clock, so "a minute later" takes no time."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient

from tests.conftest import bearer, register
from tests.security.conftest import PASSWORD, add_ready_video, context
from videoforge.auth import service
from videoforge.streaming.deps import streaming_state
from videoforge.streaming.revocation import CACHE_SECONDS, REVOCATION_SECONDS

HIDDEN = "No video with this id exists, or it is private."


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@dataclass
class Scene:
    client: TestClient
    clock: Clock
    owner: dict[str, str]
    admin: dict[str, str]
    owner_id: str

    def video(self, visibility: str) -> str:
        video_id, _ = add_ready_video(context(self.client), self.owner_id, visibility)
        return video_id

    def links_of(self, video_id: str, headers: dict[str, str] | None = None) -> list[str]:
        """What a viewer takes away: the master playlist's and the MP4 download's URLs."""
        info = self.client.get(f"/api/stream/{video_id}", headers=headers or {})
        assert info.status_code == 200, info.text
        download = self.client.get(
            f"/api/stream/{video_id}/download", headers=headers or {}, follow_redirects=False
        )
        assert download.status_code == 307, download.text
        return [info.json()["masterUrl"], download.headers["location"]]

    def statuses(self, links: list[str]) -> list[int]:
        return [self.client.get(link).status_code for link in links]


@pytest.fixture
def scene(client: TestClient) -> Scene:
    clock = Clock()
    streaming_state(client.app).gate.clock = clock  # type: ignore[arg-type]
    with context(client).sessions() as db:
        service.create_user(
            db, username="root", email="root@example.com", password=PASSWORD, role="admin"
        )
    owner = bearer(register(client, "olga"))
    login = client.post("/api/auth/login", json={"username": "root", "password": PASSWORD})
    admin = bearer(login.json()["accessToken"])
    owner_id = client.get("/api/auth/me", headers=owner).json()["id"]
    return Scene(client, clock, owner, admin, owner_id)


def test_links_of_an_unlisted_video_made_private_stop_within_the_window(scene: Scene) -> None:
    video_id = scene.video("unlisted")
    links = scene.links_of(video_id)  # signed out
    assert scene.statuses(links) == [200, 200]

    changed = scene.client.patch(
        f"/api/gallery/videos/{video_id}", json={"visibility": "private"}, headers=scene.owner
    )
    assert changed.status_code == 200, changed.text
    scene.clock.now += CACHE_SECONDS
    assert CACHE_SECONDS < REVOCATION_SECONDS

    answers = [scene.client.get(link) for link in links]
    assert [a.status_code for a in answers] == [404, 404]
    assert all(a.json()["message"] == HIDDEN for a in answers)
    # The owner still plays it, with links handed out now.
    assert scene.statuses(scene.links_of(video_id, scene.owner)) == [200, 200]


def test_links_of_a_disabled_owner_stop_and_no_new_ones_are_handed_out(scene: Scene) -> None:
    video_id = scene.video("public")
    anyone = scene.links_of(video_id)
    owners = scene.links_of(video_id, scene.owner)
    private_id = scene.video("private")
    private = scene.links_of(private_id, scene.owner)
    assert scene.statuses(anyone + owners + private) == [200] * 6

    disabled = scene.client.patch(
        f"/api/admin/users/{scene.owner_id}", json={"disabled": True}, headers=scene.admin
    )
    assert disabled.status_code == 200, disabled.text
    scene.clock.now += CACHE_SECONDS

    assert scene.statuses(anyone + owners + private) == [404] * 6
    for headers in ({}, scene.admin):
        assert scene.client.get(f"/api/stream/{video_id}", headers=headers).status_code == 404


def test_links_of_a_deleted_video_stop(scene: Scene) -> None:
    video_id = scene.video("public")
    links = scene.links_of(video_id)

    deleted = scene.client.delete(f"/api/gallery/videos/{video_id}", headers=scene.owner)
    assert deleted.status_code == 204, deleted.text
    scene.clock.now += CACHE_SECONDS

    assert scene.statuses(links) == [404, 404]


def test_links_that_still_hold_keep_working(scene: Scene) -> None:
    """A private video made public, a public one made unlisted: nothing is revoked."""
    private_id = scene.video("private")
    owners = scene.links_of(private_id, scene.owner)
    public_id = scene.video("public")
    anyone = scene.links_of(public_id)

    for video_id, visibility in ((private_id, "public"), (public_id, "unlisted")):
        changed = scene.client.patch(
            f"/api/gallery/videos/{video_id}", json={"visibility": visibility}, headers=scene.owner
        )
        assert changed.status_code == 200, changed.text
    scene.clock.now += 10 * REVOCATION_SECONDS

    assert scene.statuses(owners + anyone) == [200] * 4
