"""What every task of a split job must share so the chunks join exactly: the rungs chosen once
by the planning task, the x264 and segment settings, and the chunk grid. It travels in each
task's queue message, so a worker with other settings still encodes identical chunks."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from videoforge.config import Settings
from videoforge.media.chunks import (
    Chunk,
    ChunkFloor,
    chunk_sizes,
    lay_out_chunks,
    segment_count,
)
from videoforge.media.rung import Rung


@dataclass(frozen=True)
class Recipe:
    encode_id: str
    rungs: list[Rung]
    preset: str
    keyframe_seconds: int
    segment_seconds: int
    chunk_segments: list[int]  # segments per chunk, chosen once by the planning task
    duration: float
    has_audio: bool

    @classmethod
    def choose(
        cls, encode_id: str, rungs: list[Rung], settings: Settings, duration: float, audio: bool
    ) -> Recipe:
        return cls(
            encode_id=encode_id,
            rungs=rungs,
            preset=settings.x264_preset,
            keyframe_seconds=settings.keyframe_seconds,
            segment_seconds=settings.segment_seconds,
            chunk_segments=chunk_sizes(
                duration,
                settings.segment_seconds,
                settings.chunk_seconds,
                ChunkFloor.from_settings(settings),
            ),
            duration=duration,
            has_audio=audio,
        )

    def settings(self, base: Settings) -> Settings:
        """This worker's settings with the encode's shared ones in place of its own."""
        return base.model_copy(
            update={
                "x264_preset": self.preset,
                "keyframe_seconds": self.keyframe_seconds,
                "segment_seconds": self.segment_seconds,
            }
        )

    def chunks(self) -> list[Chunk]:
        return lay_out_chunks(self.chunk_segments, self.segment_seconds, self.duration)

    @property
    def rung_names(self) -> list[str]:
        return [rung.name for rung in self.rungs]

    def to_json(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        data["rungs"] = [
            {**dataclasses.asdict(r), "fps_limit": str(r.fps_limit) if r.fps_limit else None}
            for r in self.rungs
        ]
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Recipe:
        rungs = [
            Rung(**{**r, "fps_limit": Fraction(r["fps_limit"]) if r["fps_limit"] else None})
            for r in data["rungs"]
        ]
        fields = {**data, "rungs": rungs}
        if "chunk_seconds" in fields:
            # Queued before the grid travelled whole: that planner's equal chunks of
            # chunk_seconds, the last one the remainder.
            fields["chunk_segments"] = _equal_chunks(fields.pop("chunk_seconds"), data)
        return cls(**fields)


def _equal_chunks(chunk_seconds: float, data: dict[str, Any]) -> list[int]:
    per_chunk = max(1, round(chunk_seconds / data["segment_seconds"]))
    total = segment_count(data["duration"], data["segment_seconds"])
    return [min(per_chunk, total - start) for start in range(0, total, per_chunk)]


def task_message(
    job: dict[str, Any], kind: str, task_id: str, index: int, recipe: Recipe
) -> dict[str, Any]:
    """The queue message of one task (`kind` "chunk" or "audio")."""
    return {**job, "kind": kind, "taskId": task_id, "index": index, "recipe": recipe.to_json()}
