"""Chunked transcoding benchmark: one task (today's one ffmpeg) against the same source split into
chunks on 1 and 2 worker processes, then a simulation of more workers from the measured times.

    uv run python bench/chunked.py                    # 1-minute 1080p30 source, 10-s chunks
    uv run python bench/chunked.py --minutes 10 --chunk-seconds 60   # the default chunk plan

Workers are processes taking tasks (the audio, then the chunks in order) from one pool; each
ffmpeg gets `cores / workers` threads so the workers do not oversubscribe the machine (the one
task gets all cores). CPU seconds are the finished processes' user + system time. SSIM compares
each chunked rung with the one task's, frame by frame. "First playable" is when the stitched
EVENT playlists first list segments: chunk 0 publishes its start as it is written (once the
audio reaches as far), checked once per publisher pass as processor/start.py does.

The simulation is fitted on the 1-worker run only (each task's CPU seconds and how many cores
it kept busy, the pool's dispatch gaps, the final step) and must predict the 2-worker run
(2 processes x 1 thread) within VALIDATION_ERROR before its 4-64 worker predictions are
trusted; those use the real queue's latency (SqlQueue on SQLite, measured: queue_latency.py).
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `bench` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from rich.console import Console
from rich.table import Table

from bench.chunk_sim import FAVOURED_RULE, CostModel, makespan, wall_on
from bench.pipelines import _children_cpu, _fresh, hls_files, run_videoforge
from bench.quality import joined
from bench.queue_latency import QueueLatency
from bench.queue_latency import measure as measure_queue
from bench.sources import GRAINY_1080P30, frame_size, make_source
from videoforge.config import Settings
from videoforge.media.chunks import (
    Chunk,
    ChunkFloor,
    audio_dir,
    chunk_dir,
    encode_audio,
    encode_chunk,
    plan_chunks,
)
from videoforge.media.facts import ProbeResult
from videoforge.media.plan import base_args
from videoforge.media.probe import probe
from videoforge.media.rung import AUDIO_NAME, Rung
from videoforge.media.stitch import PartTexts, assemble, start_texts
from videoforge.media.tools import find_ffmpeg
from videoforge.processor.ladder import choose_rungs
from videoforge.processor.publisher import PASS_SECONDS
from videoforge.storage.layout import MASTER_NAME, PLAYLIST_NAME

DEFAULT_WORK_DIR = Path(tempfile.gettempdir()) / "videoforge-bench-chunked"
MEASURED_WORKERS = (1, 2)
SIMULATED_WORKERS = (4, 8, 16, 64)
GOAL_SPEEDUP_PER_WORKER, GOAL_UP_TO = 0.8, 8
DURATIONS = {"10 min": 600.0, "1 h": 3600.0, "3 h": 10800.0}
VALIDATION_ERROR = 0.10  # the bar for trusting the simulation
# Where a chunk's own cost stands out of the noise: at 16 chunks of 37 s it is under 2 % of
# the total, within what two runs of the same encode differ by.
PROBE_CHUNK_SECONDS = 10.0


@dataclass
class TaskTime:
    name: str  # "audio" or the chunk index
    started: float  # monotonic clock (system-wide on Linux, so comparable across processes)
    ended: float
    cpu: float
    worker: int  # process id

    @property
    def wall(self) -> float:
        return self.ended - self.started

    def wall_on(self, cores: float) -> float:
        """This task's wall time on a worker of `cores` cores (CPU seconds as measured)."""
        return wall_on(self.cpu, cores, self.cpu / self.wall)


@dataclass
class Run:
    label: str
    workers: int
    threads: int
    wall: float  # until the final playlists are written
    cpu: float
    first_playable: float | None
    ssim: dict[str, float] = field(default_factory=dict)  # per rung, against the one task
    top_vs_source: float | None = None  # SSIM of the top rung against the source
    tasks: list[TaskTime] = field(default_factory=list)  # in queue order
    final_step: float = 0.0
    queue_latency: float = 0.0

    @property
    def chunks(self) -> list[TaskTime]:
        return [t for t in self.tasks if t.name != "audio"]

    @property
    def audio_cpu(self) -> float:
        return sum(t.cpu for t in self.tasks if t.name == "audio")


