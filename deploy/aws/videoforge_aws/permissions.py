"""One least-privilege policy per VideoForge role, spelled out action by action (CDK's grant
helpers hand out wildcards such as s3:List*). Cognito appears nowhere: tokens are checked against
the pool's public keys, so no role may call Cognito.

What each role does with AWS (see videoforge.storage.s3, videoforge.queue.sqs, videoforge.health):
- every role's /api/ready lists the bucket and reads both queues' attributes;
- gallery: uploads (presigned single and multipart PUTs), reads, deletes a video's files,
  enqueues jobs, lists and redrives dead letters;
- streaming: reads media (presigned GETs);
- processor: reads sources, writes renditions, leases, settles and dead-letters messages;
- gateway and auth: nothing beyond readiness.
"""

from __future__ import annotations

from aws_cdk import aws_iam as iam

from videoforge_aws.data import Data

READ_OBJECTS = ["s3:GetObject"]
WRITE_OBJECTS = ["s3:PutObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"]
DELETE_OBJECTS = ["s3:DeleteObject"]
LEASE_MESSAGES = ["sqs:ReceiveMessage", "sqs:ChangeMessageVisibility", "sqs:DeleteMessage"]


def statements(role: str, data: Data) -> list[iam.PolicyStatement]:
    bucket, objects = data.bucket.bucket_arn, data.bucket.arn_for_objects("*")
    jobs, dead = data.jobs.queue_arn, data.dead_letters.queue_arn
    if role == "migrate":
        return []
    found = [
        _allow(["s3:ListBucket"], [bucket]),
        _allow(["sqs:GetQueueAttributes"], [jobs, dead]),
    ]
    if role == "gallery":
        found += [
            _allow(READ_OBJECTS + WRITE_OBJECTS + DELETE_OBJECTS, [objects]),
            _allow(["sqs:SendMessage"], [jobs]),
            # Listing and redriving dead letters (by hand, or with SQS's move task).
            _allow([*LEASE_MESSAGES, "sqs:StartMessageMoveTask"], [dead]),
        ]
    elif role == "streaming":
        found.append(_allow(READ_OBJECTS, [objects]))
    elif role == "processor":
        found += [
            _allow(READ_OBJECTS + WRITE_OBJECTS + DELETE_OBJECTS, [objects]),
            _allow(LEASE_MESSAGES, [jobs]),
            # Giving up on a job sends it to the DLQ; idle workers look there for messages
            # SQS moved on its own, so they can mark those jobs failed.
            _allow(["sqs:SendMessage", *LEASE_MESSAGES], [dead]),
        ]
    return found


def _allow(actions: list[str], resources: list[str]) -> iam.PolicyStatement:
    return iam.PolicyStatement(actions=actions, resources=resources)
