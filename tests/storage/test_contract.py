"""One contract, every object store: the same cases run on the local directory and on S3."""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.storage.conftest import SMALL_PART
from videoforge.storage import ObjectStore

MiB = 1024 * 1024


def pseudo_random_chunks(total: int, chunk: int, seed: int = 7) -> Iterator[bytes]:
    """`total` reproducible bytes in chunks of an awkward size (not a divisor of a part)."""
    rng = random.Random(seed)
    sent = 0
    while sent < total:
        size = min(chunk, total - sent)
        yield rng.randbytes(size)
        sent += size


def digest(chunks: Iterator[bytes]) -> str:
    sha = hashlib.sha256()
    for chunk in chunks:
        sha.update(chunk)
    return sha.hexdigest()


def read_all(store: ObjectStore, key: str) -> bytes:
    with store.open(key) as stream:
        return stream.read()


def put(store: ObjectStore, key: str, data: bytes) -> None:
    store.put_stream(key, [data])


def test_stream_round_trip_across_several_parts(store: ObjectStore) -> None:
    total = 2 * SMALL_PART + 3 * MiB + 17
    written = store.put_stream("videos/v1/source/big.bin", pseudo_random_chunks(total, MiB + 37))

    assert written == total
    assert store.stat("videos/v1/source/big.bin").size == total
    with store.open("videos/v1/source/big.bin") as stream:
        read_back = digest(iter(lambda: stream.read(MiB), b""))
    assert read_back == digest(pseudo_random_chunks(total, MiB + 37))


def test_empty_stream_makes_an_empty_object(store: ObjectStore) -> None:
    assert store.put_stream("videos/v1/empty", iter([])) == 0
    assert read_all(store, "videos/v1/empty") == b""


def test_failed_stream_leaves_the_old_object(store: ObjectStore) -> None:
    put(store, "videos/v1/thumbnail.jpg", b"old picture")

    def broken() -> Iterator[bytes]:
        yield from pseudo_random_chunks(2 * SMALL_PART + MiB, MiB)  # S3: one part already up
        raise ConnectionResetError("client went away")

    with pytest.raises(ConnectionResetError):
        store.put_stream("videos/v1/thumbnail.jpg", broken())
    assert read_all(store, "videos/v1/thumbnail.jpg") == b"old picture"


def test_put_replaces_and_stat_follows(store: ObjectStore) -> None:
    put(store, "videos/v1/poster.jpg", b"first")
    first = store.stat("videos/v1/poster.jpg")
    put(store, "videos/v1/poster.jpg", b"second version")
    second = store.stat("videos/v1/poster.jpg")

    assert read_all(store, "videos/v1/poster.jpg") == b"second version"
    assert (first.key, first.size) == ("videos/v1/poster.jpg", 5)
    assert second.size == len(b"second version")
    assert first.etag and second.etag and first.etag != second.etag


def test_put_file_and_download(store: ObjectStore, tmp_path: Path) -> None:
    source = tmp_path / "clip.mp4"
    source.write_bytes(b"\x00\x01 not really a video" * 1000)
    store.put_file("videos/v2/source/clip.mp4", source)

    dest = tmp_path / "copy.mp4"
    store.download("videos/v2/source/clip.mp4", dest)
    assert dest.read_bytes() == source.read_bytes()
    local = store.local_path("videos/v2/source/clip.mp4")
    assert local is None or local.read_bytes() == source.read_bytes()


def fill(store: ObjectStore) -> None:
    put(store, "videos/1/hls/master.m3u8", b"#EXTM3U\n")
    put(store, "videos/1/hls/720p/seg_00001.m4s", b"x" * 100)
    put(store, "videos/10/thumbnail.jpg", b"y" * 10)
    put(store, "other/readme", b"z")


def test_list_is_scoped_to_a_folder(store: ObjectStore) -> None:
    fill(store)

    under_1 = {obj.key: obj.size for obj in store.list("videos/1")}
    assert under_1 == {"videos/1/hls/master.m3u8": 8, "videos/1/hls/720p/seg_00001.m4s": 100}
    assert {obj.key for obj in store.list("videos/1/")} == set(under_1)
    assert len(list(store.list(""))) == 4
    assert list(store.list("nothing/here")) == []


def test_delete_prefix_removes_only_that_folder(store: ObjectStore) -> None:
    fill(store)

    assert store.delete_prefix("videos/1") == 2
    assert sorted(obj.key for obj in store.list("")) == ["other/readme", "videos/10/thumbnail.jpg"]
    assert store.delete_prefix("videos/1/") == 0
    with pytest.raises(FileNotFoundError):
        store.stat("videos/1/hls/master.m3u8")


def test_usage_counts_bytes(store: ObjectStore) -> None:
    fill(store)

    assert store.usage_bytes() == 8 + 100 + 10 + 1
    assert store.usage_bytes("videos/1") == 108
    assert store.usage_bytes("videos/2") == 0


def test_missing_key_is_file_not_found(store: ObjectStore, tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        store.open("videos/none/poster.jpg")
    with pytest.raises(FileNotFoundError):
        store.stat("videos/none/poster.jpg")
    with pytest.raises(FileNotFoundError):
        store.download("videos/none/poster.jpg", tmp_path / "poster.jpg")


@pytest.mark.parametrize("key", ["../escape", "videos/../../etc/passwd", "/etc/passwd", "a//b", ""])
def test_unsafe_keys_are_refused(store: ObjectStore, key: str) -> None:
    with pytest.raises(ValueError, match="invalid storage key"):
        store.put_stream(key, [b"x"])
    with pytest.raises(ValueError, match="invalid storage key"):
        store.open(key)


def test_delete_prefix_refuses_the_whole_store(store: ObjectStore) -> None:
    put(store, "videos/1/poster.jpg", b"p")
    with pytest.raises(ValueError):
        store.delete_prefix("")
    assert store.usage_bytes() == 1
