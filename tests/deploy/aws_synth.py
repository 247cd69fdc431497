"""Synthesize the AWS CDK app once per test session and shape, through the real command.

Synthesis runs the CDK's Node.js kernel (jsii) and costs seconds to minutes, so every test of
the templates shares one synth per shape. Without Node or the aws dependency group the tests
skip, saying what is missing.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

SHAPES = ("fargate", "lambda")
CDK_APP_DIR = Path(__file__).resolve().parents[2] / "deploy" / "aws"
# Synthesis of one shape takes 10-20 s on an idle machine, minutes on a busy one.
SYNTH_TIMEOUT = 1800


def skip_without_cdk() -> None:
    if importlib.util.find_spec("aws_cdk") is None:
        pytest.skip("aws_cdk is not installed: run `uv sync --group aws` to test deploy/aws")
    if shutil.which("node") is None:
        pytest.skip("Node.js is not installed: the AWS CDK (jsii) needs it to synthesize")


def cdk_app_on_path() -> None:
    """Make deploy/aws's modules importable (as its app.py does)."""
    if str(CDK_APP_DIR) not in sys.path:
        sys.path.insert(0, str(CDK_APP_DIR))


@dataclass
class Synthesized:
    shape: str
    out_dir: Path
    template: dict[str, Any]
    tree: dict[str, Any]

    def resources(self, type_: str) -> dict[str, dict[str, Any]]:
        return {k: v for k, v in self.template["Resources"].items() if v["Type"] == type_}

    def one(self, type_: str) -> dict[str, Any]:
        found = list(self.resources(type_).values())
        assert len(found) == 1, f"expected one {type_}, found {len(found)}"
        return found[0]

    def construct_paths(self) -> list[str]:
        paths = []

        def walk(node: dict[str, Any]) -> None:
            paths.append(node["path"])
            for child in node.get("children", {}).values():
                walk(child)

        walk(self.tree["tree"])
        return paths


def synthesize(shape: str, out_dir: Path) -> Synthesized:
    from videoforge.cli import app

    result = CliRunner().invoke(
        app, ["deploy", "aws", "synth", "--out", str(out_dir), "--shape", shape]
    )
    assert result.exit_code == 0, result.output
    template = json.loads((out_dir / "VideoForge.template.json").read_text())
    tree = json.loads((out_dir / "tree.json").read_text())
    return Synthesized(shape, out_dir, template, tree)
