"""The worker's side of a job: the Job and Video rows as processing moves them along, each
change in a short session of its own (the encode between them takes minutes; no transaction
stays open across it).

A job another party has settled (cancelled by its owner, its video deleted) is never moved
again from here: every change first checks that the job is still the worker's to change.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session, sessionmaker

from videoforge.db import Job, Video, utcnow
from videoforge.jobs.progress import TaskProgress, summarize
from videoforge.jobs.status import ACTIVE, JobStatus, Move, Moves, apply, can
from videoforge.media.facts import ProbeResult
from videoforge.media.rendition import Rendition, dump_renditions


@dataclass(frozen=True)
class Claimed:
    job_id: str
    video_id: str
    source_key: str


class JobState:
    def __init__(self, sessions: sessionmaker[Session], job_id: str) -> None:
        self.sessions = sessions
        self.job_id = job_id

    def claim(self) -> Claimed | None:
        """Start an attempt: job and video processing. None when there is nothing to do (the
        job is finished or gone, or its video was deleted): a redelivered message is a no-op."""
        with self.sessions() as session:
            job = session.get(Job, self.job_id)
            video = session.get(Video, job.video_id) if job else None
            if job is None or video is None or not can(Moves.CLAIM, job.status):
                return None
            apply(Moves.CLAIM, job, video)
            job.attempts += 1
            job.started_at = utcnow()
            job.progress = 0.0
            job.eta_seconds = None
            job.error = None
            video.error = None
            session.commit()
            return Claimed(job.id, video.id, video.source_key)

    def still_active(self) -> bool:
        with self.sessions() as session:
            job = session.get(Job, self.job_id)
            return job is not None and job.status in ACTIVE

    def describe_media(self, probe: ProbeResult, renditions: list[Rendition]) -> None:
        """What the video is and which renditions it will have, written before encoding so the
        player can offer them while the first segments appear."""
        with self.sessions() as session:
            video = self._video(session)
            if video is None:
                return
            display = probe.display_size
            video.duration = probe.duration
            video.width, video.height = display if display else (None, None)
            video.video_codec = probe.video_codec
            video.audio_codec = probe.audio_codec
            video.renditions = dump_renditions(renditions)
            session.commit()

    def progress(self, percent: float, eta_seconds: float | None) -> bool:
        """Record progress; False when the job is no longer active (cancelled, deleted)."""
        with self.sessions() as session:
            job = session.get(Job, self.job_id)
            if job is None or job.status not in ACTIVE:
                return False
            # The job is its one task until jobs are split into several.
            summary = summarize([TaskProgress(JobStatus(job.status), percent, eta_seconds)])
            job.progress, job.eta_seconds = summary.percent, summary.eta_seconds
            session.commit()
            return True

    def finish(self) -> bool:
        """Job and video ready; False (and nothing changed) if the job was settled meanwhile."""
        with self.sessions() as session:
            job = session.get(Job, self.job_id)
            video = self._video(session, job)
            if job is None or video is None or not can(Moves.FINISH, job.status):
                return False
            apply(Moves.FINISH, job, video)
            summary = summarize([TaskProgress(JobStatus.READY)])
            job.progress, job.eta_seconds = summary.percent, summary.eta_seconds
            job.error = None
            job.finished_at = utcnow()
            video.error = None
            session.commit()
            return True

    def retrying(self, message: str) -> None:
        self._leave_active(Moves.BACK_OFF, message)

    def fail(self, reason: str) -> None:
        self._leave_active(Moves.FAIL, reason)

    def _leave_active(self, move: Move, error: str) -> None:
        """Job and video queued again (BACK_OFF) or failed (FAIL) with the job's `error` (also
        the video's when failed), unless the job already left the active states."""
        with self.sessions() as session:
            job = session.get(Job, self.job_id)
            video = self._video(session, job)
            if job is None or not can(move, job.status):
                return
            apply(move, job, video)
            job.error, job.eta_seconds = error, None
            failed = move.target == JobStatus.FAILED
            if failed:
                job.finished_at = utcnow()
            if video is not None and failed:
                video.error = error
            session.commit()

    def _video(self, session: Session, job: Job | None = None) -> Video | None:
        job = job if job is not None else session.get(Job, self.job_id)
        return session.get(Video, job.video_id) if job is not None else None
