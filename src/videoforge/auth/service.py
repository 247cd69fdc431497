"""Accounts and signed-in sessions: the verbs routes and the command line call.

A session is one signed-in device. Its refresh token is `{session id}.{random secret}` and only
its SHA-256 is stored. Every refresh replaces the token (rotation); presenting any token of the
session other than the newest one means a copy is in someone else's hands, so the whole session
is ended (reuse detection, as in OAuth 2.0 Security Best Current Practice section 4.14).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from datetime import datetime, timedelta
from typing import TypedDict

from sqlalchemy import CursorResult, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from videoforge.auth.codes import mask_email
from videoforge.auth.passwords import check_password, hash_password
from videoforge.db import AuthSession, User, new_id, utcnow
from videoforge.errors import BadRequest, Conflict, Forbidden, Unauthorized
from videoforge.security.tokens import TokenIssuer

USER_ROLES = ("user", "admin")
USERNAME_PATTERN = re.compile(r"[A-Za-z0-9_.-]{3,32}")
# Deliberately simple: something@something.tld, no spaces; the mailbox itself is not checked.
EMAIL_PATTERN = re.compile(r"[^@\s]+@[^@\s.]+(\.[^@\s.]+)+")
PASSWORD_MIN, PASSWORD_MAX = 10, 256

TAKEN = "That username or email is already registered."
USERNAME_TAKEN = "That username is taken; choose another."
WRONG_CREDENTIALS = "Wrong username or password."
DISABLED = "This account is disabled."
REFRESH_INVALID = "This refresh token is not valid; sign in again."
REFRESH_REUSED = (
    "This refresh token was already used, so the session was ended to protect your account; "
    "sign in again."
)
SESSION_ENDED = "This session has ended; sign in again."
SESSION_EXPIRED = "Your session has expired; sign in again."


class TokenSet(TypedDict):
    accessToken: str
    idToken: str
    refreshToken: str
    tokenType: str
    expiresIn: int


# Accounts


def create_user(
    db: Session,
    *,
    username: str,
    email: str,
    password: str,
    role: str = "user",
    email_confirmed: bool = False,
) -> User:
    username, email = valid_username(username), valid_email(email)
    check_password_rules(password)
    if role not in USER_ROLES:
        raise BadRequest(f"Role must be one of: {', '.join(USER_ROLES)}.", code="invalid_role")
    taken = select(User.id).where(or_(User.username == username, User.email == email))
    if db.scalar(taken) is not None:
        raise Conflict(TAKEN, code="account_exists")
    user = User(
        username=username,
        email=email,
        password_hash=hash_password(password),
        role=role,
        email_confirmed=email_confirmed,
    )
    db.add(user)
    try:
        db.commit()
    except IntegrityError:  # registered by someone else between the check and now
        db.rollback()
        raise Conflict(TAKEN, code="account_exists") from None
    return user


def username_taken(db: Session, username: str) -> bool:
    return db.scalar(select(User.id).where(User.username == username.lower())) is not None


def authenticate(
    db: Session, *, login: str, password: str, require_confirmed: bool = False
) -> User:
    """The account `login` (username or email, any case) names, if `password` is right.

    With `require_confirmed`, an account whose email is unconfirmed is refused (Forbidden), and
    told so only after its password was right, so nobody learns which addresses have accounts.
    """
    user = find_user(db, login)
    check = check_password(user.password_hash if user else None, password)
    if user is None or not check.ok:
        raise Unauthorized(WRONG_CREDENTIALS, code="invalid_credentials")
    if check.new_hash:
        user.password_hash = check.new_hash
        db.commit()
    if user.disabled:  # said only to someone who knows the password
        raise Forbidden(DISABLED, code="account_disabled")
    if require_confirmed and not user.email_confirmed:
        raise Forbidden(
            f"Confirm your email first: we sent a code to {mask_email(user.email)}.",
            code="email_not_confirmed",
        )
    return user


def find_user(db: Session, login: str) -> User | None:
    """The account a username or email (any case) names."""
    key = login.strip().lower()
    return db.scalar(select(User).where(or_(User.username == key, User.email == key)))


def check_user_password(db: Session, *, user: User, password: str) -> bool:
    """Whether `password` is the user's (upgrading an old hash on success)."""
    check = check_password(user.password_hash, password)
    if check.new_hash:
        user.password_hash = check.new_hash
        db.commit()
    return check.ok


def set_password(db: Session, *, user: User, password: str) -> None:
    """Replace the password and end every session of the user (they sign in again)."""
    check_password_rules(password)
    user.password_hash = hash_password(password)
    db.commit()
    end_all_sessions(db, user.id, "password_changed")


def set_role(db: Session, *, user: User, role: str) -> None:
    if role not in USER_ROLES:
        raise BadRequest(f"Role must be one of: {', '.join(USER_ROLES)}.", code="invalid_role")
    user.role = role
    db.commit()


def set_disabled(db: Session, *, user: User, disabled: bool) -> None:
    """Disable (its sessions end at once) or re-enable an account."""
    user.disabled = disabled
    db.commit()
    if disabled:
        end_all_sessions(db, user.id, "disabled")


