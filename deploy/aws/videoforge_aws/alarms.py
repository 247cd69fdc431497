"""Alarms on what went unnoticed in the original: dead letters waiting, 5xx at the load balancer,
workers logging errors (and, in the lambda shape, function errors). They notify one SNS topic;
give `videoforge:alarm_email` to be mailed."""

from __future__ import annotations

from aws_cdk import Duration
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_cloudwatch_actions as actions
from aws_cdk import aws_elasticloadbalancingv2 as elbv2
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sns_subscriptions as subscriptions
from constructs import Construct

from videoforge_aws.data import Data

FIVE_MINUTES = Duration.minutes(5)


class Alarms(Construct):
    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        data: Data,
        public_alb: elbv2.ApplicationLoadBalancer,
        worker_logs: logs.ILogGroup,
        functions: dict[str, lambda_.Function],
        email: str,
    ) -> None:
        super().__init__(scope, id)
        self.topic = sns.Topic(self, "Topic", enforce_ssl=True)
        if email:
            self.topic.add_subscription(subscriptions.EmailSubscription(email))

        self._alarm(
            "DeadLetters",
            data.dead_letters.metric_approximate_number_of_messages_visible(
                period=FIVE_MINUTES, statistic="Maximum"
            ),
            threshold=1,
            description="Jobs failed every attempt; see `videoforge dlq list`, then redrive",
        )
        for name, metric in {
            "LoadBalancer5xx": public_alb.metrics.http_code_elb(
                elbv2.HttpCodeElb.ELB_5XX_COUNT, period=FIVE_MINUTES
            ),
            "Targets5xx": public_alb.metrics.http_code_target(
                elbv2.HttpCodeTarget.TARGET_5XX_COUNT, period=FIVE_MINUTES
            ),
        }.items():
            self._alarm(name, metric, threshold=5, description="5xx answers at the load balancer")

        # VIDEOFORGE_LOG_JSON=true: every record is {"level": "error", ...}.
        errors = logs.MetricFilter(
            self,
            "WorkerErrorLines",
            log_group=worker_logs,
            filter_pattern=logs.FilterPattern.string_value("$.level", "=", "error"),
            metric_namespace="VideoForge",
            metric_name="WorkerErrors",
            metric_value="1",
            default_value=0,
        )
        self._alarm(
            "WorkerErrors",
            errors.metric(period=FIVE_MINUTES, statistic="Sum"),
            threshold=1,
            description="A worker logged an error (a failed attempt, or the queue unreachable)",
        )
        for role, function in functions.items():
            self._alarm(
                f"{role.capitalize()}FunctionErrors",
                function.metric_errors(period=FIVE_MINUTES),
                threshold=1,
                description=f"The {role} function failed invocations",
            )

    def _alarm(
        self, id: str, metric: cloudwatch.IMetric, *, threshold: float, description: str
    ) -> None:
        alarm = cloudwatch.Alarm(
            self,
            id,
            metric=metric,
            threshold=threshold,
            evaluation_periods=1,
            comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
            treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
            alarm_description=description,
        )
        alarm.add_alarm_action(actions.SnsAction(self.topic))
