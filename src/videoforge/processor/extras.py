"""What a video gets besides its ladder: pictures before the encode (thumbnail, poster, animated
preview), seek previews and the MP4 download after it. Each is best-effort: a failure is logged
and the video plays without it. All are stored beside the HLS folder (layout.EXTRA_NAMES).
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from videoforge.context import Context
from videoforge.media.download import download_rung, plan_download
from videoforge.media.facts import ProbeResult
from videoforge.media.pictures import (
    LUMA_NAME,
    PICTURE_POSITIONS,
    looks_blank,
    plan_pictures,
)
from videoforge.media.rung import AUDIO_NAME, Rung
from videoforge.media.runner import FfmpegError, FfmpegStopped, run_ffmpeg
from videoforge.media.storyboard import plan_storyboard, storyboard_layout, storyboard_vtt
from videoforge.processor import outputs
from videoforge.storage.layout import (
    DOWNLOAD_NAME,
    PLAYLIST_NAME,
    POSTER_NAME,
    PREVIEW_NAME,
    STORYBOARD_NAME,
    STORYBOARD_VTT_NAME,
    THUMBNAIL_NAME,
)

log = logging.getLogger(__name__)

PICTURES_TIMEOUT = 120.0
# Remuxing and the storyboard read the whole video, but only its smallest rung or by copying.
AFTER_LADDER_TIMEOUT = 600.0


class Extras:
    def __init__(self, ctx: Context, video_id: str, work_dir: Path, stop: threading.Event):
        self.ctx = ctx
        self.video_id = video_id
        self.folder = work_dir / "extras"
        self.folder.mkdir(parents=True, exist_ok=True)
        self.stop = stop

    def pictures(self, facts: ProbeResult, rungs: list[Rung], source: Path) -> None:
        """Thumbnail, poster and preview, from the first part of the video whose picked frame
        is neither black nor blank (or the last part tried, when every one is)."""
        positions = PICTURE_POSITIONS if rungs else PICTURE_POSITIONS[:1]
        for position in positions:
            argv = plan_pictures(
                facts, rungs, self.ctx.settings, self.folder, source=source,
                ffmpeg=self.ctx.ffmpeg, position=position,
            )  # fmt: skip
            try:
                if not self._run(argv, "thumbnail, poster and preview", PICTURES_TIMEOUT):
                    break
            except FfmpegStopped:  # the job was asked to stop: the encode beside us reports it
                return
            luma = self.folder / LUMA_NAME
            if not (luma.is_file() and looks_blank(luma.read_bytes())):
                break
            log.info("video %s: the frame picked at %.0f%% is blank", self.video_id, position * 100)
        names = (THUMBNAIL_NAME, POSTER_NAME, PREVIEW_NAME)
        self._publish([self.folder / name for name in names])

    def after_ladder(
        self, duration: float, has_audio: bool, rungs: list[Rung], hls_dir: Path
    ) -> None:
        """The storyboard (from the smallest rung) and the MP4 download (a copy of the highest
        rung up to 1080p, with the audio), both read from the HLS ladder in `hls_dir`."""
        if not rungs:
            return
        made = []
        lowest = rungs[-1]
        layout = storyboard_layout(duration, lowest.width, lowest.height)
        sprite = self.folder / STORYBOARD_NAME
        argv = plan_storyboard(
            layout, hls_dir / lowest.name / PLAYLIST_NAME, sprite, ffmpeg=self.ctx.ffmpeg
        )
        if self._run(argv, "storyboard", AFTER_LADDER_TIMEOUT):
            vtt = self.folder / STORYBOARD_VTT_NAME
            vtt.write_text(storyboard_vtt(layout, duration), encoding="utf-8")
            made += [sprite, vtt]
        rung = download_rung(rungs)
        if rung is not None:
            audio = hls_dir / AUDIO_NAME / PLAYLIST_NAME if has_audio else None
            download = self.folder / DOWNLOAD_NAME
            argv = plan_download(
                hls_dir / rung.name / PLAYLIST_NAME, audio, download, ffmpeg=self.ctx.ffmpeg
            )
            if self._run(argv, "MP4 download", AFTER_LADDER_TIMEOUT):
                made.append(download)
        self._publish(made)

    def _run(self, argv: list[str], what: str, timeout: float) -> bool:
        try:
            run_ffmpeg(argv, stop=self.stop, timeout=timeout)
        except FfmpegError as exc:
            log.warning("video %s: no %s\n%s", self.video_id, what, exc.details)
            return False
        return True

    def _publish(self, paths: list[Path]) -> None:
        outputs.publish_pictures(self.ctx.store, self.video_id, paths)
