"""Accounts in the browser beyond the journey: the other second factors (a recovery code, an
emailed code), the account page (devices, new recovery codes, password change, turning MFA off)
and a forgotten password reset with a mailed code."""

from __future__ import annotations

import httpx
import pyotp
import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import NewPage
from tests.browser.helpers import PASSWORD, Mailbox, api_account, enter_password, screenshot
from videoforge.testing.server import ServerProcess

pytestmark = pytest.mark.slow

NEW_PASSWORD = "battery staple 99"


def enrol_by_api(client: httpx.Client) -> list[str]:
    secret = client.post("/api/auth/mfa/totp/setup").json()["secret"]
    confirmed = client.post("/api/auth/mfa/totp/confirm", json={"code": pyotp.TOTP(secret).now()})
    confirmed.raise_for_status()
    codes: list[str] = confirmed.json()["recoveryCodes"]
    return codes


def signed_in(page: Page) -> None:
    expect(page.get_by_role("button", name="Sign out").first).to_be_visible()


def sign_out(page: Page) -> None:
    page.get_by_role("banner").get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()


def test_second_factors_account_page_and_password_reset(
    new_page: NewPage, server: ServerProcess, mailbox: Mailbox
) -> None:
    other_device = api_account(server, mailbox, "lena")
    recovery = enrol_by_api(other_device)
    page = new_page(viewport={"width": 1280, "height": 900})

    # A recovery code as the second step.
    enter_password(page, "lena")
    page.get_by_role("button", name="Use a recovery code").click()
    page.get_by_label("Recovery code").fill(recovery[0])
    page.get_by_role("button", name="Continue").click()
    signed_in(page)

    # The account page: two devices, the other one signed out from here.
    page.get_by_role("banner").get_by_role("link", name="lena").click()
    mfa = page.locator("section[data-mfa='on']")
    expect(mfa).to_contain_text("9 of 10 recovery codes left")
    devices = page.locator(".session-list li")
    expect(devices).to_have_count(2)
    expect(page.locator(".session-list li[data-current='true']")).to_contain_text("Chrome")
    screenshot(page, "account")
    page.get_by_role("button", name="Sign out all other devices").click()
    expect(devices).to_have_count(1)
    assert other_device.get("/api/auth/me").status_code == 401
    other_device.close()

    # New recovery codes, for a code of the old set.
    mfa.get_by_role("button", name="New recovery codes").click()
    mfa.get_by_label("Code from your authenticator app").fill(recovery[1])
    mfa.get_by_role("button", name="Make new codes").click()
    fresh = page.get_by_test_id("recovery-codes").locator("li")
    expect(fresh).to_have_count(10)
    new_codes = [code.strip() for code in fresh.all_inner_texts()]
    assert not set(new_codes) & set(recovery)
    page.get_by_role("button", name="I have saved my codes").click()
    expect(mfa).to_contain_text("10 of 10 recovery codes left")

    # An emailed code as the second step.
    sign_out(page)
    enter_password(page, "lena")
    page.get_by_role("button", name="Email me a code").click()
    expect(page.get_by_role("status")).to_contain_text("We sent a code to")
    page.get_by_label("Code from the email").fill(mailbox.next_code("lena@example.com"))
    page.get_by_role("button", name="Continue").click()
    signed_in(page)

    # Change the password, then turn two-step sign-in off with it and a code.
    page.goto("/account")
    page.get_by_label("Current password").fill(PASSWORD)
    page.get_by_label("New password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Change password").click()
    expect(page.get_by_text("Your password is changed")).to_be_visible()
    mfa.get_by_role("button", name="Turn off").click()
    mfa.get_by_label("Password", exact=True).fill(NEW_PASSWORD)
    mfa.get_by_label("Code from your authenticator app").fill(new_codes[0])
    mfa.get_by_role("button", name="Turn off two-step sign-in").click()
    expect(page.get_by_text("Two-step sign-in is off.")).to_be_visible()
    expect(page.locator("section[data-mfa='off']")).to_contain_text("Off.")

    # Forgot the password: a mailed code sets a new one.
    sign_out(page)
    page.goto("/signin")
    page.get_by_role("link", name="Forgot your password?").click()
    page.get_by_label("Email").fill("lena@example.com")
    page.get_by_role("button", name="Email me a code").click()
    page.get_by_label("Code from the email").fill(mailbox.next_code("lena@example.com"))
    page.get_by_label("New password").fill(PASSWORD)
    screenshot(page, "reset-password")
    page.get_by_role("button", name="Set the new password").click()
    expect(page.get_by_text("Your password is changed. Sign in with it.")).to_be_visible()
    enter_password(page, "lena")
    signed_in(page)


def test_an_unconfirmed_account_is_sent_to_the_code_page(
    new_page: NewPage, mailbox: Mailbox
) -> None:
    page = new_page(viewport={"width": 390, "height": 844})  # a phone
    page.goto("/signup")
    page.get_by_label("Username").fill("noor")
    page.get_by_label("Email").fill("noor@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()
    first = mailbox.next_code("noor@example.com")
    screenshot(page, "confirm-email-phone")

    enter_password(page, "noor")  # before confirming: refused, with the way forward
    expect(page.get_by_role("alert")).to_contain_text("Confirm your email first")
    page.get_by_role("link", name="Enter the code").click()
    page.get_by_label("Email").fill("noor@example.com")
    page.get_by_role("button", name="Send a new code").click()
    expect(page.get_by_role("status")).to_be_visible()
    second = mailbox.next_code("noor@example.com")
    page.get_by_label("Confirmation code").fill(second if second != first else first)
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_text("Your email is confirmed")).to_be_visible()
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    signed_in(page)
