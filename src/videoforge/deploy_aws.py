"""`videoforge deploy aws`: synthesize, deploy, diff and destroy the AWS CDK app in deploy/aws.

`synth` runs the app in this process and needs neither network nor credentials. The others
drive the AWS CDK CLI (the npm package `aws-cdk`, through npx), which needs Node, credentials
and `cdk bootstrap` once per account and region.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

deploy_app = typer.Typer(help="Deploy VideoForge.", no_args_is_help=True)
aws_app = typer.Typer(
    help="VideoForge on AWS, from the CDK app in deploy/aws.", no_args_is_help=True
)
deploy_app.add_typer(aws_app, name="aws")

CDK_APP_DIR = Path(__file__).resolve().parents[2] / "deploy" / "aws"
CDK_CLI = "aws-cdk@2"  # the npm package; npx fetches it on first use
STACK_NAME = "VideoForge"

err = Console(stderr=True, soft_wrap=True)
out = Console(soft_wrap=True)

Shape = Annotated[
    str,
    typer.Option(
        "--shape", help="fargate: every role on ECS; lambda: gallery and streaming on Lambda."
    ),
]
Context = Annotated[
    list[str] | None,
    typer.Option("--context", "-c", help="A deployment setting, e.g. -c videoforge:nat=true."),
]


def _fail(message: str) -> typer.Exit:
    err.print(f"[red]{message}[/]", highlight=False)
    return typer.Exit(2)


def _needs_cdk_app() -> None:
    if importlib.util.find_spec("aws_cdk") is None:
        raise _fail(
            "The AWS CDK libraries are not installed. Run `uv sync --group aws`, then try again."
        )
    if not (CDK_APP_DIR / "app.py").is_file():
        raise _fail(f"No CDK app at {CDK_APP_DIR}: run this from a clone of the repository.")


def _context(shape: str, given: list[str] | None) -> dict[str, str]:
    if shape not in ("fargate", "lambda"):
        raise _fail("--shape must be fargate or lambda")
    context = {"videoforge:shape": shape}
    for item in given or []:
        name, sep, value = item.partition("=")
        if not sep:
            raise _fail(f"--context {item}: give name=value, e.g. videoforge:nat=true")
        context[name] = value
    return context


@aws_app.command()
def synth(
    out_dir: Annotated[Path, typer.Option("--out", help="Where the templates go.")] = Path(
        "cdk.out"
    ),
    shape: Shape = "fargate",
    context: Context = None,
    bundle: Annotated[
        bool,
        typer.Option(help="Also build the Lambda asset (needs the wheels: network or uv's cache)."),
    ] = False,
) -> None:
    """Write the CloudFormation templates (JSON) into --out. No network, no credentials."""
    _needs_cdk_app()
    settings = _context(shape, context)
    if not bundle:
        settings["aws:cdk:bundling-stacks"] = []  # type: ignore[assignment]
    os.environ.update(_quiet_node())  # read by the jsii runtime the import below starts
    sys.path.insert(0, str(CDK_APP_DIR))
    from videoforge_aws.app import build_app

    try:
        assembly = build_app(settings, outdir=str(out_dir)).synth()
    except (ValueError, RuntimeError) as exc:
        raise _fail(f"Synthesis failed: {exc}") from None
    for stack in assembly.stacks:
        template = out_dir / stack.template_file
        resources = len(json.loads(template.read_text())["Resources"])
        out.print(f"{template} ({resources} resources)")


def _quiet_node() -> dict[str, str]:
    """jsii prints a 12-line banner on an end-of-life Node (20 here) that still works: say it in
    one line instead, and silence the banner for that major version."""
    node = shutil.which("node")
    if node is None:
        return {}
    version = subprocess.run([node, "--version"], capture_output=True, text=True).stdout
    major = version.strip().lstrip("v").split(".")[0]
    if major.isdigit() and int(major) < 22:
        err.print(
            f"Note: Node {major} is past its end of life for the AWS CDK; 22 or 24 is advised."
        )
    return {"JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": major}


def _npx() -> str:
    _needs_cdk_app()
    npx = shutil.which("npx")
    if npx is None:
        raise _fail(
            "The AWS CDK CLI runs on Node.js, which is not installed: install Node.js 22 or "
            "newer (https://nodejs.org), then try again."
        )
    return npx


def _cdk(command: list[str], shape: str, context: list[str] | None) -> None:
    npx = _npx()
    argv = [npx, "--yes", CDK_CLI, *command, "--app", f"{sys.executable} app.py"]
    for name, value in _context(shape, context).items():
        argv += ["--context", f"{name}={value}"]
    err.print(f"Running: {' '.join(argv[:4])} ... (in {CDK_APP_DIR})", highlight=False)
    done = subprocess.run(
        argv,
        cwd=CDK_APP_DIR,
        env={**os.environ, **_quiet_node()},
    )
    if done.returncode:
        raise typer.Exit(done.returncode)


def _key_parameters() -> dict[str, Any]:
    import boto3
    from botocore.exceptions import BotoCoreError, ClientError

    sys.path.insert(0, str(CDK_APP_DIR))
    from videoforge_aws.keys import ensure_key_secrets

    try:
        keys = ensure_key_secrets(boto3.client("secretsmanager"), STACK_NAME)
    except (BotoCoreError, ClientError) as exc:
        raise _fail(
            f"Could not keep the signing keys in Secrets Manager ({exc}). Check the AWS "
            "credentials and region (AWS_PROFILE or AWS_ACCESS_KEY_ID, AWS_REGION)."
        ) from None
    parameters: dict[str, Any] = keys.parameters()
    return parameters


@aws_app.command()
def deploy(
    certificate_arn: Annotated[
        str, typer.Option(help="ACM certificate for --domain, in the deployment's region.")
    ],
    domain: Annotated[str, typer.Option(help="The name people open VideoForge at.")],
    shape: Shape = "fargate",
    context: Context = None,
    workers_min: Annotated[int, typer.Option(min=1)] = 1,
    workers_max: Annotated[int, typer.Option(min=1)] = 3,
    target_backlog: Annotated[int, typer.Option(min=1, help="Waiting jobs per worker.")] = 5,
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask before IAM changes.")] = False,
) -> None:
    """Create or update the stack (makes the two key secrets first, if missing)."""
    if workers_max < workers_min:
        raise _fail("--workers-max must be at least --workers-min")
    _npx()
    _context(shape, context)  # a bad --shape or --context before any AWS call
    parameters = {
        "CertificateArn": certificate_arn,
        "DomainName": domain,
        "WorkerMin": workers_min,
        "WorkerMax": workers_max,
        "WorkerTargetBacklog": target_backlog,
        **_key_parameters(),
    }
    command = ["deploy", STACK_NAME, "--outputs-file", "outputs.json"]
    for name, value in parameters.items():
        command += ["--parameters", f"{name}={value}"]
    if yes:
        command += ["--require-approval", "never"]
    _cdk(command, shape, context)
    out.print(f"Point {domain} at the LoadBalancerDns output ({CDK_APP_DIR / 'outputs.json'}).")


@aws_app.command()
def diff(shape: Shape = "fargate", context: Context = None) -> None:
    """Show what a deploy would change."""
    _cdk(["diff", STACK_NAME], shape, context)


@aws_app.command()
def destroy(
    shape: Shape = "fargate",
    context: Context = None,
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask.")] = False,
) -> None:
    """Delete the stack (the database leaves a snapshot; the bucket and user pool stay)."""
    _cdk(["destroy", STACK_NAME, *(["--force"] if yes else [])], shape, context)
