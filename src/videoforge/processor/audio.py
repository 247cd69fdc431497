"""The audio task of a split job: the whole file's audio encoded once (AAC per chunk would
overlap at every join by its priming), stored for stitching (parts.py)."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from videoforge.context import Context
from videoforge.media.chunks import plan_audio
from videoforge.media.facts import ProbeResult
from videoforge.processor.encoding import encode
from videoforge.processor.parts import PartTask, Progress


def run_audio(ctx: Context, body: dict[str, Any], stop: threading.Event) -> None:
    task = PartTask(ctx, body)
    settings = task.recipe.settings(ctx.settings)

    def encoder(facts: ProbeResult, source: Path, out_dir: Path, progress: Progress) -> None:
        argv = plan_audio(facts, settings, out_dir, source=source, ffmpeg=ctx.ffmpeg)
        encode(argv, facts.duration, progress, stop, f"audio of job {body['jobId']}")

    task.run(encoder, task.files.audio_part(task.recipe.encode_id), keep_init=True)
