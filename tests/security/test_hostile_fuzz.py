"""Hostile input on every route (issue 10, "No 5xx on any input").

Hypothesis draws, for each route of the app (the /media/... paths and tus included): path
values, query values, JSON bodies, multipart fields and tus headers full of lone surrogates, NUL
and other control characters, very long digit runs, huge numbers, deep nesting and wrong types;
real ids are mixed in so that requests get past the lookups. Whatever arrives, no answer is a
5xx, and every error answer is a readable message in the one JSON shape.

It runs on SQLite and on PostgreSQL (which, unlike SQLite, refuses NUL in text), signed in as
an administrator (so that admin routes read their input too) with a fresh session per request
(a call that signs out ends only its own). Examples are derandomized: the same requests every
run, so CI does not flake; EXAMPLES bounds the time (about half a minute per database).
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import DatabaseFactory
from videoforge.app import create_app
from videoforge.auth import service
from videoforge.config import load_settings
from videoforge.context import Context, build_context
from videoforge.streaming.signing import sign_media
from videoforge.testing.routes import all_routes

from .conftest import add_ready_video

EXAMPLES = 16  # per route and database
PASSWORD = "correct horse 42"

# Strings no route should choke on.
NASTY_TEXT = [
    "\ud800",
    "x\udfffy",
    "\x00",
    "a\x00b",
    "\x07\x1b[2J",
    "line\nbreak",
    "\u202egnp.exe",
    "\ufeff",
    "9" * 5000,
    "-" + "9" * 4301,
    "99999999999999999999",
    "-1",
    "0",
    "1e400",
    "NaN",
    "",
    " ",
    "../../etc/passwd",
    "%00",
    "%ZZ",
    "\U0001f3ac" * 40,
    "x" * 70_000,
    "null",
    "public",
]
any_text = st.text(st.characters(categories=["Cc", "Cs", "Zs", "L", "Nd", "P", "S"]), max_size=24)
# Mostly the known-nasty strings (a few examples per route must meet them), some random text.
hostile_text = st.sampled_from(NASTY_TEXT) | st.sampled_from(NASTY_TEXT) | any_text
# In a URL: no 70,000 characters (clients refuse URLs past 64 KiB; servers, far sooner).
url_text = st.sampled_from([text for text in NASTY_TEXT if len(text) < 8000]) | any_text
# Answered by the web app (pages for browsers, HTML); everything else answers JSON errors.
API_PREFIXES = ("/api/", "/media/", "/.well-known/")
json_leaf = st.one_of(
    hostile_text,
    st.integers(min_value=-(10**40), max_value=10**40),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.none(),
)
json_value = st.recursive(
    json_leaf,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(hostile_text, inner, max_size=3),
    max_leaves=6,
)
# JSON documents json.dumps cannot write: deep nesting, digit runs past int()'s limit, bad bytes.
RAW_BODIES = [
    b"[" * 100_000,
    b'{"a":' * 50_000,
    b"9" * 5000,
    b"1e999",
    b"\xff\xfe{\x00}",
    b'{"x": "\xed\xa0\x80"}',
    b'"\\ud800"',
    b"{",
    b"",
    b"null",
    b"[]",
]
header_bytes = st.one_of(
    st.sampled_from([b"", b"-5", b"9" * 5000, b"1.0.0", b"abc", b" 12 ", b"1e3", b"0x10"]),
    st.binary(max_size=40).map(lambda b: bytes(c for c in b if c >= 0x20 and c != 0x7F)),
)
tus_metadata = st.one_of(
    header_bytes,
    st.lists(
        st.tuples(
            st.sampled_from(["filename", "filetype", "title", "visibility", "description", "x"]),
            st.binary(max_size=40)
            | st.sampled_from([b"\x00", "\ud800".encode("utf-8", "surrogatepass"), b"9" * 5000]),
        ),
        max_size=4,
    ).map(lambda pairs: ",".join(f"{k} {base64.b64encode(v).decode()}" for k, v in pairs).encode()),
)

PARAM = re.compile(r"\{(\w+)(:path)?\}")


@dataclass
class FuzzWorld:
    client: TestClient
    ctx: Context
    admin_id: str
    real: dict[str, list[str]]  # path parameter name -> real values to mix in
    fields: dict[tuple[str, str], tuple[list[str], list[str]]]  # route -> (query, body names)


def fresh_bearer(world: FuzzWorld) -> dict[str, str]:
    with world.ctx.sessions() as db:
        user = service.find_user(db, "fuzzadmin")
        assert user is not None
        token = service.start_session(db, world.ctx.tokens, user)["accessToken"]
    return {"authorization": f"Bearer {token}"}


def schema_fields(app: FastAPI) -> dict[tuple[str, str], tuple[list[str], list[str]]]:
    """(method, path) -> (query parameter names, JSON body field names), from the OpenAPI."""
    spec: dict[str, Any] = app.openapi()
    schemas = spec.get("components", {}).get("schemas", {})
    found = {}
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            query = [p["name"] for p in operation.get("parameters", []) if p["in"] == "query"]
            body = operation.get("requestBody", {}).get("content", {})
            first: dict[str, Any] = next(iter(body.values()), {})
            schema: dict[str, Any] = first.get("schema", {})
            for option in [schema, *schema.get("anyOf", [])]:
                if "$ref" in option:
                    schema = schemas[option["$ref"].rsplit("/", 1)[1]]
            found[(method.upper(), path)] = (query, list(schema.get("properties", {})))
    return found


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def fuzz_world(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    fresh_postgres: DatabaseFactory,
) -> Iterator[FuzzWorld]:
    data_dir = tmp_path_factory.mktemp(f"fuzz-{request.param}") / "var"
    with _database(request.param, fresh_postgres, data_dir) as url:
        app_settings = load_settings(
            data_dir=data_dir,
            database_url=url,
            roles=["gateway", "auth", "gallery", "streaming"],
            require_email_confirmation=False,
            auth_max_attempts=10_000,  # the throttle would answer 429 before the code is read
        )
        ctx = build_context(app_settings)
        app = create_app(app_settings, ctx)
        with TestClient(app) as client:
            with ctx.sessions() as db:
                admin = service.create_user(
                    db,
                    username="fuzzadmin",
                    email="fuzz@example.com",
                    password=PASSWORD,
                    role="admin",
                )
            video_id, job_id = add_ready_video(ctx, admin.id, "public")
            world = FuzzWorld(client, ctx, admin.id, {}, schema_fields(app))
            upload = client.post(
                "/api/gallery/uploads/",
                headers={
                    **fresh_bearer(world),
                    "tus-resumable": "1.0.0",
                    "upload-length": "100",
                    "upload-metadata": ",".join(
                        f"{key} {base64.b64encode(value).decode()}"
                        for key, value in [("filename", b"a.mp4"), ("filetype", b"video/mp4")]
                    ),
                },
            )
            assert upload.status_code == 201, upload.text  # a real tus upload to PATCH
            upload_id = upload.headers["location"].rstrip("/").rsplit("/", 1)[-1]
            token = sign_media(ctx.tokens.media_secret, video_id, 3600)
            world.real = {
                "video_id": [video_id],
                "job_id": [job_id],
                "user_id": [admin.id],
                "uuid": [upload_id],
                "upload_id": [upload_id],
                "token": [token, "9" * 4301 + ".x"],
                "path": ["hls/master.m3u8", "download.mp4", "thumbnail.jpg"],
            }
            yield world
        ctx.close()


def _database(kind: str, fresh_postgres: DatabaseFactory, data_dir: Path) -> Any:
    if kind == "postgresql":
        return fresh_postgres("vf_fuzz")
    from contextlib import nullcontext

    data_dir.mkdir(parents=True, exist_ok=True)
    return nullcontext(f"sqlite:///{data_dir / 'videoforge.db'}")


def _encode(value: str, keep_slashes: bool) -> str:
    raw = value.encode("utf-8", "surrogatepass")
    return quote(raw, safe="/" if keep_slashes else "") or "x"


@st.composite
def hostile_request(
    draw: st.DrawFn, world: FuzzWorld, method: str, template: str
) -> dict[str, Any]:
    def path_value(match: re.Match[str]) -> str:
        name, is_path = match.group(1), bool(match.group(2))
        real = [] if template.endswith("/events") else world.real.get(name, [])
        value = draw(st.sampled_from(real) | url_text if real else url_text)
        return _encode(value, is_path)

    url = PARAM.sub(path_value, template)
    query_names, body_names = world.fields.get((method, template), ([], []))
    if template.startswith("/media/"):
        query_names = ["name"]
    names = draw(st.lists(st.sampled_from([*query_names, "x"]), max_size=3, unique=True))
    query = "&".join(f"{quote(n)}={_encode(draw(url_text), False)}" for n in names)
    if query:
        url = f"{url}?{query}"

    headers: dict[str, Any] = draw(
        st.sampled_from(["admin", "none", "garbage"]).map(
            lambda who: (
                fresh_bearer(world)
                if who == "admin"
                else {"authorization": b"Bearer \xff" + b"9" * 300}
                if who == "garbage"
                else {}
            )
        )
    )
    content: bytes | None = None
    if method in ("POST", "PUT", "PATCH", "DELETE"):
        kind = draw(st.sampled_from(["fields", "fields", "fields", "value", "raw", "digits"]))
        if kind == "fields":  # every field the route reads, so that validation passes them on
            value = hostile_text | hostile_text | json_value
            body = {name: draw(value) for name in body_names or ["x"]}
            content = json.dumps(body).encode()
        elif kind == "value":
            content = json.dumps(draw(json_value)).encode()
        elif kind == "raw":
            content = draw(st.sampled_from(RAW_BODIES))
        elif kind == "digits" and body_names:
            field = draw(st.sampled_from(body_names))
            content = b'{"%s": %s}' % (field.encode(), b"9" * draw(st.sampled_from([20, 5000])))
        if content is not None:
            headers["content-type"] = draw(
                st.sampled_from(["application/json", "application/merge-patch+json", "text/plain"])
            )
    if template.startswith("/api/gallery/uploads") and "direct" not in template:
        headers["content-type"] = "application/offset+octet-stream"
        for name in ("tus-resumable", "upload-length", "upload-offset", "upload-defer-length"):
            if draw(st.booleans()):
                headers[name] = draw(header_bytes)
        headers["upload-metadata"] = draw(tus_metadata)
        content = draw(st.binary(max_size=64)) if method == "PATCH" else content
    if template == "/api/gallery/videos" and method == "POST" and draw(st.booleans()):
        return {"method": method, "url": url, "headers": headers, **_multipart(draw)}
    return {"method": method, "url": url, "headers": headers, "content": content}


def _multipart(draw: st.DrawFn) -> dict[str, Any]:
    boundary = "fuzzboundary"
    filename = draw(hostile_text).encode("utf-8", "surrogatepass").replace(b'"', b"")
    title = draw(hostile_text).encode("utf-8", "surrogatepass")
    parts = (
        b'--%s\r\nContent-Disposition: form-data; name="title"\r\n\r\n%s\r\n'
        b'--%s\r\nContent-Disposition: form-data; name="file"; filename="%s"\r\n\r\n'
        b"not a video\r\n--%s--\r\n"
    ) % (boundary.encode(), title, boundary.encode(), filename, boundary.encode())
    return {
        "content": parts,
        "headers": {
            **draw(st.just({})),
            "content-type": f"multipart/form-data; boundary={boundary}",
        },
    }


def problems_with(resp: Any) -> str | None:
    """What is wrong with an answer to hostile input, or None."""
    if resp.status_code >= 500:
        return f"{resp.status_code} {resp.text[:200]}"
    if resp.status_code < 400 or resp.request.method == "HEAD":
        return None
    if not resp.request.url.path.startswith(API_PREFIXES):
        return None  # a page of the web app
    try:
        body = resp.json()
        message = body["message"]
        assert isinstance(message, str) and message.strip() and body["error"]["code"]
    except Exception:
        return f"{resp.status_code} without a readable message: {resp.text[:200]!r}"
    return None


def fuzz_route(world: FuzzWorld, method: str, template: str) -> list[str]:
    failures: list[str] = []

    @given(request=hostile_request(world, method, template))
    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def run(request: dict[str, Any]) -> None:
        shown = f"{method} {request['url'][:160]} {str(request.get('content'))[:120]}"
        try:
            resp = world.client.request(**request)
        except Exception as exc:  # the test client re-raises what would have been a 500
            failures.append(f"{shown} -> 500 {type(exc).__name__}: {str(exc)[:200]}")
            return
        if problem := problems_with(resp):
            failures.append(f"{shown} -> {problem}")

    run()
    return failures


def fuzzed_routes(app: FastAPI) -> list[tuple[str, str]]:
    # Deleting comes last, so that the real ids serve every other route first.
    return sorted(all_routes(app), key=lambda route: (route[0] == "DELETE", route))


def test_no_route_answers_5xx_to_hostile_input(fuzz_world: FuzzWorld) -> None:
    failures = []
    for method, template in fuzzed_routes(fuzz_world.client.app):  # type: ignore[arg-type]
        failures.extend(fuzz_route(fuzz_world, method, template))
    assert failures == [], "\n".join(failures[:60])
