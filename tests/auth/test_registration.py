"""Sign-up does not reveal which addresses have accounts (finding 11): with email confirmation
on, a taken address answers exactly like a free one, and its owner is told by mail."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from videoforge.auth import service
from videoforge.db import User

from .conftest import AuthContext
from .helpers import PASSWORD, error_message, mailer_of, sign_up


def register(client: TestClient, username: str, email: str) -> tuple[int, dict[str, object]]:
    body = {"username": username, "email": email, "password": PASSWORD}
    resp = client.post("/api/auth/register", json=body)
    return resp.status_code, resp.json()


def test_a_taken_address_answers_like_a_free_one(auth_client: TestClient, db: Session) -> None:
    sign_up(auth_client, "ann", "ann@example.com")
    taken = register(auth_client, "newcomer", "ANN@example.com")
    free = register(auth_client, "other", "amy@example.com")
    assert taken[0] == free[0] == 202
    sent = "We sent a confirmation code to a…@example.com; enter it to finish signing up."
    assert taken[1] == free[1] == {"user": None, "message": sent}
    assert db.scalar(select(func.count()).select_from(User).where(User.username == "newcomer")) == 0
    notice = mailer_of(auth_client).last_to("ann@example.com")
    assert notice is not None and notice["Subject"] == "Someone tried to sign up with your address"
    assert "username: ann" in notice.get_content()


def test_the_owner_of_a_taken_address_can_still_sign_in(auth_client: TestClient) -> None:
    sign_up(auth_client, "bea", "bea@example.com")
    register(auth_client, "bea2", "bea@example.com")
    resp = auth_client.post("/api/auth/login", json={"username": "bea", "password": PASSWORD})
    assert resp.status_code == 200 and resp.json()["status"] == "authenticated"


def test_a_taken_username_is_said_usernames_being_public(auth_client: TestClient) -> None:
    sign_up(auth_client, "cyd", "cyd@example.com")
    status, answer = register(auth_client, "CYD", "someone@example.com")
    assert status == 409 and answer["message"] == service.USERNAME_TAKEN


def test_sign_up_notices_are_throttled_like_other_mail(
    auth_client: TestClient, auth_ctx: AuthContext
) -> None:
    auth_ctx.settings = auth_ctx.settings.model_copy(update={"auth_max_attempts": 2})
    sign_up(auth_client, "dee", "dee@example.com")  # one message counted already
    statuses = [register(auth_client, f"d{n}x", "dee@example.com")[0] for n in range(3)]
    assert statuses == [202, 429, 429]
    # A free address is counted the same way: it cannot be told apart by its 429.
    statuses = [register(auth_client, f"e{n}x", "eva@example.com")[0] for n in range(3)]
    assert statuses == [202, 202, 429]


def test_without_confirmation_a_taken_address_is_said(
    auth_client: TestClient, auth_ctx: AuthContext
) -> None:
    # The account would work at once, so hiding it is impossible: the README says so.
    auth_ctx.settings = auth_ctx.settings.model_copy(update={"require_email_confirmation": False})
    status, answer = register(auth_client, "fay", "fay@example.com")
    assert status == 201 and answer["user"]["username"] == "fay"  # type: ignore[index]
    resp = auth_client.post(
        "/api/auth/register",
        json={"username": "fay2", "email": "fay@example.com", "password": PASSWORD},
    )
    assert error_message(resp, 409) == service.TAKEN
