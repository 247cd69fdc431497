"""Object store on a local directory. Writes go to a temporary file and are renamed into place,
so a reader never sees half a file.

An object written piece by piece (start_append...) is one file, `{scratch}/data`, until it is
complete: each append holds a non-blocking lock on it (a second writer gets AppendBusy, never
a wait), cuts it back to the recorded size, appends and fsyncs; completing renames it to the
object's key. Several processes may share the directory (e.g. over NFS)."""

from __future__ import annotations

import fcntl
import os
import shutil
import tempfile
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import BinaryIO

from videoforge.storage.base import AppendBusy, AppendState, StoredObject, safe_key

# Whole-object writes go to a temporary file here and are renamed into place. The writer holds
# an exclusive flock on it until the rename; a process killed mid-write (SIGKILL: no cleanup
# runs) loses its lock, which is how a later process tells its leftovers from live writes.
_SCRATCH = ".tmp"
_TMP_PREFIX = ".tmp-"


class LocalStore:
    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self.root.mkdir(parents=True, exist_ok=True)
        self._scratch = self.root / _SCRATCH
        self._scratch.mkdir(exist_ok=True)
        self.sweep_abandoned_writes()

    def _path(self, key: str) -> Path:
        return self.root / safe_key(key)

    @contextmanager
    def _atomic_write(self, key: str) -> Iterator[BinaryIO]:
        dest = self._path(key)
        dest.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self._scratch, prefix=_TMP_PREFIX)
        with os.fdopen(fd, "wb") as out:
            fcntl.flock(out, fcntl.LOCK_EX)  # released when closed, or when this process dies
            try:
                yield out
                out.flush()
                os.replace(tmp, dest)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise

    def sweep_abandoned_writes(self) -> int:
        """Delete temporary files whose writer died mid-write; returns how many. Live writers,
        in this process or another sharing the directory, hold their file's lock."""
        started = time.time()
        removed = 0
        for tmp in self._scratch.glob(f"{_TMP_PREFIX}*"):
            try:
                with tmp.open("rb") as probe:
                    # A file made after the sweep began may not be locked yet: leave it.
                    if os.fstat(probe.fileno()).st_mtime >= started:
                        continue
                    fcntl.flock(probe, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    tmp.unlink()
                    removed += 1
            except (BlockingIOError, FileNotFoundError):
                continue
        return removed

    def put_stream(self, key: str, chunks: Iterable[bytes]) -> int:
        written = 0
        with self._atomic_write(key) as out:
            for chunk in chunks:
                out.write(chunk)
                written += len(chunk)
        return written

    def put_file(self, key: str, path: Path) -> None:
        with self._atomic_write(key) as out, path.open("rb") as source:
            shutil.copyfileobj(source, out, 1024 * 1024)

    def open(self, key: str) -> BinaryIO:
        return self._path(key).open("rb")

    def stat(self, key: str) -> StoredObject:
        st = self._path(key).stat()
        return StoredObject(key=key, size=st.st_size, etag=f"{st.st_mtime_ns:x}-{st.st_size:x}")

    def local_path(self, key: str) -> Path | None:
        return self._path(key)

    def download(self, key: str, dest: Path) -> None:
        shutil.copyfile(self._path(key), dest)

    def list(self, prefix: str) -> Iterator[StoredObject]:
        base = self.root / prefix if prefix else self.root
        if not base.exists():
            return
        for path in sorted(base.rglob("*")):
            if path.is_file() and not path.name.startswith(_TMP_PREFIX):
                key = path.relative_to(self.root).as_posix()
                yield self.stat(key)

    def delete_prefix(self, prefix: str) -> int:
        safe_key(prefix.rstrip("/"))
        target = self.root / prefix.rstrip("/")
        if not target.exists():
            return 0
        count = sum(1 for p in target.rglob("*") if p.is_file()) if target.is_dir() else 1
        if target.is_dir():
            shutil.rmtree(target)
        else:
            target.unlink()
        return count

    def usage_bytes(self, prefix: str = "") -> int:
        return sum(obj.size for obj in self.list(prefix))

    # -- objects written piece by piece ----------------------------------------------------

    def _pieces(self, state: AppendState) -> Path:
        return self._path(f"{state.scratch}/data")

    def start_append(self, key: str, scratch: str) -> AppendState:
        state = AppendState(key=safe_key(key), scratch=safe_key(scratch))
        path = self._pieces(state)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch()
        return state

    def append(self, state: AppendState, chunks: Iterable[bytes]) -> AppendState:
        size = state.size
        with _locked(self._pieces(state)) as out:
            if os.fstat(out.fileno()).st_size < state.size:
                raise FileNotFoundError(f"{state.key}: bytes recorded as written are missing")
            out.truncate(state.size)  # what a crashed, refused or unrecorded append left
            out.seek(state.size)
            for chunk in chunks:
                out.write(chunk)
                size += len(chunk)
            out.flush()
            os.fsync(out.fileno())
        return replace(state, size=size)

    def drop_superseded(self, old: AppendState, new: AppendState) -> None:
        """Nothing to free: the file only grows."""

    def complete_append(self, state: AppendState) -> None:
        pieces, dest = self._pieces(state), self._path(state.key)
        if pieces.exists():
            with _locked(pieces) as out:
                out.truncate(state.size)
                os.fsync(out.fileno())
                dest.parent.mkdir(parents=True, exist_ok=True)
                os.replace(pieces, dest)
        elif not (dest.is_file() and dest.stat().st_size == state.size):
            raise FileNotFoundError(f"{state.key}: neither its pieces nor the object exist")
        shutil.rmtree(self._path(state.scratch), ignore_errors=True)

    def abort_append(self, state: AppendState) -> None:
        shutil.rmtree(self._path(state.scratch), ignore_errors=True)


class _locked:
    """The pieces file opened for writing under a non-blocking exclusive lock (flock: released
    by the kernel when its process dies, so a crash never leaves it held)."""

    def __init__(self, path: Path) -> None:
        self.file = path.open("r+b")  # FileNotFoundError once completed or aborted

    def __enter__(self) -> BinaryIO:
        try:
            fcntl.flock(self.file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self.file.close()
            raise AppendBusy(f"{self.file.name} is being written by another request") from None
        return self.file

    def __exit__(self, *_: object) -> None:
        self.file.close()  # closing releases the lock
