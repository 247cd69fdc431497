"""Chaos benchmark: SIGKILL `videoforge serve` at a random moment of an upload (multipart form,
or tus 1.0) or of a transcode, restart it on the same data dir (SQLite + local store), and check
that nothing is lost, corrupted or orphaned.

    uv run python bench/chaos.py                        # 20 rounds, seed 1
    uv run python bench/chaos.py --rounds 6 --seed 7 --kinds tus,form

Kill moments: an upload's body is sent at a set pace (about --upload-seconds) and the kill comes
at a random point from its first byte to a little past its last (the probe, the rows); a
transcode is killed at a random point of its encode, once the job is `processing`.

After each restart the client does what a real one would: a tus upload is resumed (HEAD for the
offset, PATCH the rest) and must end byte-identical; a form upload that got no answer is looked
up by title and retried when absent, and must exist whole or not at all; every job must end
ready exactly once, with one set of outputs. Once the server is quiet again, the data dir is
audited: rows, stored objects and work files that name nothing the client knows, queue messages
left over, ffmpeg processes still running after their server died. A leftover counts when it is
still there after the final, clean stop; then every video's source must equal the bytes sent.

The client speaks only the public protocols (the gallery and jobs API, tus 1.0); the audit reads
the SQLite file and the store and work folders, not server code. Prints one row per round kind;
exit code 1 when any round lost, corrupted or orphaned something.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make `bench` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import httpx
from rich.console import Console
from rich.table import Table

from bench.chaos_audit import Known, Orphans, orphans, video_problems
from bench.chaos_client import Pace, Session, form_upload
from bench.chaos_rounds import ROUNDS, RoundResult, sha256
from videoforge.config import Settings
from videoforge.media.tools import find_ffmpeg
from videoforge.testing.api import wait_until
from videoforge.testing.clips import make_clip
from videoforge.testing.leftovers import ffmpeg_processes_under
from videoforge.testing.server import FAST_ENV, ServerProcess

DEFAULT_WORK_DIR = Path(tempfile.gettempdir()) / "videoforge-chaos"
KINDS = tuple(ROUNDS)
COLUMNS = (
    "kind", "rounds", "hit mid-way", "lost", "corrupt", "orphan rows", "orphan objects",
    "ffmpeg left", "resumed OK", "time s",
)  # fmt: skip
# How long ffmpeg may outlive a killed or stopped server before it counts as orphaned.
FFMPEG_GRACE_SECONDS = 5.0
# Kills land from the start of an upload to a little past its end (the probe and the rows).
UPLOAD_KILL_WINDOW = (0.0, 1.15)


@dataclass
class ChaosOptions:
    rounds: int = 20
    seed: int = 1
    kinds: Sequence[str] = KINDS
    upload_seconds: float = 2.0  # how long the client takes to send one upload
    upload_clip_seconds: float = 4.0
    transcode_clip_seconds: float = 8.0
    tus_chunks: int = 2  # PATCH requests per tus upload
    upload_kill_window: tuple[float, float] = UPLOAD_KILL_WINDOW  # fractions of upload_seconds


@dataclass
class ChaosResult:
    rounds: list[RoundResult]
    after_stop: Orphans  # leftovers no round is to blame for (seen first after the final stop)
    calibration_seconds: float
    seconds: float = 0.0
    problems_after_stop: list[str] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        found = self.after_stop
        return (
            all(r.ok for r in self.rounds)
            and not (found.rows or found.objects or found.processes)
            and not self.problems_after_stop
        )


class Chaos:
    """The server under test, the client's session, and what the client believes exists."""

    def __init__(self, work_dir: Path, ffmpeg: str, options: ChaosOptions) -> None:
        self.options = options
        self.rng = random.Random(options.seed)
        self.data_dir = (work_dir / "var").resolve()
        self.settings = Settings(data_dir=self.data_dir)
        self.env = {**FAST_ENV}
        clips = work_dir / "clips"
        clips.mkdir(parents=True, exist_ok=True)
        # Little compression, so the upload is a few MB and takes its time on the wire.
        dense = ("-c:v", "libx264", "-preset", "ultrafast", "-crf", "8", "-pix_fmt", "yuv420p")
        upload_clip = make_clip(
            ffmpeg, clips / "upload.mp4", seconds=options.upload_clip_seconds,
            width=640, height=360, video_args=dense,
        )  # fmt: skip
        transcode_clip = make_clip(
            ffmpeg, clips / "transcode.mp4", seconds=options.transcode_clip_seconds,
            width=640, height=360, fps=30,
        )  # fmt: skip
        self.upload_data = upload_clip.read_bytes()
        self.transcode_data = transcode_clip.read_bytes()
        self.upload_rate = len(self.upload_data) / options.upload_seconds
        self.tus_chunk_bytes = -(-len(self.upload_data) // options.tus_chunks)
        self.known = Known()
        self.video_rounds: dict[str, RoundResult] = {}  # video id -> the round that made it
        self.ready_attempts: dict[str, int] = {}  # job id -> attempts when first seen ready
        self.job_rounds: dict[str, RoundResult] = {}
        self.transcode_seconds = 0.0
        self.current_round: RoundResult | None = None  # the round whose kills are being made
        self.server = ServerProcess(self.data_dir, self.env).start()
        self.session = Session(self.server.url, "chaos")

    # Killing and restarting ---------------------------------------------------------------

    def interrupted(
        self, delay: float, operation: Callable[[], Any], clock: threading.Event | None = None
    ) -> bool:
        """Run operation while the server is SIGKILLed `delay` seconds in (counted from when
        `clock` is set, if given), then restart it. True when the kill cut the operation short
        (it failed on the connection)."""
        clock = clock or threading.Event()
        killer = threading.Thread(target=self._kill_later, args=(delay, clock))
        killer.start()
        hit, error = False, None
        try:
            operation()
        except httpx.TransportError:
            hit = True
        except Exception as exc:  # re-raised once the server is back
            error = exc
        finally:
            clock.set()  # an operation that ended before its body started: kill anyway
        killer.join()
        self.reap_ffmpeg(self.current_round, "outlived the killed server")
        self.server = ServerProcess(self.data_dir, self.env).start()
        self.session.base = self.server.url
        if error is not None:
            raise error
        return hit

    def _kill_later(self, delay: float, clock: threading.Event) -> None:
        clock.wait()
        time.sleep(delay)
        self.server.kill()

    def pace(self) -> Pace:
        """A fresh pace for one upload that takes about options.upload_seconds."""
        return Pace(self.upload_rate)

    def reap_ffmpeg(self, result: RoundResult | None, why: str) -> Orphans:
        """ffmpeg still running under the data dir after the grace period: recorded, then
        killed (by pid) so that the next round starts clean."""
        wait_until(lambda: not ffmpeg_processes_under(self.data_dir), FFMPEG_GRACE_SECONDS)
        found = Orphans()
        for pid in ffmpeg_processes_under(self.data_dir):
            found.processes.add(f"ffmpeg {pid} {why}")
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        if result is not None:
            result.orphans = result.orphans | found
        return found

    def upload_kill_delay(self) -> float:
        low, high = self.options.upload_kill_window
        return self.rng.uniform(low, high) * self.options.upload_seconds

    def transcode_kill_delay(self) -> float:
        return self.rng.uniform(0.0, 1.0) * self.transcode_seconds

    # What the client knows ----------------------------------------------------------------

    def expect(self, video: dict[str, Any], data: bytes, result: RoundResult) -> None:
        """The client now believes this video exists, with these bytes, transcoded by its job."""
        self.known.videos[video["id"]] = sha256(data)
        self.known.jobs.add(video["jobId"])
        self.video_rounds[video["id"]] = result
        self.job_rounds[video["jobId"]] = result

    def settle(self) -> None:
        """Wait for every job to end (a failed job loses its video), then for the queue to
        empty (a message left after its job ended would count as an orphan)."""
        waiting = [j for j in self.known.jobs if j not in self.ready_attempts]
        for job_id, job in self.session.wait_for_jobs(waiting).items():
            if job["status"] == "ready":
                self.ready_attempts[job_id] = job["attempts"]
            else:
                detail = f"job {job_id} ended {job['status']}: {job.get('error')}"
                self.job_rounds[job_id].lost.append(detail)
                self.ready_attempts[job_id] = -1  # do not wait for it again
        self.session.wait_for_empty_queue()

    def calibrate(self) -> float:
        """Time one undisturbed encode (from `processing` to `ready`), to spread the transcode
        kills over its length."""
        resp = form_upload(self.session, "chaos calibration", "cal.mp4", self.transcode_data, None)
        resp.raise_for_status()
        video = resp.json()
        self.expect(video, self.transcode_data, RoundResult(0, "calibration"))
        self.session.wait_for_status(video["jobId"], {"processing"})
        started = time.monotonic()
        self.settle()
        self.transcode_seconds = time.monotonic() - started
        return self.transcode_seconds


def round_kinds(options: ChaosOptions, rng: random.Random) -> list[str]:
    """Each kind equally often, in a shuffled order (each block of len(kinds) has one of each)."""
    kinds: list[str] = []
    while len(kinds) < options.rounds:
        block = list(options.kinds)
        rng.shuffle(block)
        kinds += block
    return kinds[: options.rounds]


def run_chaos(work_dir: Path, ffmpeg: str, options: ChaosOptions, console: Console) -> ChaosResult:
    shutil.rmtree(work_dir / "var", ignore_errors=True)
    started = time.monotonic()
    chaos = Chaos(work_dir, ffmpeg, options)
    # A leftover counts when it is still there after the final stop; it is blamed on the round
    # after which it first appeared (a queue message deleted just after its job turned ready
    # may be seen once: it is no orphan).
    first_seen: dict[str, RoundResult] = {}
    results = []
    try:
        calibration = chaos.calibrate()
        console.print(
            f"upload {len(chaos.upload_data) / 1e6:.1f} MB in ~{options.upload_seconds:.1f} s; "
            f"one encode {calibration:.1f} s; data in {chaos.data_dir}"
        )
        for number, kind in enumerate(round_kinds(options, chaos.rng), start=1):
            result = RoundResult(number, kind)
            chaos.current_round = result
            round_started = time.monotonic()
            ROUNDS[kind](chaos, result)
            chaos.settle()
            found = orphans(chaos.settings, chaos.known)
            new = sorted((found.rows | found.objects) - first_seen.keys())
            first_seen.update(dict.fromkeys(new, result))
            result.seconds = time.monotonic() - round_started
            results.append(result)
            console.print(describe_round(result, [f"left over (so far): {n}" for n in new]))
        chaos.current_round = None
        _check_ready_once(chaos)
    finally:
        chaos.server.stop()
    after_stop = chaos.reap_ffmpeg(None, "outlived the stopped server")
    final = orphans(chaos.settings, chaos.known)
    for kind, blamed in (("rows", final.rows), ("objects", final.objects)):
        for leftover in blamed:
            owner = first_seen[leftover].orphans if leftover in first_seen else after_stop
            getattr(owner, kind).add(leftover)
    for video_id, sha in chaos.known.videos.items():
        for problem in video_problems(chaos.settings, video_id, sha):
            chaos.video_rounds[video_id].corrupt.append(f"video {video_id}: {problem}")
    return ChaosResult(
        rounds=results,
        after_stop=after_stop,
        calibration_seconds=calibration,
        seconds=time.monotonic() - started,
        problems_after_stop=_calibration_problems(chaos),
    )


def _check_ready_once(chaos: Chaos) -> None:
    """A job seen ready must still be ready, with no attempt added since (it never ran again)."""
    for job_id, attempts in chaos.ready_attempts.items():
        if attempts < 0:
            continue
        job = chaos.session.job(job_id)
        if job["status"] != "ready" or job["attempts"] != attempts:
            chaos.job_rounds[job_id].corrupt.append(
                f"job {job_id} was ready after {attempts} attempt(s), "
                f"now {job['status']} after {job['attempts']}"
            )


def _calibration_problems(chaos: Chaos) -> list[str]:
    calibration = [r for r in chaos.video_rounds.values() if r.kind == "calibration"]
    return [p for r in calibration for p in r.lost + r.corrupt]


def describe_round(result: RoundResult, more: Sequence[str] = ()) -> str:
    verdict = "ok" if result.ok and not more else "[bold red]PROBLEM[/]"
    hit = "hit mid-way" if result.hit else "missed"
    line = (
        f"round {result.number:2d} {result.kind:9s} kill at {result.kill_after:5.2f} s ({hit}), "
        f"{result.seconds:5.1f} s: {verdict}"
    )
    details = [*result.notes, *result.lost, *result.corrupt, *more]
    details += sorted(result.orphans.rows | result.orphans.objects | result.orphans.processes)
    return line + "".join(f"\n    {d}" for d in details)


def chaos_table(result: ChaosResult) -> Table:
    table = Table(title="Chaos: SIGKILL at a random moment, then restart (issue 10)")
    for name in COLUMNS:
        table.add_column(name, justify="left" if name == "kind" else "right")
    kinds = list(dict.fromkeys(r.kind for r in result.rounds))
    for kind in [*kinds, "all"]:
        rounds = [r for r in result.rounds if kind in (r.kind, "all")]
        extra = result.after_stop if kind == "all" else Orphans()
        table.add_row(
            kind,
            str(len(rounds)),
            str(sum(r.hit for r in rounds)),
            str(sum(bool(r.lost) for r in rounds)),
            str(sum(bool(r.corrupt) for r in rounds)),
            str(sum(len(r.orphans.rows) for r in rounds) + len(extra.rows)),
            str(sum(len(r.orphans.objects) for r in rounds) + len(extra.objects)),
            str(sum(len(r.orphans.processes) for r in rounds) + len(extra.processes)),
            f"{sum(r.ok for r in rounds)}/{len(rounds)}",
            f"{sum(r.seconds for r in rounds):.0f}",
        )
    return table


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--kinds", default=",".join(KINDS), help="comma-separated: " + ", ".join(KINDS)
    )
    parser.add_argument("--upload-seconds", type=float, default=2.0, help="time to send one upload")
    parser.add_argument("--tus-chunks", type=int, default=2, help="PATCH requests per tus upload")
    parser.add_argument("--transcode-clip-seconds", type=float, default=8.0)
    parser.add_argument("--work-dir", type=Path, default=DEFAULT_WORK_DIR)
    args = parser.parse_args(argv)
    kinds = [k.strip() for k in args.kinds.split(",") if k.strip()]
    if unknown := set(kinds) - set(KINDS):
        parser.error(f"unknown round kinds {sorted(unknown)}; choose among {', '.join(KINDS)}")
    options = ChaosOptions(
        rounds=args.rounds,
        seed=args.seed,
        kinds=kinds,
        upload_seconds=args.upload_seconds,
        tus_chunks=args.tus_chunks,
        transcode_clip_seconds=args.transcode_clip_seconds,
    )
    console = Console()
    if not console.is_terminal:
        console = Console(width=120)  # a file or pipe: wide enough for the table
    ffmpeg = find_ffmpeg(Settings())
    result = run_chaos(args.work_dir, ffmpeg, options, console)
    console.print(chaos_table(result))
    for line in sorted(
        result.after_stop.rows | result.after_stop.objects | result.after_stop.processes
    ):
        console.print(f"after the final stop: {line}")
    for problem in result.problems_after_stop:
        console.print(f"[bold red]{problem}[/]")
    for bad in (r for r in result.rounds if not r.ok):
        console.print(describe_round(bad))
    console.print(f"{len(result.rounds)} rounds in {result.seconds:.0f} s (seed {options.seed})")
    return 0 if result.clean else 1


if __name__ == "__main__":
    raise SystemExit(main())
