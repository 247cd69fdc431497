"""aws_cdk.assertions on what the original deployment got wrong, in both shapes."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.deploy.aws_synth import SYNTH_TIMEOUT, Synthesized, skip_without_cdk

pytestmark = pytest.mark.timeout(SYNTH_TIMEOUT)


def template_of(synth: Synthesized) -> Any:
    from aws_cdk.assertions import Template

    return Template.from_json(synth.template)


def container(task: dict[str, Any]) -> dict[str, Any]:
    (found,) = task["Properties"]["ContainerDefinitions"]
    return found


def task_of(synth: Synthesized, command: list[str]) -> dict[str, Any]:
    (found,) = [
        t
        for t in synth.resources("AWS::ECS::TaskDefinition").values()
        if container(t)["Command"][: len(command)] == command
    ]
    return found


def test_redrive_policy_and_a_visibility_timeout_equal_to_the_worker_lease(
    synthesized: Synthesized,
) -> None:
    from aws_cdk.assertions import Match

    queues = synthesized.resources("AWS::SQS::Queue")
    (dlq_id,) = [k for k, v in queues.items() if "RedrivePolicy" not in v["Properties"]]
    worker_env = {
        e["Name"]: e["Value"] for e in container(task_of(synthesized, ["worker"]))["Environment"]
    }
    lease = int(worker_env["VIDEOFORGE_QUEUE_VISIBILITY_TIMEOUT_SECONDS"])
    assert worker_env["VIDEOFORGE_QUEUE_MAX_RECEIVES"] == "3"
    template_of(synthesized).has_resource_properties(
        "AWS::SQS::Queue",
        {
            "VisibilityTimeout": lease,
            "RedrivePolicy": {
                "deadLetterTargetArn": {"Fn::GetAtt": [dlq_id, "Arn"]},
                "maxReceiveCount": 3,
            },
            "MessageRetentionPeriod": 4 * 24 * 3600,
            "SqsManagedSseEnabled": True,
        },
    )
    assert queues[dlq_id]["Properties"]["MessageRetentionPeriod"] == 14 * 24 * 3600
    template_of(synthesized).has_resource_properties(
        "AWS::CloudWatch::Alarm",
        {
            "MetricName": "ApproximateNumberOfMessagesVisible",
            "Dimensions": [{"Name": "QueueName", "Value": {"Fn::GetAtt": [dlq_id, "QueueName"]}}],
            "Threshold": 1,
            "ComparisonOperator": "GreaterThanOrEqualToThreshold",
            "AlarmActions": Match.any_value(),
        },
    )


def test_workers_scale_on_backlog_per_task_by_metric_math(synthesized: Synthesized) -> None:
    policy = synthesized.one("AWS::ApplicationAutoScaling::ScalingPolicy")["Properties"]
    assert policy["PolicyType"] == "TargetTrackingScaling"
    config = policy["TargetTrackingScalingPolicyConfiguration"]
    assert config["TargetValue"] == {"Ref": "WorkerTargetBacklog"}
    assert (config["ScaleOutCooldown"], config["ScaleInCooldown"]) == (60, 300)
    metrics = {m["Id"]: m for m in config["CustomizedMetricSpecification"]["Metrics"]}
    visible, tasks = metrics["visible"]["MetricStat"], metrics["tasks"]["MetricStat"]
    assert (visible["Metric"]["Namespace"], visible["Metric"]["MetricName"]) == (
        "AWS/SQS",
        "ApproximateNumberOfMessagesVisible",
    )
    assert (tasks["Metric"]["Namespace"], tasks["Metric"]["MetricName"]) == (
        "ECS/ContainerInsights",
        "RunningTaskCount",
    )
    assert {d["Name"] for d in tasks["Metric"]["Dimensions"]} == {"ClusterName", "ServiceName"}
    assert metrics["backlog_per_worker"]["Expression"] == "visible / tasks"
    assert [m["Id"] for m in metrics.values() if m["ReturnData"]] == ["backlog_per_worker"]

    target = synthesized.one("AWS::ApplicationAutoScaling::ScalableTarget")["Properties"]
    assert (target["MinCapacity"], target["MaxCapacity"]) == (
        {"Ref": "WorkerMin"},
        {"Ref": "WorkerMax"},
    )
    assert target["ScalableDimension"] == "ecs:service:DesiredCount"
    parameters = synthesized.template["Parameters"]
    assert parameters["WorkerMin"]["MinValue"] == 1  # the ratio is undefined with no task
    assert (parameters["WorkerMin"]["Default"], parameters["WorkerMax"]["Default"]) == (1, 3)
    assert parameters["WorkerTargetBacklog"]["Default"] == 5
    # RunningTaskCount exists only with Container Insights.
    cluster = synthesized.one("AWS::ECS::Cluster")["Properties"]
    assert {"Name": "containerInsights", "Value": "enabled"} in cluster["ClusterSettings"]


def test_scaling_in_spares_running_jobs(synthesized: Synthesized) -> None:
    worker = task_of(synthesized, ["worker"])
    assert container(worker)["StopTimeout"] == 120  # time to hand a job back on SIGTERM
    role = worker["Properties"]["TaskRoleArn"]["Fn::GetAtt"][0]
    actions = allowed_actions(synthesized, role)
    assert {"ecs:UpdateTaskProtection", "ecs:GetTaskProtection"} <= actions


def test_totp_mfa_and_a_pkce_client_for_the_hosted_ui(synthesized: Synthesized) -> None:
    pool = synthesized.one("AWS::Cognito::UserPool")["Properties"]
    assert pool["MfaConfiguration"] == "OPTIONAL"
    assert pool["EnabledMfas"] == ["SOFTWARE_TOKEN_MFA"]
    client = synthesized.one("AWS::Cognito::UserPoolClient")["Properties"]
    assert client["AllowedOAuthFlows"] == ["code"]
    assert client["AllowedOAuthFlowsUserPoolClient"] is True
    assert client.get("GenerateSecret", False) is False  # public: PKCE, no secret
    assert client["CallbackURLs"] == [
        {"Fn::Join": ["", ["https://", {"Ref": "DomainName"}, "/auth/callback"]]}
    ]
    assert set(client["AllowedOAuthScopes"]) >= {"openid", "email", "profile"}
    group = synthesized.one("AWS::Cognito::UserPoolGroup")["Properties"]
    assert group["GroupName"] == "admin"
    domain = synthesized.one("AWS::Cognito::UserPoolDomain")["Properties"]
    assert domain["Domain"] == {"Fn::Join": ["", ["videoforge-", {"Ref": "AWS::AccountId"}]]}


def test_mfa_required_by_the_setting() -> None:
    skip_without_cdk()
    from aws_cdk import App, Stack

    from tests.deploy.aws_synth import cdk_app_on_path

    cdk_app_on_path()
    from videoforge_aws.identity import Identity
    from videoforge_aws.settings import DeploySettings

    app = App()
    stack = Stack(app, "Pool")
    required = DeploySettings.from_context(stack)
    Identity(stack, "Identity", settings=required.__class__(mfa="required"), public_url="https://x")
    pool = [
        r
        for r in app.synth().get_stack_by_name("Pool").template["Resources"].values()
        if r["Type"] == "AWS::Cognito::UserPool"
    ]
    assert pool[0]["Properties"]["MfaConfiguration"] == "ON"
    assert pool[0]["Properties"]["EnabledMfas"] == ["SOFTWARE_TOKEN_MFA"]


def test_https_only_at_the_public_load_balancer(synthesized: Synthesized) -> None:
    balancers = synthesized.resources("AWS::ElasticLoadBalancingV2::LoadBalancer")
    (public,) = [k for k, v in balancers.items() if v["Properties"]["Scheme"] == "internet-facing"]
    listeners = [
        v["Properties"]
        for v in synthesized.resources("AWS::ElasticLoadBalancingV2::Listener").values()
        if v["Properties"]["LoadBalancerArn"] == {"Ref": public}
    ]
    by_port = {listener["Port"]: listener for listener in listeners}
    assert set(by_port) == {80, 443}
    https = by_port[443]
    assert https["Protocol"] == "HTTPS"
    assert https["Certificates"] == [{"CertificateArn": {"Ref": "CertificateArn"}}]
    assert https["SslPolicy"].startswith("ELBSecurityPolicy-TLS13")
    (redirect,) = by_port[80]["DefaultActions"]
    assert redirect["Type"] == "redirect"
    assert redirect["RedirectConfig"] == {
        "Port": "443",
        "Protocol": "HTTPS",
        "StatusCode": "HTTP_301",
    }
    # The rest listen inside the VPC only.
    for key, balancer in balancers.items():
        if key != public:
            assert balancer["Properties"]["Scheme"] == "internal"


def test_only_the_load_balancers_reach_the_services_and_only_they_the_database(
    synthesized: Synthesized,
) -> None:
    groups = synthesized.resources("AWS::EC2::SecurityGroup")
    by_description = {v["Properties"]["GroupDescription"]: k for k, v in groups.items()}
    services = by_description["VideoForge containers and functions"]
    database = by_description["PostgreSQL: only the services"]
    ingress = [
        v["Properties"] for v in synthesized.resources("AWS::EC2::SecurityGroupIngress").values()
    ]
    into_services = [i for i in ingress if i["GroupId"] == {"Fn::GetAtt": [services, "GroupId"]}]
    assert into_services and all("SourceSecurityGroupId" in i for i in into_services)
    assert all(i["FromPort"] == 8000 for i in into_services)
    into_database = [i for i in ingress if i["GroupId"] == {"Fn::GetAtt": [database, "GroupId"]}]
    assert [i["SourceSecurityGroupId"] for i in into_database] == [
        {"Fn::GetAtt": [services, "GroupId"]}
    ]
    assert not groups[database]["Properties"].get("SecurityGroupIngress")
    assert not groups[services]["Properties"].get("SecurityGroupIngress")


def test_the_bucket_is_private_and_read_only_through_cloudfront(synthesized: Synthesized) -> None:
    buckets = synthesized.resources("AWS::S3::Bucket")
    (media,) = [
        k
        for k, v in buckets.items()
        if "LifecycleConfiguration" in v["Properties"] and "LoggingConfiguration" in v["Properties"]
    ]
    properties = buckets[media]["Properties"]
    assert properties["PublicAccessBlockConfiguration"] == {
        "BlockPublicAcls": True,
        "BlockPublicPolicy": True,
        "IgnorePublicAcls": True,
        "RestrictPublicBuckets": True,
    }
    assert properties["BucketEncryption"]["ServerSideEncryptionConfiguration"]
    (cors,) = properties["CorsConfiguration"]["CorsRules"]
    assert cors["AllowedOrigins"] == [{"Fn::Join": ["", ["https://", {"Ref": "DomainName"}]]}]
    assert "PUT" in cors["AllowedMethods"] and cors["ExposedHeaders"] == ["ETag"]
    rules = {r["Id"]: r for r in properties["LifecycleConfiguration"]["Rules"]}
    assert rules["unfinished-multipart-uploads"]["AbortIncompleteMultipartUpload"] == {
        "DaysAfterInitiation": 2
    }
    (policy,) = [
        v["Properties"]["PolicyDocument"]["Statement"]
        for v in synthesized.resources("AWS::S3::BucketPolicy").values()
        if v["Properties"]["Bucket"] == {"Ref": media}
    ]
    allows = [s for s in policy if s["Effect"] == "Allow"]
    (distribution,) = synthesized.resources("AWS::CloudFront::Distribution")
    assert allows == [
        {
            "Action": "s3:GetObject",
            "Condition": {
                "StringEquals": {
                    "AWS:SourceArn": {
                        "Fn::Join": [
                            "",
                            [
                                "arn:",
                                {"Ref": "AWS::Partition"},
                                ":cloudfront::",
                                {"Ref": "AWS::AccountId"},
                                ":distribution/",
                                {"Ref": distribution},
                            ],
                        ]
                    }
                }
            },
            "Effect": "Allow",
            "Principal": {"Service": "cloudfront.amazonaws.com"},
            "Resource": {"Fn::Join": ["", [{"Fn::GetAtt": [media, "Arn"]}, "/*"]]},
        }
    ]
    config = synthesized.one("AWS::CloudFront::Distribution")["Properties"]["DistributionConfig"]
    (origin,) = config["Origins"]
    assert "OriginAccessControlId" in origin
    assert origin["S3OriginConfig"] == {"OriginAccessIdentity": ""}  # OAC, not the legacy OAI
    behavior = config["DefaultCacheBehavior"]
    assert behavior["TrustedKeyGroups"]  # only URLs signed by VideoForge's key
    assert behavior["ViewerProtocolPolicy"] == "https-only"
    (key_group,) = synthesized.resources("AWS::CloudFront::KeyGroup")
    assert behavior["TrustedKeyGroups"] == [{"Ref": key_group}]
    public_key = synthesized.one("AWS::CloudFront::PublicKey")["Properties"]["PublicKeyConfig"]
    assert public_key["EncodedKey"] == {"Ref": "CdnPublicKeyPem"}


def test_function_urls_have_both_permission_statements(lambda_shape: Synthesized) -> None:
    functions = {
        k: v["Properties"]["Handler"]
        for k, v in lambda_shape.resources("AWS::Lambda::Function").items()
        if v["Properties"]["Handler"].startswith("videoforge.serverless.")
    }
    assert sorted(functions.values()) == [
        "videoforge.serverless.gallery_handler",
        "videoforge.serverless.streaming_handler",
    ]
    permissions = [
        p["Properties"] for p in lambda_shape.resources("AWS::Lambda::Permission").values()
    ]
    urls = [u["Properties"] for u in lambda_shape.resources("AWS::Lambda::Url").values()]
    for function in functions:
        assert {"AuthType": "NONE", "TargetFunctionArn": {"Fn::GetAtt": [function, "Arn"]}} in urls
        mine = [
            p
            for p in permissions
            if p["FunctionName"] == {"Ref": function} and p["Principal"] == "*"
        ]
        assert {
            "Action": "lambda:InvokeFunctionUrl",
            "FunctionName": {"Ref": function},
            "FunctionUrlAuthType": "NONE",
            "Principal": "*",
        } in mine
        assert {
            "Action": "lambda:InvokeFunction",
            "FunctionName": {"Ref": function},
            "InvokedViaFunctionUrl": True,
            "Principal": "*",
        } in mine
        assert len(mine) == 2


def test_the_http_api_routes_each_role_prefix(lambda_shape: Synthesized) -> None:
    routes = {
        r["Properties"]["RouteKey"]
        for r in lambda_shape.resources("AWS::ApiGatewayV2::Route").values()
    }
    for prefix in (
        "/api/gallery",
        "/api/upload",
        "/api/jobs",
        "/api/admin",
        "/api/stream",
        "/media",
    ):
        assert {f"ANY {prefix}", f"ANY {prefix}/{{proxy+}}"} <= routes


# Actions AWS offers only on resource "*".
STAR_RESOURCE_ACTIONS = {
    "ecr:GetAuthorizationToken",
    # Step Functions log delivery (the migrations' waiter).
    "logs:CreateLogDelivery",
    "logs:CreateLogStream",
    "logs:GetLogDelivery",
    "logs:UpdateLogDelivery",
    "logs:DeleteLogDelivery",
    "logs:ListLogDeliveries",
    "logs:PutLogEvents",
    "logs:PutResourcePolicy",
    "logs:DescribeResourcePolicies",
    "logs:DescribeLogGroups",
}


def allow_statements(synth: Synthesized) -> list[tuple[str, dict[str, Any]]]:
    """(role logical id, statement) for every Allow in the stack's IAM policies."""
    found = []
    for policy in synth.resources("AWS::IAM::Policy").values():
        for statement in policy["Properties"]["PolicyDocument"]["Statement"]:
            if statement["Effect"] == "Allow":
                for role in policy["Properties"].get("Roles", []):
                    found.append((role["Ref"], statement))
    for key, role in synth.resources("AWS::IAM::Role").items():
        for policy in role["Properties"].get("Policies", []):
            for statement in policy["PolicyDocument"]["Statement"]:
                if statement["Effect"] == "Allow":
                    found.append((key, statement))
    return found


