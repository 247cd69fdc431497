"""The ECS cluster, the one container image every role runs, and a Fargate task definition per
role with its settings, its secrets, its own least-privilege task role and a log group."""

from __future__ import annotations

from pathlib import Path

from aws_cdk import Duration
from aws_cdk import aws_ecr_assets as ecr_assets
from aws_cdk import aws_ecs as ecs
from aws_cdk import aws_iam as iam
from aws_cdk import aws_logs as logs
from constructs import Construct, IDependable

from videoforge_aws.environment import RoleEnvironment
from videoforge_aws.network import HTTP_PORT, Network
from videoforge_aws.retention import log_group
from videoforge_aws.settings import DeploySettings

REPO_ROOT = Path(__file__).resolve().parents[3]


class Tasks(Construct):
    def __init__(
        self, scope: Construct, id: str, *, settings: DeploySettings, network: Network
    ) -> None:
        super().__init__(scope, id)
        self.settings = settings
        self.network = network
        self.log_groups: dict[str, logs.LogGroup] = {}
        self.cluster = ecs.Cluster(
            self,
            "Cluster",
            vpc=network.vpc,
            # Container Insights publishes RunningTaskCount, the divisor of the workers'
            # backlog-per-task metric math.
            container_insights_v2=ecs.ContainerInsights.ENABLED,
        )
        # The repo's Dockerfile; only staged at synth, built and pushed by `cdk deploy`.
        self.image = ecr_assets.DockerImageAsset(
            self,
            "Image",
            directory=str(REPO_ROOT),
            platform=ecr_assets.Platform.LINUX_AMD64,
            exclude=["deploy", "cdk.out", "out", "docs", ".git", ".venv", "frontend", "tests"],
        )

    def definition(
        self,
        role: str,
        env: RoleEnvironment,
        statements: list[iam.PolicyStatement],
        *,
        command: list[str],
        cpu: int,
        memory_mib: int,
        http: bool,
        disk_gib: int | None = None,
        stop_timeout: Duration | None = None,
    ) -> ecs.FargateTaskDefinition:
        task = ecs.FargateTaskDefinition(
            self,
            f"{role.capitalize()}Task",
            cpu=cpu,
            memory_limit_mib=memory_mib,
            ephemeral_storage_gib=disk_gib,
            runtime_platform=ecs.RuntimePlatform(
                cpu_architecture=ecs.CpuArchitecture.X86_64,
                operating_system_family=ecs.OperatingSystemFamily.LINUX,
            ),
        )
        logs_of_role = log_group(self, f"{role.capitalize()}Logs", self.settings.log_retention_days)
        self.log_groups[role] = logs_of_role
        for statement in statements:
            task.add_to_task_role_policy(statement)
        container = task.add_container(
            "videoforge",
            image=ecs.ContainerImage.from_docker_image_asset(self.image),
            command=command,
            environment=env.plain,
            secrets={
                name: ecs.Secret.from_secrets_manager(ref.secret, ref.field)
                for name, ref in env.secrets.items()
            },
            logging=ecs.LogDriver.aws_logs(stream_prefix=role, log_group=logs_of_role),
            stop_timeout=stop_timeout,
            readonly_root_filesystem=False,
        )
        if http:
            container.add_port_mappings(ecs.PortMapping(container_port=HTTP_PORT))
        return task

    def service(
        self,
        scope: Construct,
        id: str,
        definition: ecs.FargateTaskDefinition,
        *,
        after: IDependable,
        desired_count: int | None = None,
        health_check_grace_period: Duration | None = None,
    ) -> ecs.FargateService:
        """A Fargate service of this cluster in the task subnets, rolled out without dropping
        below its count, rolled back if the new tasks never turn healthy, and started only
        after `after` (this release's migrations, migrations.py)."""
        network = self.network
        service = ecs.FargateService(
            scope,
            id,
            cluster=self.cluster,
            task_definition=definition,
            assign_public_ip=network.assign_public_ip,
            vpc_subnets=network.task_subnets,
            security_groups=[network.services_sg],
            min_healthy_percent=100,
            max_healthy_percent=200,
            circuit_breaker=ecs.DeploymentCircuitBreaker(rollback=True),
            desired_count=desired_count,
            health_check_grace_period=health_check_grace_period,
        )
        service.node.add_dependency(after)
        return service
