"""Request text no route can use, refused at the door for every route at once.

- A path or query holding a control character (`%00`, `%0a`, ...): no address of VideoForge
  has one, and PostgreSQL text cannot hold NUL, so it would fail deep inside a query.
- A JSON body that is not UTF-8, or whose strings hold a lone UTF-16 surrogate (`"\\ud800"`)
  or NUL (`"\\u0000"`). Python's json module accepts both, yet neither can be stored or even
  encoded as UTF-8; every route would otherwise need its own guard.

Fields that people type refuse other control characters in their own types (text.py).
"""

from __future__ import annotations

import json
import re
from email.message import Message

from starlette.datastructures import Headers
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from videoforge.errors import error_body
from videoforge.text import SURROGATES

# Every JSON body of the API is small; a larger one is refused rather than held in memory.
JSON_BODY_LIMIT = 1024 * 1024

_CONTROL_IN_PATH = re.compile("[\x00-\x1f\x7f]")
_CONTROL_IN_QUERY = re.compile(rb"%(?:[01][0-9a-fA-F]|7[fF])|[\x00-\x1f\x7f]")
# A cheap first look: without one of these escapes, no string can hold NUL or a surrogate.
_SUSPECT_ESCAPE = re.compile(rb"\\u(?:0000|[dD][89a-fA-F])")
_LONE_SURROGATE = re.compile(f"[{SURROGATES}]")

NOTHING_HERE = "There is nothing at this address."
CONTROL_IN_QUERY = "Invalid request: the query holds a control character (such as %00)."
NOT_UTF8 = "The request body is not valid JSON: send it as UTF-8 text."
SURROGATE = (
    "The request body is not valid JSON: a string holds a lone surrogate (such as \\ud800), "
    "which is not text."
)
NUL = "Invalid request: a string in the body holds a NUL character (\\u0000), which no field takes."
TOO_LARGE = f"A JSON body may be at most {JSON_BODY_LIMIT // 1024} KiB."


class RequestChecks:
    """ASGI middleware refusing the requests above with the one JSON error shape."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if _CONTROL_IN_PATH.search(scope["path"]):
            await _refuse(scope, receive, send, 404, "not_found", NOTHING_HERE)
            return
        if _CONTROL_IN_QUERY.search(scope.get("query_string", b"")):
            await _refuse(scope, receive, send, 422, "invalid_request", CONTROL_IN_QUERY)
            return
        if not is_json(Headers(scope=scope).get("content-type")):
            await self.app(scope, receive, send)
            return
        body = bytearray()
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return  # nobody is left to answer
            body += message.get("body", b"")
            if len(body) > JSON_BODY_LIMIT:
                await _refuse(scope, receive, send, 413, "too_large", TOO_LARGE)
                return
            more = message.get("more_body", False)
        if problem := json_body_problem(bytes(body)):
            await _refuse(scope, receive, send, 422, "invalid_request", problem)
            return

        replayed = False

        async def replay() -> dict[str, object]:
            nonlocal replayed
            if replayed:
                return dict(await receive())
            replayed = True
            return {"type": "http.request", "body": bytes(body), "more_body": False}

        await self.app(scope, replay, send)


def is_json(content_type: str | None) -> bool:
    """Whether FastAPI would parse a body of this type as JSON (application/json, */*+json)."""
    if not content_type:
        return False
    message = Message()
    message["content-type"] = content_type
    subtype = message.get_content_subtype()
    return message.get_content_maintype() == "application" and (
        subtype == "json" or subtype.endswith("+json")
    )


def json_body_problem(body: bytes) -> str | None:
    """What makes this JSON body unusable by any route, or None."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return NOT_UTF8
    if not _SUSPECT_ESCAPE.search(body):
        return None
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        return None  # not JSON at all: the route's own parsing says so
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            if "\x00" in item:
                return NUL
            if _LONE_SURROGATE.search(item):
                return SURROGATE
        elif isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return None


async def _refuse(
    scope: Scope, receive: Receive, send: Send, status: int, code: str, message: str
) -> None:
    await JSONResponse(error_body(code, message), status_code=status)(scope, receive, send)
