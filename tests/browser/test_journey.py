"""A person's whole visit, in a real browser against the real server: sign up and confirm the
emailed code, turn on two-step sign-in, sign out and in again with a code, upload, watch
processing finish, play, switch quality, the watch page's extras, search, edit, delete."""

from __future__ import annotations

from pathlib import Path

import pyotp
import pytest
from playwright.sync_api import FilePayload, Page, expect

from tests.browser.conftest import NewPage
from tests.browser.helpers import (
    Mailbox,
    current_time,
    enter_password,
    next_totp,
    play_until_advancing,
    screenshot,
    sign_in,
    sign_up,
)

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
    page.get_by_role("button", name="Settings").click()
    page.get_by_label("Quality").select_option(label=label)
    page.keyboard.press("Escape")
    expect(page.locator(".player")).to_have_attribute("data-playing-level", label, timeout=30_000)
    assert page.evaluate("window.__vfPlayer.currentLevel") == target
    play_until_advancing(page, current_time(page))


def turn_on_two_step_sign_in(page: Page) -> tuple[str, list[str]]:
    """Enrol TOTP on the account page; returns the secret and the recovery codes shown."""
    page.get_by_role("link", name="maria").click()
    page.get_by_role("button", name="Set up two-step sign-in").click()
    expect(page.get_by_role("img", name="QR code for your authenticator app")).to_be_visible()
    assert page.evaluate("document.querySelector('img.qr').naturalWidth") > 0
    secret = page.get_by_test_id("totp-secret").get_attribute("data-secret")
    assert secret
    screenshot(page, "mfa-setup")
    page.get_by_label("Code from the app").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Turn on two-step sign-in").click()
    codes = page.get_by_test_id("recovery-codes").locator("li")
    expect(codes).to_have_count(10)
    recovery = [code.strip() for code in codes.all_inner_texts()]
    expect(page.get_by_role("link", name="Download as a file")).to_be_visible()
    screenshot(page, "mfa-recovery-codes")
    page.get_by_role("button", name="I have saved my codes").click()
    expect(page.get_by_text("10 of 10 recovery codes left")).to_be_visible()
    return secret, recovery


def sign_in_with_totp(page: Page, secret: str) -> None:
    enter_password(page, "maria")
    expect(page.get_by_role("heading", name="Two-step sign-in")).to_be_visible()
    screenshot(page, "mfa-challenge")
    page.get_by_label("Code from your authenticator app").fill(next_totp(secret))
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def check_watch_extras(page: Page, new_page: NewPage) -> None:
    """Storyboard tiles over the seek bar, the MP4 download, the view count."""
    expect(page.get_by_test_id("views")).to_have_text("0 views")  # the owner's visits don't count
    viewer = new_page(viewport={"width": 800, "height": 700})  # someone signed out
    viewer.goto(page.url)
    expect(viewer.get_by_test_id("views")).to_have_text("1 view")
    viewer.close()
    bar = page.locator(".seek-bar")
    expect(bar).to_have_attribute("data-storyboard", "yes")
    box = bar.bounding_box()
    assert box
    page.mouse.move(box["x"] + box["width"] * 0.6, box["y"] + box["height"] / 2)
    tile = page.get_by_test_id("seek-preview").locator(".seek-tile")
    expect(tile).to_be_visible()
    assert "storyboard.jpg" in (tile.get_attribute("style") or "")
    screenshot(page, "watch-storyboard")
    page.mouse.move(0, 0)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download MP4").click()
    assert download.value.suggested_filename.endswith(".mp4")
    assert Path(download.value.path()).read_bytes()[4:8] == b"ftyp"


def test_sign_up_upload_play_switch_quality_search_delete(
    new_page: NewPage, mailbox: Mailbox, clip: Path
) -> None:
    page = new_page(viewport={"width": 1280, "height": 800})
    page.goto("/")
    expect(page.get_by_role("heading", name="Gallery")).to_be_visible()
    screenshot(page, "gallery-signed-out")

    sign_up(page, mailbox, "maria")
    screenshot(page, "sign-in")
    sign_in(page, "maria")
    secret, _ = turn_on_two_step_sign_in(page)
    page.get_by_role("button", name="Sign out").first.click()
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()
    sign_in_with_totp(page, secret)

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
    check_watch_extras(page, new_page)

    page.get_by_role("link", name="Gallery").click()
    page.get_by_label("Search videos").fill("journey")
    page.get_by_role("button", name="Search").click()
    expect(page).to_have_url("/?search=journey")
    page.reload()  # the search lives in the address, so it survives a reload
    card = page.locator(".video-card", has_text=TITLE)
    expect(card).to_be_visible()
    card.hover()  # the animated preview plays over the thumbnail
    preview = card.locator("img.thumb-preview")
    expect(preview).to_be_visible()
    page.wait_for_function(
        "() => [...document.querySelectorAll('img.thumb-preview')]"
        ".some(img => img.complete && img.naturalWidth > 0)"
    )
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
