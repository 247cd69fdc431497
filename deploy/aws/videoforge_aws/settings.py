"""What a deployment can be told at synth time (CDK context), with defaults that keep idle cost low.

Give any of them as `-c name=value` to the cdk CLI, or as options of `videoforge deploy aws`.
Values that belong to one account rather than to the code (the certificate, the domain, the
CloudFront public key, the worker bounds) are CloudFormation parameters instead (see stack.py).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any, Literal

import constructs

SHAPES = ("fargate", "lambda")


@dataclass(frozen=True)
class DeploySettings:
    # fargate: gateway, auth, gallery and streaming on ECS Fargate; lambda: gallery and
    # streaming as Lambda functions behind an HTTP API, the rest on Fargate.
    shape: Literal["fargate", "lambda"] = "fargate"
    # A NAT gateway costs about $33 a month idle; without one, tasks run in public subnets
    # with public addresses (still reachable only from the load balancers). The lambda shape
    # needs one (functions in a VPC get no public address), so there it defaults to on.
    nat: bool = False
    # TOTP second factor in the Cognito user pool: optional (each user may enrol) or required.
    mfa: Literal["optional", "required"] = "optional"
    # The worker's lease on a job message; the queue's visibility timeout is the same value.
    lease_seconds: int = 120
    # Receives before SQS moves a message to the dead-letter queue (VIDEOFORGE_QUEUE_MAX_RECEIVES).
    max_receives: int = 3
    log_retention_days: int = 30
    db_instance_type: str = "t4g.micro"
    db_storage_gib: int = 20
    # A PostgreSQL version RDS offers and cfn-lint does not flag as deprecated.
    db_engine_version: str = "17.6"
    # Keep the database (as a snapshot) and the bucket when the stack is destroyed.
    keep_data: bool = True
    http_cpu: int = 512
    http_memory_mib: int = 1024
    worker_cpu: int = 2048
    worker_memory_mib: int = 4096
    worker_concurrency: int = 1
    # Scratch space a worker transcodes in (Fargate gives 20-200 GiB).
    worker_disk_gib: int = 50
    alarm_email: str = ""

    @classmethod
    def from_context(cls, scope: constructs.Construct) -> DeploySettings:
        """Read `videoforge:<field>` context values, converting strings given with -c."""
        given: dict[str, Any] = {}
        for field in fields(cls):
            value = scope.node.try_get_context(f"videoforge:{field.name}")
            if value is None:
                continue
            default = field.default
            if isinstance(default, bool):
                value = value if isinstance(value, bool) else str(value).lower() == "true"
            elif isinstance(default, int):
                value = int(value)
            given[field.name] = value
        if given.get("shape") == "lambda":
            given.setdefault("nat", True)
        settings = cls(**given)
        settings.check()
        return settings

    def check(self) -> None:
        problems = []
        if self.shape not in SHAPES:
            problems.append(f"videoforge:shape must be one of {', '.join(SHAPES)}")
        if self.shape == "lambda" and not self.nat:
            problems.append(
                "the lambda shape needs videoforge:nat=true: functions in a VPC reach SQS, "
                "Secrets Manager and Cognito's keys only through a NAT gateway"
            )
        if self.mfa not in ("optional", "required"):
            problems.append("videoforge:mfa must be optional or required")
        if not 30 <= self.lease_seconds <= 12 * 3600:
            problems.append("videoforge:lease_seconds must be between 30 and 43200 (SQS limits)")
        if not 1 <= self.max_receives <= 1000:
            problems.append("videoforge:max_receives must be between 1 and 1000")
        if problems:
            raise ValueError("; ".join(problems))
