"""Service verbs beyond what the routes show: racing refreshes, rehash on sign-in, roles."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from argon2 import PasswordHasher
from sqlalchemy.orm import Session

from videoforge.auth import service
from videoforge.auth.passwords import hash_password
from videoforge.db import AuthSession, User
from videoforge.errors import BadRequest, Unauthorized

from .conftest import AuthContext

PASSWORD = "correct horse 42"


def test_refreshes_racing_with_one_token_leave_one_winner_and_end_the_session(
    auth_ctx: AuthContext, db: Session
) -> None:
    user = service.create_user(db, username="lea", email="lea@example.com", password=PASSWORD)
    token = service.start_session(db, auth_ctx.tokens, user)["refreshToken"]

    def attempt(_: int) -> bool:
        with auth_ctx.sessions() as own_db:
            try:
                service.refresh(own_db, auth_ctx.tokens, token)
            except Unauthorized as exc:
                assert exc.message == service.REFRESH_REUSED
                return False
            return True

    with ThreadPoolExecutor(4) as pool:
        outcomes = list(pool.map(attempt, range(4)))
    assert outcomes.count(True) == 1
    session = db.get(AuthSession, token.split(".")[0], populate_existing=True)
    assert session is not None and session.revoked_reason == "reuse"


def test_sign_in_upgrades_a_hash_made_with_old_parameters(db: Session) -> None:
    cheap = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1)
    old_hash = hash_password(PASSWORD, cheap)
    db.add(User(username="max", email="max@example.com", password_hash=old_hash))
    db.commit()
    user = service.authenticate(db, login="Max", password=PASSWORD)
    assert user.password_hash != old_hash
    assert service.authenticate(db, login="max", password=PASSWORD).id == user.id


def test_roles_are_checked(db: Session) -> None:
    admin = service.create_user(
        db, username="root", email="root@example.com", password=PASSWORD, role="admin"
    )
    assert admin.role == "admin"
    with pytest.raises(BadRequest, match="Role must be one of"):
        service.create_user(
            db, username="nia", email="nia@example.com", password=PASSWORD, role="owner"
        )


def test_end_all_sessions(auth_ctx: AuthContext, db: Session) -> None:
    user = service.create_user(db, username="ola", email="ola@example.com", password=PASSWORD)
    tokens = [service.start_session(db, auth_ctx.tokens, user)["refreshToken"] for _ in range(2)]
    service.end_all_sessions(db, user.id, "password_changed")
    for token in tokens:
        with pytest.raises(Unauthorized, match="session has ended"):
            service.refresh(db, auth_ctx.tokens, token)
