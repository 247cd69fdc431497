"""Every page at phone width and for a screen reader: no page scrolls sideways at 390 px, and
axe-core finds no serious or critical accessibility violation. Along the way, what owners and
administrators see of videos others do not: Private and Unlisted badges, and the description's
links (made clickable without letting any markup through)."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import NewPage
from tests.browser.helpers import Mailbox, api_account, enter_password, sign_in
from tests.browser.test_admin import create_admin
from tests.browser.test_sharing import wait_until_ready
from videoforge.testing.server import ServerProcess

pytestmark = pytest.mark.slow

AXE = Path(__file__).resolve().parents[2] / "frontend" / "node_modules" / "axe-core" / "axe.min.js"
PHONE = {"width": 390, "height": 844}
DESCRIPTION = "Notes at https://example.org/notes. <b>not bold</b>"

# What sticks out past the right edge (the outermost such elements), to say what to fix.
TOO_WIDE = """() => [...document.querySelectorAll('body *')]
  .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 0.5)
  .filter((e) => !e.parentElement.closest('*') || e.parentElement.getBoundingClientRect().right
    <= window.innerWidth + 0.5)
  .map((e) => `${e.tagName.toLowerCase()}.${e.className}`).slice(0, 5)"""

SERIOUS_VIOLATIONS = """async () => {
  const { violations } = await axe.run(document, { resultTypes: ['violations'] });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}"""


def check_page(page: Page, path: str, ready: str = "h1") -> None:
    """Open `path`, wait for `ready` to show, then: no sideways scroll, no serious axe
    violation."""
    page.goto(path)
    expect(page.locator(ready).first).to_be_visible()
    expect(page.locator("[role='status']", has_text="Loading")).to_have_count(0)
    page.wait_for_load_state("networkidle")  # the page's data has arrived and is shown
    wide = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert wide[0] <= wide[1], f"{path} scrolls sideways: {wide}: {page.evaluate(TOO_WIDE)}"
    page.add_script_tag(path=str(AXE))
    assert page.evaluate(SERIOUS_VIOLATIONS) == [], path


def upload(client: httpx.Client, clip: Path, title: str, visibility: str) -> dict[str, str]:
    """An upload with a description holding a link and some markup."""
    with clip.open("rb") as file:
        resp = client.post(
            "/api/gallery/videos",
            files={"file": (clip.name, file, "video/mp4")},
            data={"title": title, "description": DESCRIPTION, "visibility": visibility},
        )
    assert resp.status_code == 202, resp.text
    video: dict[str, str] = resp.json()
    return video


def test_every_page_fits_a_phone_and_passes_axe(
    new_page: NewPage, server: ServerProcess, mailbox: Mailbox, clip: Path
) -> None:
    if not AXE.exists():
        pytest.skip("npm --prefix frontend ci installs axe-core")
    client = api_account(server, mailbox, "keeper")
    try:
        private = upload(client, clip, "Kept to myself", "private")
        upload(client, clip, "For the ones with the link", "unlisted")
        wait_until_ready(client, private["jobId"])
    finally:
        client.close()
    create_admin(server)

    visitor = new_page(viewport=PHONE, bypass_csp=True)  # signed out
    for path in ["/", "/signin", "/signup", "/signup/confirm", "/signin/reset", "/no-such-page"]:
        check_page(visitor, path)
    check_page(visitor, "/u/keeper")  # a channel
    check_page(visitor, "/u/nobody")
    check_page(visitor, f"/embed/{private['id']}", ready=".embed-message")  # unavailable

    # A wrong password: the green note from the page before goes, the red error stays alone.
    visitor.goto("/signin?confirmed=1")
    expect(visitor.get_by_text("Your email is confirmed")).to_be_visible()
    enter_password(visitor, "keeper", "not the password")
    expect(visitor.get_by_role("alert")).to_be_visible()
    expect(visitor.get_by_text("Your email is confirmed")).to_have_count(0)

    owner = new_page(viewport=PHONE, bypass_csp=True)
    sign_in(owner, "keeper")
    owner.goto("/")
    # The gallery lists public videos only; one's own others are in My videos.
    expect(owner.get_by_role("heading", name="Gallery")).to_be_visible()
    expect(owner.locator(".video-card", has_text="Kept to myself")).to_have_count(0)
    owner.goto("/signin")  # already signed in: nothing to do there
    expect(owner).to_have_url("/")
    check_page(owner, "/me/videos")
    expect(owner.locator("li.my-video", has_text="For the ones")).to_contain_text("Unlisted")
    expect(owner.locator("li.my-video", has_text="Kept to myself")).to_contain_text("Private")
    titles = owner.locator("dialog").evaluate_all(
        "ds => ds.map(d => d.getAttribute('aria-labelledby'))"
    )
    assert len(set(titles)) == len(titles) == 2, titles  # each delete dialog names its own video
    # Header: brand and account on one row, the sections on the next.
    header = owner.locator(".site-header").bounding_box()
    row = owner.get_by_role("link", name="Gallery").bounding_box()
    assert header and row and header["height"] < 3 * row["height"] + 40, (header, row)

    admin = new_page(viewport=PHONE, bypass_csp=True)
    sign_in(admin, "root")
    check_page(admin, "/")
    check_page(admin, f"/watch/{private['id']}")
    info = admin.locator(".watch-info")
    expect(info).to_contain_text("Private")
    link = info.get_by_role("link", name="https://example.org/notes")
    expect(link).to_have_attribute("href", "https://example.org/notes")
    expect(info.locator("b")).to_have_count(0)  # the description's markup stays text
    expect(info).to_contain_text("<b>not bold</b>")
    check_page(admin, "/admin?tab=users", ready="tr[data-username='keeper']")
    for path in ["/upload", "/account", "/admin", "/admin?tab=jobs", "/u/root"]:
        check_page(admin, path)
