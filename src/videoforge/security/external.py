"""Verifying access tokens from an external identity provider: AWS Cognito or any OIDC issuer.

A token is accepted when its signature verifies with a key from the provider's JWK Set (fetched
with PyJWKClient, which caches the set and refetches it for an unknown key id, so the provider's
key rotation is picked up), its issuer is the configured one, it is not expired, and it is an
access token for us: `aud` is the configured audience, or for Cognito (whose access tokens carry
no `aud`) `client_id` is the app client id and `token_use` is "access".

The local account such a token stands for is auth's business (auth/external.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import jwt

from videoforge.config import Settings
from videoforge.errors import ServiceUnavailable, Unauthorized
from videoforge.security.discovery import Discovery

ALGORITHMS = ["RS256", "RS384", "RS512", "ES256", "ES384", "PS256"]
INVALID = "This token is not valid."
EXPIRED = "Your session has expired; sign in again."
LEEWAY_SECONDS = 10


@dataclass
class ExternalVerifier:
    issuer: str
    jwks: jwt.PyJWKClient
    audience: str | None = None  # OIDC: the `aud` to require
    client_id: str | None = None  # Cognito: the `client_id` claim to require
    cognito: bool = False

    @classmethod
    def from_settings(cls, settings: Settings) -> ExternalVerifier | None:
        if settings.cognito_user_pool_id:
            issuer = cognito_issuer(settings.cognito_user_pool_id, settings.cognito_region)
            return cls(
                issuer=issuer,
                jwks=_client(f"{issuer}/.well-known/jwks.json"),
                client_id=settings.cognito_client_id,
                cognito=True,
            )
        if settings.oidc_issuer:
            issuer = settings.oidc_issuer.rstrip("/")
            url = settings.oidc_jwks_url or _discover_jwks_url(issuer)
            return cls(issuer=issuer, jwks=_client(url), audience=settings.oidc_audience)
        return None

    def claims_issuer(self, token: str) -> str | None:
        """The unverified `iss` of a token, to pick who should verify it."""
        try:
            iss = jwt.decode(token, options={"verify_signature": False}).get("iss")
        except jwt.InvalidTokenError:
            return None
        return iss.rstrip("/") if isinstance(iss, str) else None

    def verify(self, token: str) -> dict[str, Any]:
        try:
            key = self.jwks.get_signing_key_from_jwt(token)
            claims: dict[str, Any] = jwt.decode(
                token,
                key.key,
                algorithms=ALGORITHMS,
                issuer=self.issuer,
                audience=self.audience,
                leeway=LEEWAY_SECONDS,
                options={"require": ["exp", "iss", "sub"], "verify_aud": bool(self.audience)},
            )
        except jwt.PyJWKClientConnectionError:
            raise ServiceUnavailable(
                "The identity provider's keys could not be fetched; try again in a moment."
            ) from None
        except jwt.ExpiredSignatureError:
            raise Unauthorized(EXPIRED, code="token_expired") from None
        except (jwt.InvalidTokenError, jwt.PyJWKClientError):  # a bad token, an unknown key id
            raise Unauthorized(INVALID, code="invalid_token") from None
        token_use = claims.get("token_use")
        # Cognito access tokens carry no aud, but token_use and the app's client_id.
        wrong_client = self.client_id is not None and claims.get("client_id") != self.client_id
        if self.cognito and token_use != "access":
            raise Unauthorized(INVALID, code="invalid_token")
        if wrong_client or (token_use is not None and token_use != "access"):
            raise Unauthorized(INVALID, code="invalid_token")
        return claims


def cognito_issuer(pool_id: str, region: str | None = None) -> str:
    """A user pool's issuer; its region is the pool id's prefix (eu-west-1_AbC) by default."""
    return f"https://cognito-idp.{region or pool_id.split('_', 1)[0]}.amazonaws.com/{pool_id}"


def _client(url: str) -> jwt.PyJWKClient:
    return jwt.PyJWKClient(url, cache_keys=True, lifespan=300, timeout=10)


def _discover_jwks_url(issuer: str) -> str:
    fallback = f"{issuer}/.well-known/jwks.json"
    try:
        jwks_uri = Discovery(issuer).document().get("jwks_uri")
    except ServiceUnavailable:
        # Fall back to the common location; a wrong one shows up as 503 on first use.
        return fallback
    return jwks_uri if isinstance(jwks_uri, str) else fallback
