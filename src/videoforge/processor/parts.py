"""Running one task of a split job (a chunk, or the audio) on any worker, with no shared disk:
claim the task, download the source from the store, encode into the task's work directory
while its files are published as ffmpeg writes them (publisher.py; chunk 0 also publishes the
video's start, start.py), mark the task ready, then hand off (handoff.py).

The source is downloaded whole rather than read by ranges over a presigned URL: an accurate
seek into an MP4 reads its index (often at the end) and then jumps, which over HTTP costs a
request per jump and a retry policy of its own, while a download from the store in the same
region runs far faster than the encode and fails cleanly (the task is retried).

Segments are named uniquely across the whole video, so they go straight to
`hls/{rendition}/`; the small files (each rendition's playlist, the part's master) go to the
part's folder, from which the playlists are stitched. Only chunk 0 and the audio store their
init file: every chunk's is the same (identical settings). Storing again the same names
makes a redelivered task harmless.
"""

from __future__ import annotations

import logging
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from videoforge.context import Context
from videoforge.jobs.tasks import TaskState
from videoforge.media.facts import ProbeResult
from videoforge.media.probe import probe
from videoforge.media.runner import FfmpegStopped
from videoforge.processor import handoff, outputs
from videoforge.processor.encoding import JobCancelled
from videoforge.processor.publisher import HlsPublisher
from videoforge.processor.recipe import Recipe
from videoforge.processor.start import StartPublisher
from videoforge.storage.layout import MASTER_NAME, VideoFiles

log = logging.getLogger(__name__)

Progress = Callable[[float, float | None], bool]
# (the source's probe, the source, the output folder, progress) -> None
Encoder = Callable[[ProbeResult, Path, Path, Progress], None]


class PartTask:
    def __init__(self, ctx: Context, body: dict[str, Any]) -> None:
        self.ctx = ctx
        self.body = body
        self.recipe = Recipe.from_json(body["recipe"])
        self.index = int(body["index"])
        self.state = TaskState(ctx.sessions, str(body["taskId"]))
        self.files = VideoFiles(str(body["videoId"]))

    def run(
        self, encoder: Encoder, part_prefix: str, *, keep_init: bool, publishes_start: bool = False
    ) -> None:
        """Encode the part, publishing its files as they come (publisher.py); chunk 0
        (`publishes_start`) also publishes the video's start meanwhile (start.py)."""
        claimed = self.state.claim(self.recipe.encode_id)
        if claimed is None:
            log.info("task %s: nothing to do (cancelled, or an earlier encode)", self.state.task_id)
            return
        if not claimed.done:
            work_dir = self.ctx.settings.work_dir / f"task-{self.state.task_id}"
            work_dir.mkdir(parents=True, exist_ok=True)
            try:
                source = outputs.local_source(self.ctx.store, claimed.source_key, work_dir)
                out_dir = work_dir / "out"
                out_dir.mkdir()
                publisher = self._publisher(out_dir, part_prefix, keep_init, publishes_start)
                with publisher.running():
                    encoder(probe(source), source, out_dir, self.state.progress)
                publisher.publish()  # the rest, and the part's final playlists and master
                if publisher.published(MASTER_NAME) is None:
                    raise FileNotFoundError(f"the part's master was not written in {out_dir}")
            except (JobCancelled, FfmpegStopped) as exc:
                if isinstance(exc, FfmpegStopped) and self.state.still_running():
                    raise  # the worker is stopping or lost its lease: handed back to the queue
                log.info("task %s: its job was cancelled", self.state.task_id)
                return
            finally:
                shutil.rmtree(work_dir, ignore_errors=True)
            if not self.state.ready():
                return
        handoff.after_part(self.ctx, self.body)

    def _publisher(
        self, out_dir: Path, part_prefix: str, keep_init: bool, publishes_start: bool
    ) -> HlsPublisher:
        if publishes_start:
            job_id = str(self.body["jobId"])
            return StartPublisher(self.ctx, job_id, self.recipe, self.files, out_dir, part_prefix)
        return HlsPublisher(
            self.ctx.store,
            self.files.hls_prefix,
            out_dir,
            playlists_prefix=part_prefix,
            with_init=keep_init,
        )
