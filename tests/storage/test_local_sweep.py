"""Whole-object writes on the local store that a killed process left behind are swept by the next
process that opens the store; writes still in progress are not (chaos benchmark finding)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

from videoforge.storage.local import LocalStore

# A child that starts a whole-object write and is SIGKILLed before it ends: no cleanup runs.
_WRITER = """
import sys, time
from pathlib import Path
from videoforge.storage.local import LocalStore

def chunks():
    yield b"half a video"
    print("writing", flush=True)
    time.sleep(60)
    yield b"never"

LocalStore(Path(sys.argv[1])).put_stream("videos/v1/source/clip.mp4", chunks())
"""


def leftovers(root: Path) -> list[Path]:
    return sorted(root.rglob(".tmp-*"))


def test_a_write_killed_midway_is_swept_by_the_next_store(tmp_path: Path) -> None:
    root = tmp_path / "store"
    child = subprocess.Popen(
        [sys.executable, "-c", _WRITER, str(root)], stdout=subprocess.PIPE, text=True
    )
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "writing"
    [half_written] = leftovers(root)
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    assert leftovers(root) == [half_written]  # nothing cleaned up after a SIGKILL

    store = LocalStore(root)  # what a restarted server does first

    assert leftovers(root) == []
    assert list(store.list("")) == []  # and no object appeared


def test_a_write_in_progress_survives_a_sweep(tmp_path: Path) -> None:
    store = LocalStore(tmp_path / "store")
    started, release = threading.Event(), threading.Event()

    def chunks() -> Iterator[bytes]:
        yield b"first half "
        started.set()
        release.wait(10)
        yield b"second half"

    writer = threading.Thread(target=store.put_stream, args=("videos/v2/source/a.mp4", chunks()))
    writer.start()
    assert started.wait(10)
    assert store.sweep_abandoned_writes() == 0  # its writer holds the lock
    assert LocalStore(tmp_path / "store").sweep_abandoned_writes() == 0  # another opener too
    release.set()
    writer.join(10)
    with store.open("videos/v2/source/a.mp4") as f:
        assert f.read() == b"first half second half"
    assert leftovers(tmp_path / "store") == []
