"""/api/auth (register, login, refresh, logout, me) and the public keys at /.well-known/jwks.json.

The router has no prefix so that both live on it; every path is written in full.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response

from videoforge.auth import service
from videoforge.auth.deps import BearerDep, CurrentUser
from videoforge.auth.schemas import (
    LoginRequest,
    LoginResponse,
    LogoutRequest,
    RefreshRequest,
    RegisterRequest,
    RegisterResponse,
    TokenResponse,
    UserOut,
)
from videoforge.deps import CtxDep, DbDep
from videoforge.errors import BadRequest

router = APIRouter(tags=["auth"])


@router.post("/api/auth/register", status_code=201, response_model=RegisterResponse)
def register(body: RegisterRequest, db: DbDep) -> RegisterResponse:
    user = service.create_user(db, username=body.username, email=body.email, password=body.password)
    return RegisterResponse(
        user=UserOut.model_validate(user), message="Your account is ready; you can sign in now."
    )


@router.post("/api/auth/login", response_model=LoginResponse)
def login(body: LoginRequest, request: Request, ctx: CtxDep, db: DbDep) -> LoginResponse:
    """Sign in with a username or email and a password.

    Answers `{status: "authenticated", accessToken, idToken, refreshToken, tokenType, expiresIn,
    user}`. Once second factors exist, an account with one will instead get
    `{status: "mfa_required", session}` here and receive its tokens from a second step; clients
    should look at `status` before reading tokens.
    """
    user = service.authenticate(db, login=body.username, password=body.password)
    tokens = service.start_session(db, ctx.tokens, user, request.headers.get("user-agent"))
    return LoginResponse.model_validate({**tokens, "user": UserOut.model_validate(user)})


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