def predict_run(
    fitted: Run,
    workers: int,
    worker_cores: float,
    *,
    queue_latency: float | None = None,
    idle_latency: float = 0.0,
) -> float:
    """Time to ready of the fitted run's tasks on `workers` workers of `worker_cores` cores
    each, with the fitted run's final step and (unless given) its dispatch latency."""
    latency = fitted.queue_latency if queue_latency is None else queue_latency
    walls = [task.wall_on(worker_cores) for task in fitted.tasks]  # in queue order
    return makespan(walls, workers, latency, idle_latency) + fitted.final_step


@dataclass(frozen=True)
class Validation:
    predicted: float
    measured: float

    @property
    def error(self) -> float:
        return (self.predicted - self.measured) / self.measured

    @property
    def passed(self) -> bool:
        return abs(self.error) <= VALIDATION_ERROR

    def verdict(self) -> str:
        outcome = (
            "PASSED: the 4-64 worker predictions can be trusted"
            if self.passed
            else "FAILED: do not trust the 4-64 worker predictions"
        )
        return (
            f"Check: the 2-worker run predicted from the 1-worker run only: {self.predicted:.1f} s "
            f"against {self.measured:.1f} s measured ({self.error:+.1%}, the bar is "
            f"±{VALIDATION_ERROR:.0%}): {outcome}"
        )


def validate(runs: list[Run]) -> Validation:
    """The 2-worker run against its prediction from the 1-worker run."""
    single, double = runs[0], runs[1]
    return Validation(predict_run(single, double.workers, double.threads), double.wall)


def _task(
    chunk: Chunk | None,
    facts: ProbeResult,
    rungs: list[Rung],
    settings: Settings,
    parts: Path,
    source: Path,
) -> TaskTime:
    """One queued task, in a worker process: the audio (chunk None) or one chunk."""
    cpu, started = _children_cpu(), time.monotonic()
    if chunk is None:
        encode_audio(facts, settings, parts, source=source)
    else:
        encode_chunk(facts, rungs, settings, chunk, parts, source=source)
    name = "audio" if chunk is None else str(chunk.index)
    return TaskTime(name, started, time.monotonic(), _children_cpu() - cpu, os.getpid())


def run_chunked(
    facts: ProbeResult,
    rungs: list[Rung],
    settings: Settings,
    source: Path,
    out_dir: Path,
    *,
    chunk_seconds: float,
    workers: int,
) -> Run:
    out_dir = _fresh(out_dir)
    parts, stitched = out_dir / "parts", out_dir / "stitched"
    floor = ChunkFloor.from_settings(settings)
    chunks = plan_chunks(facts.duration, settings.segment_seconds, chunk_seconds, floor)
    names = [rung.name for rung in rungs]
    has_audio = facts.default_audio is not None
    queue: list[Chunk | None] = ([None] if has_audio else []) + list(chunks)
    finished: set[int] = set()
    audio_done = False
    times: dict[str, TaskTime] = {}
    first_playable, final_step = None, 0.0
    cpu, started = _children_cpu(), time.monotonic()
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        pending = {
            pool.submit(_task, item, facts, rungs, settings, parts, source) for item in queue
        }
        while pending:
            # Each wake-up is a publisher's pass: chunk 0 publishes the start as it grows.
            finished_now, pending = wait(pending, PASS_SECONDS, return_when=FIRST_COMPLETED)
            if first_playable is None and _start_playable(parts, chunks[0], names, has_audio):
                first_playable = time.monotonic() - started
            for future in finished_now:
                task = future.result()
                times[task.name] = task
                if task.name == "audio":
                    audio_done = True
                else:
                    finished.add(int(task.name))
                step = time.monotonic()
                playable = assemble(
                    stitched,
                    parts,
                    chunks,
                    names,
                    finished=finished,
                    audio_ready=audio_done if has_audio else None,
                )
                final_step = time.monotonic() - step
                if playable and first_playable is None:
                    first_playable = time.monotonic() - started
        wall = time.monotonic() - started
    # The pool's processes have exited: their ffmpeg children's time is counted now.
    ordered = [times["audio" if item is None else str(item.index)] for item in queue]
    return Run(
        label=f"chunked, {workers} worker{'s' if workers > 1 else ''}",
        workers=workers,
        threads=settings.ffmpeg_threads,
        wall=wall,
        cpu=_children_cpu() - cpu,
        first_playable=first_playable,
        tasks=ordered,
        final_step=final_step,
        queue_latency=_queue_latency(ordered, started),
    )


