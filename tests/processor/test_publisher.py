"""HlsPublisher: files reach a remote store in an order a player can always follow."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from videoforge.media.hls import media_uris
from videoforge.processor.publisher import HlsPublisher
from videoforge.storage import LocalStore

MASTER = """#EXTM3U
#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="group_audio",NAME="audio",DEFAULT=YES,URI="audio/index.m3u8"
#EXT-X-STREAM-INF:BANDWIDTH=600000,RESOLUTION=426x240,AUDIO="group_audio"
240p/index.m3u8
"""


def playlist(init: str, segments: int, finished: bool = False) -> str:
    lines = ["#EXTM3U", "#EXT-X-PLAYLIST-TYPE:EVENT", f'#EXT-X-MAP:URI="{init}"']
    for number in range(1, segments + 1):
        lines += ["#EXTINF:4.000000,", f"seg_{number:05d}.m4s"]
    return "\n".join([*lines, *(["#EXT-X-ENDLIST"] if finished else [])]) + "\n"


class RecordingStore(LocalStore):
    def __init__(self, root: Path) -> None:
        super().__init__(root)
        self.puts: list[str] = []

    def put_file(self, key: str, path: Path) -> None:
        self.puts.append(key)
        super().put_file(key, path)

    def put_stream(self, key: str, chunks: Iterable[bytes]) -> int:
        self.puts.append(key)
        return super().put_stream(key, chunks)


def write(out: Path, path: str, text: str = "data") -> None:
    (out / path).parent.mkdir(parents=True, exist_ok=True)
    (out / path).write_text(text)


def test_segments_before_playlists_and_the_master_last(tmp_path: Path) -> None:
    out, store = tmp_path / "hls", RecordingStore(tmp_path / "store")
    publisher = HlsPublisher(store, "videos/v1/hls/", out)
    write(out, "master.m3u8", MASTER)
    for name in ("init_0.mp4", "seg_00001.m4s", "seg_00002.m4s"):  # seg 2 is not listed yet
        write(out, f"240p/{name}")
    write(out, "240p/index.m3u8", playlist("init_0.mp4", 1))

    publisher.publish()  # the audio has no playlist yet: no master
    assert store.puts == [
        "videos/v1/hls/240p/init_0.mp4",
        "videos/v1/hls/240p/seg_00001.m4s",
        "videos/v1/hls/240p/index.m3u8",
    ]

    write(out, "audio/init_1.mp4")
    write(out, "audio/seg_00001.m4s")
    write(out, "audio/index.m3u8", playlist("init_1.mp4", 1))
    write(out, "240p/index.m3u8", playlist("init_0.mp4", 2, finished=True))
    store.puts.clear()
    publisher.publish()
    assert store.puts == [
        "videos/v1/hls/240p/seg_00002.m4s",
        "videos/v1/hls/240p/index.m3u8",
        "videos/v1/hls/audio/init_1.mp4",
        "videos/v1/hls/audio/seg_00001.m4s",
        "videos/v1/hls/audio/index.m3u8",
        "videos/v1/hls/master.m3u8",
    ]

    store.puts.clear()
    publisher.publish()  # nothing changed: nothing sent again
    assert store.puts == []
    with store.open("videos/v1/hls/240p/index.m3u8") as stored:
        assert stored.read().decode().endswith("#EXT-X-ENDLIST\n")


def test_media_uris_lists_the_init_file_then_the_segments() -> None:
    assert media_uris(playlist("init.mp4", 2)) == ["init.mp4", "seg_00001.m4s", "seg_00002.m4s"]
