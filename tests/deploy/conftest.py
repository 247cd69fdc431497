"""The synthesized AWS templates, once per session and shape (see aws_synth.py), and a mocked
Secrets Manager."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws

from tests.deploy.aws_synth import SHAPES, Synthesized, skip_without_cdk, synthesize


@pytest.fixture(scope="session")
def synth_shape(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Synthesized]:
    """shape -> its templates, synthesized on first use."""
    done: dict[str, Synthesized] = {}

    def get(shape: str) -> Synthesized:
        skip_without_cdk()
        if shape not in done:
            done[shape] = synthesize(shape, tmp_path_factory.mktemp(f"cdk-{shape}"))
        return done[shape]

    return get


@pytest.fixture(params=SHAPES)
def synthesized(
    request: pytest.FixtureRequest, synth_shape: Callable[[str], Synthesized]
) -> Synthesized:
    return synth_shape(request.param)


@pytest.fixture
def lambda_shape(synth_shape: Callable[[str], Synthesized]) -> Synthesized:
    return synth_shape("lambda")


@pytest.fixture
def fargate_shape(synth_shape: Callable[[str], Synthesized]) -> Synthesized:
    return synth_shape("fargate")


@pytest.fixture
def secretsmanager(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """A Secrets Manager client on moto's in-process mock, with throwaway credentials."""
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
    }.items():
        monkeypatch.setenv(name, value)
    with mock_aws():
        yield boto3.client("secretsmanager", region_name="us-east-1")
