"""Forged, altered, stale and replayed credentials against the running app: all refused."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from typing import Any

import jwt
import pyotp
from cryptography.hazmat.primitives import serialization
from fastapi.testclient import TestClient

from tests.conftest import bearer, register

from .conftest import context


def b64(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def me(client: TestClient, token: str) -> int:
    return client.get("/api/auth/me", headers=bearer(token)).status_code


def test_forged_and_stale_access_tokens(client: TestClient) -> None:
    token = register(client, "ann")
    assert me(client, token) == 200
    header, payload, signature = token.split(".")
    claims = jwt.decode(token, options={"verify_signature": False})
    tokens = context(client).tokens

    as_admin = b64({**claims, "role": "admin", "sub": "0" * 32})
    alg_none = b64({"alg": "none", "typ": "JWT"}) + "." + payload + "."
    key = tokens.signing_key
    now = int(time.time())
    expired = jwt.encode(
        {**claims, "iat": now - 3600, "exp": now - 600},
        key.private_key,
        algorithm="ES256",
        headers={"kid": key.kid},
    )
    wrong_issuer = jwt.encode(
        {**claims, "iss": "someone-else"},
        key.private_key,
        algorithm="ES256",
        headers={"kid": key.kid},
    )
    # HS256 "signed" with the public key, the classic algorithm confusion.
    public_pem = key.public_key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    signing_input = f"{b64({'alg': 'HS256', 'typ': 'JWT', 'kid': key.kid})}.{payload}"
    mac = hmac.new(public_pem, signing_input.encode(), hashlib.sha256).digest()
    confused = f"{signing_input}.{base64.urlsafe_b64encode(mac).rstrip(b'=').decode()}"
    for forged in (
        f"{header}.{as_admin}.{signature}",
        alg_none,
        expired,
        wrong_issuer,
        confused,
        token[:-4] + "AAAA",
        "not-a-token",
    ):
        assert me(client, forged) == 401, forged


def test_a_reused_refresh_token_ends_the_session(client: TestClient) -> None:
    register(client, "bob")
    login = client.post("/api/auth/login", json={"username": "bob", "password": "correct horse 42"})
    first = login.json()
    second = client.post("/api/auth/refresh", json={"refreshToken": first["refreshToken"]}).json()
    replay = client.post("/api/auth/refresh", json={"refreshToken": first["refreshToken"]})
    assert replay.status_code == 401
    assert me(client, second["accessToken"]) == 401


def test_a_totp_code_works_once(client: TestClient) -> None:
    token = register(client, "cai")
    secret = client.post("/api/auth/mfa/totp/setup", headers=bearer(token)).json()["secret"]
    totp = pyotp.TOTP(secret)
    step = totp.timecode(time.time())
    resp = client.post(
        "/api/auth/mfa/totp/confirm",
        json={"code": totp.generate_otp(step)},
        headers=bearer(token),
    )
    assert resp.status_code == 200
    login = {"username": "cai", "password": "correct horse 42"}
    code = totp.generate_otp(step + 1)
    statuses = []
    for _ in range(2):
        session = client.post("/api/auth/login", json=login).json()["session"]
        answer = client.post("/api/auth/mfa/complete", json={"session": session, "otpCode": code})
        statuses.append(answer.status_code)
    assert statuses == [200, 401]
