"""The gateway's forwarding of requests to roles that run in other processes.

Bodies stream both ways (uploads and segments are never held in memory). When a role cannot be
reached the answer is 503 with the original's wording ("Gallery service unavailable").
"""

from __future__ import annotations

import logging

import httpx
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, StreamingResponse
from starlette.background import BackgroundTask

from videoforge.config import Settings
from videoforge.errors import error_body
from videoforge.role_specs import under

log = logging.getLogger(__name__)

# Hop-by-hop headers are about one connection and must not be forwarded (RFC 9110 7.6.1).
_HOP_BY_HOP = {
    "connection",
    "keep-alive",
    "proxy-authenticate",
    "proxy-authorization",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "host",
    "content-length",
}


def remote_prefixes(settings: Settings) -> dict[str, tuple[str, str]]:
    """{path prefix: (role, base URL)} for every role this process reaches in another one."""
    return {
        prefix: (role.name, base)
        for role, base in settings.peer_urls().items()
        if base
        for prefix in role.prefixes
    }


def proxy_router(settings: Settings) -> APIRouter:
    router = APIRouter(include_in_schema=False)
    routes = remote_prefixes(settings)
    client = httpx.AsyncClient(timeout=httpx.Timeout(30.0, read=None), follow_redirects=False)

    async def forward(request: Request) -> StreamingResponse | JSONResponse:
        path = request.url.path
        role, base = next(v for p, v in routes.items() if under(path, p))
        headers = {k: v for k, v in request.headers.items() if k.lower() not in _HOP_BY_HOP}
        headers["x-forwarded-for"] = request.client.host if request.client else ""
        # So a role that writes absolute URLs (tus's Location) points clients at the gateway,
        # not at itself; kept as given when a proxy in front of the gateway set them.
        headers.setdefault("x-forwarded-host", request.headers.get("host", ""))
        headers.setdefault("x-forwarded-proto", request.url.scheme)
        # A body of known length goes on with that length, not chunked: some handlers (tus
        # PATCH) require Content-Length.
        if length := request.headers.get("content-length"):
            headers["content-length"] = length
        url = httpx.URL(base + path, query=request.url.query.encode())
        upstream_request = client.build_request(
            request.method, url, headers=headers, content=request.stream()
        )
        try:
            upstream = await client.send(upstream_request, stream=True)
        except httpx.TransportError as exc:
            log.warning("%s role at %s unreachable: %s", role, base, exc)
            message = f"{role.capitalize()} service unavailable"
            return JSONResponse(error_body("unavailable", message), status_code=503)
        return StreamingResponse(
            upstream.aiter_raw(),
            status_code=upstream.status_code,
            headers=_response_headers(upstream.headers),
            background=BackgroundTask(upstream.aclose),
        )

    for prefix in routes:
        methods = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
        router.add_api_route(prefix + "/{rest:path}", forward, methods=methods, response_model=None)
        router.add_api_route(prefix, forward, methods=methods, response_model=None)
    return router


def _response_headers(upstream: httpx.Headers) -> dict[str, str]:
    """The upstream answer's end-to-end headers, Content-Length included: the raw bytes are
    passed on unchanged, and an answer of known length (a 307 to a presigned URL, say) must not
    turn chunked on the way (ffmpeg's HLS reader fails on a chunked redirect)."""
    headers = {k: v for k, v in upstream.items() if k.lower() not in _HOP_BY_HOP}
    if length := upstream.get("content-length"):
        headers["content-length"] = length
    return headers
