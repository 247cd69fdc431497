"""Signed media links: one token per answer, with its expiry."""

from __future__ import annotations

from videoforge.streaming.signing import MediaLinks, media_url, sign_media, verify_media

SECRET = b"0123456789abcdef0123456789abcdef"
NOW = 1_700_000_000.0


def test_links_share_one_token_and_report_its_expiry() -> None:
    links = MediaLinks.sign(SECRET, "vid", 3600, now=NOW)

    assert links.token == sign_media(SECRET, "vid", 3600, now=NOW)
    assert links.url("hls/master.m3u8") == f"/media/vid/{links.token}/hls/master.m3u8"
    assert 3600 <= links.expires_in(now=NOW) < 3600 + 600
    assert links.expires_in(now=NOW + 10**6) == 0
    assert verify_media(SECRET, "vid", links.token, now=NOW)


def test_media_url_is_unchanged() -> None:
    url = media_url(SECRET, "vid", "thumbnail.jpg", 3600)
    token = url.split("/")[3]

    assert url == f"/media/vid/{token}/thumbnail.jpg"
    assert verify_media(SECRET, "vid", token)
    assert not verify_media(SECRET, "other", token)


def test_non_ascii_tokens_are_refused_not_crashed_on() -> None:
    token = sign_media(SECRET, "vid", 3600, now=NOW)
    expires, _, mac = token.partition(".")

    assert not verify_media(SECRET, "vid", f"{expires}.{mac[:-1]}é", now=NOW)
    assert not verify_media(SECRET, "vid", f"²{expires}.{mac}", now=NOW)
    assert not verify_media(SECRET, "vid", f"{'٣' * 10}.{mac}", now=NOW)
