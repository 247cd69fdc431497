"""Probing with PyAV: open the container, read the streams' facts, decode one video frame.

Decoding the first frame proves the video is readable and tells what only frames carry (the
display matrix, interlacing). It is skipped when the stated picture size is absurd, so that a
decompression bomb is refused by `checks.check_limits` before any memory is spent on it.
Stream indexes (`video_index`, `AudioTrack.index`) are container indexes, ffmpeg's `0:N`.
"""

from __future__ import annotations

import dataclasses
import itertools
from fractions import Fraction
from pathlib import Path

import av
from av.audio.stream import AudioStream
from av.container import InputContainer
from av.stream import Disposition
from av.video.format import VideoFormat
from av.video.frame import VideoFrame
from av.video.stream import VideoStream

from videoforge.media.errors import NotAVideo
from videoforge.media.facts import AudioTrack, ProbeResult
from videoforge.media.limits import within_picture_limits
from videoforge.media.still_picture import is_picture_format

NOT_MEDIA = "This file is not a video or audio file we can read."
EMPTY = "This file is empty."
PICTURE = "This file is a still picture, not a video."
CUT_OFF = "This file is incomplete (it seems cut off); upload the whole file again."
UNDECODABLE = "The video in this file is damaged or in a form we cannot decode."

# AVFieldOrder values that mean interlaced (TT, BB, TB, BT); 0 is unknown, 1 progressive.
_INTERLACED_FIELD_ORDERS = {2, 3, 4, 5}


def probe_with_pyav(path: Path) -> ProbeResult:
    """Read the file's facts. Raises NotAVideo with a reason a person understands."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise NotAVideo(NOT_MEDIA) from exc
    if size == 0:
        raise NotAVideo(EMPTY)
    try:
        container = av.open(str(path), metadata_errors="replace")
    except (av.FFmpegError, OSError, UnicodeDecodeError) as exc:
        raise NotAVideo(NOT_MEDIA) from exc
    if not isinstance(container, InputContainer):  # pragma: no cover - av.open with mode "r"
        raise NotAVideo(NOT_MEDIA)
    with container:
        return _read(container, size)


def _read(container: InputContainer, size: int) -> ProbeResult:
    video = _main_video_stream(container)
    audio = [s for s in container.streams.audio if isinstance(s, AudioStream)]
    if video is None and not audio:
        raise NotAVideo(NOT_MEDIA)
    if video is not None and is_picture_format(container.format.name):
        raise NotAVideo(PICTURE)
    if _cut_off(container, size):
        raise NotAVideo(CUT_OFF)
    duration = _duration(container)
    tracks = tuple(_audio_track(s) for s in audio)
    bit_rate = container.bit_rate or (round(size * 8 / duration) if duration > 0 else None)
    result = ProbeResult(
        container=container.format.name,
        duration=duration,
        size_bytes=size,
        bit_rate=bit_rate or None,
        audio_tracks=_with_one_default(tracks),
    )
    if video is None:
        return result
    return _with_video(result, container, video, audio)


def _main_video_stream(container: InputContainer) -> VideoStream | None:
    """The first video stream that is not cover art."""
    for stream in container.streams.video:
        if not stream.disposition & Disposition.attached_pic:
            return stream
    return None


def _cut_off(container: InputContainer, size: int) -> bool:
    """True when the container's index points past the end of the file (MP4/MOV whose upload
    was cut short); formats without an up-front index cannot be told this way."""
    for stream in container.streams:
        entries = stream.index_entries
        if entries is not None and len(entries):
            last = entries[len(entries) - 1]
            if last.pos + last.size > size:
                return True
    return False


def _duration(container: InputContainer) -> float:
    if container.duration and container.duration > 0:
        return container.duration / av.time_base
    longest = 0.0
    for stream in container.streams:
        if stream.duration and stream.time_base:
            longest = max(longest, float(stream.duration * stream.time_base))
    return longest


def _audio_track(stream: AudioStream) -> AudioTrack:
    codec = stream.codec_context
    return AudioTrack(
        index=stream.index,
        codec=codec.codec.canonical_name,
        channels=codec.channels,
        sample_rate=codec.sample_rate,
        default=bool(stream.disposition & Disposition.default),
        language=stream.language if stream.language not in (None, "und") else None,
    )


def _with_one_default(tracks: tuple[AudioTrack, ...]) -> tuple[AudioTrack, ...]:
    """Keep the container's default flags, but when none is flagged the first track is it."""
    if not tracks or any(t.default for t in tracks):
        return tracks
    return (dataclasses.replace(tracks[0], default=True), *tracks[1:])


