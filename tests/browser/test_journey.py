"""A person's whole visit, in a real browser against the real server: sign up, sign in, upload,
watch processing finish, play, switch quality, search, edit, delete."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import FilePayload, Page, expect

from tests.browser.conftest import NewPage
from tests.browser.helpers import current_time, play_until_advancing, screenshot, sign_in, sign_up

pytestmark = pytest.mark.slow

TITLE = "Forge journey clip"


def upload_through_the_page(page: Page, clip: Path) -> None:
    page.get_by_role("link", name="Upload").click()
    expect(page.get_by_role("heading", name="Upload videos")).to_be_visible()
    not_a_video = FilePayload(name="notes.txt", mimeType="text/plain", buffer=b"hello")
    page.set_input_files("#file-input", not_a_video)
    expect(page.get_by_role("alert")).to_have_text("“notes.txt” is not a video file.")
    page.get_by_role("button", name="Remove").click()

    page.set_input_files("#file-input", clip)
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("Description").fill("Made by the browser test.")
    page.get_by_role("button", name="Upload", exact=True).click()
    expect(page.get_by_text("Uploaded. It is being processed now")).to_be_visible()
    screenshot(page, "upload")


def switch_quality(page: Page) -> None:
    """Pick a rendition other than the one playing; the player must then play that one."""
    heights = page.evaluate("window.__vfPlayer.levels.map(level => level.height)")
    assert len(heights) >= 2, f"expected at least two qualities, got {heights}"
    playing = page.evaluate("window.__vfPlayer.currentLevel")
    target = next(i for i in range(len(heights)) if i != playing)
    label = f"{heights[target]}p"
    page.get_by_label("Quality").select_option(label=label)
    expect(page.locator(".player")).to_have_attribute("data-playing-level", label, timeout=30_000)
    assert page.evaluate("window.__vfPlayer.currentLevel") == target
    play_until_advancing(page, current_time(page))


def test_sign_up_upload_play_switch_quality_search_delete(new_page: NewPage, clip: Path) -> None:
    page = new_page(viewport={"width": 1280, "height": 800})
    page.goto("/")
    expect(page.get_by_role("heading", name="Gallery")).to_be_visible()
    screenshot(page, "gallery-signed-out")

    sign_up(page, "maria")
    screenshot(page, "sign-in")
    sign_in(page, "maria")

    upload_through_the_page(page, clip)
    page.get_by_role("link", name="follow it in My videos").click()
    row = page.locator("li.my-video", has_text=TITLE)
    expect(row).to_have_attribute("data-status", "ready", timeout=120_000)
    expect(row.locator(".status")).to_have_text("Ready to watch")
    screenshot(page, "my-videos")

    row.get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", name=TITLE)).to_be_visible()
    expect(page.locator("video")).to_be_attached()
    page.evaluate("document.querySelector('video').loop = true")  # the clip is short
    play_until_advancing(page)
    switch_quality(page)
    screenshot(page, "watch")

    page.get_by_role("link", name="Gallery").click()
    page.get_by_label("Search videos").fill("journey")
    page.get_by_role("button", name="Search").click()
    expect(page).to_have_url("/?search=journey")
    page.reload()  # the search lives in the address, so it survives a reload
    expect(page.get_by_role("link", name=TITLE)).to_be_visible()
    screenshot(page, "gallery-search")

    page.get_by_role("link", name="My videos").click()
    row.get_by_role("button", name="Edit").click()
    row.get_by_label("Title").fill(f"{TITLE} (edited)")
    row.get_by_role("button", name="Save").click()
    expect(row.get_by_role("link", name=f"{TITLE} (edited)")).to_be_visible()

    row.get_by_role("button", name="Delete").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text("cannot be undone")
    dialog.get_by_role("button", name="Delete").click()
    expect(page.get_by_text("You have not uploaded any videos yet")).to_be_visible()
    page.goto("/?search=journey")
    expect(page.get_by_text("No videos match")).to_be_visible()
