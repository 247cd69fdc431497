"""Reading tus headers: what clients send is understood, anything malformed is a clear 4xx."""

from __future__ import annotations

import base64
import hashlib

import pytest

from videoforge.errors import BadRequest, UnsupportedMedia
from videoforge.gallery.tus_protocol import (
    PreconditionFailed,
    byte_count,
    check_patch_type,
    check_version,
    encode_metadata,
    parse_checksum,
    parse_metadata,
)


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def test_metadata_as_tus_clients_send_it() -> None:
    # Uppy sends keys without a value (relativePath) and non-ASCII names.
    header = f"filename {b64('Été à Paris.mp4')},filetype {b64('video/mp4')}, relativePath"
    assert parse_metadata(header) == {
        "filename": "Été à Paris.mp4",
        "filetype": "video/mp4",
        "relativePath": "",
    }
    assert parse_metadata(encode_metadata({"a": "1", "b": ""})) == {"a": "1", "b": ""}
    assert parse_metadata(None) == {}


@pytest.mark.parametrize(
    "header",
    [
        "filename not*base64",
        "bad\x00key " + b64("x"),
        "name " + b64("a\x00b"),
        "x " + "A" * 20000,
    ],
)
def test_malformed_metadata_is_400(header: str) -> None:
    with pytest.raises(BadRequest):
        parse_metadata(header)


@pytest.mark.parametrize("raw", ["-5", "1e3", " ", "0x10", "9" * 20, "٣"])
def test_byte_counts_are_plain_whole_numbers(raw: str) -> None:
    with pytest.raises(BadRequest, match="whole number of bytes"):
        byte_count({"upload-length": raw}, "Upload-Length")
    assert byte_count({"upload-length": "0"}, "Upload-Length") == 0
    assert byte_count({"upload-length": "10737418240"}, "Upload-Length") == 10 * 1024**3


def test_version_and_content_type() -> None:
    check_version({"tus-resumable": "1.0.0"})
    for headers in ({}, {"tus-resumable": "0.2.2"}):
        with pytest.raises(PreconditionFailed):
            check_version(headers)
    check_patch_type({"content-type": "application/offset+octet-stream"})
    for headers in ({}, {"content-type": "text/plain"}):
        with pytest.raises(UnsupportedMedia):
            check_patch_type(headers)


def test_checksums() -> None:
    digest = hashlib.sha1(b"abc").digest()
    assert parse_checksum(f"sha1 {base64.b64encode(digest).decode()}") == digest
    assert parse_checksum(None) is None
    for header in ("md5 AAAA", "sha1 notbase64!", "sha1 " + b64("short")):
        with pytest.raises(BadRequest):
            parse_checksum(header)
