"""Stitching chunk jobs' HLS output into one presentation, without re-encoding anything.

Per rung: one media playlist with chunk 0's init segment and every chunk's EXTINF lines in
order, no DISCONTINUITY (the chunks' init segments are identical and their timestamps continue,
see chunks.py). The master is today's (same codecs, same audio group) with the largest
BANDWIDTH of the chunks. While chunks are still running, `assemble` publishes what is contiguous
from the start as EVENT playlists, so the video plays from its start before the last chunk ends.

The text functions are pure (`stitched_texts` makes every playlist from the parts' texts, for
any store); `assemble` moves the finished parts' files into the final layout
(`out_dir/{rung}/...`, `out_dir/audio/...`, `out_dir/master.m3u8`, as the one-process encode).
"""

from __future__ import annotations

import os
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from videoforge.media.chunks import Chunk, audio_dir, chunk_dir
from videoforge.media.hls import attributes
from videoforge.media.rung import AUDIO_NAME
from videoforge.storage.layout import MASTER_NAME, PLAYLIST_NAME

AUDIO_GROUP = "group_audio"  # the group name ffmpeg's HLS muxer gives `agroup:audio`
QUOTED = {"CODECS", "AUDIO"}  # attributes written as quoted strings in the master


@dataclass(frozen=True)
class Segment:
    uri: str
    duration: float


@dataclass(frozen=True)
class MediaPlaylist:
    """What stitching needs of one media playlist ffmpeg wrote."""

    init_uri: str | None
    target_duration: int
    segments: list[Segment]


def read_media_playlist(text: str) -> MediaPlaylist:
    init_uri, target, segments = None, 0, []
    duration: float | None = None
    for line in (raw.strip() for raw in text.splitlines()):
        if line.startswith("#EXT-X-MAP:"):
            init_uri = attributes(line)["URI"]
        elif line.startswith("#EXT-X-TARGETDURATION:"):
            target = int(line.partition(":")[2])
        elif line.startswith("#EXTINF:"):
            duration = float(line.partition(":")[2].split(",")[0])
        elif line and not line.startswith("#") and duration is not None:
            segments.append(Segment(line, duration))
            duration = None
    return MediaPlaylist(init_uri, target, segments)


def media_playlist_text(parts: Sequence[MediaPlaylist], *, finished: bool) -> str:
    """One playlist of the parts' segments in order: VOD when finished, else a growing EVENT."""
    segments = [segment for part in parts for segment in part.segments]
    if not parts or not segments:
        raise ValueError("nothing to list")
    first = segments[0].uri
    lines = [
        "#EXTM3U",
        "#EXT-X-VERSION:7",
        f"#EXT-X-TARGETDURATION:{max(part.target_duration for part in parts)}",
        f"#EXT-X-MEDIA-SEQUENCE:{_sequence_number(first)}",
        f"#EXT-X-PLAYLIST-TYPE:{'VOD' if finished else 'EVENT'}",
        "#EXT-X-INDEPENDENT-SEGMENTS",
    ]
    if parts[0].init_uri:
        lines.append(f'#EXT-X-MAP:URI="{parts[0].init_uri}"')
    for segment in segments:
        lines += [f"#EXTINF:{segment.duration:.6f},", segment.uri]
    if finished:
        lines.append("#EXT-X-ENDLIST")
    return "\n".join(lines) + "\n"


def _sequence_number(uri: str) -> int:
    """seg_00001.m4s -> 1 (the media sequence number of the first segment)."""
    digits = "".join(c for c in Path(uri).stem if c.isdigit())
    return int(digits) if digits else 0


def read_master(text: str) -> dict[str, dict[str, str]]:
    """Variant URI -> its #EXT-X-STREAM-INF attributes (unquoted), in the master's order."""
    variants: dict[str, dict[str, str]] = {}
    pending: dict[str, str] | None = None
    for line in (raw.strip() for raw in text.splitlines()):
        if line.startswith("#EXT-X-STREAM-INF:"):
            pending = attributes(line)
        elif line and not line.startswith("#") and pending is not None:
            variants[line] = pending
            pending = None
    return variants


