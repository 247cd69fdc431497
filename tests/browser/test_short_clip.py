"""Issue 10, finding 13, in the browser: a clip shorter than half a second is ready and plays
its picture (before, its master named no video variant and the player had nothing to load)."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import NewPage
from tests.browser.helpers import Mailbox, api_account
from tests.browser.test_sharing import upload, wait_until_ready
from videoforge.testing.clips import make_clip
from videoforge.testing.server import ServerProcess

pytestmark = pytest.mark.slow


def test_a_sub_second_clip_plays(
    new_page: NewPage, server: ServerProcess, mailbox: Mailbox, session_ffmpeg: str, tmp_path: Path
) -> None:
    clip = make_clip(session_ffmpeg, tmp_path / "blink.mp4", seconds=0.3, width=640, height=360)
    client = api_account(server, mailbox, "blinker")
    try:
        video = upload(client, clip, "A blink", "public")
        wait_until_ready(client, video["jobId"])
    finally:
        client.close()

    page = new_page()
    page.goto(f"/watch/{video['id']}")
    page.wait_for_selector("video")
    page.evaluate(
        "() => { const v = document.querySelector('video'); v.muted = true; return v.play(); }"
    )
    page.wait_for_function(
        "() => { const v = document.querySelector('video'); "
        "return v.ended || v.currentTime > 0.1; }"
    )
    assert page.evaluate("document.querySelector('video').videoWidth") == 640  # the picture
    expect(page.locator(".player")).to_have_attribute("data-playing-level", "360p")
    expect(page.get_by_role("alert")).to_have_count(0)
