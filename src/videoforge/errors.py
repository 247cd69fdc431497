"""Domain errors, turned into one JSON error shape in one place.

Every error answer is `{"error": {"code": ..., "message": ...}, "message": ...}`: `message`
is for people, `code` for programs. (`message` is repeated at the top level because the
original's client read it there.)
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException


class VideoForgeError(Exception):
    status_code = 400
    code = "bad_request"

    def __init__(self, message: str, *, code: str | None = None, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        self.details = details


class BadRequest(VideoForgeError):
    pass


class Unauthorized(VideoForgeError):
    status_code = 401
    code = "unauthorized"


class Forbidden(VideoForgeError):
    status_code = 403
    code = "forbidden"


class NotFound(VideoForgeError):
    status_code = 404
    code = "not_found"


class Conflict(VideoForgeError):
    status_code = 409
    code = "conflict"


class PayloadTooLarge(VideoForgeError):
    status_code = 413
    code = "too_large"


class UnsupportedMedia(VideoForgeError):
    status_code = 415
    code = "unsupported_media"


class TooManyRequests(VideoForgeError):
    status_code = 429
    code = "too_many_requests"


class ServiceUnavailable(VideoForgeError):
    status_code = 503
    code = "unavailable"


def error_body(code: str, message: str, **details: Any) -> dict[str, Any]:
    error: dict[str, Any] = {"code": code, "message": message}
    if details:
        error["details"] = details
    return {"error": error, "message": message}


def _describe_validation(exc: RequestValidationError) -> str:
    parts = []
    for err in exc.errors():
        loc = [str(p) for p in err.get("loc", ()) if p not in ("body", "query", "path")]
        where = ".".join(loc) or "request"
        if err.get("type") == "json_invalid":
            return "The request body is not valid JSON."
        parts.append(f"{where}: {err.get('msg', 'invalid')}")
    return "Invalid request: " + "; ".join(parts)


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(VideoForgeError)
    async def _domain(_: Request, exc: VideoForgeError) -> JSONResponse:
        headers = {}
        if "retry_after" in exc.details:
            headers["Retry-After"] = str(int(exc.details["retry_after"]))
        return JSONResponse(
            error_body(exc.code, exc.message, **exc.details),
            status_code=exc.status_code,
            headers=headers,
        )

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse(
            error_body("invalid_request", _describe_validation(exc)), status_code=422
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        message = exc.detail if isinstance(exc.detail, str) else "Request failed."
        if exc.status_code == 404 and message == "Not Found":
            message = "There is nothing at this address."
        if exc.status_code == 405:
            message = "This method is not allowed here."
        return JSONResponse(
            error_body("http_error", message),
            status_code=exc.status_code,
            headers=getattr(exc, "headers", None),
        )
