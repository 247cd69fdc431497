"""What every object store offers. Keys are '/'-separated, like S3 keys."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, BinaryIO, Protocol

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


@dataclass(frozen=True)
class UploadedPart:
    number: int
    etag: str
    size: int = 0


class AppendBusy(Exception):
    """Another writer is appending to this object right now (answer "try again later")."""


@dataclass(frozen=True)
class AppendState:
    """How far an object being written piece by piece has got (resumable uploads).

    Only bytes described here count: an append that failed, was cut off by a crash or whose
    state was never recorded leaves bytes beyond `size` that the next append discards. The
    caller keeps the state (e.g. in the database) and hands it back for the next append.
    """

    key: str  # where the finished object goes
    scratch: str  # a key prefix the store keeps the bytes in progress under
    size: int = 0  # bytes appended so far
    upload_id: str | None = None  # S3: the multipart upload
    parts: tuple[UploadedPart, ...] = ()  # S3: whole parts uploaded so far
    tail: str | None = None  # S3: key of the bytes after the last whole part
    tail_size: int = 0

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> AppendState:
        parts = tuple(UploadedPart(**part) for part in data.get("parts", ()))
        return cls(**{**data, "parts": parts})


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

    # Objects written piece by piece, each piece durable when append returns (tus uploads).

    def start_append(self, key: str, scratch: str) -> AppendState:
        """Begin an object at `key`, its pieces kept under the key prefix `scratch` meanwhile."""
        ...

    def append(self, state: AppendState, chunks: Iterable[bytes]) -> AppendState:
        """Add chunks after the `state.size` bytes (dropping anything beyond them); the new
        state, once returned, describes bytes that are durable. Raises AppendBusy when
        another writer is appending to the same object at this moment."""
        ...

    def drop_superseded(self, old: AppendState, new: AppendState) -> None:
        """Free what `old` held that `new` no longer needs, once `new` is recorded."""
        ...

    def complete_append(self, state: AppendState) -> None:
        """Make the `state.size` bytes the object at `state.key` and free the scratch space.
        Repeating it after it succeeded is harmless."""
        ...

    def abort_append(self, state: AppendState) -> None:
        """Throw away an unfinished object and its scratch space."""
        ...
