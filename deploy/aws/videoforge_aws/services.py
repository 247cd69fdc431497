"""The HTTP roles on ECS Fargate. The public load balancer sends everything to the gateway; the
gateway reaches auth, gallery and streaming through the internal load balancer, one listener
port per role (edge.PEER_PORTS), so each has its own base URL and answers its own /api/health."""

from __future__ import annotations

from aws_cdk import Duration
from aws_cdk import aws_ecs as ecs
from aws_cdk import aws_elasticloadbalancingv2 as elbv2
from constructs import Construct, IDependable

from videoforge_aws.data import Data
from videoforge_aws.edge import Edge
from videoforge_aws.environment import Wiring, environment
from videoforge_aws.network import HTTP_PORT, Network
from videoforge_aws.permissions import statements
from videoforge_aws.tasks import Tasks


class HttpServices(Construct):
    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        roles: list[str],
        wiring: Wiring,
        network: Network,
        data: Data,
        edge: Edge,
        tasks: Tasks,
        after: IDependable,
    ) -> None:
        super().__init__(scope, id)
        settings = wiring.settings
        self.services: dict[str, ecs.FargateService] = {}
        self.target_groups: dict[str, elbv2.ApplicationTargetGroup] = {}
        for role in roles:
            definition = tasks.definition(
                role,
                environment(role, wiring),
                statements(role, data),
                command=["serve", "--host", "0.0.0.0", "--port", str(HTTP_PORT), "--roles", role],
                cpu=settings.http_cpu,
                memory_mib=settings.http_memory_mib,
                http=True,
            )
            service = tasks.service(
                self,
                role.capitalize(),
                definition,
                after=after,
                desired_count=1,
                health_check_grace_period=Duration.seconds(90),
            )
            self.services[role] = service
            self.target_groups[role] = self._register(role, service, edge)

    def _register(
        self, role: str, service: ecs.FargateService, edge: Edge
    ) -> elbv2.ApplicationTargetGroup:
        target = service.load_balancer_target(container_name="videoforge", container_port=HTTP_PORT)
        group = elbv2.ApplicationTargetGroup(
            self,
            f"{role.capitalize()}Targets",
            vpc=service.cluster.vpc,
            port=HTTP_PORT,
            protocol=elbv2.ApplicationProtocol.HTTP,
            targets=[target],
            deregistration_delay=Duration.seconds(30),
            health_check=elbv2.HealthCheck(
                path="/api/ready", healthy_http_codes="200", interval=Duration.seconds(30)
            ),
        )
        if role == "gateway":
            edge.https.add_target_groups("Gateway", target_groups=[group])
        else:
            edge.peer_listener(role).add_target_groups(role.capitalize(), target_groups=[group])
        return group
