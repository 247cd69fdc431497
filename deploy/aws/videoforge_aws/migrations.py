"""Migrations once per release: a one-off Fargate task running `videoforge db upgrade`, started
by a custom resource and waited for (until the task stops with exit code 0) before any service
or function rolls. The task definition's ARN is a property, so every release that changes the
image or the settings makes a new revision and runs it again; a failed upgrade fails the
deployment, and CloudFormation rolls back before a service sees the new code."""

from __future__ import annotations

from aws_cdk import Aws, CustomResource, Duration
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_stepfunctions as sfn
from aws_cdk import custom_resources as cr
from constructs import Construct

from videoforge_aws.data import Data
from videoforge_aws.environment import Wiring, environment
from videoforge_aws.network import Network
from videoforge_aws.retention import log_group
from videoforge_aws.tasks import Tasks

_START = """
import boto3

def handler(event, context):
    if event["RequestType"] == "Delete":
        return {"PhysicalResourceId": event.get("PhysicalResourceId", "migrations")}
    p = event["ResourceProperties"]
    answer = boto3.client("ecs").run_task(
        cluster=p["Cluster"], taskDefinition=p["TaskDefinition"], launchType="FARGATE",
        count=1, startedBy="videoforge-migrations",
        networkConfiguration={"awsvpcConfiguration": {
            "subnets": p["Subnets"], "securityGroups": p["SecurityGroups"],
            "assignPublicIp": p["AssignPublicIp"]}})
    if answer.get("failures") or not answer.get("tasks"):
        raise RuntimeError(f"could not start the migration task: {answer.get('failures')}")
    return {"PhysicalResourceId": "migrations", "Data": {"TaskArn": answer["tasks"][0]["taskArn"]}}
"""

_DONE = """
import boto3

def handler(event, context):
    if event["RequestType"] == "Delete":
        return {"IsComplete": True}
    p = event["ResourceProperties"]
    task = boto3.client("ecs").describe_tasks(
        cluster=p["Cluster"], tasks=[event["Data"]["TaskArn"]])["tasks"][0]
    if task["lastStatus"] != "STOPPED":
        return {"IsComplete": False}
    codes = [c.get("exitCode") for c in task["containers"]]
    if codes != [0]:
        raise RuntimeError(
            f"videoforge db upgrade failed (exit {codes}, {task.get('stoppedReason')}); "
            "its log is in the migrate task's log group")
    return {"IsComplete": True}
"""


class Migrations(Construct):
    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        wiring: Wiring,
        network: Network,
        data: Data,
        tasks: Tasks,
    ) -> None:
        super().__init__(scope, id)
        days = wiring.settings.log_retention_days
        definition = tasks.definition(
            "migrate",
            environment("migrate", wiring),
            [],
            command=["db", "upgrade"],
            cpu=256,
            memory_mib=512,
            http=False,
        )
        cluster = tasks.cluster
        tasks_in_cluster = (
            f"arn:{Aws.PARTITION}:ecs:{Aws.REGION}:{Aws.ACCOUNT_ID}:task/{cluster.cluster_name}/*"
        )

        start = self._function("Start", _START, days)
        start.add_to_role_policy(
            iam.PolicyStatement(
                actions=["ecs:RunTask"],
                resources=[definition.task_definition_arn],
                conditions={"ArnEquals": {"ecs:cluster": cluster.cluster_arn}},
            )
        )
        start.add_to_role_policy(
            iam.PolicyStatement(
                actions=["iam:PassRole"],
                resources=[
                    definition.task_role.role_arn,
                    definition.obtain_execution_role().role_arn,
                ],
            )
        )
        done = self._function("Done", _DONE, days)
        done.add_to_role_policy(
            iam.PolicyStatement(actions=["ecs:DescribeTasks"], resources=[tasks_in_cluster])
        )

        provider = cr.Provider(
            self,
            "Provider",
            on_event_handler=start,
            is_complete_handler=done,
            query_interval=Duration.seconds(15),
            total_timeout=Duration.minutes(30),
            log_group=log_group(self, "ProviderLogs", days),
            disable_waiter_state_machine_logging=False,
            waiter_state_machine_log_options=cr.LogOptions(
                destination=log_group(self, "WaiterLogs", days), level=sfn.LogLevel.ALL
            ),
        )
        subnets = network.vpc.select_subnets(
            subnet_type=network.task_subnets.subnet_type
        ).subnet_ids
        self.run = CustomResource(
            self,
            "Run",
            service_token=provider.service_token,
            resource_type="Custom::VideoForgeMigrations",
            properties={
                "Cluster": cluster.cluster_arn,
                "TaskDefinition": definition.task_definition_arn,
                "Subnets": subnets,
                "SecurityGroups": [network.services_sg.security_group_id],
                "AssignPublicIp": "ENABLED" if network.assign_public_ip else "DISABLED",
            },
        )
        # The database must exist (and answer) before the upgrade runs.
        self.run.node.add_dependency(data.database)

    def _function(self, id: str, code: str, days: int) -> lambda_.Function:
        return lambda_.Function(
            self,
            id,
            runtime=lambda_.Runtime.PYTHON_3_14,
            handler="index.handler",
            code=lambda_.Code.from_inline(code),
            timeout=Duration.seconds(30),
            log_group=log_group(self, f"{id}Logs", days),
            logging_format=lambda_.LoggingFormat.JSON,
        )
