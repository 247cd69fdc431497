"""A resumable upload survives a page reload: the upload starts on a slow connection, the page
is reloaded half-way, the same file is chosen again and the upload carries on from the bytes the
server already has, then the video appears in My videos. And the web app keeps its PATCHes
within the limit a server announces (as the gallery function on AWS Lambda does)."""

from __future__ import annotations

import math
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import NewPage
from tests.browser.helpers import Mailbox, api_account, screenshot, sign_in
from videoforge.testing.server import ServerProcess

pytestmark = pytest.mark.slow

TITLE = "Resumed after a reload"
SLOW_UPLOAD_BYTES_PER_SECOND = 150_000

# What the server holds of the upload this browser remembers (tus HEAD on its stored URL).
SERVER_OFFSET = """async () => {
  const key = Object.keys(localStorage).find((k) => k.startsWith('tus::'));
  const { uploadUrl } = JSON.parse(localStorage.getItem(key));
  const res = await fetch(uploadUrl, { method: 'HEAD', headers: {
    'Tus-Resumable': '1.0.0',
    Authorization: `Bearer ${localStorage.getItem('vf.accessToken')}`,
  } });
  return Number(res.headers.get('Upload-Offset'));
}"""


def choose_and_upload(page: Page, clip: Path) -> None:
    page.set_input_files("#file-input", clip)
    page.get_by_label("Title").fill(TITLE)
    page.get_by_role("button", name="Upload", exact=True).click()


def test_an_upload_carries_on_after_a_reload(
    new_page: NewPage, server: ServerProcess, mailbox: Mailbox, clip: Path
) -> None:
    api_account(server, mailbox, "rosa").close()
    page = new_page(viewport={"width": 1024, "height": 800})
    page.on("dialog", lambda dialog: dialog.accept())  # "leave the page while uploading?"
    sign_in(page, "rosa")
    network = page.context.new_cdp_session(page)
    network.send("Network.enable")
    slow = {"offline": False, "latency": 0, "downloadThroughput": -1}
    network.send(
        "Network.emulateNetworkConditions",
        {**slow, "uploadThroughput": SLOW_UPLOAD_BYTES_PER_SECOND},
    )

    page.goto("/upload")
    choose_and_upload(page, clip)
    page.wait_for_function(
        "() => (document.querySelector('.upload-progress progress')?.value ?? 0) >= 25"
    )
    screenshot(page, "upload-in-progress")
    page.reload()
    expect(page.get_by_role("heading", name="Upload videos")).to_be_visible()
    unfinished = page.locator(".unfinished")
    expect(unfinished).to_contain_text(clip.name)
    held = page.evaluate(SERVER_OFFSET)
    assert 0 < held < clip.stat().st_size, held

    network.send("Network.emulateNetworkConditions", {**slow, "uploadThroughput": -1})
    choose_and_upload(page, clip)
    expect(page.get_by_text("Uploaded. It is being processed now")).to_be_visible()
    # The remembered upload was the one finished (not a second, new one): nothing is left over.
    assert not page.evaluate("Object.keys(localStorage).some((k) => k.startsWith('tus::'))")
    page.get_by_role("link", name="follow it in My videos").click()
    expect(page.locator("li.my-video", has_text=TITLE)).to_be_visible()


MAX_CHUNK = 256 * 1024  # the smallest limit the setting takes, so a small clip needs several


@pytest.fixture(scope="module")
def limited_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    """A server that takes PATCHes of at most MAX_CHUNK bytes (413 past it)."""
    data_dir = tmp_path_factory.mktemp("limited") / "var"
    env = {"VIDEOFORGE_TUS_MAX_CHUNK_BYTES": str(MAX_CHUNK), "VIDEOFORGE_X264_PRESET": "ultrafast"}
    with ServerProcess(data_dir, env) as running:
        yield running


def test_patches_keep_within_the_announced_limit(
    new_page: NewPage, limited_server: ServerProcess, clip: Path
) -> None:
    size = clip.stat().st_size
    assert size > 2 * MAX_CHUNK
    api_account(limited_server, Mailbox(limited_server.data_dir / "mail"), "ines").close()
    page = new_page(base_url=limited_server.url, viewport={"width": 1024, "height": 800})
    patches: list[int] = []
    page.on("response", lambda r: patches.append(r.status) if r.request.method == "PATCH" else None)
    sign_in(page, "ines")

    page.goto("/upload")
    choose_and_upload(page, clip)

    expect(page.get_by_text("Uploaded. It is being processed now")).to_be_visible()
    # Every PATCH was taken (the server refuses a larger one), and each carried the whole limit.
    assert patches == [204] * math.ceil(size / MAX_CHUNK)
