"""The EXT-X-START insertion, and the quality ladder read from a master playlist."""

from __future__ import annotations

from tests.streaming.helpers import RUNGS, master_playlist, media_playlist
from videoforge.media.hls import parse_master
from videoforge.streaming import hls
from videoforge.streaming.qualities import find_rung, rungs_from_master


def test_rungs_read_from_a_master_match_the_recorded_ones() -> None:
    rungs = rungs_from_master(parse_master(master_playlist(RUNGS)), "hls/master.m3u8")

    assert [(r.name, r.playlist, r.height) for r in rungs] == [
        (r["name"], r["playlist"], r["height"]) for r in RUNGS
    ]
    assert find_rung(rungs, " 480P ") == rungs[1]
    assert find_rung(rungs, "1080p") is None


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
