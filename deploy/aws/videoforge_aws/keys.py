"""The two private keys CloudFormation cannot make, kept in Secrets Manager before a deploy.

- the P-256 key that signs access tokens (VIDEOFORGE_SIGNING_KEY_PEM), shared by every process;
- the RSA key whose public half is in CloudFront's key group (VIDEOFORGE_CDN_PRIVATE_KEY_PEM).

Each is made once, on this machine, and written straight into a secret; a later deploy reuses
it (the CloudFront public key is derived from the stored private key). Nothing is written to
disk or to the template.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa


@dataclass(frozen=True)
class KeySecrets:
    signing_key_arn: str
    cdn_private_key_arn: str
    cdn_public_key_pem: str

    def parameters(self) -> dict[str, str]:
        return {
            "SigningKeySecretArn": self.signing_key_arn,
            "CdnPrivateKeySecretArn": self.cdn_private_key_arn,
            "CdnPublicKeyPem": self.cdn_public_key_pem,
        }


def ensure_key_secrets(client: Any, stack_name: str) -> KeySecrets:
    """Make the secrets if they are missing; return their ARNs and the CloudFront public key."""
    signing_arn, _ = _ensure(
        client,
        f"videoforge/{stack_name}/signing-key",
        "VideoForge access-token signing key (P-256, PEM)",
        lambda: _pem(ec.generate_private_key(ec.SECP256R1())),
    )
    cdn_arn, cdn_pem = _ensure(
        client,
        f"videoforge/{stack_name}/cdn-private-key",
        "VideoForge CloudFront URL signing key (RSA 2048, PEM)",
        lambda: _pem(rsa.generate_private_key(public_exponent=65537, key_size=2048)),
    )
    private = serialization.load_pem_private_key(cdn_pem.encode(), password=None)
    public = private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return KeySecrets(signing_arn, cdn_arn, public.decode())


def _ensure(client: Any, name: str, description: str, make: Any) -> tuple[str, str]:
    try:
        found = client.get_secret_value(SecretId=name)
        return str(found["ARN"]), str(found["SecretString"])
    except client.exceptions.ResourceNotFoundException:
        pem = make()
        made = client.create_secret(Name=name, Description=description, SecretString=pem)
        return str(made["ARN"]), pem


def _pem(key: Any) -> str:
    pem: bytes = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return pem.decode()
