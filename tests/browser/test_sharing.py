"""Links opened signed out: an unlisted video plays for anyone with its link; a private one is
refused with a clear message. Uploads go through the API here (the journey test covers the page)."""

from __future__ import annotations

import time
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import NewPage
from tests.browser.helpers import Mailbox, api_account, play_until_advancing, screenshot
from videoforge.testing.server import ServerProcess

pytestmark = pytest.mark.slow


def upload(client: httpx.Client, clip: Path, title: str, visibility: str) -> dict[str, str]:
    with clip.open("rb") as file:
        resp = client.post(
            "/api/gallery/videos",
            files={"file": (clip.name, file, "video/mp4")},
            data={"title": title, "description": "", "visibility": visibility},
        )
    assert resp.status_code == 202, resp.text
    video: dict[str, str] = resp.json()
    return video


def wait_until_ready(client: httpx.Client, job_id: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = client.get(f"/api/jobs/{job_id}").json()
        if job["status"] == "ready":
            return
        assert job["status"] in ("queued", "processing"), job
        time.sleep(0.5)
    raise AssertionError(f"job {job_id} not ready within {timeout} s")


def test_unlisted_link_plays_signed_out_and_private_is_refused(
    new_page: NewPage, server: ServerProcess, mailbox: Mailbox, clip: Path
) -> None:
    client = api_account(server, mailbox, "sharer")
    try:
        unlisted = upload(client, clip, "Unlisted for friends", "unlisted")
        private = upload(client, clip, "Only mine", "private")
        wait_until_ready(client, unlisted["jobId"])
    finally:
        client.close()

    page = new_page(viewport={"width": 390, "height": 844})  # a phone, signed out
    page.goto(unlisted["shareUrl"])
    expect(page.get_by_role("heading", name="Unlisted for friends")).to_be_visible()
    play_until_advancing(page)
    screenshot(page, "watch-unlisted-phone")

    page.goto(f"/watch/{private['id']}")
    expect(page.get_by_role("alert")).to_contain_text("This video was not found, or it is private.")
    screenshot(page, "watch-private-refused")

    page.goto("/")  # neither is listed in the public gallery
    expect(page.get_by_role("heading", name="Gallery")).to_be_visible()
    expect(page.locator("[aria-busy='true'], [role='status']")).to_have_count(0)
    expect(page.get_by_text("Unlisted for friends")).to_have_count(0)
    expect(page.get_by_text("Only mine")).to_have_count(0)
