"""Build the CDK app: the stack for the chosen shape, checked by cdk-nag's AwsSolutions pack."""

from __future__ import annotations

from aws_cdk import App, Validations
from cdk_nag import AwsSolutionsChecks

from videoforge_aws.nag import suppress
from videoforge_aws.settings import DeploySettings
from videoforge_aws.stack import VideoForgeStack

STACK_NAME = "VideoForge"


def build_app(context: dict[str, object] | None = None, outdir: str | None = None) -> App:
    app = App(context=context or {}, outdir=outdir)
    settings = DeploySettings.from_context(app)
    stack = VideoForgeStack(
        app,
        STACK_NAME,
        settings=settings,
        description=f"VideoForge ({settings.shape} shape)",
    )
    suppress(stack)
    Validations.of(app).add_plugins(AwsSolutionsChecks(app))
    return app
