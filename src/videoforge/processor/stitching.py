"""Stitching a split job's parts in the store: the parts' small files read back, and the
playlists that media/stitch.py makes from them written into the HLS folder (the master last,
since it names the others). The segments are in place already: each task stored its own."""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

from videoforge.jobs.tasks import AUDIO_INDEX
from videoforge.media import hls
from videoforge.media.rung import AUDIO_NAME
from videoforge.media.stitch import PartTexts, contiguous, stitched_texts
from videoforge.processor.recipe import Recipe
from videoforge.storage import ObjectStore
from videoforge.storage.layout import MASTER_NAME, PLAYLIST_NAME, VideoFiles


def read_part(store: ObjectStore, prefix: str, names: list[str]) -> PartTexts:
    playlists = {name: _text(store, f"{prefix}{name}/{PLAYLIST_NAME}") for name in names}
    return PartTexts(playlists, _text(store, prefix + MASTER_NAME))


def playlists(
    store: ObjectStore, files: VideoFiles, recipe: Recipe, done: Collection[int]
) -> dict[str, str] | None:
    """The playlists of the ready chunks contiguous from the start (VOD once all are),
    by path in the HLS folder; None while nothing is playable."""
    chunks = recipe.chunks()
    ready = contiguous(chunks, done)
    if not ready or (recipe.has_audio and AUDIO_INDEX not in done):
        return None
    code = recipe.encode_id
    parts = {c.index: read_part(store, files.chunk_part(code, c.index), recipe.rung_names)
             for c in ready}  # fmt: skip
    audio = read_part(store, files.audio_part(code), [AUDIO_NAME]) if recipe.has_audio else None
    return stitched_texts(chunks, recipe.rung_names, parts, audio, has_audio=recipe.has_audio)


def write(store: ObjectStore, files: VideoFiles, texts: dict[str, str]) -> None:
    """Write the playlists, the master after the media playlists it names."""
    order = sorted(texts, key=lambda path: path == MASTER_NAME)
    for path in order:
        store.put_stream(files.hls_file(path), [texts[path].encode("utf-8")])


def _text(store: ObjectStore, key: str) -> str:
    with store.open(key) as handle:
        return handle.read().decode("utf-8")


def missing(store: ObjectStore, files: VideoFiles, texts: dict[str, str]) -> list[str]:
    """The files the media playlists name that are not in the store (or are empty)."""
    stored = {o.key for o in store.list(files.hls_prefix) if o.size > 0}
    wanted = []
    for path, text in texts.items():
        if path == MASTER_NAME:
            continue
        folder = path.rsplit("/", 1)[0]
        wanted += [files.hls_file(f"{folder}/{uri}") for uri in hls.media_uris(text)]
    return [key for key in wanted if key not in stored]


def local_copy(store: ObjectStore, files: VideoFiles, names: list[str], dest: Path) -> Path:
    """A local HLS folder with these renditions (the store's own, or a download of them)."""
    direct = store.local_path(files.hls_folder)
    if direct is not None:
        return direct
    for name in names:
        for stored in store.list(files.hls_file(f"{name}/")):
            target = dest / stored.key.removeprefix(files.hls_prefix)
            target.parent.mkdir(parents=True, exist_ok=True)
            store.download(stored.key, target)
    return dest
