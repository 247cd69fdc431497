"""The Lambda asset, built from the lock file as `cdk deploy` builds it: under Lambda's 250 MB
unzipped limit, with the handlers and without the aws and dev groups."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.deploy.aws_synth import cdk_app_on_path, skip_without_cdk


@pytest.mark.slow
def test_the_lambda_asset_fits_and_holds_the_handlers(tmp_path: Path) -> None:
    skip_without_cdk()
    cdk_app_on_path()
    from videoforge_aws import lambda_asset

    out = tmp_path / "asset"
    try:
        size = lambda_asset.build(out)
    except subprocess.CalledProcessError as exc:
        pytest.skip(f"could not fetch the locked wheels for Lambda (offline, no uv cache?): {exc}")

    print(f"Lambda asset: {size / 2**20:.1f} MiB unzipped")
    assert size < lambda_asset.LIMIT_BYTES
    assert (out / "videoforge" / "serverless.py").is_file()
    assert (out / "mangum").is_dir() and (out / "av").is_dir()  # the handler; upload probing
    # Never the heavy groups, nor ffmpeg's binary (only the workers transcode).
    for absent in ("aws_cdk", "cdk_nag", "cfnlint", "pytest", "moto", "imageio_ffmpeg/binaries"):
        assert not (out / absent).exists(), absent
    # Wheels for Lambda's Linux and CPU, not this machine's.
    assert list(out.glob("pydantic_core/*cpython-314-x86_64-linux-gnu.so"))
