"""GET /api/auth/providers, what the web app needs to sign in through Cognito or an OIDC issuer,
and the settings behind it. OIDC discovery is read from a real provider (oidc-provider-mock on a
free port, tests/oidc_provider.py); a token it issues after a PKCE sign-in works with the API."""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from fastapi.testclient import TestClient

from tests.oidc_provider import QUIET_AUTHLIB, Provider, User, running_provider
from videoforge.auth.deps import AuthState
from videoforge.config import SettingsError, load_settings
from videoforge.security.tokens import TokenIssuer
from videoforge.testing.server import free_port

from .conftest import AuthContext
from .helpers import bearer

pytestmark = QUIET_AUTHLIB

CALLBACK = "http://127.0.0.1:8000/auth/callback"
DANA = User(
    sub="dana-1",
    claims={"email": "dana@example.com", "preferred_username": "dana", "groups": ["admin"]},
)


@pytest.fixture(scope="module")
def provider() -> Iterator[Provider]:
    with running_provider([DANA]) as running:
        yield running


def configure(client: TestClient, auth_ctx: AuthContext, **settings: Any) -> None:
    """Give the auth app these settings, as a fresh process would read them."""
    auth_ctx.settings = load_settings(data_dir=auth_ctx.settings.data_dir, **settings)
    auth_ctx.tokens = TokenIssuer.from_settings(auth_ctx.settings)
    client.app.state.auth = AuthState.build(auth_ctx)  # type: ignore[arg-type, attr-defined]


def test_without_a_provider_only_passwords_are_offered(auth_client: TestClient) -> None:
    answer = auth_client.get("/api/auth/providers")
    assert answer.status_code == 200
    assert answer.json() == {"password": True, "providers": []}


def test_an_oidc_issuer_is_described_from_its_discovery_document(
    auth_client: TestClient, auth_ctx: AuthContext, provider: Provider
) -> None:
    configure(auth_client, auth_ctx, oidc_issuer=provider.url, oidc_client_id="videoforge-web")
    answer = auth_client.get("/api/auth/providers")
    assert answer.status_code == 200, answer.text
    assert answer.json()["providers"] == [
        {
            "id": "oidc",
            "name": "localhost",  # the issuer's host, when no name is set
            "label": "Sign in with localhost",
            "issuer": provider.url,
            "authorizationEndpoint": f"{provider.url}/oauth2/authorize",
            "tokenEndpoint": f"{provider.url}/oauth2/token",
            "logoutEndpoint": f"{provider.url}/oauth2/end_session",
            "clientId": "videoforge-web",
            "scopes": ["openid", "email", "profile"],
        }
    ]
    asked = len(provider.asked("/.well-known/openid-configuration"))
    for _ in range(3):
        assert auth_client.get("/api/auth/providers").status_code == 200
    assert len(provider.asked("/.well-known/openid-configuration")) == asked  # kept, not re-read


def test_cognito_sign_in_goes_through_the_hosted_ui(
    auth_client: TestClient, auth_ctx: AuthContext
) -> None:
    configure(
        auth_client,
        auth_ctx,
        cognito_user_pool_id="eu-west-1_AbC",
        cognito_client_id="app-client",
        cognito_domain="videoforge-abc.auth.eu-west-1.amazoncognito.com/",  # https:// is added
        oidc_scopes="openid,email",
    )
    domain = "https://videoforge-abc.auth.eu-west-1.amazoncognito.com"
    answer = auth_client.get("/api/auth/providers")
    assert answer.status_code == 200, answer.text
    assert answer.json()["providers"] == [
        {
            "id": "cognito",
            "name": "Cognito",
            "label": "Sign in with Cognito",
            "issuer": "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC",
            "authorizationEndpoint": f"{domain}/oauth2/authorize",
            "tokenEndpoint": f"{domain}/oauth2/token",
            "logoutEndpoint": f"{domain}/logout",
            "clientId": "app-client",
            "scopes": ["openid", "email"],
        }
    ]


def test_a_provider_without_a_sign_in_client_only_has_its_tokens_accepted(
    auth_client: TestClient, auth_ctx: AuthContext, provider: Provider
) -> None:
    configure(
        auth_client, auth_ctx, cognito_user_pool_id="eu-west-1_AbC", cognito_client_id="app-client"
    )
    assert auth_client.get("/api/auth/providers").json()["providers"] == []
    configure(auth_client, auth_ctx, oidc_issuer=provider.url)
    assert auth_client.get("/api/auth/providers").json()["providers"] == []


