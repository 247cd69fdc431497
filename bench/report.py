"""The benchmark's numbers (plain dataclasses, saved as JSON) and its tables (rich)."""

from __future__ import annotations

from dataclasses import dataclass, field

from rich.table import Table

LABELS = {
    "videoforge": "VideoForge",
    "naive": "naive (1 ffmpeg/rung)",
    "handwritten": "hand-written",
}
# The targets.
MAX_VS_NAIVE = 0.65
MAX_VS_HANDWRITTEN = 1.05
MAX_FIRST_PLAYABLE = 5.0
# Scores closer than this count as equal (VMAF points; SSIM is scaled to match below).
QUALITY_TOLERANCE = {"vmaf": 0.5, "ssim": 0.002}


@dataclass
class WayResult:
    """One way of encoding one source."""

    wall: float
    cpu: float
    first_playable: float | None
    bitrate: dict[str, float]  # rendition name -> bit/s (audio included as "audio")
    quality: dict[str, float]  # rung name -> mean VMAF or SSIM
    steps: dict[str, tuple[float, float]] = field(default_factory=dict)  # naive: wall, cpu


@dataclass
class SourceResult:
    name: str
    description: str
    duration: float
    metric: str
    rungs: list[dict[str, object]]  # name, width, height, fps
    ways: dict[str, WayResult]


@dataclass(frozen=True)
class Target:
    source: str
    what: str
    measured: str
    goal: str
    met: bool


def _num(value: float | None, digits: int = 1) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def _quality(value: float | None, metric: str) -> str:
    return _num(value, 2 if metric == "vmaf" else 4)


def rung_table(result: SourceResult) -> Table:
    """Per rung: bit rate and quality of each way; time per process for the naive way."""
    metric = result.metric.upper()
    table = Table(title=f"{result.name}: {result.description}, {result.duration:g} s — per rung")
    table.add_column("rung")
    table.add_column("size")
    for key in result.ways:
        table.add_column(f"{LABELS[key]} kbit/s", justify="right")
        table.add_column(f"{LABELS[key]} {metric}", justify="right")
    if "naive" in result.ways:
        table.add_column("naive wall s / CPU s", justify="right")
    names = [str(r["name"]) for r in result.rungs] + ["audio"]
    for name in names:
        rung = next((r for r in result.rungs if r["name"] == name), None)
        size = f"{rung['width']}x{rung['height']}@{rung['fps']:g}" if rung else "AAC stereo"
        cells = [name, size]
        for way in result.ways.values():
            rate = way.bitrate.get(name)
            cells += [
                _num(rate / 1000 if rate else None, 0),
                _quality(way.quality.get(name), result.metric),
            ]
        if "naive" in result.ways:
            step = result.ways["naive"].steps.get(name)
            cells.append(f"{step[0]:.1f} / {step[1]:.1f}" if step else "—")
        table.add_row(*cells)
    return table


def summary_table(result: SourceResult) -> Table:
    """Per way: wall and CPU time, first playable segment, and VideoForge's time over it."""
    table = Table(title=f"{result.name}: whole ladder")
    for column in (
        "way",
        "wall s",
        "CPU s",
        "first playable s",
        "VideoForge ÷ this (wall)",
        "VideoForge ÷ this (CPU)",
        f"mean {result.metric.upper()}",
    ):
        table.add_column(column, justify="left" if column == "way" else "right")
    ours = result.ways.get("videoforge")
    for key, way in result.ways.items():
        scores = list(way.quality.values())
        table.add_row(
            LABELS[key],
            _num(way.wall),
            _num(way.cpu),
            _num(way.first_playable),
            _num(ours.wall / way.wall, 2) if ours else "—",
            _num(ours.cpu / way.cpu, 2) if ours else "—",
            _quality(sum(scores) / len(scores) if scores else None, result.metric),
        )
    return table


def targets(result: SourceResult) -> list[Target]:
    ways, found = result.ways, []
    ours, naive, hand = ways.get("videoforge"), ways.get("naive"), ways.get("handwritten")
    if ours and naive:
        ratio = ours.wall / naive.wall
        tolerance = QUALITY_TOLERANCE[result.metric]
        worst = min((ours.quality[n] - naive.quality[n] for n in ours.quality), default=0.0)
        found.append(
            Target(
                result.name,
                "wall vs naive",
                f"{ratio:.2f}x",
                f"<= {MAX_VS_NAIVE}x",
                ratio <= MAX_VS_NAIVE,
            )
        )
        found.append(
            Target(
                result.name,
                f"{result.metric.upper()} vs naive (worst rung)",
                f"{worst:+.3f}",
                f">= -{tolerance}",
                worst >= -tolerance,
            )
        )
    if ours and hand:
        ratio = ours.wall / hand.wall
        found.append(
            Target(
                result.name,
                "wall vs hand-written",
                f"{ratio:.2f}x",
                f"<= {MAX_VS_HANDWRITTEN}x",
                ratio <= MAX_VS_HANDWRITTEN,
            )
        )
    if ours:
        first = ours.first_playable
        found.append(
            Target(
                result.name,
                "first playable",
                f"{_num(first)} s",
                f"<= {MAX_FIRST_PLAYABLE:g} s",
                first is not None and first <= MAX_FIRST_PLAYABLE,
            )
        )
    return found


def targets_table(results: list[SourceResult]) -> Table:
    table = Table(title="Targets (issue 3)")
    for column in ("source", "target", "measured", "goal", "met"):
        table.add_column(column)
    for result in results:
        for target in targets(result):
            met = "[green]yes[/green]" if target.met else "[red]no[/red]"
            table.add_row(target.source, target.what, target.measured, target.goal, met)
    return table
