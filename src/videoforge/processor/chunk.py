"""A chunk task: every rung of one time range of the video in one ffmpeg (media/chunks.py),
its segments on the whole video's timeline, stored for stitching (parts.py)."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from videoforge.context import Context
from videoforge.media.chunks import plan_chunk
from videoforge.media.facts import ProbeResult
from videoforge.processor.encoding import encode
from videoforge.processor.parts import PartTask, Progress


def run_chunk(ctx: Context, body: dict[str, Any], stop: threading.Event) -> None:
    task = PartTask(ctx, body)
    chunk = task.recipe.chunks()[task.index]
    settings = task.recipe.settings(ctx.settings)

    def encoder(facts: ProbeResult, source: Path, out_dir: Path, progress: Progress) -> None:
        argv = plan_chunk(
            facts, task.recipe.rungs, settings, chunk, out_dir, source=source, ffmpeg=ctx.ffmpeg
        )
        encode(argv, chunk.duration, progress, stop, f"chunk {chunk.index} of job {body['jobId']}")

    part = task.files.chunk_part(task.recipe.encode_id, chunk.index)
    first = chunk.index == 0
    task.run(encoder, part, keep_init=first, publishes_start=first)
