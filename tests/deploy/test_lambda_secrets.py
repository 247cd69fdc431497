"""Lambda functions read their secrets from Secrets Manager (VIDEOFORGE_SECRETS), as ECS
injects them into containers; here against moto's Secrets Manager."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws

from videoforge.serverless import SECRETS_ENV, SecretsError, load_secrets


@pytest.fixture
def secrets(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
    }.items():
        monkeypatch.setenv(name, value)
    with mock_aws():
        yield boto3.client("secretsmanager", region_name="us-east-1")


def test_fields_and_whole_secrets_fill_the_environment(secrets: Any) -> None:
    db = secrets.create_secret(Name="db", SecretString=json.dumps({"password": "pw1"}))
    jwt = secrets.create_secret(Name="jwt", SecretString="s3cret")
    environ = {
        SECRETS_ENV: json.dumps(
            {
                "DB_PASSWORD": {"arn": db["ARN"], "field": "password"},
                "JWT_SECRET": {"arn": jwt["ARN"]},
                "ALREADY_SET": {"arn": jwt["ARN"]},
            }
        ),
        "ALREADY_SET": "kept",
    }

    filled = load_secrets(environ, client=secrets)

    assert filled == ["DB_PASSWORD", "JWT_SECRET"]
    assert environ["DB_PASSWORD"] == "pw1"
    assert environ["JWT_SECRET"] == "s3cret"
    assert environ["ALREADY_SET"] == "kept"


def test_a_missing_secret_names_the_variable_and_the_fix(secrets: Any) -> None:
    arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:gone-AbCdEf"
    environ = {SECRETS_ENV: json.dumps({"JWT_SECRET": {"arn": arn}})}
    with pytest.raises(SecretsError) as problem:
        load_secrets(environ, client=secrets)
    assert "JWT_SECRET" in str(problem.value) and "GetSecretValue" in str(problem.value)
    assert "JWT_SECRET" not in environ


def test_a_malformed_list_says_its_shape() -> None:
    with pytest.raises(SecretsError, match="JSON object"):
        load_secrets({SECRETS_ENV: '["JWT_SECRET"]'})


def test_nothing_to_do_without_the_list() -> None:
    assert load_secrets({}) == []
