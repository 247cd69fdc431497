"""The gallery tests run on the whole API app (every role but the processor, as the `client`
fixture builds it), plus helpers to upload, to make an admin and to add videos directly."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import update

from tests.conftest import bearer
from videoforge.app import create_app
from videoforge.config import Settings
from videoforge.context import Context
from videoforge.db import User, Video

ClientFactory = Callable[..., TestClient]


@pytest.fixture
def gallery(client: TestClient) -> TestClient:
    return client


@pytest.fixture
def make_client(api_settings: Settings) -> Iterator[ClientFactory]:
    """Build a client like `client`, with some settings changed (e.g. max_upload_bytes=...)."""
    clients: list[TestClient] = []

    def build(**changes: Any) -> TestClient:
        client = TestClient(create_app(api_settings.model_copy(update=changes)))
        client.__enter__()
        clients.append(client)
        return client

    yield build
    for client in clients:
        client.__exit__(None, None, None)


def context_of(client: TestClient) -> Context:
    ctx: Context = client.app.state.ctx  # type: ignore[attr-defined]
    return ctx


def make_admin(client: TestClient, username: str) -> None:
    with context_of(client).sessions() as session:
        session.execute(update(User).where(User.username == username).values(role="admin"))
        session.commit()


def user_id(client: TestClient, token: str) -> str:
    resp = client.get("/api/auth/me", headers=bearer(token))
    assert resp.status_code == 200, resp.text
    uid: str = resp.json()["id"]
    return uid


def add_video(client: TestClient, owner_id: str, **fields: Any) -> str:
    """A Video row without a file: enough for listing and permission tests."""
    values: dict[str, Any] = {
        "title": "A video",
        "visibility": "public",
        "status": "ready",
        "source_key": "videos/x/source/x.mp4",
        **fields,
    }
    with context_of(client).sessions() as session:
        video = Video(user_id=owner_id, **values)
        session.add(video)
        session.commit()
        return video.id


def upload(
    client: TestClient,
    token: str | None,
    content: bytes | Path,
    filename: str = "clip.mp4",
    path: str = "/api/gallery/videos",
    **fields: str,
) -> Response:
    data = content.read_bytes() if isinstance(content, Path) else content
    headers = bearer(token) if token else {}
    return client.post(
        path,
        headers=headers,
        files={"file": (filename, data, "video/mp4")},
        data=fields,
    )


def stored_keys(client: TestClient) -> list[str]:
    return [obj.key for obj in context_of(client).store.list("videos")]
