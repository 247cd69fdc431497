"""Signing in through an identity provider in the browser: VideoForge configured for a local
OIDC issuer (oidc-provider-mock serving HTTP on a free port, tests/oidc_provider.py), the
"Sign in with …" button, the provider's login form, back at /auth/callback with the code traded
by the page itself (PKCE, no secret), then the provider's access token used with the API:
admin by the provider's group, an upload in My videos, a refresh at the provider once the access
token has expired, and signing out there too. Refused consent and a forged callback explain
themselves. Only this test's pages may reach the provider's origin."""

from __future__ import annotations

import base64
import hashlib
import json
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import NewPage
from tests.browser.helpers import screenshot
from tests.oidc_provider import QUIET_AUTHLIB, Provider, User, running_provider
from videoforge.testing.server import ServerProcess

pytestmark = [pytest.mark.slow, QUIET_AUTHLIB]

CLIENT_ID = "videoforge-web"
PROVIDER_NAME = "Example ID"
SIGN_IN = f"Sign in with {PROVIDER_NAME}"
# Short-lived access tokens, so that the test sees them expire and refreshed at the provider.
ACCESS_TOKEN_TTL = timedelta(seconds=3)
# How long past `exp` VideoForge still accepts a token (security/external.py LEEWAY_SECONDS), + 1.
PAST_LEEWAY_SECONDS = 11
TITLE = "Signed in elsewhere"


@pytest.fixture(scope="module")
def provider() -> Iterator[Provider]:
    dana = User(
        sub="dana",
        claims={"email": "dana@example.com", "preferred_username": "dana", "groups": ["admin"]},
    )
    with running_provider([dana], access_token_ttl=ACCESS_TOKEN_TTL) as running:
        yield running


@pytest.fixture(scope="module")
def oidc_server(
    tmp_path_factory: pytest.TempPathFactory, provider: Provider
) -> Iterator[ServerProcess]:
    env = {
        "VIDEOFORGE_OIDC_ISSUER": provider.url,
        "VIDEOFORGE_OIDC_CLIENT_ID": CLIENT_ID,
        "VIDEOFORGE_OIDC_AUDIENCE": CLIENT_ID,
        "VIDEOFORGE_OIDC_PROVIDER_NAME": PROVIDER_NAME,
        "VIDEOFORGE_X264_PRESET": "ultrafast",
        "VIDEOFORGE_QUEUE_POLL_SECONDS": "0.2",
    }
    with ServerProcess(tmp_path_factory.mktemp("oidc") / "var", env) as running:
        yield running


