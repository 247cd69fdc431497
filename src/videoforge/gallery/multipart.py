"""Reading a multipart/form-data upload in constant memory.

python-multipart's push parser turns each network chunk into events; `StreamingForm` turns them
back into a pull interface, so the file part can be handed to `ObjectStore.put_stream` as an
iterator of chunks that flow straight from the socket to the store, with the size limit checked
as they pass. It runs in a worker thread; `next_chunk` fetches body chunks from the event loop.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import BinaryIO

from python_multipart.exceptions import FormParserError
from python_multipart.multipart import MultipartParser, parse_options_header

from videoforge.errors import BadRequest, PayloadTooLarge

MAX_FIELD_BYTES = 64 * 1024
# The parser is fed at most this much at a time, so the events it queues stay small however
# large the chunks the server hands over.
_FEED_BYTES = 256 * 1024
NOT_MULTIPART = "Send the upload as multipart/form-data with the video in a 'file' field."
BROKEN_BODY = "The upload was cut off or is not valid multipart/form-data; send it again."
NO_FILENAME = (
    "The '{field}' part needs a filename (Content-Disposition: form-data; name=\"{field}\"; "
    'filename="clip.mp4"), as browsers and curl -F {field}=@clip.mp4 send it.'
)


@dataclass
class _Part:
    name: str = ""
    filename: str | None = None


class StreamingForm:
    """Pull text fields and one file out of a multipart body as it arrives."""

    def __init__(
        self,
        content_type: str,
        next_chunk: Callable[[], bytes | None],
        *,
        max_file_bytes: int,
        too_large_message: str,
    ) -> None:
        kind, params = parse_options_header(content_type)
        boundary = params.get(b"boundary")
        if kind != b"multipart/form-data" or not boundary:
            raise BadRequest(NOT_MULTIPART)
        self.fields: dict[str, str] = {}
        self.file_bytes = 0
        self._next_chunk = next_chunk
        self._max_file_bytes = max_file_bytes
        self._too_large_message = too_large_message
        # ("headers", b"") | ("data", bytes) | ("end", b""); a part's headers are queued beside
        # its "headers" event, as the parser may run through several parts in one write.
        self._events: deque[tuple[str, bytes]] = deque()
        self._part_headers: deque[dict[bytes, bytes]] = deque()
        self._header_name = b""
        self._header_value = b""
        self._headers: dict[bytes, bytes] = {}
        self._ended = False
        self._pending = memoryview(b"")
        try:
            self._parser = MultipartParser(
                boundary,
                {
                    "on_part_begin": self._on_part_begin,
                    "on_header_field": self._on_header_field,
                    "on_header_value": self._on_header_value,
                    "on_header_end": self._on_header_end,
                    "on_headers_finished": self._on_headers_finished,
                    "on_part_data": lambda d, s, e: self._events.append(("data", d[s:e])),
                    "on_part_end": lambda: self._events.append(("end", b"")),
                },
            )
        except FormParserError as exc:
            raise BadRequest(NOT_MULTIPART) from exc

    # Parser callbacks: collect a part's headers.
    def _on_part_begin(self) -> None:
        self._headers = {}

    def _on_header_field(self, data: bytes, start: int, end: int) -> None:
        self._header_name += data[start:end]

    def _on_header_value(self, data: bytes, start: int, end: int) -> None:
        self._header_value += data[start:end]

    def _on_header_end(self) -> None:
        self._headers[self._header_name.lower()] = self._header_value
        self._header_name, self._header_value = b"", b""

    def _on_headers_finished(self) -> None:
        self._part_headers.append(self._headers)
        self._events.append(("headers", b""))

    def _next_event(self) -> tuple[str, bytes] | None:
        while not self._events:
            if self._ended:
                return None
            try:
                if not self._pending:
                    chunk = self._next_chunk()
                    if chunk is None:
                        self._ended = True
                        self._parser.finalize()
                        continue
                    self._pending = memoryview(chunk)
                self._parser.write(bytes(self._pending[:_FEED_BYTES]))
                self._pending = self._pending[_FEED_BYTES:]
            except FormParserError as exc:
                raise BadRequest(BROKEN_BODY) from exc
        return self._events.popleft()

    def _next_part(self) -> _Part | None:
        """Skip to the next part's data; None when the body is over."""
        while (event := self._next_event()) is not None:
            if event[0] == "headers":
                headers = self._part_headers.popleft()
                _, params = parse_options_header(headers.get(b"content-disposition", b""))
                filename = params.get(b"filename")
                return _Part(
                    name=params.get(b"name", b"").decode("utf-8", "replace"),
                    filename=filename.decode("utf-8", "replace") if filename is not None else None,
                )
        return None

    def next_file(self, file_field: str = "file") -> _Part | None:
        """Read text fields into `fields` until a file part starts; None if there is none.
        A part named `file_field` must be a file: without a filename it is refused."""
        while (part := self._next_part()) is not None:
            if part.filename is not None:
                return part
            if part.name == file_field:
                raise BadRequest(NO_FILENAME.format(field=file_field), code="no_filename")
            self.fields[part.name] = self._read_field()
        return None

    def _read_field(self) -> str:
        value = bytearray()
        while (event := self._next_event()) is not None and event[0] == "data":
            value += event[1]
            if len(value) > MAX_FIELD_BYTES:
                raise PayloadTooLarge("A form field is too long.")
        if event is None:
            raise BadRequest(BROKEN_BODY)
        return value.decode("utf-8", "replace")

    def file_chunks(self) -> Iterator[bytes]:
        """The current file part's bytes, refusing more than max_file_bytes."""
        while (event := self._next_event()) is not None and event[0] == "data":
            self.file_bytes += len(event[1])
            if self.file_bytes > self._max_file_bytes:
                raise PayloadTooLarge(self._too_large_message)
            yield event[1]
        if event is None:
            raise BadRequest(BROKEN_BODY)

    def skip_file(self) -> None:
        for _ in self.file_chunks():
            pass


def read_small_file(file: BinaryIO, limit: int, what: str) -> bytes:
    """A small uploaded file (a picture, a caption track) read whole, or 413 past `limit` bytes
    ("{what} may be at most N MiB."). FastAPI has spooled it by now; call it from a thread."""
    data = file.read(limit + 1)
    if len(data) > limit:
        raise PayloadTooLarge(f"{what} may be at most {limit // 1024 // 1024} MiB.")
    return data
