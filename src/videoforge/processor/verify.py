""" "Ready" means every listed rendition plays: the checks between the encode and the ready state.

1. The master names every planned rendition. ffmpeg's final master gives each variant the peak
   bit rate it measured over segments longer than half a second, and leaves out a variant
   without one: a clip shorter than that (or an audio-only one) would be "ready" with a master
   naming no video. `complete_master` writes such variants back, with the rung's own figures
   (as ffmpeg's master does while encoding) and the codec string of its init file.
2. Each rendition's playlist is complete (ended, an init file, every segment present and not
   empty) and its first and last segments decode (init + segment; one ffmpeg for them all).
   A split job's final step stitches in the store: it runs the same checks (`verify_ends`) on a
   folder holding the playlists and only the files `ends` names, having checked in the store
   that every other segment is there.

A file that is missing or incomplete is worth another attempt (a write was lost); a rendition
whose files are all there but do not decode is not, since encoding again gives the same bytes.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from videoforge.media import hls
from videoforge.media.plan import base_args
from videoforge.media.rung import AUDIO_BITRATE, AUDIO_NAME, Rung
from videoforge.media.runner import FfmpegError, run_ffmpeg
from videoforge.storage.layout import MASTER_NAME, PLAYLIST_NAME
from videoforge.worker.base import PermanentJobError

AAC_LC = "mp4a.40.2"  # what plan.py encodes the audio as
AUDIO_GROUP = "group_audio"  # ffmpeg's GROUP-ID for the agroup named AUDIO_NAME
DECODE_TIMEOUT = 120.0


class LadderIncomplete(Exception):
    """A file the master or a playlist names is missing or unfinished (retried)."""


@dataclass(frozen=True)
class Ladder:
    """What the encode was planned to write, as playlist paths relative to the HLS folder."""

    rungs: list[Rung]
    has_audio: bool

    @property
    def variants(self) -> list[str]:
        """#EXT-X-STREAM-INF entries: one per rung, or the audio alone when there is no video."""
        if not self.rungs:
            return [_playlist(AUDIO_NAME)] if self.has_audio else []
        return [_playlist(rung.name) for rung in self.rungs]

    @property
    def renditions(self) -> list[str]:
        """Every playlist a player may load: the variants and the audio group's."""
        audio = [_playlist(AUDIO_NAME)] if self.has_audio and self.rungs else []
        return self.variants + audio


def _playlist(name: str) -> str:
    return f"{name}/{PLAYLIST_NAME}"


def complete_master(out_dir: Path, ladder: Ladder) -> bool:
    """Write back the variants ffmpeg left out of the master; True when it had to."""
    path = out_dir / MASTER_NAME
    text = _read(path, "the master playlist")
    listed = {variant.uri: variant for variant in hls.parse_master(text).variants}
    if all(uri in listed for uri in ladder.variants):
        return False
    lines = text.splitlines()
    first_variant = next(
        (i for i, line in enumerate(lines) if line.startswith("#EXT-X-STREAM-INF:")), len(lines)
    )
    head = [line for line in lines[:first_variant] if line.strip()]
    kept = _variant_blocks(lines[first_variant:])
    body = []
    for uri in ladder.variants:
        body += kept.get(uri) or _variant_block(out_dir, ladder, uri)
    _write_atomically(path, "\n".join([*head, *body]) + "\n")
    return True


def _variant_blocks(lines: list[str]) -> dict[str, list[str]]:
    blocks: dict[str, list[str]] = {}
    tag = None
    for line in (raw.strip() for raw in lines):
        if line.startswith("#EXT-X-STREAM-INF:"):
            tag = line
        elif line and not line.startswith("#") and tag is not None:
            blocks[line] = [tag, line]
            tag = None
    return blocks


def _variant_block(out_dir: Path, ladder: Ladder, uri: str) -> list[str]:
    rung = next((r for r in ladder.rungs if _playlist(r.name) == uri), None)
    audio = [AAC_LC] if ladder.has_audio else []
    if rung is None:  # audio only
        return [
            f'#EXT-X-STREAM-INF:BANDWIDTH={_with_overhead(AUDIO_BITRATE)},CODECS="{AAC_LC}"',
            uri,
        ]
    codecs = ",".join([_video_codec(out_dir, uri), *audio])
    bandwidth = _with_overhead(rung.maxrate + (AUDIO_BITRATE if ladder.has_audio else 0))
    attributes = [f"BANDWIDTH={bandwidth}", f"RESOLUTION={rung.width}x{rung.height}"]
    if rung.fps:
        attributes.append(f"FRAME-RATE={rung.fps:.3f}")
    attributes.append(f'CODECS="{codecs}"')
    if ladder.has_audio:
        attributes.append(f'AUDIO="{AUDIO_GROUP}"')
    return ["#EXT-X-STREAM-INF:" + ",".join(attributes), uri]


