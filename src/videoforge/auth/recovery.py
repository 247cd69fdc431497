"""Email confirmation at sign-up, password reset by mailed code, and password change.

Whatever is asked about an address, the answer is the same whether or not an account has it:
codes are mailed only to real accounts, but nobody is told.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from videoforge.auth import codes, service
from videoforge.auth.passwords import hash_password
from videoforge.auth.signin import Caller, signed_in
from videoforge.auth.throttle import Throttle
from videoforge.config import Settings
from videoforge.db import User
from videoforge.errors import BadRequest, Conflict, Unauthorized
from videoforge.mail import Mailer
from videoforge.security.tokens import TokenIssuer

CODE_SENT = "If an account uses this address and needs it, we sent it a code."
WRONG_CODE = "That code is not right, or it has expired; ask for a new one."


def register(
    db: Session,
    *,
    settings: Settings,
    mailer: Mailer,
    username: str,
    email: str,
    password: str,
    caller: Caller,
) -> tuple[User | None, str]:
    """Sign up. Returns the new account (None when the answer must not tell) and a message.

    With email confirmation on, the answer is the same whether or not the address already has
    an account: a new account gets its code, an existing one's owner a notice instead, and the
    same work (a password hash, a message) is done either way. Without confirmation the new
    account works at once, so a taken address cannot be hidden: that answers 409.
    Usernames are public (shown beside every video), so a taken one is said (409).
    """
    if not settings.require_email_confirmation:
        user = service.create_user(
            db, username=username, email=email, password=password, email_confirmed=True
        )
        return user, "Your account is ready; you can sign in now."
    username, email = service.valid_username(username), service.valid_email(email)
    service.check_password_rules(password)
    if service.username_taken(db, username):
        raise Conflict(service.USERNAME_TAKEN, code="username_taken")
    _count_mail(db, settings, email, caller)
    sent = (
        f"We sent a confirmation code to {codes.mask_email(email)}; enter it to finish signing up."
    )
    owner = _by_email(db, email)
    if owner is None:
        try:
            user = service.create_user(db, username=username, email=email, password=password)
        except Conflict:  # the address was registered a moment ago: tell its owner instead
            owner = _by_email(db, email)
            if owner is None:
                raise
        else:
            _mail_confirmation(db, mailer, user)
            return None, sent
    hash_password(password)  # the work an account's creation takes, so timing tells nothing
    _mail_taken_notice(mailer, owner)
    return None, sent


def _mail_taken_notice(mailer: Mailer, owner: User) -> None:
    mailer.send(
        to=owner.email,
        subject="Someone tried to sign up with your address",
        body="Someone, perhaps you, tried to create a VideoForge account with this address, "
        f"which already has one (username: {owner.username}). No new account was made.\n\n"
        "If it was you, sign in with that username; if you forgot the password, reset it with "
        "'Forgot password' on the sign-in page. If it was not you, ignore this message.",
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
    attempt = caller.attempt("login", user)
    throttle.check(db, attempt)
    if not service.check_user_password(db, user=user, password=current_password):
        throttle.fail(db, attempt)
        raise Unauthorized("The current password is not right.", code="invalid_credentials")
    throttle.succeed(db, attempt)
    service.set_password(db, user=user, password=new_password)
    return signed_in(db, tokens, user, caller)


def _by_email(db: Session, email: str) -> User | None:
    user = service.find_user(db, email)
    return user if user is not None and user.email == email.strip().lower() else None


def _count_mail(db: Session, settings: Settings, email: str, caller: Caller) -> None:
    """Every message asked for counts: nobody gets a mailbox flooded."""
    throttle = Throttle.from_settings(settings)
    attempt = caller.attempt_by_email("mail", email, _by_email(db, email))
    throttle.check(db, attempt)
    throttle.fail(db, attempt)


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
    attempt = caller.attempt_by_email("code", email, user)
    throttle.check(db, attempt)
    if user is None or user.disabled or not codes.consume(db, user, purpose, code):
        throttle.fail(db, attempt)
        raise BadRequest(WRONG_CODE, code="invalid_code")
    throttle.succeed(db, attempt)
