"""Email confirmation at sign-up, password reset by mailed code, and password change.

Whatever is asked about an address, the answer is the same whether or not an account has it:
codes are mailed only to real accounts, but nobody is told.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from videoforge.auth import codes, service
from videoforge.auth.signin import Caller, signed_in
from videoforge.auth.throttle import Throttle
from videoforge.auth.tokens import TokenIssuer
from videoforge.config import Settings
from videoforge.db import User
from videoforge.errors import BadRequest, Unauthorized
from videoforge.mail import Mailer

CODE_SENT = "If an account uses this address and needs it, we sent it a code."
WRONG_CODE = "That code is not right, or it has expired; ask for a new one."


def register(
    db: Session, *, settings: Settings, mailer: Mailer, username: str, email: str, password: str
) -> tuple[User, str]:
    """Create the account; when confirmation is on, mail its code. Returns a message too."""
    user = service.create_user(
        db,
        username=username,
        email=email,
        password=password,
        email_confirmed=not settings.require_email_confirmation,
    )
    if user.email_confirmed:
        return user, "Your account is ready; you can sign in now."
    _mail_confirmation(db, mailer, user)
    return user, (
        f"We sent a confirmation code to {codes.mask_email(user.email)}; "
        "enter it to finish signing up."
    )


def _mail_confirmation(db: Session, mailer: Mailer, user: User) -> None:
    code = codes.issue(db, user, codes.CONFIRM_EMAIL)
    mailer.send(
        to=user.email,
        subject="Confirm your VideoForge account",
        body=f"Your confirmation code is {code}. It works for 24 hours.\n\n"
        "If you did not sign up for VideoForge, ignore this message.",
    )


def resend_confirmation(
    db: Session, *, settings: Settings, mailer: Mailer, email: str, caller: Caller
) -> None:
    _count_mail(db, settings, email, caller)
    user = _by_email(db, email)
    if user is not None and not user.email_confirmed and not user.disabled:
        _mail_confirmation(db, mailer, user)


def confirm_email(
    db: Session, *, settings: Settings, email: str, code: str, caller: Caller
) -> None:
    user = _by_email(db, email)
    _check_code(db, settings, email, caller, user, codes.CONFIRM_EMAIL, code)
    assert user is not None
    user.email_confirmed = True
    db.commit()


def forgot_password(
    db: Session, *, settings: Settings, mailer: Mailer, email: str, caller: Caller
) -> None:
    _count_mail(db, settings, email, caller)
    user = _by_email(db, email)
    if user is None or user.disabled:
        return
    code = codes.issue(db, user, codes.RESET_PASSWORD)
    mailer.send(
        to=user.email,
        subject="Reset your VideoForge password",
        body=f"Your password reset code is {code}. It works once, for 1 hour.\n\n"
        "If you did not ask for it, ignore this message: your password stays as it is.",
    )


def reset_password(
    db: Session, *, settings: Settings, email: str, code: str, new_password: str, caller: Caller
) -> None:
    """Set a new password with a mailed code; every session ends."""
    service.check_password_rules(new_password)  # before the code is used up
    user = _by_email(db, email)
    _check_code(db, settings, email, caller, user, codes.RESET_PASSWORD, code)
    assert user is not None
    user.email_confirmed = True  # the code came through that mailbox
    service.set_password(db, user=user, password=new_password)


def change_password(
    db: Session,
    *,
    tokens: TokenIssuer,
    settings: Settings,
    user: User,
    current_password: str,
    new_password: str,
    caller: Caller,
) -> dict[str, Any]:
    """Every session ends (a thief's too); this device gets a new one."""
    throttle = Throttle.from_settings(settings)
    keys = caller.keys("login", user.id)
    throttle.check(db, *keys)
    if not service.check_user_password(db, user=user, password=current_password):
        throttle.fail(db, *keys)
        raise Unauthorized("The current password is not right.", code="invalid_credentials")
    service.set_password(db, user=user, password=new_password)
    return signed_in(db, tokens, user, caller)


def _by_email(db: Session, email: str) -> User | None:
    user = service.find_user(db, email)
    return user if user is not None and user.email == email.strip().lower() else None


def _count_mail(db: Session, settings: Settings, email: str, caller: Caller) -> None:
    throttle = Throttle.from_settings(settings)
    keys = caller.keys("mail", email)
    throttle.check(db, *keys)
    throttle.fail(db, *keys)


def _check_code(
    db: Session,
    settings: Settings,
    email: str,
    caller: Caller,
    user: User | None,
    purpose: str,
    code: str,
) -> None:
    throttle = Throttle.from_settings(settings)
    keys = caller.keys("code", email)
    throttle.check(db, *keys)
    if user is None or user.disabled or not codes.consume(db, user, purpose, code):
        throttle.fail(db, *keys)
        raise BadRequest(WRONG_CODE, code="invalid_code")
