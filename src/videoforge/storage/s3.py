"""Object store on S3 or any S3-compatible service (MinIO, R2, moto) by bucket, region, endpoint.

Beside the `ObjectStore` protocol it hands out presigned URLs, so that bytes go between the
browser and the bucket without passing through our servers: GET for playback and downloads,
PUT for small uploads, and multipart (start, presign each part, list the parts already there
to resume, complete, abort) for large ones. Browsers uploading directly need a CORS rule on the
bucket that allows PUT from the site's origin and exposes the `ETag` header.

An object written piece by piece (start_append..., for tus uploads) is a multipart upload, as
tusd's S3 store does it: whole parts of `part_size` go up as parts, and the bytes after the
last whole part (S3 wants at least 5 MiB per part but the last) wait in a "tail" object under
the scratch prefix, read back and joined by the next append. Every append writes a new tail
object and numbers its parts after every part S3 already holds plus one spare number, so a
writer that lost its turn but is still sending a part can never overwrite a part of the
writer that replaced it.
"""

from __future__ import annotations

import builtins
import uuid
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import replace
from pathlib import Path
from typing import Any, BinaryIO, cast
from urllib.parse import quote

import boto3
from boto3.exceptions import S3UploadFailedError
from botocore.config import Config
from botocore.exceptions import ClientError

from videoforge.storage.base import AppendState, StoredObject, UploadedPart, safe_key
from videoforge.storage.content_types import content_type

PART_SIZE = 8 * 1024 * 1024  # S3 wants parts of at least 5 MiB, all but the last
MAX_PART_NUMBER = 10_000  # S3's limit per multipart upload
_DELETE_BATCH = 1000  # the most keys one DeleteObjects call takes
_MISSING = {"NoSuchKey", "NotFound", "404", "NoSuchUpload"}

__all__ = ["PART_SIZE", "S3Store", "S3StoreError", "UploadedPart", "s3_client"]


class S3StoreError(RuntimeError):
    """An S3 call failed for a reason other than a missing key (access, bucket, network)."""


def s3_client(region: str, endpoint_url: str | None = None, **credentials: str) -> Any:
    """A boto3 S3 client that also suits S3-compatible stores: path-style addressing when an
    endpoint is given, and checksums only where S3 requires them (many compatible stores
    reject the newer default ones)."""
    config = Config(
        signature_version="s3v4",
        s3={"addressing_style": "path" if endpoint_url else "auto"},
        request_checksum_calculation="when_required",
        response_checksum_validation="when_required",
    )
    return boto3.client(
        "s3", region_name=region, endpoint_url=endpoint_url, config=config, **credentials
    )


