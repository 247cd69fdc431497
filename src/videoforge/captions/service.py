"""Caption tracks of a video: add (or replace) one per language, list, delete.

Who may see or change them is the video's own rule (access.py): a private video's captions do
not exist for anyone else. The WebVTT goes to the store under its row's id (storage/layout.py);
streaming names the tracks in the master playlist it serves (streaming/captions.py).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from videoforge.access import require_change, require_view
from videoforge.captions.schemas import CaptionOut, language_tag
from videoforge.captions.webvtt import CaptionSyntaxError, read_captions
from videoforge.context import Context
from videoforge.db import Caption, User, Video, new_id
from videoforge.errors import BadRequest, NotFound
from videoforge.storage.layout import VideoFiles, caption_path
from videoforge.streaming.captions import video_captions
from videoforge.streaming.signing import MediaLinks


def list_captions(
    session: Session, ctx: Context, user: User | None, video_id: str
) -> list[CaptionOut]:
    video = require_view(user, session.get(Video, video_id))
    return _described(ctx, video, video_captions(session, video.id))


def add_caption(
    session: Session,
    ctx: Context,
    user: User,
    video_id: str,
    *,
    data: bytes,
    filename: str,
    language: str,
    label: str,
) -> CaptionOut:
    """Store the track; one already there in the same language is replaced."""
    video = require_change(user, session.get(Video, video_id))
    tag = language_tag(language)
    try:
        captions = read_captions(data, filename)
    except CaptionSyntaxError as exc:
        details = {"line": exc.line} if exc.line else {}
        raise BadRequest(
            f"This caption file cannot be used: {exc}", code="invalid_captions", **details
        ) from None
    files = VideoFiles(video.id)
    caption = Caption(
        id=new_id(),
        video_id=video.id,
        language=tag,
        label=label.strip() or tag,
        cues_end=captions.end,
    )
    ctx.store.put_stream(files.caption(caption.id), [captions.webvtt.encode()])
    replaced = session.scalar(
        select(Caption).where(Caption.video_id == video.id, Caption.language == tag)
    )
    if replaced is not None:
        session.delete(replaced)
        session.flush()
    session.add(caption)
    session.commit()
    if replaced is not None:
        ctx.store.delete_prefix(files.caption(replaced.id))
    return _described(ctx, video, [caption])[0]


def delete_caption(
    session: Session, ctx: Context, user: User, video_id: str, language: str
) -> None:
    video = require_change(user, session.get(Video, video_id))
    caption = session.scalar(
        select(Caption).where(
            Caption.video_id == video.id, Caption.language == language_tag(language)
        )
    )
    if caption is None:
        raise NotFound("This video has no captions in that language.")
    session.delete(caption)
    session.commit()
    ctx.store.delete_prefix(VideoFiles(video.id).caption(caption.id))


def _described(ctx: Context, video: Video, captions: list[Caption]) -> list[CaptionOut]:
    links = MediaLinks.for_video(ctx, video)
    return [
        CaptionOut(
            id=caption.id,
            language=caption.language,
            label=caption.label,
            url=links.url(caption_path(caption.id)),
            created_at=caption.created_at,
        )
        for caption in captions
    ]
