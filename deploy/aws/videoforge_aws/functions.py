"""The `lambda` shape: gallery and streaming as Lambda functions (videoforge.serverless) behind
an API Gateway HTTP API, each also at a function URL with auth type NONE and both resource-policy
statements such a URL needs since October 2025 (with only the first, the original's, every
request got 403). The gateway forwards to the function URLs, so each answers its own
/api/health.

Lambda has no secrets injection of its own: VIDEOFORGE_SECRETS names the secrets (ARN and JSON
field), and the handler reads them from Secrets Manager on its first invocation, so no secret
sits in the function's configuration or in the template.
"""

from __future__ import annotations

from aws_cdk import Duration, Stack
from aws_cdk import aws_apigatewayv2 as apigw
from aws_cdk import aws_apigatewayv2_integrations as integrations
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from constructs import Construct, IDependable

from videoforge.role_specs import ROLE_SPECS
from videoforge_aws import lambda_asset
from videoforge_aws.data import Data
from videoforge_aws.environment import Wiring, environment
from videoforge_aws.network import Network
from videoforge_aws.permissions import statements
from videoforge_aws.retention import log_group

FUNCTION_ROLES = ("gallery", "streaming")
SECRETS_ENV = "VIDEOFORGE_SECRETS"  # read by videoforge.serverless.load_secrets


class Functions(Construct):
    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        wiring: Wiring,
        network: Network,
        data: Data,
        after: IDependable,
    ) -> None:
        super().__init__(scope, id)
        days = wiring.settings.log_retention_days
        code = lambda_asset.code()
        self.functions: dict[str, lambda_.Function] = {}
        self.urls: dict[str, str] = {}
        self.api = apigw.HttpApi(self, "Api", description="VideoForge gallery and streaming")
        for role in FUNCTION_ROLES:
            env = environment(role, wiring)
            function = lambda_.Function(
                self,
                role.capitalize(),
                runtime=lambda_asset.RUNTIME,
                architecture=lambda_.Architecture.X86_64,
                code=code,
                handler=f"videoforge.serverless.{role}_handler",
                memory_size=1024,
                timeout=Duration.seconds(29),  # the HTTP API's own limit
                environment={
                    **env.plain,
                    SECRETS_ENV: Stack.of(self).to_json_string(
                        {
                            name: {"arn": ref.secret.secret_arn, "field": ref.field}
                            for name, ref in env.secrets.items()
                        }
                    ),
                },
                vpc=network.vpc,
                vpc_subnets=network.private_subnets,
                security_groups=[network.services_sg],
                log_group=log_group(self, f"{role.capitalize()}Logs", days),
                logging_format=lambda_.LoggingFormat.JSON,
            )
            function.node.add_dependency(after)
            for statement in statements(role, data):
                function.add_to_role_policy(statement)
            for ref in env.secrets.values():
                function.add_to_role_policy(
                    iam.PolicyStatement(
                        actions=["secretsmanager:GetSecretValue"],
                        resources=[ref.secret.secret_arn],
                    )
                )
            self.functions[role] = function
            self.urls[role] = self._public_url(role, function)
            self._routes(role, function)

    def _public_url(self, role: str, function: lambda_.Function) -> str:
        url = lambda_.CfnUrl(
            self,
            f"{role.capitalize()}Url",
            target_function_arn=function.function_arn,
            auth_type="NONE",
        )
        # Both statements; either alone answers 403 (docs/serverless.md).
        lambda_.CfnPermission(
            self,
            f"{role.capitalize()}UrlInvokeUrl",
            action="lambda:InvokeFunctionUrl",
            function_name=function.function_name,
            principal="*",
            function_url_auth_type="NONE",
        )
        lambda_.CfnPermission(
            self,
            f"{role.capitalize()}UrlInvokeFunction",
            action="lambda:InvokeFunction",
            function_name=function.function_name,
            principal="*",
            invoked_via_function_url=True,
        )
        return url.attr_function_url

    def _routes(self, role: str, function: lambda_.Function) -> None:
        integration = integrations.HttpLambdaIntegration(f"{role.capitalize()}Api", function)
        for prefix in ROLE_SPECS[role].prefixes:
            for path in (prefix, f"{prefix}/{{proxy+}}"):
                self.api.add_routes(
                    path=path, methods=[apigw.HttpMethod.ANY], integration=integration
                )
