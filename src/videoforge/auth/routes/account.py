"""Email confirmation, password reset by mailed code, and password change (the original's paths);
the signed-in devices of an account (list, sign one out).

Answers about an address never say whether an account has it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Response
from sqlalchemy import select

from videoforge.api_model import ApiModel
from videoforge.auth import recovery, service
from videoforge.auth.deps import BearerDep, CallerDep, CurrentUser
from videoforge.auth.schemas import (
    ChangePasswordRequest,
    ConfirmEmailRequest,
    EmailRequest,
    LoginResponse,
    MessageOut,
    ResetPasswordRequest,
)
from videoforge.db import AuthSession, utcnow
from videoforge.deps import CtxDep, DbDep
from videoforge.errors import NotFound, Unauthorized

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


class SessionOut(ApiModel):
    """One signed-in device of an account."""

    id: str
    created_at: datetime
    expires_at: datetime
    user_agent: str | None
    current: bool  # the session of the token asking


@router.get("/api/auth/sessions", response_model=list[SessionOut])
def sessions(user: CurrentUser, creds: BearerDep, ctx: CtxDep, db: DbDep) -> list[SessionOut]:
    """The account's signed-in devices, newest first; `current` marks the one asking."""
    current = _current_session_id(ctx, creds)
    rows = db.scalars(
        select(AuthSession)
        .where(
            AuthSession.user_id == user.id,
            AuthSession.revoked_at.is_(None),
            AuthSession.expires_at > utcnow(),
        )
        .order_by(AuthSession.created_at.desc())
    ).all()
    return [
        SessionOut(
            id=row.id,
            created_at=row.created_at,
            expires_at=row.expires_at,
            user_agent=row.user_agent,
            current=row.id == current,
        )
        for row in rows
    ]


@router.delete("/api/auth/sessions/{session_id}", status_code=204, response_class=Response)
def end_session(session_id: str, user: CurrentUser, db: DbDep) -> None:
    """Sign one of the account's devices out; its tokens stop working at once."""
    row = db.get(AuthSession, session_id)
    if row is None or row.user_id != user.id or row.revoked_at is not None:
        raise NotFound("There is no such signed-in session.")
    service.end_session(db, session_id, "signed_out_elsewhere")


def _current_session_id(ctx: CtxDep, creds: BearerDep) -> str | None:
    # CurrentUser has already accepted the token; an external provider's token (which ours
    # refuse) belongs to no session of ours.
    if creds is None:
        return None
    try:
        sid = ctx.tokens.verify_access(creds.credentials).get("sid")
    except Unauthorized:
        return None
    return str(sid) if sid else None
