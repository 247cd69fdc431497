"""Reading an uploaded caption file (WebVTT or SubRip): checked line by line, turned into WebVTT.

Players drop a whole track over one bad line, so a file is refused at upload with what is wrong
and on which line. WebVTT is kept as written (its styles and cue settings included); SubRip is
rewritten as WebVTT (`,` before the milliseconds becomes `.`, the cue numbers become cue ids).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# (hh:)mm:ss.mmm in WebVTT; SubRip writes hh:mm:ss,mmm (many tools accept `.` there too).
_VTT_TIME = r"(?:(\d{2,}):)?([0-5]\d):([0-5]\d)\.(\d{3})"
_SRT_TIME = r"(\d{1,3}):([0-5]?\d):([0-5]?\d)[,.](\d{1,3})"
_VTT_TIMING = re.compile(rf"{_VTT_TIME}[ \t]+-->[ \t]+{_VTT_TIME}(?:[ \t]+(.*))?")
_SRT_TIMING = re.compile(rf"{_SRT_TIME}[ \t]*-->[ \t]*{_SRT_TIME}(?:[ \t]+.*)?")
_VTT_SIGNATURE = re.compile(r"WEBVTT(?:[ \t].*)?")
_EXAMPLE_VTT = "00:00:01.000 --> 00:00:04.000"
_EXAMPLE_SRT = "00:00:01,000 --> 00:00:04,000"


class CaptionSyntaxError(ValueError):
    """What is wrong with a caption file, and where (1-based line number, when one is to blame)."""

    def __init__(self, message: str, line: int | None = None) -> None:
        self.line = line
        self.reason = message
        super().__init__(f"Line {line}: {message}" if line else message)


@dataclass(frozen=True)
class Captions:
    webvtt: str  # the track as WebVTT text
    cues: int
    end: float  # seconds: when the last cue ends


def read_captions(data: bytes, filename: str = "") -> Captions:
    """The file as WebVTT; SubRip when it does not start with the WEBVTT signature (or its name
    ends in .srt). Raises CaptionSyntaxError."""
    text = _decode(data)
    if filename.lower().endswith(".srt") or not text.startswith("WEBVTT"):
        return srt_to_webvtt(text)
    return check_webvtt(text)


def _decode(data: bytes) -> str:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise CaptionSyntaxError("the file is not UTF-8 text.", line) from None
    if "\x00" in text:
        raise CaptionSyntaxError("the file holds a NUL character: it is not a text file.")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _seconds(hours: str | None, minutes: str, seconds: str, millis: str) -> float:
    return (
        int(hours or 0) * 3600 + int(minutes) * 60 + int(seconds) + int(millis.ljust(3, "0")) / 1000
    )


def _vtt_time(total: float) -> str:
    millis = round(total * 1000)
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    return f"{hours:02d}:{minutes:02d}:{rest // 1000:02d}.{rest % 1000:03d}"


def _check_order(start: float, end: float, number: int) -> None:
    if end <= start:
        raise CaptionSyntaxError("the cue ends before (or when) it starts.", number)


def check_webvtt(text: str) -> Captions:
    lines = text.split("\n")
    if not _VTT_SIGNATURE.fullmatch(lines[0].rstrip()):
        raise CaptionSyntaxError('a WebVTT file must start with "WEBVTT".', 1)
    index, cues, last_end = 1, 0, 0.0
    while index < len(lines) and lines[index].strip():  # the header: anything up to a blank
        if "-->" in lines[index]:
            raise CaptionSyntaxError("a blank line must follow the WEBVTT line.", index + 1)
        index += 1
    while index < len(lines):
        if not lines[index].strip():
            index += 1
            continue
        block_start = index
        block = []
        while index < len(lines) and lines[index].strip():
            block.append(lines[index])
            index += 1
        first = block[0]
        if re.match(r"(NOTE|STYLE|REGION)(?:[ \t]|$)", first) and "-->" not in first:
            if cues and not first.startswith("NOTE"):
                raise CaptionSyntaxError(
                    f"{first.split()[0]} blocks must come before the cues.", block_start + 1
                )
            continue
        timing_at = 1 if "-->" not in first and len(block) > 1 else 0
        timing = block[timing_at]
        number = block_start + timing_at + 1
        match = _VTT_TIMING.fullmatch(timing.strip())
        if match is None:
            raise CaptionSyntaxError(
                f"expected a cue timing such as {_EXAMPLE_VTT}, found {timing.strip()[:60]!r}.",
                number,
            )
        start, end = _seconds(*match.groups()[0:4]), _seconds(*match.groups()[4:8])
        _check_order(start, end, number)
        for offset, line in enumerate(block[timing_at + 1 :], start=1):
            if "-->" in line:
                raise CaptionSyntaxError("a blank line must separate the cues.", number + offset)
        cues += 1
        last_end = max(last_end, end)
    if not cues:
        raise CaptionSyntaxError("the file has no cues.")
    return Captions(text if text.endswith("\n") else text + "\n", cues, last_end)


def srt_to_webvtt(text: str) -> Captions:
    lines = text.split("\n")
    out = ["WEBVTT", ""]
    index, cues, last_end = 0, 0, 0.0
    while index < len(lines):
        if not lines[index].strip():
            index += 1
            continue
        cue_id = ""
        if "-->" not in lines[index]:
            cue_id = lines[index].strip()
            if not cue_id.isdigit():
                raise CaptionSyntaxError(
                    f"expected a cue number or a timing such as {_EXAMPLE_SRT}, "
                    f"found {cue_id[:60]!r}.",
                    index + 1,
                )
            index += 1
        timing = lines[index].strip() if index < len(lines) else ""
        match = _SRT_TIMING.fullmatch(timing)
        if match is None:
            found = f"found {timing[:60]!r}" if timing else "the file ends"
            raise CaptionSyntaxError(
                f"expected a timing such as {_EXAMPLE_SRT}, {found}.", index + 1
            )
        start, end = _seconds(*match.groups()[0:4]), _seconds(*match.groups()[4:8])
        _check_order(start, end, index + 1)
        index += 1
        body = []
        while index < len(lines) and lines[index].strip():
            if _SRT_TIMING.fullmatch(lines[index].strip()):
                raise CaptionSyntaxError("a blank line must separate the cues.", index + 1)
            body.append(lines[index].replace("-->", "->"))  # "-->" cannot appear in WebVTT text
            index += 1
        out += [cue_id] if cue_id else []
        out += [f"{_vtt_time(start)} --> {_vtt_time(end)}", *body, ""]
        cues += 1
        last_end = max(last_end, end)
    if not cues:
        raise CaptionSyntaxError("the file has no cues.")
    return Captions("\n".join(out), cues, last_end)
