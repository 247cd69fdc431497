"""GET /api/gallery/oembed: the oEmbed answer (https://oembed.com/) for a public video's watch or
embed address, so that sites and chat apps can show the player (/embed/{id}) in an iframe.

Only public videos are described: an unlisted one is for those its owner gave the link to, and
oEmbed answers anyone. Names are oEmbed's own (snake_case), not the API's camelCase.
"""

from __future__ import annotations

import html
import re
from typing import Annotated, Literal
from urllib.parse import urlencode, urlsplit
from xml.etree import ElementTree

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from videoforge.config import Settings
from videoforge.db import User, Video
from videoforge.deps import CtxDep, DbDep
from videoforge.errors import NotFound
from videoforge.jobs.status import VideoStatus
from videoforge.media.pictures import THUMBNAIL_WIDTH
from videoforge.streaming.revocation import owner_disabled

router = APIRouter(tags=["gallery"])
PATH = "/api/gallery/oembed"
PROVIDER = "VideoForge"
DEFAULT_WIDTH = 640
MIN_SIDE = 64
_VIDEO_PAGE = re.compile(r"/(?:watch|embed)/([A-Za-z0-9_-]{1,64})/?")
UNKNOWN = "No public video is at this address."


class OEmbed(BaseModel):
    version: str = "1.0"
    type: Literal["video"] = "video"
    provider_name: str = PROVIDER
    provider_url: str
    title: str
    author_name: str
    html: str
    width: int
    height: int
    thumbnail_url: str | None = None
    thumbnail_width: int | None = None
    thumbnail_height: int | None = None


def site_url(settings: Settings, request: Request) -> str:
    """Where viewers reach the site: the configured public URL, else this request's own base."""
    return (settings.public_url or str(request.base_url)).rstrip("/")


def oembed_link(site: str, video_id: str, title: str) -> str:
    """The discovery <link> for a public video's watch page (web/routes.py puts it in <head>)."""
    query = urlencode({"url": f"{site}/watch/{video_id}", "format": "json"})
    return (
        f'<link rel="alternate" type="application/json+oembed" '
        f'href="{html.escape(f"{site}{PATH}?{query}")}" title="{html.escape(title)}">'
    )


def public_video(session: Session, video_id: str) -> Video | None:
    """The video, when it is public and its owner may still be seen."""
    video = session.get(Video, video_id)
    if video is None or video.visibility != "public" or owner_disabled(session, video):
        return None
    return video


def fit(
    width: int | None, height: int | None, max_width: int | None, max_height: int | None
) -> tuple[int, int]:
    """The player's size: the video's shape (16:9 when unknown), 640 wide, within the limits."""
    ratio = width / height if width and height else 16 / 9
    box_width = max(MIN_SIDE, min(DEFAULT_WIDTH, max_width or DEFAULT_WIDTH))
    out_width, out_height = box_width, round(box_width / ratio)
    if max_height and out_height > max_height:
        out_height = max(MIN_SIDE, max_height)
        out_width = round(out_height * ratio)
    return out_width, out_height


def as_xml(answer: OEmbed) -> Response:
    """oEmbed's XML form: the same fields as elements of <oembed> (oembed.com, section 2.3.4)."""
    root = ElementTree.Element("oembed")
    for name, value in answer.model_dump(exclude_none=True).items():
        ElementTree.SubElement(root, name).text = str(value)
    body = ElementTree.tostring(root, encoding="utf-8", xml_declaration=True)
    return Response(body, media_type="text/xml; charset=utf-8")


@router.get(
    PATH,
    response_model=OEmbed,
    responses={200: {"content": {"text/xml": {}}}, 404: {"description": "No public video there"}},
)
def oembed(
    request: Request,
    ctx: CtxDep,
    db: DbDep,
    url: Annotated[str, Query(max_length=2000)],
    maxwidth: Annotated[int | None, Query(gt=0)] = None,
    maxheight: Annotated[int | None, Query(gt=0)] = None,
    format: Literal["json", "xml"] = "json",
) -> OEmbed | Response:
    site = site_url(ctx.settings, request)
    asked = urlsplit(url)
    match = _VIDEO_PAGE.fullmatch(asked.path)
    if asked.netloc != urlsplit(site).netloc or match is None:
        raise NotFound(UNKNOWN)
    video = public_video(db, match[1])
    if video is None:
        raise NotFound(UNKNOWN)
    owner = db.scalar(select(User.username).where(User.id == video.user_id)) or ""
    width, height = fit(video.width, video.height, maxwidth, maxheight)
    src = f"{site}/embed/{video.id}"
    frame = (
        f'<iframe src="{html.escape(src)}" width="{width}" height="{height}" '
        f'title="{html.escape(video.title)}" frameborder="0" '
        'allow="autoplay; fullscreen; picture-in-picture" allowfullscreen></iframe>'
    )
    answer = OEmbed(
        provider_url=site, title=video.title, author_name=owner, html=frame,
        width=width, height=height,
    )  # fmt: skip
    if video.status == VideoStatus.READY:
        thumb_width, thumb_height = fit(video.width, video.height, THUMBNAIL_WIDTH, None)
        answer.thumbnail_url = f"{site}/api/stream/{video.id}/thumbnail.jpg"
        answer.thumbnail_width, answer.thumbnail_height = thumb_width, thumb_height
    return as_xml(answer) if format == "xml" else answer
