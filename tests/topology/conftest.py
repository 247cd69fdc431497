from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from videoforge.testing import postgres
from videoforge.testing.topology import SplitTopology, split


@pytest.fixture
def postgres_admin_url() -> str:
    url = postgres.admin_url()
    if url is None:
        pytest.skip("VIDEOFORGE_TEST_POSTGRES=skip")
    return url


@pytest.fixture
def split_topology(tmp_path: Path, postgres_admin_url: str) -> Iterator[SplitTopology]:
    with split(tmp_path, postgres_admin_url) as topo:
        yield topo
