"""The recipe every task of a split job carries: its chunk grid travels whole in the message."""

from __future__ import annotations

from fractions import Fraction

from videoforge.config import Settings
from videoforge.media.rung import Rung
from videoforge.processor.recipe import Recipe

RUNG = Rung("360p", 640, 360, 30.0, Fraction(30), maxrate=856_000, bufsize=1_200_000, crf=23)


def test_the_planner_chooses_the_grid_once_and_every_task_reads_the_same() -> None:
    settings = Settings(segment_seconds=2, chunk_seconds=60, chunk_min_count=16)
    recipe = Recipe.choose("e1", [RUNG], settings, duration=600.0, audio=True)
    assert len(recipe.chunks()) == 16  # the floor, not 10 chunks of 60 s
    # A worker with other chunk settings still reads the planner's grid from the message.
    carried = Recipe.from_json(recipe.to_json())
    assert carried == recipe and carried.chunks() == recipe.chunks()


def test_a_message_queued_before_the_grid_travelled_whole_keeps_its_chunks() -> None:
    recipe = Recipe.choose(
        "e1", [RUNG], Settings(segment_seconds=1, keyframe_seconds=1), duration=7.0, audio=False
    )
    older = {k: v for k, v in recipe.to_json().items() if k != "chunk_segments"}
    older["chunk_seconds"] = 3.0
    chunks = Recipe.from_json(older).chunks()
    # That planner's equal chunks, the last one the remainder.
    assert [(c.start, c.end, c.first_segment) for c in chunks] == [
        (0, 3, 1),
        (3, 6, 4),
        (6, 7.0, 7),
    ]
