"""The /api/auth endpoints through HTTP, with the shapes the original client reads."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import jwt
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update
from sqlalchemy.orm import Session

from videoforge.auth import service
from videoforge.db import AuthSession, User, utcnow

from .helpers import PASSWORD, bearer, error_message, sign_up


def register(client: TestClient, username: str, email: str | None = None) -> dict[str, Any]:
    return sign_up(client, username, email)


def login(client: TestClient, username: str, password: str = PASSWORD) -> dict[str, Any]:
    resp = client.post("/api/auth/login", json={"username": username, "password": password})
    assert resp.status_code == 200, resp.text
    answer: dict[str, Any] = resp.json()
    return answer


def me_status(client: TestClient, access_token: str) -> int:
    return client.get("/api/auth/me", headers=bearer(access_token)).status_code


def test_register_login_me_refresh_logout(auth_client: TestClient) -> None:
    registered = register(auth_client, "Ann")
    assert registered["user"] is None  # with email confirmation on, the answer names no account
    assert "confirmation code" in registered["message"]

    signed_in = login(auth_client, "ANN@example.com")  # an email, in any case
    user = signed_in["user"]
    assert set(user) == {"id", "username", "email", "role", "createdAt"}
    assert (user["username"], user["email"], user["role"]) == ("ann", "ann@example.com", "user")
    assert signed_in["status"] == "authenticated"
    assert signed_in["tokenType"] == "Bearer"
    assert signed_in["expiresIn"] == 900
    assert signed_in["idToken"] == signed_in["accessToken"]

    for path in ("/api/auth/me", "/api/auth/profile"):
        resp = auth_client.get(path, headers=bearer(signed_in["accessToken"]))
        assert resp.status_code == 200, resp.text
        assert resp.json() == user

    resp = auth_client.post("/api/auth/refresh", json={"refreshToken": signed_in["refreshToken"]})
    assert resp.status_code == 200, resp.text
    renewed = resp.json()
    assert set(renewed) == {"accessToken", "idToken", "refreshToken", "expiresIn", "tokenType"}
    assert renewed["refreshToken"] != signed_in["refreshToken"]
    assert (
        auth_client.get("/api/auth/me", headers=bearer(renewed["accessToken"])).status_code == 200
    )

    resp = auth_client.post("/api/auth/logout", json={"refreshToken": renewed["refreshToken"]})
    assert resp.status_code == 204
    assert resp.content == b""
    resp = auth_client.post("/api/auth/refresh", json={"refreshToken": renewed["refreshToken"]})
    assert error_message(resp, 401) == service.SESSION_ENDED
    resp = auth_client.get("/api/auth/me", headers=bearer(renewed["accessToken"]))
    assert error_message(resp, 401) == "Your session has ended; sign in again."


def test_logout_with_only_the_access_token(auth_client: TestClient) -> None:
    register(auth_client, "bea")
    signed_in = login(auth_client, "bea")
    resp = auth_client.post("/api/auth/logout", headers=bearer(signed_in["accessToken"]))
    assert resp.status_code == 204
    assert (
        auth_client.get("/api/auth/me", headers=bearer(signed_in["accessToken"])).status_code == 401
    )
    resp = auth_client.post("/api/auth/refresh", json={"refreshToken": signed_in["refreshToken"]})
    assert error_message(resp, 401) == service.SESSION_ENDED
    # Signing out twice, or with nothing to name the session, is answered plainly.
    again = auth_client.post("/api/auth/logout", json={"refreshToken": signed_in["refreshToken"]})
    assert again.status_code == 204
    assert "refresh token" in error_message(auth_client.post("/api/auth/logout"), 400)


def test_other_sessions_survive_one_logout(auth_client: TestClient) -> None:
    register(auth_client, "cai")
    phone, laptop = login(auth_client, "cai"), login(auth_client, "cai")
    auth_client.post("/api/auth/logout", json={"refreshToken": phone["refreshToken"]})
    assert me_status(auth_client, laptop["accessToken"]) == 200


def test_reused_refresh_token_ends_the_whole_session(auth_client: TestClient) -> None:
    register(auth_client, "dan")
    first = login(auth_client, "dan")
    second = auth_client.post("/api/auth/refresh", json={"refreshToken": first["refreshToken"]})
    newest = second.json()

    replay = auth_client.post("/api/auth/refresh", json={"refreshToken": first["refreshToken"]})
    assert error_message(replay, 401) == service.REFRESH_REUSED
    assert replay.json()["error"]["code"] == "refresh_token_reused"
    # The thief's copy and the owner's newest token are both dead now.
    resp = auth_client.post("/api/auth/refresh", json={"refreshToken": newest["refreshToken"]})
    assert error_message(resp, 401) == service.REFRESH_REUSED
    assert me_status(auth_client, newest["accessToken"]) == 401


@pytest.mark.parametrize("token", ["", "nonsense", "0" * 32 + ".secret", "a.b"])
def test_unknown_refresh_token(auth_client: TestClient, token: str) -> None:
    resp = auth_client.post("/api/auth/refresh", json={"refreshToken": token})
    assert error_message(resp, 401) == service.REFRESH_INVALID


def test_expired_refresh_token(auth_client: TestClient, db: Session) -> None:
    register(auth_client, "eve")
    signed_in = login(auth_client, "eve")
    db.execute(update(AuthSession).values(expires_at=utcnow() - timedelta(seconds=1)))
    db.commit()
    resp = auth_client.post("/api/auth/refresh", json={"refreshToken": signed_in["refreshToken"]})
    assert error_message(resp, 401) == service.SESSION_EXPIRED


def test_a_taken_username_is_a_conflict(auth_client: TestClient) -> None:
    # Usernames are public (shown beside videos): a taken one is said.
    register(auth_client, "fay")
    body = {"username": "FAY", "email": "other@example.com", "password": PASSWORD}
    resp = auth_client.post("/api/auth/register", json=body)
    assert error_message(resp, 409) == service.USERNAME_TAKEN
    assert resp.json()["error"]["code"] == "username_taken"


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"username": "ab"}, "3 to 32 characters"),
        ({"username": "with space"}, "3 to 32 characters"),
        ({"username": "x" * 33}, "3 to 32 characters"),
        ({"email": "not-an-email"}, "email address"),
        ({"email": "a@b"}, "email address"),
        ({"password": "short"}, "10 to 256 characters"),
        ({"password": "x" * 257}, "10 to 256 characters"),
    ],
)
def test_invalid_registration_says_what_to_fix(
    auth_client: TestClient, changes: dict[str, str], words: str
) -> None:
    body = {"username": "gus", "email": "gus@example.com", "password": PASSWORD, **changes}
    assert words in error_message(auth_client.post("/api/auth/register", json=body), 400)


def test_missing_field_is_a_readable_422(auth_client: TestClient) -> None:
    resp = auth_client.post("/api/auth/register", json={"username": "hal", "email": "h@x.org"})
    assert "password" in error_message(resp, 422)


def test_wrong_password_and_unknown_user_get_the_same_answer(auth_client: TestClient) -> None:
    register(auth_client, "ida")
    wrong = auth_client.post("/api/auth/login", json={"username": "ida", "password": "nope" * 3})
    unknown = auth_client.post("/api/auth/login", json={"username": "zed", "password": PASSWORD})
    assert error_message(wrong, 401) == "Wrong username or password."
    assert (wrong.status_code, wrong.json()) == (unknown.status_code, unknown.json())


def test_disabled_account_is_locked_out_at_once(auth_client: TestClient, db: Session) -> None:
    register(auth_client, "jon")
    signed_in = login(auth_client, "jon")
    db.execute(update(User).where(User.username == "jon").values(disabled=True))
    db.commit()
    resp = auth_client.get("/api/auth/me", headers=bearer(signed_in["accessToken"]))
    assert error_message(resp, 401) == "Your session has ended; sign in again."
    resp = auth_client.post("/api/auth/refresh", json={"refreshToken": signed_in["refreshToken"]})
    assert error_message(resp, 403) == "This account is disabled."
    resp = auth_client.post("/api/auth/login", json={"username": "jon", "password": PASSWORD})
    assert error_message(resp, 403) == "This account is disabled."


def test_me_needs_a_valid_token(auth_client: TestClient) -> None:
    assert error_message(auth_client.get("/api/auth/me"), 401) == "Sign in to do this."
    resp = auth_client.get("/api/auth/me", headers=bearer("x.y.z"))
    assert error_message(resp, 401) == "This token is not valid."


def test_jwks_route_verifies_issued_tokens(auth_client: TestClient) -> None:
    register(auth_client, "kim")
    token = login(auth_client, "kim")["accessToken"]
    resp = auth_client.get("/.well-known/jwks.json")
    assert resp.status_code == 200
    assert "max-age" in resp.headers["cache-control"]
    key = jwt.PyJWKSet.from_dict(resp.json())[jwt.get_unverified_header(token)["kid"]]
    assert (
        jwt.decode(token, key.key, algorithms=["ES256"], audience="videoforge")["username"] == "kim"
    )
