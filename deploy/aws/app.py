"""Entry point for the cdk CLI (`cdk.json` names it); `videoforge deploy aws` runs it too."""

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from videoforge_aws.app import build_app  # noqa: E402

build_app().synth()
