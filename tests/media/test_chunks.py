"""Split-and-stitch: chunk planning, the chunk commands, and the stitched output against the
one-process encode of the same tiny clip (7 s, 1-s segments, 3-s chunks: two joins)."""

from __future__ import annotations

import dataclasses
import itertools
import subprocess
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
import pytest

from videoforge.config import Settings
from videoforge.media.chunks import (
    ChunkFloor,
    chunk_sizes,
    encode_audio,
    encode_chunk,
    plan_chunk,
    plan_chunks,
    timeline_offset,
)
from videoforge.media.facts import AudioTrack, ProbeResult
from videoforge.media.plan import plan_hls
from videoforge.media.probe import probe
from videoforge.media.rung import AUDIO_NAME
from videoforge.media.runner import run_ffmpeg
from videoforge.media.stitch import (
    MediaPlaylist,
    Segment,
    assemble,
    contiguous,
    media_playlist_text,
    read_master,
    read_media_playlist,
)
from videoforge.processor.ladder import choose_rungs
from videoforge.storage.layout import MASTER_NAME, PLAYLIST_NAME
from videoforge.testing.clips import make_clip

SECONDS, FPS = 7, 25
FRAME = 1 / FPS
TOLERANCE = 0.001  # seconds: far below a frame, above the timebases' rounding


def _settings() -> Settings:
    return Settings(
        x264_preset="ultrafast", keyframe_seconds=1, segment_seconds=1, ladder=[240, 144]
    )


# --- planning (no ffmpeg) ---


def test_chunks_cover_the_video_on_the_segment_grid() -> None:
    chunks = plan_chunks(7.0, 1, 3)
    # 7 segments in chunks of about 3: three chunks, balanced rather than 3 + 3 + 1.
    assert [(c.start, c.end, c.first_segment, c.last) for c in chunks] == [
        (0, 3, 1, False),
        (3, 5, 4, False),
        (5, 7.0, 6, True),
    ]
    assert [c.index for c in chunks] == [0, 1, 2]


def test_chunk_length_is_rounded_to_whole_segments() -> None:
    chunks = plan_chunks(10.0, 2, 5)  # 5 s is 2.5 segments: rounded to 2 (4 s)
    assert [(c.start, c.end, c.first_segment) for c in chunks] == [
        (0, 4, 1),
        (4, 8, 3),
        (8, 10.0, 5),
    ]
    assert plan_chunks(10.0, 2, 0.5)[0].end == 2  # never less than one segment


def test_a_short_video_is_one_chunk() -> None:
    (only,) = plan_chunks(5.0, 2, 30)
    assert (only.start, only.end, only.first_segment, only.last) == (0, 5.0, 1, True)
    # A duration a hair past a chunk boundary is rounding noise, not a second chunk.
    assert len(plan_chunks(6.0004, 1, 3)) == 2


def test_the_floor_makes_more_shorter_chunks_for_a_medium_video() -> None:
    floor = ChunkFloor(count=16, seconds=20)
    # 10 minutes of 2-s segments: 10 chunks of 60 s alone; the floor makes 16 of 36 or 38 s.
    chunks = plan_chunks(600.0, 2, 60, floor)
    assert chunk_sizes(600.0, 2, 60, floor) == [19] * 12 + [18] * 4
    assert [c.first_segment for c in chunks[:3]] == [1, 20, 39]
    assert chunks[-1].end == 600.0 and chunks[-1].first_segment == 300 - 18 + 1
    assert all(b.start == a.end for a, b in itertools.pairwise(chunks))
    # Never shorter than the floor's seconds: 5 minutes make 15 chunks of 20 s, not 16.
    assert len(plan_chunks(300.0, 2, 60, floor)) == 15
    # A long video already has enough chunks at the target length.
    assert chunk_sizes(3600.0, 2, 60, floor) == [30] * 60
    # And never more chunks than segments.
    assert len(plan_chunks(6.0, 2, 2, ChunkFloor(count=16))) == 3


