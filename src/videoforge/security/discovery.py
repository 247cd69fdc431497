"""An OpenID issuer's discovery document (/.well-known/openid-configuration), read on first use
and kept for an hour; a failure is remembered for 30 s, so a provider that is down does not slow
every request, and a document read earlier is kept through a short outage."""

from __future__ import annotations

import threading
import time
from typing import Any

import httpx

from videoforge.errors import ServiceUnavailable

DISCOVERY_TTL_SECONDS = 3600.0
# A provider that did not answer is asked again after this long, not on every page view.
FAILURE_TTL_SECONDS = 30.0
DISCOVERY_TIMEOUT_SECONDS = 5.0


class Discovery:
    """An issuer's openid-configuration, fetched on first use and cached (failures briefly)."""

    def __init__(self, issuer: str) -> None:
        self.issuer = issuer
        self.url = f"{issuer}/.well-known/openid-configuration"
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
            with httpx.Client(timeout=DISCOVERY_TIMEOUT_SECONDS) as http:
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
