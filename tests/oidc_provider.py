"""A real OpenID provider for tests: oidc-provider-mock serving HTTP on a free port.

oidc-provider-mock 0.3.4 signs users in with a form (any subject, or predefined users with
their claims) and issues codes, ID tokens and refresh tokens. What a browser sign-in by a
public client needs and the mock lacks is added here, with authlib's own parts:

- PKCE (authlib's CodeChallenge, required for public clients) and public clients (token
  endpoint authentication "none"): the mock only knows confidential clients and ignores PKCE;
- access tokens that are JWTs signed with the provider's key (as Cognito and most providers
  issue), carrying the user's claims (groups): the mock's are opaque strings;
- CORS on every answer, so a web app on another origin may call the token endpoint;
- its pages without the stylesheet they load from a CDN, so tests stay offline.

Tests that use it add QUIET_AUTHLIB to their marks: authlib warns about its own deprecations.
"""

from __future__ import annotations

import os
import secrets
import threading
import time
import uuid
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, ClassVar

import authlib.deprecate  # noqa: F401  (first: importing it turns its warnings on for good)
import flask
import pytest
import werkzeug.serving

with warnings.catch_warnings():  # authlib's notes about its own future, not about these tests
    warnings.simplefilter("ignore")
    from authlib import jose
    from authlib.oauth2.rfc7636 import CodeChallenge
    from oidc_provider_mock import User, _app
    from oidc_provider_mock._storage import AuthorizationCode

from videoforge.testing.server import free_port

__all__ = ["QUIET_AUTHLIB", "Provider", "User", "running_provider"]

QUIET_AUTHLIB = pytest.mark.filterwarnings("ignore::DeprecationWarning:authlib")
CDN_STYLESHEET = (
    b'<link\n    rel="stylesheet"\n    href="https://cdn.jsdelivr.net/npm/@picocss/pico@2/css/'
    b'pico.min.css"\n  />'
)


@dataclass(kw_only=True, frozen=True)
class PkceCode(AuthorizationCode):
    code_challenge: str | None = None
    code_challenge_method: str | None = None


class PublicPkceCodeGrant(_app.AuthorizationCodeGrant):
    TOKEN_ENDPOINT_AUTH_METHODS: ClassVar = ["none", "client_secret_basic", "client_secret_post"]

    def __init__(self, request: Any, server: Any) -> None:
        super().__init__(request, server)
        CodeChallenge(required=True)(self)

    def save_authorization_code(self, code: str, request: object) -> None:
        data = self.request.payload.data
        _app.storage.store_authorization_code(
            PkceCode(
                code=code,
                user_id=self.request.user.sub,
                client_id=self.request.client.get_client_id(),
                redirect_uri=data.get("redirect_uri", ""),
                scope=data.get("scope", ""),
                nonce=data.get("nonce"),
                code_challenge=data.get("code_challenge"),
                code_challenge_method=data.get("code_challenge_method"),
            )
        )


class PublicRefreshGrant(_app.RefreshTokenGrant):
    TOKEN_ENDPOINT_AUTH_METHODS: ClassVar = ["none", "client_secret_basic", "client_secret_post"]


@dataclass
class Provider:
    url: str  # the issuer: http://localhost:<port>
    requests: list[tuple[str, str, dict[str, str]]] = field(default_factory=list)

    def asked(self, path: str) -> list[dict[str, str]]:
        """The parameters (query and form) of the requests to this path, oldest first."""
        return [form for _, asked, form in self.requests if asked == path]


def _jwt_access_tokens(ttl: timedelta) -> Any:
    def generate(client: Any, grant_type: str, user: User, scope: str) -> str:
        key = _app.storage.jwk
        now = int(time.time())
        claims = {
            **user.claims,
            "iss": flask.request.host_url.rstrip("/"),
            "sub": user.sub,
            "aud": client.get_client_id(),
            "client_id": client.get_client_id(),
            "scope": scope,
            "iat": now,
            "exp": now + int(ttl.total_seconds()),
            "jti": str(uuid.uuid4()),
        }
        header = {"alg": "RS256", "kid": key.as_dict()["kid"]}
        return jose.jwt.encode(header, claims, key).decode()

    return generate


def _app_for(provider: Provider, users: Sequence[User], ttl: timedelta) -> flask.Flask:
    app = flask.Flask(_app.__name__)
    app.config["OAUTH2_ACCESS_TOKEN_GENERATOR"] = _jwt_access_tokens(ttl)
    # The mock registers its grant classes by these names while init_app runs.
    originals = (_app.AuthorizationCodeGrant, _app.RefreshTokenGrant)
    _app.AuthorizationCodeGrant, _app.RefreshTokenGrant = PublicPkceCodeGrant, PublicRefreshGrant
    try:
        _app.init_app(app, user_claims=users, access_token_max_age=ttl)
    finally:
        _app.AuthorizationCodeGrant, _app.RefreshTokenGrant = originals
    app.secret_key = secrets.token_bytes(16)

    @app.before_request
    def record() -> None:
        request = flask.request
        asked = {**request.args.to_dict(), **request.form.to_dict()}
        provider.requests.append((request.method, request.path, asked))

    @app.after_request
    def cors_and_offline(response: flask.Response) -> flask.Response:
        response.headers["Access-Control-Allow-Origin"] = "*"
        response.headers["Access-Control-Allow-Headers"] = "Content-Type, Authorization"
        if response.mimetype == "text/html":
            response.set_data(response.get_data().replace(CDN_STYLESHEET, b""))
        return response

    return app


@contextmanager
def running_provider(
    users: Sequence[User] = (),
    *,
    access_token_ttl: timedelta = timedelta(minutes=5),
    port: int | None = None,
) -> Iterator[Provider]:
    """The provider at http://localhost:<port, default a free one> until the block ends."""
    port = port or free_port()
    provider = Provider(url=f"http://localhost:{port}")
    previous = os.environ.get("AUTHLIB_INSECURE_TRANSPORT")
    os.environ["AUTHLIB_INSECURE_TRANSPORT"] = "1"  # plain http on this machine
    server = werkzeug.serving.make_server(
        "127.0.0.1", port, _app_for(provider, users, access_token_ttl), threaded=True
    )
    thread = threading.Thread(target=server.serve_forever, args=(0.1,), daemon=True)
    thread.start()
    try:
        yield provider
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
        if previous is None:
            os.environ.pop("AUTHLIB_INSECURE_TRANSPORT", None)
        else:
            os.environ["AUTHLIB_INSECURE_TRANSPORT"] = previous


if __name__ == "__main__":
    # Try sign-in by hand: `uv run python -m tests.oidc_provider`, then start VideoForge with the
    # two settings printed. "alice" is in the admin group; any other name signs in as a user.
    alice = User(
        sub="alice",
        claims={"email": "alice@example.com", "preferred_username": "alice", "groups": ["admin"]},
    )
    with running_provider([alice], access_token_ttl=timedelta(minutes=15), port=9400) as running:
        print(
            f"VIDEOFORGE_OIDC_ISSUER={running.url} VIDEOFORGE_OIDC_CLIENT_ID=videoforge-web",
            flush=True,
        )
        threading.Event().wait()
