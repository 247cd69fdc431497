"""StreamingForm: fields and one file out of a multipart body, however it is chunked."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from videoforge.errors import BadRequest, PayloadTooLarge
from videoforge.gallery.multipart import StreamingForm

BOUNDARY = "b0undary"
CONTENT_TYPE = f"multipart/form-data; boundary={BOUNDARY}"


def body(*parts: tuple[str, str | None, bytes]) -> bytes:
    out = b""
    for name, filename, value in parts:
        disposition = f'form-data; name="{name}"' + (f'; filename="{filename}"' if filename else "")
        out += f"--{BOUNDARY}\r\nContent-Disposition: {disposition}\r\n\r\n".encode()
        out += value + b"\r\n"
    return out + f"--{BOUNDARY}--\r\n".encode()


def chunked(data: bytes, size: int) -> Callable[[], bytes | None]:
    pieces: Iterator[bytes] = iter([data[i : i + size] for i in range(0, len(data), size)])
    return lambda: next(pieces, None)


def form(data: bytes, size: int, limit: int = 10_000) -> StreamingForm:
    return StreamingForm(
        CONTENT_TYPE, chunked(data, size), max_file_bytes=limit, too_large_message="too big"
    )


@pytest.mark.parametrize("chunk_size", [1, 7, 100_000])
def test_fields_around_the_file(chunk_size: int) -> None:
    video = bytes(range(256)) * 20
    parsed = form(
        body(
            ("title", None, b"Before"),
            ("file", "clip.mp4", video),
            ("description", None, "After, with ünïcode".encode()),
        ),
        chunk_size,
    )
    part = parsed.next_file()
    assert part is not None and part.filename == "clip.mp4" and part.name == "file"
    assert parsed.fields == {"title": "Before"}
    assert b"".join(parsed.file_chunks()) == video
    assert parsed.next_file() is None
    assert parsed.fields == {"title": "Before", "description": "After, with ünïcode"}


def test_file_over_the_limit_is_refused_while_reading() -> None:
    parsed = form(body(("file", "big.mp4", b"x" * 5000)), 100, limit=1000)
    assert parsed.next_file() is not None
    with pytest.raises(PayloadTooLarge, match="too big"):
        for _ in parsed.file_chunks():
            pass
    assert parsed.file_bytes <= 1100


def test_cut_off_body_is_refused() -> None:
    whole = body(("file", "clip.mp4", b"x" * 500))
    parsed = form(whole[:300], 64)
    assert parsed.next_file() is not None
    with pytest.raises(BadRequest, match="cut off"):
        parsed.skip_file()


def test_not_multipart_is_refused() -> None:
    with pytest.raises(BadRequest, match="multipart/form-data"):
        StreamingForm("application/json", lambda: None, max_file_bytes=1, too_large_message="")
