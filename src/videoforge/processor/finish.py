"""The final step of a split job, run once every part is ready (handed out by handoff.py):
the VOD playlists and the master written from the parts' small files (nothing is encoded or
joined again), every segment they name checked to be in the store, the stitched ladder verified
as the one-task path's is (verify.py: the master names every rendition, the first and last
segments of each decode; only those files are fetched), the storyboard and the MP4 download
made from the stitched ladder (a remux, not an encode), the parts removed, the job ready."""

from __future__ import annotations

import logging
import shutil
import threading
from pathlib import Path
from typing import Any

from videoforge.context import Context
from videoforge.jobs.state import JobState
from videoforge.jobs.tasks import AUDIO_INDEX, publishing, ready_parts
from videoforge.media.download import download_rung
from videoforge.media.rung import AUDIO_NAME
from videoforge.processor import stitching
from videoforge.processor.extras import Extras
from videoforge.processor.recipe import Recipe
from videoforge.processor.verify import Ladder, LadderIncomplete, ends, verify_ends
from videoforge.storage.layout import MASTER_NAME, VideoFiles

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
    work_dir = ctx.settings.work_dir / f"finish-{state.job_id}"
    work_dir.mkdir(parents=True, exist_ok=True)
    try:
        _verify(ctx, files, recipe, texts, work_dir / "verify")
        # One more than the chunks: no growing playlist written late can replace the VOD ones.
        with publishing(ctx.sessions, state.job_id, len(chunks) + 1):
            stitching.write(ctx.store, files, texts)
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


def _verify(
    ctx: Context, files: VideoFiles, recipe: Recipe, texts: dict[str, str], dest: Path
) -> None:
    """verify.py's checks on the stitched playlists, before they are published, with the files
    they decode fetched from the store (every other segment was found there already)."""
    for path, text in texts.items():
        target = dest / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        if path != MASTER_NAME:
            folder = path.rsplit("/", 1)[0]
            for uri in ends(text):
                ctx.store.download(files.hls_file(f"{folder}/{uri}"), target.parent / uri)
    verify_ends(ctx.ffmpeg, dest, Ladder(recipe.rungs, has_audio=recipe.has_audio))
