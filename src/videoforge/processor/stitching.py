"""Stitching a split job's parts in the store: the parts' small files read back, and the
playlists that media/stitch.py makes from them written into the HLS folder (the master last,
since it names the others). The segments are in place already: each task stored its own.
While the chunks grow, each publication starts from the published playlists and reads only
the new chunks' parts (`grown`); the final step reads every part once (`playlists`)."""

from __future__ import annotations

import logging
from collections.abc import Collection
from pathlib import Path

from videoforge.jobs.tasks import AUDIO_INDEX
from videoforge.media import hls
from videoforge.media.chunks import Chunk
from videoforge.media.rung import AUDIO_NAME
from videoforge.media.stitch import PartTexts, contiguous, grown_texts, stitched_texts
from videoforge.processor.recipe import Recipe
from videoforge.storage import ObjectStore
from videoforge.storage.layout import MASTER_NAME, PLAYLIST_NAME, VideoFiles

log = logging.getLogger(__name__)


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


def grown(
    store: ObjectStore, files: VideoFiles, recipe: Recipe, done: Collection[int], previous: int
) -> dict[str, str] | None:
    """The growing playlists `playlists` makes, from the ones published before (listing the
    first `previous` chunks) and only the later chunks' parts: each handoff reads what is new,
    not every part again. Made from every part when nothing was published yet, or when the
    published playlists do not list exactly those chunks (a writer stopped halfway)."""
    chunks = recipe.chunks()
    ready = contiguous(chunks, done)
    audio_ready = not recipe.has_audio or AUDIO_INDEX in done
    if 0 < previous < len(ready) < len(chunks) and audio_ready:
        texts = _grown(store, files, recipe, chunks, ready[previous:])
        if texts is not None:
            return texts
        log.warning("video %s: rebuilding the playlists from every part", files.video_id)
    return playlists(store, files, recipe, done)


def _grown(
    store: ObjectStore, files: VideoFiles, recipe: Recipe, chunks: list[Chunk], added: list[Chunk]
) -> dict[str, str] | None:
    """`grown_texts` of the published playlists and the added chunks' parts; None when
    the published ones are missing or do not fit."""
    names, code = recipe.rung_names, recipe.encode_id
    try:
        published = read_part(store, files.hls_prefix, names)
    except FileNotFoundError:
        return None
    first_master = _text(store, files.chunk_part(code, 0) + MASTER_NAME)
    parts = {c.index: read_part(store, files.chunk_part(code, c.index), names) for c in added}
    audio = read_part(store, files.audio_part(code), [AUDIO_NAME]) if recipe.has_audio else None
    return grown_texts(chunks, names, published, first_master, parts, audio)


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
