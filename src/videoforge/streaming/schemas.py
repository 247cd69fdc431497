"""Response shapes of the streaming API (camelCase on the wire, as the original's client read)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict
from pydantic.alias_generators import to_camel


class _Out(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True)


class QualityOut(_Out):
    quality: str
    label: str
    resolution: str | None
    width: int | None
    height: int | None
    bitrate: int | None
    fps: float | None
    available: bool


class QualitiesOut(_Out):
    qualities: list[QualityOut]


class PicturesOut(_Out):
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
