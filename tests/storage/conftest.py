"""Stores under test: the local directory, and S3 on a moto server started once per session."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from videoforge.storage import LocalStore, ObjectStore
from videoforge.storage.s3 import S3Store, s3_client
from videoforge.testing.aws import CREDENTIALS, MotoServer, unique_name

# S3's smallest part size, so a stream of a few MiB already goes up in several parts.
SMALL_PART = 5 * 1024 * 1024


@pytest.fixture(scope="session")
def aws() -> Iterator[MotoServer]:
    with MotoServer() as server:
        yield server


@pytest.fixture
def s3_store(aws: MotoServer) -> S3Store:
    """An S3Store on a fresh bucket of its own."""
    client = s3_client(aws.region, aws.endpoint_url, **CREDENTIALS)
    bucket = unique_name("videoforge")
    client.create_bucket(Bucket=bucket)
    return S3Store(bucket, region=aws.region, client=client, part_size=SMALL_PART)


@pytest.fixture(params=["local", pytest.param("s3", marks=pytest.mark.slow)])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> ObjectStore:
    if request.param == "local":
        return LocalStore(tmp_path / "store")
    s3: S3Store = request.getfixturevalue("s3_store")
    return s3
