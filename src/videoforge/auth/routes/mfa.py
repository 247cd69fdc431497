"""/api/auth/mfa: set up TOTP, recovery codes, turn MFA off, and the second step of signing in.

Setup and confirm work for a signed-in user (bearer token), or, when an administrator requires a
second factor, for a user holding the `session` of an `mfa_enrolment_required` sign-in answer.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from videoforge.auth import mfa, signin
from videoforge.auth.deps import CallerDep, CurrentUser, OptionalUser
from videoforge.auth.schemas import (
    CodeRequest,
    EnrolledOut,
    LoginResponse,
    MessageOut,
    MfaCompleteRequest,
    MfaDisableRequest,
    MfaEmailSentOut,
    MfaSessionRequest,
    MfaStatusOut,
    RecoveryCodesOut,
    TotpConfirmRequest,
    TotpSetupOut,
    TotpSetupRequest,
)
from videoforge.db import User
from videoforge.deps import CtxDep, DbDep
from videoforge.errors import Forbidden, Unauthorized

router = APIRouter()


@router.get("/api/auth/mfa", response_model=MfaStatusOut)
def mfa_status(user: CurrentUser, ctx: CtxDep, db: DbDep) -> MfaStatusOut:
    return MfaStatusOut(
        totp_enabled=mfa.totp_enabled(user),
        required=ctx.settings.require_mfa or user.mfa_required,
        recovery_codes_left=mfa.remaining_recovery_codes(db, user=user),
    )


@router.post("/api/auth/mfa/totp/setup", response_model=TotpSetupOut)
def totp_setup(
    user: OptionalUser, ctx: CtxDep, db: DbDep, body: TotpSetupRequest | None = None
) -> TotpSetupOut:
    """A new TOTP secret, its otpauth:// URI and a QR code of it; confirm with a first code."""
    setup = mfa.start_totp_setup(db, user=_enrolling(db, user, body.session if body else None))
    return TotpSetupOut(secret=setup.secret, otpauth_uri=setup.otpauth_uri, qr_svg=setup.qr_svg)


@router.post("/api/auth/mfa/totp/confirm", response_model=EnrolledOut | RecoveryCodesOut)
def totp_confirm(
    body: TotpConfirmRequest, user: OptionalUser, caller: CallerDep, ctx: CtxDep, db: DbDep
) -> dict[str, Any]:
    """Turn TOTP on with a first code: answers `{recoveryCodes}` (shown this once). Within an
    enrolment session the user is signed in too: `{recoveryCodes, status, accessToken, ...}`."""
    if body.session:
        return signin.confirm_enrolment(
            db,
            tokens=ctx.tokens,
            settings=ctx.settings,
            session=body.session,
            code=body.code,
            caller=caller,
        )
    codes = signin.confirm_totp_throttled(
        db, settings=ctx.settings, user=_enrolling(db, user, None), code=body.code, caller=caller
    )
    return {"recoveryCodes": codes}


@router.post("/api/auth/mfa/recovery-codes", response_model=RecoveryCodesOut)
def regenerate_recovery_codes(
    body: CodeRequest, user: CurrentUser, caller: CallerDep, ctx: CtxDep, db: DbDep
) -> RecoveryCodesOut:
    """Ten new recovery codes (the old ones stop working), for a current TOTP or recovery code."""
    _require_totp(user)
    signin.check_code(db, settings=ctx.settings, user=user, code=body.code, caller=caller)
    return RecoveryCodesOut(recovery_codes=mfa.new_recovery_codes(db, user=user))


@router.post("/api/auth/mfa/disable", response_model=MessageOut)
def disable(
    body: MfaDisableRequest, user: CurrentUser, caller: CallerDep, ctx: CtxDep, db: DbDep
) -> MessageOut:
    """Turn two-step sign-in off; needs the password and a current code."""
    _require_totp(user)
    if ctx.settings.require_mfa or user.mfa_required:
        raise Forbidden(
            "Your administrator requires two-step sign-in, so it cannot be turned off.",
            code="mfa_required_by_admin",
        )
    signin.check_password_and_code(
        db, settings=ctx.settings, user=user, password=body.password, code=body.code, caller=caller
    )
    mfa.turn_off(db, user=user)
    return MessageOut(message="Two-step sign-in is off.")


@router.post("/api/auth/mfa/complete", response_model=LoginResponse)
def complete(body: MfaCompleteRequest, caller: CallerDep, ctx: CtxDep, db: DbDep) -> dict[str, Any]:
    """Second step of signing in: `{session, otpCode}` (a TOTP code, a recovery code, or the
    code mailed by /api/auth/mfa/email/send) -> the same tokens answer as a one-step sign-in."""
    return signin.complete_mfa(
        db,
        tokens=ctx.tokens,
        settings=ctx.settings,
        session=body.session,
        code=body.otp_code,
        username=body.username,
        caller=caller,
    )


@router.post("/api/auth/mfa/email/send", status_code=202, response_model=MfaEmailSentOut)
def send_email_code(
    body: MfaSessionRequest, caller: CallerDep, ctx: CtxDep, db: DbDep
) -> MfaEmailSentOut:
    """Mail a 6-digit sign-in code for this sign-in session, as a second factor."""
    destination = signin.send_mfa_email(
        db, settings=ctx.settings, mailer=ctx.mailer, session=body.session, caller=caller
    )
    return MfaEmailSentOut(message=f"We sent a code to {destination}.", destination=destination)


def _enrolling(db: DbDep, user: User | None, session: str | None) -> User:
    if session:
        return signin.enrolling_user(db, session=session)
    if user is None:
        raise Unauthorized("Sign in to do this.")
    return user


def _require_totp(user: User) -> None:
    if not mfa.totp_enabled(user):
        raise Forbidden("Two-step sign-in is not on for this account.", code="mfa_not_enabled")
