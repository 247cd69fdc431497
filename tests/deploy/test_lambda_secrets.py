"""Lambda functions read their secrets from Secrets Manager (VIDEOFORGE_SECRETS), as ECS
injects them into containers; here against moto's Secrets Manager."""

from __future__ import annotations

import json
from typing import Any

import pytest

from videoforge.serverless import SECRETS_ENV, SecretsError, load_secrets


def test_fields_and_whole_secrets_fill_the_environment(secretsmanager: Any) -> None:
    db = secretsmanager.create_secret(Name="db", SecretString=json.dumps({"password": "pw1"}))
    jwt = secretsmanager.create_secret(Name="jwt", SecretString="s3cret")
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

    filled = load_secrets(environ, client=secretsmanager)

    assert filled == ["DB_PASSWORD", "JWT_SECRET"]
    assert environ["DB_PASSWORD"] == "pw1"
    assert environ["JWT_SECRET"] == "s3cret"
    assert environ["ALREADY_SET"] == "kept"


def test_a_missing_secret_names_the_variable_and_the_fix(secretsmanager: Any) -> None:
    arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:gone-AbCdEf"
    environ = {SECRETS_ENV: json.dumps({"JWT_SECRET": {"arn": arn}})}
    with pytest.raises(SecretsError) as problem:
        load_secrets(environ, client=secretsmanager)
    assert "JWT_SECRET" in str(problem.value) and "GetSecretValue" in str(problem.value)
    assert "JWT_SECRET" not in environ


def test_a_malformed_list_says_its_shape() -> None:
    with pytest.raises(SecretsError, match="JSON object"):
        load_secrets({SECRETS_ENV: '["JWT_SECRET"]'})


def test_nothing_to_do_without_the_list() -> None:
    assert load_secrets({}) == []
