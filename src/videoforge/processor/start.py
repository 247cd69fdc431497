"""Chunk 0 of a split job published while it encodes, so the video plays from its start seconds
after the upload, as the one-task path does, instead of once the whole first chunk is done.

Every part publishes its segments into the HLS folder as ffmpeg writes them (publisher.py);
the audio part also its growing playlist into its part folder. After each pass, chunk 0 reads
that playlist and writes growing EVENT playlists of what it has so far, the audio listed as far
as the video goes (media/stitch.start_texts). Nothing else writes them meanwhile: the handoff
publishes only once chunk 0 is ready, which it marks after its last pass; the job's row lock
(jobs/tasks.publishing_start) keeps a stale encode or a cancelled job from writing.
"""

from __future__ import annotations

from pathlib import Path

from videoforge.context import Context
from videoforge.jobs.tasks import publishing_start
from videoforge.media.rung import AUDIO_NAME
from videoforge.media.stitch import PartTexts, start_texts
from videoforge.processor import stitching
from videoforge.processor.publisher import HlsPublisher
from videoforge.processor.recipe import Recipe
from videoforge.storage.layout import MASTER_NAME, PLAYLIST_NAME, VideoFiles


class StartPublisher(HlsPublisher):
    def __init__(
        self,
        ctx: Context,
        job_id: str,
        recipe: Recipe,
        files: VideoFiles,
        out_dir: Path,
        part_prefix: str,
    ) -> None:
        super().__init__(ctx.store, files.hls_prefix, out_dir, playlists_prefix=part_prefix)
        self.ctx = ctx
        self.job_id = job_id
        self.recipe = recipe
        self.files = files
        self._audio: PartTexts | None = None  # once the audio part's playlist is complete
        self._written: dict[str, str] = {}

    def publish(self) -> None:
        super().publish()
        texts = self._start_texts()
        if texts is None or texts == self._written:
            return
        with publishing_start(self.ctx.sessions, self.job_id, self.recipe.encode_id) as allowed:
            if not allowed:
                return
            stitching.write(self.store, self.files, texts)
        self._written = texts

    def _start_texts(self) -> dict[str, str] | None:
        master = self._read(MASTER_NAME)
        if master is None:
            return None
        names = self.recipe.rung_names
        playlists = {name: self.published(f"{name}/{PLAYLIST_NAME}") or "" for name in names}
        audio = None
        if self.recipe.has_audio:
            audio = self._audio_part()
            if audio is None:
                return None
        return start_texts(names, PartTexts(playlists, master), audio)

    def _audio_part(self) -> PartTexts | None:
        """The audio part as far as it is published (read again until it is complete)."""
        if self._audio is not None:
            return self._audio
        prefix = self.files.audio_part(self.recipe.encode_id)
        try:
            audio = stitching.read_part(self.store, prefix, [AUDIO_NAME])
        except FileNotFoundError:
            return None  # its first segment is not published yet
        if "#EXT-X-ENDLIST" in audio.playlists[AUDIO_NAME]:
            self._audio = audio
        return audio
