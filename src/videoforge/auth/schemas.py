"""Request and response bodies of /api/auth, in the original client's camelCase."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import ConfigDict

from videoforge.api_model import ApiModel
from videoforge.text import Line


class RegisterRequest(ApiModel):
    username: Line
    email: Line
    password: Line


class LoginRequest(ApiModel):
    username: Line  # a username or an email address
    password: Line


class RefreshRequest(ApiModel):
    refresh_token: Line


class LogoutRequest(ApiModel):
    refresh_token: Line | None = None


class UserOut(ApiModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    username: str
    email: str
    role: str
    created_at: datetime


class RegisterResponse(ApiModel):
    user: UserOut | None = None  # only when the account works at once (no email confirmation)
    message: str


class TokenResponse(ApiModel):
    access_token: str
    id_token: str
    refresh_token: str
    token_type: Literal["Bearer"] = "Bearer"
    expires_in: int  # seconds the access token works


class LoginResponse(TokenResponse):
    status: Literal["authenticated"] = "authenticated"
    user: UserOut


class MfaChallengeOut(ApiModel):
    status: Literal["mfa_required"] = "mfa_required"
    session: str
    methods: list[str]
    expires_in: int  # seconds the session works


class MfaEnrolmentOut(ApiModel):
    status: Literal["mfa_enrolment_required"] = "mfa_enrolment_required"
    session: str
    expires_in: int


# What POST /api/auth/login answers; clients branch on `status`.
SignInAnswer = LoginResponse | MfaChallengeOut | MfaEnrolmentOut


class MfaCompleteRequest(ApiModel):
    session: Line
    otp_code: Line  # a TOTP code, a recovery code, or the code mailed for this session
    username: Line | None = None


class MfaSessionRequest(ApiModel):
    session: Line


class TotpSetupRequest(ApiModel):
    session: Line | None = None  # an enrolment session, for a user not signed in yet


class TotpSetupOut(ApiModel):
    secret: str
    otpauth_uri: str
    qr_svg: str  # data:image/svg+xml URI, ready for <img src>


class TotpConfirmRequest(ApiModel):
    code: Line
    session: Line | None = None


class RecoveryCodesOut(ApiModel):
    recovery_codes: list[str]


class EnrolledOut(LoginResponse):
    recovery_codes: list[str]


class CodeRequest(ApiModel):
    code: Line


class MfaDisableRequest(ApiModel):
    password: Line
    code: Line


class MfaStatusOut(ApiModel):
    totp_enabled: bool
    required: bool  # by the administrator: it cannot be turned off
    recovery_codes_left: int


class EmailRequest(ApiModel):
    email: Line


class ConfirmEmailRequest(ApiModel):
    email: Line
    confirmation_code: Line


class ResetPasswordRequest(ApiModel):
    email: Line
    code: Line
    new_password: Line


class ChangePasswordRequest(ApiModel):
    current_password: Line
    new_password: Line


class MessageOut(ApiModel):
    message: str


class MfaEmailSentOut(ApiModel):
    message: str
    destination: str  # the masked address, e.g. a…@example.com
