"""The three ways the benchmark encodes a source, all with the same encoder settings per rung.

- `videoforge`: the processor's own plan (`plan_hls`: one decode, split + scale, every rung and
  the master playlist from one ffmpeg), run by the processor's runner.
- `naive`: one ffmpeg per rendition, each decoding the source again, one after another (how
  MediaCMS and PeerTube work). Each is `plan_hls` for that one rung, so the settings match.
- `handwritten`: one ffmpeg written out by hand (split + scale, every rung) into plain MP4
  files, without HLS muxing: the floor for these settings.

Wall time is measured around the encode only; CPU time is the user + system time of the
finished child processes (`resource.getrusage(RUSAGE_CHILDREN)`).
"""

from __future__ import annotations

import dataclasses
import resource
import shutil
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from videoforge.config import Settings
from videoforge.media import hls
from videoforge.media.facts import ProbeResult
from videoforge.media.h264 import PROFILE, level_for
from videoforge.media.plan import base_args, keyframe_interval, plan_hls
from videoforge.media.rung import AUDIO_BITRATE, AUDIO_NAME, Rung
from videoforge.media.runner import run_ffmpeg
from videoforge.storage.layout import MASTER_NAME, PLAYLIST_NAME

POLL_SECONDS = 0.05


@dataclass
class Encoded:
    """What one way of encoding produced and what it cost."""

    wall: float  # seconds
    cpu: float  # seconds, all ffmpeg processes together
    files: dict[str, list[Path]]  # rung name -> the files of that rendition (init first)
    first_playable: float | None = None  # seconds from start until a player could start
    steps: dict[str, tuple[float, float]] = field(default_factory=dict)  # naive: name -> wall, cpu


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _timed_ffmpeg(argv: list[str], duration: float) -> tuple[float, float]:
    """Run one ffmpeg; return its wall and CPU seconds."""
    cpu, started = _children_cpu(), time.monotonic()
    run_ffmpeg(argv, duration=duration)
    return time.monotonic() - started, _children_cpu() - cpu


def _fresh(folder: Path) -> Path:
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder


def hls_files(out_dir: Path, name: str) -> list[Path]:
    """A rendition's init file and segments in playlist order."""
    playlist = (out_dir / name / PLAYLIST_NAME).read_text()
    uris = [line.split('"')[1] for line in playlist.splitlines() if "EXT-X-MAP" in line]
    uris += [line for line in playlist.splitlines() if line and not line.startswith("#")]
    return [out_dir / name / uri for uri in uris]


def first_segments_ready(out_dir: Path) -> bool:
    """The master playlist exists and every playlist it names lists a segment that exists."""
    master = out_dir / MASTER_NAME
    if not master.is_file():
        return False
    uris = hls.parse_master(master.read_text()).playlist_uris
    for uri in uris:
        playlist = out_dir / uri
        first = hls.first_segment_uri(playlist.read_text()) if playlist.is_file() else None
        if first is None or not (playlist.parent / first).is_file():
            return False
    return bool(uris)


def _watch(out_dir: Path, started: float, done: threading.Event, seen: list[float]) -> None:
    while not done.is_set():
        if first_segments_ready(out_dir):
            seen.append(time.monotonic() - started)
            return
        time.sleep(POLL_SECONDS)


def run_videoforge(
    probe: ProbeResult,
    rungs: list[Rung],
    settings: Settings,
    source: Path,
    out_dir: Path,
    ffmpeg: str,
) -> Encoded:
    out_dir = _fresh(out_dir)
    argv = plan_hls(probe, rungs, settings, out_dir, source=source, ffmpeg=ffmpeg)
    done, seen = threading.Event(), list[float]()
    watcher = threading.Thread(
        target=_watch, args=(out_dir, time.monotonic(), done, seen), daemon=True
    )
    watcher.start()
    wall, cpu = _timed_ffmpeg(argv, probe.duration)
    done.set()
    watcher.join()
    if not seen and first_segments_ready(out_dir):
        seen.append(wall)  # the encode ended between two looks: playable at the latest by then
    names = [r.name for r in rungs] + ([AUDIO_NAME] if probe.has_audio else [])
    files = {name: hls_files(out_dir, name) for name in names}
    return Encoded(wall, cpu, files, first_playable=seen[0] if seen else None)


