"""ProcessVideo: the worker's job handler, a dispatcher on the message's kind.

- no kind: a job's first message (whole.py): the whole video in one task, or a long one
  planned into tasks (plan.py);
- "chunk" (chunk.py) and "audio" (audio.py): one task of a split job;
- "finish" (finish.py): a split job's final step, once every task is ready.

A failed attempt of a task is that task's: it is retried alone; a task that fails for good
fails its job with the task named in the reason.
"""

from __future__ import annotations

import threading
from typing import Any

from videoforge.context import Context
from videoforge.jobs.state import JobState
from videoforge.jobs.tasks import TaskState
from videoforge.processor.audio import run_audio
from videoforge.processor.chunk import run_chunk
from videoforge.processor.encoding import readable
from videoforge.processor.finish import run_finish
from videoforge.processor.handoff import FINISH
from videoforge.processor.plan import AUDIO, CHUNK
from videoforge.processor.whole import WholeVideo


class ProcessVideo:
    """`worker.base.JobHandler` for the messages `jobs.queueing.job_message` and
    `processor.recipe.task_message` make."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def run(self, body: dict[str, Any], attempt: int, stop: threading.Event) -> None:
        kind = body.get("kind")
        if kind == CHUNK:
            run_chunk(self.ctx, body, stop)
        elif kind == AUDIO:
            run_audio(self.ctx, body, stop)
        elif kind == FINISH:
            run_finish(self.ctx, body, stop)
        else:
            WholeVideo(self.ctx).run(body, stop)

    def retrying(self, body: dict[str, Any], error: str, delay_seconds: float) -> None:
        when = f"in {delay_seconds:.0f} s" if delay_seconds >= 1 else "now"
        message = f"Attempt failed: {readable(error)}; retrying {when}."
        if "taskId" in body:
            TaskState(self.ctx.sessions, str(body["taskId"])).retrying(message)
        elif body.get("kind") == FINISH:
            return  # the job keeps processing; its final step runs again
        else:
            JobState(self.ctx.sessions, str(body["jobId"])).retrying(message)

    def give_up(self, body: dict[str, Any], error: str, *, dead_lettered: bool) -> None:
        reason = readable(error)
        if dead_lettered:
            reason = f"Processing failed after several attempts: {reason}"
        if "taskId" in body:
            reason = TaskState(self.ctx.sessions, str(body["taskId"])).fail(reason) or reason
        JobState(self.ctx.sessions, str(body["jobId"])).fail(reason)
