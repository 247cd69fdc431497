"""Publishing HLS output to a store that is not local disk (S3) while ffmpeg still writes it.

ffmpeg writes every segment and playlist under a temporary name and renames it when complete
(`hls_flags temp_file`), and a media playlist names a segment only once it is complete. So each
pass reads the media playlists, uploads the init files and segments they name that are not in
the store yet, then the playlist (the text just read, so it never names a file not uploaded);
the master goes last, once every playlist it names is in the store with a segment. A player
reading the store can start as soon as it could on local disk, a pass interval later.

A part of a split job (processor/parts.py) publishes the same way, its segments into the HLS
folder (their names are unique across the video) and its playlists and master into the part's
own folder, from which they are stitched.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

from videoforge.media import hls
from videoforge.storage import ObjectStore
from videoforge.storage.layout import MASTER_NAME, PLAYLIST_NAME

log = logging.getLogger(__name__)

PASS_SECONDS = 1.0


class HlsPublisher:
    def __init__(
        self,
        store: ObjectStore,
        prefix: str,
        out_dir: Path,
        *,
        playlists_prefix: str | None = None,
        with_init: bool = True,
    ) -> None:
        self.store = store
        self.prefix = prefix  # the HLS folder, VideoFiles.hls_prefix: segments and init files
        self.playlists_prefix = prefix if playlists_prefix is None else playlists_prefix
        self.with_init = with_init  # False: the init files are another part's to store
        self.out_dir = out_dir
        self._uploaded: set[str] = set()  # init files and segments, relative to out_dir
        self._published: dict[str, str] = {}  # playlists as last uploaded
        self._lock = threading.Lock()

    def publish(self) -> None:
        """One pass: upload whatever is complete and not in the store yet, in a safe order."""
        with self._lock:
            for playlist in sorted(self.out_dir.glob(f"*/{PLAYLIST_NAME}")):
                self._publish_playlist(playlist.relative_to(self.out_dir).as_posix())
            master = self._read(MASTER_NAME)
            if master is not None and self._master_ready(master):
                self._put_text(MASTER_NAME, master)

    @contextlib.contextmanager
    def running(self, interval: float = PASS_SECONDS) -> Iterator[HlsPublisher]:
        """Publish in a background thread every `interval` seconds while the block runs. A
        failed pass is logged and tried again next time; the caller's final `publish()` after
        the encode raises if the store still refuses."""
        stop = threading.Event()

        def loop() -> None:
            while not stop.wait(interval):
                try:
                    self.publish()
                except Exception:
                    log.warning("publishing segments failed; trying again", exc_info=True)

        thread = threading.Thread(target=loop, name="hls-publisher", daemon=True)
        thread.start()
        try:
            yield self
        finally:
            stop.set()
            thread.join()

    def published(self, path: str) -> str | None:
        """The text of a playlist (relative to out_dir) as last uploaded."""
        return self._published.get(path)

    def _publish_playlist(self, path: str) -> None:
        text = self._read(path)
        if text is None or self._published.get(path) == text:
            return
        folder = PurePosixPath(path).parent
        for uri in hls.media_uris(text, with_init=self.with_init):
            relative = (folder / uri).as_posix()
            if relative not in self._uploaded:
                self.store.put_file(self.prefix + relative, self.out_dir / relative)
                self._uploaded.add(relative)
        self._put_text(path, text)

    def _master_ready(self, master: str) -> bool:
        uris = hls.parse_master(master).playlist_uris
        return bool(uris) and all(
            hls.first_segment_uri(self._published.get(uri, "")) is not None for uri in uris
        )

    def _read(self, path: str) -> str | None:
        """A file ffmpeg wrote (whole: it renames finished files into place)."""
        try:
            return (self.out_dir / path).read_text(encoding="utf-8")
        except FileNotFoundError:
            return None

    def _put_text(self, path: str, text: str) -> None:
        if self._published.get(path) != text:
            self.store.put_stream(self.playlists_prefix + path, [text.encode("utf-8")])
            self._published[path] = text
