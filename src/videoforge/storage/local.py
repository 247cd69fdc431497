"""Object store on a local directory. Writes go to a temporary file and are renamed into place,
so a reader never sees half a file."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from videoforge.storage.base import StoredObject, safe_key


class LocalStore:
    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self.root.mkdir(parents=True, exist_ok=True)

    def _path(self, key: str) -> Path:
        return self.root / safe_key(key)

    def _atomic_write(self, key: str) -> tuple[Path, int, str]:
        dest = self._path(key)
        dest.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix=".tmp-")
        return dest, fd, tmp

    def put_stream(self, key: str, chunks: Iterable[bytes]) -> int:
        dest, fd, tmp = self._atomic_write(key)
        written = 0
        try:
            with os.fdopen(fd, "wb") as out:
                for chunk in chunks:
                    out.write(chunk)
                    written += len(chunk)
            os.replace(tmp, dest)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return written

    def put_file(self, key: str, path: Path) -> None:
        dest, fd, tmp = self._atomic_write(key)
        os.close(fd)
        try:
            shutil.copyfile(path, tmp)
            os.replace(tmp, dest)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

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
            if path.is_file() and not path.name.startswith(".tmp-"):
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
