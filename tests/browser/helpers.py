"""Steps the browser tests share: screenshots, accounts, waiting for playback."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
PASSWORD = "correct horse 42"


def screenshot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def sign_up(page: Page, username: str) -> None:
    page.goto("/signup")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Email").fill(f"{username}@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_text("Your account is ready")).to_be_visible()


def sign_in(page: Page, username: str) -> None:
    if "/signin" not in page.url:
        page.goto("/signin")
    page.get_by_label("Username or email").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def current_time(page: Page) -> float:
    return float(page.evaluate("document.querySelector('video').currentTime"))


def play_until_advancing(page: Page, past: float = 0.0) -> None:
    """Start playback (muted, as browsers allow without a gesture) and wait for time to pass."""
    page.wait_for_selector("video")
    page.evaluate(
        "() => { const v = document.querySelector('video'); v.muted = true; return v.play(); }"
    )
    page.wait_for_function(
        "t => document.querySelector('video').currentTime > t + 0.5", arg=past, timeout=30_000
    )
