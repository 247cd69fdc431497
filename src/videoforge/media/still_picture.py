"""Reading one uploaded still picture with PyAV, within limits the caller gives.

The stated picture size is checked before the picture is decoded here, so that a small file
claiming a huge picture (a decompression bomb) is refused. (Opening a PNG already decodes it to
learn its size: FFmpeg's stream probe does so.) Callers (avatars, video pictures) turn the
errors into their own answers and messages.
"""

from __future__ import annotations

import io
from collections.abc import Collection

import av
from av.video.frame import VideoFrame

from videoforge.media.errors import InputRejected

# Demuxers of still pictures: image2, image2pipe, the *_pipe ones (jpeg_pipe, png_pipe, ...),
# gif, webp. A JPEG or PNG opens as a one-frame "video".
PICTURE_FORMATS = ("image2", "image2pipe", "_pipe", "gif", "webp")


class NotAPicture(InputRejected):
    """The file is not a still picture of an accepted format, or cannot be read at all."""


class DamagedPicture(NotAPicture):
    """The file is a picture, but its picture cannot be decoded."""


class PictureTooLarge(InputRejected):
    """The picture states a size over the limits; nothing of it was decoded."""

    def __init__(self, width: int, height: int) -> None:
        super().__init__(f"The picture is {width}x{height} pixels: larger than accepted here.")
        self.width = width
        self.height = height


def is_picture_format(name: str) -> bool:
    """Whether FFmpeg's demuxer `name` is one of still pictures."""
    return name.endswith(PICTURE_FORMATS)


def decode_still_picture(
    data: bytes,
    *,
    max_side: int,
    max_pixels: int | None = None,
    formats: Collection[str] | None = None,
) -> VideoFrame:
    """The picture in `data`, decoded. `formats` narrows the accepted demuxers (any picture
    demuxer when None). Raises NotAPicture, DamagedPicture or PictureTooLarge."""
    try:
        container = av.open(io.BytesIO(data), mode="r")
    except (av.FFmpegError, OSError, UnicodeDecodeError):
        raise NotAPicture("This file is not a picture that can be read.") from None
    with container:
        name = container.format.name
        accepted = name in formats if formats is not None else is_picture_format(name)
        if not accepted or not container.streams.video:
            raise NotAPicture(f"This file is not an accepted picture (it reads as {name}).")
        stream = container.streams.video[0]
        codec = stream.codec_context
        if codec is None:  # a picture format this FFmpeg has no decoder for (JPEG XL, say)
            raise NotAPicture(f"There is no decoder for this picture ({name}).")
        width, height = codec.width, codec.height
        if width <= 0 or height <= 0:
            raise DamagedPicture("The picture does not state its size.")
        too_many_pixels = max_pixels is not None and width * height > max_pixels
        if max(width, height) > max_side or too_many_pixels:
            raise PictureTooLarge(width, height)
        try:
            return next(container.decode(stream))
        except (av.FFmpegError, StopIteration):
            raise DamagedPicture("The picture is damaged: it cannot be decoded.") from None