def test_bad_lengths_are_refused() -> None:
    with pytest.raises(ValueError):
        plan_chunks(0, 2, 10)
    with pytest.raises(ValueError):
        plan_chunks(10, 2, 0)
    with pytest.raises(ValueError):
        plan_chunks(10, 0, 4)


def _probe(audio_rate: int | None = 48000) -> ProbeResult:
    tracks = () if audio_rate is None else (AudioTrack(1, "aac", 2, audio_rate, default=True),)
    return ProbeResult(
        container="mov,mp4",
        duration=7.0,
        size_bytes=1000,
        bit_rate=800_000,
        video_codec="h264",
        width=320,
        height=240,
        fps=25.0,
        pix_fmt="yuv420p",
        video_index=0,
        audio_tracks=tracks,
    )


def test_chunk_command_is_the_ladder_command_placed_on_the_timeline(tmp_path: Path) -> None:
    facts, settings = _probe(), _settings()
    rungs = choose_rungs(facts, settings)
    middle, last = plan_chunks(7.0, 1, 3)[1:]
    argv = plan_chunk(facts, rungs, settings, middle, tmp_path, source=Path("in.mp4"))
    at = argv.index("-i")
    assert argv[at - 4 : at] == ["-ss", "3.000000", "-t", "2.000000"]
    assert argv[argv.index("-start_number") + 1] == "4"
    assert argv[argv.index("-output_ts_offset") + 1] == f"{3 + 1024 / 48000:.6f}"
    assert argv[argv.index("-avoid_negative_ts") + 1] == "disabled"
    assert argv[argv.index("-hls_segment_options") + 1] == "movflags=+frag_discont"
    assert "-c:a" not in argv and "0:1" not in argv  # no audio in chunk jobs
    # Everything else is today's ladder command for the video.
    video_only = dataclasses.replace(facts, audio_tracks=())
    today = plan_hls(video_only, rungs, settings, tmp_path, source=Path("in.mp4"))
    expected = list(today)
    expected[expected.index("-start_number") + 1] = "4"
    at = expected.index("-i")
    expected[at:at] = ["-ss", "3.000000", "-t", "2.000000"]
    expected[-1:-1] = [
        *("-output_ts_offset", f"{3 + 1024 / 48000:.6f}", "-avoid_negative_ts", "disabled"),
        *("-hls_segment_options", "movflags=+frag_discont"),
    ]
    assert argv == expected
    tail = plan_chunk(facts, rungs, settings, last, tmp_path, source=Path("in.mp4"))
    assert "-t" not in tail  # the last chunk reads to the end


def test_timeline_offset_follows_the_audio() -> None:
    assert timeline_offset(_probe(None)) == 0.0
    assert timeline_offset(_probe(44100)) == pytest.approx(1024 / 44100)
    assert timeline_offset(_probe(22050)) == pytest.approx(1024 / 48000)  # resampled


def test_copied_rungs_and_no_rungs_are_refused(tmp_path: Path) -> None:
    facts, settings = _probe(), _settings()
    rungs = choose_rungs(facts, settings)
    chunk = plan_chunks(7.0, 1, 3)[0]
    copied = [dataclasses.replace(rungs[0], copy=True), *rungs[1:]]
    with pytest.raises(ValueError, match="copied"):
        plan_chunk(facts, copied, settings, chunk, tmp_path, source=Path("in.mp4"))
    with pytest.raises(ValueError):
        plan_chunk(facts, [], settings, chunk, tmp_path, source=Path("in.mp4"))


