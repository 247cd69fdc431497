"""The templates pass cfn-lint with no error, and cdk-nag's AwsSolutions pack passes with only
the acknowledged findings, each with its reason."""

from __future__ import annotations

import fnmatch
import json
import subprocess
import sys
from collections.abc import Callable

import pytest

from tests.deploy.aws_synth import SHAPES, SYNTH_TIMEOUT, Synthesized, cdk_app_on_path

pytestmark = pytest.mark.timeout(SYNTH_TIMEOUT)


def test_cfn_lint_finds_no_error(synthesized: Synthesized) -> None:
    template = synthesized.out_dir / "VideoForge.template.json"
    done = subprocess.run(
        [sys.executable, "-m", "cfnlint", "--format", "json", str(template)],
        capture_output=True,
        text=True,
        check=False,
    )
    findings = json.loads(done.stdout or "[]")
    errors = [f for f in findings if f["Level"] == "Error"]
    assert not errors, json.dumps(errors, indent=1)
    assert done.returncode & 2 == 0  # cfn-lint's "errors found" bit


def test_cdk_nag_acknowledgements_are_in_the_template_with_their_reasons(
    synthesized: Synthesized,
) -> None:
    """Synthesis fails on any finding nag.py does not acknowledge (the fixture synthesized),
    and every acknowledgement lands in the resource's Metadata with its reason."""
    cdk_app_on_path()
    from videoforge_aws.nag import ACCEPTED

    recorded = {
        (rule["id"], rule["reason"])
        for resource in synthesized.template["Resources"].values()
        for rule in resource.get("Metadata", {}).get("cdk_nag", {}).get("rules_to_suppress", [])
        if rule["id"].startswith("AwsSolutions-")  # CDK records its own checks' too
    }
    assert recorded
    reasons = {accepted.reason for accepted in ACCEPTED}
    assert {reason for _, reason in recorded} <= reasons
    assert all(len(reason) > 40 for reason in reasons)  # an explanation, not a shrug


def test_every_acknowledgement_still_applies_somewhere(
    synth_shape: Callable[[str], Synthesized],
) -> None:
    """A suppression whose construct is gone would hide a future finding there."""
    cdk_app_on_path()
    from videoforge_aws.nag import ACCEPTED

    paths = [
        path.removeprefix("VideoForge/")
        for shape in SHAPES
        for path in synth_shape(shape).construct_paths()
    ]
    for accepted in ACCEPTED:
        for pattern in accepted.paths:
            assert fnmatch.filter(paths, pattern), f"{accepted.rule}: nothing at {pattern}"


def test_the_architecture_picture_matches_the_templates(
    synth_shape: Callable[[str], Synthesized],
) -> None:
    from tests.deploy.aws_synth import CDK_APP_DIR

    cdk_app_on_path()
    sys.path.insert(0, str(CDK_APP_DIR))
    import diagram  # deploy/aws/diagram.py

    templates = {shape: synth_shape(shape).template for shape in SHAPES}
    assert diagram.DOC.read_text() == diagram.document(templates), (
        "docs/aws-architecture.md is stale: run `uv run python deploy/aws/diagram.py`"
    )
