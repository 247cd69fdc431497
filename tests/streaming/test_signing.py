"""Signed media links: one token per answer, with its expiry and audience."""

from __future__ import annotations

import pytest

from videoforge.streaming.signing import (
    Audience,
    MediaLinks,
    MediaToken,
    media_url,
    read_media_token,
    sign_media,
)

SECRET = b"0123456789abcdef0123456789abcdef"
NOW = 1_700_000_000.0


def test_links_share_one_token_and_report_its_expiry() -> None:
    links = MediaLinks.sign(SECRET, "vid", 3600, now=NOW)

    assert links.token == sign_media(SECRET, "vid", 3600, now=NOW)
    assert links.url("hls/master.m3u8") == f"/media/vid/{links.token}/hls/master.m3u8"
    assert 3600 <= links.expires_in(now=NOW) < 3600 + 600
    assert links.expires_in(now=NOW + 10**6) == 0
    token = read_media_token(SECRET, "vid", links.token, now=NOW)
    assert token == MediaToken(int(links.token.split(".")[0]), Audience.ANYONE)


def test_media_url_is_unchanged() -> None:
    url = media_url(SECRET, "vid", "thumbnail.jpg", 3600)
    token = url.split("/")[3]

    assert url == f"/media/vid/{token}/thumbnail.jpg"
    assert read_media_token(SECRET, "vid", token) is not None
    assert read_media_token(SECRET, "other", token) is None


def test_the_audience_is_signed() -> None:
    token = sign_media(SECRET, "vid", 3600, now=NOW, audience=Audience.PRIVATE)
    expires, audience, mac = token.split(".")

    opened = read_media_token(SECRET, "vid", token, now=NOW)
    assert opened is not None and opened.audience is Audience.PRIVATE
    assert audience == "p"
    # Claiming the other audience with the same MAC is refused.
    assert read_media_token(SECRET, "vid", f"{expires}.a.{mac}", now=NOW) is None


@pytest.mark.parametrize(("ttl", "longest"), [(6 * 3600, 6 * 3600 + 600), (60, 66), (5, 6)])
def test_expiries_round_up_by_a_tenth_of_the_lifetime_at_most(ttl: int, longest: int) -> None:
    for offset in range(0, 700, 7):
        token = sign_media(SECRET, "vid", ttl, now=NOW + offset)
        lifetime = int(token.split(".")[0]) - (NOW + offset)
        assert ttl <= lifetime <= longest


def test_non_ascii_and_oversized_tokens_are_refused_not_crashed_on() -> None:
    token = sign_media(SECRET, "vid", 3600, now=NOW)
    expires, audience, mac = token.split(".")

    for bad in (
        f"{expires}.{audience}.{mac[:-1]}é",
        f"²{expires}.{audience}.{mac}",
        f"{'٣' * 10}.{audience}.{mac}",
        f"{'9' * 4301}.{audience}.{mac}",
        f"{expires}.x.{mac}",
        f"{expires}.{mac}",  # the two-part tokens of earlier versions
    ):
        assert read_media_token(SECRET, "vid", bad, now=NOW) is None, bad