def run_naive(
    probe: ProbeResult,
    rungs: list[Rung],
    settings: Settings,
    source: Path,
    out_dir: Path,
    ffmpeg: str,
) -> Encoded:
    """Audio, then the top rung (after which PeerTube publishes), then the others."""
    out_dir = _fresh(out_dir)
    video_only = dataclasses.replace(probe, audio_tracks=())
    jobs: list[tuple[str, ProbeResult, list[Rung]]] = []
    if probe.has_audio:
        jobs.append((AUDIO_NAME, probe, []))
    jobs += [(rung.name, video_only, [rung]) for rung in rungs]
    cpu_start, started = _children_cpu(), time.monotonic()
    steps: dict[str, tuple[float, float]] = {}
    files: dict[str, list[Path]] = {}
    published = None
    for name, facts, rendition in jobs:
        step_dir = _fresh(out_dir / name)
        argv = plan_hls(facts, rendition, settings, step_dir, source=source, ffmpeg=ffmpeg)
        steps[name] = _timed_ffmpeg(argv, probe.duration)
        files[name] = hls_files(step_dir, name)
        if rungs and name == rungs[0].name:
            published = time.monotonic() - started
    wall, cpu = time.monotonic() - started, _children_cpu() - cpu_start
    return Encoded(wall, cpu, files, first_playable=published, steps=steps)


def handwritten_argv(
    probe: ProbeResult,
    rungs: list[Rung],
    settings: Settings,
    source: Path,
    out_dir: Path,
    ffmpeg: str,
) -> list[str]:
    """The reference command, spelled out: one decode, split, scale, an encoder per rung."""
    split = f"[0:v]split={len(rungs)}" + "".join(f"[s{i}]" for i in range(len(rungs)))
    chains = [split] + [
        f"[s{i}]"
        + (f"fps={r.fps_limit}," if r.fps_limit else "")
        + f"scale={r.width}:{r.height},setsar=1,format=yuv420p[v{i}]"
        for i, r in enumerate(rungs)
    ]
    argv = [*base_args(ffmpeg), "-i", str(source), "-filter_complex", ";".join(chains)]
    for i, rung in enumerate(rungs):
        gop = str(keyframe_interval(rung, probe, settings, copying=False))
        level = level_for(rung.width, rung.height, rung.fps or 30.0, rung.maxrate)
        argv += [
            *("-map", f"[v{i}]", "-an", "-c:v", "libx264", "-preset", settings.x264_preset),
            *("-crf", str(rung.crf), "-maxrate", str(rung.maxrate)),
            *("-bufsize", str(rung.bufsize), "-profile:v", PROFILE, "-level:v", level),
            *("-g", gop, "-keyint_min", gop, "-sc_threshold", "0", "-flags", "+cgop"),
            *("-force_key_frames", f"expr:gte(t,n_forced*{settings.keyframe_seconds})"),
            str(out_dir / f"{rung.name}.mp4"),
        ]
    if probe.has_audio:
        argv += ["-map", "0:a:0", "-vn", "-c:a", "aac", "-b:a", str(AUDIO_BITRATE), "-ac", "2"]
        argv += [str(out_dir / f"{AUDIO_NAME}.m4a")]
    return argv


def run_handwritten(
    probe: ProbeResult,
    rungs: list[Rung],
    settings: Settings,
    source: Path,
    out_dir: Path,
    ffmpeg: str,
) -> Encoded:
    out_dir = _fresh(out_dir)
    argv = handwritten_argv(probe, rungs, settings, source, out_dir, ffmpeg)
    wall, cpu = _timed_ffmpeg(argv, probe.duration)
    files = {r.name: [out_dir / f"{r.name}.mp4"] for r in rungs}
    if probe.has_audio:
        files[AUDIO_NAME] = [out_dir / f"{AUDIO_NAME}.m4a"]
    return Encoded(wall, cpu, files)


PIPELINES = {
    "videoforge": run_videoforge,
    "naive": run_naive,
    "handwritten": run_handwritten,
}
