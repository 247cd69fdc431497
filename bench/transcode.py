"""Transcoding benchmark: VideoForge's single-process ladder against one ffmpeg per rendition
(MediaCMS, PeerTube) and against a hand-written single ffmpeg command, on generated sources.

    uv run python bench/transcode.py                       # defaults: both sources, 60 s each
    uv run python bench/transcode.py --duration 20 --preset ultrafast --sources fractal-720p60
    uv run python bench/transcode.py --json bench/results.json

Prints, per source, bit rate and quality per rung, wall and CPU time per way, time to the first
playable segment, VideoForge's time as a ratio of the others', and the issue's targets.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `bench` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from rich.console import Console

from bench.pipelines import PIPELINES
from bench.quality import METRICS, bitrate, joined, score_rungs
from bench.report import SourceResult, WayResult, rung_table, summary_table, targets_table
from bench.sources import SOURCES, SourceSpec, frame_size, make_source
from videoforge.config import Settings
from videoforge.media.probe import probe
from videoforge.media.tools import find_ffmpeg
from videoforge.processor.ladder import choose_rungs

DEFAULT_WORK_DIR = Path(tempfile.gettempdir()) / "videoforge-bench"


def bench_source(
    ffmpeg: str,
    spec: SourceSpec,
    settings: Settings,
    work_dir: Path,
    *,
    seconds: float,
    metric: str = "vmaf",
    ways: Sequence[str] = tuple(PIPELINES),
    size: tuple[int, int] | None = None,
    every: int | None = None,
) -> SourceResult:
    """Encode one generated source every way asked, then measure what each produced."""
    source = make_source(ffmpeg, spec, seconds, work_dir / "sources", size=size)
    facts = probe(source)
    rungs = choose_rungs(facts, settings)
    results = {}
    for way in ways:
        out_dir = work_dir / spec.name / way
        encoded = PIPELINES[way](facts, rungs, settings, source, out_dir, ffmpeg)
        files = {
            name: joined(parts, out_dir / f"{name}.joined.mp4")
            for name, parts in encoded.files.items()
        }
        scores = score_rungs(
            ffmpeg,
            facts,
            source,
            rungs,
            files,
            out_dir,
            metric=metric,
            every=every or max(1, round(facts.fps or 30)),
        )
        results[way] = WayResult(
            wall=encoded.wall,
            cpu=encoded.cpu,
            first_playable=encoded.first_playable,
            bitrate={n: bitrate(parts, facts.duration) for n, parts in encoded.files.items()},
            quality=scores,
            steps=encoded.steps,
        )
    described = [
        {"name": r.name, "width": r.width, "height": r.height, "fps": r.fps or 0.0} for r in rungs
    ]
    return SourceResult(spec.name, spec.description, facts.duration, metric, described, results)


def _arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    defaults = Settings()
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=60.0, help="seconds per source")
    parser.add_argument("--preset", default=defaults.x264_preset, help="x264 preset")
    parser.add_argument(
        "--sources", default=",".join(SOURCES), help=f"comma-separated, from {', '.join(SOURCES)}"
    )
    parser.add_argument(
        "--ways", default=",".join(PIPELINES), help=f"comma-separated, from {', '.join(PIPELINES)}"
    )
    parser.add_argument("--metric", choices=METRICS, default="vmaf")
    parser.add_argument("--every", type=int, help="score one frame in N (default: 1 a second)")
    parser.add_argument(
        "--threads",
        type=int,
        default=defaults.ffmpeg_threads,
        help="VIDEOFORGE_FFMPEG_THREADS (0: ffmpeg chooses)",
    )
    parser.add_argument("--segment-seconds", type=int, default=defaults.segment_seconds)
    parser.add_argument("--size", type=frame_size, help="WxH instead of each source's own size")
    parser.add_argument(
        "--work-dir",
        type=Path,
        default=DEFAULT_WORK_DIR,
        help="sources are kept here for later runs",
    )
    parser.add_argument("--json", type=Path, help="also write the raw numbers here")
    parser.add_argument("--width", type=int, help="table width in characters")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = _arguments(argv)
    settings = Settings(
        x264_preset=args.preset, ffmpeg_threads=args.threads, segment_seconds=args.segment_seconds
    )
    ffmpeg = find_ffmpeg(settings)
    console = Console(width=args.width)
    ways = [w.strip() for w in args.ways.split(",") if w.strip()]
    names = [s.strip() for s in args.sources.split(",") if s.strip()]
    unknown = [n for n in names if n not in SOURCES] + [w for w in ways if w not in PIPELINES]
    if unknown:
        console.print(f"[red]unknown source or way: {', '.join(unknown)}[/red]")
        return 2
    console.print(
        f"preset {settings.x264_preset}, segments {settings.segment_seconds} s, "
        f"threads {settings.ffmpeg_threads or 'auto'}, {args.duration:g} s per source, "
        f"quality {args.metric}"
    )
    results = []
    for name in names:
        with console.status(f"{name}: encoding {', '.join(ways)}"):
            result = bench_source(
                ffmpeg,
                SOURCES[name],
                settings,
                args.work_dir,
                seconds=args.duration,
                metric=args.metric,
                ways=ways,
                size=args.size,
                every=args.every,
            )
        results.append(result)
        console.print(rung_table(result))
        console.print(summary_table(result))
    console.print(targets_table(results))
    if args.json:
        args.json.write_text(json.dumps([dataclasses.asdict(r) for r in results], indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
