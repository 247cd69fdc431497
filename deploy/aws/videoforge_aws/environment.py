"""The one place that says which settings each VideoForge role gets, as plain values or from
Secrets Manager. The original's containers exited 1 on settings nobody had given them; the
tests feed exactly these (secrets as placeholders) to VideoForge's own settings validation.

Names are the ones `videoforge.config.Settings` reads (the original's names where it accepts
them: DB_*, S3_BUCKET_NAME, SQS_*, COGNITO_*, JWT_SECRET, *_SERVICE_URL).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from aws_cdk import Aws
from aws_cdk import aws_secretsmanager as secretsmanager

from videoforge_aws.data import Data
from videoforge_aws.network import VPC_CIDR
from videoforge_aws.settings import DeploySettings

HTTP_ROLES = ("gateway", "auth", "gallery", "streaming")
# The largest tus PATCH a gallery function takes: Lambda caps a request at 6 MB and carries a
# binary body base64-encoded (4/3 larger), so 4 MiB (5.6 MB encoded) leaves room for headers.
LAMBDA_TUS_MAX_CHUNK_BYTES = 4 * 1024 * 1024
# `migrate` is the one-off `videoforge db upgrade` task of each release.
ALL_ROLES = (*HTTP_ROLES, "processor", "migrate")


@dataclass(frozen=True)
class SecretRef:
    """An environment variable filled from a secret (one JSON field of it, or all of it)."""

    secret: secretsmanager.ISecret
    field: str | None = None


@dataclass
class RoleEnvironment:
    plain: dict[str, str] = field(default_factory=dict)
    secrets: dict[str, SecretRef] = field(default_factory=dict)


@dataclass
class Wiring:
    """Everything the environments are made from; filled in by the stack."""

    settings: DeploySettings
    data: Data
    signing_key: secretsmanager.ISecret
    cdn_private_key: secretsmanager.ISecret
    public_url: str
    cognito_user_pool_id: str
    cognito_client_id: str
    cognito_domain: str
    cdn_domain: str
    cdn_key_pair_id: str
    worker_min: str
    worker_max: str
    worker_target: str
    # Base URLs the gateway forwards to, per peer role (no Cloud Map: plain URL settings).
    peers: dict[str, str] = field(default_factory=dict)


def environment(role: str, w: Wiring) -> RoleEnvironment:
    if role not in ALL_ROLES:
        raise ValueError(f"unknown role {role}")
    data, settings = w.data, w.settings
    db = data.database
    env = RoleEnvironment()
    env.plain.update(
        {
            "DB_HOST": db.db_instance_endpoint_address,
            "DB_PORT": db.db_instance_endpoint_port,
            "DB_NAME": "videoforge",
            "DB_USER": "videoforge",
            "VIDEOFORGE_LOG_JSON": "true",
        }
    )
    assert data.db_secret is not None
    env.secrets["DB_PASSWORD"] = SecretRef(data.db_secret, "password")
    if role == "migrate":  # the schema is all it touches
        return env

    env.plain.update(
        {
            "VIDEOFORGE_ROLES": role,
            "VIDEOFORGE_STORE": "s3",
            "S3_BUCKET_NAME": data.bucket.bucket_name,
            # AWS_REGION is reserved on Lambda; VideoForge reads this name first.
            "VIDEOFORGE_AWS_REGION": Aws.REGION,
            "VIDEOFORGE_QUEUE": "sqs",
            "SQS_QUEUE_URL": data.jobs.queue_url,
            "SQS_DLQ_URL": data.dead_letters.queue_url,
            "VIDEOFORGE_QUEUE_MAX_RECEIVES": str(settings.max_receives),
            "VIDEOFORGE_QUEUE_VISIBILITY_TIMEOUT_SECONDS": str(settings.lease_seconds),
            # /api/scaling reports the same bounds the scaling policy uses.
            "VIDEOFORGE_SCALING_MIN_WORKERS": w.worker_min,
            "VIDEOFORGE_SCALING_MAX_WORKERS": w.worker_max,
            "VIDEOFORGE_SCALING_TARGET_BACKLOG": w.worker_target,
        }
    )
    if role == "processor":
        env.plain["VIDEOFORGE_WORKER_CONCURRENCY"] = str(settings.worker_concurrency)
        return env

    env.plain.update(
        {
            "VIDEOFORGE_PUBLIC_URL": w.public_url,
            "COGNITO_USER_POOL_ID": w.cognito_user_pool_id,
            "COGNITO_CLIENT_ID": w.cognito_client_id,
            "VIDEOFORGE_COGNITO_DOMAIN": w.cognito_domain,
            # The load balancers (public and internal) and the gateway are inside the VPC: the
            # client address in their X-Forwarded-For is the one the throttle must count.
            "VIDEOFORGE_TRUSTED_PROXIES": VPC_CIDR,
        }
    )
    env.secrets["JWT_SECRET"] = SecretRef(data.jwt_secret)
    env.secrets["VIDEOFORGE_SIGNING_KEY_PEM"] = SecretRef(w.signing_key)
    if role == "streaming":  # the role that redirects media to CloudFront signed URLs
        env.plain["VIDEOFORGE_CDN_DOMAIN"] = w.cdn_domain
        env.plain["VIDEOFORGE_CDN_KEY_PAIR_ID"] = w.cdn_key_pair_id
        env.secrets["VIDEOFORGE_CDN_PRIVATE_KEY_PEM"] = SecretRef(w.cdn_private_key)
    if role == "gallery" and settings.shape == "lambda":
        # Announced to the web app (Tus-Max-Chunk-Size), which then sends PATCHes no larger.
        env.plain["VIDEOFORGE_TUS_MAX_CHUNK_BYTES"] = str(LAMBDA_TUS_MAX_CHUNK_BYTES)
    if role == "gateway":
        for peer, url in w.peers.items():
            env.plain[f"{peer.upper()}_SERVICE_URL"] = url
    return env