def master_text(
    rung_names: Sequence[str],
    chunk_masters: Sequence[dict[str, dict[str, str]]],
    audio_master: dict[str, dict[str, str]] | None,
) -> str:
    """The master playlist of the stitched ladder: per rung the largest BANDWIDTH and the
    largest AVERAGE-BANDWIDTH of the chunks, plus the audio's, as ffmpeg counts them."""
    audio = next(iter(audio_master.values())) if audio_master else None
    lines = ["#EXTM3U", "#EXT-X-VERSION:7"]
    if audio is not None:
        # NAME is what ffmpeg writes for the audio variant after the video ones.
        name = f"{AUDIO_NAME}_{len(rung_names)}"
        lines.append(
            f'#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="{AUDIO_GROUP}",NAME="{name}",DEFAULT=YES,'
            f'CHANNELS="2",URI="{AUDIO_NAME}/{PLAYLIST_NAME}"'
        )
    for name in rung_names:
        uri = f"{name}/{PLAYLIST_NAME}"
        found = [master[uri] for master in chunk_masters if uri in master]
        if not found:
            raise ValueError(f"no chunk lists the {name} rung")
        merged = dict(found[0])
        for key in ("BANDWIDTH", "AVERAGE-BANDWIDTH"):
            if key in merged:
                extra = int(audio.get(key, 0)) if audio else 0
                merged[key] = str(max(int(f[key]) for f in found if key in f) + extra)
        if audio is not None:
            merged["CODECS"] = f"{merged['CODECS']},{audio['CODECS']}"
            merged["AUDIO"] = AUDIO_GROUP
        listed = ",".join(
            f'{key}="{value}"' if key in QUOTED else f"{key}={value}"
            for key, value in merged.items()
        )
        lines += [f"#EXT-X-STREAM-INF:{listed}", uri, ""]
    return "\n".join(lines) + "\n"


def contiguous(chunks: Sequence[Chunk], finished: Collection[int]) -> list[Chunk]:
    """The finished chunks from the start up to the first one still missing."""
    ready = []
    for chunk in chunks:
        if chunk.index not in finished:
            break
        ready.append(chunk)
    return ready


@dataclass(frozen=True)
class PartTexts:
    """The small files one part (a chunk, or the audio) wrote: its media playlists by
    rendition name, and its master."""

    playlists: dict[str, str]
    master: str


def stitched_texts(
    chunks: Sequence[Chunk],
    rung_names: Sequence[str],
    parts: Mapping[int, PartTexts],
    audio: PartTexts | None,
    *,
    has_audio: bool,
) -> dict[str, str] | None:
    """The playlists publishing the chunks in `parts` contiguous from the start (and the
    audio), by path relative to the HLS folder: VOD once every chunk is there, else growing
    EVENT playlists. None when nothing is playable yet (no chunk 0, or the audio missing)."""
    ready = contiguous(chunks, parts.keys())
    if not ready or (has_audio and audio is None):
        return None
    complete = len(ready) == len(chunks)
    texts = {}
    for name in rung_names:
        listed = [read_media_playlist(parts[c.index].playlists[name]) for c in ready]
        texts[f"{name}/{PLAYLIST_NAME}"] = media_playlist_text(listed, finished=complete)
    audio_master = None
    if has_audio and audio is not None:
        audio_master = read_master(audio.master)
        # While the video grows, list the audio only as far as the video goes, so both
        # playlists have the same live edge; the last chunk publishes all of it.
        path = f"{AUDIO_NAME}/{PLAYLIST_NAME}"
        if complete:
            whole = read_media_playlist(audio.playlists[AUDIO_NAME])
            texts[path] = media_playlist_text([whole], finished=True)
        else:
            texts[path] = _growing_audio(audio, ready[-1].end)
    masters = [read_master(parts[c.index].master) for c in ready]
    texts[MASTER_NAME] = master_text(rung_names, masters, audio_master)
    return texts


