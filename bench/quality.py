"""Bit rate and quality of each rendition, measured by ffmpeg against the source.

Quality is VMAF (libvmaf, default model) or SSIM at the source's display size: each rendition
is upscaled with bicubic, as a player on a full-size screen would. To keep it cheap, one frame
in `every` is compared (selected before scaling, on both sides, after the rung's own frame rate
change, so the same frames meet). All rungs of one way are scored in one ffmpeg (one decode of
the source). VMAF's motion feature then sees frames `every` apart: compare scores with each
other, not with published VMAF figures. Synthetic sources make poor quality judges anyway.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from videoforge.media.facts import ProbeResult
from videoforge.media.plan import base_args
from videoforge.media.rung import Rung

METRICS = ("vmaf", "ssim")


def bitrate(files: list[Path], duration: float) -> float:
    """Bits per second of a rendition: all its files (init, segments or one MP4)."""
    return sum(f.stat().st_size for f in files) * 8 / duration


def joined(files: list[Path], dest: Path) -> Path:
    """One playable file: an fMP4 init file followed by its segments is a valid MP4."""
    if len(files) == 1:
        return files[0]
    with dest.open("wb") as out:
        for part in files:
            with part.open("rb") as handle:
                shutil.copyfileobj(handle, out)
    return dest


def score_rungs(
    ffmpeg: str,
    probe: ProbeResult,
    source: Path,
    rungs: list[Rung],
    renditions: dict[str, Path],
    work_dir: Path,
    *,
    metric: str = "vmaf",
    every: int = 30,
) -> dict[str, float]:
    """Mean VMAF (0..100) or SSIM (0..1) of each rung against the source."""
    if metric not in METRICS:
        raise ValueError(f"metric must be one of {', '.join(METRICS)}")
    width, height = probe.display_size or (rungs[0].width, rungs[0].height)
    pick = f"select=not(mod(n\\,{every})),setpts=N/TB"
    chains = [f"[0:v]split={len(rungs)}" + "".join(f"[r{i}]" for i in range(len(rungs)))]
    argv = [*base_args(ffmpeg), "-i", str(source)]
    logs = []
    for i, rung in enumerate(rungs):
        argv += ["-i", str(renditions[rung.name])]
        rate = f"fps={rung.fps_limit}," if rung.fps_limit else ""
        log = work_dir / f"{metric}-{rung.name}.log"
        logs.append(log)
        compare = (
            f"libvmaf=n_threads=2:log_fmt=json:log_path={log}"
            if metric == "vmaf"
            else f"ssim=stats_file={log}"
        )
        chains += [
            f"[r{i}]{rate}{pick},format=yuv420p[ref{i}]",
            f"[{i + 1}:v]{pick},scale={width}:{height}:flags=bicubic,format=yuv420p[dis{i}]",
            f"[dis{i}][ref{i}]{compare}[m{i}]",
        ]
    argv += ["-filter_complex", ";".join(chains)]
    for i in range(len(rungs)):
        argv += ["-map", f"[m{i}]", "-f", "null", "-"]
    subprocess.run(argv, check=True, capture_output=True)
    read = _vmaf if metric == "vmaf" else _ssim
    return {rung.name: read(log) for rung, log in zip(rungs, logs, strict=True)}


def _vmaf(log: Path) -> float:
    return float(json.loads(log.read_text())["pooled_metrics"]["vmaf"]["mean"])


def _ssim(log: Path) -> float:
    values = [
        float(part.partition(":")[2])
        for line in log.read_text().splitlines()
        for part in line.split()
        if part.startswith("All:")
    ]
    return sum(values) / len(values)
