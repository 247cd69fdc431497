"""Serving HLS playlists: what streaming changes in a playlist on its way to a player.

Reading playlists (master variants, segments, whether one is finished) is media/hls.py's.
"""

from __future__ import annotations

from videoforge.media.hls import ENDLIST, lines

EVENT = "#EXT-X-PLAYLIST-TYPE:EVENT"
START_TAG = "#EXT-X-START"
# Players join an unfinished EVENT playlist at its live edge unless told otherwise.
START_AT_BEGINNING = "#EXT-X-START:TIME-OFFSET=0"


def start_at_beginning(text: str) -> str:
    """Add EXT-X-START:TIME-OFFSET=0 to an EVENT playlist that is still being written."""
    raw = text.splitlines(keepends=True)
    tags = lines(text)
    if not raw or tags[0] != "#EXTM3U" or EVENT not in tags or ENDLIST in tags:
        return text
    if any(tag.startswith(START_TAG + ":") for tag in tags):
        return text
    newline = "\r\n" if raw[0].endswith("\r\n") else "\n"
    if not raw[0].endswith(("\n", "\r")):
        raw[0] += newline
    return raw[0] + START_AT_BEGINNING + newline + "".join(raw[1:])