def s256(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def stored(page: Page, key: str) -> str | None:
    value = page.evaluate("key => localStorage.getItem(key)", key)
    return value if isinstance(value, str) else None


def expires_at(token: str) -> int:
    payload = token.split(".")[1]
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    return int(claims["exp"])


def test_sign_in_upload_refresh_and_sign_out_through_the_provider(
    new_page: NewPage, oidc_server: ServerProcess, provider: Provider, clip: Path
) -> None:
    page = new_page(base_url=oidc_server.url, also_allow=[provider.url])
    page.goto("/me/videos")  # signed out: the sign-in page, then back here
    expect(page.get_by_role("button", name=SIGN_IN)).to_be_visible()
    expect(page.get_by_label("Username or email")).to_be_visible()  # passwords still work
    screenshot(page, "sign-in-with-provider")
    page.get_by_role("button", name=SIGN_IN).click()

    # The provider's own login page, asked for a code with a S256 challenge.
    expect(page.get_by_role("heading", name="Authorize Client")).to_be_visible()
    asked = provider.asked("/oauth2/authorize")[-1]
    assert (asked["client_id"], asked["response_type"], asked["code_challenge_method"]) == (
        CLIENT_ID,
        "code",
        "S256",
    )
    assert asked["redirect_uri"] == f"{oidc_server.url}/auth/callback"
    assert asked["scope"] == "openid email profile"
    page.get_by_role("button", name="dana", exact=True).click()

    # Back in VideoForge, signed in, as an admin by the provider's group.
    expect(page.get_by_role("heading", name="My videos")).to_be_visible()
    banner = page.get_by_role("banner")
    expect(banner.get_by_role("link", name="dana")).to_be_visible()
    expect(banner.get_by_role("link", name="Admin")).to_be_visible()
    expect(page.get_by_text("You have not uploaded any videos yet")).to_be_visible()
    trade = provider.asked("/oauth2/token")[0]
    assert trade["grant_type"] == "authorization_code"
    assert trade["client_id"] == CLIENT_ID and "client_secret" not in trade  # a public client
    assert s256(trade["code_verifier"]) == asked["code_challenge"]
    assert page.evaluate("sessionStorage.length") == 0  # the state and verifier are used up
    first_token = stored(page, "vf.accessToken")
    assert first_token is not None

    # The account page leaves the password and second factors to the provider.
    banner.get_by_role("link", name="dana").click()
    expect(page.get_by_text(f"You sign in with {PROVIDER_NAME}")).to_be_visible()
    expect(page.get_by_role("button", name="Change password")).to_have_count(0)

    # An upload with the provider's token, listed in My videos.
    banner.get_by_role("link", name="Upload").click()
    page.set_input_files("#file-input", clip)
    page.get_by_label("Title").fill(TITLE)
    page.get_by_role("button", name="Upload", exact=True).click()
    expect(page.get_by_text("Uploaded. It is being processed now")).to_be_visible()
    banner.get_by_role("link", name="My videos").click()
    expect(page.get_by_role("link", name=TITLE)).to_be_visible()

    # Once the first access token is refused as expired, the page refreshes at the provider.
    time.sleep(max(0.0, expires_at(first_token) + PAST_LEEWAY_SECONDS - time.time()))
    page.reload()
    expect(page.get_by_role("link", name=TITLE)).to_be_visible()
    expect(banner.get_by_role("link", name="dana")).to_be_visible()
    refreshes = [
        form for form in provider.asked("/oauth2/token") if form["grant_type"] == "refresh_token"
    ]
    assert refreshes and all(form["client_id"] == CLIENT_ID for form in refreshes)
    assert stored(page, "vf.accessToken") not in (None, first_token)

    # Signing out ends the provider's session too, and comes back signed out.
    banner.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="End Session")).to_be_visible()
    ended = provider.asked("/oauth2/end_session")[-1]
    assert ended["post_logout_redirect_uri"] == f"{oidc_server.url}/"
    assert ended["client_id"] == CLIENT_ID and ended["id_token_hint"]
    page.get_by_role("button", name="End session").click()
    expect(banner.get_by_role("link", name="Sign in")).to_be_visible()
    assert stored(page, "vf.accessToken") is None and stored(page, "vf.provider") is None


def test_refused_consent_and_a_forged_callback_explain_themselves(
    new_page: NewPage, oidc_server: ServerProcess, provider: Provider
) -> None:
    page = new_page(base_url=oidc_server.url, also_allow=[provider.url])
    page.goto("/signin")
    page.get_by_role("button", name=SIGN_IN).click()
    page.get_by_role("button", name="Deny").click()
    expect(page.get_by_role("heading", name="Sign-in failed")).to_be_visible()
    expect(page.get_by_role("alert")).to_have_text(
        f"You did not allow VideoForge to sign you in with {PROVIDER_NAME}."
    )
    screenshot(page, "sign-in-refused")

    # A callback this tab never started (a replayed or forged link) is not traded.
    trades = len(provider.asked("/oauth2/token"))
    page.goto("/auth/callback?code=stolen-code&state=forged")
    expect(page.get_by_role("alert")).to_contain_text("it was not started in this tab")
    assert len(provider.asked("/oauth2/token")) == trades
    expect(page.get_by_role("banner").get_by_role("link", name="Sign in")).to_be_visible()
    page.get_by_role("link", name="Back to sign in").click()
    expect(page.get_by_role("button", name=SIGN_IN)).to_be_visible()
