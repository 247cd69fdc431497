"""What is in a media file, as the probe reads it (probe.py): shared by the upload check, the
planner and the pipeline."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class AudioTrack:
    index: int
    codec: str
    channels: int
    sample_rate: int
    default: bool = False
    language: str | None = None


@dataclass(frozen=True)
class ProbeResult:
    container: str
    duration: float  # seconds
    size_bytes: int
    bit_rate: int | None  # whole file, bit/s
    # Video (None when the file is audio-only)
    video_codec: str | None = None
    width: int | None = None  # coded (storage) size, before rotation and SAR
    height: int | None = None
    rotation: int = 0  # degrees clockwise the picture must be turned for display: 0/90/180/270
    sar: tuple[int, int] = (1, 1)  # sample (pixel) aspect ratio
    fps: float | None = None  # average frame rate
    variable_frame_rate: bool = False
    pix_fmt: str | None = None
    bit_depth: int = 8
    profile: str | None = None
    interlaced: bool = False
    video_bit_rate: int | None = None
    frame_count: int | None = None
    video_index: int | None = None  # the video stream's index in the container (ffmpeg's 0:N)
    # Longest stretch between keyframes (seconds), when the container indexes every frame
    keyframe_gap: float | None = None
    # Audio
    audio_tracks: tuple[AudioTrack, ...] = field(default_factory=tuple)

    @property
    def has_video(self) -> bool:
        return self.video_codec is not None

    @property
    def has_audio(self) -> bool:
        return bool(self.audio_tracks)

    @property
    def audio_codec(self) -> str | None:
        return self.default_audio.codec if self.default_audio else None

    @property
    def default_audio(self) -> AudioTrack | None:
        for track in self.audio_tracks:
            if track.default:
                return track
        return self.audio_tracks[0] if self.audio_tracks else None

    @property
    def display_size(self) -> tuple[int, int] | None:
        """Width x height as shown: SAR applied, then rotation."""
        if self.width is None or self.height is None:
            return None
        num, den = self.sar
        width = round(self.width * num / den) if num and den else self.width
        height = self.height
        if self.rotation in (90, 270):
            width, height = height, width
        return width, height
