"""Content types of the files VideoForge stores and serves, by file name."""

from __future__ import annotations

import os

CONTENT_TYPES = {
    ".m3u8": "application/vnd.apple.mpegurl",
    ".m4s": "video/iso.segment",
    ".mp4": "video/mp4",
    ".m4a": "audio/mp4",
    ".ts": "video/mp2t",
    ".aac": "audio/aac",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".webp": "image/webp",
    ".png": "image/png",
    ".gif": "image/gif",
    ".vtt": "text/vtt",
    ".json": "application/json",
}


def content_type(key: str) -> str:
    _, extension = os.path.splitext(key)
    return CONTENT_TYPES.get(extension.lower(), "application/octet-stream")
