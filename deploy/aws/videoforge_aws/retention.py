"""Every log group of the deployment is made here, so none is left without a retention period."""

from __future__ import annotations

from aws_cdk import RemovalPolicy
from aws_cdk import aws_logs as logs
from constructs import Construct

# The periods CloudWatch Logs accepts that a deployment is likely to want.
_PERIODS = {
    1: logs.RetentionDays.ONE_DAY,
    3: logs.RetentionDays.THREE_DAYS,
    7: logs.RetentionDays.ONE_WEEK,
    14: logs.RetentionDays.TWO_WEEKS,
    30: logs.RetentionDays.ONE_MONTH,
    60: logs.RetentionDays.TWO_MONTHS,
    90: logs.RetentionDays.THREE_MONTHS,
    180: logs.RetentionDays.SIX_MONTHS,
    365: logs.RetentionDays.ONE_YEAR,
}


def retention(days: int) -> logs.RetentionDays:
    """The shortest accepted period that is at least `days` (a year at most)."""
    chosen = next((d for d in sorted(_PERIODS) if d >= days), 365)
    return _PERIODS[chosen]


def log_group(scope: Construct, id: str, days: int) -> logs.LogGroup:
    return logs.LogGroup(scope, id, retention=retention(days), removal_policy=RemovalPolicy.DESTROY)
