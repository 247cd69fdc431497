"""cdk-nag (AwsSolutions pack) findings this deployment accepts, each with its reason.

Everything else the pack reports fails the synth. Paths are construct paths below the stack,
with shell-style wildcards; a rule applies to every construct a path matches. cdk-nag 3 wants
each finding acknowledged by its own id, which names resources by logical id: `{Data/Media}`
in a rule stands for the logical id of the resource at that construct path.
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass

from aws_cdk import Acknowledgment, CfnElement, Stack, Validations

_BASIC = "arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
_VPC = "arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole"
_TASKS = "arn:<AWS::Partition>:ecs:<AWS::Region>:<AWS::AccountId>:task/<{Tasks/Cluster}>/*"


@dataclass(frozen=True)
class Accepted:
    rule: str
    paths: tuple[str, ...]
    reason: str

    def rule_id(self, stack: Stack) -> str:
        return re.sub(r"\{([^}]+)\}", lambda m: _logical_id(stack, m.group(1)), self.rule)


ACCEPTED = (
    Accepted(
        "AwsSolutions-EC23",
        ("Network/PublicAlb/Resource",),
        "The public load balancer is the website's front door: 443 (and 80, which only "
        "redirects to 443) from anywhere is its purpose.",
    ),
    Accepted(
        "AwsSolutions-SMG4",
        ("Data/JwtSecret/Resource", "Data/Postgres/Secret/Resource"),
        "ECS injects secrets when a task starts, so rotating them under running tasks breaks "
        "database connections and media links until every task restarts; rotate by "
        "changing the secret and redeploying (docs/aws.md).",
    ),
    Accepted(
        "AwsSolutions-RDS3",
        ("Data/Postgres/Resource",),
        "Single-AZ keeps the idle cost down (Multi-AZ doubles the instance price); backups "
        "and a snapshot on delete are on. Turn on Multi-AZ for production traffic.",
    ),
    Accepted(
        "AwsSolutions-RDS11",
        ("Data/Postgres/Resource",),
        "A non-default port hides nothing from a scanner; only the services' security "
        "group reaches 5432, from private subnets.",
    ),
    Accepted(
        "AwsSolutions-COG2",
        ("Identity/Users/Resource",),
        "MFA (TOTP) is optional by default and required with videoforge:mfa=required; "
        "each user may enrol. This finding appears only when it is optional.",
    ),
    Accepted(
        "AwsSolutions-COG8",
        ("Identity/Users/Resource",),
        "Cognito's Plus feature plan (threat protection) is billed per monthly active user; "
        "VideoForge throttles sign-in attempts itself. Opt in per deployment.",
    ),
    Accepted(
        "AwsSolutions-CFR1",
        ("Edge/Media/Resource",),
        "Media is served worldwide on purpose; every URL is signed and expires.",
    ),
    Accepted(
        "AwsSolutions-CFR2",
        ("Edge/Media/Resource",),
        "A web ACL costs at least $5 a month plus per-request fees; the distribution only "
        "serves signed URLs of existing media, nothing a WAF rule would filter.",
    ),
    Accepted(
        "AwsSolutions-CFR4",
        ("Edge/Media/Resource",),
        "With the default *.cloudfront.net certificate CloudFront fixes the minimum viewer "
        "protocol at TLSv1; the origin is S3 over HTTPS through origin access control.",
    ),
    Accepted(
        "AwsSolutions-ELB2",
        ("Edge/Public/Resource", "Edge/Internal/Resource"),
        "Load-balancer access logs need the region's log-delivery account in the bucket "
        "policy, which an environment-agnostic template cannot name; requests are logged by "
        "VideoForge itself (one JSON line per request with its X-Request-ID).",
    ),
    Accepted(
        "AwsSolutions-ECS2",
        ("Tasks/*Task/Resource",),
        "The environment holds only non-secret settings (names, URLs, limits); every secret "
        "comes from Secrets Manager through the container's `secrets`.",
    ),
    Accepted(
        "AwsSolutions-IAM5[Resource::*]",
        ("Tasks/*Task/ExecutionRole/DefaultPolicy/Resource",),
        "ecr:GetAuthorizationToken only exists with resource '*' (AWS requires it).",
    ),
    Accepted(
        "AwsSolutions-IAM5[Resource::<{Data/Media}.Arn>/*]",
        (
            "Tasks/GalleryTask/TaskRole/DefaultPolicy/Resource",
            "Tasks/ProcessorTask/TaskRole/DefaultPolicy/Resource",
            "Tasks/StreamingTask/TaskRole/DefaultPolicy/Resource",
            "Functions/*/ServiceRole/DefaultPolicy/Resource",
        ),
        "Objects of the one media bucket (bucket/*): video keys are made at run time.",
    ),
    Accepted(
        f"AwsSolutions-IAM5[Resource::{_TASKS}]",
        (
            "Tasks/ProcessorTask/TaskRole/DefaultPolicy/Resource",
            "Migrations/Done/ServiceRole/DefaultPolicy/Resource",
        ),
        "Tasks of this cluster (task/<cluster>/*): task ids exist only once a task runs.",
    ),
    Accepted(
        "AwsSolutions-IAM5[Resource::<{Migrations/Start}.Arn>:*]",
        (
            "Migrations/Provider/framework-*/ServiceRole/DefaultPolicy/Resource",
            "Migrations/Provider/waiter-state-machine/Role/DefaultPolicy/Resource",
        ),
        "CDK's custom-resource framework invokes the versions of its own functions "
        "(function-arn:*), nothing else.",
    ),
    Accepted(
        "AwsSolutions-IAM5[Resource::<{Migrations/Done}.Arn>:*]",
        (
            "Migrations/Provider/framework-*/ServiceRole/DefaultPolicy/Resource",
            "Migrations/Provider/waiter-state-machine/Role/DefaultPolicy/Resource",
        ),
        "CDK's custom-resource framework invokes the versions of its own functions "
        "(function-arn:*), nothing else.",
    ),
    Accepted(
        "AwsSolutions-IAM5[Resource::<{Migrations/Provider/framework-isComplete}.Arn>:*]",
        (
            "Migrations/Provider/framework-*/ServiceRole/DefaultPolicy/Resource",
            "Migrations/Provider/waiter-state-machine/Role/DefaultPolicy/Resource",
        ),
        "CDK's custom-resource framework invokes the versions of its own functions "
        "(function-arn:*), nothing else.",
    ),
    Accepted(
        "AwsSolutions-IAM5[Resource::<{Migrations/Provider/framework-onTimeout}.Arn>:*]",
        (
            "Migrations/Provider/framework-*/ServiceRole/DefaultPolicy/Resource",
            "Migrations/Provider/waiter-state-machine/Role/DefaultPolicy/Resource",
        ),
        "CDK's custom-resource framework invokes the versions of its own functions "
        "(function-arn:*), nothing else.",
    ),
    Accepted(
        f"AwsSolutions-IAM4[Policy::{_BASIC}]",
        (
            "Migrations/*/ServiceRole/Resource",
            "Migrations/Provider/framework-*/ServiceRole/Resource",
            "Functions/*/ServiceRole/Resource",
        ),
        "AWSLambdaBasicExecutionRole (a function writes its own logs) is the minimal managed "
        "policy Lambda documents for exactly this.",
    ),
    Accepted(
        f"AwsSolutions-IAM4[Policy::{_VPC}]",
        ("Functions/*/ServiceRole/Resource",),
        "AWSLambdaVPCAccessExecutionRole (network interfaces in the VPC) is the minimal "
        "managed policy Lambda documents for functions that reach the database.",
    ),
    Accepted(
        "AwsSolutions-IAM5[Resource::*]",
        ("Migrations/Provider/waiter-state-machine/Role/DefaultPolicy/Resource",),
        "Step Functions log delivery (logs:CreateLogDelivery and the like) supports no "
        "resource-level permissions: AWS requires resource '*' for it.",
    ),
    Accepted(
        "AwsSolutions-SF2",
        ("Migrations/Provider/waiter-state-machine/Resource",),
        "CDK's waiter polls one ECS task every 15 s; X-Ray traces would show nothing the "
        "task's own log does not.",
    ),
    Accepted(
        "AwsSolutions-APIG1",
        ("Functions/Api/DefaultStage/Resource",),
        "VideoForge logs every request itself (JSON lines with the request id) in the "
        "functions' log groups, which have retention.",
    ),
    Accepted(
        "AwsSolutions-APIG4",
        ("Functions/Api/*/Resource",),
        "The API is VideoForge's public HTTP API: the app authenticates each request itself "
        "(tokens from its auth role or Cognito); public videos need no sign-in.",
    ),
)


def suppress(stack: Stack) -> list[Accepted]:
    """Acknowledge ACCEPTED on the constructs they name; return the ones that matched nothing."""
    prefix = stack.node.path + "/"
    unused = []
    constructs = [(c.node.path.removeprefix(prefix), c) for c in stack.node.find_all()]
    for accepted in ACCEPTED:
        matched = False
        for path, construct in constructs:
            if any(fnmatch.fnmatchcase(path, pattern) for pattern in accepted.paths):
                Validations.of(construct).acknowledge(
                    Acknowledgment(id=accepted.rule_id(stack), reason=accepted.reason)
                )
                matched = True
        if not matched:
            unused.append(accepted)
    return unused


def _logical_id(stack: Stack, path: str) -> str:
    construct = stack.node.find_child(path.split("/")[0])
    for part in path.split("/")[1:]:
        construct = construct.node.find_child(part)
    element = construct.node.default_child or construct
    assert isinstance(element, CfnElement), f"{path} is no CloudFormation resource"
    logical_id: str = stack.resolve(element.logical_id)
    return logical_id
