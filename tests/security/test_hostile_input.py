"""Regression tests for input that used to crash a route or be kept when it should not
(issue 10, findings 7, 8, 9, 12 and 14): each answers a 4xx with a readable message now."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from tests.conftest import bearer, register
from videoforge.app import create_app
from videoforge.config import SettingsError, load_settings
from videoforge.testing.server import ServerProcess

from .conftest import World

PASSWORD = "correct horse 42"
# Finding 8: the eight routes that answered 500 (and dropped the connection) on a lone surrogate.
SURROGATE_ROUTES = [
    ("/api/auth/login", {"username": "\ud800", "password": PASSWORD}),
    ("/api/auth/register", {"username": "\ud800", "email": "a@example.com", "password": PASSWORD}),
    ("/api/auth/forgot-password", {"email": "\ud800@example.com"}),
    ("/api/auth/resend-confirmation", {"email": "\ud800@example.com"}),
    ("/api/auth/confirm-email", {"email": "\ud800@example.com", "confirmationCode": "123456"}),
    (
        "/api/auth/reset-password",
        {"email": "\ud800@example.com", "code": "123456", "newPassword": PASSWORD},
    ),
    ("/api/auth/mfa/complete", {"session": "\ud800", "otpCode": "123456"}),
    ("/api/auth/change-password", {"currentPassword": "\udfff", "newPassword": PASSWORD}),
]


def readable(resp: httpx.Response, status: int) -> str:
    assert resp.status_code == status, resp.text
    body = resp.json()
    message: str = body["message"]
    assert message == body["error"]["message"] and len(message) > 10
    return message


def post_raw_json(client: TestClient, path: str, body: object, **kw: object) -> httpx.Response:
    # json.dumps writes a lone surrogate as the escape \ud800, as a hostile client would.
    content = json.dumps(body).encode()
    headers = {"content-type": "application/json", **kw.pop("headers", {})}  # type: ignore[dict-item]
    return client.post(path, content=content, headers=headers)


@pytest.mark.parametrize(("path", "body"), SURROGATE_ROUTES, ids=[p for p, _ in SURROGATE_ROUTES])
def test_a_lone_surrogate_is_refused_on_every_route(
    client: TestClient, path: str, body: dict[str, str]
) -> None:
    token = register(client, "sam")
    resp = post_raw_json(client, path, body, headers=bearer(token))
    assert "lone surrogate" in readable(resp, 422)


def test_a_lone_surrogate_as_raw_bytes_or_a_key_is_refused(client: TestClient) -> None:
    raw = b'{"username": "\xed\xa0\x80", "password": "x"}'  # a surrogate encoded "as UTF-8"
    resp = client.post("/api/auth/login", content=raw, headers={"content-type": "application/json"})
    assert "UTF-8" in readable(resp, 422)
    resp = post_raw_json(client, "/api/auth/login", {"\udc00": 1, "username": "a", "password": "b"})
    assert "lone surrogate" in readable(resp, 422)
    # A real pair (an emoji written as two escapes) is text, and passes.
    resp = post_raw_json(client, "/api/auth/login", {"username": "\U0001f3ac", "password": "b"})
    assert resp.status_code == 401


def test_nul_and_control_characters_are_refused_in_text_fields(client: TestClient) -> None:
    # Finding 9: NUL was kept in emails and titles.
    body = {"username": "nia", "email": "nia\x00@example.com", "password": PASSWORD}
    assert "NUL" in readable(post_raw_json(client, "/api/auth/register", body), 422)
    body = {"username": "nia", "email": "nia\x07@example.com", "password": PASSWORD}
    assert "control characters" in readable(post_raw_json(client, "/api/auth/register", body), 422)


def test_titles_and_descriptions_refuse_control_characters(
    client: TestClient, world: World
) -> None:
    owner = world.headers["owner"]
    url = f"/api/gallery/videos/{world.private_video}"
    for change, words in [
        ({"title": "a\x00b"}, "NUL"),
        ({"title": "two\nlines"}, "one line"),
        ({"description": "bell\x07"}, "control characters"),
    ]:
        resp = client.patch(
            url, content=json.dumps(change), headers={**owner, "content-type": "application/json"}
        )
        assert words in readable(resp, 422), change
    # Line breaks and tabs belong in a description.
    resp = client.patch(url, json={"description": "one\n\ttwo"}, headers=owner)
    assert resp.status_code == 200 and resp.json()["description"] == "one\n\ttwo"


def test_a_form_upload_title_with_nul_is_refused(client: TestClient, small_clip: Path) -> None:
    token = register(client, "fox")
    resp = client.post(
        "/api/gallery/videos",
        headers=bearer(token),
        data={"title": "holiday\x00"},
        files={"file": ("clip.mp4", small_clip.read_bytes(), "video/mp4")},
    )
    assert "title" in readable(resp, 422)


@pytest.mark.parametrize(
    "address",
    ["/api/gallery/videos/abc%00def", "/api/stream/%00", "/api/jobs/%0a"],
)
def test_a_control_character_in_the_path_is_nothing(client: TestClient, address: str) -> None:
    token = register(client, "pat")
    assert (
        readable(client.get(address, headers=bearer(token)), 404)
        == "There is nothing at this address."
    )


def test_a_control_character_in_the_query_is_refused(client: TestClient) -> None:
    resp = client.get("/api/gallery/videos?search=a%00b")
    assert "control character" in readable(resp, 422)


def test_a_huge_media_token_is_refused_not_a_crash(client: TestClient, world: World) -> None:
    # Finding 7: 4301 digits is past Python's int() limit; it answered 500.
    for token in ("9" * 4301 + ".x", "9" * 13 + ".x", "-5.x", "\u0661\u0662.x"):
        resp = client.get(f"/media/{world.public_video}/{token}/hls/master.m3u8")
        assert "not valid" in readable(resp, 403), token


def test_a_file_part_without_a_filename_is_a_clear_400(client: TestClient) -> None:
    # Finding 14: it was read as a text field, and so was "too long" (413).
    token = register(client, "kim")
    boundary = "vfboundary"
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"\r\n\r\n'.encode()
        + b"\x00" * (200 * 1024)
        + f"\r\n--{boundary}--\r\n".encode()
    )
    resp = client.post(
        "/api/gallery/videos",
        content=body,
        headers={**bearer(token), "content-type": f"multipart/form-data; boundary={boundary}"},
    )
    message = readable(resp, 400)
    assert "needs a filename" in message and resp.json()["error"]["code"] == "no_filename"


def test_a_json_body_past_the_limit_is_413(client: TestClient) -> None:
    big = json.dumps({"username": "x" * (1024 * 1024), "password": "y"})
    resp = client.post("/api/auth/login", content=big, headers={"content-type": "application/json"})
    assert "at most" in readable(resp, 413)


def wrong_logins(url: str, forwarded: list[str]) -> list[int]:
    body = {"username": "olga", "password": "not the password"}
    return [
        httpx.post(f"{url}/api/auth/login", json=body, headers={"x-forwarded-for": xff}).status_code
        for xff in forwarded
    ]


@pytest.mark.slow
def test_x_forwarded_for_is_believed_only_from_trusted_proxies(tmp_path: Path) -> None:
    # Finding 12: uvicorn believed X-Forwarded-For from any peer on 127.0.0.1, so a client on
    # the machine (or behind a local proxy that passes the header on) chose its own address
    # and escaped the throttle.
    env = {"VIDEOFORGE_AUTH_MAX_ATTEMPTS": "2", "VIDEOFORGE_REQUIRE_EMAIL_CONFIRMATION": "false"}
    forged = ["203.0.113.1", "203.0.113.2", "203.0.113.3", "203.0.113.4"]
    server = ServerProcess(tmp_path / "plain", env, "--roles", "auth").start()
    try:
        body = {"username": "olga", "email": "olga@example.com", "password": PASSWORD}
        httpx.post(f"{server.url}/api/auth/register", json=body).raise_for_status()
        assert wrong_logins(server.url, forged) == [401, 401, 429, 429]
    finally:
        server.stop()
    trusted = {**env, "VIDEOFORGE_TRUSTED_PROXIES": "127.0.0.1"}
    server = ServerProcess(tmp_path / "proxied", trusted, "--roles", "auth").start()
    try:
        httpx.post(f"{server.url}/api/auth/register", json=body).raise_for_status()
        # Behind a trusted proxy each client is itself: four addresses, one failure each.
        assert wrong_logins(server.url, forged) == [401, 401, 401, 401]
        # The address the proxy saw is the one in the logs (uvicorn's access line).
        assert "203.0.113.4" in server.log()
    finally:
        server.stop()


def test_trusted_proxies_must_be_addresses_or_networks(tmp_path: Path) -> None:
    with pytest.raises(SettingsError) as refused:
        load_settings(
            data_dir=tmp_path / "var", trusted_proxies="10.0.0.0/8, proxy.local, 300.1.1.1"
        )
    [problem] = refused.value.problems
    assert problem.startswith("VIDEOFORGE_TRUSTED_PROXIES: not an IP address or network: ")
    assert "proxy.local, 300.1.1.1" in problem
    settings = load_settings(data_dir=tmp_path / "var", trusted_proxies="10.0.0.0/8,127.0.0.1")
    assert settings.trusted_proxies == ["10.0.0.0/8", "127.0.0.1/32"]


def test_the_throttle_counts_the_address_a_trusted_proxy_gives(tmp_path: Path) -> None:
    settings = load_settings(
        data_dir=tmp_path / "var",
        roles=["auth"],
        require_email_confirmation=False,
        auth_max_attempts=2,
        trusted_proxies="10.0.0.0/8",
    )
    app = create_app(settings)
    body = {"username": "pam", "email": "pam@example.com", "password": PASSWORD}

    def wrong_logins(client: TestClient, forwarded: list[str]) -> list[int]:
        wrong = {"username": "pam", "password": "not the password"}
        return [
            client.post("/api/auth/login", json=wrong, headers={"x-forwarded-for": xff}).status_code
            for xff in forwarded
        ]

    with TestClient(app, client=("10.1.2.3", 5000)) as proxy:
        assert proxy.post("/api/auth/register", json=body).status_code == 201
        # One client behind the proxy uses up its allowance; another has its own.
        assert wrong_logins(proxy, ["198.51.100.1"] * 3 + ["198.51.100.2"]) == [401, 401, 429, 401]
    with TestClient(app, client=("192.0.2.1", 5000)) as stranger:  # not a proxy: header ignored
        assert wrong_logins(stranger, ["198.51.100.3", "198.51.100.4", "198.51.100.5"]) == [
            401,
            401,
            429,
        ]
