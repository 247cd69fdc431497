"""The final step of a split job, run once every part is ready (handed out by handoff.py):
the VOD playlists and the master written from the parts' small files (nothing is encoded or
joined again), every segment they name checked to be in the store, the storyboard and the MP4
download made from the stitched ladder (a remux, not an encode), the parts removed, the job
ready."""

from __future__ import annotations

import logging
import shutil
import threading
from typing import Any

from videoforge.context import Context
from videoforge.jobs.state import JobState
from videoforge.jobs.tasks import AUDIO_INDEX, publishing, ready_parts
from videoforge.media.download import download_rung
from videoforge.media.rung import AUDIO_NAME
from videoforge.processor import stitching
from videoforge.processor.extras import Extras
from videoforge.processor.recipe import Recipe
from videoforge.processor.verify import LadderIncomplete
from videoforge.storage.layout import VideoFiles

log = logging.getLogger(__name__)


def run_finish(ctx: Context, body: dict[str, Any], stop: threading.Event) -> None:
    recipe = Recipe.from_json(body["recipe"])
    state = JobState(ctx.sessions, str(body["jobId"]))
    files = VideoFiles(str(body["videoId"]))
    done = ready_parts(ctx.sessions, state.job_id, recipe.encode_id)
    chunks = recipe.chunks()
    everything = {c.index for c in chunks} | ({AUDIO_INDEX} if recipe.has_audio else set())
    if not state.still_active() or not everything <= done:
        log.info("job %s: no final step to run (settled, or an earlier encode)", state.job_id)
        return
    texts = stitching.playlists(ctx.store, files, recipe, done)
    if texts is None:
        raise LadderIncomplete("the parts' playlists are not all stored")
    absent = stitching.missing(ctx.store, files, texts)
    if absent:
        raise LadderIncomplete(f"{len(absent)} file(s) missing, e.g. {absent[0]}")
    # One more than the chunks: no growing playlist written late can replace the VOD ones.
    with publishing(ctx.sessions, state.job_id, len(chunks) + 1):
        stitching.write(ctx.store, files, texts)
    work_dir = ctx.settings.work_dir / f"finish-{state.job_id}"
    work_dir.mkdir(parents=True, exist_ok=True)
    try:
        wanted = {recipe.rungs[-1].name, AUDIO_NAME}
        top = download_rung(recipe.rungs)
        wanted |= {top.name} if top else set()
        hls_dir = stitching.local_copy(ctx.store, files, sorted(wanted), work_dir / "hls")
        extras = Extras(ctx, files.video_id, work_dir, stop)
        extras.after_ladder(recipe.duration, recipe.has_audio, recipe.rungs, hls_dir)
    finally:
        shutil.rmtree(work_dir, ignore_errors=True)
    ctx.store.delete_prefix(files.parts_prefix.rstrip("/"))
    if not state.finish():
        log.info("job %s was settled while its final step ran", state.job_id)
