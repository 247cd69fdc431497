"""The streaming role's app, alone, on the test's context."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from videoforge.app import create_app
from videoforge.config import Settings
from videoforge.context import Context


@pytest.fixture
def app_client(settings: Settings, ctx: Context) -> Iterator[TestClient]:
    """The real app factory with only the streaming role, sharing the test's context."""
    streaming_only = settings.model_copy(update={"roles": ["streaming"]})
    with TestClient(create_app(streaming_only, context=ctx)) as client:
        yield client
