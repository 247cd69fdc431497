"""Object stores: a protocol with a local-disk and (later) an S3 implementation."""

from videoforge.storage.base import ObjectStore, StoredObject, safe_key
from videoforge.storage.local import LocalStore

__all__ = ["LocalStore", "ObjectStore", "StoredObject", "safe_key"]
