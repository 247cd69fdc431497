"""Helpers for the processor tests: rows made directly in the database, a source in the store,
and the outputs read back."""

from __future__ import annotations

import re
import subprocess
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from videoforge.context import Context
from videoforge.db import Job, User, Video
from videoforge.jobs.queueing import job_message
from videoforge.processor.tasks import ProcessVideo


@dataclass
class Upload:
    ctx: Context
    video_id: str
    job_id: str
    body: dict[str, Any]

    def run(self, stop: threading.Event | None = None) -> None:
        ProcessVideo(self.ctx).run(self.body, attempt=1, stop=stop or threading.Event())

    def job(self) -> Job:
        with self.ctx.sessions() as session:
            job = session.get(Job, self.job_id)
            assert job is not None
            return job

    def video(self) -> Video:
        with self.ctx.sessions() as session:
            video = session.get(Video, self.video_id)
            assert video is not None
            return video

    def stored(self, under: str = "") -> list[str]:
        """Keys under `videos/{id}/` (+ under), relative to it."""
        prefix = f"videos/{self.video_id}/"
        return [o.key.removeprefix(prefix) for o in self.ctx.store.list(prefix + under)]

    def text(self, key: str) -> str:
        with self.ctx.store.open(f"videos/{self.video_id}/{key}") as handle:
            return handle.read().decode()

    def read(self, key: str) -> bytes:
        with self.ctx.store.open(f"videos/{self.video_id}/{key}") as handle:
            return handle.read()


def add_upload(ctx: Context, source: Path, *, username: str = "alice") -> Upload:
    """A user, a video whose source is `source`, and a queued job for it (no queue message)."""
    with ctx.sessions() as session:
        user = session.query(User).filter_by(username=username).one_or_none()
        if user is None:
            user = User(username=username, email=f"{username}@example.com", password_hash="x")
            session.add(user)
            session.flush()
        video = Video(user_id=user.id, title="Clip", source_key="pending", status="queued")
        session.add(video)
        session.flush()
        video.source_key = f"videos/{video.id}/source/{source.name}"
        job = Job(video_id=video.id, user_id=user.id, status="queued")
        session.add(job)
        session.commit()
        body = job_message(job)
        ids = (video.id, job.id)
    ctx.store.put_file(f"videos/{ids[0]}/source/{source.name}", source)
    return Upload(ctx, ids[0], ids[1], body)


@pytest.fixture
def upload(ctx: Context) -> Any:
    return lambda source, **kw: add_upload(ctx, source, **kw)


def segment_durations(playlist: str) -> list[float]:
    return [float(m) for m in re.findall(r"#EXTINF:([\d.]+),", playlist)]


def decode_first_segment(ffmpeg: str, upload: Upload, folder: str, tmp_path: Path) -> str:
    """Join the rung's init file and first segment, decode them; return ffmpeg's stream list."""
    playlist = upload.text(f"hls/{folder}/index.m3u8")
    init = re.search(r'#EXT-X-MAP:URI="([^"]+)"', playlist)
    first = next(line for line in playlist.splitlines() if line and not line.startswith("#"))
    assert init is not None
    joined = tmp_path / f"{folder}.mp4"
    joined.write_bytes(
        upload.read(f"hls/{folder}/{init[1]}") + upload.read(f"hls/{folder}/{first}")
    )
    result = subprocess.run(
        [ffmpeg, "-hide_banner", "-v", "error", "-xerror", "-i", str(joined), "-f", "null", "-"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    probe = subprocess.run(
        [ffmpeg, "-hide_banner", "-i", str(joined)], capture_output=True, text=True, check=False
    )
    return probe.stderr