class S3Store:
    def __init__(
        self,
        bucket: str,
        *,
        region: str,
        endpoint_url: str | None = None,
        prefix: str = "",
        client: Any = None,
        part_size: int = PART_SIZE,
    ) -> None:
        self.bucket = bucket
        self.prefix = f"{prefix.strip('/')}/" if prefix.strip("/") else ""
        self.client = client or s3_client(region, endpoint_url)
        self.part_size = part_size

    # -- the ObjectStore protocol ---------------------------------------------------------

    def put_stream(self, key: str, chunks: Iterable[bytes]) -> int:
        """Small streams go up in one PUT; longer ones as a multipart upload holding one part
        in memory at a time, aborted if anything fails so no orphan parts are left billed."""
        self._full(key)  # refuse a bad key before reading anything
        written = 0
        upload_id: str | None = None
        parts: builtins.list[UploadedPart] = []
        pending: bytes | None = None
        try:
            for block in _blocks(chunks, self.part_size):
                if pending is not None:
                    upload_id = upload_id or self._start(key, {})
                    parts.append(self._upload_part(key, upload_id, len(parts) + 1, pending))
                pending = block
                written += len(block)
            if upload_id is None:
                with self._errors("put", key):
                    self.client.put_object(
                        Bucket=self.bucket, Key=self._full(key), Body=pending or b""
                    )
                return written
            assert pending is not None
            parts.append(self._upload_part(key, upload_id, len(parts) + 1, pending))
            self._complete(key, upload_id, parts)
        except BaseException:
            if upload_id is not None:
                with suppress(ClientError):
                    self.client.abort_multipart_upload(
                        Bucket=self.bucket, Key=self._full(key), UploadId=upload_id
                    )
            raise
        return written

    def put_file(self, key: str, path: Path) -> None:
        full = self._full(key)
        try:
            # The type travels with the object, so CDN and presigned downloads answer with it.
            extra = {"ContentType": content_type(key)}
            self.client.upload_file(str(path), self.bucket, full, ExtraArgs=extra)
        except S3UploadFailedError as exc:
            raise S3StoreError(f"uploading {path} to {self._where(key)} failed: {exc}") from exc

    def open(self, key: str) -> BinaryIO:
        with self._errors("get", key):
            response = self.client.get_object(Bucket=self.bucket, Key=self._full(key))
        # botocore's StreamingBody is an io.IOBase reading straight from the connection.
        return cast(BinaryIO, response["Body"])

    def stat(self, key: str) -> StoredObject:
        with self._errors("stat", key):
            head = self.client.head_object(Bucket=self.bucket, Key=self._full(key))
        return StoredObject(key=key, size=head["ContentLength"], etag=head["ETag"].strip('"'))

    def local_path(self, key: str) -> Path | None:
        return None

    def download(self, key: str, dest: Path) -> None:
        with self._errors("download", key):
            self.client.download_file(self.bucket, self._full(key), str(dest))

    def list(self, prefix: str) -> Iterator[StoredObject]:
        """Objects at `prefix` or under `prefix/` (a folder, as on disk: 'videos/1' does not
        match 'videos/10/...')."""
        folder = prefix.strip("/")
        paginator = self.client.get_paginator("list_objects_v2")
        with self._errors("list", prefix):
            for page in paginator.paginate(Bucket=self.bucket, Prefix=self.prefix + folder):
                for item in page.get("Contents", []):
                    key = item["Key"][len(self.prefix) :]
                    if not folder or key == folder or key.startswith(f"{folder}/"):
                        yield StoredObject(key=key, size=item["Size"], etag=item["ETag"].strip('"'))

    def delete_prefix(self, prefix: str) -> int:
        folder = safe_key(prefix.rstrip("/"))
        batch: builtins.list[str] = []
        deleted = 0
        for obj in self.list(folder):
            batch.append(self._full(obj.key))
            if len(batch) == _DELETE_BATCH:
                deleted += self._delete_batch(folder, batch)
                batch = []
        if batch:
            deleted += self._delete_batch(folder, batch)
        return deleted

    def usage_bytes(self, prefix: str = "") -> int:
        return sum(obj.size for obj in self.list(prefix))

    # -- objects written piece by piece ----------------------------------------------------

    def start_append(self, key: str, scratch: str) -> AppendState:
        upload_id = self._start(key, {"ContentType": content_type(key)})
        return AppendState(key=key, scratch=safe_key(scratch), upload_id=upload_id)

    def append(self, state: AppendState, chunks: Iterable[bytes]) -> AppendState:
        assert state.upload_id is not None
        buffer = bytearray()
        number = 0  # known at the first byte: an empty append costs no request
        parts = builtins.list(state.parts)
        size = state.size
        for chunk in chunks:
            if not chunk:
                continue
            if not number:
                buffer += self._read_tail(state)
                number = self._next_part_number(state)
            buffer += chunk
            size += len(chunk)
            while len(buffer) >= self.part_size:
                if number > MAX_PART_NUMBER:
                    raise S3StoreError(f"{self._where(state.key)} would need too many parts")
                part = self._upload_part(
                    state.key, state.upload_id, number, bytes(buffer[: self.part_size])
                )
                parts.append(part)
                number += 1
                del buffer[: self.part_size]
        if size == state.size:
            return state  # nothing arrived: the recorded tail still holds
        tail = None
        if buffer:
            tail = f"{state.scratch}/tail-{uuid.uuid4().hex}"
            with self._errors("put", tail):
                self.client.put_object(Bucket=self.bucket, Key=self._full(tail), Body=bytes(buffer))
        return replace(state, size=size, parts=tuple(parts), tail=tail, tail_size=len(buffer))

    def drop_superseded(self, old: AppendState, new: AppendState) -> None:
        if old.tail and old.tail != new.tail:
            with suppress(ClientError):
                self.client.delete_object(Bucket=self.bucket, Key=self._full(old.tail))

    def complete_append(self, state: AppendState) -> None:
        assert state.upload_id is not None
        try:
            self.list_parts(state.key, state.upload_id)
        except FileNotFoundError:  # completed (or aborted) before
            if self._size_or_none(state.key) != state.size:
                raise
            self.delete_prefix(state.scratch)
            return
        parts = builtins.list(state.parts)
        if state.tail:
            tail = self._read_tail(state)
            number = self._next_part_number(state)
            parts.append(self._upload_part(state.key, state.upload_id, number, tail))
        if parts:
            self._complete(state.key, state.upload_id, parts)
        else:  # S3 cannot complete an upload without parts
            with self._errors("put", state.key):
                self.client.put_object(Bucket=self.bucket, Key=self._full(state.key), Body=b"")
            self.abort_multipart(state.key, state.upload_id)
        self.delete_prefix(state.scratch)

    def abort_append(self, state: AppendState) -> None:
        if state.upload_id is not None:
            with suppress(FileNotFoundError):
                self.abort_multipart(state.key, state.upload_id)
        self.delete_prefix(state.scratch)

    def _read_tail(self, state: AppendState) -> bytes:
        if not state.tail:
            return b""
        with self.open(state.tail) as stream:
            data = stream.read()
        if len(data) != state.tail_size:
            raise S3StoreError(
                f"{self._where(state.tail)} holds {len(data)} bytes, not {state.tail_size}"
            )
        return data

    def _next_part_number(self, state: AppendState) -> int:
        """After every part S3 holds for the upload, plus one number left free for a part that
        a writer which lost its turn may still be sending (its parts are never recorded)."""
        assert state.upload_id is not None
        held = [part.number for part in self.list_parts(state.key, state.upload_id)]
        highest = max([*held, *(part.number for part in state.parts)], default=0)
        return highest + 2

    def _size_or_none(self, key: str) -> int | None:
        try:
            return self.stat(key).size
        except FileNotFoundError:
            return None

    # -- presigned URLs --------------------------------------------------------------------

    def presign_get(
        self, key: str, expires: int, filename: str | None = None, content_type: str | None = None
    ) -> str:
        """A URL that GETs key for `expires` seconds; with `filename`, browsers save it as
        that name instead of playing it inline; with `content_type`, S3 answers with that
        Content-Type whatever the object was stored with."""
        params = {"Bucket": self.bucket, "Key": self._full(key)}
        if filename:
            params["ResponseContentDisposition"] = _attachment(filename)
        if content_type:
            params["ResponseContentType"] = content_type
        return self._presign("get_object", params, expires)

    def presign_put(self, key: str, expires: int, content_type: str) -> str:
        """A URL that PUTs key; the client must send the same Content-Type header."""
        params = {"Bucket": self.bucket, "Key": self._full(key), "ContentType": content_type}
        return self._presign("put_object", params, expires)

    def start_multipart(self, key: str, content_type: str) -> str:
        """Begin a multipart upload; return its upload id."""
        return self._start(key, {"ContentType": content_type})

    def presign_part(self, key: str, upload_id: str, part_number: int, expires: int) -> str:
        """A URL that PUTs part `part_number` (1..10000); S3 answers with the part's ETag."""
        params = {
            "Bucket": self.bucket,
            "Key": self._full(key),
            "UploadId": upload_id,
            "PartNumber": part_number,
        }
        return self._presign("upload_part", params, expires)

    def list_parts(self, key: str, upload_id: str) -> builtins.list[UploadedPart]:
        """Parts already uploaded, so an interrupted upload sends only the rest."""
        paginator = self.client.get_paginator("list_parts")
        pages = paginator.paginate(Bucket=self.bucket, Key=self._full(key), UploadId=upload_id)
        with self._errors("list parts of", key):
            return [
                UploadedPart(number=p["PartNumber"], etag=p["ETag"], size=p["Size"])
                for page in pages
                for p in page.get("Parts", [])
            ]

    def complete_multipart(
        self, key: str, upload_id: str, parts: Sequence[UploadedPart] | None = None
    ) -> StoredObject:
        """Join the parts into the object. Without `parts`, joins every part S3 holds for the
        upload (then a client need not report its ETags)."""
        if parts is None:
            parts = self.list_parts(key, upload_id)
        self._complete(key, upload_id, parts)
        return self.stat(key)

    def abort_multipart(self, key: str, upload_id: str) -> None:
        with self._errors("abort upload of", key):
            self.client.abort_multipart_upload(
                Bucket=self.bucket, Key=self._full(key), UploadId=upload_id
            )

    # -- helpers ---------------------------------------------------------------------------

    def _full(self, key: str) -> str:
        return self.prefix + safe_key(key)

    def _where(self, key: str) -> str:
        return f"s3://{self.bucket}/{self.prefix}{key}"

    @contextmanager
    def _errors(self, action: str, key: str) -> Iterator[None]:
        """Missing keys and uploads become FileNotFoundError (the protocol's contract); any
        other failure an S3StoreError naming the action, the object and S3's reason."""
        try:
            yield
        except ClientError as exc:
            error = exc.response.get("Error", {})
            code, reason = str(error.get("Code", "")), error.get("Message") or str(exc)
            if code in _MISSING:
                raise FileNotFoundError(f"{self._where(key)} does not exist") from exc
            raise S3StoreError(f"could not {action} {self._where(key)}: {code} {reason}") from exc

    def _presign(self, operation: str, params: dict[str, Any], expires: int) -> str:
        url: str = self.client.generate_presigned_url(operation, Params=params, ExpiresIn=expires)
        return url

    def _start(self, key: str, extra: dict[str, str]) -> str:
        with self._errors("start an upload of", key):
            response = self.client.create_multipart_upload(
                Bucket=self.bucket, Key=self._full(key), **extra
            )
        upload_id: str = response["UploadId"]
        return upload_id

    def _upload_part(self, key: str, upload_id: str, number: int, data: bytes) -> UploadedPart:
        with self._errors("upload a part of", key):
            response = self.client.upload_part(
                Bucket=self.bucket,
                Key=self._full(key),
                UploadId=upload_id,
                PartNumber=number,
                Body=data,
            )
        return UploadedPart(number=number, etag=response["ETag"], size=len(data))

    def _complete(self, key: str, upload_id: str, parts: Sequence[UploadedPart]) -> None:
        ordered = sorted(parts, key=lambda part: part.number)
        with self._errors("complete upload of", key):
            self.client.complete_multipart_upload(
                Bucket=self.bucket,
                Key=self._full(key),
                UploadId=upload_id,
                MultipartUpload={
                    "Parts": [{"PartNumber": p.number, "ETag": p.etag} for p in ordered]
                },
            )

    def _delete_batch(self, folder: str, keys: builtins.list[str]) -> int:
        with self._errors("delete objects under", folder):
            response = self.client.delete_objects(
                Bucket=self.bucket,
                Delete={"Objects": [{"Key": k} for k in keys], "Quiet": True},
            )
        if failed := response.get("Errors"):
            first = failed[0]
            raise S3StoreError(
                f"could not delete {len(failed)} of {len(keys)} objects in s3://{self.bucket}, "
                f"e.g. {first.get('Key')}: {first.get('Code')} {first.get('Message')}"
            )
        return len(keys)


def _blocks(chunks: Iterable[bytes], size: int) -> Iterator[bytes]:
    """Regroup chunks of any size into blocks of exactly `size` bytes (the last one shorter)."""
    buffer = bytearray()
    for chunk in chunks:
        buffer += chunk
        while len(buffer) >= size:
            yield bytes(buffer[:size])
            del buffer[:size]
    if buffer:
        yield bytes(buffer)


def _attachment(filename: str) -> str:
    """Content-Disposition for a download name (RFC 6266: ASCII fallback plus UTF-8 form)."""
    fallback = "".join(
        c if c.isascii() and c.isprintable() and c not in '"\\' else "_" for c in filename
    )
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"
