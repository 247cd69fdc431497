"""The tus 1.0 headers: reading what clients send, with a clear 4xx for anything malformed.

Pure functions of the request's headers; what they mean for an upload is in tus_uploads.py.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from email.utils import format_datetime

from videoforge.errors import BadRequest, UnsupportedMedia, VideoForgeError

TUS_VERSION = "1.0.0"
TUS_EXTENSIONS = "creation,expiration,termination,checksum"
CHECKSUM_ALGORITHMS = "sha1"
PATCH_CONTENT_TYPE = "application/offset+octet-stream"
_DIGITS = re.compile(r"^[0-9]{1,19}$")  # a byte count; 19 digits reach past 2**63 already
_METADATA_KEY = re.compile(r"^[\x21-\x2b\x2d-\x7e]{1,100}$")  # ASCII, no space or comma
MAX_METADATA_CHARS = 16 * 1024


class PreconditionFailed(VideoForgeError):
    """412: the client speaks another tus version (or none)."""

    status_code = 412
    code = "tus_version"


class Locked(VideoForgeError):
    """423: another request is writing to this upload right now; try again shortly."""

    status_code = 423
    code = "upload_busy"


class Gone(VideoForgeError):
    status_code = 410
    code = "upload_expired"


class ChecksumMismatch(VideoForgeError):
    """460 (tus checksum extension): the bytes received are not the bytes the client sent."""

    status_code = 460
    code = "checksum_mismatch"


def check_version(headers: Mapping[str, str]) -> None:
    if headers.get("tus-resumable") != TUS_VERSION:
        raise PreconditionFailed(
            f"Send the header Tus-Resumable: {TUS_VERSION} (the only tus version served here).",
            tus_version=TUS_VERSION,
        )


def byte_count(headers: Mapping[str, str], name: str) -> int:
    """A header holding a number of bytes: a whole number, 0 or more."""
    raw = headers.get(name.lower())
    if raw is None:
        raise BadRequest(f"Send the {name} header.")
    if not _DIGITS.match(raw.strip()):
        raise BadRequest(f"{name} must be a whole number of bytes, 0 or more (got {raw[:40]!r}).")
    return int(raw)


def check_patch_type(headers: Mapping[str, str]) -> None:
    if headers.get("content-type", "").split(";")[0].strip().lower() != PATCH_CONTENT_TYPE:
        raise UnsupportedMedia(f"Send PATCH bodies with Content-Type: {PATCH_CONTENT_TYPE}.")


def parse_metadata(header: str | None) -> dict[str, str]:
    """Upload-Metadata: comma-separated `key base64(value)` pairs (a key alone means "")."""
    if not header:
        return {}
    if len(header) > MAX_METADATA_CHARS:
        raise BadRequest("Upload-Metadata is too long.")
    found: dict[str, str] = {}
    for pair in header.split(","):
        key, _, encoded = pair.strip().partition(" ")
        if not _METADATA_KEY.match(key):
            raise BadRequest(f"Upload-Metadata has a malformed key: {key[:40]!r}.")
        try:
            value = base64.b64decode(encoded.strip(), validate=True).decode()
        except (binascii.Error, UnicodeDecodeError):
            raise BadRequest(f"Upload-Metadata's {key!r} is not base64 of UTF-8 text.") from None
        if "\x00" in value:
            raise BadRequest(f"Upload-Metadata's {key!r} holds a NUL character.")
        found[key] = value
    return found


def encode_metadata(metadata: Mapping[str, str]) -> str:
    return ",".join(
        f"{key} {base64.b64encode(value.encode()).decode()}" for key, value in metadata.items()
    )


def parse_checksum(header: str | None) -> bytes | None:
    """Upload-Checksum: `sha1 base64(digest)`; None when the client sent none."""
    if header is None:
        return None
    algorithm, _, encoded = header.strip().partition(" ")
    if algorithm.lower() != "sha1":
        raise BadRequest(f"Upload-Checksum algorithm must be one of: {CHECKSUM_ALGORITHMS}.")
    try:
        digest = base64.b64decode(encoded.strip(), validate=True)
    except binascii.Error:
        digest = b""
    if len(digest) != 20:
        raise BadRequest("Upload-Checksum must be 'sha1 ' and the base64 of a 20-byte digest.")
    return digest


def http_date(moment: datetime) -> str:
    return format_datetime(moment.astimezone(UTC), usegmt=True)
