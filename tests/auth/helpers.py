"""Helpers for auth tests: sign up (reading the mailed code), sign in, codes, error bodies."""

from __future__ import annotations

import re
import time
from typing import Any

import pyotp
from fastapi.testclient import TestClient

from videoforge.mail import LogMailer

PASSWORD = "correct horse 42"


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def mailer_of(client: TestClient) -> LogMailer:
    mailer: LogMailer = client.app.state.ctx.mailer  # type: ignore[attr-defined]
    return mailer


def mailed_code(client: TestClient, email: str) -> str:
    """The 6-digit code in the newest message to `email`."""
    message = mailer_of(client).last_to(email)
    assert message is not None, f"no mail to {email}"
    found = re.search(r"\b(\d{6})\b", message.get_content())
    assert found, message.get_content()
    return found.group(1)


def sign_up(client: TestClient, username: str, email: str | None = None) -> dict[str, Any]:
    """Register and confirm the email with the mailed code; returns the register answer."""
    email = email or f"{username}@example.com"
    body = {"username": username, "email": email, "password": PASSWORD}
    resp = client.post("/api/auth/register", json=body)
    assert resp.status_code == 202, resp.text
    answer: dict[str, Any] = resp.json()
    confirm = {"email": email, "confirmationCode": mailed_code(client, email.lower())}
    resp = client.post("/api/auth/confirm-email", json=confirm)
    assert resp.status_code == 200, resp.text
    return answer


def login_answer(client: TestClient, username: str, password: str = PASSWORD) -> dict[str, Any]:
    resp = client.post("/api/auth/login", json={"username": username, "password": password})
    assert resp.status_code == 200, resp.text
    answer: dict[str, Any] = resp.json()
    return answer


def error_message(resp: Any, status: int) -> str:
    assert resp.status_code == status, resp.text
    body = resp.json()
    assert body["message"] == body["error"]["message"]
    message: str = body["message"]
    return message


def totp_code(secret: str, steps_ahead: int = 0) -> str:
    """The code of the current time step (or one of the next ones, still accepted)."""
    totp = pyotp.TOTP(secret)
    return totp.generate_otp(totp.timecode(time.time()) + steps_ahead)


def enrol_totp(client: TestClient, token: str) -> tuple[str, list[str]]:
    """Turn TOTP on for the bearer of `token`; returns the secret and the recovery codes."""
    setup = client.post("/api/auth/mfa/totp/setup", headers=bearer(token))
    assert setup.status_code == 200, setup.text
    secret: str = setup.json()["secret"]
    resp = client.post(
        "/api/auth/mfa/totp/confirm", json={"code": totp_code(secret)}, headers=bearer(token)
    )
    assert resp.status_code == 200, resp.text
    codes: list[str] = resp.json()["recoveryCodes"]
    return secret, codes
