"""One rung of the HLS ladder: what the ladder chooses and the planner encodes."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from videoforge.media.rendition import Rendition
from videoforge.storage.layout import rendition_playlist_path

AUDIO_NAME = "audio"  # the audio rendition's directory and name
AUDIO_BITRATE = 128_000  # AAC stereo


@dataclass(frozen=True)
class Rung:
    name: str  # "720p": the short side, so a portrait 720x1280 rung is "720p" too
    width: int  # display size, even
    height: int
    fps: float | None  # output frame rate (None: unknown, the source's)
    fps_limit: Fraction | None  # set when an fps filter must lower the source's rate to this
    maxrate: int  # bit/s, the ceiling of capped CRF
    bufsize: int  # bits, the VBV buffer
    crf: int
    copy: bool = False  # the source's own H.264 stream, copied as it is (no encode)

    def rendition(self) -> Rendition:
        """The entry for Video.renditions."""
        return Rendition(
            name=self.name,
            playlist=rendition_playlist_path(self.name),
            bandwidth=self.maxrate,
            width=self.width,
            height=self.height,
            fps=_rounded(self.fps),
        )


def audio_rendition() -> Rendition:
    """The entry for Video.renditions of a video without a picture."""
    return Rendition(AUDIO_NAME, rendition_playlist_path(AUDIO_NAME), bandwidth=AUDIO_BITRATE)


def _rounded(fps: float | None) -> float | int | None:
    if fps is None:
        return None
    return round(fps) if abs(fps - round(fps)) < 0.005 else round(fps, 3)
