"""/api/gallery/videos: list, upload, get, change and delete videos (and the original's
/api/upload alias). Paths are written in full; the router has no prefix."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request, Response

from videoforge.auth.deps import CallerDep, CurrentUser, OptionalUser
from videoforge.deps import CtxDep, DbDep
from videoforge.gallery import service
from videoforge.gallery.deps import GalleryDep
from videoforge.gallery.form_upload import OPENAPI_BODY, receive_upload
from videoforge.gallery.schemas import VideoOut, VideoPage, VideoSort, VideoUpdate
from videoforge.pagination import PageNumber, PageSize

router = APIRouter(tags=["gallery"])


@router.get("/api/gallery/videos", response_model=VideoPage)
def list_videos(
    ctx: CtxDep,
    db: DbDep,
    user: OptionalUser,
    page: PageNumber = 1,
    limit: PageSize = 10,
    search: Annotated[str, Query(max_length=200)] = "",
    # "" is what the original's client sent for "any".
    visibility: Literal["", "public", "unlisted", "private"] = "",
    sort: Literal["", "newest", "oldest", "title", "views", "duration"] = "newest",
    mine: bool = False,
) -> VideoPage:
    """The public gallery: public videos only, for everyone. `mine=true` lists the caller's
    own videos (any visibility); `visibility=private` or `unlisted` the caller's own of that
    kind (admins: every unlisted one)."""
    order: VideoSort = sort or "newest"
    return service.list_videos(
        db,
        ctx,
        user,
        page=page,
        limit=limit,
        search=search,
        visibility=visibility,
        sort=order,
        mine=mine,
    )


@router.post(
    "/api/gallery/videos",
    status_code=202,
    response_model=VideoOut,
    openapi_extra=OPENAPI_BODY,
    responses={
        400: {"description": "Empty file, or a file name that is a path"},
        413: {"description": "The file is larger than the upload limit"},
        415: {"description": "Not a video or audio file"},
    },
)
async def upload_video(
    request: Request, ctx: CtxDep, gallery: GalleryDep, db: DbDep, user: CurrentUser
) -> VideoOut:
    """Upload a video as multipart/form-data (`file`, `title`, `description`, `visibility`).

    Answers 202 with the video (status `queued`) and its `jobId`; follow the job at
    /api/jobs/{jobId}/events. Large files are better sent resumably to /api/gallery/uploads/.
    """
    db.close()  # the sign-in check is done: hold no transaction open while the body streams
    return await receive_upload(request, ctx, user, gallery.form_uploads)


@router.post(
    "/api/upload",
    status_code=202,
    response_model=VideoOut,
    openapi_extra=OPENAPI_BODY,
    include_in_schema=False,
)
async def upload_video_alias(
    request: Request, ctx: CtxDep, gallery: GalleryDep, db: DbDep, user: CurrentUser
) -> VideoOut:
    """The original's upload path; same as POST /api/gallery/videos."""
    return await upload_video(request, ctx, gallery, db, user)


@router.get("/api/gallery/videos/{video_id}", response_model=VideoOut)
def get_video(
    video_id: str, ctx: CtxDep, db: DbDep, user: OptionalUser, caller: CallerDep
) -> VideoOut:
    """One video; counts a view unless the owner is looking, once per viewer within a few
    hours (not per page load). Private videos are 404 to others."""
    return service.get_video(db, ctx, user, video_id, caller)


@router.patch("/api/gallery/videos/{video_id}", response_model=VideoOut)
@router.put("/api/gallery/videos/{video_id}", response_model=VideoOut)
def update_video(
    video_id: str, body: VideoUpdate, ctx: CtxDep, db: DbDep, user: CurrentUser
) -> VideoOut:
    """Change title, description, visibility or whether comments are taken (owner or admin).
    PUT is the original's verb."""
    return service.update_video(db, ctx, user, video_id, body)


@router.delete("/api/gallery/videos/{video_id}", status_code=204, response_class=Response)
def delete_video(video_id: str, ctx: CtxDep, db: DbDep, user: CurrentUser) -> None:
    """Delete the video, its stored files and its jobs (owner or admin)."""
    service.delete_video(db, ctx, user, video_id)
