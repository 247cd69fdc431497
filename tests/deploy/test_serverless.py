"""The Lambda handlers answer every event shape API Gateway and function URLs send, with and
without the `/api/...` prefix, against a real SQLite database in a temporary data dir."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from videoforge import serverless
from videoforge.config import load_settings
from videoforge.context import build_context
from videoforge.db import User, Video

Event = dict[str, Any]
HOST = "abc123.execute-api.eu-west-1.amazonaws.com"


def rest_v1(path: str, resource: str, query: dict[str, str] | None = None) -> Event:
    """API Gateway REST API (payload 1.0)."""
    headers = {"Host": HOST, "X-Forwarded-Proto": "https", "X-Forwarded-Port": "443"}
    return {
        "resource": resource,
        "path": path,
        "httpMethod": "GET",
        "headers": headers,
        "multiValueHeaders": {k: [v] for k, v in headers.items()},
        "queryStringParameters": query,
        "multiValueQueryStringParameters": {k: [v] for k, v in (query or {}).items()} or None,
        "pathParameters": {"proxy": path.rsplit("/", 1)[-1]},
        "stageVariables": None,
        "requestContext": {
            "resourcePath": resource,
            "httpMethod": "GET",
            "path": f"/prod{path}",
            "stage": "prod",
            "identity": {"sourceIp": "203.0.113.7"},
            "requestId": "c6af9ac6-7b61-11e6-9a41-93e8deadbeef",
        },
        "body": None,
        "isBase64Encoded": False,
    }


def _v2(path: str, route_key: str, query: str, context: dict[str, Any]) -> Event:
    http = {"method": "GET", "path": path, "protocol": "HTTP/1.1", "sourceIp": "203.0.113.7"}
    return {
        "version": "2.0",
        "routeKey": route_key,
        "rawPath": path,
        "rawQueryString": query,
        "headers": {"host": HOST, "x-forwarded-proto": "https", "x-forwarded-port": "443"},
        "requestContext": {**context, "http": http, "requestId": "JKJaXmPLvHcESHA="},
        "isBase64Encoded": False,
    }


def http_v2(path: str, route_key: str, query: str = "", stage: str = "$default") -> Event:
    """API Gateway HTTP API (payload 2.0)."""
    return _v2(path, route_key, query, {"stage": stage, "apiId": "abc123", "routeKey": route_key})


def function_url(path: str, query: str = "") -> Event:
    """A Lambda function URL: the 2.0 shape, without an API's stage or route."""
    return _v2(path, "$default", query, {"domainName": "xyz.lambda-url.eu-west-1.on.aws"})


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.chdir(tmp_path)  # no stray .env
    monkeypatch.setenv("VIDEOFORGE_DATA_DIR", str(tmp_path / "var"))
    serverless._handler.cache_clear()
    yield tmp_path / "var"
    serverless._handler.cache_clear()


@pytest.fixture
def public_video(data_dir: Path) -> str:
    ctx = build_context(load_settings(data_dir=data_dir))
    with ctx.sessions() as db:
        user = User(username="alice", email="alice@example.com", password_hash="x")
        db.add(user)
        db.flush()
        video = Video(
            user_id=user.id, title="Holiday", status="uploaded", source_key="videos/x/source/a.mp4"
        )
        db.add(video)
        db.commit()
        video_id = video.id
    ctx.close()
    return video_id


def invoke(handler: Callable[[Event, Any], dict[str, Any]], event: Event, context: Any) -> Any:
    """Call a handler as Lambda does: on a thread with no event loop running.

    Mangum drives the app with `asyncio.get_event_loop()`; in this test process another test
    (Playwright's sync API) may have left a loop running on the main thread, which Lambda never has.
    """
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(_with_own_loop, handler, event, context).result()


def _with_own_loop(
    handler: Callable[[Event, Any], dict[str, Any]], event: Event, context: Any
) -> Any:
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    try:
        return handler(event, context)
    finally:
        loop.close()


def body(response: dict[str, Any]) -> Any:
    assert not response.get("isBase64Encoded")
    return json.loads(response["body"])


GALLERY_EVENTS: dict[str, Callable[[], Event]] = {
    "rest": lambda: rest_v1("/api/gallery/videos", "/api/gallery/{proxy+}", {"limit": "5"}),
    "rest stripped": lambda: rest_v1("/videos", "/{proxy+}", {"limit": "5"}),
    "http api": lambda: http_v2("/api/gallery/videos", "ANY /api/gallery/{proxy+}", "limit=5"),
    "http api stripped": lambda: http_v2("/videos", "ANY /{proxy+}", "limit=5"),
    "http api named stage": lambda: http_v2(
        "/prod/api/gallery/videos", "ANY /api/gallery/{proxy+}", "limit=5", stage="prod"
    ),
    "function url": lambda: function_url("/api/gallery/videos", "limit=5"),
    "function url stripped": lambda: function_url("/videos", "limit=5"),
}


@pytest.mark.parametrize("shape", list(GALLERY_EVENTS))
def test_gallery_lists_videos(shape: str, public_video: str) -> None:
    response = invoke(serverless.gallery_handler, GALLERY_EVENTS[shape](), None)
    assert response["statusCode"] == 200, response
    page = body(response)
    assert [v["id"] for v in page["videos"]] == [public_video]
    assert page["videos"][0]["title"] == "Holiday"
    assert page["pagination"]["total"] == 1
    assert page["pagination"]["limit"] == 5


STREAM_EVENTS: dict[str, Callable[[], Event]] = {
    "rest": lambda: rest_v1("/api/stream/nope", "/api/stream/{proxy+}"),
    "rest stripped": lambda: rest_v1("/nope", "/{proxy+}"),
    "http api": lambda: http_v2("/api/stream/nope", "ANY /api/stream/{proxy+}"),
    "http api stripped": lambda: http_v2("/nope", "ANY /{proxy+}"),
    "function url": lambda: function_url("/api/stream/nope"),
    "function url stripped": lambda: function_url("/nope"),
}


@pytest.mark.parametrize("shape", list(STREAM_EVENTS))
def test_streaming_unknown_video_is_json_404(shape: str, data_dir: Path) -> None:
    response = invoke(serverless.streaming_handler, STREAM_EVENTS[shape](), None)
    assert response["statusCode"] == 404, response
    assert body(response)["error"]["code"] == "not_found"


def test_stripped_prefix_follows_the_route_it_came_from(data_dir: Path) -> None:
    """A `{proxy+}` under /api/upload is the upload prefix, not the gallery's first one."""
    event = rest_v1("/generate-url", "/api/upload/{proxy+}")
    event["httpMethod"] = "POST"
    response = invoke(serverless.gallery_handler, event, None)
    # Signed-out upload requests are refused by the upload route (not a 404 for a wrong path).
    assert response["statusCode"] == 401, response


@pytest.mark.parametrize("path", ["/api/health", "/health"])
def test_health_on_the_function(path: str, data_dir: Path) -> None:
    response = invoke(serverless.streaming_handler, function_url(path), None)
    assert response["statusCode"] == 200
    assert body(response)["roles"] == ["streaming"]


def test_the_app_is_built_once_per_environment(data_dir: Path) -> None:
    invoke(serverless.gallery_handler, function_url("/api/health"), None)
    invoke(serverless.gallery_handler, function_url("/api/health"), None)
    assert serverless._handler.cache_info().misses == 1


def test_settings_problems_are_named(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VIDEOFORGE_STORE", "s3")
    with pytest.raises(Exception, match="S3_BUCKET_NAME"):
        invoke(serverless.gallery_handler, function_url("/api/health"), None)
