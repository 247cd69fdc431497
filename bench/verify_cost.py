"""What checking the ladder before "ready" costs (processor/verify.py), beside the encode.

    uv run python bench/verify_cost.py                    # a 10-s 720p30 clip, veryfast
    uv run python bench/verify_cost.py --seconds 60 --height 1080

Encodes a generated clip with VideoForge's planned command, then runs the checks the job runs
(complete the master, parse every playlist, decode the first and last segments of each
rendition) and prints the wall and CPU time (this process and its ffmpeg children) of both.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `bench` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from rich.console import Console
from rich.table import Table

from videoforge.config import Settings
from videoforge.media.plan import plan_hls
from videoforge.media.probe import probe
from videoforge.media.runner import run_ffmpeg
from videoforge.media.tools import find_ffmpeg
from videoforge.processor.ladder import choose_rungs
from videoforge.processor.verify import Ladder, complete_master, verify_ladder
from videoforge.testing.clips import make_clip


def timed(action: Callable[[], object]) -> tuple[float, float]:
    """(wall, CPU) seconds, ffmpeg children included."""

    def cpu() -> float:
        times = os.times()
        return times.user + times.system + times.children_user + times.children_system

    wall, used = time.perf_counter(), cpu()
    action()
    return time.perf_counter() - wall, cpu() - used


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--height", type=int, default=720)
    parser.add_argument("--preset", default="veryfast")
    args = parser.parse_args()
    width = args.height * 16 // 9
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        settings = Settings(data_dir=folder / "var", x264_preset=args.preset)
        ffmpeg = find_ffmpeg(settings)
        source = make_clip(
            ffmpeg, folder / "source.mp4", seconds=args.seconds, width=width, height=args.height,
            fps=30,
        )  # fmt: skip
        facts = probe(source)
        rungs = choose_rungs(facts, settings)
        out = folder / "hls"
        out.mkdir()
        argv = plan_hls(facts, rungs, settings, out, source=source, ffmpeg=ffmpeg)
        encode = timed(lambda: run_ffmpeg(argv))
        ladder = Ladder(rungs, has_audio=facts.default_audio is not None)

        def check() -> None:
            complete_master(out, ladder)
            verify_ladder(ffmpeg, out, ladder)

        verify = timed(check)
    title = (
        f"{args.seconds:g}-s {width}x{args.height}p30 clip, {args.preset}, "
        f"{len(ladder.renditions)} renditions ({', '.join(r.name for r in rungs)}, audio)"
    )
    table = Table(title=title)
    for column in ("step", "wall s", "CPU s", "÷ encode (wall / CPU)"):
        table.add_column(column, justify="left" if column == "step" else "right")
    table.add_row("encode (one ffmpeg, whole ladder)", *(f"{v:.2f}" for v in encode), "1 / 1")
    ratios = f"{verify[0] / encode[0]:.3f} / {verify[1] / encode[1]:.3f}"
    table.add_row("verify (master + every rendition)", *(f"{v:.2f}" for v in verify), ratios)
    Console().print(table)


if __name__ == "__main__":
    main()
