"""Key material kept under `data_dir/keys/`, created safely when several processes start at once.

Layout:
- `keys/signing/0001.pem`, `0002.pem`, ... ES256 (P-256) private keys. The highest number signs;
  every key present verifies, so rotating means adding the next number and, later, removing old.
- `keys/media-secret` 32 random bytes that sign media URLs.

Every file is written to a temporary name and hard-linked into place: a link fails if the name
exists, so exactly one process wins and everyone else reads the winner's complete file.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import os
import secrets
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from jwt.algorithms import ECAlgorithm

MEDIA_SECRET_BYTES = 32


@dataclass(frozen=True)
class SigningKey:
    """One P-256 key pair and its key id (the RFC 7638 thumbprint of its public JWK)."""

    kid: str
    private_key: ec.EllipticCurvePrivateKey

    @property
    def public_key(self) -> ec.EllipticCurvePublicKey:
        return self.private_key.public_key()

    def public_jwk(self) -> dict[str, Any]:
        jwk: dict[str, Any] = ECAlgorithm.to_jwk(self.public_key, as_dict=True)
        return {**jwk, "kid": self.kid, "alg": "ES256", "use": "sig"}

    @classmethod
    def from_pem(cls, pem: bytes) -> SigningKey:
        key = serialization.load_pem_private_key(pem, password=None)
        if not isinstance(key, ec.EllipticCurvePrivateKey) or key.curve.name != "secp256r1":
            raise ValueError("not a P-256 private key")
        return cls(kid=_thumbprint(key.public_key()), private_key=key)


def _thumbprint(public_key: ec.EllipticCurvePublicKey) -> str:
    jwk = ECAlgorithm.to_jwk(public_key, as_dict=True)
    # RFC 7638: the required members only, sorted, no whitespace.
    canonical = json.dumps({k: jwk[k] for k in ("crv", "kty", "x", "y")}, separators=(",", ":"))
    digest = hashlib.sha256(canonical.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def _new_private_pem() -> bytes:
    return ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def create_once(path: Path, make: Callable[[], bytes]) -> bytes:
    """Return the contents of `path`, creating it with `make()` if absent; race-safe."""
    if path.exists():
        return path.read_bytes()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")  # mode 0600
    try:
        with os.fdopen(fd, "wb") as temp:
            temp.write(make())
            temp.flush()
            os.fsync(temp.fileno())
        # If another process won, its file is complete because it was linked whole.
        with contextlib.suppress(FileExistsError):
            os.link(temp_name, path)
    finally:
        os.unlink(temp_name)
    return path.read_bytes()


class KeyStore:
    """The files under one `keys/` directory."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.signing_dir = root / "signing"

    def signing_keys(self) -> list[SigningKey]:
        """All signing keys, newest first; creates the first one when there is none."""
        paths = sorted(self.signing_dir.glob("[0-9][0-9][0-9][0-9].pem"), reverse=True)
        if not paths:
            create_once(self.signing_dir / "0001.pem", _new_private_pem)
            paths = [self.signing_dir / "0001.pem"]
        return [SigningKey.from_pem(path.read_bytes()) for path in paths]

    def add_signing_key(self) -> SigningKey:
        """Create the next-numbered key (rotation); it signs from the next load on."""
        existing = sorted(self.signing_dir.glob("[0-9][0-9][0-9][0-9].pem"))
        number = int(existing[-1].stem) + 1 if existing else 1
        pem = create_once(self.signing_dir / f"{number:04d}.pem", _new_private_pem)
        return SigningKey.from_pem(pem)

    def media_secret(self) -> bytes:
        secret = create_once(self.root / "media-secret", lambda: secrets.token_bytes(32))
        if len(secret) != MEDIA_SECRET_BYTES:
            raise ValueError(f"{self.root / 'media-secret'} is not a {MEDIA_SECRET_BYTES}-byte key")
        return secret
