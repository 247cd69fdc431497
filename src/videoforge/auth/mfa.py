"""Second factors: TOTP (RFC 6238), single-use recovery codes, and sign-in challenges.

A TOTP secret is set up, then trusted only once a first code confirms the authenticator has it.
Every accepted code's time step is remembered and no code of that step or an earlier one is
accepted again, so a code seen over someone's shoulder cannot be replayed (RFC 6238 section 5.2).

A challenge is the pending second step of a sign-in, named by a random session string of which
only the SHA-256 is stored: kind "mfa" (enter a code) or "enrol" (set up TOTP first, when an
administrator requires a second factor). It lasts five minutes and works once.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass
from datetime import timedelta

import pyotp
import segno
from sqlalchemy import CursorResult, delete, select, update
from sqlalchemy.orm import Session

from videoforge.auth import codes
from videoforge.db import MfaChallenge, RecoveryCode, User, utcnow
from videoforge.errors import Conflict, Unauthorized

ISSUER_NAME = "VideoForge"
RECOVERY_CODE_COUNT = 10
CHALLENGE_LIFETIME = timedelta(minutes=5)
# The code before and after the current one are accepted too: clocks and typing take time.
TOTP_WINDOW = 1

CHALLENGE_INVALID = "This sign-in step has expired or was already used; sign in again."
ALREADY_ON = "Two-step sign-in is already on; turn it off first to set up a new authenticator."
NOT_SET_UP = "Start the setup first: no authenticator is waiting to be confirmed."


def totp_enabled(user: User) -> bool:
    return user.totp_secret is not None and user.totp_confirmed_at is not None


# TOTP


@dataclass(frozen=True)
class TotpSetup:
    secret: str
    otpauth_uri: str
    qr_svg: str  # a data: URI of an SVG picture of the otpauth URI


def start_totp_setup(db: Session, *, user: User) -> TotpSetup:
    """A new secret waiting for its first code; a pending earlier setup is replaced."""
    if totp_enabled(user):
        raise Conflict(ALREADY_ON, code="mfa_already_enabled")
    secret = pyotp.random_base32()
    user.totp_secret, user.totp_confirmed_at, user.totp_last_step = secret, None, None
    db.commit()
    uri = pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=ISSUER_NAME)
    svg = segno.make(uri, error="m").svg_data_uri(scale=4)
    return TotpSetup(secret=secret, otpauth_uri=uri, qr_svg=svg)


def confirm_totp(db: Session, *, user: User, code: str) -> list[str]:
    """Trust the pending secret once `code` matches it; return fresh recovery codes."""
    if user.totp_secret is None or user.totp_confirmed_at is not None:
        raise Conflict(ALREADY_ON if totp_enabled(user) else NOT_SET_UP, code="mfa_not_pending")
    if not _accept_totp(user, code):
        raise Unauthorized(
            "That code is not right; check the authenticator's clock and try the newest code.",
            code="invalid_code",
        )
    user.totp_confirmed_at = utcnow()
    return new_recovery_codes(db, user=user)  # commits


def verify_totp(db: Session, *, user: User, code: str) -> bool:
    """Whether `code` is a current, unused code of the user's confirmed authenticator."""
    if not totp_enabled(user) or not _accept_totp(user, code):
        return False
    db.commit()
    return True


def _accept_totp(user: User, code: str) -> bool:
    """Match against nearby time steps newer than the last one used; remember the match."""
    assert user.totp_secret is not None
    code = code.strip().replace(" ", "")
    if not (len(code) == 6 and code.isdigit()):
        return False
    totp = pyotp.TOTP(user.totp_secret)
    now_step = totp.timecode(time.time())
    last = user.totp_last_step if user.totp_last_step is not None else -1
    for step in range(now_step - TOTP_WINDOW, now_step + TOTP_WINDOW + 1):
        if step > last and hmac.compare_digest(totp.generate_otp(step), code):
            user.totp_last_step = step
            return True
    return False


def turn_off(db: Session, *, user: User) -> None:
    user.totp_secret, user.totp_confirmed_at, user.totp_last_step = None, None, None
    db.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    db.commit()


# Recovery codes


