"""A job's first message: from an uploaded file to a playable HLS ladder in one task, or, for a
long video, planned into chunk tasks any worker can take (plan.py).

claim -> (a split job being retried: resume its missing tasks) -> fetch source -> probe ->
check limits -> choose ladder -> record media and renditions -> split, or encode with the
pictures made beside it (progress, cancel; segments published as they are written) -> verify
every rendition (verify.py) -> storyboard and MP4 download -> ready. Safe to run again on
redelivery: a finished job is left alone and earlier outputs are replaced, never added to.
"""

from __future__ import annotations

import contextlib
import logging
import shutil
import threading
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
from videoforge.media.rung import Rung, audio_rendition
from videoforge.media.runner import FfmpegStopped
from videoforge.processor import outputs, plan
from videoforge.processor.encoding import DAMAGED, JobCancelled, encode
from videoforge.processor.extras import Extras
from videoforge.processor.ladder import choose_rungs
from videoforge.processor.publisher import HlsPublisher
from videoforge.processor.verify import Ladder, complete_master, verify_ladder
from videoforge.storage.layout import MASTER_NAME, VideoFiles
from videoforge.worker.base import PermanentJobError

log = logging.getLogger(__name__)


class WholeVideo:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def run(self, body: dict[str, Any], stop: threading.Event) -> None:
        state = JobState(self.ctx.sessions, str(body["jobId"]))
        claimed = state.claim()
        if claimed is None:
            log.info("job %s: nothing to do (finished, cancelled or deleted)", state.job_id)
            return
        if plan.resume(self.ctx, body):
            return
        work_dir = self.ctx.settings.work_dir / claimed.job_id
        work_dir.mkdir(parents=True, exist_ok=True)
        try:
            self._process(state, body, claimed.video_id, claimed.source_key, work_dir, stop)
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

    def _process(
        self,
        state: JobState,
        body: dict[str, Any],
        video_id: str,
        source_key: str,
        work_dir: Path,
        stop: threading.Event,
    ) -> None:
        store, settings = self.ctx.store, self.ctx.settings
        source = outputs.local_source(store, source_key, work_dir)
        facts = probe(source)
        check_limits(facts, settings)
        rungs = choose_rungs(facts, settings)
        renditions = [r.rendition() for r in rungs] or [audio_rendition()]
        state.describe_media(facts, renditions)
        extras = Extras(self.ctx, video_id, work_dir, stop)
        if plan.should_split(facts, rungs, settings):
            plan.split(self.ctx, body, facts, rungs)
            extras.pictures(facts, rungs, source)  # chunk workers encode meanwhile
            return
        self._encode_whole(state, video_id, facts, rungs, source, extras, work_dir, stop)

    def _encode_whole(
        self,
        state: JobState,
        video_id: str,
        facts: ProbeResult,
        rungs: list[Rung],
        source: Path,
        extras: Extras,
        work_dir: Path,
        stop: threading.Event,
    ) -> None:
        store, settings = self.ctx.store, self.ctx.settings
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
                encode(argv, facts.duration, state.progress, stop, f"job {state.job_id}")
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
        extras.after_ladder(facts.duration, facts.has_audio, rungs, out_dir)
        if not state.finish():
            raise JobCancelled

    def _video_exists(self, video_id: str) -> bool:
        with self.ctx.sessions() as session:
            return session.get(Video, video_id) is not None
