"""GET /api/auth/providers: how the web app may sign people in besides a password.

Public, since the sign-in page asks before anyone is signed in; it tells nothing that the
provider's own discovery document does not.
"""

from __future__ import annotations

from fastapi import APIRouter, Response

from videoforge.api_model import ApiModel
from videoforge.auth.providers import SignInProvider
from videoforge.deps import CtxDep

router = APIRouter(tags=["auth"])

_PROVIDER_KEY = "auth.sign_in_provider"


class ProviderOut(ApiModel):
    id: str  # "cognito" or "oidc"
    name: str
    label: str
    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    logout_endpoint: str | None
    client_id: str
    scopes: list[str]


class SignInOptions(ApiModel):
    password: bool  # local accounts (always on)
    providers: list[ProviderOut]


def _provider(ctx: CtxDep) -> SignInProvider | None:
    """Built once per process, so the discovery document is cached with it."""
    if _PROVIDER_KEY not in ctx.extras:
        ctx.extras[_PROVIDER_KEY] = SignInProvider.from_settings(ctx.settings)
    found = ctx.extras[_PROVIDER_KEY]
    return found if isinstance(found, SignInProvider) else None


@router.get("/api/auth/providers", response_model=SignInOptions)
def providers(ctx: CtxDep, response: Response) -> SignInOptions:
    """Where the web app may send people to sign in: Cognito's hosted UI or an OIDC issuer,
    with the endpoints for an authorization code + PKCE sign-in by a public client (register
    `https://<this host>/auth/callback` as its callback URL). `providers` is empty when none is
    configured. 503 `identity_provider_unavailable` when the issuer's discovery cannot be read."""
    provider = _provider(ctx)
    found = []
    if provider is not None:
        endpoints = provider.endpoints()  # may raise ServiceUnavailable
        found.append(
            ProviderOut(
                id=provider.kind,
                name=provider.name,
                label=f"Sign in with {provider.name}",
                issuer=provider.issuer,
                authorization_endpoint=str(endpoints["authorization"]),
                token_endpoint=str(endpoints["token"]),
                logout_endpoint=endpoints["logout"],
                client_id=provider.client_id,
                scopes=provider.scopes,
            )
        )
    response.headers["Cache-Control"] = "public, max-age=60"
    return SignInOptions(password=True, providers=found)