def test_playlists_grow_in_chunk_order() -> None:
    chunks = plan_chunks(7.0, 1, 3)
    assert contiguous(chunks, {1, 2}) == []
    assert contiguous(chunks, {0, 2}) == chunks[:1]
    assert contiguous(chunks, {2, 1, 0}) == chunks
    part = MediaPlaylist("init.mp4", 1, [Segment("seg_00004.m4s", 1.0)])
    growing = media_playlist_text([part], finished=False)
    assert "#EXT-X-PLAYLIST-TYPE:EVENT" in growing and "#EXT-X-ENDLIST" not in growing
    assert "#EXT-X-MEDIA-SEQUENCE:4" in growing
    done = media_playlist_text([part], finished=True)
    assert "#EXT-X-PLAYLIST-TYPE:VOD" in done and done.rstrip().endswith("#EXT-X-ENDLIST")
    assert read_media_playlist(done) == part


# --- stitched against unchunked (real ffmpeg) ---


@dataclass
class Encodes:
    whole: Path  # plan_hls output
    stitched: Path  # assemble output
    rungs: list[str]
    early: dict[str, str]  # rendition -> playlist text after chunks 0 and 2 (not 1)
    nothing_before_chunk_0: bool


@pytest.fixture(scope="module")
def encodes(session_ffmpeg: str, tmp_path_factory: pytest.TempPathFactory) -> Encodes:
    root = tmp_path_factory.mktemp("chunks")
    source = make_clip(session_ffmpeg, root / "clip.mp4", seconds=SECONDS, fps=FPS)
    settings = _settings()
    facts = probe(source)
    rungs = choose_rungs(facts, settings)
    names = [rung.name for rung in rungs]
    whole = root / "whole"
    whole.mkdir()
    run_ffmpeg(plan_hls(facts, rungs, settings, whole, source=source))

    parts, stitched = root / "parts", root / "stitched"
    chunks = plan_chunks(facts.duration, settings.segment_seconds, 3)
    assert len(chunks) == 3
    encode_audio(facts, settings, parts, source=source)
    done: set[int] = set()
    nothing = True
    for index in (2, 0, 1):  # finish out of order
        encode_chunk(facts, rungs, settings, chunks[index], parts, source=source)
        done.add(index)
        playable = assemble(stitched, parts, chunks, names, finished=done, audio_ready=True)
        if index == 2:
            nothing = not playable
        if index == 0:
            early = {n: (stitched / n / PLAYLIST_NAME).read_text() for n in [*names, AUDIO_NAME]}
    return Encodes(whole, stitched, names, early, nothing)


def _playlist(out: Path, name: str) -> MediaPlaylist:
    return read_media_playlist((out / name / PLAYLIST_NAME).read_text())


@pytest.mark.slow
def test_stitched_has_the_unchunked_segments_and_duration(encodes: Encodes) -> None:
    for name in [*encodes.rungs, AUDIO_NAME]:
        whole, stitched = _playlist(encodes.whole, name), _playlist(encodes.stitched, name)
        assert len(stitched.segments) == len(whole.segments), name
        total = sum(s.duration for s in stitched.segments)
        assert total == pytest.approx(sum(s.duration for s in whole.segments), abs=1e-6), name
        assert [s.uri for s in stitched.segments] == [s.uri for s in whole.segments]
    text = (encodes.stitched / encodes.rungs[0] / PLAYLIST_NAME).read_text()
    assert "DISCONTINUITY" not in text and text.count("#EXT-X-MAP") == 1


@pytest.mark.slow
def test_master_has_todays_groups_and_codecs(encodes: Encodes) -> None:
    whole = read_master((encodes.whole / MASTER_NAME).read_text())
    stitched = read_master((encodes.stitched / MASTER_NAME).read_text())
    assert list(stitched) == list(whole)
    for uri, attrs in stitched.items():
        for key in ("RESOLUTION", "CODECS", "AUDIO"):
            assert attrs[key] == whole[uri][key], key
        assert int(attrs["BANDWIDTH"]) > 0
    media = [line for line in (encodes.stitched / MASTER_NAME).read_text().splitlines()]
    assert [m for m in media if m.startswith("#EXT-X-MEDIA")] == [
        m for m in (encodes.whole / MASTER_NAME).read_text().splitlines()
        if m.startswith("#EXT-X-MEDIA")
    ]  # fmt: skip


