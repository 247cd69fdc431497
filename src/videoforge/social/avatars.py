"""Avatars: an uploaded picture, checked to be an image, cropped to a square and stored as a
small WebP under one key per account."""

from __future__ import annotations

from fractions import Fraction

import av
import av.filter

from videoforge.errors import PayloadTooLarge, UnsupportedMedia
from videoforge.media.still_picture import NotAPicture, PictureTooLarge, decode_still_picture

MAX_AVATAR_BYTES = 5 * 1024 * 1024
AVATAR_SIDE = 256
AVATAR_CONTENT_TYPE = "image/webp"
# FFmpeg's names for the single-picture formats people upload.
_IMAGE_FORMATS = frozenset({"png_pipe", "jpeg_pipe", "webp_pipe", "gif", "bmp_pipe"})
_MAX_SOURCE_SIDE = 10_000  # larger pictures are refused before decoding (memory)
_NOT_AN_IMAGE = "The avatar must be a PNG, JPEG, WebP, GIF or BMP picture."


def check_avatar_size(size: int) -> None:
    if size > MAX_AVATAR_BYTES:
        raise PayloadTooLarge(
            f"The avatar is larger than {MAX_AVATAR_BYTES // (1024 * 1024)} MB; "
            "choose a smaller picture."
        )
    if size == 0:
        raise UnsupportedMedia("The avatar file is empty.")


def make_avatar(data: bytes) -> bytes:
    """The picture in `data` as an AVATAR_SIDE square WebP (centre-cropped); 413 when too
    large, 415 when it is not a picture."""
    check_avatar_size(len(data))
    try:
        picture = decode_still_picture(data, max_side=_MAX_SOURCE_SIDE, formats=_IMAGE_FORMATS)
        square = _square(picture)
    except PictureTooLarge:
        raise PayloadTooLarge(
            f"The picture is over {_MAX_SOURCE_SIDE} pixels wide or high."
        ) from None
    except (NotAPicture, av.FFmpegError) as exc:
        raise UnsupportedMedia(_NOT_AN_IMAGE) from exc
    return _webp(square)


def _square(picture: av.VideoFrame) -> av.VideoFrame:
    graph = av.filter.Graph()
    graph.link_nodes(
        graph.add_buffer(
            width=picture.width,
            height=picture.height,
            format=picture.format,
            time_base=picture.time_base or Fraction(1, 1),
        ),
        graph.add("crop", "min(iw\\,ih):min(iw\\,ih)"),
        graph.add("scale", f"{AVATAR_SIDE}:{AVATAR_SIDE}"),
        graph.add("format", "yuv420p"),
        graph.add("buffersink"),
    ).configure()
    graph.push(picture)
    square = graph.pull()
    assert isinstance(square, av.VideoFrame)
    return square


def _webp(frame: av.VideoFrame) -> bytes:
    encoder = av.CodecContext.create("libwebp", "w")
    assert isinstance(encoder, av.VideoCodecContext)
    encoder.width = encoder.height = AVATAR_SIDE
    encoder.pix_fmt = "yuv420p"
    encoder.time_base = Fraction(1, 1)
    encoder.options = {"quality": "80"}
    packets = encoder.encode(frame) + encoder.encode(None)
    return b"".join(bytes(packet) for packet in packets)