def _with_video(
    result: ProbeResult, container: InputContainer, stream: VideoStream, audio: list[AudioStream]
) -> ProbeResult:
    codec = stream.codec_context
    width, height = codec.width, codec.height
    sar = stream.sample_aspect_ratio or codec.sample_aspect_ratio
    fps = stream.average_rate or stream.guessed_rate
    frame = None
    if within_picture_limits(width, height):
        frame = _first_frame(container, stream)
    rotation = _rotation(frame, stream)
    return ProbeResult(
        container=result.container,
        duration=result.duration,
        size_bytes=result.size_bytes,
        bit_rate=result.bit_rate,
        video_codec=codec.codec.canonical_name,
        width=width,
        height=height,
        rotation=rotation,
        sar=(sar.numerator, sar.denominator) if sar else (1, 1),
        fps=float(fps) if fps else None,
        variable_frame_rate=_variable(stream),
        pix_fmt=codec.pix_fmt,
        bit_depth=_bit_depth(codec.pix_fmt),
        profile=stream.profile or codec.profile,
        interlaced=codec.field_order in _INTERLACED_FIELD_ORDERS
        or bool(frame and frame.interlaced_frame),
        video_bit_rate=codec.bit_rate or _video_bit_rate(result, audio),
        frame_count=stream.frames or None,
        video_index=stream.index,
        keyframe_gap=_keyframe_gap(stream, result.duration),
        audio_tracks=result.audio_tracks,
    )


def _first_frame(container: InputContainer, stream: VideoStream) -> VideoFrame:
    try:
        for frame in container.decode(stream):
            return frame
    except (av.FFmpegError, MemoryError) as exc:
        raise NotAVideo(UNDECODABLE) from exc
    raise NotAVideo(UNDECODABLE)


def _rotation(frame: VideoFrame | None, stream: VideoStream) -> int:
    """Degrees clockwise, a multiple of 90. The display matrix counts counter-clockwise; an
    old-style `rotate` tag counts clockwise."""
    if frame is not None and frame.rotation:
        return round(-frame.rotation / 90) * 90 % 360
    try:
        return round(float(stream.metadata.get("rotate", 0)) / 90) * 90 % 360
    except ValueError:
        return 0


def _keyframe_gap(stream: VideoStream, duration: float) -> float | None:
    """The longest time between keyframes (or from the last to the end). Known only when the
    index lists every frame (MP4/MOV); Matroska's cues list some keyframes only."""
    entries = stream.index_entries
    if entries is None or not stream.time_base:
        return None
    keyframes = [e.timestamp for e in entries if e.is_keyframe]
    if not keyframes or len(keyframes) == len(entries):
        return None
    start = stream.start_time or 0
    times = [float((t - start) * stream.time_base) for t in keyframes] + [duration]
    return max(b - a for a, b in itertools.pairwise(times))


def _variable(stream: VideoStream) -> bool:
    """A guess: the average rate differs from the container's base rate by more than 1%."""
    average, base = stream.average_rate, stream.base_rate
    if not average or not base:
        return False
    return abs(Fraction(average) / Fraction(base) - 1) > Fraction(1, 100)


def _bit_depth(pix_fmt: str | None) -> int:
    if not pix_fmt:
        return 8
    try:
        return max(c.bits for c in VideoFormat(pix_fmt).components)
    except ValueError:
        return 8


def _video_bit_rate(result: ProbeResult, audio: list[AudioStream]) -> int | None:
    """Whole file minus audio, when the container does not state the video's own bit rate."""
    if not result.bit_rate:
        return None
    audio_bits = sum(s.codec_context.bit_rate or 128_000 for s in audio)
    remaining = result.bit_rate - audio_bits
    return remaining if remaining > 0 else None
