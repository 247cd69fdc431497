"""/api/auth: sign up, sign in, refresh, sign out, who am I; and the public keys at
/.well-known/jwks.json."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response

from videoforge.auth import recovery, service, signin
from videoforge.auth.deps import BearerDep, CallerDep, CurrentUser
from videoforge.auth.schemas import (
    LoginRequest,
    LogoutRequest,
    RefreshRequest,
    RegisterRequest,
    RegisterResponse,
    SignInAnswer,
    TokenResponse,
    UserOut,
)
from videoforge.deps import CtxDep, DbDep
from videoforge.errors import BadRequest

router = APIRouter()


@router.post(
    "/api/auth/register",
    status_code=202,
    response_model=RegisterResponse,
    responses={201: {"model": RegisterResponse, "description": "Created, ready to sign in"}},
)
def register(
    body: RegisterRequest, caller: CallerDep, ctx: CtxDep, db: DbDep, response: Response
) -> RegisterResponse:
    """Sign up. With email confirmation on (the default): 202 and a 6-digit code mailed, to be
    entered at /api/auth/confirm-email; the answer is the same when the address already has an
    account (its owner is mailed a notice instead), so it reveals no account. A taken username
    (usernames are public) is 409. With confirmation off: 201 with the user, ready to sign in
    (and 409 for a taken address, since the account would work at once)."""
    user, message = recovery.register(
        db,
        settings=ctx.settings,
        mailer=ctx.mailer,
        username=body.username,
        email=body.email,
        password=body.password,
        caller=caller,
    )
    if user is None:
        return RegisterResponse(user=None, message=message)
    response.status_code = 201
    return RegisterResponse(user=UserOut.model_validate(user), message=message)


@router.post("/api/auth/login", response_model=SignInAnswer)
def login(body: LoginRequest, caller: CallerDep, ctx: CtxDep, db: DbDep) -> dict[str, Any]:
    """Sign in with a username or email and a password. Clients branch on `status`:

    - `authenticated`: `{status, accessToken, idToken, refreshToken, tokenType, expiresIn, user}`.
    - `mfa_required`: `{status, session, methods: ["totp", "recovery", "email"], expiresIn}`;
      finish at POST /api/auth/mfa/complete `{session, otpCode}`. (The original answered 401
      MFA_REQUIRED here; VideoForge answers 200, since the password was right.)
    - `mfa_enrolment_required`: `{status, session, expiresIn}`; an administrator requires a
      second factor: set up TOTP with this session at /api/auth/mfa/totp/setup and /confirm.

    Wrong passwords are counted per account and per address: too many answer 429 with
    Retry-After. An unconfirmed email is refused (403) only once the password was right.
    """
    return signin.sign_in(
        db,
        tokens=ctx.tokens,
        settings=ctx.settings,
        login=body.username,
        password=body.password,
        caller=caller,
    )


@router.post("/api/auth/refresh", response_model=TokenResponse)
def refresh(body: RefreshRequest, ctx: CtxDep, db: DbDep) -> TokenResponse:
    """Trade a refresh token for new tokens; the one presented stops working."""
    return TokenResponse.model_validate(service.refresh(db, ctx.tokens, body.refresh_token))


@router.post("/api/auth/logout", status_code=204, response_class=Response)
def logout(ctx: CtxDep, db: DbDep, creds: BearerDep, body: LogoutRequest | None = None) -> None:
    """End this session, named by its refresh token or by the bearer access token."""
    if body is not None and body.refresh_token:
        service.logout(db, body.refresh_token)
    elif creds is not None:
        claims = ctx.tokens.verify_access(creds.credentials)
        if "sid" in claims:
            service.end_session(db, claims["sid"])
    else:
        raise BadRequest(
            "Send the refresh token, or the access token as a bearer token, of the session to end.",
            code="nothing_to_end",
        )


@router.get("/api/auth/me", response_model=UserOut)
@router.get("/api/auth/profile", response_model=UserOut, include_in_schema=False)
def me(user: CurrentUser) -> UserOut:
    return UserOut.model_validate(user)


@router.get("/.well-known/jwks.json")
def jwks(ctx: CtxDep, response: Response) -> dict[str, Any]:
    """The public keys that verify access tokens (RFC 7517), for services that check them."""
    response.headers["Cache-Control"] = "public, max-age=300"
    return ctx.tokens.jwks()