def _recovery_hash(code: str) -> str:
    normalised = code.strip().lower().replace("-", "").replace(" ", "")
    return hashlib.sha256(normalised.encode()).hexdigest()


def _new_recovery_code() -> str:
    # 10 characters of 32 (50 bits): too many to guess through the sign-in throttle.
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    raw = "".join(secrets.choice(alphabet) for _ in range(10))
    return f"{raw[:5]}-{raw[5:]}"


def new_recovery_codes(db: Session, *, user: User) -> list[str]:
    """Replace the user's recovery codes with ten new ones, returned once; commits."""
    db.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    fresh = [_new_recovery_code() for _ in range(RECOVERY_CODE_COUNT)]
    db.add_all(RecoveryCode(user_id=user.id, code_hash=_recovery_hash(c)) for c in fresh)
    db.commit()
    return fresh


def use_recovery_code(db: Session, *, user: User, code: str) -> bool:
    """Whether `code` is one of the user's unused recovery codes; it is then used up."""
    presented = _recovery_hash(code)
    unused = db.scalars(
        select(RecoveryCode).where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
    ).all()
    match = next((r for r in unused if hmac.compare_digest(r.code_hash, presented)), None)
    if match is None:
        return False
    # Compare-and-swap so that two sign-ins racing with one code cannot both win.
    used = db.execute(
        update(RecoveryCode)
        .where(RecoveryCode.id == match.id, RecoveryCode.used_at.is_(None))
        .values(used_at=utcnow())
    )
    db.commit()
    return isinstance(used, CursorResult) and used.rowcount == 1


def remaining_recovery_codes(db: Session, *, user: User) -> int:
    rows = db.scalars(
        select(RecoveryCode.id).where(
            RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)
        )
    ).all()
    return len(rows)


def check_second_factor(
    db: Session, *, user: User, code: str, challenge: MfaChallenge | None = None
) -> bool:
    """A TOTP code, a recovery code, or (within a challenge) the code mailed for it."""
    code = code.strip()
    if len(code.replace(" ", "")) == 6 and code.replace(" ", "").isdigit():
        if verify_totp(db, user=user, code=code):
            return True
        return challenge is not None and codes.consume(
            db, user, codes.SIGN_IN, code.replace(" ", ""), challenge_id=challenge.id
        )
    return totp_enabled(user) and use_recovery_code(db, user=user, code=code)


# Challenges


def _challenge_id(session: str) -> str:
    return hashlib.sha256(session.encode()).hexdigest()


def start_challenge(db: Session, *, user: User, kind: str, user_agent: str | None = None) -> str:
    """A new challenge of `kind` ("mfa" or "enrol"); returns the session string for the client."""
    session = secrets.token_urlsafe(32)
    db.add(
        MfaChallenge(
            id=_challenge_id(session),
            user_id=user.id,
            kind=kind,
            expires_at=utcnow() + CHALLENGE_LIFETIME,
            user_agent=(user_agent or "")[:255] or None,
        )
    )
    db.commit()
    return session


def open_challenge(db: Session, *, session: str, kind: str) -> tuple[MfaChallenge, User]:
    """The live challenge `session` names and its user, else Unauthorized."""
    challenge = db.get(MfaChallenge, _challenge_id(session))
    if (
        challenge is None
        or challenge.kind != kind
        or challenge.used_at is not None
        or challenge.expires_at <= utcnow()
    ):
        raise Unauthorized(CHALLENGE_INVALID, code="mfa_session_invalid")
    user = db.get(User, challenge.user_id)
    if user is None or user.disabled:
        raise Unauthorized(CHALLENGE_INVALID, code="mfa_session_invalid")
    return challenge, user


def finish_challenge(db: Session, *, challenge: MfaChallenge) -> None:
    """Use the challenge up; of two requests racing with it, only one gets through."""
    used = db.execute(
        update(MfaChallenge)
        .where(MfaChallenge.id == challenge.id, MfaChallenge.used_at.is_(None))
        .values(used_at=utcnow())
    )
    db.commit()
    if not isinstance(used, CursorResult) or used.rowcount != 1:
        raise Unauthorized(CHALLENGE_INVALID, code="mfa_session_invalid")
