"""The whole deployment in one stack, assembled from the small constructs next to this file.

Parameters are what belongs to one account (certificate, domain, key secrets, worker bounds), so
the templates synthesize with no credentials and no lookups; context settings (settings.py) are
choices about the shape of the deployment.
"""

from __future__ import annotations

from aws_cdk import CfnOutput, CfnParameter, Stack
from aws_cdk import aws_secretsmanager as secretsmanager
from constructs import Construct

from videoforge_aws.alarms import Alarms
from videoforge_aws.data import Data
from videoforge_aws.edge import Edge
from videoforge_aws.environment import HTTP_ROLES, Wiring
from videoforge_aws.functions import FUNCTION_ROLES, Functions
from videoforge_aws.identity import Identity
from videoforge_aws.migrations import Migrations
from videoforge_aws.network import Network
from videoforge_aws.services import HttpServices
from videoforge_aws.settings import DeploySettings
from videoforge_aws.tasks import Tasks
from videoforge_aws.workers import Workers


class VideoForgeStack(Stack):
    def __init__(
        self, scope: Construct, id: str, *, settings: DeploySettings, **kwargs: object
    ) -> None:
        super().__init__(scope, id, **kwargs)  # type: ignore[arg-type]
        self.settings = settings
        p = self._parameters()

        network = Network(self, "Network", settings=settings)
        public_url = f"https://{p['DomainName'].value_as_string}"
        data = Data(self, "Data", settings=settings, network=network, public_url=public_url)
        identity = Identity(self, "Identity", settings=settings, public_url=public_url)
        edge = Edge(
            self,
            "Edge",
            network=network,
            data=data,
            certificate_arn=p["CertificateArn"].value_as_string,
            cdn_public_key_pem=p["CdnPublicKeyPem"].value_as_string,
        )
        tasks = Tasks(self, "Tasks", settings=settings, network=network)
        wiring = Wiring(
            settings=settings,
            data=data,
            signing_key=secretsmanager.Secret.from_secret_complete_arn(
                self, "SigningKey", p["SigningKeySecretArn"].value_as_string
            ),
            cdn_private_key=secretsmanager.Secret.from_secret_complete_arn(
                self, "CdnPrivateKey", p["CdnPrivateKeySecretArn"].value_as_string
            ),
            public_url=public_url,
            cognito_user_pool_id=identity.pool.user_pool_id,
            cognito_client_id=identity.client.user_pool_client_id,
            cognito_domain=identity.hosted_ui_url,
            cdn_domain=edge.distribution.distribution_domain_name,
            cdn_key_pair_id=edge.cdn_public_key.public_key_id,
            worker_min=p["WorkerMin"].value_as_string,
            worker_max=p["WorkerMax"].value_as_string,
            worker_target=p["WorkerTargetBacklog"].value_as_string,
        )

        migrations = Migrations(
            self, "Migrations", wiring=wiring, network=network, data=data, tasks=tasks
        )
        container_roles = list(HTTP_ROLES)
        function_urls: dict[str, str] = {}
        self.functions: Functions | None = None
        if settings.shape == "lambda":
            self.functions = Functions(
                self, "Functions", wiring=wiring, network=network, data=data, after=migrations.run
            )
            function_urls = self.functions.urls
            container_roles = [r for r in HTTP_ROLES if r not in FUNCTION_ROLES]
        wiring.peers = {
            role: function_urls.get(role) or edge.peer_url(role)
            for role in ("auth", "gallery", "streaming")
        }
        self.http = HttpServices(
            self,
            "Http",
            roles=container_roles,
            wiring=wiring,
            network=network,
            data=data,
            edge=edge,
            tasks=tasks,
            after=migrations.run,
        )
        self.workers = Workers(
            self,
            "Workers",
            wiring=wiring,
            network=network,
            data=data,
            tasks=tasks,
            min_workers=p["WorkerMin"].value_as_number,
            max_workers=p["WorkerMax"].value_as_number,
            target_backlog=p["WorkerTargetBacklog"].value_as_number,
            after=migrations.run,
        )
        Alarms(
            self,
            "Alarms",
            data=data,
            public_alb=edge.public_alb,
            worker_logs=tasks.log_groups["processor"],
            functions=self.functions.functions if self.functions else {},
            email=settings.alarm_email,
        )

        outputs = {
            "Url": public_url,
            "LoadBalancerDns": edge.public_alb.load_balancer_dns_name,
            "MediaDomain": edge.distribution.distribution_domain_name,
            "UserPoolId": identity.pool.user_pool_id,
            "UserPoolClientId": identity.client.user_pool_client_id,
            "HostedUi": identity.hosted_ui_url,
            "JobQueueUrl": data.jobs.queue_url,
            "DeadLetterQueueUrl": data.dead_letters.queue_url,
            "Cluster": tasks.cluster.cluster_name,
        }
        if self.functions:
            outputs["HttpApiUrl"] = self.functions.api.api_endpoint
        for name, value in outputs.items():
            CfnOutput(self, name, value=value)

    def _parameters(self) -> dict[str, CfnParameter]:
        def param(name: str, description: str, **kwargs: object) -> CfnParameter:
            return CfnParameter(self, name, description=description, **kwargs)  # type: ignore[arg-type]

        secret_arn = r"arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:.+"
        return {
            "CertificateArn": param(
                "CertificateArn",
                "ACM certificate (same region) for DomainName, served by the load balancer",
                allowed_pattern=r"arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate/.+",
            ),
            "DomainName": param(
                "DomainName",
                "The name people open VideoForge at (point it at LoadBalancerDns)",
                allowed_pattern=r"[a-z0-9.-]+",
            ),
            "SigningKeySecretArn": param(
                "SigningKeySecretArn",
                "Secret holding the P-256 private key in PEM (VIDEOFORGE_SIGNING_KEY_PEM)",
                allowed_pattern=secret_arn,
                no_echo=True,
            ),
            "CdnPrivateKeySecretArn": param(
                "CdnPrivateKeySecretArn",
                "Secret holding the RSA private key in PEM that signs CloudFront URLs",
                allowed_pattern=secret_arn,
                no_echo=True,
            ),
            "CdnPublicKeyPem": param("CdnPublicKeyPem", "The public half of that RSA key, in PEM"),
            "WorkerMin": param(
                "WorkerMin",
                "Fewest worker tasks (at least 1: backlog per worker is undefined with none)",
                type="Number",
                default=1,
                min_value=1,
            ),
            "WorkerMax": param(
                "WorkerMax", "Most worker tasks", type="Number", default=3, min_value=1
            ),
            "WorkerTargetBacklog": param(
                "WorkerTargetBacklog",
                "Waiting jobs per worker task to aim for (acceptable wait ÷ seconds per job)",
                type="Number",
                default=5,
                min_value=1,
            ),
        }
