"""What goes wrong in media/: each error's text is a message a person understands.

The worker decides what an error means for a job (processor/tasks.py): a rejected input fails
it for good, since trying again gives the same answer; a tool that fails on a good input
(runner.FfmpegError: ffmpeg crashed, ran out of time or space) is tried again.
"""

from __future__ import annotations


class MediaError(Exception):
    """A media step failed."""


class InputRejected(MediaError):
    """The input is bad, unreadable or outside the limits: trying again cannot help."""


class NotAVideo(InputRejected):
    """The file has no playable video or audio stream, or cannot be read at all."""
