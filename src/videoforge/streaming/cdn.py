"""CloudFront signed URLs (canned policy) for media in the S3 bucket behind a distribution.

botocore's CloudFrontSigner builds the policy and the URL; it needs only a function that signs
bytes with the key pair's RSA private key (SHA-1 with PKCS#1 v1.5, as CloudFront requires).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import quote

from botocore.signers import CloudFrontSigner
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from videoforge.config import Settings


def rsa_signer(private_key_pem: bytes) -> Callable[[bytes], bytes]:
    key = serialization.load_pem_private_key(private_key_pem, password=None)
    if not isinstance(key, rsa.RSAPrivateKey):
        raise ValueError("CloudFront signing needs an RSA private key")
    return lambda message: key.sign(message, padding.PKCS1v15(), hashes.SHA1())


class CdnLinks:
    """Signed https://{domain}/{object key} URLs."""

    def __init__(self, domain: str, key_pair_id: str, private_key_pem: bytes, prefix: str = ""):
        self.base = f"https://{domain.strip('/').removeprefix('https://')}/"
        self.prefix = prefix
        self._signer = CloudFrontSigner(key_pair_id, rsa_signer(private_key_pem))

    @classmethod
    def from_settings(cls, settings: Settings, prefix: str = "") -> CdnLinks | None:
        """None when no CDN is configured (load_settings checked the settings)."""
        if not (settings.cdn_domain and settings.cdn_key_pair_id):
            return None
        if settings.cdn_private_key_pem:
            pem = settings.cdn_private_key_pem.replace("\\n", "\n").encode()
        elif settings.cdn_private_key_path:
            pem = Path(settings.cdn_private_key_path).read_bytes()
        else:
            return None
        return cls(settings.cdn_domain, settings.cdn_key_pair_id, pem, prefix)

    def url(self, key: str, expires_in: int) -> str:
        """A URL for the store key (the bucket prefix added) that works for expires_in seconds."""
        resource = self.base + quote(self.prefix + key)
        until = datetime.now(UTC) + timedelta(seconds=expires_in)
        signed: str = self._signer.generate_presigned_url(resource, date_less_than=until)
        return signed
