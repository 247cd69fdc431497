"""Object stores: a protocol with a local-disk and an S3 implementation."""

from videoforge.storage.base import (
    AppendBusy,
    AppendState,
    ObjectStore,
    StoredObject,
    UploadedPart,
    safe_key,
)
from videoforge.storage.local import LocalStore

__all__ = [
    "AppendBusy",
    "AppendState",
    "LocalStore",
    "ObjectStore",
    "StoredObject",
    "UploadedPart",
    "safe_key",
]
