"""Where a job reads its source and writes its outputs (the keys come from storage/layout.py).

On a local-disk store ffmpeg writes the HLS files straight into the store, so segments are
published as they are written and a viewer can start before the encode ends. On any other
store it writes into the job's work directory and `publisher.HlsPublisher` uploads the files
while ffmpeg runs, media files before the playlists that name them.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from videoforge.storage import ObjectStore
from videoforge.storage.layout import VideoFiles
from videoforge.worker.base import PermanentJobError

SOURCE_MISSING = "The uploaded file is missing from storage; upload the video again."


def local_source(store: ObjectStore, key: str, work_dir: Path) -> Path:
    """A local file with the source: the store's own file when it has one, else a download."""
    path = store.local_path(key)
    if path is not None:
        if not path.is_file():
            raise PermanentJobError(SOURCE_MISSING)
        return path
    dest = work_dir / ("source" + PurePosixPath(key).suffix.lower())
    try:
        store.download(key, dest)
    except FileNotFoundError as exc:
        raise PermanentJobError(SOURCE_MISSING) from exc
    return dest


def hls_output_dir(store: ObjectStore, video_id: str, work_dir: Path) -> tuple[Path, bool]:
    """Remove any earlier attempt's HLS files (a redelivered job overwrites, never adds), then
    return the directory ffmpeg writes into and whether it is the store itself."""
    files = VideoFiles(video_id)
    store.delete_prefix(files.hls_prefix)
    direct = store.local_path(files.hls_folder)
    out_dir = direct if direct is not None else work_dir / "hls"
    out_dir.mkdir(parents=True, exist_ok=True)  # the HLS muxer makes only the rung folders
    return out_dir, direct is not None


def publish_pictures(store: ObjectStore, video_id: str, pictures: list[Path]) -> None:
    """Files stored beside the HLS folder under their own names (layout.EXTRA_NAMES)."""
    files = VideoFiles(video_id)
    for path in pictures:
        if path.is_file():
            store.put_file(files.extra(path.name), path)


def discard_outputs(store: ObjectStore, video_id: str, *, video_gone: bool) -> None:
    """After a cancel: remove what this job wrote (everything, when the video itself is gone)."""
    files = VideoFiles(video_id)
    if video_gone:
        store.delete_prefix(files.folder)
        return
    store.delete_prefix(files.hls_folder)
    for key in files.extras:
        store.delete_prefix(key)
