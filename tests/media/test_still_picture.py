"""Reading one uploaded still picture: formats, limits, damaged and non-picture files."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import av
import pytest

from videoforge.media.still_picture import (
    DamagedPicture,
    NotAPicture,
    PictureTooLarge,
    decode_still_picture,
    is_picture_format,
)


def encoded(codec: str, width: int, height: int) -> bytes:
    """A black picture of that size, as the file `codec` writes (PNG and TIFF need no muxer)."""
    encoder = av.CodecContext.create(codec, "w")
    assert isinstance(encoder, av.VideoCodecContext)
    encoder.width, encoder.height = width, height
    encoder.pix_fmt = "rgb24"
    encoder.time_base = Fraction(1, 1)
    frame = av.VideoFrame(width, height, "rgb24")
    for plane in frame.planes:
        plane.update(bytes(plane.buffer_size))
    packets = encoder.encode(frame) + encoder.encode(None)
    return b"".join(bytes(packet) for packet in packets)


def test_a_picture_within_the_limits_is_decoded() -> None:
    frame = decode_still_picture(encoded("png", 300, 20), max_side=300, max_pixels=6000)
    assert (frame.width, frame.height) == (300, 20)


@pytest.mark.parametrize(
    ("max_side", "max_pixels"), [(299, None), (300, 5999)], ids=["side", "pixels"]
)
def test_a_picture_over_a_limit_is_refused_with_its_size(
    max_side: int, max_pixels: int | None
) -> None:
    with pytest.raises(PictureTooLarge) as refused:
        decode_still_picture(encoded("png", 300, 20), max_side=max_side, max_pixels=max_pixels)
    assert (refused.value.width, refused.value.height) == (300, 20)


def test_the_caller_can_narrow_the_formats() -> None:
    tiff = encoded("tiff", 64, 48)
    assert decode_still_picture(tiff, max_side=100).width == 64
    with pytest.raises(NotAPicture) as refused:
        decode_still_picture(tiff, max_side=100, formats={"png_pipe", "jpeg_pipe"})
    assert not isinstance(refused.value, DamagedPicture)


def test_what_is_not_a_picture_is_refused(small_clip: Path) -> None:
    for data in (b"", b"just some text", small_clip.read_bytes()):
        with pytest.raises(NotAPicture) as refused:
            decode_still_picture(data, max_side=8192)
        assert not isinstance(refused.value, DamagedPicture)


def test_a_cut_off_picture_is_damaged() -> None:
    with pytest.raises(DamagedPicture):
        decode_still_picture(encoded("png", 64, 48)[:60], max_side=8192)


def test_picture_formats_are_told_from_containers() -> None:
    for name in ("png_pipe", "jpeg_pipe", "gif", "image2"):
        assert is_picture_format(name)
    for name in ("mov,mp4,m4a,3gp,3g2,mj2", "matroska,webm", "mpegts"):
        assert not is_picture_format(name)
