"""GET /api/auth/providers: how the web app may sign people in besides a password.

Public, since the sign-in page asks before anyone is signed in; it tells nothing that the
provider's own discovery document does not.
"""

from __future__ import annotations

from fastapi import APIRouter, Response

from videoforge.api_model import ApiModel
from videoforge.auth.deps import AuthDep

router = APIRouter(tags=["auth"])


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


@router.get("/api/auth/providers", response_model=SignInOptions)
def providers(auth: AuthDep, response: Response) -> SignInOptions:
    """Where the web app may send people to sign in: Cognito's hosted UI or an OIDC issuer,
    with the endpoints for an authorization code + PKCE sign-in by a public client (register
    `https://<this host>/auth/callback` as its callback URL). `providers` is empty when none is
    configured. 503 `identity_provider_unavailable` when the issuer's discovery cannot be read."""
    provider = auth.sign_in
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
