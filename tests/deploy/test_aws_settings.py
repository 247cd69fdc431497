"""Every container and function of the AWS templates gets every setting its role needs.

The original's services exited 1 on settings nobody gave them. Here each synthesized
environment (intrinsic functions rendered as placeholders, secrets as placeholder values of the
right kind) goes through VideoForge's own settings validation, and the resulting Settings must
use the cloud backends the stack made.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from tests.deploy.aws_synth import SYNTH_TIMEOUT, Synthesized
from tests.deploy.test_containers import AWS_CREDENTIALS, setting_names
from videoforge.config import Settings, load_settings
from videoforge.serverless import SECRETS_ENV

pytestmark = pytest.mark.timeout(SYNTH_TIMEOUT)

# Names the templates may set that Settings does not read: the hosted-UI address the web app's
# sign-in uses (the OIDC sign-in adds it to Settings), and the functions' list of secrets.
OTHER_NAMES = {"VIDEOFORGE_COGNITO_DOMAIN", SECRETS_ENV}
ORIGINAL_NAMES = {"DB_HOST", "DB_NAME", "DB_USER", "DB_PASSWORD", "S3_BUCKET_NAME"}
HTTP_ORIGINAL_NAMES = {"COGNITO_USER_POOL_ID", "COGNITO_CLIENT_ID", "JWT_SECRET"}


def _pem(key: Any) -> str:
    pem: bytes = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return pem.decode()


SECRET_PLACEHOLDERS = {
    "VIDEOFORGE_SIGNING_KEY_PEM": _pem(ec.generate_private_key(ec.SECP256R1())),
    "VIDEOFORGE_CDN_PRIVATE_KEY_PEM": _pem(rsa.generate_private_key(65537, 2048)),
}


def render(value: Any, template: dict[str, Any]) -> str:
    """A CloudFormation value as a plausible string: parameters take their defaults (or an
    example), references and attributes become placeholder names, ports and URLs stay ports
    and URLs."""
    if isinstance(value, str | int | float):
        return str(value)
    if "Fn::Join" in value:
        separator, parts = value["Fn::Join"]
        return separator.join(render(part, template) for part in parts)
    if "Ref" in value:
        name = value["Ref"]
        parameter = template.get("Parameters", {}).get(name)
        if parameter is not None:
            return str(parameter.get("Default", f"example-{name.lower()}"))
        return {"AWS::Region": "us-east-1", "AWS::AccountId": "123456789012"}.get(
            name, f"placeholder-{name.lower()}"
        )
    if "Fn::GetAtt" in value:
        logical, attribute = value["Fn::GetAtt"]
        if attribute.endswith("Port"):
            return "5432"
        if attribute == "FunctionUrl":
            return f"https://{logical.lower()}.lambda-url.us-east-1.on.aws/"
        return f"{logical}-{attribute}".lower().replace(".", "-") + ".example"
    raise AssertionError(f"cannot render {value}")


def role_environments(synth: Synthesized) -> dict[str, dict[str, str]]:
    """{role: environment}, secrets filled with placeholders, for every container and function."""
    template = synth.template
    found: dict[str, dict[str, str]] = {}
    for task in synth.resources("AWS::ECS::TaskDefinition").values():
        (container,) = task["Properties"]["ContainerDefinitions"]
        env = {e["Name"]: render(e["Value"], template) for e in container.get("Environment", [])}
        for secret in container.get("Secrets", []):
            env[secret["Name"]] = SECRET_PLACEHOLDERS.get(secret["Name"], "placeholder-secret")
        command = container["Command"]
        role = "migrate" if command == ["db", "upgrade"] else env["VIDEOFORGE_ROLES"]
        if command[0] == "serve":
            assert command[command.index("--roles") + 1] == role
        else:
            assert command in (["worker"], ["db", "upgrade"])
        found[role] = env
    for function in synth.resources("AWS::Lambda::Function").values():
        properties = function["Properties"]
        if not properties["Handler"].startswith("videoforge."):
            continue  # the migrations' custom-resource helpers
        env = {k: render(v, template) for k, v in properties["Environment"]["Variables"].items()}
        for name in json.loads(env.pop(SECRETS_ENV)):
            env[name] = SECRET_PLACEHOLDERS.get(name, "placeholder-secret")
        found[properties["Handler"].rsplit(".", 1)[1].removesuffix("_handler")] = env
    return found


def load(
    env: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, **over: Any
) -> Settings:
    for variable in setting_names() | AWS_CREDENTIALS | OTHER_NAMES:
        monkeypatch.delenv(variable, raising=False)
    for variable, value in env.items():
        monkeypatch.setenv(variable, value)
    # The image's VIDEOFORGE_DATA_DIR=/data, or /tmp/videoforge on Lambda: here a temporary dir.
    monkeypatch.setenv("VIDEOFORGE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)  # no stray .env
    return load_settings(**over)  # raises SettingsError listing every problem


def test_every_role_runs_and_loads_its_settings(
    synthesized: Synthesized, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    environments = role_environments(synthesized)
    assert set(environments) == {"gateway", "auth", "gallery", "streaming", "processor", "migrate"}
    functions = {"gallery", "streaming"} if synthesized.shape == "lambda" else set()

    for role, env in environments.items():
        unknown = set(env) - setting_names() - OTHER_NAMES
        assert not unknown, f"{role} gets variables VideoForge does not read: {unknown}"
        assert ORIGINAL_NAMES - {"S3_BUCKET_NAME"} <= set(env), role
        # Lambda handlers run only their own role (videoforge.serverless.build_handler).
        settings = load(
            env, tmp_path, monkeypatch, **({"roles": [role]} if role in functions else {})
        )
        assert settings.resolved_database_url.startswith("postgresql+psycopg://videoforge:")
        if role == "migrate":
            continue
        assert set(env) >= ORIGINAL_NAMES, role
        assert settings.store == "s3" and settings.s3_bucket_name
        assert settings.queue == "sqs" and settings.sqs_queue_url and settings.sqs_dlq_url
        assert settings.queue_max_receives == 3
        if role == "processor":
            assert settings.enabled_roles == {"processor"}
            continue
        assert set(env) >= HTTP_ORIGINAL_NAMES, role
        assert settings.enabled_roles == {role}
        assert settings.jwt_secret and settings.signing_key_pem  # the same in every process
        assert settings.cognito_user_pool_id and settings.cognito_client_id
        assert env["VIDEOFORGE_COGNITO_DOMAIN"].startswith("https://")
        assert env["VIDEOFORGE_COGNITO_DOMAIN"].endswith(".auth.us-east-1.amazoncognito.com")
        assert settings.public_url == "https://example-domainname"
        # Behind the load balancers: the throttle counts the address they forward, from the VPC.
        assert settings.trusted_proxies == ["10.0.0.0/16"]
        # A function takes 6 MB per request, base64 included: the gallery says so to tus
        # clients (Tus-Max-Chunk-Size) and refuses larger PATCHes itself; a task needs no limit.
        on_lambda = role == "gallery" and role in functions
        assert settings.tus_max_chunk_bytes == (4 * 1024 * 1024 if on_lambda else None), role
        if role == "streaming":
            assert settings.cdn_domain and settings.cdn_key_pair_id
            assert settings.cdn_private_key_pem
        if role == "gateway":
            assert settings.gallery_service_url and settings.streaming_service_url
            assert settings.auth_service_url


def test_secrets_never_sit_in_the_template(synthesized: Synthesized) -> None:
    secret_names = {"DB_PASSWORD", "JWT_SECRET", "VIDEOFORGE_SIGNING_KEY_PEM"}
    secret_names.add("VIDEOFORGE_CDN_PRIVATE_KEY_PEM")
    for task in synthesized.resources("AWS::ECS::TaskDefinition").values():
        (container,) = task["Properties"]["ContainerDefinitions"]
        plain = {e["Name"] for e in container.get("Environment", [])}
        assert not plain & secret_names
        for secret in container.get("Secrets", []):
            assert "ValueFrom" in secret  # a Secrets Manager ARN (and JSON field)
    for function in synthesized.resources("AWS::Lambda::Function").values():
        variables = function["Properties"].get("Environment", {}).get("Variables", {})
        assert not set(variables) & secret_names
    text = json.dumps(synthesized.template)
    assert "PRIVATE KEY" not in text
