"""What a tus upload's PATCH size costs on S3: requests and bytes per upload, counted on a moto
server through the real boto3 stack.

Each PATCH goes to the S3 store as tus_uploads.receive sends it (appends of at most
COMMIT_EVERY_BYTES, the superseded tail dropped after each, the whole completed at the end), so
the counts are the store's own. Smaller PATCHes than a part (8 MiB) leave a tail object that the
next PATCH reads back and rewrites; AWS Lambda forces that (6 MB per request, after base64).

    uv run python bench/tus_chunks.py [--mib 100] [--chunks-mib 4 16]
"""

from __future__ import annotations

import argparse
import io
import os
from collections import Counter
from typing import Any

from videoforge.gallery.tus_uploads import COMMIT_EVERY_BYTES
from videoforge.storage.s3 import S3Store, s3_client
from videoforge.testing.aws import CREDENTIALS, MotoServer, unique_name

MIB = 1024 * 1024


class Tally:
    """S3 requests by operation, bytes sent and received, from botocore's events."""

    def __init__(self, client: Any) -> None:
        self.requests: Counter[str] = Counter()
        self.sent = 0
        self.received = 0
        self.counting = True
        client.meta.events.register("before-parameter-build.s3", self._before)
        client.meta.events.register("after-call.s3", self._after)

    def _before(self, model: Any, params: dict[str, Any], **_: Any) -> None:
        if self.counting:
            self.requests[model.name] += 1
            body = params.get("Body")  # bytes, which boto3 has wrapped in a BytesIO by now
            if isinstance(body, io.BytesIO):
                self.sent += len(body.getbuffer())

    def _after(self, model: Any, parsed: dict[str, Any], **_: Any) -> None:
        if self.counting and model.name == "GetObject":
            self.received += int(parsed.get("ContentLength") or 0)


def upload(aws: MotoServer, data: bytes, chunk: int) -> tuple[Tally, int]:
    """Send `data` in PATCHes of `chunk` bytes; return the tally and the number of PATCHes."""
    client = s3_client(aws.region, aws.endpoint_url, **CREDENTIALS)
    bucket = unique_name("bench")
    client.create_bucket(Bucket=bucket)
    store = S3Store(bucket, region=aws.region, client=client)
    state = store.start_append("videos/v/source/clip.mp4", "tus/u")
    tally = Tally(client)
    patches = 0
    for start in range(0, len(data), chunk):
        patches += 1
        body = data[start : start + chunk]
        for at in range(0, len(body), COMMIT_EVERY_BYTES):
            new = store.append(state, [body[at : at + COMMIT_EVERY_BYTES]])
            store.drop_superseded(state, new)
            state = new
    store.complete_append(state)
    tally.counting = False  # the check below is the bench's, not the upload's
    with store.open(state.key) as stored:
        assert stored.read() == data, "the object differs from what was sent"
    return tally, patches


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mib", type=int, default=100, help="upload size in MiB")
    parser.add_argument("--chunks-mib", type=float, nargs="+", default=[4, 16])
    args = parser.parse_args()
    data = os.urandom(args.mib * MIB)
    rows = []
    with MotoServer() as aws:
        for chunk_mib in args.chunks_mib:
            tally, patches = upload(aws, data, int(chunk_mib * MIB))
            rows.append((chunk_mib, patches, tally))
    operations = sorted({op for _, _, tally in rows for op in tally.requests})
    print(f"\nS3 requests and bytes for one {args.mib} MiB tus upload, by PATCH size\n")
    head = ["PATCH MiB", "PATCHes", *operations, "requests", "MiB sent", "MiB read"]
    print(" | ".join(head))
    print(" | ".join("---" for _ in head))
    for chunk_mib, patches, tally in rows:
        counts = [str(tally.requests[op]) for op in operations]
        total = sum(tally.requests.values())
        sent, read = tally.sent / MIB, tally.received / MIB
        print(" | ".join([f"{chunk_mib:g}", str(patches), *counts, str(total)]), end="")
        print(f" | {sent:.1f} | {read:.1f}")


if __name__ == "__main__":
    main()
