"""What some object stores can do beyond ObjectStore, as protocols to check with isinstance.

S3Store has all three; LocalStore none (its files are served by this process, and uploads come
through it).
"""

from __future__ import annotations

import builtins
from collections.abc import Sequence
from typing import Protocol, runtime_checkable

from videoforge.storage.base import ObjectStore, StoredObject, UploadedPart


@runtime_checkable
class PresignedReads(Protocol):
    """Hands out URLs that read an object straight from the store."""

    def presign_get(
        self, key: str, expires: int, filename: str | None = None, content_type: str | None = None
    ) -> str: ...


@runtime_checkable
class PresignedUploads(ObjectStore, Protocol):
    """Hands out URLs that write an object (whole, or in multipart parts) straight to it."""

    def presign_put(self, key: str, expires: int, content_type: str) -> str: ...

    def start_multipart(self, key: str, content_type: str) -> str: ...

    def presign_part(self, key: str, upload_id: str, part_number: int, expires: int) -> str: ...

    def list_parts(self, key: str, upload_id: str) -> builtins.list[UploadedPart]: ...

    def complete_multipart(
        self, key: str, upload_id: str, parts: Sequence[UploadedPart] | None = None
    ) -> StoredObject: ...

    def abort_multipart(self, key: str, upload_id: str) -> None: ...


@runtime_checkable
class KeyPrefix(Protocol):
    """Keeps every key under a prefix of a shared namespace (a folder of a bucket), which URLs
    that bypass the store's API (a CDN's) must add."""

    prefix: str
