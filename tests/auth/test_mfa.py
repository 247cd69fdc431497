"""Two-step sign-in: TOTP enrolment, recovery codes, mailed codes, and MFA required by an admin."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import update
from sqlalchemy.orm import Session

from videoforge.db import MfaChallenge, utcnow

from .conftest import AuthContext
from .helpers import (
    PASSWORD,
    bearer,
    enrol_totp,
    error_message,
    login_answer,
    mailed_code,
    sign_up,
    totp_code,
)


def signed_in_token(client: TestClient, username: str) -> str:
    sign_up(client, username)
    token: str = login_answer(client, username)["accessToken"]
    return token


def complete(client: TestClient, session: str, code: str) -> tuple[int, dict[str, Any]]:
    resp = client.post("/api/auth/mfa/complete", json={"session": session, "otpCode": code})
    return resp.status_code, resp.json()


def test_totp_enrolment_and_sign_in(auth_client: TestClient) -> None:
    token = signed_in_token(auth_client, "ann")
    setup = auth_client.post("/api/auth/mfa/totp/setup", headers=bearer(token)).json()
    assert set(setup) == {"secret", "otpauthUri", "qrSvg"}
    assert setup["otpauthUri"].startswith("otpauth://totp/VideoForge:ann%40example.com?")
    assert f"secret={setup['secret']}" in setup["otpauthUri"]
    assert setup["qrSvg"].startswith("data:image/svg+xml")
    # Until confirmed, signing in needs no code.
    assert login_answer(auth_client, "ann")["status"] == "authenticated"

    wrong = auth_client.post(
        "/api/auth/mfa/totp/confirm", json={"code": "000000"}, headers=bearer(token)
    )
    assert "not right" in error_message(wrong, 401)
    first_code = totp_code(setup["secret"])
    resp = auth_client.post(
        "/api/auth/mfa/totp/confirm", json={"code": first_code}, headers=bearer(token)
    )
    recovery = resp.json()["recoveryCodes"]
    assert len(recovery) == 10 and len(set(recovery)) == 10
    status = auth_client.get("/api/auth/mfa", headers=bearer(token)).json()
    assert status == {"totpEnabled": True, "required": False, "recoveryCodesLeft": 10}

    challenge = login_answer(auth_client, "ann")
    assert set(challenge) == {"status", "session", "methods", "expiresIn"}
    assert challenge["status"] == "mfa_required"
    assert challenge["methods"] == ["totp", "recovery", "email"]
    assert challenge["expiresIn"] == 300
    assert "accessToken" not in challenge

    # The code that confirmed the setup was used: it cannot sign in (no replay).
    code, body = complete(auth_client, challenge["session"], first_code)
    assert (code, body["error"]["code"]) == (401, "invalid_code")
    code, body = complete(auth_client, challenge["session"], totp_code(setup["secret"], 1))
    assert code == 200, body
    assert body["status"] == "authenticated" and body["user"]["username"] == "ann"
    assert auth_client.get("/api/auth/me", headers=bearer(body["accessToken"])).status_code == 200

    # A challenge works once, and a code twice never.
    code, body = complete(auth_client, challenge["session"], totp_code(setup["secret"], 1))
    assert (code, body["error"]["code"]) == (401, "mfa_session_invalid")
    again = login_answer(auth_client, "ann")["session"]
    code, body = complete(auth_client, again, totp_code(setup["secret"], 1))
    assert (code, body["error"]["code"]) == (401, "invalid_code")


def test_setup_twice_is_refused_once_on(auth_client: TestClient) -> None:
    token = signed_in_token(auth_client, "abe")
    enrol_totp(auth_client, token)
    resp = auth_client.post("/api/auth/mfa/totp/setup", headers=bearer(token))
    assert "already on" in error_message(resp, 409)
    assert error_message(auth_client.post("/api/auth/mfa/totp/setup"), 401)


def test_recovery_codes_work_once_and_can_be_replaced(auth_client: TestClient) -> None:
    token = signed_in_token(auth_client, "bob")
    _secret, recovery = enrol_totp(auth_client, token)
    session = login_answer(auth_client, "bob")["session"]
    status, body = complete(auth_client, session, recovery[0].upper())  # case does not matter
    assert status == 200, body
    session = login_answer(auth_client, "bob")["session"]
    assert complete(auth_client, session, recovery[0])[0] == 401

    resp = auth_client.post(
        "/api/auth/mfa/recovery-codes", json={"code": "123456"}, headers=bearer(token)
    )
    assert error_message(resp, 401)
    resp = auth_client.post(
        "/api/auth/mfa/recovery-codes", json={"code": recovery[1]}, headers=bearer(token)
    )
    fresh = resp.json()["recoveryCodes"]
    assert len(fresh) == 10 and not set(fresh) & set(recovery)
    session = login_answer(auth_client, "bob")["session"]
    assert complete(auth_client, session, recovery[2])[0] == 401  # the old set is gone
    assert complete(auth_client, session, fresh[0])[0] == 200


def test_mailed_code_as_second_factor(auth_client: TestClient) -> None:
    token = signed_in_token(auth_client, "cat")
    enrol_totp(auth_client, token)
    session = login_answer(auth_client, "cat")["session"]
    resp = auth_client.post("/api/auth/mfa/email/send", json={"session": session})
    assert resp.status_code == 202, resp.text
    assert resp.json()["destination"] == "c…@example.com"
    code = mailed_code(auth_client, "cat@example.com")
    status, body = complete(auth_client, session, code)
    assert status == 200, body
    # Another sign-in cannot use that code.
    other = login_answer(auth_client, "cat")["session"]
    assert complete(auth_client, other, code)[0] == 401


def test_a_stale_challenge_is_refused(auth_client: TestClient, db: Session) -> None:
    token = signed_in_token(auth_client, "dee")
    secret, _ = enrol_totp(auth_client, token)
    session = login_answer(auth_client, "dee")["session"]
    db.execute(update(MfaChallenge).values(expires_at=utcnow() - timedelta(seconds=1)))
    db.commit()
    status, body = complete(auth_client, session, totp_code(secret, 1))
    assert (status, body["error"]["code"]) == (401, "mfa_session_invalid")
    assert complete(auth_client, "made-up", totp_code(secret, 1))[0] == 401


def test_turning_mfa_off_needs_password_and_code(auth_client: TestClient) -> None:
    token = signed_in_token(auth_client, "eli")
    secret, recovery = enrol_totp(auth_client, token)
    body = {"password": "wrong password!", "code": totp_code(secret, 1)}
    resp = auth_client.post("/api/auth/mfa/disable", json=body, headers=bearer(token))
    assert error_message(resp, 401) == "The password or the code is not right."
    body = {"password": PASSWORD, "code": recovery[0]}
    resp = auth_client.post("/api/auth/mfa/disable", json=body, headers=bearer(token))
    assert resp.status_code == 200, resp.text
    assert login_answer(auth_client, "eli")["status"] == "authenticated"
    resp = auth_client.post("/api/auth/mfa/disable", json=body, headers=bearer(token))
    assert "not on" in error_message(resp, 403)


def test_required_mfa_makes_users_enrol_at_sign_in(
    auth_client: TestClient, auth_ctx: AuthContext
) -> None:
    sign_up(auth_client, "fox")
    auth_ctx.settings = auth_ctx.settings.model_copy(update={"require_mfa": True})
    answer = login_answer(auth_client, "fox")
    assert set(answer) == {"status", "session", "expiresIn"}
    assert answer["status"] == "mfa_enrolment_required"
    session = answer["session"]
    # The enrolment session is good for setting up TOTP and nothing else.
    assert complete(auth_client, session, "123456")[0] == 401
    assert auth_client.get("/api/auth/me", headers=bearer(session)).status_code == 401

    setup = auth_client.post("/api/auth/mfa/totp/setup", json={"session": session}).json()
    resp = auth_client.post(
        "/api/auth/mfa/totp/confirm",
        json={"session": session, "code": totp_code(setup["secret"])},
    )
    assert resp.status_code == 200, resp.text
    enrolled = resp.json()
    assert len(enrolled["recoveryCodes"]) == 10
    assert enrolled["status"] == "authenticated"
    token = enrolled["accessToken"]
    assert auth_client.get("/api/auth/me", headers=bearer(token)).json()["username"] == "fox"
    # Used up; from now on a code is asked for; and it cannot be turned off.
    resp = auth_client.post("/api/auth/mfa/totp/setup", json={"session": session})
    assert error_message(resp, 401)
    assert login_answer(auth_client, "fox")["status"] == "mfa_required"
    body = {"password": PASSWORD, "code": enrolled["recoveryCodes"][0]}
    resp = auth_client.post("/api/auth/mfa/disable", json=body, headers=bearer(token))
    assert "requires two-step" in error_message(resp, 403)