def _start_playable(parts: Path, first: Chunk, names: list[str], has_audio: bool) -> bool:
    """Whether chunk 0 would publish the start now (processor/start.py's rule)."""
    chunk = _part_so_far(chunk_dir(parts, first), names)
    audio = _part_so_far(audio_dir(parts), [AUDIO_NAME]) if has_audio else None
    if chunk is None or (has_audio and audio is None):
        return False
    return start_texts(names, chunk, audio) is not None


def _part_so_far(folder: Path, names: list[str]) -> PartTexts | None:
    """A part's playlists and master as ffmpeg has written them so far (None: no master)."""
    master = folder / MASTER_NAME
    if not master.is_file():
        return None
    playlists = {}
    for name in names:
        playlist = folder / name / PLAYLIST_NAME
        playlists[name] = playlist.read_text() if playlist.is_file() else ""
    return PartTexts(playlists, master.read_text())


def _queue_latency(tasks: list[TaskTime], queued_at: float) -> float:
    """Mean time from a worker being free (or the task queued) to the task running."""
    free: dict[int, float] = {}
    gaps = []
    for task in sorted(tasks, key=lambda t: t.started):
        gaps.append(task.started - free.get(task.worker, queued_at))
        free[task.worker] = task.ended
    return sum(gaps) / len(gaps)


def ssim(ffmpeg: str, ours: Path, reference: Path) -> float:
    """Mean SSIM (all planes) of two renditions of the same size, frame by frame."""
    argv = [*base_args(ffmpeg), "-i", str(ours), "-i", str(reference)]
    # Both from 0: the renditions start after the AAC priming, the source does not.
    graph = "[0:v]setpts=PTS-STARTPTS[a];[1:v]setpts=PTS-STARTPTS[b];[a][b]ssim"
    argv += ["-filter_complex", graph, "-f", "null", "-"]
    argv[argv.index("error")] = "info"  # the summary line is printed at info level
    result = subprocess.run(argv, check=True, capture_output=True, text=True)
    line = next(ln for ln in result.stderr.splitlines() if "SSIM" in ln and "All:" in ln)
    return float(line.split("All:")[1].split()[0])


def _rendition(folder: Path, name: str, dest: Path) -> Path:
    return joined(hls_files(folder, name), dest)


