"""The transcoding workers: an ECS Fargate service running `videoforge worker`, scaled by target
tracking on backlog per worker task, computed by CloudWatch metric math (visible messages ÷
running tasks), as AWS now recommends over publishing a metric of one's own.

Scale-in never throws a running transcode away: while a worker runs a job it turns on ECS task
scale-in protection (videoforge.worker.protection), and scale-in only stops idle tasks. A task
stopped anyway (a deployment, a failed host) hands its job back to the queue on SIGTERM within
the stop timeout, and another worker starts it again.
"""

from __future__ import annotations

from aws_cdk import Aws, Duration
from aws_cdk import aws_applicationautoscaling as appscaling
from aws_cdk import aws_iam as iam
from constructs import Construct, IDependable

from videoforge_aws.data import Data
from videoforge_aws.environment import Wiring, environment
from videoforge_aws.network import Network
from videoforge_aws.permissions import statements
from videoforge_aws.tasks import Tasks

# Fargate's longest stop timeout: SIGTERM, then this long before SIGKILL.
STOP_TIMEOUT = Duration.seconds(120)
SCALE_OUT_COOLDOWN = 60  # the original's cooldowns
SCALE_IN_COOLDOWN = 300


class Workers(Construct):
    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        wiring: Wiring,
        network: Network,
        data: Data,
        tasks: Tasks,
        min_workers: float,
        max_workers: float,
        target_backlog: float,
        after: IDependable,
    ) -> None:
        super().__init__(scope, id)
        settings = wiring.settings
        protection = iam.PolicyStatement(
            # The ECS agent endpoint the worker calls acts with the task role.
            actions=["ecs:UpdateTaskProtection", "ecs:GetTaskProtection"],
            resources=[
                f"arn:{Aws.PARTITION}:ecs:{Aws.REGION}:{Aws.ACCOUNT_ID}:task/"
                f"{tasks.cluster.cluster_name}/*"
            ],
        )
        definition = tasks.definition(
            "processor",
            environment("processor", wiring),
            [*statements("processor", data), protection],
            command=["worker"],
            cpu=settings.worker_cpu,
            memory_mib=settings.worker_memory_mib,
            http=False,
            disk_gib=settings.worker_disk_gib,
            stop_timeout=STOP_TIMEOUT,
        )
        self.service = tasks.service(self, "Service", definition, after=after)

        target = appscaling.ScalableTarget(
            self,
            "Capacity",
            service_namespace=appscaling.ServiceNamespace.ECS,
            scalable_dimension="ecs:service:DesiredCount",
            resource_id=f"service/{tasks.cluster.cluster_name}/{self.service.service_name}",
            min_capacity=min_workers,
            max_capacity=max_workers,
        )
        # L1: the L2 target-tracking helpers take one metric, not a metric-math expression.
        self.policy = appscaling.CfnScalingPolicy(
            self,
            "BacklogPerWorker",
            policy_name="backlog-per-worker",
            policy_type="TargetTrackingScaling",
            scaling_target_id=target.scalable_target_id,
            target_tracking_scaling_policy_configuration=appscaling.CfnScalingPolicy.TargetTrackingScalingPolicyConfigurationProperty(
                target_value=target_backlog,
                scale_out_cooldown=SCALE_OUT_COOLDOWN,
                scale_in_cooldown=SCALE_IN_COOLDOWN,
                customized_metric_specification=appscaling.CfnScalingPolicy.CustomizedMetricSpecificationProperty(
                    metrics=[
                        _metric(
                            "visible",
                            "AWS/SQS",
                            "ApproximateNumberOfMessagesVisible",
                            {"QueueName": data.jobs.queue_name},
                            "Sum",
                        ),
                        _metric(
                            "tasks",
                            "ECS/ContainerInsights",
                            "RunningTaskCount",
                            {
                                "ClusterName": tasks.cluster.cluster_name,
                                "ServiceName": self.service.service_name,
                            },
                            "Average",
                        ),
                        appscaling.CfnScalingPolicy.TargetTrackingMetricDataQueryProperty(
                            id="backlog_per_worker",
                            expression="visible / tasks",
                            label="Visible messages per running worker task",
                            return_data=True,
                        ),
                    ]
                ),
            ),
        )


def _metric(
    id: str, namespace: str, name: str, dimensions: dict[str, str], stat: str
) -> appscaling.CfnScalingPolicy.TargetTrackingMetricDataQueryProperty:
    prop = appscaling.CfnScalingPolicy
    return prop.TargetTrackingMetricDataQueryProperty(
        id=id,
        return_data=False,
        metric_stat=prop.TargetTrackingMetricStatProperty(
            metric=prop.TargetTrackingMetricProperty(
                namespace=namespace,
                metric_name=name,
                dimensions=[
                    prop.TargetTrackingMetricDimensionProperty(name=key, value=value)
                    for key, value in dimensions.items()
                ],
            ),
            stat=stat,
        ),
    )
