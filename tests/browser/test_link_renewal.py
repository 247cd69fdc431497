"""Issue 10: a viewer is never interrupted by media links expiring. The server here hands out
links that live TTL seconds (instead of hours), and the viewer keeps watching across several
of their expiries, switching quality after each so that the player must load playlists and
segments with links it renewed itself. The page fixture fails the test on any refused media
request (403/404) or console error."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Request, expect

from tests.browser.conftest import NewPage
from tests.browser.helpers import Mailbox, api_account, current_time, play_until_advancing
from tests.browser.test_sharing import upload, wait_until_ready
from videoforge.testing.clips import make_clip
from videoforge.testing.server import ServerProcess

pytestmark = pytest.mark.slow

TTL = 6  # seconds a media link works on this server
EXPIRIES = 3


@pytest.fixture(scope="module")
def short_links(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    data_dir = tmp_path_factory.mktemp("renewal") / "var"
    env = {
        "VIDEOFORGE_X264_PRESET": "ultrafast",
        "VIDEOFORGE_QUEUE_POLL_SECONDS": "0.2",
        "VIDEOFORGE_MEDIA_URL_TTL_SECONDS": str(TTL),
    }
    with ServerProcess(data_dir, env) as running:
        yield running


def test_the_player_renews_its_links_while_playing(
    new_page: NewPage, short_links: ServerProcess, session_ffmpeg: str, tmp_path: Path
) -> None:
    clip = make_clip(session_ffmpeg, tmp_path / "long.mp4", seconds=30, width=640, height=360)
    client = api_account(short_links, Mailbox(short_links.data_dir / "mail"), "watcher")
    try:
        video = upload(client, clip, "A long watch", "public")
        wait_until_ready(client, video["jobId"])
    finally:
        client.close()

    page = new_page(base_url=short_links.url)
    segment_tokens: list[str] = []

    def note_segment(request: Request) -> None:
        parts = urlsplit(request.url).path.split("/")  # /media/{video}/{token}/hls/...
        if parts[1] == "media" and parts[-1].endswith(".m4s"):
            segment_tokens.append(parts[3])

    page.on("request", note_segment)
    page.goto(f"/watch/{video['id']}")
    play_until_advancing(page)
    page.get_by_role("button", name="Settings").click()  # the quality menu stays open
    quality = page.locator("#quality")
    levels = [o for o in quality.locator("option").evaluate_all("os => os.map(o => o.value)")]
    labels = quality.locator("option").all_inner_texts()
    rungs = [(value, label) for value, label in zip(levels, labels, strict=True) if value != "auto"]
    assert len(rungs) == 2, labels

    for round_ in range(EXPIRIES):
        # Every link the page holds expires meanwhile. (Waiting in the page, not in time.sleep:
        # the fixture's request routing needs this process to answer, or requests would queue.)
        page.wait_for_timeout((TTL + 1) * 1000)
        value, label = rungs[round_ % 2]
        before = current_time(page)
        quality.select_option(value)  # drops the buffer: new playlist and segment requests
        expect(page.locator(".player")).to_have_attribute("data-playing-level", label)
        page.wait_for_function(
            "t => document.querySelector('video').currentTime > t + 0.5", arg=before
        )

    expect(page.get_by_role("alert")).to_have_count(0)
    assert current_time(page) > EXPIRIES * TTL  # watched across every expiry
    renewed = list(dict.fromkeys(segment_tokens))
    assert len(renewed) > EXPIRIES, renewed  # segments came under fresh tokens each time
