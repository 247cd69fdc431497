"""Playlists in the browser: made and filled from the watch page, reordered by keyboard-usable
buttons, played with ?list= (the next video starts by itself after a visible countdown that
can be cancelled), hidden from others once private; and the seek bar is the first stop after
the header when tabbing through the watch page."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import NewPage
from tests.browser.helpers import Mailbox, api_account, sign_in
from tests.browser.test_pages import AXE, PHONE, check_page
from tests.browser.test_sharing import upload, wait_until_ready
from videoforge.testing.clips import make_clip
from videoforge.testing.server import ServerProcess

pytestmark = pytest.mark.slow

OWNER = "curator"
WIDE = {"width": 1366, "height": 800}


@pytest.fixture(scope="module")
def videos(
    server: ServerProcess,
    mailbox: Mailbox,
    session_ffmpeg: str,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[list[dict[str, str]]]:
    """Two public 2-second clips, "First" and "Second"."""
    client = api_account(server, mailbox, OWNER)
    try:
        made = []
        for title in ("First", "Second"):
            path = tmp_path_factory.mktemp("playlist") / f"{title}.mp4"
            clip = make_clip(session_ffmpeg, path, seconds=2, width=320, height=240)
            made.append(upload(client, clip, title, "public"))
        for video in made:
            wait_until_ready(client, video["jobId"])
    finally:
        client.close()
    yield made


def wait_playable(page: Page) -> None:
    page.wait_for_function("() => document.querySelector('video')?.readyState >= 1")


def test_the_seek_bar_is_the_first_stop_after_the_header(
    new_page: NewPage, videos: list[dict[str, str]]
) -> None:
    page = new_page(viewport=WIDE)
    sign_in(page, OWNER)  # signed in, the header has the most stops
    page.goto(f"/watch/{videos[0]['id']}")
    seek = page.get_by_role("slider", name="Seek")
    expect(seek).to_be_enabled()  # it takes focus once the duration is known
    header_stops = page.evaluate(
        """() => [...document.querySelectorAll('.site-header a, .site-header button')]
             .filter((e) => e.tabIndex >= 0 && e.getClientRects().length > 0).length"""
    )
    page.evaluate("() => document.activeElement?.blur()")
    focused = lambda: page.evaluate("() => document.activeElement?.getAttribute('aria-label')")  # noqa: E731
    presses = 0
    while focused() != "Seek" and presses < header_stops + 2:
        page.keyboard.press("Tab")
        presses += 1
    # At most: the skip link, the header's stops, then the seek bar itself.
    assert focused() == "Seek", page.evaluate("() => document.activeElement?.outerHTML")
    assert presses <= header_stops + 2, presses


def test_make_fill_reorder_and_play_a_playlist(
    new_page: NewPage, videos: list[dict[str, str]]
) -> None:
    first, second = videos
    page = new_page(viewport=WIDE)
    sign_in(page, OWNER)

    # Save the first video to a new playlist, then the second to it.
    page.goto(f"/watch/{first['id']}")
    page.get_by_role("button", name="Save to playlist").click()
    dialog = page.get_by_role("dialog", name="Save to playlist")
    dialog.get_by_text("New playlist").click()
    dialog.get_by_label("Playlist title").fill("Road trip")
    dialog.get_by_role("button", name="Create and save").click()
    expect(dialog.get_by_role("checkbox", name="Road trip")).to_be_checked()
    dialog.get_by_role("button", name="Done").click()
    page.goto(f"/watch/{second['id']}")
    page.get_by_role("button", name="Save to playlist").click()
    dialog.get_by_role("checkbox", name="Road trip").click()  # saved, then shown ticked
    expect(dialog.get_by_role("checkbox", name="Road trip")).to_be_checked()
    dialog.get_by_role("button", name="Done").click()

    # My playlists leads to it; reorder with the buttons, by keyboard.
    page.goto("/me/videos")
    page.get_by_role("link", name="My playlists").click()
    page.get_by_role("link", name="Road trip").click()
    expect(page).to_have_url(re.compile(r"/playlist/\w+$"))
    playlist_id = page.url.rsplit("/", 1)[1]
    titles = page.locator(".playlist-entry-title")
    expect(titles).to_have_text(["First", "Second"])
    page.get_by_role("button", name='Move "Second" up').focus()
    page.keyboard.press("Enter")
    expect(titles).to_have_text(["Second", "First"])
    page.get_by_role("button", name='Move "Second" down').press("Enter")
    expect(titles).to_have_text(["First", "Second"])

    # Play all: the first plays, marked in the panel; at its end a countdown, which Cancel stops.
    page.get_by_role("link", name="Play all").click()
    expect(page).to_have_url(f"/watch/{first['id']}?list={playlist_id}")
    panel = page.get_by_role("complementary", name="Road trip")
    expect(panel.locator("[aria-current='true']")).to_contain_text("First")
    wait_playable(page)
    near_end = (
        "() => { const v = document.querySelector('video'); v.currentTime = v.duration - 0.3; }"
    )
    page.evaluate(near_end)
    up_next = panel.locator(".up-next")
    expect(up_next).to_contain_text("Up next")
    expect(up_next).to_contain_text("Second")
    up_next.get_by_role("button", name="Cancel").click()
    expect(up_next).to_have_count(0)
    expect(page).to_have_url(f"/watch/{first['id']}?list={playlist_id}")

    # Played to its end again, it moves on to the second by itself, which starts playing.
    page.evaluate("() => { const v = document.querySelector('video'); v.muted = true; v.play(); }")
    page.evaluate(near_end)
    expect(page).to_have_url(f"/watch/{second['id']}?list={playlist_id}", timeout=30_000)
    expect(panel.locator("[aria-current='true']")).to_contain_text("Second")
    page.wait_for_function(
        "() => { const v = document.querySelector('video'); "
        "return v && (v.currentTime > 0.2 || v.ended); }",
        timeout=30_000,
    )

    # Once private, the playlist is gone for others.
    visitor = new_page(viewport=PHONE, bypass_csp=True)
    if AXE.exists():
        check_page(visitor, f"/playlist/{playlist_id}")
        check_page(visitor, f"/u/{OWNER}")
    expect(visitor.get_by_role("link", name="Road trip")).to_be_visible()
    page.goto("/me/playlists")
    row = page.locator("li.my-playlist", has_text="Road trip")
    row.get_by_label("Visibility of Road trip").select_option("private")
    expect(row).to_contain_text("Private")
    visitor.goto(f"/playlist/{playlist_id}")
    expect(visitor.get_by_role("heading", name="Playlist not found")).to_be_visible()

    # The new pages fit a phone and pass axe, for their owner.
    if AXE.exists():
        phone = new_page(viewport=PHONE, bypass_csp=True)
        sign_in(phone, OWNER)
        check_page(phone, "/me/playlists")
        check_page(phone, f"/playlist/{playlist_id}")
        check_page(phone, f"/watch/{first['id']}?list={playlist_id}")