def _listed(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def allowed_actions(synth: Synthesized, role: str) -> set[str]:
    return {a for r, s in allow_statements(synth) if r == role for a in _listed(s["Action"])}


def test_no_wildcard_actions_and_star_resources_only_where_aws_requires(
    synthesized: Synthesized,
) -> None:
    statements = allow_statements(synthesized)
    assert statements
    for role, statement in statements:
        actions = _listed(statement["Action"])
        assert not [a for a in actions if "*" in a], f"{role}: wildcard action in {statement}"
        if "*" in _listed(statement["Resource"]):
            assert set(actions) <= STAR_RESOURCE_ACTIONS, f"{role}: resource * for {actions}"
    assert synthesized.resources("AWS::IAM::ManagedPolicy") == {}


def test_one_least_privilege_role_per_videoforge_role(synthesized: Synthesized) -> None:
    def task_role(command: list[str]) -> str:
        role: str = task_of(synthesized, command)["Properties"]["TaskRoleArn"]["Fn::GetAtt"][0]
        return role

    roles = {
        "gateway": task_role(
            ["serve", "--host", "0.0.0.0", "--port", "8000", "--roles", "gateway"]
        ),
        "auth": task_role(["serve", "--host", "0.0.0.0", "--port", "8000", "--roles", "auth"]),
        "processor": task_role(["worker"]),
        "migrate": task_role(["db", "upgrade"]),
    }
    for _key, function in synthesized.resources("AWS::Lambda::Function").items():
        handler = function["Properties"]["Handler"]
        if handler.startswith("videoforge.serverless."):
            role = handler.rsplit(".", 1)[1].removesuffix("_handler")
            roles[role] = function["Properties"]["Role"]["Fn::GetAtt"][0]
    if synthesized.shape == "fargate":
        for role in ("gallery", "streaming"):
            roles[role] = task_role(
                ["serve", "--host", "0.0.0.0", "--port", "8000", "--roles", role]
            )
    assert len(set(roles.values())) == 6  # one role each

    actions = {role: allowed_actions(synthesized, key) for role, key in roles.items()}
    everything = set().union(*actions.values())
    assert not [a for a in everything if a.startswith("cognito")]  # tokens are checked by keys
    assert "sqs:SendMessage" not in actions["streaming"]
    assert "s3:PutObject" not in actions["streaming"]
    assert not actions["gateway"] & {"s3:GetObject", "s3:PutObject", "sqs:SendMessage"}
    assert not actions["auth"] & {"s3:GetObject", "s3:PutObject", "sqs:SendMessage"}
    assert {"sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility"} <= actions[
        "processor"
    ]
    assert {"sqs:SendMessage", "s3:PutObject"} <= actions["gallery"]
    assert not {a for a in actions["migrate"] if a.startswith(("s3:", "sqs:"))}


def test_every_log_group_keeps_logs_for_a_while(synthesized: Synthesized) -> None:
    groups = synthesized.resources("AWS::Logs::LogGroup")
    assert all(g["Properties"].get("RetentionInDays") for g in groups.values())
    # Functions log into those groups, never into one Lambda makes without a retention.
    for key, function in synthesized.resources("AWS::Lambda::Function").items():
        logging = function["Properties"].get("LoggingConfig", {})
        assert logging.get("LogGroup", {}).get("Ref") in groups, key
    for task in synthesized.resources("AWS::ECS::TaskDefinition").values():
        options = container(task)["LogConfiguration"]["Options"]
        assert options["awslogs-group"]["Ref"] in groups
    assert not synthesized.resources("Custom::LogRetention")
    # Services that would make a log group of their own without retention export nothing.
    database = synthesized.one("AWS::RDS::DBInstance")["Properties"]
    assert not database.get("EnableCloudwatchLogsExports")


def test_migrations_run_once_before_anything_rolls(synthesized: Synthesized) -> None:
    (run,) = synthesized.resources("Custom::VideoForgeMigrations")
    migrate = task_of(synthesized, ["db", "upgrade"])
    properties = synthesized.template["Resources"][run]["Properties"]
    (migrate_key,) = [
        k for k, v in synthesized.resources("AWS::ECS::TaskDefinition").items() if v is migrate
    ]
    # A new task definition revision (new image or settings) is a new release: it runs again.
    assert properties["TaskDefinition"] == {"Ref": migrate_key}
    rolled = {**synthesized.resources("AWS::ECS::Service")}
    rolled.update(
        (k, v)
        for k, v in synthesized.resources("AWS::Lambda::Function").items()
        if v["Properties"]["Handler"].startswith("videoforge.serverless.")
    )
    assert len(rolled) == 5
    for key, resource in rolled.items():
        assert run in resource.get("DependsOn", []), f"{key} does not wait for the migrations"


def test_alarms_on_5xx_and_worker_errors(synthesized: Synthesized) -> None:
    alarms = [a["Properties"] for a in synthesized.resources("AWS::CloudWatch::Alarm").values()]
    names = {a.get("MetricName") for a in alarms}
    assert {"HTTPCode_ELB_5XX_Count", "HTTPCode_Target_5XX_Count", "WorkerErrors"} <= names
    assert all(a["AlarmActions"] for a in alarms)
    metric_filter = synthesized.one("AWS::Logs::MetricFilter")["Properties"]
    assert metric_filter["FilterPattern"] == '{ $.level = "error" }'


def test_no_lookups_and_no_ssm_parameters(synthesized: Synthesized) -> None:
    """Nothing read from an account at synth; the one SSM parameter is CDK's own check, at
    deploy time, that `cdk bootstrap` ran recently enough."""
    for name, parameter in synthesized.template["Parameters"].items():
        if name != "BootstrapVersion":
            assert not parameter["Type"].startswith("AWS::SSM"), name
    assert not json.loads((synthesized.out_dir / "manifest.json").read_text()).get("missing")
    text = json.dumps(synthesized.template)
    assert "resolve:ssm" not in text