def assemble(
    out_dir: Path,
    parts_dir: Path,
    chunks: Sequence[Chunk],
    rung_names: Sequence[str],
    *,
    finished: Collection[int],
    audio_ready: bool | None,
) -> bool:
    """Publish what is playable on local disk: the finished chunks contiguous from the start
    (and the audio, when the source has some: `audio_ready` is None when it has none). Call it
    again as more chunks finish; files already moved stay. Returns whether anything is
    playable."""
    ready = contiguous(chunks, finished)
    if not ready or audio_ready is False:
        return False
    parts = {c.index: _read_part(chunk_dir(parts_dir, c), rung_names) for c in ready}
    audio = _read_part(audio_dir(parts_dir), [AUDIO_NAME]) if audio_ready else None
    texts = stitched_texts(chunks, rung_names, parts, audio, has_audio=bool(audio_ready))
    assert texts is not None  # chunk 0 and the audio are there
    for chunk in ready:
        for name in rung_names:
            part = read_media_playlist(parts[chunk.index].playlists[name])
            wanted = [s.uri for s in part.segments]
            if chunk.index == 0 and part.init_uri:
                wanted.append(part.init_uri)
            _move(chunk_dir(parts_dir, chunk) / name, out_dir / name, wanted)
    if audio is not None:
        whole = read_media_playlist(audio.playlists[AUDIO_NAME])
        wanted = [s.uri for s in whole.segments] + ([whole.init_uri] if whole.init_uri else [])
        _move(audio_dir(parts_dir) / AUDIO_NAME, out_dir / AUDIO_NAME, wanted)
    for path, text in texts.items():  # the master last: it names the playlists
        _write(out_dir / path, text)
    return True


def _read_part(folder: Path, names: Sequence[str]) -> PartTexts:
    playlists = {name: (folder / name / PLAYLIST_NAME).read_text() for name in names}
    return PartTexts(playlists, (folder / MASTER_NAME).read_text())


def _starts(playlist: MediaPlaylist) -> list[tuple[float, Segment]]:
    starts, at = [], 0.0
    for segment in playlist.segments:
        starts.append((at, segment))
        at += segment.duration
    return starts


