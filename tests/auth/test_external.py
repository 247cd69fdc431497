"""Tokens from an external identity provider (Cognito-shaped and plain OIDC), checked against a
JWK Set served by a local HTTP server, with an RSA key made in the test."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from fastapi.testclient import TestClient
from jwt.algorithms import RSAAlgorithm

from videoforge.db import User
from videoforge.security.external import ExternalVerifier
from videoforge.security.tokens import TokenIssuer

from .conftest import AuthContext
from .helpers import bearer

KID = "test-key-1"


@pytest.fixture(scope="module")
def rsa_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture
def jwks_url(rsa_key: rsa.RSAPrivateKey) -> Iterator[str]:
    jwk = {**RSAAlgorithm.to_jwk(rsa_key.public_key(), as_dict=True), "kid": KID, "alg": "RS256"}
    payload = json.dumps({"keys": [jwk]}).encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *_: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/jwks.json"
    server.shutdown()
    server.server_close()


def use_provider(auth_ctx: AuthContext, verifier: ExternalVerifier) -> None:
    auth_ctx.tokens = TokenIssuer(
        [auth_ctx.tokens.signing_key],
        auth_ctx.tokens.media_secret,
        access_ttl_seconds=900,
        refresh_ttl_seconds=3600,
        external=verifier,
    )


COGNITO_ISSUER = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Test"


def cognito_claims(**changes: Any) -> dict[str, Any]:
    now = int(time.time())
    claims = {
        "sub": "3f1c0d2e-0000-4000-8000-000000000001",
        "iss": COGNITO_ISSUER,
        "client_id": "app-client",
        "token_use": "access",
        "username": "Carla",
        "cognito:groups": ["editors"],
        "iat": now,
        "exp": now + 300,
    }
    return {k: v for k, v in {**claims, **changes}.items() if v is not None}


def sign(key: rsa.RSAPrivateKey, claims: dict[str, Any], kid: str = KID) -> str:
    return jwt.encode(claims, key, algorithm="RS256", headers={"kid": kid})


@pytest.fixture
def cognito(auth_ctx: AuthContext, jwks_url: str) -> ExternalVerifier:
    verifier = ExternalVerifier(
        issuer=COGNITO_ISSUER,
        jwks=jwt.PyJWKClient(jwks_url, cache_keys=True),
        client_id="app-client",
        cognito=True,
    )
    use_provider(auth_ctx, verifier)
    return verifier


def test_cognito_settings_name_the_issuer(auth_ctx: AuthContext) -> None:
    settings = auth_ctx.settings.model_copy(
        update={"cognito_user_pool_id": "eu-west-1_Test", "cognito_client_id": "app-client"}
    )
    verifier = ExternalVerifier.from_settings(settings)
    assert verifier is not None and verifier.issuer == COGNITO_ISSUER
    assert verifier.jwks.uri == f"{COGNITO_ISSUER}/.well-known/jwks.json"


def test_the_originals_setting_names_work(monkeypatch: pytest.MonkeyPatch) -> None:
    from videoforge.config import Settings

    monkeypatch.setenv("COGNITO_USER_POOL_ID", "us-east-1_Pool")
    monkeypatch.setenv("COGNITO_CLIENT_ID", "client-x")
    settings = Settings()
    assert (settings.cognito_user_pool_id, settings.cognito_client_id) == (
        "us-east-1_Pool",
        "client-x",
    )


def test_a_cognito_access_token_signs_in_and_links_an_account(
    auth_client: TestClient, cognito: ExternalVerifier, rsa_key: rsa.RSAPrivateKey
) -> None:
    token = sign(rsa_key, cognito_claims())
    me = auth_client.get("/api/auth/me", headers=bearer(token))
    assert me.status_code == 200, me.text
    assert (me.json()["username"], me.json()["role"]) == ("carla", "user")
    again = auth_client.get("/api/auth/me", headers=bearer(token)).json()
    assert again["id"] == me.json()["id"]  # linked by subject, not made twice

    admin = sign(rsa_key, cognito_claims(**{"cognito:groups": ["admin"]}))
    assert auth_client.get("/api/auth/me", headers=bearer(admin)).json()["role"] == "admin"


@pytest.mark.parametrize(
    "changes",
    [
        {"token_use": "id"},
        {"client_id": "another-app"},
        {"iss": "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Other"},
        {"exp": int(time.time()) - 60},
    ],
    ids=["id-token", "other-client", "other-pool", "expired"],
)
def test_wrong_cognito_tokens_are_refused(
    auth_client: TestClient,
    cognito: ExternalVerifier,
    rsa_key: rsa.RSAPrivateKey,
    changes: dict[str, Any],
) -> None:
    token = sign(rsa_key, cognito_claims(**changes))
    assert auth_client.get("/api/auth/me", headers=bearer(token)).status_code == 401


def test_a_key_the_provider_does_not_publish_is_refused(
    auth_client: TestClient, cognito: ExternalVerifier
) -> None:
    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    for kid in (KID, "unknown-kid"):
        token = sign(stranger, cognito_claims(), kid=kid)
        assert auth_client.get("/api/auth/me", headers=bearer(token)).status_code == 401


def test_an_oidc_provider_checks_the_audience(
    auth_client: TestClient, auth_ctx: AuthContext, jwks_url: str, rsa_key: rsa.RSAPrivateKey
) -> None:
    issuer = "https://login.example.com/realms/video"
    settings = auth_ctx.settings.model_copy(
        update={"oidc_issuer": issuer, "oidc_audience": "videoforge", "oidc_jwks_url": jwks_url}
    )
    verifier = ExternalVerifier.from_settings(settings)
    assert verifier is not None
    use_provider(auth_ctx, verifier)
    now = int(time.time())
    claims = {
        "sub": "u-1",
        "iss": issuer,
        "aud": "videoforge",
        "preferred_username": "dora",
        "groups": ["admin"],
        "iat": now,
        "exp": now + 300,
    }
    me = auth_client.get("/api/auth/me", headers=bearer(sign(rsa_key, claims)))
    assert (me.json()["username"], me.json()["role"]) == ("dora", "admin")
    wrong_audience = sign(rsa_key, {**claims, "aud": "someone-else"})
    assert auth_client.get("/api/auth/me", headers=bearer(wrong_audience)).status_code == 401
    # Our own tokens still work beside the provider's.
    with auth_ctx.sessions() as db:
        ours = auth_ctx.tokens.issue_access(db.get_one(User, me.json()["id"]))
    assert auth_client.get("/api/auth/me", headers=bearer(ours)).status_code == 200
