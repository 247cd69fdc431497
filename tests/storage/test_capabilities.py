"""Which stores offer which capability beyond ObjectStore."""

from __future__ import annotations

from pathlib import Path

from videoforge.storage import LocalStore
from videoforge.storage.capabilities import KeyPrefix, PresignedReads, PresignedUploads
from videoforge.storage.s3 import S3Store


def test_s3_presigns_reads_and_uploads_and_keeps_its_prefix(s3_store: S3Store) -> None:
    assert isinstance(s3_store, PresignedReads)
    assert isinstance(s3_store, PresignedUploads)
    assert isinstance(s3_store, KeyPrefix)


def test_local_disk_offers_none_of_them(tmp_path: Path) -> None:
    store = LocalStore(tmp_path)
    assert not isinstance(store, PresignedReads)
    assert not isinstance(store, PresignedUploads)
    assert not isinstance(store, KeyPrefix)