def _with_overhead(bits: int) -> int:
    return bits + bits // 10  # as ffmpeg estimates a variant's peak


def _video_codec(out_dir: Path, playlist: str) -> str:
    """RFC 6381 `avc1.PPCCLL` from the avcC box of the rendition's init file."""
    init = _init_file(out_dir, playlist)
    data = init.read_bytes() if init and init.is_file() else b""
    at = data.find(b"avcC")
    if at < 0 or len(data) < at + 8:
        raise LadderIncomplete(f"The init file of {playlist} has no H.264 configuration.")
    profile, compatibility, level = data[at + 5 : at + 8]
    return f"avc1.{profile:02x}{compatibility:02x}{level:02x}"


def _init_file(out_dir: Path, playlist: str) -> Path | None:
    text = _read(out_dir / playlist, playlist)
    for line in text.splitlines():
        if line.startswith("#EXT-X-MAP:"):
            return (out_dir / playlist).parent / hls.attributes(line)["URI"]
    return None


def verify_ladder(ffmpeg: str, out_dir: Path, ladder: Ladder) -> None:
    """Raise unless the master names every planned rendition and each one plays."""
    verify_ends(ffmpeg, out_dir, ladder, every_file=True)


def verify_ends(ffmpeg: str, out_dir: Path, ladder: Ladder, *, every_file: bool = False) -> None:
    """`verify_ladder`, of the files in `out_dir` only needing those `ends` names (plus every
    listed file when `every_file`)."""
    master = hls.parse_master(_read(out_dir / MASTER_NAME, "the master playlist"))
    missing = [uri for uri in ladder.renditions if uri not in master.playlist_uris]
    if missing:
        raise LadderIncomplete(f"The master playlist does not name {', '.join(missing)}.")
    ends = {p: _first_and_last(out_dir, p, every_file) for p in ladder.renditions}
    # One ffmpeg decodes them all (its start costs more than a segment's decode); only when
    # it fails does each rendition get its own, to name the one at fault.
    if _decodes(ffmpeg, [end for pair in ends.values() for end in pair]) is None:
        return
    for playlist, pair in ends.items():
        if (error := _decodes(ffmpeg, pair)) is not None:
            raise PermanentJobError(
                f"Checking the encoded video failed: the {playlist.split('/')[0]} rendition "
                f"does not decode ({error.summary})."
            ) from error
    raise LadderIncomplete("Checking the encoded video failed; it may pass on another attempt.")


def ends(playlist_text: str) -> list[str]:
    """What the check decodes of a media playlist: its init file, first and last segment."""
    uris = hls.media_uris(playlist_text)
    return list(dict.fromkeys([uris[0], uris[1], uris[-1]])) if len(uris) >= 2 else []


def _first_and_last(out_dir: Path, playlist: str, every_file: bool) -> list[str]:
    """`concat:` inputs joining the init file to the first and to the last segment (one when
    they are the same), after checking that the playlist is complete and its files exist."""
    name = playlist.split("/")[0]
    text = _read(out_dir / playlist, f"the {name} playlist")
    has_map = any(line.startswith("#EXT-X-MAP:") for line in text.splitlines())
    if not (hls.is_finished(text) and has_map and ends(text)):
        raise LadderIncomplete(f"The {name} playlist is unfinished or lists no segment.")
    folder = (out_dir / playlist).parent
    files = [folder / uri for uri in (hls.media_uris(text) if every_file else ends(text))]
    empty = [f.name for f in files if not f.is_file() or f.stat().st_size == 0]
    if empty:
        raise LadderIncomplete(f"The {name} rendition is missing {', '.join(empty[:3])}.")
    init, *segments = (folder / uri for uri in ends(text))
    return [f"concat:{init}|{segment}" for segment in segments]


def _decodes(ffmpeg: str, inputs: list[str]) -> FfmpegError | None:
    """None when every input decodes without an error, else what ffmpeg said."""
    argv = [*base_args(ffmpeg), "-xerror"]
    # One thread per decoder: the inputs already decode side by side, and a few seconds of
    # video do not repay starting a pool of frame threads each (0.69 -> 0.51 s CPU at 720p).
    argv += [arg for source in inputs for arg in ("-threads", "1", "-i", source)]
    argv += [arg for index in range(len(inputs)) for arg in ("-map", str(index))]
    try:
        run_ffmpeg([*argv, "-f", "null", "-"], timeout=DECODE_TIMEOUT)
    except FfmpegError as exc:
        return exc
    return None


def _read(path: Path, what: str) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (FileNotFoundError, UnicodeDecodeError) as exc:
        raise LadderIncomplete(f"{what.capitalize()} is missing or unreadable.") from exc


def _write_atomically(path: Path, text: str) -> None:
    """A player reading the master meanwhile sees the old one or the new one, never half."""
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)
