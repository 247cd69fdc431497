"""Reading caption files: SubRip becomes WebVTT, bad syntax is refused with its line number."""

from __future__ import annotations

import pytest

from videoforge.captions.schemas import language_tag
from videoforge.captions.webvtt import CaptionSyntaxError, read_captions
from videoforge.errors import BadRequest

SRT = (
    "1\r\n00:00:00,500 --> 00:00:02,250\r\nHello there\r\n\r\n"
    "2\r\n00:01:02,000 --> 01:00:03,5\r\nSecond <i>line</i>\r\nand more\r\n"
)


def test_srt_becomes_webvtt() -> None:
    captions = read_captions(SRT.encode(), "film.srt")
    assert captions.webvtt == (
        "WEBVTT\n\n"
        "1\n00:00:00.500 --> 00:00:02.250\nHello there\n\n"
        "2\n00:01:02.000 --> 01:00:03.500\nSecond <i>line</i>\nand more\n"
    )
    assert captions.cues == 2
    assert captions.end == 3603.5


def test_webvtt_is_kept_as_written() -> None:
    text = (
        "WEBVTT - a title\nKind: captions\n\nSTYLE\n::cue { color: yellow }\n\n"
        "NOTE a comment\n\nintro\n00:01.000 --> 00:02.000 align:start line:0\nHi\n\n"
        "00:00:03.000 --> 00:00:04.000\nBye\n"
    )
    captions = read_captions(("\ufeff" + text).encode())
    assert captions.webvtt == text
    assert (captions.cues, captions.end) == (2, 4.0)


@pytest.mark.parametrize(
    ("content", "filename", "line", "words"),
    [
        ("1\n00:00:01,000 -> 00:00:02,000\nHi\n", "a.srt", 2, "expected a timing"),
        ("1\n00:00:01,000 --> 00:00:02,000\nHi\n\nhello\n", "a.srt", 5, "cue number"),
        ("1\n00:00:05,000 --> 00:00:02,000\nHi\n", "a.srt", 2, "ends before"),
        ("1\n00:00:01,000 --> 00:00:02,000\nHi\n\n2\n", "a.srt", 0, "file ends"),
        ("WEBVTT\n\n00:01.000 --> 00:02.000\nHi\n\nbad timing\n00:03 --> 00:04\n", "", 7, "timing"),
        ("WEBVTTX\n\n00:01.000 --> 00:02.000\nHi\n", "a.vtt", 1, "WEBVTT"),
        ("WEBVTT\n00:01.000 --> 00:02.000\nHi\n", "", 2, "blank line"),
        ("WEBVTT\n\n00:01.000 --> 00:02.000\nHi\n00:03.000 --> 00:04.000\n", "", 5, "blank"),
        ("WEBVTT\n\nNOTE nothing here\n", "", None, "no cues"),
        ("", "a.srt", None, "no cues"),
    ],
)
def test_bad_syntax_names_the_line(
    content: str, filename: str, line: int | None, words: str
) -> None:
    if line == 0:  # the line after the last one
        line = content.count("\n") + 1
    with pytest.raises(CaptionSyntaxError) as caught:
        read_captions(content.encode(), filename)
    assert caught.value.line == line
    assert words in str(caught.value)
    if line:
        assert str(caught.value).startswith(f"Line {line}: ")


def test_not_utf8_names_the_line() -> None:
    with pytest.raises(CaptionSyntaxError) as caught:
        read_captions(b"1\n00:00:01,000 --> 00:00:02,000\ncaf\xe9\n", "a.srt")
    assert caught.value.line == 3
    assert "UTF-8" in str(caught.value)


@pytest.mark.parametrize(
    ("given", "tag"),
    [("en", "en"), ("EN", "en"), ("pt-br", "pt-BR"), ("zh_hant_tw", "zh-Hant-TW"),
     ("es-419", "es-419")],
)  # fmt: skip
def test_language_tags(given: str, tag: str) -> None:
    assert language_tag(given) == tag


@pytest.mark.parametrize("given", ["", "e", "english!", "en--US", "12", "x" * 40, "en-US-"])
def test_bad_language_tags(given: str) -> None:
    with pytest.raises(BadRequest, match="not a language tag"):
        language_tag(given)
