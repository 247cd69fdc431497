"""Signing in, in one or two steps, with every guess counted (auth/throttle.py).

The answers (camelCase, as the routes send them):
- `{status: "authenticated", accessToken, idToken, refreshToken, tokenType, expiresIn, user}`
- `{status: "mfa_required", session, methods: ["totp", "recovery", "email"], expiresIn}`:
  finish at POST /api/auth/mfa/complete with a code.
- `{status: "mfa_enrolment_required", session, expiresIn}`: an administrator requires a second
  factor this account lacks; it may only set up TOTP (mfa/totp/setup, mfa/totp/confirm) with
  this session, and confirming signs it in.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from videoforge.auth import codes, mfa, service
from videoforge.auth.schemas import UserOut
from videoforge.auth.throttle import Attempt, Throttle, account_name
from videoforge.config import Settings
from videoforge.db import User
from videoforge.errors import Unauthorized
from videoforge.mail import Mailer
from videoforge.security.tokens import TokenIssuer

WRONG_CODE = "That code is not right, or it has expired."
MFA_METHODS = ["totp", "recovery", "email"]


@dataclass(frozen=True)
class Caller:
    """Who is on the other end: their address (for throttling) and user agent (for sessions)."""

    address: str | None = None
    user_agent: str | None = None

    def attempt(self, scope: str, user: User | None, name: str = "") -> Attempt:
        """This caller's try at `user`'s account, or at the `name` typed when none has it."""
        if user is None:
            return Attempt(scope, account_name(name), self.address)
        return Attempt(scope, f"user:{user.id}", self.address, user.id)

    def attempt_by_email(self, scope: str, email: str, user: User | None) -> Attempt:
        """For codes and mail, keyed by the email (one account has it) whether or not an
        account does, so that counting never differs between the two."""
        return Attempt(scope, account_name(email), self.address, user.id if user else None)


def signed_in(db: Session, tokens: TokenIssuer, user: User, caller: Caller) -> dict[str, Any]:
    answer = service.start_session(db, tokens, user, caller.user_agent)
    user_out = UserOut.model_validate(user).model_dump(by_alias=True, mode="json")
    return {"status": "authenticated", **answer, "user": user_out}


def sign_in(
    db: Session,
    *,
    tokens: TokenIssuer,
    settings: Settings,
    login: str,
    password: str,
    caller: Caller,
) -> dict[str, Any]:
    """First step: the password. Answers tokens, or the second step to take."""
    throttle = Throttle.from_settings(settings)
    # One count per account, whether its username or its email was typed.
    attempt = caller.attempt("login", service.find_user(db, login), login)
    throttle.check(db, attempt)
    try:
        user = service.authenticate(
            db,
            login=login,
            password=password,
            require_confirmed=settings.require_email_confirmation,
        )
    except Unauthorized:
        throttle.fail(db, attempt)
        raise
    answer = after_password(db, tokens=tokens, settings=settings, user=user, caller=caller)
    throttle.succeed(db, attempt, remember=answer["status"] == "authenticated")
    return answer


def after_password(
    db: Session, *, tokens: TokenIssuer, settings: Settings, user: User, caller: Caller
) -> dict[str, Any]:
    lifetime = int(mfa.CHALLENGE_LIFETIME.total_seconds())
    if mfa.totp_enabled(user):
        session = mfa.start_challenge(db, user=user, kind="mfa", user_agent=caller.user_agent)
        return {
            "status": "mfa_required",
            "session": session,
            "methods": MFA_METHODS,
            "expiresIn": lifetime,
        }
    if settings.require_mfa or user.mfa_required:
        session = mfa.start_challenge(db, user=user, kind="enrol", user_agent=caller.user_agent)
        return {"status": "mfa_enrolment_required", "session": session, "expiresIn": lifetime}
    return signed_in(db, tokens, user, caller)


def complete_mfa(
    db: Session,
    *,
    tokens: TokenIssuer,
    settings: Settings,
    session: str,
    code: str,
    username: str | None,
    caller: Caller,
) -> dict[str, Any]:
    """Second step: a TOTP code, a recovery code, or the code mailed for this challenge."""
    challenge, user = mfa.open_challenge(db, session=session, kind="mfa")
    if username and username.strip().lower() not in (user.username, user.email):
        raise Unauthorized(mfa.CHALLENGE_INVALID, code="mfa_session_invalid")
    throttle = Throttle.from_settings(settings)
    attempt = caller.attempt("mfa", user)
    throttle.check(db, attempt)
    if not mfa.check_second_factor(db, user=user, code=code, challenge=challenge):
        throttle.fail(db, attempt)
        raise Unauthorized(WRONG_CODE, code="invalid_code")
    throttle.succeed(db, attempt)
    mfa.finish_challenge(db, challenge=challenge)
    return signed_in(db, tokens, user, caller)


def send_mfa_email(
    db: Session, *, settings: Settings, mailer: Mailer, session: str, caller: Caller
) -> str:
    """Mail a sign-in code for this challenge; returns the masked address it went to."""
    challenge, user = mfa.open_challenge(db, session=session, kind="mfa")
    throttle = Throttle.from_settings(settings)
    attempt = caller.attempt_by_email("mail", user.email, user)
    throttle.check(db, attempt)
    throttle.fail(db, attempt)  # every message counts: nobody gets a mailbox flooded
    code = codes.issue(db, user, codes.SIGN_IN, challenge_id=challenge.id)
    mailer.send(
        to=user.email,
        subject="Your VideoForge sign-in code",
        body=f"Your sign-in code is {code}. It works once, for 5 minutes.\n\n"
        "If you did not try to sign in, change your password: someone knows it.",
    )
    return codes.mask_email(user.email)


def enrolling_user(db: Session, *, session: str) -> User:
    """The user of an enrolment challenge (it stays open until the setup is confirmed)."""
    return mfa.open_challenge(db, session=session, kind="enrol")[1]


def confirm_enrolment(
    db: Session,
    *,
    tokens: TokenIssuer,
    settings: Settings,
    session: str,
    code: str,
    caller: Caller,
) -> dict[str, Any]:
    """Confirm TOTP within an enrolment challenge: recovery codes, and the user is signed in."""
    challenge, user = mfa.open_challenge(db, session=session, kind="enrol")
    recovery = confirm_totp_throttled(db, settings=settings, user=user, code=code, caller=caller)
    mfa.finish_challenge(db, challenge=challenge)
    return {"recoveryCodes": recovery, **signed_in(db, tokens, user, caller)}


def confirm_totp_throttled(
    db: Session, *, settings: Settings, user: User, code: str, caller: Caller
) -> list[str]:
    throttle = Throttle.from_settings(settings)
    attempt = caller.attempt("mfa", user)
    throttle.check(db, attempt)
    try:
        recovery = mfa.confirm_totp(db, user=user, code=code)
    except Unauthorized:
        throttle.fail(db, attempt)
        raise
    throttle.succeed(db, attempt)
    return recovery


def check_password_and_code(
    db: Session, *, settings: Settings, user: User, password: str, code: str, caller: Caller
) -> None:
    """For turning MFA off or making new recovery codes: prove both factors (throttled)."""
    throttle = Throttle.from_settings(settings)
    attempt = caller.attempt("mfa", user)
    throttle.check(db, attempt)
    password_ok = service.check_user_password(db, user=user, password=password)
    if not (password_ok and mfa.check_second_factor(db, user=user, code=code)):
        throttle.fail(db, attempt)
        raise Unauthorized("The password or the code is not right.", code="invalid_code")
    throttle.succeed(db, attempt)


def check_code(db: Session, *, settings: Settings, user: User, code: str, caller: Caller) -> None:
    throttle = Throttle.from_settings(settings)
    attempt = caller.attempt("mfa", user)
    throttle.check(db, attempt)
    if not mfa.check_second_factor(db, user=user, code=code):
        throttle.fail(db, attempt)
        raise Unauthorized(WRONG_CODE, code="invalid_code")
    throttle.succeed(db, attempt)
