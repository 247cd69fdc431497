"""Who is asking: CurrentUser (signed in, else 401), OptionalUser (None when signed out),
AdminUser (admin role, else 403), and CallerDep (their address and user agent). And AuthDep:
what the auth role keeps for the life of its process (why a state object per role:
streaming/deps.py).

Bearer tokens are ours (security/tokens.py) or, when one is configured, an external identity
provider's (security/external.py), told apart by their issuer."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session
from starlette.applications import Starlette

from videoforge.auth.external import link_user
from videoforge.auth.providers import SignInProvider
from videoforge.auth.signin import Caller
from videoforge.context import Context
from videoforge.db import AuthSession, User
from videoforge.deps import CtxDep, DbDep, role_state, role_state_dependency
from videoforge.errors import Forbidden, Unauthorized
from videoforge.role_specs import AUTH

_bearer = HTTPBearer(auto_error=False)
BearerDep = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]


def optional_user(ctx: CtxDep, db: DbDep, creds: BearerDep) -> User | None:
    if creds is None:
        return None
    external = ctx.tokens.external
    if external is not None and external.claims_issuer(creds.credentials) == external.issuer:
        user: User | None = link_user(db, external.verify(creds.credentials))
        claims: dict[str, Any] = {}
    else:
        claims = ctx.tokens.verify_access(creds.credentials)  # raises Unauthorized
        user = db.get(User, claims["sub"])
    if user is None or user.disabled or _session_ended(db, claims.get("sid")):
        raise Unauthorized("Your session has ended; sign in again.", code="session_ended")
    return user


def _session_ended(db: Session, session_id: str | None) -> bool:
    # Signing out (or a stolen refresh token) ends a session; its access tokens end with it.
    if session_id is None:
        return False
    session = db.get(AuthSession, session_id)
    return session is None or session.revoked_at is not None


OptionalUser = Annotated[User | None, Depends(optional_user)]


def current_user(user: OptionalUser) -> User:
    if user is None:
        raise Unauthorized("Sign in to do this.")
    return user


CurrentUser = Annotated[User, Depends(current_user)]


def admin_user(user: CurrentUser) -> User:
    if user.role != "admin":
        raise Forbidden("Only an administrator can do this.")
    return user


AdminUser = Annotated[User, Depends(admin_user)]


def caller(request: Request) -> Caller:
    return Caller(
        address=request.client.host if request.client else None,
        user_agent=request.headers.get("user-agent"),
    )


CallerDep = Annotated[Caller, Depends(caller)]


@dataclass
class AuthState:
    # Where the web app signs in besides a password, if anywhere; it keeps the issuer's
    # discovery document cached.
    sign_in: SignInProvider | None

    @classmethod
    def build(cls, ctx: Context) -> AuthState:
        return cls(SignInProvider.from_settings(ctx.settings))


def auth_state(app: Starlette) -> AuthState:
    return role_state(app, AUTH, AuthState)


AuthDep = Annotated[AuthState, Depends(role_state_dependency(AUTH, AuthState))]
