"""Access tokens: ES256 JWTs with a key id, verifiable by anyone holding the public JWK Set.

Only ES256 signed by one of our keys (found by `kid`) is accepted; everything else (alg none,
HS256 keyed with the public key, another issuer or audience, a tampered payload) is rejected with
the same message, and expiry with its own.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from typing import Any

import jwt
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from videoforge.config import Settings
from videoforge.db import User
from videoforge.errors import Unauthorized
from videoforge.security.external import ExternalVerifier
from videoforge.signing_keys import MEDIA_SECRET_BYTES, KeyStore, SigningKey

ISSUER = "videoforge"
AUDIENCE = "videoforge"
ALGORITHM = "ES256"
EXPIRED_MESSAGE = "Your session has expired; sign in again."
INVALID_MESSAGE = "This token is not valid."
# Processes on different machines may disagree about the time by a few seconds.
CLOCK_LEEWAY_SECONDS = 10
KEY_RELOAD_SECONDS = 10


class TokenIssuer:
    """Signs access tokens with the newest key and verifies them with any known key."""

    def __init__(
        self,
        keys: list[SigningKey],
        media_secret: bytes,
        *,
        access_ttl_seconds: int,
        refresh_ttl_seconds: int,
        key_store: KeyStore | None = None,
        external: ExternalVerifier | None = None,
        pinned_key: SigningKey | None = None,
    ) -> None:
        self._pinned_key = pinned_key
        if not keys and pinned_key is None:
            raise ValueError("TokenIssuer needs at least one signing key")
        self._use_keys(keys)
        self.media_secret = media_secret
        self.access_ttl_seconds = access_ttl_seconds
        self.refresh_ttl_seconds = refresh_ttl_seconds
        # Where to look for keys another process added (`videoforge keys rotate`).
        self._key_store = key_store
        self._reloaded_at = float("-inf")
        # Another provider whose access tokens are accepted too (security/external.py), if any.
        self.external = external

    def _use_keys(self, keys: list[SigningKey]) -> None:
        # Newest first; a key pinned by the settings always signs.
        self._keys = [self._pinned_key, *keys] if self._pinned_key else list(keys)
        self._by_kid = {key.kid: key for key in self._keys}

    def _key_for(self, kid: str) -> SigningKey | None:
        """The key with this id; an unknown id rereads the key directory (at most every 10 s),
        so a key added by rotation verifies here before this process restarts."""
        key = self._by_kid.get(kid)
        store = self._key_store
        if key is None and store and time.monotonic() - self._reloaded_at >= KEY_RELOAD_SECONDS:
            self._reloaded_at = time.monotonic()
            self._use_keys(store.signing_keys())
            key = self._by_kid.get(kid)
        return key

    @classmethod
    def from_settings(cls, settings: Settings) -> TokenIssuer:
        store = KeyStore(settings.data_dir / "keys")
        if settings.jwt_secret:
            # A configured secret lets processes that share no disk agree on media URLs.
            media_secret = _derive_media_secret(settings.jwt_secret)
        else:
            media_secret = store.media_secret()
        # A key given in the settings signs; keys in data_dir still verify (rotation to it).
        pinned = settings.signing_key_pem
        return cls(
            store.signing_keys(),
            media_secret,
            pinned_key=SigningKey.from_pem(pinned.encode()) if pinned else None,
            access_ttl_seconds=settings.access_token_ttl_seconds,
            refresh_ttl_seconds=settings.refresh_token_ttl_seconds,
            key_store=store,
            external=ExternalVerifier.from_settings(settings),
        )

    @property
    def signing_key(self) -> SigningKey:
        return self._keys[0]

    def issue_access(self, user: User, *, session_id: str | None = None) -> str:
        """A signed access token; `session_id` (claim `sid`) lets signing out end it at once."""
        now = int(time.time())
        claims: dict[str, Any] = {
            "sub": user.id,
            "role": user.role,
            "username": user.username,
            "iss": ISSUER,
            "aud": AUDIENCE,
            "token_use": "access",
            "iat": now,
            "exp": now + self.access_ttl_seconds,
            "jti": secrets.token_hex(16),
        }
        if session_id is not None:
            claims["sid"] = session_id
        key = self.signing_key
        return jwt.encode(claims, key.private_key, algorithm=ALGORITHM, headers={"kid": key.kid})

    def verify_access(self, token: str) -> dict[str, Any]:
        """The token's claims, or Unauthorized with a message for a person."""
        try:
            header = jwt.get_unverified_header(token)
            kid = header.get("kid")
            key = self._key_for(kid) if isinstance(kid, str) else None
            if header.get("alg") != ALGORITHM or key is None:
                raise Unauthorized(INVALID_MESSAGE, code="invalid_token")
            claims: dict[str, Any] = jwt.decode(
                token,
                key.public_key,
                algorithms=[ALGORITHM],
                audience=AUDIENCE,
                issuer=ISSUER,
                leeway=CLOCK_LEEWAY_SECONDS,
                options={"require": ["exp", "iat", "sub", "iss", "aud", "jti"]},
            )
        except jwt.ExpiredSignatureError:
            raise Unauthorized(EXPIRED_MESSAGE, code="token_expired") from None
        except jwt.InvalidTokenError:
            raise Unauthorized(INVALID_MESSAGE, code="invalid_token") from None
        if claims.get("token_use") != "access":
            raise Unauthorized(INVALID_MESSAGE, code="invalid_token")
        return claims

    def jwks(self) -> dict[str, Any]:
        return {"keys": [key.public_jwk() for key in self._keys]}


def _derive_media_secret(configured: str) -> bytes:
    hkdf = HKDF(
        algorithm=hashes.SHA256(),
        length=MEDIA_SECRET_BYTES,
        salt=hashlib.sha256(b"videoforge").digest(),
        info=b"media-url-signing",
    )
    return hkdf.derive(configured.encode())