@pytest.mark.slow
def test_every_rendition_decodes_without_error(session_ffmpeg: str, encodes: Encodes) -> None:
    targets = [encodes.stitched / MASTER_NAME] + [
        encodes.stitched / name / PLAYLIST_NAME for name in encodes.rungs
    ]
    for target in targets:
        result = subprocess.run(
            [session_ffmpeg, "-v", "error", "-i", str(target), "-map", "0", "-f", "null", "-"],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 0 and result.stderr == "", (target, result.stderr)


def _segment_pts(out: Path, name: str, work: Path) -> list[list[float]]:
    """Per segment, the packets' presentation times (init + segment read as one file)."""
    playlist = _playlist(out, name)
    assert playlist.init_uri is not None
    init = (out / name / playlist.init_uri).read_bytes()
    found = []
    for segment in playlist.segments:
        one = work / f"{name}-{segment.uri}.mp4"
        one.write_bytes(init + (out / name / segment.uri).read_bytes())
        with av.open(str(one)) as container:
            stream = container.streams[0]
            base = stream.time_base or Fraction(1)
            found.append(
                sorted(
                    float(packet.pts * base)
                    for packet in container.demux(stream)
                    if packet.pts is not None
                )
            )
    return found


@pytest.mark.slow
def test_timestamps_run_on_across_joins(encodes: Encodes, tmp_path: Path) -> None:
    for name in encodes.rungs:
        whole = _segment_pts(encodes.whole, name, tmp_path)
        stitched = _segment_pts(encodes.stitched, name, tmp_path)
        # Per segment the same frames at the same times as the one-process encode...
        assert [len(s) for s in stitched] == [len(w) for w in whole], name
        for ours, theirs in zip(stitched, whole, strict=True):
            assert ours[0] == pytest.approx(theirs[0], abs=TOLERANCE), name
        # ...and one frame apart everywhere, across the joins at 3 s and 6 s too.
        times = [t for segment in stitched for t in segment]
        steps = [b - a for a, b in itertools.pairwise(times)]
        assert min(steps) == pytest.approx(FRAME, abs=TOLERANCE), name
        assert max(steps) == pytest.approx(FRAME, abs=TOLERANCE), name
        assert len(times) == SECONDS * FPS


@pytest.mark.slow
def test_audio_video_offset_is_unchanged(encodes: Encodes, tmp_path: Path) -> None:
    def offset(out: Path) -> float:
        video = _segment_pts(out, encodes.rungs[0], tmp_path)[0][0]
        audio = _segment_pts(out, AUDIO_NAME, tmp_path)[0][0]
        return video - audio

    assert offset(encodes.stitched) == pytest.approx(offset(encodes.whole), abs=TOLERANCE)


@pytest.mark.slow
def test_playable_from_the_start_once_chunk_0_is_done(encodes: Encodes) -> None:
    assert encodes.nothing_before_chunk_0
    for name in encodes.rungs:
        early = read_media_playlist(encodes.early[name])
        assert [s.uri for s in early.segments] == [
            "seg_00001.m4s",
            "seg_00002.m4s",
            "seg_00003.m4s",
        ]
        assert "#EXT-X-PLAYLIST-TYPE:EVENT" in encodes.early[name]
        assert "#EXT-X-ENDLIST" not in encodes.early[name]
    audio = read_media_playlist(encodes.early[AUDIO_NAME])
    assert 3.0 <= sum(s.duration for s in audio.segments) < 3.0 + 1.1  # up to chunk 0's end
    assert "#EXT-X-ENDLIST" not in encodes.early[AUDIO_NAME]


def test_assemble_needs_the_audio_when_there_is_some(tmp_path: Path) -> None:
    chunks = plan_chunks(7.0, 1, 3)
    assert not assemble(tmp_path, tmp_path, chunks, ["240p"], finished={0}, audio_ready=False)
    assert not assemble(tmp_path, tmp_path, chunks, ["240p"], finished=set(), audio_ready=None)
    assert not list(tmp_path.iterdir())
