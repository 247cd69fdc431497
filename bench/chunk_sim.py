"""Simulating chunked transcoding on N workers from measured task times (pure arithmetic).

Tasks are taken in queue order (the audio first, then the chunks) by whichever worker is free
first, each after the queue's latency; the final step (stitching the playlists) runs after the
last task. The cost model for other durations and chunk lengths is linear: a chunk costs a fixed
start-up (process start, seeking from the source keyframe before the cut, encoder warm-up) plus
the one-task rate per second of video; both come from the measured runs.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from dataclasses import dataclass

from videoforge.media.chunks import plan_chunks

CANDIDATE_CHUNK_SECONDS = (4, 10, 20, 30, 60, 120, 300, 600)
MAX_CPU_OVERHEAD = 1.05  # the goal for chunked CPU against one task


def makespan(task_seconds: Sequence[float], workers: int, queue_latency: float) -> float:
    """When the last task ends, tasks taken in order by the first free worker."""
    free_at = [0.0] * max(1, workers)
    heapq.heapify(free_at)
    end = 0.0
    for seconds in task_seconds:
        finish = heapq.heappop(free_at) + queue_latency + seconds
        end = max(end, finish)
        heapq.heappush(free_at, finish)
    return end


def predict(
    audio: float | None,
    chunks: Sequence[float],
    workers: int,
    *,
    queue_latency: float,
    final_step: float,
) -> float:
    """Time to ready of one chunked run."""
    tasks = ([audio] if audio is not None else []) + list(chunks)
    return makespan(tasks, workers, queue_latency) + final_step


@dataclass(frozen=True)
class CostModel:
    per_chunk: float  # seconds every chunk costs on top of its share of the work
    per_video_second: float  # seconds of work per second of video (one worker)
    audio_per_video_second: float
    final_step: float  # seconds (small; taken as measured)
    queue_latency: float  # seconds from a free worker to its next task running

    @classmethod
    def fit(
        cls,
        one_task_wall: float,
        duration: float,
        chunk_walls: Sequence[float],
        audio_wall: float,
        *,
        final_step: float,
        queue_latency: float,
    ) -> CostModel:
        """From a one-task run and a chunked run on one worker of the same source: what the
        chunks cost beyond the one task, per chunk."""
        extra = sum(chunk_walls) + audio_wall - one_task_wall
        per_chunk = max(0.0, extra / len(chunk_walls))
        per_second = (sum(chunk_walls) - per_chunk * len(chunk_walls)) / duration
        return cls(per_chunk, per_second, audio_wall / duration, final_step, queue_latency)

    def chunk_seconds(self, lengths: Sequence[float]) -> list[float]:
        return [self.per_chunk + self.per_video_second * length for length in lengths]

    def cpu_overhead(self, duration: float, segment: float, chunk: float) -> float:
        """Work of the chunked run over the one task's (audio the same in both)."""
        count = len(plan_chunks(duration, segment, chunk))
        return 1 + count * self.per_chunk / (self.per_video_second * duration)

    def simulate(self, duration: float, segment: float, chunk: float, workers: int) -> float:
        lengths = [c.duration for c in plan_chunks(duration, segment, chunk)]
        return predict(
            self.audio_per_video_second * duration,
            self.chunk_seconds(lengths),
            workers,
            queue_latency=self.queue_latency,
            final_step=self.final_step,
        )

    def favoured_chunk(
        self, duration: float, segment: float, workers: int
    ) -> tuple[float, float] | None:
        """The candidate chunk length with the shortest time to ready whose CPU overhead
        stays within MAX_CPU_OVERHEAD, and that time; None when none qualifies."""
        best: tuple[float, float] | None = None
        for chunk in CANDIDATE_CHUNK_SECONDS:
            if chunk > duration or self.cpu_overhead(duration, segment, chunk) > MAX_CPU_OVERHEAD:
                continue
            wall = self.simulate(duration, segment, chunk, workers)
            if best is None or wall < best[1]:
                best = (chunk, wall)
        return best
