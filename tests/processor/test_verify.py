"""Issue 10, finding 13: "ready" means every rendition the master lists plays, sub-second clips
included, and a rendition that does not verify fails the job with a reason."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.processor.conftest import Upload
from videoforge.context import Context
from videoforge.media import hls
from videoforge.media.rung import Rung
from videoforge.processor import whole
from videoforge.processor.verify import (
    Ladder,
    LadderIncomplete,
    complete_master,
    verify_ladder,
)
from videoforge.storage.layout import MASTER_NAME
from videoforge.testing.clips import make_clip
from videoforge.worker.base import PermanentJobError

pytestmark = pytest.mark.slow

MakeUpload = Callable[..., Upload]


def decode(ffmpeg: str, playlist: Path, *selection: str) -> str:
    """Decode a local playlist (all of it) as a player would; return ffmpeg's stream list."""
    result = subprocess.run(
        [ffmpeg, "-hide_banner", "-v", "error", "-xerror", "-i", str(playlist),
         *selection, "-f", "null", "-"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    listing = subprocess.run(
        [ffmpeg, "-hide_banner", "-i", str(playlist)], capture_output=True, text=True, check=False
    )
    return listing.stderr


def hls_dir(ctx: Context, job: Upload) -> Path:
    path = ctx.store.local_path(f"videos/{job.video_id}/hls")
    assert path is not None
    return path


@pytest.mark.parametrize("audio", [True, False])
def test_a_sub_second_clip_is_ready_and_every_listed_rendition_plays(
    ctx: Context, ffmpeg: str, tmp_path: Path, upload: MakeUpload, audio: bool
) -> None:
    job = upload(make_clip(ffmpeg, tmp_path / "blink.mp4", seconds=0.3, audio=audio))
    job.run()

    video = job.video()
    assert video.status == "ready", video.error
    folder = hls_dir(ctx, job)
    master = hls.parse_master((folder / MASTER_NAME).read_text())
    listed = [r["playlist"].removeprefix("hls/") for r in video.renditions]
    assert [v.uri for v in master.variants] == listed  # the master names every quality
    assert master.rendition_uris == (["audio/index.m3u8"] if audio else [])
    for variant in master.variants:
        assert variant.bandwidth and variant.width == 320 and variant.height == 240
        streams = decode(ffmpeg, folder / variant.uri)
        assert "h264" in streams and "320x240" in streams
    # And the master itself plays: a video stream, and the audio when there is some.
    streams = decode(ffmpeg, folder / MASTER_NAME, "-map", "0:v:0", *("-map", "0:a:0") * audio)
    assert "Video: h264" in streams
    assert ("Audio: aac" in streams) is audio
    # Its seek previews and download too (the storyboard's one tile was rounded away before).
    assert {"storyboard.jpg", "storyboard.vtt", "download.mp4"} <= set(job.stored())


def test_a_sub_second_audio_only_upload_lists_its_audio(
    ctx: Context, ffmpeg: str, tmp_path: Path, upload: MakeUpload
) -> None:
    job = upload(make_clip(ffmpeg, tmp_path / "beep.m4a", seconds=0.3, video=False))
    job.run()

    assert job.video().status == "ready", job.video().error
    master = hls.parse_master((hls_dir(ctx, job) / MASTER_NAME).read_text())
    assert [v.uri for v in master.variants] == ["audio/index.m3u8"]
    assert "Audio: aac" in decode(ffmpeg, hls_dir(ctx, job) / MASTER_NAME)


def test_a_rendition_that_does_not_decode_fails_the_job_for_good(
    ctx: Context, ffmpeg: str, tmp_path: Path, upload: MakeUpload, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The encode succeeds, then the 240p rendition's last segment is damaged on disk."""

    def damage_then_complete(out_dir: Path, ladder: Ladder) -> bool:
        segments = sorted((out_dir / "240p").glob("seg_*.m4s"))
        segments[-1].write_bytes(b"\x00\x00\x00\x10moof" + b"\xff" * 4000)
        return complete_master(out_dir, ladder)

    monkeypatch.setattr(whole, "complete_master", damage_then_complete)
    job = upload(make_clip(ffmpeg, tmp_path / "clip.mp4", seconds=3))

    with pytest.raises(PermanentJobError, match="the 240p rendition does not decode"):
        job.run()
    assert job.video().status != "ready"


@pytest.fixture(scope="module")
def encoded(tmp_path_factory: pytest.TempPathFactory, session_ffmpeg: str) -> tuple[Path, Ladder]:
    """A two-rung ladder with audio, encoded once; tests work on copies."""
    from videoforge.config import Settings
    from videoforge.media.plan import plan_hls
    from videoforge.media.probe import probe
    from videoforge.media.runner import run_ffmpeg
    from videoforge.processor.ladder import choose_rungs

    folder = tmp_path_factory.mktemp("ladder")
    source = make_clip(session_ffmpeg, folder / "src.mp4", seconds=5, width=640, height=360)
    settings = Settings(data_dir=folder / "var", x264_preset="ultrafast")
    facts = probe(source)
    rungs: list[Rung] = choose_rungs(facts, settings)
    out = folder / "hls"
    out.mkdir()
    run_ffmpeg(plan_hls(facts, rungs, settings, out, source=source, ffmpeg=session_ffmpeg))
    return out, Ladder(rungs, has_audio=True)


@pytest.fixture
def ladder_copy(encoded: tuple[Path, Ladder], tmp_path: Path) -> tuple[Path, Ladder]:
    out, ladder = encoded
    copy = tmp_path / "hls"
    shutil.copytree(out, copy)
    return copy, ladder


def test_a_complete_ladder_verifies_and_its_master_is_left_alone(
    ladder_copy: tuple[Path, Ladder], ffmpeg: str
) -> None:
    out, ladder = ladder_copy
    before = (out / MASTER_NAME).read_text()

    assert complete_master(out, ladder) is False
    verify_ladder(ffmpeg, out, ladder)
    assert (out / MASTER_NAME).read_text() == before


def test_variants_missing_from_the_master_are_written_back_like_ffmpegs(
    ladder_copy: tuple[Path, Ladder], ffmpeg: str
) -> None:
    out, ladder = ladder_copy
    original = (out / MASTER_NAME).read_text()
    kept = original.split("#EXT-X-STREAM-INF:")[0]  # what ffmpeg writes for a tiny clip
    (out / MASTER_NAME).write_text(kept)

    assert complete_master(out, ladder) is True
    verify_ladder(ffmpeg, out, ladder)
    rebuilt = {v.uri: v for v in hls.parse_master((out / MASTER_NAME).read_text()).variants}
    for variant in hls.parse_master(original).variants:
        assert rebuilt[variant.uri].width == variant.width
        assert rebuilt[variant.uri].height == variant.height
    codecs = [hls.attributes(line)["CODECS"] for line in original.splitlines() if "CODECS" in line]
    written = (out / MASTER_NAME).read_text()
    assert all(f'CODECS="{codec}"' in written for codec in codecs)  # same as ffmpeg's


def test_a_missing_or_empty_segment_is_worth_another_attempt(
    ladder_copy: tuple[Path, Ladder], ffmpeg: str
) -> None:
    out, ladder = ladder_copy
    last = sorted((out / "360p").glob("seg_*.m4s"))[-1]
    last.write_bytes(b"")
    with pytest.raises(LadderIncomplete, match="360p rendition is missing"):
        verify_ladder(ffmpeg, out, ladder)
    last.unlink()
    with pytest.raises(LadderIncomplete, match="360p rendition is missing"):
        verify_ladder(ffmpeg, out, ladder)


def test_an_unfinished_playlist_is_worth_another_attempt(
    ladder_copy: tuple[Path, Ladder], ffmpeg: str
) -> None:
    out, ladder = ladder_copy
    playlist = out / "audio" / "index.m3u8"
    playlist.write_text(playlist.read_text().replace(hls.ENDLIST, ""))
    with pytest.raises(LadderIncomplete, match="audio playlist is unfinished"):
        verify_ladder(ffmpeg, out, ladder)


def test_a_segment_that_does_not_decode_is_permanent(
    ladder_copy: tuple[Path, Ladder], ffmpeg: str
) -> None:
    out, ladder = ladder_copy
    first = sorted((out / "240p").glob("seg_*.m4s"))[0]
    first.write_bytes(first.read_bytes()[:200])
    with pytest.raises(PermanentJobError, match="the 240p rendition does not decode"):
        verify_ladder(ffmpeg, out, ladder)
