"""What every object store offers. Keys are '/'-separated, like S3 keys."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Protocol

_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._\-]*(/[A-Za-z0-9][A-Za-z0-9._\-]*)*$")


def safe_key(key: str) -> str:
    """Refuse keys that could climb out of the store ('..', absolute paths, odd characters)."""
    if not _KEY.match(key) or ".." in key.split("/"):
        raise ValueError(f"invalid storage key: {key!r}")
    return key


@dataclass(frozen=True)
class StoredObject:
    key: str
    size: int
    etag: str


class ObjectStore(Protocol):
    def put_stream(self, key: str, chunks: Iterable[bytes]) -> int:
        """Write chunks to key (replacing it) in constant memory; return bytes written."""
        ...

    def put_file(self, key: str, path: Path) -> None:
        """Copy a local file to key, replacing it."""
        ...

    def open(self, key: str) -> BinaryIO:
        """Open key for reading. Raises FileNotFoundError."""
        ...

    def stat(self, key: str) -> StoredObject:
        """Size and etag of key. Raises FileNotFoundError."""
        ...

    def local_path(self, key: str) -> Path | None:
        """A filesystem path to key when the store is local disk, else None."""
        ...

    def download(self, key: str, dest: Path) -> None:
        """Copy key to a local file."""
        ...

    def list(self, prefix: str) -> Iterator[StoredObject]: ...

    def delete_prefix(self, prefix: str) -> int:
        """Delete every key under prefix; return how many."""
        ...

    def usage_bytes(self, prefix: str = "") -> int: ...
