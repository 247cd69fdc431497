"""Logging set-up: readable lines by default, one JSON object per line with VIDEOFORGE_LOG_JSON.

Every line names what it belongs to: the request id (taken from `X-Request-ID` or made here,
sent back in the response, and forwarded by the gateway so that one id follows a request
through every role) and, in workers, the job id.
"""

from __future__ import annotations

import json
import logging
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import IO

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from videoforge.config import Settings

REQUEST_ID_HEADER = "x-request-id"
# Ids from outside are logged as they are, so only plain tokens are trusted (no log forging).
_SAFE_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")

request_id_var: ContextVar[str | None] = ContextVar("videoforge_request_id", default=None)
job_id_var: ContextVar[str | None] = ContextVar("videoforge_job_id", default=None)


class RequestIdMiddleware:
    """Give every HTTP request an id: the caller's `X-Request-ID` when it is a plain token,
    else a new one. The id is put into the request's headers (so the gateway forwards it),
    into `request_id_var` for the log lines, and into the response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = MutableHeaders(scope=scope)
        given = headers.get(REQUEST_ID_HEADER, "")
        request_id = given if _SAFE_ID.fullmatch(given) else uuid.uuid4().hex
        headers[REQUEST_ID_HEADER] = request_id  # replaces an unsafe one

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                # Replace, not append: a forwarded answer already carries the peer's copy.
                MutableHeaders(scope=message)[REQUEST_ID_HEADER] = request_id
            await send(message)

        token = request_id_var.set(request_id)
        try:
            await self.app(scope, receive, send_with_id)
        finally:
            request_id_var.reset(token)


@contextmanager
def job_logging(job_id: object) -> Iterator[None]:
    """Log lines inside carry this job id (workers wrap each job in it)."""
    token = job_id_var.set(None if job_id is None else str(job_id))
    try:
        yield
    finally:
        job_id_var.reset(token)


class ContextFilter(logging.Filter):
    """Copy the request and job ids onto every record (as `request_id` and `job_id`)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        record.job_id = job_id_var.get()
        return True


class TextFormatter(logging.Formatter):
    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)-7s %(name)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        ids = [
            f"{label}={value}"
            for label, value in (
                ("request", getattr(record, "request_id", None)),
                ("job", getattr(record, "job_id", None)),
            )
            if value
        ]
        if not ids:
            return line
        first, newline, rest = line.partition("\n")  # keep ids on the line, not the traceback
        return f"{first} [{' '.join(ids)}]{newline}{rest}"


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key in ("request_id", "job_id"):
            value = getattr(record, key, None)
            if value:
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry)


def configure_logging(settings: Settings, stream: IO[str] | None = None) -> None:
    """Send every log record to stderr (or `stream`) in the configured format."""
    handler = logging.StreamHandler(stream)
    handler.addFilter(ContextFilter())
    handler.setFormatter(JsonFormatter() if settings.log_json else TextFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(settings.log_level.upper())
