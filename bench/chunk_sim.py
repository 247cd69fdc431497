"""Simulating chunked transcoding on N workers from measured task costs (pure arithmetic).

Tasks are taken in queue order (the audio first, then the chunks) by whichever worker is free
first, each after the queue's latency (a worker's first task also waits for the worker to poll
the queue); the final step (stitching the playlists) runs after the last task. A task's wall
time on a worker is its CPU seconds over the cores it can use: the worker's cores, but no more
than the task kept busy on the measured run (its CPU/wall ratio: x264's threads do not scale
perfectly). The cost model for other durations and chunk lengths is linear in CPU seconds: a
chunk costs a fixed start-up (process start, seeking from the source keyframe before the cut,
encoder warm-up) plus the one-task rate per second of video; both come from a measured run on
one worker.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from dataclasses import dataclass

from videoforge.media.chunks import ChunkFloor, plan_chunks

CANDIDATE_CHUNK_SECONDS = (4, 10, 20, 30, 60, 120, 300, 600)
MAX_CPU_OVERHEAD = 1.05  # the goal for chunked CPU against one task
FAVOURED_RULE = (
    f"of the candidates {', '.join(f'{c} s' for c in CANDIDATE_CHUNK_SECONDS)}, the one with "
    f"the shortest simulated time to ready whose CPU stays within {MAX_CPU_OVERHEAD:.2f}x the "
    "one task's (ties: the shorter chunk)"
)


def makespan(
    task_seconds: Sequence[float], workers: int, queue_latency: float, idle_latency: float = 0.0
) -> float:
    """When the last task ends, tasks taken in order by the first free worker."""
    free_at = [idle_latency] * max(1, workers)
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
    idle_latency: float = 0.0,
) -> float:
    """Time to ready of one chunked run, from its tasks' wall times."""
    tasks = ([audio] if audio is not None else []) + list(chunks)
    return makespan(tasks, workers, queue_latency, idle_latency) + final_step


def wall_on(cpu: float, cores: float, parallelism: float) -> float:
    """A task's wall time on a worker with `cores` cores, keeping at most `parallelism` busy."""
    return cpu / max(1e-9, min(cores, parallelism))


@dataclass(frozen=True)
class CostModel:
    per_chunk: float  # CPU seconds every chunk costs on top of its share of the work
    per_video_second: float  # CPU seconds of work per second of video
    audio_per_video_second: float  # seconds (one thread: CPU and wall alike)
    final_step: float  # seconds (small; taken as measured)
    queue_latency: float  # seconds to take a waiting task off the queue
    idle_latency: float = 0.0  # seconds until an idle worker notices a task (its poll)
    parallelism: float = 1.0  # cores a chunk keeps busy at most (measured CPU/wall)
    cores: float = 1.0  # of each simulated worker

    @classmethod
    def fit(
        cls,
        one_task_cpu: float,
        duration: float,
        chunk_cpus: Sequence[float],
        audio_cpu: float,
        *,
        final_step: float,
        queue_latency: float,
        idle_latency: float = 0.0,
        chunk_walls: Sequence[float] | None = None,
        cores: float = 1.0,
        per_chunk: float | None = None,
    ) -> CostModel:
        """From a one-task run and a chunked run on one worker (of `cores` cores) of the same
        source: what the chunks cost beyond the one task, per chunk (unless measured apart
        and given), and how many cores a chunk kept busy (all of them when no walls are
        given)."""
        if per_chunk is None:
            per_chunk = (sum(chunk_cpus) + audio_cpu - one_task_cpu) / len(chunk_cpus)
        per_chunk = max(0.0, per_chunk)
        per_second = (sum(chunk_cpus) - per_chunk * len(chunk_cpus)) / duration
        parallelism = sum(chunk_cpus) / sum(chunk_walls) if chunk_walls else cores
        return cls(
            per_chunk,
            per_second,
            audio_cpu / duration,  # one thread: its wall time too
            final_step,
            queue_latency,
            idle_latency,
            parallelism,
            cores,
        )

    def chunk_seconds(self, lengths: Sequence[float]) -> list[float]:
        """Wall seconds of chunks of these lengths on one simulated worker."""
        cpus = [self.per_chunk + self.per_video_second * length for length in lengths]
        return [wall_on(cpu, self.cores, self.parallelism) for cpu in cpus]

    def cpu_overhead(
        self, duration: float, segment: float, chunk: float, floor: ChunkFloor = ChunkFloor()
    ) -> float:
        """Work of the chunked run over the one task's (audio the same in both)."""
        count = len(plan_chunks(duration, segment, chunk, floor))
        return 1 + count * self.per_chunk / (self.per_video_second * duration)

    def simulate(
        self,
        duration: float,
        segment: float,
        chunk: float,
        workers: int,
        floor: ChunkFloor = ChunkFloor(),
    ) -> float:
        lengths = [c.duration for c in plan_chunks(duration, segment, chunk, floor)]
        return predict(
            self.audio_per_video_second * duration,
            self.chunk_seconds(lengths),
            workers,
            queue_latency=self.queue_latency,
            final_step=self.final_step,
            idle_latency=self.idle_latency,
        )

    def favoured_chunk(
        self, duration: float, segment: float, workers: int, floor: ChunkFloor = ChunkFloor()
    ) -> tuple[float, float] | None:
        """FAVOURED_RULE: the chunk length and its time to ready; None when none qualifies."""
        best: tuple[float, float] | None = None
        for chunk in CANDIDATE_CHUNK_SECONDS:
            if chunk > duration:
                continue
            if self.cpu_overhead(duration, segment, chunk, floor) > MAX_CPU_OVERHEAD:
                continue
            wall = self.simulate(duration, segment, chunk, workers, floor)
            if best is None or wall < best[1]:
                best = (chunk, wall)
        return best
