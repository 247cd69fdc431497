"""The quality ladder of a video as players and the quality menu see it."""

from __future__ import annotations

import posixpath
from typing import Any

from videoforge.media.hls import MasterPlaylist
from videoforge.media.rendition import Rendition

AUTO = "auto"
# The original's client asked for 2160p by this name.
ALIASES = {"4k": "2160p"}


def video_rungs(renditions: list[Rendition]) -> list[Rendition]:
    """The picture renditions (not the audio-only one), highest first."""
    rungs = [r for r in renditions if r.has_picture and r.name and r.playlist]
    return sorted(rungs, key=lambda r: (r.height or 0, r.bandwidth or 0), reverse=True)


def rungs_from_master(master: MasterPlaylist, master_path: str) -> list[Rendition]:
    """Renditions read from a master playlist, for a video whose row does not list them yet."""
    rungs = []
    for variant in master.variants:
        folder = posixpath.dirname(variant.uri)
        name = folder or (f"{variant.height}p" if variant.height else variant.uri)
        rungs.append(
            Rendition(
                name=name,
                playlist=posixpath.join(posixpath.dirname(master_path), variant.uri),
                bandwidth=variant.bandwidth,
                width=variant.width,
                height=variant.height,
                fps=variant.fps,
            )
        )
    return video_rungs(rungs)


def find_rung(rungs: list[Rendition], requested: str) -> Rendition | None:
    wanted = requested.strip().lower()
    wanted = ALIASES.get(wanted, wanted)
    return next((r for r in rungs if r.name.lower() == wanted), None)


def describe(rung: Rendition, available: bool) -> dict[str, Any]:
    width, height = rung.width, rung.height
    return {
        "quality": rung.name,
        "label": rung.name,
        "resolution": f"{width}x{height}" if width and height else None,
        "width": width,
        "height": height,
        "bitrate": rung.bandwidth,
        "fps": rung.fps,
        "available": available,
    }


def quality_menu(
    rungs: list[Rendition], available: set[str], playable: bool
) -> list[dict[str, Any]]:
    """ "Auto" first, then each rung, highest first; `available` holds the playable rungs' names."""
    auto = {
        "quality": AUTO,
        "label": "Auto",
        "resolution": None,
        "width": None,
        "height": None,
        "bitrate": None,
        "fps": None,
        "available": playable,
    }
    return [auto] + [describe(r, r.name in available) for r in rungs]
