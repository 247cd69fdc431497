"""Captions in the player (an HLS subtitle rendition hls.js picks up; `c` shows it, its cue is
timed as written), the embeddable player, and the owner's captions and thumbnail sections."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import NewPage
from tests.browser.helpers import Mailbox, api_account, play_until_advancing, sign_in
from tests.browser.test_pages import AXE, PHONE, SERIOUS_VIOLATIONS, check_page
from tests.browser.test_sharing import upload, wait_until_ready
from videoforge.testing.server import ServerProcess

pytestmark = pytest.mark.slow

CUE = "Hello from the captions"
SRT = f"1\n00:00:01,000 --> 00:00:03,500\n{CUE}\n".encode()
ACTIVE_CUES = """() => [...document.querySelector('video').textTracks]
  .filter((t) => t.mode === 'showing')
  .flatMap((t) => [...(t.activeCues || [])].map((c) => [c.text, c.startTime, c.endTime]))"""


@pytest.fixture(scope="module")
def captioned(server: ServerProcess, mailbox: Mailbox, clip: Path) -> Iterator[dict[str, str]]:
    """A public 4 s clip with English captions, and a private one, both by `subtitler`."""
    client = api_account(server, mailbox, "subtitler")
    try:
        video = upload(client, clip, "With captions", "public")
        private = upload(client, clip, "Kept private", "private")
        wait_until_ready(client, video["jobId"])
        add_captions(client, video["id"])
    finally:
        client.close()
    yield {"id": video["id"], "private": private["id"]}


def add_captions(client: httpx.Client, video_id: str) -> None:
    resp = client.post(
        f"/api/gallery/videos/{video_id}/captions",
        files={"file": ("en.srt", SRT, "application/x-subrip")},
        data={"language": "en", "label": "English"},
    )
    assert resp.status_code == 201, resp.text


def wait_for_cue(page: Page) -> list[list[object]]:
    page.wait_for_function(f"() => ({ACTIVE_CUES})().length > 0", timeout=30_000)
    cues: list[list[object]] = page.evaluate(ACTIVE_CUES)
    return cues


def test_captions_show_after_pressing_c(new_page: NewPage, captioned: dict[str, str]) -> None:
    page = new_page(viewport={"width": 1280, "height": 800})
    page.goto(f"/watch/{captioned['id']}")
    page.wait_for_function("() => document.querySelector('video')?.readyState >= 1")
    page.wait_for_function(
        "() => [...document.querySelector('video').textTracks].some((t) => t.label === 'English')"
    )
    page.get_by_role("button", name="Captions (c)").click()
    expect(page.locator("#captions option", has_text="English")).to_have_count(1)
    page.keyboard.press("Escape")
    page.keyboard.press("c")
    page.evaluate("document.querySelector('video').currentTime = 1.5")
    play_until_advancing(page, 1.5)
    [(text, start, end)] = wait_for_cue(page)
    assert text == CUE
    # Timed as written: 1 s to 3.5 s of the video (hls.js aligns WebVTT with the fMP4 timeline).
    assert abs(float(start) - 1.0) < 0.2 and abs(float(end) - 3.5) < 0.2, (start, end)
    page.keyboard.press("c")
    page.wait_for_function(f"() => ({ACTIVE_CUES})().length === 0")


def test_embed_page_plays_with_captions(new_page: NewPage, captioned: dict[str, str]) -> None:
    page = new_page(viewport={"width": 640, "height": 360})
    page.goto(f"/embed/{captioned['id']}")
    expect(page.locator(".site-header")).to_have_count(0)  # the player alone
    page.wait_for_function("() => document.querySelector('video')?.readyState >= 1")
    play_until_advancing(page)
    expect(page.get_by_role("link", name="Watch on VideoForge")).to_have_attribute(
        "href", f"/watch/{captioned['id']}"
    )

    gone = new_page()
    gone.goto(f"/embed/{captioned['private']}")
    expect(gone.get_by_text("This video is unavailable.")).to_be_visible()
    expect(gone.locator("video")).to_have_count(0)


def test_new_pages_pass_axe(new_page: NewPage, captioned: dict[str, str]) -> None:
    if not AXE.exists():
        pytest.skip("npm --prefix frontend ci installs axe-core")
    visitor = new_page(viewport=PHONE, bypass_csp=True)
    check_page(visitor, f"/embed/{captioned['id']}", ready="video")
    check_page(visitor, f"/embed/{captioned['private']}", ready=".embed-message")

    owner = new_page(viewport=PHONE, bypass_csp=True)
    sign_in(owner, "subtitler")
    owner.goto("/me/videos")
    row = owner.locator("li.my-video", has_text="With captions")
    row.get_by_role("button", name="Edit").click()
    captions = row.get_by_role("region", name="Captions")
    expect(captions.locator(".caption-list li")).to_contain_text("English (en)")
    expect(row.get_by_role("region", name="Thumbnail")).to_be_visible()
    owner.add_script_tag(path=str(AXE))

    assert owner.evaluate(SERIOUS_VIOLATIONS) == []

    # Pick a frame: the picture is replaced and said so.
    row.get_by_label("Frame at (seconds)").fill("2")
    row.get_by_role("button", name="Use this frame").click()
    expect(row.get_by_text("The picture was changed.")).to_be_visible()
