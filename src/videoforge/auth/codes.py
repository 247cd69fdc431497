"""Six-digit codes mailed to a user: confirming an email, resetting a password, signing in.

Only a keyed hash of each code is stored, and comparisons are constant-time. A new code of a
purpose replaces the earlier ones; a code works once and until it expires.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from videoforge.db import EmailCode, User, utcnow

CONFIRM_EMAIL = "confirm_email"
RESET_PASSWORD = "reset_password"
SIGN_IN = "mfa"

LIFETIMES = {
    CONFIRM_EMAIL: timedelta(hours=24),
    RESET_PASSWORD: timedelta(hours=1),
    SIGN_IN: timedelta(minutes=5),
}


def _hash(user_id: str, code: str) -> str:
    return hmac.new(user_id.encode(), code.strip().encode(), hashlib.sha256).hexdigest()


def issue(db: Session, user: User, purpose: str, *, challenge_id: str | None = None) -> str:
    """A fresh code for `purpose` (earlier unused ones stop working); commits."""
    _retire(db, user.id, purpose, challenge_id)
    code = f"{secrets.randbelow(1_000_000):06d}"
    db.add(
        EmailCode(
            user_id=user.id,
            purpose=purpose,
            challenge_id=challenge_id,
            code_hash=_hash(user.id, code),
            expires_at=utcnow() + LIFETIMES[purpose],
        )
    )
    db.commit()
    return code


def consume(
    db: Session, user: User, purpose: str, code: str, *, challenge_id: str | None = None
) -> bool:
    """Whether `code` is the live code for `purpose`; a right code is used up (commits)."""
    presented = _hash(user.id, code)
    live = db.scalars(
        select(EmailCode).where(
            EmailCode.user_id == user.id,
            EmailCode.purpose == purpose,
            EmailCode.challenge_id == challenge_id
            if challenge_id is not None
            else EmailCode.challenge_id.is_(None),
            EmailCode.used_at.is_(None),
            EmailCode.expires_at > utcnow(),
        )
    ).all()
    for row in live:
        if hmac.compare_digest(row.code_hash, presented):
            row.used_at = utcnow()
            db.commit()
            return True
    return False


def _retire(db: Session, user_id: str, purpose: str, challenge_id: str | None) -> None:
    db.execute(
        update(EmailCode)
        .where(
            EmailCode.user_id == user_id,
            EmailCode.purpose == purpose,
            EmailCode.used_at.is_(None),
        )
        .values(used_at=utcnow())
    )


def mask_email(email: str) -> str:
    """`ann@example.com` -> `a…@example.com`: enough to recognise, too little to harvest."""
    local, _, domain = email.partition("@")
    return f"{local[:1]}…@{domain}"
