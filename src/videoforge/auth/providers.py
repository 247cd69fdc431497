"""Sign-in through an external identity provider, as the web app needs to know it.

The web app signs in by itself (authorization code + PKCE, a public client with no secret) and
then uses the provider's access token with the API, which auth/external.py verifies. All it
needs from VideoForge is where to go: the provider's authorization, token and logout endpoints,
the client id and the scopes. For Cognito they follow from the hosted UI's domain; for any other
issuer they come from its openid-configuration (discovery), read once and kept for an hour.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import httpx

from videoforge.config import Settings
from videoforge.errors import ServiceUnavailable

DISCOVERY_TTL_SECONDS = 3600.0
# A provider that did not answer is asked again after this long, not on every page view.
FAILURE_TTL_SECONDS = 30.0
DISCOVERY_TIMEOUT_SECONDS = 5.0


class Discovery:
    """An issuer's openid-configuration, fetched on first use and cached (failures briefly)."""

    def __init__(self, issuer: str, *, transport: httpx.BaseTransport | None = None) -> None:
        self.issuer = issuer
        self.url = f"{issuer}/.well-known/openid-configuration"
        self._transport = transport
        self._lock = threading.Lock()
        self._document: dict[str, Any] | None = None
        self._problem: str | None = None
        self._until = 0.0

    def document(self) -> dict[str, Any]:
        """The discovery document; ServiceUnavailable says why it could not be had."""
        with self._lock:
            if time.monotonic() >= self._until:
                self._fetch()
            if self._document is None:
                raise ServiceUnavailable(
                    f"Signing in with the identity provider is unavailable right now: "
                    f"{self._problem} Try again in a moment, or sign in with a password.",
                    code="identity_provider_unavailable",
                )
            return self._document

    def _fetch(self) -> None:
        try:
            with httpx.Client(transport=self._transport, timeout=DISCOVERY_TIMEOUT_SECONDS) as http:
                answer = http.get(self.url, headers={"Accept": "application/json"})
            answer.raise_for_status()
            document = answer.json()
            self._document = self._checked(document)
            self._problem = None
            self._until = time.monotonic() + DISCOVERY_TTL_SECONDS
        except (httpx.HTTPError, ValueError) as exc:
            # Keep a document read earlier: the endpoints rarely change, a provider blips.
            self._problem = _describe(self.url, exc)
            self._until = time.monotonic() + FAILURE_TTL_SECONDS

    def _checked(self, document: object) -> dict[str, Any]:
        if not isinstance(document, dict):
            raise ValueError("it is not a JSON object.")
        missing = [
            name
            for name in ("authorization_endpoint", "token_endpoint")
            if not isinstance(document.get(name), str)
        ]
        if missing:
            raise ValueError(f"it names no {' and no '.join(missing)}.")
        named = str(document.get("issuer", "")).rstrip("/")
        if named != self.issuer:
            raise ValueError(
                f"it names the issuer {named!r}, not {self.issuer!r}; "
                "set VIDEOFORGE_OIDC_ISSUER to exactly the issuer it names."
            )
        return document


def _describe(url: str, exc: Exception) -> str:
    if isinstance(exc, httpx.HTTPStatusError):
        return f"{url} answered {exc.response.status_code}."
    if isinstance(exc, httpx.HTTPError):
        return f"{url} could not be reached ({type(exc).__name__})."
    if isinstance(exc, ValueError) and str(exc).startswith("it "):
        return f"the discovery document at {url} is not usable: {exc}"
    return f"the discovery document at {url} is not valid JSON."


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
    def from_settings(
        cls, settings: Settings, *, transport: httpx.BaseTransport | None = None
    ) -> SignInProvider | None:
        """None when the web app offers no external sign-in: no provider, or one whose tokens
        are accepted but that has no hosted UI (Cognito domain) or public client (OIDC)."""
        if settings.cognito_domain and settings.cognito_user_pool_id and settings.cognito_client_id:
            pool = settings.cognito_user_pool_id
            region = settings.cognito_region or pool.split("_", 1)[0]
            return cls(
                kind="cognito",
                name=settings.oidc_provider_name or "Cognito",
                issuer=f"https://cognito-idp.{region}.amazonaws.com/{pool}",
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
                discovery=Discovery(issuer, transport=transport),
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
