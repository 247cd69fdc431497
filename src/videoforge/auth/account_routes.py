"""Email confirmation, password reset by mailed code, and password change (the original's paths).

Answers about an address never say whether an account has it.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from videoforge.auth import recovery
from videoforge.auth.deps import CallerDep, CurrentUser
from videoforge.auth.schemas import (
    ChangePasswordRequest,
    ConfirmEmailRequest,
    EmailRequest,
    LoginResponse,
    MessageOut,
    ResetPasswordRequest,
)
from videoforge.deps import CtxDep, DbDep

router = APIRouter()


@router.post("/api/auth/confirm-email", response_model=MessageOut)
def confirm_email(
    body: ConfirmEmailRequest, caller: CallerDep, ctx: CtxDep, db: DbDep
) -> MessageOut:
    """Confirm a new account's email with the code mailed at sign-up."""
    recovery.confirm_email(
        db, settings=ctx.settings, email=body.email, code=body.confirmation_code, caller=caller
    )
    return MessageOut(message="Your email is confirmed; you can sign in now.")


@router.post("/api/auth/resend-confirmation", status_code=202, response_model=MessageOut)
def resend_confirmation(
    body: EmailRequest, caller: CallerDep, ctx: CtxDep, db: DbDep
) -> MessageOut:
    recovery.resend_confirmation(
        db, settings=ctx.settings, mailer=ctx.mailer, email=body.email, caller=caller
    )
    return MessageOut(message=recovery.CODE_SENT)


@router.post("/api/auth/forgot-password", status_code=202, response_model=MessageOut)
def forgot_password(body: EmailRequest, caller: CallerDep, ctx: CtxDep, db: DbDep) -> MessageOut:
    """Mail a password reset code; the answer is the same whether or not the account exists."""
    recovery.forgot_password(
        db, settings=ctx.settings, mailer=ctx.mailer, email=body.email, caller=caller
    )
    return MessageOut(message=recovery.CODE_SENT)


@router.post("/api/auth/reset-password", response_model=MessageOut)
def reset_password(
    body: ResetPasswordRequest, caller: CallerDep, ctx: CtxDep, db: DbDep
) -> MessageOut:
    """Set a new password with the mailed code; every session of the account ends."""
    recovery.reset_password(
        db,
        settings=ctx.settings,
        email=body.email,
        code=body.code,
        new_password=body.new_password,
        caller=caller,
    )
    return MessageOut(message="Your password is changed; sign in with the new one.")


@router.post("/api/auth/change-password", response_model=LoginResponse)
def change_password(
    body: ChangePasswordRequest, user: CurrentUser, caller: CallerDep, ctx: CtxDep, db: DbDep
) -> dict[str, Any]:
    """Change the password: every session ends, and this device gets new tokens."""
    return recovery.change_password(
        db,
        tokens=ctx.tokens,
        settings=ctx.settings,
        user=user,
        current_password=body.current_password,
        new_password=body.new_password,
        caller=caller,
    )