def valid_username(username: str) -> str:
    if not USERNAME_PATTERN.fullmatch(username):
        raise BadRequest(
            "A username has 3 to 32 characters: letters, digits, '_', '.' or '-'.",
            code="invalid_username",
        )
    return username.lower()


def valid_email(email: str) -> str:
    email = email.strip()
    if len(email) > 254 or not EMAIL_PATTERN.fullmatch(email):
        raise BadRequest("Enter an email address like name@example.com.", code="invalid_email")
    return email.lower()


def check_password_rules(password: str) -> None:
    if not PASSWORD_MIN <= len(password) <= PASSWORD_MAX:
        raise BadRequest(
            f"A password has {PASSWORD_MIN} to {PASSWORD_MAX} characters.", code="weak_password"
        )


# Sessions


def start_session(
    db: Session, tokens: TokenIssuer, user: User, user_agent: str | None = None
) -> TokenSet:
    session = AuthSession(
        id=new_id(),
        user_id=user.id,
        expires_at=_refresh_expiry(tokens),
        user_agent=(user_agent or "")[:255] or None,
    )
    refresh_token = _new_refresh_token(session.id)
    session.refresh_hash = _digest(refresh_token)
    db.add(session)
    db.commit()
    return _token_set(tokens, user, session.id, refresh_token)


def refresh(db: Session, tokens: TokenIssuer, refresh_token: str) -> TokenSet:
    """New tokens for a valid refresh token; the presented one stops working."""
    session = _find_session(db, refresh_token)
    if session is None:
        raise Unauthorized(REFRESH_INVALID, code="invalid_refresh_token")
    if session.revoked_at is not None:
        reused = session.revoked_reason == "reuse"
        raise Unauthorized(
            REFRESH_REUSED if reused else SESSION_ENDED,
            code="refresh_token_reused" if reused else "session_ended",
        )
    presented = _digest(refresh_token)
    if not hmac.compare_digest(session.refresh_hash, presented):
        _end(db, session.id, "reuse")
        raise Unauthorized(REFRESH_REUSED, code="refresh_token_reused")
    if session.expires_at <= utcnow():
        raise Unauthorized(SESSION_EXPIRED, code="session_expired")
    user = db.get(User, session.user_id)
    if user is None or user.disabled:
        raise Forbidden(DISABLED, code="account_disabled")

    new_token = _new_refresh_token(session.id)
    # Compare-and-swap: of two refreshes racing with the same token, only one may win.
    rotated = db.execute(
        update(AuthSession)
        .where(
            AuthSession.id == session.id,
            AuthSession.refresh_hash == presented,
            AuthSession.revoked_at.is_(None),
        )
        .values(refresh_hash=_digest(new_token), expires_at=_refresh_expiry(tokens))
    )
    if not isinstance(rotated, CursorResult) or rotated.rowcount != 1:
        db.rollback()
        _end(db, session.id, "reuse")
        raise Unauthorized(REFRESH_REUSED, code="refresh_token_reused")
    db.commit()
    return _token_set(tokens, user, session.id, new_token)


def logout(db: Session, refresh_token: str) -> None:
    """End the session the token belongs to; unknown or already-ended sessions are fine."""
    session = _find_session(db, refresh_token)
    if session is None or session.revoked_at is not None:
        return
    current = hmac.compare_digest(session.refresh_hash, _digest(refresh_token))
    _end(db, session.id, "logout" if current else "reuse")


def end_session(db: Session, session_id: str, reason: str = "logout") -> None:
    """End one session by id (signing out with an access token, whose `sid` names it)."""
    _end(db, session_id, reason)


def end_all_sessions(db: Session, user_id: str, reason: str) -> None:
    """End every session of a user (password change, account disabled)."""
    db.execute(
        update(AuthSession)
        .where(AuthSession.user_id == user_id, AuthSession.revoked_at.is_(None))
        .values(revoked_at=utcnow(), revoked_reason=reason)
    )
    db.commit()


def _end(db: Session, session_id: str, reason: str) -> None:
    db.execute(
        update(AuthSession)
        .where(AuthSession.id == session_id, AuthSession.revoked_at.is_(None))
        .values(revoked_at=utcnow(), revoked_reason=reason)
    )
    db.commit()


def _find_session(db: Session, refresh_token: str) -> AuthSession | None:
    session_id, dot, secret = refresh_token.partition(".")
    if not dot or not secret or len(session_id) != 32:
        return None
    return db.get(AuthSession, session_id)


def _new_refresh_token(session_id: str) -> str:
    return f"{session_id}.{secrets.token_urlsafe(32)}"


def _digest(refresh_token: str) -> str:
    return hashlib.sha256(refresh_token.encode()).hexdigest()


def _refresh_expiry(tokens: TokenIssuer) -> datetime:
    return utcnow() + timedelta(seconds=tokens.refresh_ttl_seconds)


def _token_set(tokens: TokenIssuer, user: User, session_id: str, refresh_token: str) -> TokenSet:
    access = tokens.issue_access(user, session_id=session_id)
    return {
        "accessToken": access,
        "idToken": access,
        "refreshToken": refresh_token,
        "tokenType": "Bearer",
        "expiresIn": tokens.access_ttl_seconds,
    }