def bench(
    ffmpeg: str,
    settings: Settings,
    work_dir: Path,
    *,
    seconds: float,
    chunk_seconds: float,
    cores: int,
    size: tuple[int, int] | None = None,
) -> tuple[Run, list[Run], list[Rung], float]:
    """The one task and the chunked runs on 1 and 2 workers; returns them, the rungs and the
    source's duration."""
    source, facts, rungs, one = _one_task(
        ffmpeg, settings, work_dir, "one", seconds=seconds, cores=cores, size=size
    )
    # Each rendition joined once, compared with every run's.
    theirs = {
        rung.name: _rendition(work_dir / "one", rung.name, work_dir / f"one-{rung.name}.mp4")
        for rung in rungs
    }
    top = rungs[0].name
    one.top_vs_source = ssim(ffmpeg, theirs[top], source)
    runs = []
    for workers in MEASURED_WORKERS:
        threads = max(1, cores // workers)
        split = settings.model_copy(update={"ffmpeg_threads": threads})
        folder = work_dir / f"chunked-{workers}"
        run = run_chunked(
            facts, rungs, split, source, folder, chunk_seconds=chunk_seconds, workers=workers
        )
        ours = {
            rung.name: _rendition(folder / "stitched", rung.name, folder / f"{rung.name}.mp4")
            for rung in rungs
        }
        run.ssim = {name: ssim(ffmpeg, ours[name], theirs[name]) for name in ours}
        # Whether the chunks' differences from the one task cost quality, or only differ.
        run.top_vs_source = ssim(ffmpeg, ours[top], source)
        runs.append(run)
    return one, runs, rungs, facts.duration


def _one_task(
    ffmpeg: str,
    settings: Settings,
    work_dir: Path,
    name: str,
    *,
    seconds: float,
    cores: int,
    size: tuple[int, int] | None,
) -> tuple[Path, ProbeResult, list[Rung], Run]:
    """A generated source of `seconds`, its facts and rungs, and its one-task run on `cores`
    threads into `work_dir / name`."""
    source = make_source(ffmpeg, GRAINY_1080P30, seconds, work_dir / "sources", size=size)
    facts = probe(source)
    rungs = choose_rungs(facts, settings)
    whole = settings.model_copy(update={"ffmpeg_threads": cores})
    encoded = run_videoforge(facts, rungs, whole, source, work_dir / name, ffmpeg)
    one = Run("one task", 1, cores, encoded.wall, encoded.cpu, encoded.first_playable)
    return source, facts, rungs, one


def per_chunk_cost(
    ffmpeg: str,
    settings: Settings,
    work_dir: Path,
    *,
    seconds: float,
    cores: int,
    size: tuple[int, int] | None = None,
) -> float:
    """CPU seconds one chunk costs beyond its share of the work: a short source as one task
    and as PROBE_CHUNK_SECONDS chunks, both on one worker of `cores` threads."""
    source, facts, rungs, one = _one_task(
        ffmpeg, settings, work_dir, "probe-one", seconds=seconds, cores=cores, size=size
    )
    whole = settings.model_copy(update={"ffmpeg_threads": cores})
    chunked = run_chunked(
        facts, rungs, whole, source, work_dir / "probe-chunked",
        chunk_seconds=PROBE_CHUNK_SECONDS, workers=1,
    )  # fmt: skip
    return (chunked.cpu - one.cpu) / len(chunked.chunks)


def measured_table(one: Run, runs: list[Run], rungs: list[Rung]) -> Table:
    table = Table(title="One task vs chunked (measured)")
    for column in ("way", "workers x threads", "ready (s)", "CPU (s)", "CPU vs one task"):
        table.add_column(column, justify="left" if column == "way" else "right")
    table.add_column("first playable (s)", justify="right")
    table.add_column(f"SSIM {rungs[0].name} vs source", justify="right")
    for rung in rungs:
        table.add_column(f"SSIM {rung.name}", justify="right")
    for run in [one, *runs]:
        table.add_row(
            run.label,
            f"{run.workers} x {run.threads}",
            f"{run.wall:.1f}",
            f"{run.cpu:.1f}",
            f"{run.cpu / one.cpu:.3f}",
            "—" if run.first_playable is None else f"{run.first_playable:.1f}",
            "—" if run.top_vs_source is None else f"{run.top_vs_source:.4f}",
            *[f"{run.ssim[r.name]:.4f}" if r.name in run.ssim else "—" for r in rungs],
        )
    return table


def simulation_table(one: Run, runs: list[Run], model: CostModel) -> Table:
    """The measured runs against their prediction from the 1-worker run, then N workers."""
    table = Table(
        title="Simulated workers (fitted on the 1-worker run; simulated workers each like this "
        "machine, on the real queue)"
    )
    for column in ("workers", "measured (s)", "predicted (s)", "error", "speed-up", "goal"):
        table.add_column(column, justify="right")
    single = runs[0]
    for run in runs:
        predicted = predict_run(single, run.workers, run.threads)
        error = (predicted - run.wall) / run.wall
        check = "fitted on" if run is single else _check(error)
        table.add_row(
            f"{run.workers} x {run.threads}",
            f"{run.wall:.1f}",
            f"{predicted:.1f}",
            f"{error:+.1%}",
            f"{one.wall / run.wall:.2f}x",
            check,
        )
    for workers in SIMULATED_WORKERS:
        wall = predict_run(
            single,
            workers,
            model.cores,
            queue_latency=model.queue_latency,
            idle_latency=model.idle_latency,
        )
        speedup = one.wall / wall
        goal = GOAL_SPEEDUP_PER_WORKER * workers
        verdict = (
            f"≥{goal:.1f}x {'met' if speedup >= goal else 'NOT met'}"
            if workers <= GOAL_UP_TO
            else ""
        )
        table.add_row(str(workers), "—", f"{wall:.1f}", "", f"{speedup:.2f}x", verdict)
    return table


def _check(error: float) -> str:
    passed = abs(error) <= VALIDATION_ERROR
    return f"±{VALIDATION_ERROR:.0%} {'passed' if passed else 'FAILED'}"


def favoured_table(model: CostModel, segment: float, floor: ChunkFloor) -> Table:
    table = Table(title="Chunk length the simulation favours, and its time to ready")
    table.add_column("video")
    for workers in SIMULATED_WORKERS:
        table.add_column(f"{workers} workers", justify="right")
    for label, duration in DURATIONS.items():
        cells = []
        for workers in SIMULATED_WORKERS:
            best = model.favoured_chunk(duration, segment, workers, floor)
            cells.append("—" if best is None else f"{best[0]:g} s ({best[1]:.0f} s)")
        table.add_row(label, *cells)
    return table


def fit_model(
    one: Run,
    runs: list[Run],
    duration: float,
    queue: QueueLatency,
    per_chunk: float | None = None,
) -> CostModel:
    """The cost model from the one task and the 1-worker chunked run only (and the per-chunk
    cost, when measured apart)."""
    single = runs[0]
    return CostModel.fit(
        one.cpu,
        duration,
        [t.cpu for t in single.chunks],
        single.audio_cpu,
        final_step=single.final_step,
        queue_latency=queue.taking,
        idle_latency=queue.idle,
        chunk_walls=[t.wall for t in single.chunks],
        cores=single.threads,
        per_chunk=per_chunk,
    )


def model_line(model: CostModel, queue: QueueLatency, runs: list[Run], probe_seconds: float) -> str:
    return (
        f"cost model (1-worker run): {model.per_chunk:.2f} CPU-s per chunk (measured apart: "
        f"a {probe_seconds:g}-s source as one task and as {PROBE_CHUNK_SECONDS:g}-s chunks) + "
        f"{model.per_video_second:.2f} CPU-s per video second, audio "
        f"{model.audio_per_video_second:.3f} s/s; a chunk keeps {model.parallelism:.2f} of "
        f"{model.cores:g} cores busy (efficiency {model.parallelism / model.cores:.0%}); "
        f"final step {model.final_step * 1000:.0f} ms; bench pool dispatch "
        f"{runs[0].queue_latency * 1000:.0f} ms; real queue (SQLite, poll "
        f"{queue.poll_seconds:g} s): {queue.taking * 1000:.1f} ms to take a waiting task, "
        f"{queue.idle * 1000:.0f} ms until an idle worker has it"
    )


def _arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    defaults = Settings()
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=1.0, help="length of the source")
    parser.add_argument("--chunk-seconds", type=float, default=10.0)
    parser.add_argument(
        "--probe-seconds",
        type=float,
        default=60.0,
        help="length of the source the per-chunk cost is measured on",
    )
    parser.add_argument("--preset", default=defaults.x264_preset, help="x264 preset")
    parser.add_argument("--segment-seconds", type=int, default=defaults.segment_seconds)
    parser.add_argument("--cores", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--size", type=frame_size, help="WxH instead of 1920x1080")
    parser.add_argument("--work-dir", type=Path, default=DEFAULT_WORK_DIR)
    parser.add_argument("--width", type=int, help="table width in characters")
    parser.add_argument(
        "--queue-poll-seconds",
        type=float,
        default=defaults.queue_poll_seconds,
        help="a worker's poll interval, for the queue latency measured",
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = _arguments(argv)
    settings = Settings(x264_preset=args.preset, segment_seconds=args.segment_seconds)
    ffmpeg = find_ffmpeg(settings)
    console = Console(width=args.width)
    seconds = args.minutes * 60
    console.print(
        f"{GRAINY_1080P30.description} ({args.size or 'full size'}), {seconds:g} s, "
        f"preset {settings.x264_preset}, segments {settings.segment_seconds} s, "
        f"chunks {args.chunk_seconds:g} s (at least {settings.chunk_min_count} of "
        f"{settings.chunk_min_seconds:g} s or more), {args.cores} cores"
    )
    one, runs, rungs, duration = bench(
        ffmpeg,
        settings,
        args.work_dir,
        seconds=seconds,
        chunk_seconds=args.chunk_seconds,
        cores=args.cores,
        size=args.size,
    )
    per_chunk = per_chunk_cost(
        ffmpeg, settings, args.work_dir, seconds=args.probe_seconds, cores=args.cores,
        size=args.size,
    )  # fmt: skip
    queue = measure_queue(args.work_dir / "queue", args.queue_poll_seconds)
    model = fit_model(one, runs, duration, queue, per_chunk)
    console.print(measured_table(one, runs, rungs))
    console.print(simulation_table(one, runs, model))
    console.print(validate(runs).verdict(), soft_wrap=True)
    console.print(model_line(model, queue, runs, args.probe_seconds), soft_wrap=True)
    floor = ChunkFloor.from_settings(settings)
    console.print(favoured_table(model, settings.segment_seconds, floor))
    console.print(f"Favoured chunk length, the rule: {FAVOURED_RULE}.", soft_wrap=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
