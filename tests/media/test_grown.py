"""The growing playlists made from the published ones plus the new chunks' parts (no ffmpeg:
parts written as ffmpeg writes them), against the playlists made from every part."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from videoforge.media.chunks import Chunk, plan_chunks
from videoforge.media.rung import AUDIO_NAME
from videoforge.media.stitch import PartTexts, grown_texts, start_texts, stitched_texts
from videoforge.storage.layout import MASTER_NAME, PLAYLIST_NAME

RUNGS = ["240p", "144p"]
CHUNKS = plan_chunks(13.0, 1, 2)  # 7 chunks of 2 one-second segments, the last of one
# A different peak per chunk, the highest in chunk 2: a master grown from chunk 3 on keeps it.
PEAKS = [300_000, 320_000, 510_000, 280_000, 330_000, 290_000, 200_000]


def _media(init: str | None, first: int, durations: Sequence[float], *, target: int) -> str:
    lines = ["#EXTM3U", "#EXT-X-VERSION:7", f"#EXT-X-TARGETDURATION:{target}"]
    lines += [f'#EXT-X-MAP:URI="{init}"'] if init else []
    for number, duration in enumerate(durations, start=first):
        lines += [f"#EXTINF:{duration:.6f},", f"seg_{number:05d}.m4s"]
    return "\n".join([*lines, "#EXT-X-ENDLIST"]) + "\n"


def _chunk_part(chunk: Chunk) -> PartTexts:
    count = round(chunk.duration)
    durations = [1.0] * (count - 1) + [chunk.duration - (count - 1) + 0.04 * chunk.index]
    playlists = {
        name: _media(f"init_{i}.mp4", chunk.first_segment, durations, target=1 + chunk.index % 2)
        for i, name in enumerate(RUNGS)
    }
    master = ["#EXTM3U", "#EXT-X-VERSION:7"]
    for i, name in enumerate(RUNGS):
        peak = PEAKS[chunk.index] >> i
        master += [
            f"#EXT-X-STREAM-INF:BANDWIDTH={peak},AVERAGE-BANDWIDTH={peak * 3 // 4},"
            f'RESOLUTION={426 >> i}x{240 >> i},CODECS="avc1.64001e"',
            f"{name}/{PLAYLIST_NAME}",
            "",
        ]
    return PartTexts(playlists, "\n".join(master) + "\n")


AUDIO = PartTexts(
    {AUDIO_NAME: _media("init_0.mp4", 1, [1.021333] * 12 + [0.7], target=1)},
    '#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-STREAM-INF:BANDWIDTH=140800,CODECS="mp4a.40.2"\n'
    f"{AUDIO_NAME}/{PLAYLIST_NAME}\n\n",
)
PARTS = {chunk.index: _chunk_part(chunk) for chunk in CHUNKS}


def _published(texts: dict[str, str]) -> PartTexts:
    return PartTexts({name: texts[f"{name}/{PLAYLIST_NAME}"] for name in RUNGS}, texts[MASTER_NAME])


def _rebuilt(reach: int, audio: PartTexts | None) -> dict[str, str]:
    parts = {index: PARTS[index] for index in range(reach)}
    texts = stitched_texts(CHUNKS, RUNGS, parts, audio, has_audio=audio is not None)
    assert texts is not None
    return texts


@pytest.mark.parametrize("audio", [AUDIO, None], ids=["with audio", "video only"])
@pytest.mark.parametrize("steps", [[2, 3, 4, 5, 6], [3, 4, 6], [2, 6]])
def test_grown_playlists_are_the_ones_rebuilt_from_every_part(
    audio: PartTexts | None, steps: list[int]
) -> None:
    """Published as far as each step reaches (the last step: every chunk but the last)."""
    published = _rebuilt(1, audio)
    for previous, reach in zip([1, *steps], steps, strict=False):
        added = {index: PARTS[index] for index in range(previous, reach)}
        texts = grown_texts(CHUNKS, RUNGS, _published(published), PARTS[0].master, added, audio)
        assert texts == _rebuilt(reach, audio)
        published = texts


def test_the_master_keeps_an_earlier_chunks_peak() -> None:
    """Chunk 2 has the highest peak: a master grown after it, from chunks 3 and 4's masters,
    still names it (with the audio's bandwidth added once)."""
    texts = grown_texts(
        CHUNKS, RUNGS, _published(_rebuilt(3, AUDIO)), PARTS[0].master,
        {3: PARTS[3], 4: PARTS[4]}, AUDIO,
    )  # fmt: skip
    assert texts is not None
    assert f"BANDWIDTH={PEAKS[2] + 140800}," in texts[MASTER_NAME]


@pytest.mark.parametrize(
    ("listed", "recorded"),
    [(1, 2), (3, 2)],
    ids=["published playlist shorter than recorded", "longer than recorded"],
)
def test_published_playlists_that_do_not_fit_are_refused(listed: int, recorded: int) -> None:
    """A writer stopped halfway: one rung's published playlist lists other chunks than the
    recorded count says; None, so the caller rebuilds from every part."""
    published = _published(_rebuilt(recorded, AUDIO))
    published.playlists[RUNGS[1]] = _rebuilt(listed, AUDIO)[f"{RUNGS[1]}/{PLAYLIST_NAME}"]
    added = {recorded: PARTS[recorded]}
    assert grown_texts(CHUNKS, RUNGS, published, PARTS[0].master, added, AUDIO) is None


def test_a_published_master_without_a_rung_is_refused() -> None:
    texts = _rebuilt(2, AUDIO)
    master = texts[MASTER_NAME].replace(f"{RUNGS[1]}/{PLAYLIST_NAME}", "other/index.m3u8")
    published = PartTexts(_published(texts).playlists, master)
    assert grown_texts(CHUNKS, RUNGS, published, PARTS[0].master, {2: PARTS[2]}, AUDIO) is None


def test_added_chunks_must_follow_the_published_ones() -> None:
    published = _published(_rebuilt(2, AUDIO))
    for added in ({}, {0: PARTS[0], 1: PARTS[1]}, {2: PARTS[2], 4: PARTS[4]}):
        with pytest.raises(ValueError, match="without a gap"):
            grown_texts(CHUNKS, RUNGS, published, PARTS[0].master, added, AUDIO)


def _growing(part: PartTexts, names: Sequence[str], segments: int) -> PartTexts:
    """A part as ffmpeg has written it so far: its first `segments` segments, no ENDLIST."""
    playlists = {}
    for name in names:
        text = part.playlists[name].replace("#EXT-X-ENDLIST\n", "")
        head, *entries = text.split("#EXTINF:")
        playlists[name] = head + "".join(f"#EXTINF:{e}" for e in entries[:segments])
    return PartTexts(playlists, part.master)


def test_the_start_is_chunk_0_so_far_with_the_audio_as_far_as_the_video() -> None:
    """Chunk 0 has written one of its two segments and the audio five: the start lists one
    video segment and only the audio segment that begins within it, as growing playlists."""
    texts = start_texts(RUNGS, _growing(PARTS[0], RUNGS, 1), _growing(AUDIO, [AUDIO_NAME], 5))
    assert texts is not None
    for path, text in texts.items():
        assert "#EXT-X-ENDLIST" not in text, path
    for name in RUNGS:
        listed = texts[f"{name}/{PLAYLIST_NAME}"]
        assert "#EXT-X-PLAYLIST-TYPE:EVENT" in listed
        assert listed.count(".m4s") == 1 and "seg_00001.m4s" in listed
    assert texts[f"{AUDIO_NAME}/{PLAYLIST_NAME}"].count(".m4s") == 1
    # The master is the stitched one's for chunk 0 (its audio group and bandwidths).
    assert texts[MASTER_NAME] == _rebuilt(1, AUDIO)[MASTER_NAME]


def test_the_start_waits_for_every_rung_and_for_the_audio_to_reach_the_video() -> None:
    chunk = _growing(PARTS[0], RUNGS, 2)
    one_rung = PartTexts({RUNGS[0]: chunk.playlists[RUNGS[0]]}, chunk.master)
    assert start_texts(RUNGS, one_rung, AUDIO) is None  # 144p lists nothing yet
    behind = _growing(AUDIO, [AUDIO_NAME], 1)  # 1.02 s of audio, 2 s of video
    assert start_texts(RUNGS, chunk, behind) is None
    assert start_texts(RUNGS, chunk, _growing(AUDIO, [AUDIO_NAME], 2)) is not None
    video_only = start_texts(RUNGS, chunk, None)
    assert video_only is not None and f"{AUDIO_NAME}/{PLAYLIST_NAME}" not in video_only
    assert video_only[MASTER_NAME] == _rebuilt(1, None)[MASTER_NAME]
