"""/api/gallery/videos/{id}/captions: a video's caption tracks (gallery role)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Response, UploadFile

from videoforge.auth.deps import CurrentUser, OptionalUser
from videoforge.captions import service
from videoforge.captions.schemas import LABEL_MAX, LANGUAGE_MAX, CaptionOut
from videoforge.deps import CtxDep, DbDep
from videoforge.gallery.multipart import read_small_file
from videoforge.text import Line

router = APIRouter(tags=["captions"])
PATH = "/api/gallery/videos/{video_id}/captions"
# A feature film's subtitles are well under 200 KiB; anything past this is not a caption file.
MAX_CAPTION_BYTES = 2 * 1024 * 1024


@router.get(PATH, response_model=list[CaptionOut])
def list_captions(video_id: str, ctx: CtxDep, db: DbDep, user: OptionalUser) -> list[CaptionOut]:
    """The video's caption tracks, for whoever may see the video."""
    return service.list_captions(db, ctx, user, video_id)


@router.post(
    PATH,
    status_code=201,
    response_model=CaptionOut,
    responses={
        400: {"description": "Bad caption syntax (the message names the line), bad language"},
        413: {"description": "The file is larger than 2 MiB"},
    },
)
def add_caption(
    video_id: str,
    ctx: CtxDep,
    db: DbDep,
    user: CurrentUser,
    file: Annotated[UploadFile, File(description="WebVTT (.vtt) or SubRip (.srt), UTF-8")],
    language: Annotated[str, Form(max_length=LANGUAGE_MAX, description="BCP 47: en, pt-BR")],
    label: Annotated[Line, Form(max_length=LABEL_MAX, description="Shown in the menu")] = "",
) -> CaptionOut:
    """Add a caption track (owner or admin); one already there in this language is replaced."""
    data = read_small_file(file.file, MAX_CAPTION_BYTES, "A caption file")
    return service.add_caption(
        db,
        ctx,
        user,
        video_id,
        data=data,
        filename=file.filename or "",
        language=language,
        label=label,
    )


@router.delete(PATH + "/{language}", status_code=204, response_class=Response)
def delete_caption(video_id: str, language: str, ctx: CtxDep, db: DbDep, user: CurrentUser) -> None:
    """Remove the track in this language (owner or admin)."""
    service.delete_caption(db, ctx, user, video_id, language)
