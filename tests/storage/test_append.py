"""Objects written piece by piece (what tus uploads stand on), the same cases on every store:
only recorded states count, whatever an interrupted or unrecorded append left behind."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.storage.conftest import SMALL_PART
from tests.storage.test_contract import pseudo_random_chunks, read_all
from videoforge.storage import AppendBusy, AppendState, LocalStore, ObjectStore

MiB = 1024 * 1024
KEY = "videos/v1/source/clip.mp4"
SCRATCH = "tus/u1"


def data(total: int, seed: int) -> bytes:
    return b"".join(pseudo_random_chunks(total, MiB + 37, seed))


def in_chunks(payload: bytes, size: int = 256 * 1024 + 3) -> Iterator[bytes]:
    for start in range(0, len(payload), size):
        yield payload[start : start + size]


def append(store: ObjectStore, state: AppendState, payload: bytes) -> AppendState:
    new = store.append(state, in_chunks(payload))
    store.drop_superseded(state, new)
    return new


def test_pieces_of_any_size_make_the_object(store: ObjectStore) -> None:
    # Below a part, across a part boundary, several parts at once, then a small last piece.
    pieces = [data(100_000, 1), data(SMALL_PART, 2), data(2 * SMALL_PART + 5, 3), data(17, 4)]
    state = store.start_append(KEY, SCRATCH)
    for piece in pieces:
        state = append(store, state, piece)
    assert state.size == sum(map(len, pieces))
    assert AppendState.from_json(state.to_json()) == state

    store.complete_append(state)
    assert read_all(store, KEY) == b"".join(pieces)
    assert list(store.list(SCRATCH)) == []
    store.complete_append(state)  # a repeated completion changes nothing
    assert read_all(store, KEY) == b"".join(pieces)


def test_an_interrupted_append_leaves_the_recorded_state_whole(store: ObjectStore) -> None:
    first, second = data(SMALL_PART + 1000, 5), data(SMALL_PART + 2000, 6)
    state = append(store, store.start_append(KEY, SCRATCH), first)

    def cut_off() -> Iterator[bytes]:
        yield from in_chunks(data(2 * SMALL_PART + 10, 7))  # S3: two parts already up
        raise ConnectionResetError("the client went away")

    with pytest.raises(ConnectionResetError):
        store.append(state, cut_off())
    state = append(store, state, second)
    store.complete_append(state)
    assert read_all(store, KEY) == first + second


def test_an_append_never_recorded_is_discarded(store: ObjectStore) -> None:
    """A crash after the bytes were written but before the new state was recorded: the next
    append starts again from the recorded state."""
    first, lost, second = data(300_000, 8), data(SMALL_PART + 3, 9), data(400_000, 10)
    recorded = append(store, store.start_append(KEY, SCRATCH), first)
    store.append(recorded, in_chunks(lost))  # its result is never recorded
    state = append(store, recorded, second)
    store.complete_append(state)
    assert read_all(store, KEY) == first + second


def test_aborting_removes_everything(store: ObjectStore) -> None:
    state = append(store, store.start_append(KEY, SCRATCH), data(SMALL_PART + 10, 11))
    store.abort_append(state)
    assert list(store.list("videos")) == []
    assert list(store.list(SCRATCH)) == []
    with pytest.raises(FileNotFoundError):
        store.append(state, [b"more"])
    store.abort_append(state)  # twice is harmless


def test_a_second_writer_is_refused_at_once(tmp_path: Path) -> None:
    """On disk, one append at a time per object: the second gets AppendBusy, never a wait."""
    store = LocalStore(tmp_path / "store")
    state = store.start_append(KEY, SCRATCH)
    refused: list[Exception] = []

    def writing() -> Iterator[bytes]:
        yield b"first writer "
        try:
            store.append(state, [b"second writer"])
        except AppendBusy as exc:
            refused.append(exc)
        yield b"goes on"

    state = store.append(state, writing())
    assert len(refused) == 1
    store.complete_append(state)
    assert read_all(store, KEY) == b"first writer goes on"
