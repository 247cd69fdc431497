"""Load benchmark: a real `videoforge serve` under locust, beside the limits measured in the
same run (a bare ASGI app under the same uvicorn options, and Debian's nginx, both serving the
same segment bytes).

    uv run python bench/load.py                                   # about 7 minutes
    uv run python bench/load.py --seconds 5 --users 1,8 --mix-users 8 --json load.json

What it does:
1. Seeds a fresh data directory through the API of a server started on a free port: accounts,
   public videos made from a tiny generated clip (6 s, 640x360, transcoded with the default
   preset, ready), whose titles the searches look for. Then restarts the server without the
   processor role, so no transcoding runs during the measurements (the uploads made under load
   are received, probed and queued, not encoded).
2. Segment alone: locust users fetching one segment as fast as they can, at each users count,
   from VideoForge (through a signed media URL), the bare ASGI app and nginx, in turn.
3. The mix, on VideoForge only: viewers (gallery list and search, stream info, playlists,
   segments through the signed URLs stream info hands out, sign-in) and uploaders (a multipart
   upload, then a tus upload, in a loop).

The servers are pinned to one core and locust to the other (--server-cpus, --load-cpus), so
the load generator does not take CPU from the server it measures; the table reports the CPU
each used, and what other processes on the machine used meanwhile.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import posixpath
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

if __package__ in (None, ""):  # run as a script: make `bench` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import httpx
from rich.console import Console
from rich.table import Table

from bench.limits import INSTALL_HINT, Target, bare_asgi, nginx, nginx_binary
from videoforge.config import Settings
from videoforge.media.tools import find_ffmpeg
from videoforge.storage.layout import MASTER_PATH, VideoFiles
from videoforge.testing.api import PASSWORD, sign_in, upload, wait_for_job
from videoforge.testing.clips import make_clip
from videoforge.testing.server import FAST_ENV, ServerProcess

LOCUSTFILE = Path(__file__).resolve().parent / "load_users.py"
DEFAULT_WORK_DIR = Path(tempfile.gettempdir()) / "videoforge-load"
TITLES = [
    "Holiday in Lisbon", "Cats at home", "Mountain bike ride", "Cooking pasta",
    "Harbour at night", "Snow in the garden", "Jazz in the park", "Train to the coast",
]  # fmt: skip
# One word of each title, and one that matches nothing.
SEARCHES = ["lisbon", "cats", "bike", "pasta", "harbour", "snow", "jazz", "train", "volcano"]
MIX_KINDS = [
    "gallery list", "gallery search", "stream info", "playlist", "segment", "sign-in",
    "upload: form", "upload: tus create", "upload: tus PATCH",
]  # fmt: skip
# The processor's default preset for the seeded videos, so that segments have a usual size.
SEED_ENV = {**FAST_ENV, "VIDEOFORGE_X264_PRESET": "veryfast"}
SERVING_ROLES = "auth,gallery,streaming,gateway"  # every role but the processor
SERVERS = ["videoforge", "bare ASGI", "nginx"]
LOCUST_BOUND = 0.9


# -- results ---------------------------------------------------------------------------------


@dataclass
class Kind:
    """One request kind in one run: its throughput, latency and errors."""

    name: str
    requests: int
    rps: float
    p50: float | None
    p99: float | None
    errors: dict[str, int] = field(default_factory=dict)

    @property
    def real_errors(self) -> int:
        return self.errors.get("5xx", 0) + self.errors.get("connection", 0)


@dataclass
class Run:
    """One locust run against one server: every request kind, and all of them together."""

    server: str
    users: int
    seconds: float
    cpu: dict[str, float]
    kinds: dict[str, Kind]
    total: Kind


def summarise(server: str, users: int, raw: dict[str, Any]) -> Run:
    seconds = raw["seconds"]
    kinds = {
        name: measure(name, data["latencies_ms"], data["errors"], seconds)
        for name, data in raw["kinds"].items()
    }
    every = [t for data in raw["kinds"].values() for t in data["latencies_ms"]]
    errors: dict[str, int] = {}
    for kind in kinds.values():
        for what, count in kind.errors.items():
            errors[what] = errors.get(what, 0) + count
    return Run(server, users, seconds, raw["cpu"], kinds, measure("all", every, errors, seconds))


def measure(name: str, latencies: list[float], errors: dict[str, int], seconds: float) -> Kind:
    p50, p99 = percentiles(sorted(latencies))
    return Kind(name, len(latencies), len(latencies) / seconds, p50, p99, errors)


def percentiles(times: Sequence[float]) -> tuple[float | None, float | None]:
    if not times:
        return None, None
    if len(times) == 1:
        return times[0], times[0]
    cuts = statistics.quantiles(times, n=100, method="inclusive")
    return cuts[49], cuts[98]


# -- seeding ---------------------------------------------------------------------------------


@dataclass
class Seeded:
    accounts: list[tuple[str, str]]
    videos: list[dict[str, Any]]  # id, playlist and segment paths relative to the video folder


def seed(base: str, seed_clip: Path, *, videos: int, accounts: int) -> Seeded:
    """Accounts, and public videos that are ready (transcoded by the server's own workers)."""
    names = [f"load{i}" for i in range(accounts)]
    auth = [sign_in(base, name) for name in names]
    made = [
        upload(base, auth[i % accounts], seed_clip, title=TITLES[i % len(TITLES)])
        for i in range(videos)
    ]
    for i, video in enumerate(made):
        job = wait_for_job(base, auth[i % accounts], video["jobId"], {"ready", "failed"})
        if job["status"] != "ready":
            raise RuntimeError(f"seeding failed: video {video['id']} ended {job['status']}")
    return Seeded([(name, PASSWORD) for name in names], [renditions(base, v["id"]) for v in made])


def renditions(base: str, video_id: str) -> dict[str, Any]:
    """The top rendition's playlist and segments of a video, as paths inside its folder."""
    stream = httpx.get(f"{base}/api/stream/{video_id}").raise_for_status().json()
    master_url = urlsplit(stream["masterUrl"]).path
    media_base = master_url.removesuffix(MASTER_PATH)
    master = httpx.get(base + master_url).raise_for_status().text
    playlist = posixpath.join(posixpath.dirname(MASTER_PATH), uris(master)[0])
    media = httpx.get(base + media_base + playlist).raise_for_status().text
    folder = posixpath.dirname(playlist)
    segments = [posixpath.join(folder, uri) for uri in uris(media)]
    return {"id": video_id, "playlist": playlist, "segments": segments}


def uris(playlist: str) -> list[str]:
    return [line for line in playlist.splitlines() if line and not line.startswith("#")]


# -- the servers -----------------------------------------------------------------------------


# -- running locust --------------------------------------------------------------------------


@dataclass
class LoadSettings:
    seconds: float
    work: Path
    load_cpus: set[int] | None
    runs: int = 0


def run_locust(
    load: LoadSettings, target: Target, users: int, user_classes: list[str], plan: dict[str, Any]
) -> Run:
    """One headless locust run in its own process (on the load generator's cores)."""
    load.runs += 1
    plan_path = load.work / f"plan-{load.runs}.json"
    out = load.work / f"result-{load.runs}.json"
    plan = {**plan, "seconds": load.seconds, "cpu_pids": target.pids, "out": str(out)}
    plan_path.write_text(json.dumps(plan))
    # Every user starts within the first second; load_users.py measures from when all run and
    # stops locust after load.seconds. --run-time is only a bound, should that go wrong.
    command = [
        sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--headless",
        "-u", str(users), "-r", str(users), "-t", f"{load.seconds + 60:.0f}s",
        "--host", target.url, "--only-summary", "--exit-code-on-error", "0",
        "--loglevel", "WARNING", *user_classes,
    ]  # fmt: skip
    cpus = load.load_cpus
    env = {**os.environ, "VIDEOFORGE_LOAD_PLAN": str(plan_path)}
    with (load.work / f"locust-{load.runs}.log").open("wb") as log:
        subprocess.run(
            command,
            env=env,
            stdout=log,
            stderr=log,
            check=True,
            timeout=load.seconds + 120,
            preexec_fn=(lambda: os.sched_setaffinity(0, cpus)) if cpus else None,
        )
    return summarise(target.name, users, json.loads(out.read_text()))


# -- the table -------------------------------------------------------------------------------


def _ms(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:.2f}" if value < 10 else f"{value:.0f}"


def _rate(value: float) -> str:
    return f"{value:.0f}" if value >= 10 else f"{value:.1f}"


def _cpu(run: Run) -> str:
    cpu = run.cpu
    text = " / ".join(f"{cpu[k] * 100:.0f}" for k in ("server", "load generator", "others"))
    # Past 90 % of its core, locust is what limits the run, not the server.
    return text + (" (locust-bound)" if cpu["load generator"] >= LOCUST_BOUND else "")


def cpu_per_request(run: Run) -> float | None:
    """Server CPU milliseconds per request: what a request costs, however busy the machine."""
    return run.cpu["server"] * 1000 / run.total.rps if run.total.rps else None


def _ratio(ours: Run | None, other: Run | None) -> str:
    """Ours ÷ other in req/s, and how many times the other's CPU per request ours costs."""
    if ours is None or other is None or other.total.rps == 0:
        return ""
    text = f"{ours.total.rps / other.total.rps:.2f}"
    ours_cpu, other_cpu = cpu_per_request(ours), cpu_per_request(other)
    if ours_cpu and other_cpu:
        text += f" (CPU {ours_cpu / other_cpu:.1f}x)"
    return text


def _row(
    table: Table, what: str, run: Run, kind: Kind, whole_run: bool = False, *ratios: str
) -> None:
    """One row; the CPU columns only for rows that stand for the whole run."""
    per_request = cpu_per_request(run) if whole_run else None
    table.add_row(
        what,
        str(run.users),
        _rate(kind.rps),
        _ms(kind.p50),
        _ms(kind.p99),
        str(kind.real_errors),
        str(kind.errors.get("429", 0)),
        str(kind.errors.get("4xx", 0)),
        _cpu(run) if whole_run else "",
        _ms(per_request) if per_request is not None else "",
        *(ratios or ("", "")),
    )


def peak(runs: list[Run], server: str) -> Run | None:
    return max((r for r in runs if r.server == server), key=lambda r: r.total.rps, default=None)


def load_table(segment_runs: list[Run], mixes: list[Run], segment_bytes: int) -> Table:
    table = Table(
        title="Load: VideoForge beside a bare ASGI app and nginx serving the same segment",
        caption=(
            f"segment: {segment_bytes / 1024:.0f} KiB. req/s over the measured window; CPU in %"
            " of one core; ratios: ours ÷ theirs in req/s at the same users count (peak: each"
            " at its best), and in brackets ours ÷ theirs in server CPU per request"
        ),
    )
    columns = [
        "what", "users", "req/s", "p50 ms", "p99 ms", "5xx + conn. errors", "429", "other 4xx",
        "CPU % server / locust / others", "server CPU ms/req", "videoforge ÷ bare ASGI",
        "videoforge ÷ nginx",
    ]  # fmt: skip
    for column in columns:
        table.add_column(column, justify="left" if column == "what" else "right")

    def find(server: str, users: int) -> Run | None:
        return next((r for r in segment_runs if r.server == server and r.users == users), None)

    for run in segment_runs:
        ratios: tuple[str, ...] = ()
        if run.server == "videoforge":
            same_users = (find(other, run.users) for other in ("bare ASGI", "nginx"))
            ratios = tuple(_ratio(run, other) for other in same_users)
        _row(table, f"segment alone: {run.server}", run, run.total, True, *ratios)
    table.add_section()
    best = {server: peak(segment_runs, server) for server in SERVERS}
    for server, best_run in best.items():
        if best_run is not None:
            ratios = ()
            if server == "videoforge":
                ratios = (_ratio(best_run, best["bare ASGI"]), _ratio(best_run, best["nginx"]))
            _row(table, f"peak: {server}", best_run, best_run.total, True, *ratios)
    for mix in mixes:
        table.add_section()
        for name in MIX_KINDS:
            _row(table, f"mix: {name}", mix, mix.kinds.get(name, Kind(name, 0, 0.0, None, None)))
        _row(table, "mix: all", mix, mix.total, True)
    return table


# -- main ------------------------------------------------------------------------------------


def _cpu_set(text: str) -> set[int] | None:
    return {int(c) for c in text.split(",")} if text else None


def _counts(text: str) -> list[int]:
    return [int(count) for count in text.split(",")]


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=15, help="per segment-alone step")
    parser.add_argument("--users", type=_counts, default="1,4,16,64", help="segment alone")
    parser.add_argument("--mix-users", type=_counts, default="8,32", help="users in the mix")
    parser.add_argument("--mix-seconds", type=float, default=30, help="per mix step")
    parser.add_argument("--uploaders", type=int, default=2, help="of the mix's users")
    parser.add_argument("--videos", type=int, default=4, help="ready public videos to seed")
    parser.add_argument("--accounts", type=int, default=4)
    two_cores = (os.cpu_count() or 1) >= 2
    parser.add_argument(
        "--server-cpus", default="0" if two_cores else "", help="cores for the servers ('' any)"
    )
    parser.add_argument(
        "--load-cpus", default="1" if two_cores else "", help="cores for locust ('' any)"
    )
    parser.add_argument("--work-dir", type=Path, default=DEFAULT_WORK_DIR)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument(
        "--keep", action="store_true", help="keep the run's data and logs (kept anyway on failure)"
    )
    args = parser.parse_args(argv)
    if min(args.mix_users) <= args.uploaders:
        parser.error("every --mix-users count must exceed --uploaders (the rest are viewers)")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    console = Console(width=200)
    if nginx_binary() is None:
        console.print(INSTALL_HINT)
        return 2
    args.work_dir.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="run-", dir=args.work_dir))
    began, load_before = time.monotonic(), os.getloadavg()
    ffmpeg = find_ffmpeg(Settings())
    seed_clip = make_clip(ffmpeg, work / "seed.mp4", seconds=6, width=640, height=360)
    upload_clip = make_clip(ffmpeg, work / "upload.mp4", seconds=1, width=160, height=120)
    data = work / "var"
    with ServerProcess(data, SEED_ENV) as seeding:
        seeded = seed(seeding.url, seed_clip, videos=args.videos, accounts=args.accounts)
    console.print(f"seeded {args.videos} videos, {args.accounts} accounts in {work}")

    server_cpus, load_cpus = _cpu_set(args.server_cpus), _cpu_set(args.load_cpus)
    if server_cpus:
        os.sched_setaffinity(0, server_cpus)  # every server started from here inherits it
    load = LoadSettings(args.seconds, work, load_cpus)
    first = seeded.videos[0]
    segment_key = VideoFiles(first["id"]).key(first["segments"][0])
    store_dir = Settings(data_dir=data).store_dir
    segment_file = store_dir / segment_key
    with ExitStack() as stack:
        server = stack.enter_context(ServerProcess(data, FAST_ENV, "--roles", SERVING_ROLES))
        assert server.process is not None
        stream = httpx.get(f"{server.url}/api/stream/{first['id']}").raise_for_status().json()
        signed_segment = (
            urlsplit(stream["masterUrl"]).path.removesuffix(MASTER_PATH) + first["segments"][0]
        )
        targets = [
            Target("videoforge", server.url, signed_segment, [server.process.pid]),
            stack.enter_context(bare_asgi(segment_file, work)),
            stack.enter_context(nginx(store_dir, segment_key, work / "nginx")),
        ]
        segment_runs = []
        for users in args.users:
            for target in targets:
                plan = {"segment_path": target.segment_path}
                run = run_locust(load, target, users, ["SegmentFetcher"], plan)
                segment_runs.append(run)
                console.print(f"segment alone, {users:>3} users, {target.name:<10}: {_brief(run)}")
        mix_plan = {
            "videos": seeded.videos,
            "master_path": MASTER_PATH,
            "searches": SEARCHES,
            "accounts": seeded.accounts,
            "clip": str(upload_clip),
            "uploaders": args.uploaders,
        }
        load.seconds = args.mix_seconds
        mixes = []
        for users in args.mix_users:
            mixes.append(run_locust(load, targets[0], users, ["Viewer", "Uploader"], mix_plan))
            console.print(f"mix, {users:>3} users: {_brief(mixes[-1])}")

    elapsed, load_after = time.monotonic() - began, os.getloadavg()
    console.print(load_table(segment_runs, mixes, segment_file.stat().st_size))
    console.print(
        f"{os.cpu_count()} cores; servers on cores {args.server_cpus or 'any'}, locust on"
        f" {args.load_cpus or 'any'}; load average {load_before[0]:.1f} before,"
        f" {load_after[0]:.1f} after; {elapsed:.0f} s in all"
    )
    if args.json:
        figures = {
            "segment_bytes": segment_file.stat().st_size,
            "load_average": [load_before[0], load_after[0]],
            "runs": [dataclasses.asdict(r) for r in [*segment_runs, *mixes]],
        }
        args.json.write_text(json.dumps(figures, indent=1))
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 0


def _brief(run: Run) -> str:
    return f"{run.total.rps:7.0f} req/s, CPU % server / locust / others {_cpu(run)}"


if __name__ == "__main__":
    sys.exit(main())
