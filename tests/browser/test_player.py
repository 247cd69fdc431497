"""The one player: custom controls over the video (no second seek bar), YouTube's shortcuts
page-wide but not while typing, the speed and quality menus (qualities named by the short side
of a portrait clip), theatre and fullscreen, Auto capped to a phone-sized player whose first tap
plays, resuming where the viewer stopped, and links at a moment (?t=). One portrait clip serves
the whole module."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import NewPage
from tests.browser.helpers import Mailbox, api_account, current_time, screenshot
from tests.browser.test_sharing import upload, wait_until_ready
from videoforge.testing.clips import make_clip
from videoforge.testing.server import ServerProcess

pytestmark = pytest.mark.slow

SECONDS = 12


@pytest.fixture(scope="module")
def portrait(
    server: ServerProcess,
    mailbox: Mailbox,
    session_ffmpeg: str,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[dict[str, str]]:
    """A public 360x640 clip: renditions 360p and 240p by their short side (640 and 426 tall)."""
    path = tmp_path_factory.mktemp("portrait") / "portrait.mp4"
    clip = make_clip(session_ffmpeg, path, seconds=SECONDS, width=360, height=640)
    client = api_account(server, mailbox, "portraitist")
    try:
        video = upload(client, clip, "Held upright", "public")
        wait_until_ready(client, video["jobId"])
    finally:
        client.close()
    yield video


def open_player(page: Page, video: dict[str, str], query: str = "") -> None:
    page.goto(f"/watch/{video['id']}{query}")
    page.wait_for_function("() => document.querySelector('video')?.readyState >= 1")


def video_prop(page: Page, name: str) -> object:
    return page.evaluate(f"document.querySelector('video').{name}")


def wait_time_near(page: Page, seconds: float) -> None:
    page.wait_for_function(
        "t => Math.abs(document.querySelector('video').currentTime - t) < 0.6", arg=seconds
    )


def test_one_seek_bar_and_shortcuts(new_page: NewPage, portrait: dict[str, str]) -> None:
    page = new_page(viewport={"width": 1366, "height": 800})
    open_player(page, portrait)
    assert video_prop(page, "controls") is False  # the browser's own controls are off
    expect(page.get_by_role("slider", name="Seek")).to_have_count(1)

    page.keyboard.press("m")  # page-wide: nothing in the player has focus
    assert video_prop(page, "muted") is True
    page.keyboard.press("k")
    page.wait_for_function("() => !document.querySelector('video').paused")
    page.keyboard.press(" ")
    page.wait_for_function("() => document.querySelector('video').paused")
    assert page.evaluate("window.scrollY") == 0  # Space did not scroll the page

    page.evaluate("document.querySelector('video').currentTime = 1")
    page.keyboard.press("l")
    wait_time_near(page, 11)
    page.keyboard.press("j")
    wait_time_near(page, 1)
    page.keyboard.press("ArrowRight")
    wait_time_near(page, 6)
    page.keyboard.press("ArrowLeft")
    wait_time_near(page, 1)
    page.keyboard.press("5")
    wait_time_near(page, SECONDS / 2)
    page.keyboard.press("ArrowDown")
    page.wait_for_function("() => document.querySelector('video').volume < 1")

    page.keyboard.press(">")
    assert video_prop(page, "playbackRate") == 1.25
    page.keyboard.press("<")
    page.keyboard.press("<")
    assert video_prop(page, "playbackRate") == 0.75

    player = page.locator(".player")
    page.keyboard.press("t")
    expect(player).to_have_class("player theatre")
    page.keyboard.press("t")
    expect(player).to_have_class("player")
    page.keyboard.press("f")
    expect(player).to_have_class("player fullscreen")
    assert page.evaluate("document.fullscreenElement?.classList.contains('player')")
    page.keyboard.press("f")
    expect(player).to_have_class("player")

    # Typing in a field is typing, not commands to the player.
    page.evaluate(
        "() => { const i = document.createElement('input'); i.id = 'note';"
        " i.setAttribute('aria-label', 'Note'); document.querySelector('main').append(i); }"
    )
    page.locator("#note").press_sequentially("k f t 5")
    expect(page.locator("#note")).to_have_value("k f t 5")
    assert video_prop(page, "paused") is True
    expect(player).to_have_class("player")
    wait_time_near(page, SECONDS / 2)


def test_settings_menu_speed_and_quality_by_short_side(
    new_page: NewPage, portrait: dict[str, str]
) -> None:
    page = new_page(viewport={"width": 1366, "height": 800})
    open_player(page, portrait)
    settings = page.get_by_role("button", name="Settings")
    settings.click()
    expect(settings).to_have_attribute("aria-expanded", "true")
    page.get_by_label("Speed").select_option(label="1.5x")
    assert video_prop(page, "playbackRate") == 1.5

    quality = page.get_by_label("Quality")
    expect(quality.locator("option").nth(0)).to_have_text("Auto (360p)")  # 1000 px wide player
    assert quality.locator("option").all_inner_texts()[1:] == ["360p", "240p"]
    quality.select_option(label="240p")
    expect(page.locator(".player")).to_have_attribute("data-playing-level", "240p")
    expect(page.get_by_text("Playing 240p")).to_be_visible()
    screenshot(page, "player-settings")
    page.keyboard.press("Escape")
    expect(settings).to_have_attribute("aria-expanded", "false")
    expect(settings).to_be_focused()


def test_phone_auto_is_capped_and_the_first_tap_plays(
    new_page: NewPage, portrait: dict[str, str]
) -> None:
    page = new_page(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True)
    open_player(page, portrait)
    assert page.evaluate("window.__vfPlayer.config.capLevelToPlayerSize") is True
    page.evaluate("document.querySelector('video').muted = true")
    page.locator("video").tap(position={"x": 40, "y": 40})  # off the big play button
    page.wait_for_function("() => document.querySelector('video').currentTime > 0.3")
    # The 358 px wide player is 201 px tall: the 240p rendition (426 px tall) covers it.
    expect(page.locator(".player")).to_have_attribute("data-playing-level", "240p")
    screenshot(page, "player-phone")


def test_resume_after_reload_and_links_at_a_moment(
    new_page: NewPage, portrait: dict[str, str]
) -> None:
    page = new_page(viewport={"width": 1366, "height": 800})
    open_player(page, portrait)
    page.evaluate("document.querySelector('video').currentTime = 7")
    page.wait_for_function(f"() => localStorage.getItem('vf.resume.{portrait['id']}') === '7'")

    page.reload()
    page.wait_for_selector("video")
    expect(page.get_by_text("Resume from 0:07?")).to_be_visible()
    page.evaluate("document.querySelector('video').muted = true")
    page.get_by_role("button", name="Resume").click()
    page.wait_for_function("() => document.querySelector('video').currentTime > 7")
    expect(page.get_by_text("Resume from 0:07?")).to_have_count(0)

    page.keyboard.press("k")
    page.evaluate("document.querySelector('video').currentTime = 4")
    share = page.get_by_role("button", name="Copy link at current time")
    share.click()
    link = share.get_attribute("data-share-url") or ""
    assert link.endswith(f"/watch/{portrait['id']}?t=4"), link

    other = new_page(viewport={"width": 1366, "height": 800})  # another browser: no resume
    open_player(other, portrait, "?t=4")
    wait_time_near(other, 4)
    expect(other.get_by_text("Resume from")).to_have_count(0)
    assert current_time(other) < 5
