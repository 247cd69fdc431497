"""Sign-up confirmation, password reset by mailed code, password change; nothing says whether an
address has an account."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import update
from sqlalchemy.orm import Session

from videoforge.db import EmailCode, utcnow

from .helpers import PASSWORD, bearer, error_message, login_answer, mailed_code, mailer_of, sign_up

NEW_PASSWORD = "battery staple 99"


def register_only(client: TestClient, username: str) -> None:
    body = {"username": username, "email": f"{username}@example.com", "password": PASSWORD}
    resp = client.post("/api/auth/register", json=body)
    assert resp.status_code == 202, resp.text
    assert f"{username[0]}…@example.com" in resp.json()["message"]


def test_sign_up_needs_the_mailed_code(auth_client: TestClient) -> None:
    register_only(auth_client, "ann")
    message = mailer_of(auth_client).last_to("ann@example.com")
    assert message is not None and message["Subject"] == "Confirm your VideoForge account"
    resp = auth_client.post("/api/auth/login", json={"username": "ann", "password": PASSWORD})
    assert error_message(resp, 403) == (
        "Confirm your email first: we sent a code to a…@example.com."
    )
    assert resp.json()["error"]["code"] == "email_not_confirmed"
    # A wrong password says nothing about the confirmation.
    resp = auth_client.post("/api/auth/login", json={"username": "ann", "password": "x" * 12})
    assert error_message(resp, 401) == "Wrong username or password."

    wrong = {"email": "ann@example.com", "confirmationCode": "000000"}
    if mailed_code(auth_client, "ann@example.com") == "000000":
        wrong["confirmationCode"] = "111111"
    assert "not right" in error_message(
        auth_client.post("/api/auth/confirm-email", json=wrong), 400
    )
    code = mailed_code(auth_client, "ann@example.com")
    body = {"email": "ANN@example.com", "confirmationCode": code}
    assert auth_client.post("/api/auth/confirm-email", json=body).status_code == 200
    assert login_answer(auth_client, "ann")["status"] == "authenticated"
    # A code works once.
    assert auth_client.post("/api/auth/confirm-email", json=body).status_code == 400


def test_a_resent_code_replaces_the_first_and_codes_expire(
    auth_client: TestClient, db: Session
) -> None:
    register_only(auth_client, "bea")
    first = mailed_code(auth_client, "bea@example.com")
    resp = auth_client.post("/api/auth/resend-confirmation", json={"email": "bea@example.com"})
    assert resp.status_code == 202
    second = mailed_code(auth_client, "bea@example.com")
    if first != second:
        body = {"email": "bea@example.com", "confirmationCode": first}
        assert auth_client.post("/api/auth/confirm-email", json=body).status_code == 400
    db.execute(update(EmailCode).values(expires_at=utcnow() - timedelta(seconds=1)))
    db.commit()
    body = {"email": "bea@example.com", "confirmationCode": second}
    assert auth_client.post("/api/auth/confirm-email", json=body).status_code == 400


def test_answers_do_not_tell_which_addresses_have_accounts(auth_client: TestClient) -> None:
    sign_up(auth_client, "cai")
    for path in ("/api/auth/resend-confirmation", "/api/auth/forgot-password"):
        known = auth_client.post(path, json={"email": "cai@example.com"})
        unknown = auth_client.post(path, json={"email": "nobody@example.com"})
        assert known.status_code == unknown.status_code == 202
        assert known.json() == unknown.json()
    body = {"email": "nobody@example.com", "confirmationCode": "123456"}
    unknown = auth_client.post("/api/auth/confirm-email", json=body)
    body = {"email": "cai@example.com", "confirmationCode": "123456"}
    known = auth_client.post("/api/auth/confirm-email", json=body)
    assert (unknown.status_code, unknown.json()) == (known.status_code, known.json())
    assert mailer_of(auth_client).last_to("nobody@example.com") is None


def test_password_reset_by_mailed_code_ends_every_session(auth_client: TestClient) -> None:
    sign_up(auth_client, "dan")
    old = login_answer(auth_client, "dan")
    auth_client.post("/api/auth/forgot-password", json={"email": "dan@example.com"})
    code = mailed_code(auth_client, "dan@example.com")
    body = {"email": "dan@example.com", "code": code, "newPassword": "short"}
    assert "10 to 256" in error_message(
        auth_client.post("/api/auth/reset-password", json=body), 400
    )
    body["newPassword"] = NEW_PASSWORD
    resp = auth_client.post("/api/auth/reset-password", json=body)
    assert resp.status_code == 200, resp.text
    assert auth_client.post("/api/auth/reset-password", json=body).status_code == 400  # used
    assert auth_client.get("/api/auth/me", headers=bearer(old["accessToken"])).status_code == 401
    refresh = auth_client.post("/api/auth/refresh", json={"refreshToken": old["refreshToken"]})
    assert refresh.status_code == 401
    bad = auth_client.post("/api/auth/login", json={"username": "dan", "password": PASSWORD})
    assert bad.status_code == 401
    assert login_answer(auth_client, "dan", NEW_PASSWORD)["status"] == "authenticated"


def test_password_change_ends_other_sessions_and_keeps_this_one(auth_client: TestClient) -> None:
    sign_up(auth_client, "eve")
    phone, laptop = login_answer(auth_client, "eve"), login_answer(auth_client, "eve")
    body = {"currentPassword": "not the password", "newPassword": NEW_PASSWORD}
    resp = auth_client.post(
        "/api/auth/change-password", json=body, headers=bearer(laptop["accessToken"])
    )
    assert error_message(resp, 401) == "The current password is not right."
    body["currentPassword"] = PASSWORD
    resp = auth_client.post(
        "/api/auth/change-password", json=body, headers=bearer(laptop["accessToken"])
    )
    assert resp.status_code == 200, resp.text
    fresh = resp.json()
    assert fresh["status"] == "authenticated"
    for old in (phone, laptop):
        assert (
            auth_client.get("/api/auth/me", headers=bearer(old["accessToken"])).status_code == 401
        )
    assert auth_client.get("/api/auth/me", headers=bearer(fresh["accessToken"])).status_code == 200
    assert login_answer(auth_client, "eve", NEW_PASSWORD)["status"] == "authenticated"
