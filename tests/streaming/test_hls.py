"""Playlist reading and the EXT-X-START insertion, on text alone."""

from __future__ import annotations

from tests.streaming.helpers import RUNGS, master_playlist, media_playlist
from videoforge.streaming import hls
from videoforge.streaming.qualities import find_rung, rungs_from_master


def test_parse_master_finds_variants_and_the_audio_rendition() -> None:
    master = hls.parse_master(master_playlist(RUNGS))

    assert [v.uri for v in master.variants] == [
        "720p/index.m3u8", "480p/index.m3u8", "360p/index.m3u8",
    ]  # fmt: skip
    assert master.variants[0] == hls.Variant("720p/index.m3u8", 3040000, 1280, 720, 30.0)
    assert master.rendition_uris == ["audio/index.m3u8"]


def test_rungs_read_from_a_master_match_the_recorded_ones() -> None:
    rungs = rungs_from_master(hls.parse_master(master_playlist(RUNGS)), "hls/master.m3u8")

    assert [(r["name"], r["playlist"], r["height"]) for r in rungs] == [
        (r["name"], r["playlist"], r["height"]) for r in RUNGS
    ]
    assert find_rung(rungs, " 480P ") == rungs[1]
    assert find_rung(rungs, "1080p") is None


def test_media_playlist_facts() -> None:
    growing = media_playlist(2, finished=False)

    assert hls.is_media_playlist(growing)
    assert not hls.is_media_playlist(master_playlist(RUNGS))
    assert not hls.is_finished(growing)
    assert hls.is_finished(media_playlist(2, finished=True))
    assert hls.first_segment_uri(growing) == "seg_00001.m4s"
    assert hls.first_segment_uri(media_playlist(0, finished=False)) is None


def test_start_tag_goes_right_after_extm3u_of_a_growing_event_playlist() -> None:
    growing = media_playlist(1, finished=False)

    started = hls.start_at_beginning(growing)

    assert started == growing.replace("#EXTM3U\n", "#EXTM3U\n#EXT-X-START:TIME-OFFSET=0\n", 1)
    assert hls.start_at_beginning(started) == started  # never twice


def test_start_tag_keeps_crlf_line_endings() -> None:
    growing = media_playlist(1, finished=False).replace("\n", "\r\n")

    started = hls.start_at_beginning(growing)

    assert started.startswith("#EXTM3U\r\n#EXT-X-START:TIME-OFFSET=0\r\n#EXT-X-VERSION")


def test_other_playlists_are_left_alone() -> None:
    finished_event = media_playlist(2, finished=True)
    vod = media_playlist(2, finished=False, kind="VOD")
    not_hls = "hello\n" + media_playlist(1, finished=False)

    for text in (finished_event, vod, not_hls, master_playlist(RUNGS), ""):
        assert hls.start_at_beginning(text) == text


def test_resolve_uris_relative_to_their_playlist() -> None:
    assert hls.resolve("hls/master.m3u8", "720p/index.m3u8") == "hls/720p/index.m3u8"
    assert hls.resolve("hls/720p/index.m3u8", "seg_00001.m4s") == "hls/720p/seg_00001.m4s"
    assert hls.resolve("hls/720p/index.m3u8", "../../../x") == "../x"
