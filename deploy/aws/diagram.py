"""Draw the synthesized architecture as Mermaid, from the CloudFormation templates themselves.

    uv run python deploy/aws/diagram.py          # synthesizes both shapes, writes the doc
    uv run python deploy/aws/diagram.py --check  # fails if docs/aws-architecture.md is stale

Nodes are the resources a reader cares about (load balancers, services, functions, data,
identity); edges are the references between them in the template (a container's settings
naming the database, a listener forwarding to a service's target group, a scaling policy
reading a queue), so the picture cannot drift from what is deployed.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
DOC = HERE.parents[1] / "docs" / "aws-architecture.md"
SHAPES = ("fargate", "lambda")
SECRETS = "secrets"  # one node for every secret


def references(value: Any) -> Iterator[str]:
    """Logical ids a CloudFormation value refers to (Ref and Fn::GetAtt, at any depth)."""
    if isinstance(value, dict):
        if "Ref" in value and isinstance(value["Ref"], str):
            yield value["Ref"]
        if "Fn::GetAtt" in value:
            yield value["Fn::GetAtt"][0]
        for item in value.values():
            yield from references(item)
    elif isinstance(value, list):
        for item in value:
            yield from references(item)


class Architecture:
    def __init__(self, template: dict[str, Any]) -> None:
        self.resources: dict[str, dict[str, Any]] = template["Resources"]
        self.nodes: dict[str, str] = {}  # logical id -> label
        self.groups: dict[str, list[str]] = {
            "Edge": [],
            "HTTP roles": [],
            "Workers": [],
            "Data": [],
            "Identity": [],
        }
        self.edges: set[tuple[str, str, str]] = set()
        self._collect()

    def of_type(self, type_: str) -> dict[str, dict[str, Any]]:
        return {k: v for k, v in self.resources.items() if v["Type"] == type_}

    def _node(self, key: str, label: str, group: str) -> None:
        self.nodes[key] = label
        self.groups[group].append(key)

    def _collect(self) -> None:
        for key, lb in self.of_type("AWS::ElasticLoadBalancingV2::LoadBalancer").items():
            public = lb["Properties"]["Scheme"] == "internet-facing"
            label = (
                "Public ALB<br/>HTTPS 443, HTTP→HTTPS"
                if public
                else "Internal ALB<br/>one port per role"
            )
            self._node(key, label, "Edge")
        for key in self.of_type("AWS::CloudFront::Distribution"):
            self._node(key, "CloudFront<br/>signed URLs, OAC", "Edge")
        for key in self.of_type("AWS::ApiGatewayV2::Api"):
            self._node(key, "HTTP API", "Edge")
        tasks = self.of_type("AWS::ECS::TaskDefinition")
        for key, service in self.of_type("AWS::ECS::Service").items():
            task = tasks[service["Properties"]["TaskDefinition"]["Ref"]]
            group = "Workers" if _role(task).startswith("processor") else "HTTP roles"
            self._node(key, f"{_role(task)}<br/>ECS Fargate", group)
        for key, function in self.of_type("AWS::Lambda::Function").items():
            handler = function["Properties"]["Handler"]
            if handler.startswith("videoforge.serverless."):
                role = handler.rsplit(".", 1)[1].removesuffix("_handler")
                self._node(key, f"{role}<br/>Lambda + function URL", "HTTP roles")
        for key in self.of_type("Custom::VideoForgeMigrations"):
            self._node(key, "migrations<br/>one-off db upgrade task", "Workers")
        for key in self.of_type("AWS::ApplicationAutoScaling::ScalingPolicy"):
            self._node(key, "target tracking<br/>visible ÷ running tasks", "Workers")
        for key in self.of_type("AWS::RDS::DBInstance"):
            self._node(key, "PostgreSQL<br/>RDS", "Data")
        for key, bucket in self.of_type("AWS::S3::Bucket").items():
            if (
                "LifecycleConfiguration" in bucket["Properties"]
                and "LoggingConfiguration" in bucket["Properties"]
            ):
                self._node(key, "media bucket<br/>S3, private", "Data")
        for key, queue in self.of_type("AWS::SQS::Queue").items():
            dead = "RedrivePolicy" not in queue["Properties"]
            self._node(key, "dead-letter queue" if dead else "job queue<br/>SQS", "Data")
        for key in self.of_type("AWS::Cognito::UserPool"):
            self._node(key, "Cognito user pool<br/>TOTP MFA, hosted UI", "Identity")
        self._node(SECRETS, "Secrets Manager<br/>DB password, JWT_SECRET, keys", "Identity")
        self._link()

    def _link(self) -> None:
        tasks = self.of_type("AWS::ECS::TaskDefinition")
        services = self.of_type("AWS::ECS::Service")
        # Listener -> target group -> service.
        group_to_service = {
            lb["TargetGroupArn"]["Ref"]: key
            for key, service in services.items()
            for lb in service["Properties"].get("LoadBalancers", [])
        }
        for listener in self.of_type("AWS::ElasticLoadBalancingV2::Listener").values():
            p = listener["Properties"]
            for action in p["DefaultActions"]:
                target = action.get("TargetGroupArn", {}).get("Ref")
                if target in group_to_service:
                    self.edges.add(
                        (p["LoadBalancerArn"]["Ref"], group_to_service[target], f":{p['Port']}")
                    )
        # What each service's and function's settings name.
        for key, service in services.items():
            task = tasks[service["Properties"]["TaskDefinition"]["Ref"]]
            self._uses(key, task["Properties"]["ContainerDefinitions"])
        for key in self.groups["HTTP roles"] + self.groups["Workers"]:
            resource = self.resources[key]
            if resource["Type"] == "AWS::Lambda::Function":
                self._uses(key, resource["Properties"]["Environment"])
            if resource["Type"] == "Custom::VideoForgeMigrations":
                task = tasks[resource["Properties"]["TaskDefinition"]["Ref"]]
                self._uses(key, task["Properties"]["ContainerDefinitions"])
        # Function URLs the gateway forwards to.
        urls = {
            k: v["Properties"]["TargetFunctionArn"]["Fn::GetAtt"][0]
            for k, v in self.of_type("AWS::Lambda::Url").items()
        }
        for key, service in services.items():
            task = tasks[service["Properties"]["TaskDefinition"]["Ref"]]
            for ref in references(task["Properties"]["ContainerDefinitions"]):
                if ref in urls:
                    self.edges.add((key, urls[ref], "forwards"))
        for integration in self.of_type("AWS::ApiGatewayV2::Integration").values():
            p = integration["Properties"]
            for ref in references(p["IntegrationUri"]):
                if ref in self.nodes:
                    self.edges.add((p["ApiId"]["Ref"], ref, ""))
        for key, distribution in self.of_type("AWS::CloudFront::Distribution").items():
            for ref in references(distribution["Properties"]["DistributionConfig"]["Origins"]):
                if ref in self.nodes:
                    self.edges.add((key, ref, "OAC"))
        for key, queue in self.of_type("AWS::SQS::Queue").items():
            for ref in references(queue["Properties"].get("RedrivePolicy", {})):
                self.edges.add((key, ref, "after 3 receives"))
        for key, policy in self.of_type("AWS::ApplicationAutoScaling::ScalingPolicy").items():
            config = policy["Properties"]["TargetTrackingScalingPolicyConfiguration"]
            for ref in references(config):
                if ref in self.nodes and self.resources[ref]["Type"] == "AWS::SQS::Queue":
                    self.edges.add((key, ref, "reads"))
            target = self.resources[policy["Properties"]["ScalingTargetId"]["Ref"]]
            for ref in references(target["Properties"]["ResourceId"]):
                if ref in services:
                    self.edges.add((key, ref, "scales"))

    def _uses(self, source: str, settings: Any) -> None:
        found = set(references(settings))
        for ref in found:
            type_ = self.resources.get(ref, {}).get("Type")
            if type_ in (
                "AWS::SecretsManager::Secret",
                "AWS::SecretsManager::SecretTargetAttachment",
            ):
                self.edges.add((source, SECRETS, ""))
            elif ref not in self.nodes or ref == source:
                continue
            elif type_ == "AWS::ElasticLoadBalancingV2::LoadBalancer":
                self.edges.add((source, ref, "forwards"))
            elif (
                type_ == "AWS::SQS::Queue"
                and "RedrivePolicy" not in self.resources[ref]["Properties"]
            ):
                continue  # the dead-letter queue is drawn from its queue
            elif type_ in (
                "AWS::RDS::DBInstance",
                "AWS::S3::Bucket",
                "AWS::SQS::Queue",
                "AWS::Cognito::UserPool",
            ):
                self.edges.add((source, ref, ""))

    def mermaid(self) -> str:
        ids = {key: f"n{i}" for i, key in enumerate(sorted(self.nodes))}
        groups = {name: f"g{i}" for i, name in enumerate(self.groups)}
        lines = ["flowchart LR", '  viewer(["browser"])']
        for group, keys in self.groups.items():
            if keys:
                lines.append(f'  subgraph {groups[group]}["{group}"]')
                lines += [f'    {ids[k]}["{self.nodes[k]}"]' for k in sorted(keys)]
                lines.append("  end")
        # What every HTTP role uses is drawn once, from the group.
        http = set(self.groups["HTTP roles"])
        shared = {
            target
            for (_, target, label) in self.edges
            if not label and http <= {s for (s, t, lab) in self.edges if t == target and not lab}
        }
        edges = {e for e in self.edges if not (e[0] in http and e[1] in shared)}
        for target in sorted(shared):
            lines.append(f"  {groups['HTTP roles']} --> {ids[target]}")
        for key in self.groups["Edge"]:
            if self.nodes[key].startswith(("Public", "CloudFront", "HTTP API")):
                lines.append(f"  viewer --> {ids[key]}")
        for key in self.groups["Identity"]:
            if self.resources.get(key, {}).get("Type") == "AWS::Cognito::UserPool":
                lines.append(f"  viewer -. sign-in .-> {ids[key]}")
        for source, target, label in sorted(edges):
            if source in ids and target in ids:
                arrow = f"-- {label} -->" if label else "-->"
                lines.append(f"  {ids[source]} {arrow} {ids[target]}")
        return "\n".join(lines)


def _role(task: dict[str, Any]) -> str:
    command = task["Properties"]["ContainerDefinitions"][0]["Command"]
    if command[0] == "serve":
        return command[command.index("--roles") + 1]
    return "processor (workers)" if command == ["worker"] else " ".join(command)


def document(templates: dict[str, dict[str, Any]]) -> str:
    parts = [
        "# VideoForge on AWS: the synthesized architecture",
        "",
        "Generated from the CloudFormation templates by `uv run python deploy/aws/diagram.py`",
        "(do not edit by hand; a test fails when this file and the templates disagree).",
        "Arrows are references in the templates: settings naming a resource, listeners",
        "forwarding to services, the scaling policy reading the queue.",
    ]
    for shape, template in templates.items():
        resources = len(template["Resources"])
        parts += ["", f"## `{shape}` shape ({resources} resources)", "", "```mermaid"]
        parts += [Architecture(template).mermaid(), "```"]
    return "\n".join(parts) + "\n"


def synthesize_all() -> dict[str, dict[str, Any]]:
    import json

    sys.path.insert(0, str(HERE))
    from videoforge_aws.app import build_app

    templates = {}
    for shape in SHAPES:
        with tempfile.TemporaryDirectory() as out:
            context: dict[str, object] = {
                "videoforge:shape": shape,
                "aws:cdk:bundling-stacks": [],
            }
            build_app(context, outdir=out).synth()
            templates[shape] = json.loads((Path(out) / "VideoForge.template.json").read_text())
    return templates


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if the doc is out of date")
    args = parser.parse_args()
    text = document(synthesize_all())
    if args.check:
        if DOC.read_text() != text:
            print(f"{DOC} is out of date: run `uv run python deploy/aws/diagram.py`")
            return 1
        return 0
    DOC.write_text(text)
    print(f"wrote {DOC}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
