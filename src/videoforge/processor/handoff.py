"""What follows a finished part of a split job: the growing playlists published as far as the
ready chunks reach from the start (so the video plays from its start while later chunks are
still encoding; each time from the published playlists and the new chunks' parts, not every
part again), and, after the last part, the final step handed to exactly one worker."""

from __future__ import annotations

import logging
from typing import Any

from videoforge.context import Context
from videoforge.jobs.tasks import (
    AUDIO_INDEX,
    claim_finish,
    publishing,
    ready_parts,
    release_finish,
)
from videoforge.media.stitch import contiguous
from videoforge.processor import stitching
from videoforge.processor.recipe import Recipe
from videoforge.storage.layout import VideoFiles

log = logging.getLogger(__name__)

FINISH = "finish"


def after_part(ctx: Context, body: dict[str, Any]) -> None:
    """Called after a task is ready (and again when its message comes twice)."""
    recipe = Recipe.from_json(body["recipe"])
    job_id = str(body["jobId"])
    done = ready_parts(ctx.sessions, job_id, recipe.encode_id)
    chunks = recipe.chunks()
    audio_done = not recipe.has_audio or AUDIO_INDEX in done
    if audio_done and len(contiguous(chunks, done)) == len(chunks):
        _hand_out_finish(ctx, body, recipe)
        return
    reach = len(contiguous(chunks, done))
    if not audio_done or reach == 0:
        return  # nothing playable yet
    files = VideoFiles(str(body["videoId"]))
    with publishing(ctx.sessions, job_id, reach) as previous:
        if previous is None:
            return  # playlists listing as many chunks are published already
        texts = stitching.grown(ctx.store, files, recipe, done, previous)
        if texts is not None:
            stitching.write(ctx.store, files, texts)


def _hand_out_finish(ctx: Context, body: dict[str, Any], recipe: Recipe) -> None:
    job_id = str(body["jobId"])
    if not claim_finish(ctx.sessions, job_id, recipe.encode_id):
        return  # another worker did, or the final step ran already
    message = {key: body[key] for key in ("jobId", "videoId", "userId")}
    try:
        ctx.queue.send({**message, "kind": FINISH, "recipe": recipe.to_json()})
    except Exception:
        release_finish(ctx.sessions, job_id)  # this task's retry hands it out again
        raise
    log.info("job %s: every part is ready; final step queued", job_id)
