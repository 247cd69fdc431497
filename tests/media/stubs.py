"""Stub probe results for planning tests (no ffmpeg involved)."""

from __future__ import annotations

from typing import Any

from videoforge.media.facts import AudioTrack, ProbeResult

STEREO = AudioTrack(index=1, codec="aac", channels=2, sample_rate=48000, default=True)


def video(width: int = 1280, height: int = 720, **changes: Any) -> ProbeResult:
    fields: dict[str, Any] = {
        "container": "mov,mp4,m4a,3gp,3g2,mj2",
        "duration": 60.0,
        "size_bytes": 10_000_000,
        "bit_rate": 8_000_000,
        "video_codec": "h264",
        "width": width,
        "height": height,
        "fps": 30.0,
        "pix_fmt": "yuv420p",
        "profile": "High",
        "video_bit_rate": 7_800_000,
        "video_index": 0,
        "audio_tracks": (STEREO,),
    }
    fields.update(changes)
    return ProbeResult(**fields)


def audio_only(**changes: Any) -> ProbeResult:
    fields: dict[str, Any] = {
        "container": "mp3",
        "duration": 30.0,
        "size_bytes": 500_000,
        "bit_rate": 128_000,
        "audio_tracks": (
            AudioTrack(index=0, codec="mp3", channels=2, sample_rate=44100, default=True),
        ),
    }
    fields.update(changes)
    return ProbeResult(**fields)
