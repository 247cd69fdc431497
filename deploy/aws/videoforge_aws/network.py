"""The VPC and the security groups: only the load balancers reach the services, only the
services reach the database."""

from __future__ import annotations

from aws_cdk import aws_ec2 as ec2
from constructs import Construct

from videoforge_aws.retention import log_group
from videoforge_aws.settings import DeploySettings

HTTP_PORT = 8000  # every HTTP role listens here (the image's EXPOSE)
# The internal load balancer's port for each role the gateway forwards to.
PEER_PORTS = {"auth": 8001, "gallery": 8002, "streaming": 8003}
# A literal range (not the VPC's CidrBlock attribute) so the roles can be told, at synth time,
# that requests from inside it come through the load balancers (VIDEOFORGE_TRUSTED_PROXIES).
VPC_CIDR = "10.0.0.0/16"


class Network(Construct):
    def __init__(self, scope: Construct, id: str, *, settings: DeploySettings) -> None:
        super().__init__(scope, id)
        self.vpc = ec2.Vpc(
            self,
            "Vpc",
            ip_addresses=ec2.IpAddresses.cidr(VPC_CIDR),
            max_azs=2,
            nat_gateways=1 if settings.nat else 0,
            subnet_configuration=[
                ec2.SubnetConfiguration(
                    name="public", subnet_type=ec2.SubnetType.PUBLIC, cidr_mask=24
                ),
                ec2.SubnetConfiguration(
                    name="private",
                    subnet_type=ec2.SubnetType.PRIVATE_WITH_EGRESS
                    if settings.nat
                    else ec2.SubnetType.PRIVATE_ISOLATED,
                    cidr_mask=24,
                ),
            ],
            # The default security group is used by nothing here; the feature that empties it
            # brings a Lambda whose log group would have no retention.
            restrict_default_security_group=False,
        )
        flow_logs = log_group(self, "FlowLogs", settings.log_retention_days)
        self.vpc.add_flow_log(
            "FlowLog",
            destination=ec2.FlowLogDestination.to_cloud_watch_logs(flow_logs),
            traffic_type=ec2.FlowLogTrafficType.REJECT,
        )
        # S3 through a gateway endpoint: free, and it keeps media traffic off the NAT gateway.
        self.vpc.add_gateway_endpoint("S3", service=ec2.GatewayVpcEndpointAwsService.S3)

        # Containers without a NAT gateway sit in public subnets with a public address (for
        # image pulls and AWS APIs); their security group still admits only the load balancers.
        self.task_subnets = ec2.SubnetSelection(
            subnet_type=ec2.SubnetType.PRIVATE_WITH_EGRESS
            if settings.nat
            else ec2.SubnetType.PUBLIC
        )
        self.assign_public_ip = not settings.nat
        self.public_subnets = ec2.SubnetSelection(subnet_type=ec2.SubnetType.PUBLIC)
        self.private_subnets = ec2.SubnetSelection(
            subnet_type=ec2.SubnetType.PRIVATE_WITH_EGRESS
            if settings.nat
            else ec2.SubnetType.PRIVATE_ISOLATED
        )

        self.public_alb_sg = self._group("PublicAlb", "The public load balancer: HTTPS from anyone")
        self.public_alb_sg.add_ingress_rule(ec2.Peer.any_ipv4(), ec2.Port.tcp(443), "HTTPS")
        self.public_alb_sg.add_ingress_rule(
            ec2.Peer.any_ipv4(), ec2.Port.tcp(80), "HTTP, answered by a redirect to HTTPS"
        )
        self.internal_alb_sg = self._group(
            "InternalAlb", "The internal load balancer: the gateway reaches the other roles"
        )
        self.services_sg = self._group("Services", "VideoForge containers and functions")
        self.services_sg.add_ingress_rule(
            self.public_alb_sg, ec2.Port.tcp(HTTP_PORT), "from the public load balancer"
        )
        self.services_sg.add_ingress_rule(
            self.internal_alb_sg, ec2.Port.tcp(HTTP_PORT), "from the internal load balancer"
        )
        for role, port in PEER_PORTS.items():
            self.internal_alb_sg.add_ingress_rule(
                self.services_sg, ec2.Port.tcp(port), f"the gateway forwarding to {role}"
            )
        self.database_sg = self._group("Database", "PostgreSQL: only the services")
        self.database_sg.add_ingress_rule(
            self.services_sg, ec2.Port.tcp(5432), "VideoForge processes"
        )

    def _group(self, id: str, description: str) -> ec2.SecurityGroup:
        return ec2.SecurityGroup(
            self, id, vpc=self.vpc, description=description, allow_all_outbound=True
        )
