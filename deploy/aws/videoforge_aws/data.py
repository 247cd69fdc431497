"""PostgreSQL on RDS, the media bucket, the job queue with its dead-letter queue, and the secrets
CloudFormation can make itself (the database password and JWT_SECRET)."""

from __future__ import annotations

from aws_cdk import Duration, RemovalPolicy
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_rds as rds
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_secretsmanager as secretsmanager
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from videoforge_aws.network import Network
from videoforge_aws.settings import DeploySettings

DB_NAME = "videoforge"
DB_USER = "videoforge"
# Short-lived objects: records of direct uploads in progress, and `videoforge doctor`'s probes.
WORK_PREFIXES = ("uploads/", "doctor/")


class Data(Construct):
    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        settings: DeploySettings,
        network: Network,
        public_url: str,
    ) -> None:
        super().__init__(scope, id)
        keep = RemovalPolicy.RETAIN if settings.keep_data else RemovalPolicy.DESTROY

        self.database = rds.DatabaseInstance(
            self,
            "Postgres",
            engine=rds.DatabaseInstanceEngine.postgres(
                version=rds.PostgresEngineVersion.of(
                    settings.db_engine_version, settings.db_engine_version.split(".")[0]
                )
            ),
            instance_type=ec2.InstanceType(settings.db_instance_type),
            vpc=network.vpc,
            vpc_subnets=network.private_subnets,
            security_groups=[network.database_sg],
            database_name=DB_NAME,
            # The password is generated into Secrets Manager; containers get it from there.
            credentials=rds.Credentials.from_generated_secret(DB_USER),
            allocated_storage=settings.db_storage_gib,
            max_allocated_storage=settings.db_storage_gib * 5,
            storage_encrypted=True,
            backup_retention=Duration.days(7),
            deletion_protection=settings.keep_data,
            removal_policy=RemovalPolicy.SNAPSHOT if settings.keep_data else RemovalPolicy.DESTROY,
            multi_az=False,
            auto_minor_version_upgrade=True,
            # No log export: RDS would make its log group without a retention period.
        )
        self.db_secret = self.database.secret
        assert self.db_secret is not None

        self.jwt_secret = secretsmanager.Secret(
            self,
            "JwtSecret",
            description="VideoForge JWT_SECRET: signs media links; the same in every process",
            generate_secret_string=secretsmanager.SecretStringGenerator(
                password_length=48, exclude_punctuation=True
            ),
        )

        self.access_logs = s3.Bucket(
            self,
            "AccessLogs",
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            encryption=s3.BucketEncryption.S3_MANAGED,
            enforce_ssl=True,
            # CloudFront's standard logs are written with ACLs.
            object_ownership=s3.ObjectOwnership.OBJECT_WRITER,
            lifecycle_rules=[s3.LifecycleRule(expiration=Duration.days(90))],
            removal_policy=keep,
        )
        self.bucket = s3.Bucket(
            self,
            "Media",
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            encryption=s3.BucketEncryption.S3_MANAGED,
            enforce_ssl=True,
            object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
            # Browsers PUT uploads straight to presigned URLs (videoforge.gallery.direct_upload)
            # and read each part's ETag.
            cors=[
                s3.CorsRule(
                    allowed_origins=[public_url],
                    allowed_methods=[s3.HttpMethods.PUT, s3.HttpMethods.GET, s3.HttpMethods.HEAD],
                    allowed_headers=["*"],
                    exposed_headers=["ETag"],
                    max_age=3600,
                )
            ],
            server_access_logs_bucket=self.access_logs,
            server_access_logs_prefix="media/",
            lifecycle_rules=[
                s3.LifecycleRule(
                    id="unfinished-multipart-uploads",
                    abort_incomplete_multipart_upload_after=Duration.days(2),
                ),
                *(
                    s3.LifecycleRule(
                        id=f"work-files-{prefix.strip('/')}",
                        prefix=prefix,
                        expiration=Duration.days(7),
                    )
                    for prefix in WORK_PREFIXES
                ),
            ],
            removal_policy=keep,
        )

        self.dead_letters = sqs.Queue(
            self,
            "DeadLetters",
            retention_period=Duration.days(14),
            encryption=sqs.QueueEncryption.SQS_MANAGED,
            enforce_ssl=True,
        )
        self.jobs = sqs.Queue(
            self,
            "Jobs",
            # The worker holds a message for this long and extends it by heartbeat; the same
            # value goes to VIDEOFORGE_QUEUE_VISIBILITY_TIMEOUT_SECONDS.
            visibility_timeout=Duration.seconds(settings.lease_seconds),
            retention_period=Duration.days(4),
            encryption=sqs.QueueEncryption.SQS_MANAGED,
            enforce_ssl=True,
            dead_letter_queue=sqs.DeadLetterQueue(
                queue=self.dead_letters, max_receive_count=settings.max_receives
            ),
        )
