"""Build the CDK app: the stack for the chosen shape, checked by cdk-nag's AwsSolutions pack."""

from __future__ import annotations

import json
from pathlib import Path

from aws_cdk import App, Validations
from cdk_nag import AwsSolutionsChecks

from videoforge_aws.nag import suppress
from videoforge_aws.settings import DeploySettings
from videoforge_aws.stack import VideoForgeStack

STACK_NAME = "VideoForge"
CDK_JSON = Path(__file__).resolve().parents[1] / "cdk.json"


def build_app(context: dict[str, object] | None = None, outdir: str | None = None) -> App:
    """The app; `context` adds to cdk.json's (the feature flags `cdk init` sets), as -c does."""
    flags = json.loads(CDK_JSON.read_text())["context"]
    app = App(context={**flags, **(context or {})}, outdir=outdir)
    settings = DeploySettings.from_context(app)
    stack = VideoForgeStack(
        app,
        STACK_NAME,
        settings=settings,
        description=f"VideoForge ({settings.shape} shape)",
    )
    suppress(stack)
    # Synthesis fails on any finding not acknowledged in nag.py; the acknowledged ones are
    # written into the resources' Metadata (cdk_nag.rules_to_suppress) as an audit trail.
    Validations.of(app).add_plugins(
        AwsSolutionsChecks(app, write_suppressions_to_cloud_formation=True)
    )
    return app
