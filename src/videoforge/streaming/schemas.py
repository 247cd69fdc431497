"""Response shapes of the streaming API (camelCase on the wire, as the original's client read)."""

from __future__ import annotations

from videoforge.api_model import ApiModel


class QualityOut(ApiModel):
    quality: str
    label: str
    resolution: str | None
    width: int | None
    height: int | None
    bitrate: int | None
    fps: float | None
    available: bool


class QualitiesOut(ApiModel):
    qualities: list[QualityOut]


class PicturesOut(ApiModel):
    thumbnail_url: str | None
    poster_url: str | None


class StreamOut(PicturesOut):
    video_id: str
    status: str
    playable: bool
    stream_url: str
    master_url: str
    quality: str
    qualities: list[QualityOut]
    expires_in: int
    duration: float | None
