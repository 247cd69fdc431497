"""Guessing is limited per account and address, per account and per address (auth/throttle.py),
the same for accounts that do not exist; nobody can lock someone else out."""

from __future__ import annotations

from fastapi.testclient import TestClient

from videoforge.auth.throttle import ACCOUNT_FACTOR, ADDRESS_FACTOR

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
    limit_to(auth_ctx, 2)  # an address: 5 x 2 = 10 failures over all accounts
    sign_up(auth_client, "bob")
    for number in range(ADDRESS_FACTOR * 2):
        assert wrong_login(auth_client, f"u{number}") == 401
    # Same client address (the test client's), a different account: refused too.
    resp = auth_client.post("/api/auth/login", json={"username": "bob", "password": PASSWORD})
    assert resp.status_code == 429


def from_address(auth_client: TestClient, address: str) -> TestClient:
    """Another client of the same app, connecting from `address`."""
    return TestClient(auth_client.app, client=(address, 40000))


def test_one_count_per_account_whatever_name_is_typed(
    auth_client: TestClient, auth_ctx: AuthContext
) -> None:
    # Finding 10: the username and the email form were counted apart, each with its own limit.
    limit_to(auth_ctx, 2)
    sign_up(auth_client, "gil")
    ceiling = ACCOUNT_FACTOR * 2
    for number in range(ceiling - 1):  # guesses by username, from addresses all over
        assert wrong_login(from_address(auth_client, f"203.0.113.{number}"), "gil") == 401
    assert wrong_login(from_address(auth_client, "198.51.100.1"), "GIL@example.com") == 401
    # The account's ceiling is reached, by both forms together: a new address is refused
    # whichever form it types, even with the right password.
    newcomer = from_address(auth_client, "198.51.100.2")
    for name in ("gil@example.com", "gil"):
        resp = newcomer.post("/api/auth/login", json={"username": name, "password": PASSWORD})
        assert resp.status_code == 429, name


def test_a_stranger_cannot_lock_the_owner_out(
    auth_client: TestClient, auth_ctx: AuthContext
) -> None:
    # Finding 10: guesses from elsewhere made the right password answer 429 for its owner.
    limit_to(auth_ctx, 3)
    sign_up(auth_client, "hal")
    home = from_address(auth_client, "192.0.2.10")
    assert login_answer(home, "hal")["status"] == "authenticated"  # the owner's own address

    stranger = from_address(auth_client, "198.51.100.7")
    for _ in range(3):
        assert wrong_login(stranger, "hal") == 401
    resp = stranger.post("/api/auth/login", json={"username": "hal", "password": PASSWORD})
    assert "Too many attempts" in error_message(resp, 429)  # even the right password, there
    assert login_answer(home, "hal")["status"] == "authenticated"

    # Many strangers together reach the account's ceiling (3 x 3): addresses that never
    # signed in to it are refused, the owner's own address is not.
    for number in range(ACCOUNT_FACTOR * 3 - 3):
        wrong_login(from_address(auth_client, f"203.0.113.{number}"), "hal")
    traveller = from_address(auth_client, "203.0.113.200")
    resp = traveller.post("/api/auth/login", json={"username": "hal", "password": PASSWORD})
    assert resp.status_code == 429
    assert login_answer(home, "hal")["status"] == "authenticated"


def test_the_owners_address_is_remembered_only_after_the_whole_sign_in(
    auth_client: TestClient, auth_ctx: AuthContext
) -> None:
    sign_up(auth_client, "ivy")
    token = login_answer(auth_client, "ivy")["accessToken"]
    enrol_totp(auth_client, token)
    limit_to(auth_ctx, 1)
    # The password alone (second factor still to come) does not make an address the owner's.
    half_way = from_address(auth_client, "192.0.2.20")
    assert login_answer(half_way, "ivy")["status"] == "mfa_required"
    for number in range(ACCOUNT_FACTOR):
        wrong_login(from_address(auth_client, f"203.0.113.{number}"), "ivy")
    resp = half_way.post("/api/auth/login", json={"username": "ivy", "password": PASSWORD})
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
