"""The viewer's side in the browser: a channel edited on the Account page (name, bio, avatar),
the owner's name linking to it, likes, comments with a reply, an edit and a delete, comments
turned off; the new pages at phone width and through axe-core."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import NewPage
from tests.browser.helpers import Mailbox, api_account, sign_in
from tests.browser.test_pages import AXE, PHONE, check_page
from tests.browser.test_sharing import upload
from videoforge.testing.server import ServerProcess

pytestmark = pytest.mark.slow


def test_channel_likes_and_comments(
    new_page: NewPage,
    server: ServerProcess,
    mailbox: Mailbox,
    clip: Path,
    session_ffmpeg: str,
    tmp_path: Path,
) -> None:
    if not AXE.exists():
        pytest.skip("npm --prefix frontend ci installs axe-core")
    author = api_account(server, mailbox, "author")
    video = upload(author, clip, "Social clip", "public")
    api_account(server, mailbox, "fan").close()
    avatar = tmp_path / "me.png"
    subprocess.run(
        [session_ffmpeg, "-loglevel", "error", "-f", "lavfi", "-i", "testsrc=size=320x200",
         "-frames:v", "1", str(avatar)],
        check=True,
    )  # fmt: skip

    # The author makes their channel on the Account page.
    page = new_page(viewport=PHONE, bypass_csp=True)
    sign_in(page, "author")
    page.goto("/account")
    page.get_by_label("Display name").fill("Ann Author")
    page.get_by_label("Bio").fill("Short films. More at https://example.org/films")
    page.get_by_role("button", name="Save channel").click()
    expect(page.get_by_text("Your channel is saved.")).to_be_visible()
    page.locator("#avatar-file").set_input_files(str(avatar))
    expect(page.get_by_text("Your avatar is saved.")).to_be_visible()
    expect(page.locator(".profile img.avatar")).to_be_visible()

    check_page(page, "/u/author")
    expect(page.get_by_role("heading", name="Ann Author")).to_be_visible()
    expect(page.get_by_role("link", name="https://example.org/films")).to_be_visible()
    expect(page.locator(".channel-head img.avatar")).to_have_js_property("naturalWidth", 256)
    expect(page.locator(".video-card", has_text="Social clip")).to_be_visible()

    # A fan finds the channel from the watch page, likes the video and comments.
    fan = new_page(viewport=PHONE, bypass_csp=True)
    sign_in(fan, "fan")
    fan.goto(video["shareUrl"])
    owner_link = fan.locator(".watch-info").get_by_role("link", name="author", exact=True)
    expect(owner_link).to_have_attribute("href", "/u/author")
    like = fan.get_by_role("button", name="Like")
    expect(like).to_have_attribute("aria-pressed", "false")
    like.click()
    expect(like).to_have_attribute("aria-pressed", "true")
    expect(like).to_contain_text("1 like")

    fan.get_by_label("Add a comment").fill("Lovely <i>clip</i>, see https://example.org/a")
    fan.get_by_role("button", name="Comment", exact=True).click()
    comment = fan.locator(".comment", has_text="Lovely")
    expect(comment.get_by_role("link", name="https://example.org/a")).to_be_visible()
    expect(comment.locator("i")).to_have_count(0)  # text stays text
    expect(fan.get_by_role("heading", name="1 comment")).to_be_visible()

    comment.get_by_role("button", name="Reply to fan").click()
    fan.get_by_label("Reply to fan").fill("And a second thought")
    fan.get_by_role("button", name="Reply", exact=True).click()
    reply = fan.locator(".replies .comment")
    expect(reply).to_contain_text("And a second thought")
    reply.get_by_role("button", name="Edit your comment").click()
    fan.get_by_label("Edit comment by fan").fill("And a better thought")
    fan.get_by_role("button", name="Save", exact=True).click()
    expect(reply).to_contain_text("And a better thought")
    expect(reply).to_contain_text("(edited)")
    check_page(fan, video["shareUrl"], ready=".comment")

    fan.once("dialog", lambda dialog: dialog.accept())
    reply.get_by_role("button", name="Delete comment by fan").click()
    expect(fan.locator(".replies .comment")).to_have_count(0)
    expect(fan.get_by_role("heading", name="1 comment")).to_be_visible()

    # The author turns comments off: the fan sees so and no form.
    resp = author.patch(f"/api/gallery/videos/{video['id']}", json={"commentsEnabled": False})
    assert resp.status_code == 200, resp.text
    author.close()
    fan.reload()
    expect(fan.get_by_text("Comments are turned off for this video.")).to_be_visible()
    expect(fan.get_by_label("Add a comment")).to_have_count(0)
