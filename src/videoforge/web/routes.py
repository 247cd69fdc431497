"""The browser app, served by the gateway: built assets and index.html for the app's pages.

The build (from `frontend/`, see frontend/README.md) is committed under `static/`, so serving
the app needs no Node. Hashed files under /assets/ never change and are cached for a year;
index.html is revalidated on every visit so a new build is picked up at once. Pages may be
framed only by the site itself, except /embed/{id} (the player alone), which any site may put in
an iframe. A public video's watch page names its oEmbed answer in <head>. Paths that belong
to the API (/api, /media, /docs, /openapi.json, /.well-known) never get the app: the route does
not even match them, so they keep their JSON 404 and 405 answers.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, Response
from fastapi.routing import APIRoute
from starlette.routing import Match
from starlette.types import Scope

from videoforge.context import Context
from videoforge.errors import NotFound, ServiceUnavailable
from videoforge.gallery.oembed import oembed_link, public_video, site_url

STATIC_DIR = Path(__file__).parent / "static"

# First path segments that are never the web app's.
RESERVED = frozenset({"api", "media", "docs", "redoc", "openapi.json", ".well-known", "assets"})
# First path segments of the app's own pages (frontend/src/App.jsx); "" is the gallery.
# Any other path still gets the app (it shows "Page not found"), with status 404.
APP_PAGES = frozenset(
    {
        "",
        "watch",
        "embed",
        "upload",
        "me",
        "signin",
        "signup",
        "account",
        "admin",
        "auth",
        "u",
        "playlist",
    }
)
# Clickjacking: only the site frames its pages; the embeddable player is framed by anyone.
SAME_SITE_FRAMES = {
    "X-Frame-Options": "SAMEORIGIN",
    "Content-Security-Policy": "frame-ancestors 'self'",
}
ANY_FRAMES = {"Content-Security-Policy": "frame-ancestors *"}
# Files at the top of the build (favicon and the like), served as they are.
TOP_LEVEL_CACHE = "public, max-age=3600"
HASHED_CACHE = "public, max-age=31536000, immutable"


def _first_segment(path: str) -> str:
    return path.lstrip("/").split("/", 1)[0]


class _PageRoute(APIRoute):
    """An APIRoute that does not match reserved paths, so they fall through to a JSON 404/405."""

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        if _first_segment(scope.get("path", "")) in RESERVED:
            return Match.NONE, {}
        return super().matches(scope)


router = APIRouter(include_in_schema=False)


def _inside(base: Path, name: str) -> Path | None:
    """base/name when it is an existing file inside base (no `..` escapes), else None."""
    try:
        candidate = (base / name).resolve()
        candidate.relative_to(base.resolve())
    except (ValueError, OSError):
        return None
    return candidate if candidate.is_file() else None


def _index_html() -> Path:
    index = STATIC_DIR / "index.html"
    if not index.is_file():
        raise ServiceUnavailable(
            "The web app has not been built. Build it with "
            "`npm --prefix frontend ci && npm --prefix frontend run build`. "
            "The API works meanwhile.",
            code="web_app_missing",
        )
    return index


@router.api_route("/assets/{name:path}", methods=["GET", "HEAD"])
def asset(name: str) -> FileResponse:
    """A hashed build file: its name changes whenever its content does, so it is cached for good."""
    found = _inside(STATIC_DIR / "assets", name)
    if found is None:
        raise NotFound("There is no such file.")
    return FileResponse(found, headers={"Cache-Control": HASHED_CACHE})


def page(path: str, request: Request) -> Response:
    """index.html for the app's pages (the app routes in the browser); top-level build files."""
    top_level_file = path and "/" not in path and path != "index.html"
    if top_level_file and (found := _inside(STATIC_DIR, path)) is not None:
        return FileResponse(found, headers={"Cache-Control": TOP_LEVEL_CACHE})
    first = _first_segment(path)
    status = 200 if first in APP_PAGES else 404
    html = _index_html().read_text(encoding="utf-8")
    if first == "watch":
        html = _with_oembed_link(html, path, request)
    frames = ANY_FRAMES if first == "embed" else SAME_SITE_FRAMES
    return HTMLResponse(html, status_code=status, headers={"Cache-Control": "no-cache", **frames})


def _with_oembed_link(html: str, path: str, request: Request) -> str:
    """index.html with the oEmbed discovery link in <head>, when the page is a public video's."""
    parts = path.strip("/").split("/")
    ctx: Context | None = getattr(request.app.state, "ctx", None)
    if len(parts) != 2 or ctx is None:
        return html
    with ctx.sessions() as db:
        video = public_video(db, parts[1][:64])
        if video is None:
            return html
        link = oembed_link(site_url(ctx.settings, request), video.id, video.title)
    return html.replace("</head>", f"    {link}\n  </head>", 1)


# Added last, and with the route class that steps aside for the API's paths.
router.add_api_route("/{path:path}", page, methods=["GET", "HEAD"], route_class_override=_PageRoute)
