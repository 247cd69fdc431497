"""Probing an upload: what is in the file (implemented with PyAV, loaded on the first probe).

The facts read are a facts.ProbeResult; a file that is not a video raises errors.NotAVideo.
"""

from __future__ import annotations

from pathlib import Path

from videoforge.media.facts import ProbeResult


def probe(path: Path) -> ProbeResult:
    """Read the file's facts. Raises NotAVideo with a reason a person understands."""
    from videoforge.media.pyav_probe import probe_with_pyav

    return probe_with_pyav(path)
