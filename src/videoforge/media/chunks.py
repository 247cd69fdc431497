"""Splitting one video into chunks that any worker can encode, stitched later without re-encoding.

A chunk is a time range whose length is a whole number of segments, so its cuts fall on the
keyframe grid every rung already has. A chunk job is today's ladder command (`plan_hls`, one
decode, every rung, identical x264 settings) for the video only, with an accurate seek to the
chunk's range and timestamps that continue the whole video's timeline:

- `-ss S -t L` before the input: accurate seek (frame-exact, even without a source keyframe);
- `-output_ts_offset`: the chunk's place on the timeline; `-avoid_negative_ts disabled` keeps
  chunk 0 from being shifted by the B-frame delay;
- `movflags=+frag_discont`: each fragment's tfdt carries the offset (without it every chunk's
  tfdt restarts at 0 and the offset hides in an edit list);
- `-start_number`: segment numbers continue, so names are unique across chunks.

The audio is encoded once for the whole file (AAC per chunk overlaps at every join by its
priming). See TRANSCODING.md, "Splitting one video across workers"; `stitch.py` joins the parts.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from videoforge.config import Settings
from videoforge.media.facts import ProbeResult
from videoforge.media.plan import AUDIO_RATES, plan_hls
from videoforge.media.rung import Rung
from videoforge.media.runner import encode_timeout, run_ffmpeg
from videoforge.media.tools import find_ffmpeg

# The native AAC encoder's delay. In the one-process encode the muxer shifts every stream by it
# (the audio's first packet is at -1024 samples), so the video starts that much after the audio;
# chunk jobs carry no audio, so their offset adds it to keep the A/V offset unchanged.
AAC_PRIMING_SAMPLES = 1024


@dataclass(frozen=True)
class Chunk:
    index: int
    start: float  # seconds on the whole video's timeline
    end: float  # the last chunk ends at the video's duration
    first_segment: int  # the number of its first segment (seg_%05d), 1 for chunk 0
    last: bool  # the last chunk reads to the end of the source (no -t)

    @property
    def duration(self) -> float:
        return self.end - self.start


@dataclass(frozen=True)
class ChunkFloor:
    """At least `count` chunks, as long as each stays at least `seconds` long: a 10-minute
    video cut at the target length alone makes too few chunks to keep many workers busy."""

    count: int = 1
    seconds: float = 0.0

    @classmethod
    def from_settings(cls, settings: Settings) -> ChunkFloor:
        return cls(settings.chunk_min_count, settings.chunk_min_seconds)

    def chunks_for(self, duration: float) -> int:
        if self.seconds <= 0:
            return self.count
        return min(self.count, int(duration // self.seconds))


def segment_count(duration: float, segment_seconds: float) -> int:
    """How many segments a video of this duration has (the last may be shorter)."""
    if duration <= 0 or segment_seconds <= 0:
        raise ValueError("the duration and segment length must be positive")
    # A remainder under a millisecond is rounding noise of the duration, not a segment.
    return max(1, math.ceil((duration - 1e-3) / segment_seconds))


def chunk_sizes(
    duration: float, segment_seconds: float, chunk_seconds: float, floor: ChunkFloor = ChunkFloor()
) -> list[int]:
    """Segments per chunk: about `chunk_seconds` each (at least one segment), more and shorter
    chunks where the floor asks, balanced so that none is a short remainder (longer first, as
    the first taken finish last)."""
    if chunk_seconds <= 0:
        raise ValueError("the chunk length must be positive")
    segments = segment_count(duration, segment_seconds)
    per_chunk = max(1, round(chunk_seconds / segment_seconds))
    count = max(1, math.ceil(segments / per_chunk), floor.chunks_for(duration))
    count = min(count, segments)
    base, longer = divmod(segments, count)
    return [base + 1] * longer + [base] * (count - longer)


def lay_out_chunks(sizes: Sequence[int], segment_seconds: float, duration: float) -> list[Chunk]:
    """The chunks of these sizes (in segments) on the timeline; the last ends at the duration."""
    chunks, first = [], 0
    for index, size in enumerate(sizes):
        last = index == len(sizes) - 1
        end = duration if last else (first + size) * segment_seconds
        chunks.append(Chunk(index, first * segment_seconds, end, first + 1, last))
        first += size
    return chunks


def plan_chunks(
    duration: float, segment_seconds: float, chunk_seconds: float, floor: ChunkFloor = ChunkFloor()
) -> list[Chunk]:
    """`chunk_sizes` laid out on the timeline; a video no longer than one chunk is one chunk."""
    sizes = chunk_sizes(duration, segment_seconds, chunk_seconds, floor)
    return lay_out_chunks(sizes, segment_seconds, duration)


def chunk_dir(parts_dir: Path, chunk: Chunk) -> Path:
    """Where one chunk job writes: `{rung}/init_*.mp4`, `{rung}/seg_*.m4s`, playlists, a master."""
    return parts_dir / f"chunk_{chunk.index:05d}"


def audio_dir(parts_dir: Path) -> Path:
    """Where the audio job writes (`audio/index.m3u8` and its files, an audio-only master)."""
    return parts_dir / "whole_audio"


def timeline_offset(probe: ProbeResult) -> float:
    """Where the video starts on the one-process encode's timeline (see AAC_PRIMING_SAMPLES)."""
    audio = probe.default_audio
    if audio is None:
        return 0.0
    rate = audio.sample_rate if audio.sample_rate in AUDIO_RATES else 48000
    return AAC_PRIMING_SAMPLES / rate


