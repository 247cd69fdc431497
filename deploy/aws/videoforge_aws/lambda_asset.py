"""The Lambda code asset, built from the lock file without Docker.

`uv export` writes the locked runtime dependencies (no dev group, no aws group); `uv pip install
--target` fetches their manylinux wheels for Lambda's Python and CPU; the videoforge package is
copied next to them. ffmpeg's binary (imageio-ffmpeg, about 165 MB) is dropped: the functions
serve gallery and streaming, which probe uploads with PyAV and never transcode; so is uvloop
(uvicorn's event loop; Lambda runs the app through Mangum). Lambda allows 250 MB unzipped;
`check_size` fails the build when the asset grows past it.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import tempfile
from pathlib import Path

import jsii
from aws_cdk import BundlingOptions, DockerImage, ILocalBundling
from aws_cdk import aws_lambda as lambda_

REPO_ROOT = Path(__file__).resolve().parents[3]
# Lambda's newest Python (cdk-nag's AwsSolutions-L1), on Amazon Linux 2023 (glibc 2.34). Its
# Python 3.11 runs on Amazon Linux 2 (glibc 2.26), too old for the locked argon2-cffi-bindings
# (manylinux_2_28 wheels only). Every locked dependency has wheels for 3.14.
PYTHON_VERSION = "3.14"
RUNTIME = lambda_.Runtime.PYTHON_3_14
PLATFORM = "x86_64-manylinux_2_34"
LIMIT_BYTES = 250 * 1024 * 1024
# Large files the functions never use.
DROP = ("imageio_ffmpeg/binaries", "uvloop")


class AssetTooLarge(RuntimeError):
    pass


def build(out_dir: Path) -> int:
    """Install the locked dependencies and videoforge into out_dir; return its size in bytes."""
    with tempfile.TemporaryDirectory() as tmp:
        requirements = Path(tmp) / "requirements.txt"
        _run(
            "uv", "export", "--frozen", "--no-dev", "--no-emit-project", "--no-hashes",
            "--quiet", "-o", str(requirements),
        )  # fmt: skip
        _run(
            "uv", "pip", "install", "--quiet", "--target", str(out_dir),
            "--python-platform", PLATFORM, "--python-version", PYTHON_VERSION,
            "--only-binary", ":all:", "-r", str(requirements),
        )  # fmt: skip
    shutil.copytree(
        REPO_ROOT / "src" / "videoforge",
        out_dir / "videoforge",
        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"),
        dirs_exist_ok=True,
    )
    for path in DROP:
        shutil.rmtree(out_dir / path, ignore_errors=True)
    return check_size(out_dir)


def check_size(out_dir: Path) -> int:
    size = sum(f.stat().st_size for f in out_dir.rglob("*") if f.is_file())
    if size >= LIMIT_BYTES:
        raise AssetTooLarge(
            f"the Lambda asset is {size / 2**20:.0f} MiB unzipped; Lambda allows 250 MiB. "
            f"Drop what the functions do not need (see DROP in {__file__})"
        )
    return size


def source_hash() -> str:
    """What the asset is made from: the lock file, this builder and the package's files."""
    digest = hashlib.sha256()
    inputs = [REPO_ROOT / "uv.lock", Path(__file__)]
    inputs += sorted(
        p for p in (REPO_ROOT / "src" / "videoforge").rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    )  # fmt: skip
    for path in inputs:
        digest.update(str(path.relative_to(REPO_ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


@jsii.implements(ILocalBundling)
class _LocalBuild:
    def try_bundle(self, output_dir: str, *, image: DockerImage, **_: object) -> bool:
        build(Path(output_dir))
        return True


def code() -> lambda_.Code:
    """The asset for both functions (CDK builds it once; it is skipped when bundling is off)."""
    return lambda_.Code.from_asset(
        str(REPO_ROOT / "src"),
        asset_hash=source_hash(),
        bundling=BundlingOptions(
            # Never used: the local build always answers. CDK requires an image here.
            image=DockerImage.from_registry("public.ecr.aws/lambda/python:3.14"),
            local=_LocalBuild(),
        ),
    )


def _run(*argv: str) -> None:
    if shutil.which(argv[0]) is None:
        raise RuntimeError(
            f"building the Lambda asset needs {argv[0]} on PATH (https://docs.astral.sh/uv/)"
        )
    subprocess.run(argv, cwd=REPO_ROOT, check=True)
