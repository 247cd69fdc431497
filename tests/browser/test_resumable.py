"""A resumable upload survives a page reload: the upload starts on a slow connection, the page
is reloaded half-way, the same file is chosen again and the upload carries on from the bytes the
server already has, then the video appears in My videos."""

from __future__ import annotations

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