def plan_chunk(
    probe: ProbeResult,
    rungs: list[Rung],
    settings: Settings,
    chunk: Chunk,
    out_dir: Path,
    *,
    source: Path,
    ffmpeg: str | None = None,
) -> list[str]:
    """argv of the ffmpeg encoding every rung of one chunk into `out_dir/{rung}/` (no audio)."""
    if not rungs:
        raise ValueError("a chunk job needs video rungs")
    if any(rung.copy for rung in rungs):
        # A copied stream can only be cut at the source's own keyframes, which need not fall
        # on the chunk grid: encode every rung (or do not split) for such sources.
        raise ValueError("a copied rung cannot be split into chunks")
    video_only = dataclasses.replace(probe, audio_tracks=())
    argv = plan_hls(video_only, rungs, settings, out_dir, source=source, ffmpeg=ffmpeg)
    # plan_hls is the one home of the ladder options; only the input range, the segment
    # numbering and the timeline placement change here.
    seek = ["-ss", _seconds(chunk.start)]
    if not chunk.last:
        seek += ["-t", _seconds(chunk.duration)]
    at_input = argv.index("-i")
    argv[at_input:at_input] = seek
    argv[argv.index("-start_number") + 1] = str(chunk.first_segment)
    placement = [
        *("-output_ts_offset", _seconds(chunk.start + timeline_offset(probe))),
        *("-avoid_negative_ts", "disabled"),
        *("-hls_segment_options", "movflags=+frag_discont"),
    ]
    return argv[:-1] + placement + argv[-1:]


def plan_audio(
    probe: ProbeResult,
    settings: Settings,
    out_dir: Path,
    *,
    source: Path,
    ffmpeg: str | None = None,
) -> list[str]:
    """argv of the ffmpeg encoding the whole file's audio once into `out_dir/audio/`."""
    if probe.default_audio is None:
        raise ValueError("the source has no audio")
    return plan_hls(probe, [], settings, out_dir, source=source, ffmpeg=ffmpeg)


def encode_chunk(
    probe: ProbeResult,
    rungs: list[Rung],
    settings: Settings,
    chunk: Chunk,
    parts_dir: Path,
    *,
    source: Path,
) -> Path:
    """Run one chunk job; return its directory."""
    out_dir = chunk_dir(parts_dir, chunk)
    out_dir.mkdir(parents=True, exist_ok=True)
    argv = plan_chunk(
        probe, rungs, settings, chunk, out_dir, source=source, ffmpeg=find_ffmpeg(settings)
    )
    run_ffmpeg(argv, duration=chunk.duration, timeout=encode_timeout(chunk.duration))
    return out_dir


def encode_audio(probe: ProbeResult, settings: Settings, parts_dir: Path, *, source: Path) -> Path:
    """Run the audio job; return its directory."""
    out_dir = audio_dir(parts_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    argv = plan_audio(probe, settings, out_dir, source=source, ffmpeg=find_ffmpeg(settings))
    run_ffmpeg(argv, duration=probe.duration, timeout=encode_timeout(probe.duration))
    return out_dir


def _seconds(value: float) -> str:
    return f"{value:.6f}"
