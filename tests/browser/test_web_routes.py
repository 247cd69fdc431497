"""How the gateway serves the web app: pages get index.html, assets are cached for good, and the
API's paths keep their JSON errors. (No browser needed: an app with just these routes.)"""

from __future__ import annotations

import re

import pytest
from fastapi import APIRouter, FastAPI
from fastapi.testclient import TestClient

from videoforge.errors import install_error_handlers
from videoforge.web.routes import STATIC_DIR
from videoforge.web.routes import router as web_router


@pytest.fixture(scope="module")
def client() -> TestClient:
    api = APIRouter()

    @api.get("/api/things")
    def things() -> dict[str, str]:
        return {"ok": "yes"}

    app = FastAPI()
    install_error_handlers(app)
    app.include_router(api)
    app.include_router(web_router)  # last, as in create_app
    return TestClient(app)


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/watch/abc123",
        "/u/alice",
        "/upload",
        "/me/videos",
        "/signin",
        "/signin/reset",
        "/signup",
        "/signup/confirm",
        "/account",
        "/admin",
        "/auth/callback",
    ],
)
def test_app_pages_get_index_html_revalidated_every_time(client: TestClient, path: str) -> None:
    resp = client.get(path)
    assert resp.status_code == 200
    assert resp.headers["content-type"].startswith("text/html")
    assert resp.headers["cache-control"] == "no-cache"
    assert '<div id="app">' in resp.text


def test_an_unknown_page_gets_the_app_with_404(client: TestClient) -> None:
    resp = client.get("/no/such/page")
    assert resp.status_code == 404
    assert '<div id="app">' in resp.text


@pytest.mark.parametrize(
    "path",
    ["/api/nothing", "/api", "/media/v1/token/hls/master.m3u8", "/.well-known/x", "/docs/x"],
)
def test_api_paths_keep_their_json_404(client: TestClient, path: str) -> None:
    resp = client.get(path)
    assert resp.status_code == 404
    assert resp.headers["content-type"] == "application/json"
    assert resp.json()["message"]


def test_wrong_method_on_an_api_path_stays_405(client: TestClient) -> None:
    assert client.post("/api/things").status_code == 405


def test_hashed_assets_are_cached_for_a_year(client: TestClient) -> None:
    index = client.get("/").text
    referenced = re.findall(r'(?:src|href)="(/assets/[^"]+)"', index)
    assert referenced, "index.html refers to no built asset"
    for path in referenced:
        resp = client.get(path)
        assert resp.status_code == 200, path
        assert "immutable" in resp.headers["cache-control"]


def test_missing_assets_and_escapes_are_json_404(client: TestClient) -> None:
    for path in ["/assets/nope.js", "/assets/..%2F..%2Froutes.py"]:
        resp = client.get(path)
        assert resp.status_code == 404, path
        assert resp.headers["content-type"] == "application/json"


def test_files_outside_the_build_are_never_served(client: TestClient) -> None:
    for path in ["/routes.py", "/..%2Froutes.py", "/__init__.py"]:
        resp = client.get(path)
        assert resp.status_code == 404, path
        assert "APIRouter" not in resp.text and "browser app" not in resp.text


def test_the_build_is_committed_with_the_package() -> None:
    assert (STATIC_DIR / "index.html").is_file()
    assert any((STATIC_DIR / "assets").glob("*.js"))
