"""Access tokens: what verifies, what is refused and with which message, and the JWK Set."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from pathlib import Path
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization

from videoforge.config import Settings, load_settings
from videoforge.db import User
from videoforge.errors import Unauthorized
from videoforge.security.tokens import EXPIRED_MESSAGE, INVALID_MESSAGE, TokenIssuer
from videoforge.signing_keys import KeyStore

ANN = User(id="a" * 32, username="ann", role="user")


@pytest.fixture
def issuer(auth_settings: Settings) -> TokenIssuer:
    return TokenIssuer.from_settings(auth_settings)


def good_claims(**changes: Any) -> dict[str, Any]:
    now = int(time.time())
    claims = {
        "sub": ANN.id,
        "role": "user",
        "username": "ann",
        "iss": "videoforge",
        "aud": "videoforge",
        "token_use": "access",
        "iat": now,
        "exp": now + 300,
        "jti": "j1",
    }
    return {k: v for k, v in {**claims, **changes}.items() if v is not None}


def sign(issuer: TokenIssuer, claims: dict[str, Any], kid: str | None = None) -> str:
    key = issuer.signing_key
    return jwt.encode(claims, key.private_key, algorithm="ES256", headers={"kid": kid or key.kid})


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def refused(issuer: TokenIssuer, token: str) -> str:
    with pytest.raises(Unauthorized) as caught:
        issuer.verify_access(token)
    return caught.value.message


def test_issued_token_verifies_with_the_promised_claims(issuer: TokenIssuer) -> None:
    token = issuer.issue_access(ANN, session_id="s" * 32)
    claims = issuer.verify_access(token)
    assert jwt.get_unverified_header(token) == {
        "alg": "ES256",
        "kid": issuer.signing_key.kid,
        "typ": "JWT",
    }
    assert claims["sub"] == ANN.id
    assert (claims["role"], claims["username"], claims["sid"]) == ("user", "ann", "s" * 32)
    assert (claims["iss"], claims["aud"], claims["token_use"]) == ("videoforge",) * 2 + ("access",)
    assert claims["exp"] - claims["iat"] == 900
    assert claims["jti"] != issuer.verify_access(issuer.issue_access(ANN))["jti"]


def test_expired_token_says_so(issuer: TokenIssuer) -> None:
    token = sign(issuer, good_claims(iat=int(time.time()) - 4000, exp=int(time.time()) - 3600))
    assert refused(issuer, token) == EXPIRED_MESSAGE


def test_tampered_payload_is_refused(issuer: TokenIssuer) -> None:
    header, _, signature = issuer.issue_access(ANN).split(".")
    forged = b64(json.dumps(good_claims(role="admin")).encode())
    assert refused(issuer, f"{header}.{forged}.{signature}") == INVALID_MESSAGE


def test_alg_none_is_refused(issuer: TokenIssuer) -> None:
    unsigned = jwt.encode(
        good_claims(), "", algorithm="none", headers={"kid": issuer.signing_key.kid}
    )
    assert refused(issuer, unsigned) == INVALID_MESSAGE
    assert refused(issuer, unsigned + "c2ln") == INVALID_MESSAGE


def test_hs256_keyed_with_the_public_key_is_refused(issuer: TokenIssuer) -> None:
    # The classic confusion: an attacker HMACs with the (public) verification key.
    public_pem = issuer.signing_key.public_key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    header = b64(json.dumps({"alg": "HS256", "typ": "JWT", "kid": issuer.signing_key.kid}).encode())
    payload = b64(json.dumps(good_claims()).encode())
    mac = hmac.new(public_pem, f"{header}.{payload}".encode(), hashlib.sha256).digest()
    assert refused(issuer, f"{header}.{payload}.{b64(mac)}") == INVALID_MESSAGE


@pytest.mark.parametrize(
    "changes",
    [
        {"iss": "someone-else"},
        {"aud": "another-app"},
        {"token_use": "refresh"},
        {"exp": None},
        {"sub": None},
    ],
    ids=["issuer", "audience", "token_use", "no_exp", "no_sub"],
)
def test_wrong_or_missing_claims_are_refused(issuer: TokenIssuer, changes: dict[str, Any]) -> None:
    assert refused(issuer, sign(issuer, good_claims(**changes))) == INVALID_MESSAGE


def test_unknown_kid_and_foreign_key_are_refused(issuer: TokenIssuer, tmp_path: Path) -> None:
    assert refused(issuer, sign(issuer, good_claims(), kid="unknown")) == INVALID_MESSAGE
    payload = b64(json.dumps(good_claims()).encode())
    for odd_kid in (["a", "list"], 7):  # must not slip past as a crash
        header = b64(json.dumps({"alg": "ES256", "kid": odd_kid}).encode())
        assert refused(issuer, f"{header}.{payload}.c2ln") == INVALID_MESSAGE
    stranger = TokenIssuer.from_settings(load_settings(data_dir=tmp_path / "elsewhere"))
    foreign = sign(stranger, good_claims(), kid=issuer.signing_key.kid)
    assert refused(issuer, foreign) == INVALID_MESSAGE
    assert refused(issuer, stranger.issue_access(ANN)) == INVALID_MESSAGE


@pytest.mark.parametrize("garbage", ["", "abc", "a.b.c", "Bearer x.y.z"])
def test_garbage_is_refused(issuer: TokenIssuer, garbage: str) -> None:
    assert refused(issuer, garbage) == INVALID_MESSAGE


def test_jwks_publishes_public_keys_that_verify_tokens(issuer: TokenIssuer) -> None:
    jwks = issuer.jwks()
    assert [key["kid"] for key in jwks["keys"]] == [issuer.signing_key.kid]
    assert all("d" not in key for key in jwks["keys"])  # no private part
    token = issuer.issue_access(ANN)
    key = jwt.PyJWKSet.from_dict(jwks)[jwt.get_unverified_header(token)["kid"]]
    claims = jwt.decode(token, key.key, algorithms=["ES256"], audience="videoforge")
    assert claims["sub"] == ANN.id


def test_keys_and_media_secret_persist_across_processes(auth_settings: Settings) -> None:
    first = TokenIssuer.from_settings(auth_settings)
    second = TokenIssuer.from_settings(auth_settings)
    assert second.signing_key.kid == first.signing_key.kid
    assert second.verify_access(first.issue_access(ANN))["sub"] == ANN.id
    assert len(first.media_secret) == 32
    assert second.media_secret == first.media_secret


def test_configured_secret_gives_the_same_media_secret_everywhere(tmp_path: Path) -> None:
    a = TokenIssuer.from_settings(load_settings(data_dir=tmp_path / "a", jwt_secret="s3cret"))
    b = TokenIssuer.from_settings(load_settings(data_dir=tmp_path / "b", jwt_secret="s3cret"))
    c = TokenIssuer.from_settings(load_settings(data_dir=tmp_path / "c", jwt_secret="other"))
    assert a.media_secret == b.media_secret != c.media_secret
    assert len(a.media_secret) == 32


def test_a_new_key_signs_while_old_tokens_still_verify(auth_settings: Settings) -> None:
    before = TokenIssuer.from_settings(auth_settings)
    old_token = before.issue_access(ANN)
    KeyStore(auth_settings.data_dir / "keys").add_signing_key()
    after = TokenIssuer.from_settings(auth_settings)
    assert after.signing_key.kid != before.signing_key.kid
    assert jwt.get_unverified_header(after.issue_access(ANN))["kid"] == after.signing_key.kid
    assert after.verify_access(old_token)["sub"] == ANN.id
    assert len(after.jwks()["keys"]) == 2
    # A process started before the rotation rereads the keys when it meets the new key id.
    assert before.verify_access(after.issue_access(ANN))["sub"] == ANN.id
