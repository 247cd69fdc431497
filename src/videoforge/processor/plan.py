"""Planning a long video's job into tasks any worker can take (scale-out transcoding).

The planning task has probed the source and chosen the rungs once; it plans the chunks
(media/chunks.py), records one task row per chunk and one for the audio, then sends the
audio's message first and the chunks' in order, chunk 0 first, so the video's start is
encoded first. Each message carries the recipe (recipe.py): every worker encodes with the same
settings, so the joins cannot shift. A job planned before and now retried or redriven runs
only its unfinished tasks again.
"""

from __future__ import annotations

import logging
from typing import Any

from videoforge.config import Settings
from videoforge.context import Context
from videoforge.db import new_id
from videoforge.jobs.tasks import AUDIO_INDEX, NewTask, create_tasks, resume_tasks
from videoforge.media.facts import ProbeResult
from videoforge.media.rung import Rung
from videoforge.processor import handoff
from videoforge.processor.encoding import JobCancelled
from videoforge.processor.recipe import Recipe, task_message
from videoforge.storage.layout import VideoFiles

log = logging.getLogger(__name__)

CHUNK, AUDIO = "chunk", "audio"


def should_split(facts: ProbeResult, rungs: list[Rung], settings: Settings) -> bool:
    """Long videos with a video track are split, unless the top rung is the source's own
    stream copied (a copy can only be cut at the source's keyframes, which need not fall on
    the chunk grid; copying already halves the work)."""
    if not rungs or any(rung.copy for rung in rungs):
        return False
    return facts.duration > settings.chunk_threshold_seconds


def split(ctx: Context, body: dict[str, Any], facts: ProbeResult, rungs: list[Rung]) -> None:
    job = _job_part(body)
    files = VideoFiles(job["videoId"])
    # A job planned afresh: an earlier attempt's outputs and parts are removed.
    ctx.store.delete_prefix(files.hls_folder)
    ctx.store.delete_prefix(files.parts_prefix.rstrip("/"))
    has_audio = facts.default_audio is not None
    recipe = Recipe.choose(new_id(), rungs, ctx.settings, facts.duration, has_audio)
    tasks = []
    if has_audio:
        task_id = new_id()
        message = task_message(job, AUDIO, task_id, AUDIO_INDEX, recipe)
        tasks.append(NewTask(task_id, AUDIO, AUDIO_INDEX, 0.0, facts.duration, message))
    for chunk in recipe.chunks():
        task_id = new_id()
        message = task_message(job, CHUNK, task_id, chunk.index, recipe)
        tasks.append(NewTask(task_id, CHUNK, chunk.index, chunk.start, chunk.end, message))
    if not create_tasks(ctx.sessions, job["jobId"], recipe.encode_id, tasks):
        raise JobCancelled
    log.info("job %s: split into %d tasks", job["jobId"], len(tasks))
    for task in tasks:  # the audio first, then the chunks from the start
        ctx.queue.send(task.message)


def resume(ctx: Context, body: dict[str, Any]) -> bool:
    """Queue again only the unfinished tasks of a job planned before; False when the job has
    no tasks (it is planned from the start)."""
    resumed = resume_tasks(ctx.sessions, str(body["jobId"]))
    if resumed is None:
        return False
    log.info("job %s: resuming %d unfinished task(s)", body["jobId"], len(resumed.unfinished))
    for message in resumed.unfinished:
        ctx.queue.send(message)
    if not resumed.unfinished:  # every task is done; only the final step was missing
        handoff.after_part(ctx, resumed.any_task)
    return True


def _job_part(body: dict[str, Any]) -> dict[str, Any]:
    return {key: body[key] for key in ("jobId", "videoId", "userId")}