def _move(source: Path, dest: Path, names: Sequence[str]) -> None:
    """Move the named files (a rename: same file system); ones moved before are skipped."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in names:
        if (source / name).exists():
            os.replace(source / name, dest / name)
        elif not (dest / name).exists():
            raise FileNotFoundError(f"{source / name} is missing")


def _write(path: Path, text: str) -> None:
    """Write whole or not at all: a player may read the playlist at any moment."""
    partial = path.with_name(path.name + ".tmp")
    partial.write_text(text)
    os.replace(partial, path)


def grown_texts(
    chunks: Sequence[Chunk],
    rung_names: Sequence[str],
    published: PartTexts,
    first_master: str,
    parts: Mapping[int, PartTexts],
    audio: PartTexts | None,
) -> dict[str, str] | None:
    """The growing (EVENT) playlists `stitched_texts` makes, from the ones published before
    (`published`: each rung's media playlist and the master, listing the chunks before the
    first one in `parts`), chunk 0's master and the parts of the chunks after them (and the
    audio, when the video has some). None when the published playlists do not list exactly
    those earlier chunks (a writer stopped halfway): rebuild them from every part then."""
    indexes = sorted(parts)
    if not indexes or indexes[0] == 0 or indexes != list(range(indexes[0], indexes[-1] + 1)):
        raise ValueError("the added chunks must follow the published ones without a gap")
    added = [chunks[index] for index in indexes]
    expected = list(range(chunks[0].first_segment, added[0].first_segment))
    texts = {}
    for name in rung_names:
        before = read_media_playlist(published.playlists[name])
        if [_sequence_number(segment.uri) for segment in before.segments] != expected:
            return None
        listed = [before, *(read_media_playlist(parts[c.index].playlists[name]) for c in added)]
        texts[f"{name}/{PLAYLIST_NAME}"] = media_playlist_text(listed, finished=False)
    audio_master = None
    if audio is not None:
        audio_master = read_master(audio.master)
        texts[f"{AUDIO_NAME}/{PLAYLIST_NAME}"] = _growing_audio(audio, added[-1].end)
    earlier = _bandwidths_before_audio(published.master, audio_master)
    if any(f"{name}/{PLAYLIST_NAME}" not in earlier for name in rung_names):
        return None
    # Chunk 0's master first: the stitched master takes its attributes from it.
    masters = [
        read_master(first_master),
        earlier,
        *(read_master(parts[c.index].master) for c in added),
    ]
    texts[MASTER_NAME] = master_text(rung_names, masters, audio_master)
    return texts


def _bandwidths_before_audio(
    master: str, audio_master: dict[str, dict[str, str]] | None
) -> dict[str, dict[str, str]]:
    """A stitched master's bandwidths per rung, as one chunk's master would list them: less
    the audio's, which `master_text` adds again."""
    audio = next(iter(audio_master.values())) if audio_master else {}
    return {
        uri: {
            key: str(int(attrs[key]) - int(audio.get(key, 0)))
            for key in _BANDWIDTHS
            if key in attrs
        }
        for uri, attrs in read_master(master).items()
    }


_BANDWIDTHS = ("BANDWIDTH", "AVERAGE-BANDWIDTH")  # the attributes master_text takes maxima of


def _growing_audio(audio: PartTexts, end: float) -> str:
    """The audio's EVENT playlist listed only as far as the video goes (`end` seconds), so
    both have the same live edge (as `stitched_texts` lists it)."""
    whole = read_media_playlist(audio.playlists[AUDIO_NAME])
    segments = [segment for at, segment in _starts(whole) if at < end]
    return media_playlist_text(
        [MediaPlaylist(whole.init_uri, whole.target_duration, segments)], finished=False
    )


# How far the audio may end before the video's live edge: its segments end on AAC frames
# (21 ms at 48 kHz), not on the video's frames.
AUDIO_EDGE_SLACK = 0.1


def start_texts(
    rung_names: Sequence[str], chunk: PartTexts, audio: PartTexts | None
) -> dict[str, str] | None:
    """The growing (EVENT) playlists of chunk 0 while it is still encoding, from its playlists
    and master as ffmpeg has written them so far, with the audio listed as far as the video
    goes: the video plays from its start seconds after chunk 0 began, as the one-task path
    does. None until every rung lists a segment and the audio (`audio` None: the video has
    none) reaches the video's live edge."""
    listed = [read_media_playlist(chunk.playlists.get(name, "")) for name in rung_names]
    if not listed or any(not playlist.segments for playlist in listed):
        return None
    end = max(_listed_seconds(playlist) for playlist in listed)
    texts = {
        f"{name}/{PLAYLIST_NAME}": media_playlist_text([playlist], finished=False)
        for name, playlist in zip(rung_names, listed, strict=True)
    }
    audio_master = None
    if audio is not None:
        whole = read_media_playlist(audio.playlists.get(AUDIO_NAME, ""))
        if _listed_seconds(whole) < end - AUDIO_EDGE_SLACK or not audio.master:
            return None
        audio_master = read_master(audio.master)
        texts[f"{AUDIO_NAME}/{PLAYLIST_NAME}"] = _growing_audio(audio, end)
    texts[MASTER_NAME] = master_text(rung_names, [read_master(chunk.master)], audio_master)
    return texts


def _listed_seconds(playlist: MediaPlaylist) -> float:
    return sum(segment.duration for segment in playlist.segments)
