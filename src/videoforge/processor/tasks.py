"""ProcessVideo: the worker's job handler, from an uploaded file to a playable HLS ladder.

claim -> fetch source -> probe -> check limits -> choose ladder -> record media and renditions
-> encode, with the pictures made beside it (progress, cancel; segments published as they are
written) -> verify every rendition (verify.py) -> storyboard and MP4 download -> ready. Safe to
run again on redelivery: a finished job is left alone and earlier outputs are replaced, never
added to.
"""

from __future__ import annotations

import contextlib
import logging
import re
import shutil
import threading
import time
from pathlib import Path
from typing import Any

from videoforge.context import Context
from videoforge.db import Video
from videoforge.jobs.state import JobState
from videoforge.media.checks import check_limits
from videoforge.media.errors import InputRejected
from videoforge.media.facts import ProbeResult
from videoforge.media.plan import plan_hls
from videoforge.media.probe import probe
from videoforge.media.rung import audio_rendition
from videoforge.media.runner import FfmpegError, FfmpegStopped, encode_timeout, run_ffmpeg
from videoforge.processor import outputs
from videoforge.processor.extras import Extras
from videoforge.processor.ladder import choose_rungs
from videoforge.processor.publisher import HlsPublisher
from videoforge.processor.verify import Ladder, complete_master, verify_ladder
from videoforge.storage.layout import MASTER_NAME, VideoFiles
from videoforge.worker.base import PermanentJobError

log = logging.getLogger(__name__)

DAMAGED = "The video could not be decoded; the file seems damaged. Try exporting it again."
PROGRESS_WRITE_SECONDS = 1.0
# What ffmpeg says when the input itself is at fault, so retrying cannot help.
_BAD_INPUT = re.compile(
    r"Invalid data found when processing input|moov atom not found|Error while decoding|"
    r"corrupt|Invalid NAL unit|no frame!|End of file",
    re.IGNORECASE,
)


class JobCancelled(Exception):
    """The job's row says it is no longer active (cancelled by its owner, video deleted)."""


class ProcessVideo:
    """`worker.base.JobHandler` for the messages `jobs.queueing.job_message` makes."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def run(self, body: dict[str, Any], attempt: int, stop: threading.Event) -> None:
        state = JobState(self.ctx.sessions, str(body["jobId"]))
        claimed = state.claim()
        if claimed is None:
            log.info("job %s: nothing to do (finished, cancelled or deleted)", state.job_id)
            return
        work_dir = self.ctx.settings.work_dir / claimed.job_id
        work_dir.mkdir(parents=True, exist_ok=True)
        try:
            self._process(state, claimed.video_id, claimed.source_key, work_dir, stop)
        except (JobCancelled, FfmpegStopped) as exc:
            if isinstance(exc, FfmpegStopped) and state.still_active():
                raise  # the worker is stopping or lost its lease: the queue runs it again
            log.info("job %s cancelled; removing its outputs", state.job_id)
            video_gone = not self._video_exists(claimed.video_id)
            outputs.discard_outputs(self.ctx.store, claimed.video_id, video_gone=video_gone)
        except InputRejected as exc:  # trying again gives the same answer
            raise PermanentJobError(str(exc)) from exc
        finally:
            shutil.rmtree(work_dir, ignore_errors=True)

    def retrying(self, body: dict[str, Any], error: str, delay_seconds: float) -> None:
        when = f"in {delay_seconds:.0f} s" if delay_seconds >= 1 else "now"
        JobState(self.ctx.sessions, str(body["jobId"])).retrying(
            f"Attempt failed: {readable(error)}; retrying {when}."
        )

    def give_up(self, body: dict[str, Any], error: str, *, dead_lettered: bool) -> None:
        reason = readable(error)
        if dead_lettered:
            reason = f"Processing failed after several attempts: {reason}"
        JobState(self.ctx.sessions, str(body["jobId"])).fail(reason)

    def _process(
        self, state: JobState, video_id: str, source_key: str, work_dir: Path, stop: threading.Event
    ) -> None:
        store, settings = self.ctx.store, self.ctx.settings
        source = outputs.local_source(store, source_key, work_dir)
        facts = probe(source)
        check_limits(facts, settings)
        rungs = choose_rungs(facts, settings)
        renditions = [r.rendition() for r in rungs] or [audio_rendition()]
        state.describe_media(facts, renditions)
        extras = Extras(self.ctx, video_id, work_dir, stop)
        # Beside the encode, not before it: the first segments are what a viewer waits for, and
        # the pictures decode only a few seconds of the source.
        pictures = threading.Thread(
            target=extras.pictures, args=(facts, rungs, source), name=f"pictures-{video_id}"
        )
        pictures.start()
        out_dir, in_store = outputs.hls_output_dir(store, video_id, work_dir)
        argv = plan_hls(facts, rungs, settings, out_dir, source=source, ffmpeg=self.ctx.ffmpeg)
        # ffmpeg writes into a local store itself; any other store gets the files as they come.
        hls_prefix = VideoFiles(video_id).hls_prefix
        publisher = None if in_store else HlsPublisher(store, hls_prefix, out_dir)
        try:
            with publisher.running() if publisher else contextlib.nullcontext():
                self._encode(argv, facts, state, stop)
        finally:
            pictures.join()
        if not (out_dir / MASTER_NAME).is_file():
            raise PermanentJobError(DAMAGED)
        ladder = Ladder(rungs, has_audio=facts.default_audio is not None)
        if complete_master(out_dir, ladder):
            log.info("job %s: wrote the variants ffmpeg left out of the master", state.job_id)
        verify_ladder(self.ctx.ffmpeg, out_dir, ladder)
        if publisher:
            publisher.publish()  # the rest, and the playlists' final (VOD) versions
        extras.after_ladder(facts, rungs, out_dir)
        if not state.finish():
            raise JobCancelled

    def _encode(
        self, argv: list[str], facts: ProbeResult, state: JobState, stop: threading.Event
    ) -> None:
        last_write = 0.0

        def on_progress(percent: float, eta: float | None) -> None:
            nonlocal last_write
            if time.monotonic() - last_write < PROGRESS_WRITE_SECONDS:
                return
            last_write = time.monotonic()
            if not state.progress(percent, eta):
                raise JobCancelled

        try:
            run_ffmpeg(
                argv,
                duration=facts.duration,
                on_progress=on_progress,
                stop=stop,
                timeout=encode_timeout(facts.duration),
            )
        except FfmpegError as exc:
            log.warning("job %s: encoding failed\n%s", state.job_id, exc.details)
            if _BAD_INPUT.search(exc.stderr_tail):
                raise PermanentJobError(DAMAGED) from exc
            raise

    def _video_exists(self, video_id: str) -> bool:
        with self.ctx.sessions() as session:
            return session.get(Video, video_id) is not None


_ERROR_CLASS = re.compile(r"^[A-Z]\w*(Error|Exception|Timeout|Stopped): ")


def readable(error: str) -> str:
    """The worker loop's `ClassName: message` without the class name, on one short line."""
    text = _ERROR_CLASS.sub("", error.strip()).splitlines()[0] if error.strip() else ""
    text = text or "an unexpected error"
    return text if len(text) <= 300 else text[:297] + "..."
