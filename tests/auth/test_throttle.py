"""Guessing is limited per account and per address, the same for accounts that do not exist."""

from __future__ import annotations

from fastapi.testclient import TestClient

from .conftest import AuthContext
from .helpers import PASSWORD, enrol_totp, error_message, login_answer, sign_up


def limit_to(auth_ctx: AuthContext, attempts: int) -> None:
    auth_ctx.settings = auth_ctx.settings.model_copy(update={"auth_max_attempts": attempts})


def wrong_login(client: TestClient, username: str) -> int:
    body = {"username": username, "password": "not the password"}
    return client.post("/api/auth/login", json=body).status_code


def test_too_many_wrong_passwords_answer_429_with_retry_after(
    auth_client: TestClient, auth_ctx: AuthContext
) -> None:
    limit_to(auth_ctx, 3)
    sign_up(auth_client, "ann")
    for _ in range(3):
        assert wrong_login(auth_client, "ann") == 401
    resp = auth_client.post("/api/auth/login", json={"username": "ann", "password": PASSWORD})
    assert "Too many attempts" in error_message(resp, 429)
    assert 0 < int(resp.headers["retry-after"]) <= 15 * 60
    # An account that does not exist is limited the same way: 429 tells nothing.
    for _ in range(3):
        wrong_login(auth_client, "nobody")
    limited = auth_client.post("/api/auth/login", json={"username": "nobody", "password": "x"})
    assert limited.status_code == 429


def test_the_address_is_limited_across_accounts(
    auth_client: TestClient, auth_ctx: AuthContext
) -> None:
    limit_to(auth_ctx, 4)
    sign_up(auth_client, "bob")
    for name in ("u1", "u2", "u3", "u4"):
        wrong_login(auth_client, name)
    # Same client address (the test client's), a different account: refused too.
    resp = auth_client.post("/api/auth/login", json={"username": "bob", "password": PASSWORD})
    assert resp.status_code == 429


def test_success_clears_the_account_count(auth_client: TestClient, auth_ctx: AuthContext) -> None:
    limit_to(auth_ctx, 10)
    sign_up(auth_client, "cat")
    for _ in range(3):
        wrong_login(auth_client, "cat")
    assert login_answer(auth_client, "cat")["status"] == "authenticated"


def test_second_factor_guesses_are_limited(auth_client: TestClient, auth_ctx: AuthContext) -> None:
    sign_up(auth_client, "dee")
    token = login_answer(auth_client, "dee")["accessToken"]
    _secret, recovery = enrol_totp(auth_client, token)
    limit_to(auth_ctx, 3)
    session = login_answer(auth_client, "dee")["session"]
    for guess in ("000000", "111111", "222222"):
        auth_client.post("/api/auth/mfa/complete", json={"session": session, "otpCode": guess})
    resp = auth_client.post(
        "/api/auth/mfa/complete", json={"session": session, "otpCode": recovery[0]}
    )
    assert resp.status_code == 429 and "retry-after" in resp.headers


def test_code_checks_are_limited(auth_client: TestClient, auth_ctx: AuthContext) -> None:
    limit_to(auth_ctx, 2)
    body = {"email": "eve@example.com", "code": "123456", "newPassword": "battery staple 99"}
    statuses = [auth_client.post("/api/auth/reset-password", json=body).status_code for _ in "abc"]
    assert statuses == [400, 400, 429]
