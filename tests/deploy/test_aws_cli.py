"""`videoforge deploy aws`: what it says when something is missing, and what it asks the CDK CLI
to do (a stand-in npx records its arguments; the key secrets go to moto's Secrets Manager)."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from tests.deploy.aws_synth import skip_without_cdk
from videoforge import deploy_aws
from videoforge.cli import app

runner = CliRunner()


def test_without_the_aws_group_it_says_what_to_run(monkeypatch: pytest.MonkeyPatch) -> None:
    real = deploy_aws.importlib.util.find_spec
    monkeypatch.setattr(
        deploy_aws.importlib.util,
        "find_spec",
        lambda name, *a: None if name == "aws_cdk" else real(name, *a),
    )
    for command in (["synth", "--out", "x"], ["diff"], ["destroy"]):
        result = runner.invoke(app, ["deploy", "aws", *command])
        assert result.exit_code == 2
        assert "uv sync --group aws" in result.output


def test_without_node_it_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    skip_without_cdk()
    monkeypatch.setattr(deploy_aws.shutil, "which", lambda name: None)
    result = runner.invoke(app, ["deploy", "aws", "diff"])
    assert result.exit_code == 2
    assert "Node.js" in result.output


def test_a_wrong_shape_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    skip_without_cdk()
    result = runner.invoke(app, ["deploy", "aws", "synth", "--shape", "k8s", "--out", "x"])
    assert result.exit_code == 2
    assert "--shape must be fargate or lambda" in result.output


@pytest.fixture
def recording_npx(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An npx on PATH that writes its arguments and working directory to a file."""
    log = tmp_path / "npx.json"
    npx = tmp_path / "bin" / "npx"
    npx.parent.mkdir()
    npx.write_text(
        "#!/usr/bin/env python3\n"
        "import json, os, sys\n"
        f"open({str(log)!r}, 'w').write(json.dumps({{'argv': sys.argv[1:], 'cwd': os.getcwd()}}))\n"
    )
    npx.chmod(npx.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{npx.parent}{os.pathsep}{os.environ['PATH']}")
    return log


def test_deploy_keeps_the_keys_in_secrets_manager_and_passes_every_parameter(
    recording_npx: Path, secretsmanager: Any
) -> None:
    skip_without_cdk()
    certificate = "arn:aws:acm:us-east-1:123456789012:certificate/abc"
    argv = [
        "deploy",
        "aws",
        "deploy",
        "--certificate-arn",
        certificate,
        "--domain",
        "v.example.com",
    ]

    first = runner.invoke(app, [*argv, "--shape", "lambda", "--workers-max", "5", "--yes"])
    assert first.exit_code == 0, first.output
    called = json.loads(recording_npx.read_text())
    runner.invoke(app, argv)
    again = json.loads(recording_npx.read_text())

    assert Path(called["cwd"]) == deploy_aws.CDK_APP_DIR  # where cdk.json's flags are
    args = called["argv"]
    assert args[:4] == ["--yes", "aws-cdk@2", "deploy", "VideoForge"]
    parameters = dict(args[i + 1].split("=", 1) for i, a in enumerate(args) if a == "--parameters")
    assert parameters["CertificateArn"] == certificate
    assert parameters["DomainName"] == "v.example.com"
    assert (parameters["WorkerMin"], parameters["WorkerMax"]) == ("1", "5")
    assert parameters["CdnPublicKeyPem"].startswith("-----BEGIN PUBLIC KEY-----")
    stored = {s["Name"]: s["ARN"] for s in secretsmanager.list_secrets()["SecretList"]}
    assert stored == {
        "videoforge/VideoForge/signing-key": parameters["SigningKeySecretArn"],
        "videoforge/VideoForge/cdn-private-key": parameters["CdnPrivateKeySecretArn"],
    }
    assert "videoforge:shape=lambda" in args and "never" in args
    # A second deploy reuses the keys: same secrets, same public key.
    again_parameters = dict(
        again["argv"][i + 1].split("=", 1)
        for i, a in enumerate(again["argv"])
        if a == "--parameters"
    )
    assert again_parameters["CdnPublicKeyPem"] == parameters["CdnPublicKeyPem"]
    assert again_parameters["SigningKeySecretArn"] == parameters["SigningKeySecretArn"]
