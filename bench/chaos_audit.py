"""What the data directory holds, against what the chaos client believes exists.

Read straight from the SQLite file and the store and work folders, with no server code, so it
holds whatever the upload code's own layout is: a row, object or work file is orphaned when it
names nothing the client knows (a video, its job, its source file wherever the video's row says
it is, or a finished upload's small receipt); a
queue message is orphaned once every job has ended; `.tmp-*` files are half-written objects.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

from videoforge.config import Settings
from videoforge.storage.layout import VideoFiles
from videoforge.testing.leftovers import ffmpeg_processes_under, hls_problems

# A finished upload may leave a receipt (which video it became) this small, never its bytes.
RECEIPT_MAX_BYTES = 4096


@dataclass
class Known:
    """What the client believes exists."""

    videos: dict[str, str] = field(default_factory=dict)  # video id -> sha256 of its bytes
    jobs: set[str] = field(default_factory=set)
    finished_uploads: set[str] = field(default_factory=set)  # tus upload ids


@dataclass
class Orphans:
    rows: set[str] = field(default_factory=set)
    objects: set[str] = field(default_factory=set)
    processes: set[str] = field(default_factory=set)

    def __or__(self, other: Orphans) -> Orphans:
        return Orphans(
            self.rows | other.rows,
            self.objects | other.objects,
            self.processes | other.processes,
        )


def _database(settings: Settings) -> closing[sqlite3.Connection]:
    url = settings.resolved_database_url
    if not url.startswith("sqlite:///"):
        raise SystemExit("the chaos bench reads an SQLite data dir (--topology split is not built)")
    path = url.removeprefix("sqlite:///")
    return closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True))


def orphans(settings: Settings, known: Known) -> Orphans:
    """Rows, objects and work files nobody will ever use or clean up, and ffmpeg processes."""
    found = Orphans()
    with _database(settings) as db:
        tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        sources = set()  # where known videos keep their uploaded file (wherever that is)
        for video_id, source_key in db.execute("SELECT id, source_key FROM videos"):
            if video_id in known.videos:
                sources.add(source_key)
            else:
                found.rows.add(f"videos {video_id}")
        for (job_id,) in db.execute("SELECT id FROM jobs"):
            if job_id not in known.jobs:
                found.rows.add(f"jobs {job_id}")
        for message_id, queue in db.execute("SELECT id, queue FROM queue_messages"):
            found.rows.add(f"queue_messages {message_id} ({queue})")
        for table in (t for t in tables if "upload" in t):
            for row in db.execute(f'SELECT * FROM "{table}"'):  # a name sqlite_master gave
                if not {str(value) for value in row} & known.finished_uploads:
                    found.rows.add(f"{table} {row[0]}")
    for root in (settings.store_dir, settings.work_dir):
        for path in _files(root):
            rel = path.relative_to(root).as_posix()
            if root == settings.store_dir and rel in sources:
                continue
            if not _accounted(rel, path, known):
                found.objects.add(str(path.relative_to(settings.data_dir)))
    found.processes = {
        f"ffmpeg {pid}" for pid in ffmpeg_processes_under(settings.data_dir.resolve())
    }
    return found


def _files(root: Path) -> Iterator[Path]:
    if root.is_dir():
        yield from (p for p in root.rglob("*") if p.is_file())


def _accounted(rel: str, path: Path, known: Known) -> bool:
    if path.name.startswith(".tmp-"):
        return False
    parts = rel.split("/")
    if len(parts) > 2 and parts[0] == "videos" and parts[1] in known.videos:
        return True
    return any(upload_id in rel for upload_id in known.finished_uploads) and (
        path.stat().st_size <= RECEIPT_MAX_BYTES
    )


def video_problems(settings: Settings, video_id: str, sha256: str) -> list[str]:
    """Why a video the client knows is not whole: its stored source differs from the bytes the
    client sent, or its HLS folder is not one clean set of outputs."""
    with _database(settings) as db:
        row = db.execute("SELECT source_key FROM videos WHERE id = ?", (video_id,)).fetchone()
    if row is None:
        return ["its row is gone"]
    source = settings.store_dir / row[0]
    if not source.is_file():
        return [f"its source {row[0]} is missing"]
    problems = []
    if hashlib.sha256(source.read_bytes()).hexdigest() != sha256:
        problems.append(f"its source differs from what was sent ({source.stat().st_size} bytes)")
    problems += hls_problems(settings.store_dir / VideoFiles(video_id).hls_prefix)
    return problems
