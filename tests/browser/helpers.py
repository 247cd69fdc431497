"""Steps the browser tests share: screenshots, mailed codes, accounts, waiting for playback."""

from __future__ import annotations

import re
import time
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import httpx
import pyotp
from playwright.sync_api import Page, expect

from videoforge.testing.server import ServerProcess

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
PASSWORD = "correct horse 42"


def screenshot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


class Mailbox:
    """The server's LogMailer output (data_dir/mail/*.eml), read message by message."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.seen: set[str] = set()

    def next_code(self, to: str, timeout: float = 10) -> str:
        """The 6-digit code of the next unread message to `to` (waiting for it to arrive)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for path in sorted(self.directory.glob("*.eml"), key=lambda p: p.stat().st_mtime_ns):
                if path.name in self.seen:
                    continue
                message = message_from_bytes(path.read_bytes(), policy=policy.default)
                assert isinstance(message, EmailMessage)
                if message["To"] != to:
                    continue
                self.seen.add(path.name)
                found = re.search(r"\b(\d{6})\b", message.get_content())
                assert found, message.get_content()
                return found.group(1)
            time.sleep(0.1)
        raise AssertionError(f"no new mail to {to} within {timeout} s")


def next_totp(secret: str) -> str:
    """The code of the next 30 s step. The server accepts one step either side of now, but never
    a step at or before the last one used; enrolment used the current step, so the next step's
    code is the one a person would type half a minute later, without waiting for it."""
    totp = pyotp.TOTP(secret)
    return totp.generate_otp(totp.timecode(time.time()) + 1)


def sign_up(page: Page, mailbox: Mailbox, username: str) -> None:
    """Create an account in the page and confirm its email with the mailed code."""
    email = f"{username}@example.com"
    page.goto("/signup")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("heading", name="Enter the code we emailed")).to_be_visible()
    page.get_by_label("Confirmation code").fill(mailbox.next_code(email))
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_text("Your email is confirmed")).to_be_visible()


def enter_password(page: Page, username: str, password: str = PASSWORD) -> None:
    if "/signin" not in page.url:
        page.goto("/signin")
    page.get_by_label("Username or email").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def sign_in(page: Page, username: str) -> None:
    """Sign in an account without a second factor."""
    enter_password(page, username)
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def api_account(server: ServerProcess, mailbox: Mailbox, username: str) -> httpx.Client:
    """Register and confirm an account through the API; a client signed in as it."""
    client = httpx.Client(base_url=server.url, timeout=30)
    email = f"{username}@example.com"
    account = {"username": username, "email": email, "password": PASSWORD}
    client.post("/api/auth/register", json=account).raise_for_status()
    confirm = {"email": email, "confirmationCode": mailbox.next_code(email)}
    client.post("/api/auth/confirm-email", json=confirm).raise_for_status()
    login = client.post("/api/auth/login", json={"username": username, "password": PASSWORD})
    login.raise_for_status()
    client.headers["Authorization"] = f"Bearer {login.json()['accessToken']}"
    return client


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
