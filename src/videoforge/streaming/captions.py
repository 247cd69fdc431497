"""Caption tracks as HLS subtitle renditions: what the served master playlist names, and each
track's subtitle playlist (one WebVTT segment as long as the video), made when asked.

The master playlist in the store is the transcoder's; the tracks are added as it is served, so
adding or removing captions never touches the encode. Their URIs are relative to the master's
signed path, so they carry the same media token and are checked like any other media file.

The WebVTT needs no X-TIMESTAMP-MAP: without one, hls.js (utils/webvtt-parser.ts) places cue
time 0 at the start of the fMP4 timeline (it offsets by the initPTS of the video's first
fragment, which it waits for), as RFC 8216 says for a map-less WebVTT. tests/browser checks
that a cue shows at the moment it names.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from videoforge.context import Context
from videoforge.db import Caption, Video
from videoforge.media.hls import attributes
from videoforge.storage.layout import (
    CAPTIONS_DIR,
    caption_path,
    caption_playlist_name,
)

GROUP = "subs"
STREAM_INF = "#EXT-X-STREAM-INF:"


def video_captions(session: Session, video_id: str) -> list[Caption]:
    """The video's tracks, in the order players list them (by label)."""
    query = (
        select(Caption)
        .where(Caption.video_id == video_id)
        .order_by(Caption.label, Caption.language)
    )
    return list(session.scalars(query))


def _quoted(value: str) -> str:
    """An HLS quoted-string holds no double quote nor line break."""
    return '"' + value.replace('"', "'").replace("\n", " ").replace("\r", " ") + '"'


def subtitle_entries(captions: Sequence[Caption]) -> list[str]:
    """#EXT-X-MEDIA lines for the tracks; NAMEs are unique within the group, as HLS requires."""
    entries, names = [], set()
    for caption in captions:
        name = (
            caption.label if caption.label not in names else f"{caption.label} ({caption.language})"
        )
        names.add(name)
        entries.append(
            f"#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID={_quoted(GROUP)},NAME={_quoted(name)},"
            f"LANGUAGE={_quoted(caption.language)},DEFAULT=NO,AUTOSELECT=YES,FORCED=NO,"
            f"URI={_quoted(caption_playlist_name(caption.id))}"
        )
    return entries


def with_subtitles(master: str, captions: Sequence[Caption]) -> str:
    """The master playlist with the tracks before its first variant and SUBTITLES="subs" on each
    variant. Without tracks (or with a group already there) it is returned as it is."""
    lines = master.splitlines()
    variants = [i for i, line in enumerate(lines) if line.strip().startswith(STREAM_INF)]
    if not captions or not variants or any("SUBTITLES" in attributes(lines[i]) for i in variants):
        return master
    for i in variants:
        lines[i] = f"{lines[i].rstrip()},SUBTITLES={_quoted(GROUP)}"
    lines[variants[0] : variants[0]] = subtitle_entries(captions)
    return "\n".join(lines) + "\n"


def subtitle_playlist(caption_id: str, duration: float) -> str:
    """One WebVTT segment covering the whole video; TARGETDURATION is at least its length."""
    return "\n".join(
        [
            "#EXTM3U",
            "#EXT-X-VERSION:3",
            f"#EXT-X-TARGETDURATION:{max(1, math.ceil(duration))}",
            "#EXT-X-MEDIA-SEQUENCE:0",
            "#EXT-X-PLAYLIST-TYPE:VOD",
            f"#EXTINF:{duration:.3f},",
            caption_path(caption_id).removeprefix(CAPTIONS_DIR + "/"),
            "#EXT-X-ENDLIST",
            "",
        ]
    )


def served_master(ctx: Context, video_id: str, master: str) -> str:
    """The stored master playlist with the video's caption tracks named in it."""
    with ctx.sessions() as db:
        captions = video_captions(db, video_id)
    return with_subtitles(master, captions)


def served_subtitle_playlist(ctx: Context, video_id: str, path: str) -> str | None:
    """The subtitle playlist at `captions/{id}.m3u8`, or None when no such track exists."""
    folder, _, name = path.partition("/")
    caption_id = name.removesuffix(".m3u8")
    if folder != CAPTIONS_DIR or not name.endswith(".m3u8"):
        return None
    with ctx.sessions() as db:
        caption = db.get(Caption, caption_id)
        video = db.get(Video, video_id)
        if caption is None or video is None or caption.video_id != video_id:
            return None
        # Long enough for the whole video (known once probed) and for every cue.
        duration = max(video.duration or 0.0, caption.cues_end, 1.0)
    return subtitle_playlist(caption_id, duration)
