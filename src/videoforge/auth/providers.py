"""Sign-in through an external identity provider, as the web app needs to know it.

The web app signs in by itself (authorization code + PKCE, a public client with no secret) and
then uses the provider's access token with the API, which security/external.py verifies. All it
needs from VideoForge is where to go: the provider's authorization, token and logout endpoints,
the client id and the scopes. For Cognito they follow from the hosted UI's domain; for any other
issuer they come from its openid-configuration (security/discovery.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from videoforge.config import Settings
from videoforge.security.discovery import Discovery
from videoforge.security.external import cognito_issuer


@dataclass
class SignInProvider:
    """Where the web app signs in: Cognito's hosted UI, or an OIDC issuer by discovery."""

    kind: str  # "cognito" or "oidc"
    name: str
    issuer: str
    client_id: str
    scopes: list[str]
    cognito_domain: str | None = None
    discovery: Discovery | None = field(default=None, repr=False)

    @classmethod
    def from_settings(cls, settings: Settings) -> SignInProvider | None:
        """None when the web app offers no external sign-in: no provider, or one whose tokens
        are accepted but that has no hosted UI (Cognito domain) or public client (OIDC)."""
        if settings.cognito_domain and settings.cognito_user_pool_id and settings.cognito_client_id:
            return cls(
                kind="cognito",
                name=settings.oidc_provider_name or "Cognito",
                issuer=cognito_issuer(settings.cognito_user_pool_id, settings.cognito_region),
                client_id=settings.cognito_client_id,
                scopes=settings.oidc_scopes,
                cognito_domain=settings.cognito_domain,
            )
        if settings.oidc_issuer and settings.oidc_client_id:
            issuer = settings.oidc_issuer
            return cls(
                kind="oidc",
                name=settings.oidc_provider_name or urlsplit(issuer).hostname or issuer,
                issuer=issuer,
                client_id=settings.oidc_client_id,
                scopes=settings.oidc_scopes,
                discovery=Discovery(issuer),
            )
        return None

    def endpoints(self) -> dict[str, str | None]:
        """authorization, token and logout (None when the provider has none)."""
        if self.cognito_domain is not None:
            # The hosted UI's endpoints (Cognito's discovery names no logout endpoint).
            base = self.cognito_domain
            return {
                "authorization": f"{base}/oauth2/authorize",
                "token": f"{base}/oauth2/token",
                "logout": f"{base}/logout",
            }
        assert self.discovery is not None
        document = self.discovery.document()
        logout = document.get("end_session_endpoint")
        return {
            "authorization": document["authorization_endpoint"],
            "token": document["token_endpoint"],
            "logout": logout if isinstance(logout, str) else None,
        }
