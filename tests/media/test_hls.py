"""Playlist reading, on text alone."""

from __future__ import annotations

from tests.streaming.helpers import RUNGS, master_playlist, media_playlist
from videoforge.media import hls


def test_parse_master_finds_variants_and_the_audio_rendition() -> None:
    master = hls.parse_master(master_playlist(RUNGS))

    assert [v.uri for v in master.variants] == [
        "720p/index.m3u8", "480p/index.m3u8", "360p/index.m3u8",
    ]  # fmt: skip
    assert master.variants[0] == hls.Variant("720p/index.m3u8", 3040000, 1280, 720, 30.0)
    assert master.rendition_uris == ["audio/index.m3u8"]


def test_media_playlist_facts() -> None:
    growing = media_playlist(2, finished=False)

    assert hls.is_media_playlist(growing)
    assert not hls.is_media_playlist(master_playlist(RUNGS))
    assert not hls.is_finished(growing)
    assert hls.is_finished(media_playlist(2, finished=True))
    assert hls.first_segment_uri(growing) == "seg_00001.m4s"
    assert hls.first_segment_uri(media_playlist(0, finished=False)) is None


def test_resolve_uris_relative_to_their_playlist() -> None:
    assert hls.resolve("hls/master.m3u8", "720p/index.m3u8") == "hls/720p/index.m3u8"
    assert hls.resolve("hls/720p/index.m3u8", "seg_00001.m4s") == "hls/720p/seg_00001.m4s"
    assert hls.resolve("hls/720p/index.m3u8", "../../../x") == "../x"