def test_an_unreachable_issuer_is_a_clear_503(
    auth_client: TestClient, auth_ctx: AuthContext
) -> None:
    issuer = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    configure(
        auth_client,
        auth_ctx,
        oidc_issuer=issuer,
        oidc_client_id="web",
        oidc_provider_name="Example ID",
    )
    answer = auth_client.get("/api/auth/providers")
    assert answer.status_code == 503
    error = answer.json()["error"]
    assert error["code"] == "identity_provider_unavailable"
    assert f"{issuer}/.well-known/openid-configuration could not be reached" in error["message"]
    assert "sign in with a password" in error["message"]


@pytest.fixture
def wrong_discovery() -> Iterator[str]:
    """An issuer whose discovery document names another issuer."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = json.dumps(
                {
                    "issuer": "https://elsewhere.example.com",
                    "authorization_endpoint": "https://elsewhere.example.com/authorize",
                    "token_endpoint": "https://elsewhere.example.com/token",
                }
            ).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_a_discovery_document_for_another_issuer_is_refused(
    auth_client: TestClient, auth_ctx: AuthContext, wrong_discovery: str
) -> None:
    configure(auth_client, auth_ctx, oidc_issuer=wrong_discovery, oidc_client_id="web")
    answer = auth_client.get("/api/auth/providers")
    assert answer.status_code == 503
    message = answer.json()["error"]["message"]
    assert "names the issuer 'https://elsewhere.example.com'" in message
    assert "VIDEOFORGE_OIDC_ISSUER" in message


def test_a_half_configured_provider_is_reported_all_at_once(tmp_path: Path) -> None:
    with pytest.raises(SettingsError) as caught:
        load_settings(
            data_dir=tmp_path,
            cognito_domain="https://videoforge-abc.auth.eu-west-1.amazoncognito.com",
            oidc_client_id="web",
            oidc_scopes="email profile",
        )
    problems = caught.value.problems
    assert [p.split(":", 1)[0] for p in problems] == [
        "COGNITO_USER_POOL_ID",
        "COGNITO_CLIENT_ID",
        "VIDEOFORGE_OIDC_ISSUER",
        "VIDEOFORGE_OIDC_CLIENT_ID",
        "VIDEOFORGE_OIDC_SCOPES",
    ], problems
    assert "must include openid" in problems[-1]

    with pytest.raises(SettingsError) as both:
        load_settings(
            data_dir=tmp_path,
            cognito_user_pool_id="eu-west-1_AbC",
            cognito_client_id="app",
            oidc_issuer="https://login.example.com",
        )
    assert both.value.problems == [
        "VIDEOFORGE_OIDC_ISSUER: Cognito (COGNITO_USER_POOL_ID or VIDEOFORGE_COGNITO_DOMAIN) and "
        "an OIDC issuer are both set; VideoForge accepts one external provider, so unset one "
        "of them"
    ]

    with pytest.raises(SettingsError) as bad_url:
        load_settings(data_dir=tmp_path, oidc_issuer="ftp://login.example.com")
    assert bad_url.value.problems[0].startswith("VIDEOFORGE_OIDC_ISSUER: give the provider's")


def pkce_sign_in(provider: Provider, client_id: str) -> dict[str, Any]:
    """What the web app does, by hand: authorize with a S256 challenge, trade the code."""
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
    query = {
        "response_type": "code",
        "client_id": client_id,
        "redirect_uri": CALLBACK,
        "scope": "openid email profile",
        "state": "s-1",
        "code_challenge": challenge.rstrip(b"=").decode(),
        "code_challenge_method": "S256",
    }
    # The provider's login form, submitted as the predefined user.
    consent = httpx.post(f"{provider.url}/oauth2/authorize", params=query, data={"sub": DANA.sub})
    back = parse_qs(urlsplit(consent.headers["location"]).query)
    assert back["state"] == ["s-1"]
    form = {
        "grant_type": "authorization_code",
        "code": back["code"][0],
        "redirect_uri": CALLBACK,
        "client_id": client_id,
        "code_verifier": verifier,
    }
    tokens = httpx.post(f"{provider.url}/oauth2/token", data=form)
    assert tokens.status_code == 200, tokens.text
    answer: dict[str, Any] = tokens.json()
    return answer


def test_the_providers_access_token_works_with_the_api(
    auth_client: TestClient, auth_ctx: AuthContext, provider: Provider
) -> None:
    configure(
        auth_client, auth_ctx, oidc_issuer=provider.url, oidc_client_id="web", oidc_audience="web"
    )
    tokens = pkce_sign_in(provider, "web")
    me = auth_client.get("/api/auth/me", headers=bearer(tokens["access_token"]))
    assert me.status_code == 200, me.text
    assert (me.json()["username"], me.json()["email"], me.json()["role"]) == (
        "dana",
        "dana@example.com",
        "admin",  # the provider's admin group
    )
