"""The captions API's shapes, and what a language tag may look like."""

from __future__ import annotations

import re
from datetime import datetime

from videoforge.api_model import ApiModel
from videoforge.errors import BadRequest

# BCP 47, loosely: a 2-3 letter language, then subtags of 2-8 letters or digits (script,
# region, variant): "en", "pt-BR", "zh-Hant-TW", "es-419". Private-use and grandfathered tags
# are not taken.
_LANGUAGE = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8}){0,4}", re.ASCII)
LANGUAGE_MAX = 35
LABEL_MAX = 100


def language_tag(value: str) -> str:
    """The tag in its usual case (language lower, script title, region upper), or BadRequest."""
    tag = value.strip().replace("_", "-")
    if len(tag) > LANGUAGE_MAX or not _LANGUAGE.fullmatch(tag):
        raise BadRequest(
            f"{value.strip()[:40]!r} is not a language tag: use a BCP 47 code such as "
            "en, fr, pt-BR or zh-Hant.",
            code="invalid_language",
        )
    first, *rest = tag.split("-")
    parts = [first.lower()]
    for part in rest:
        if len(part) == 4 and part.isalpha():
            parts.append(part.title())
        elif len(part) == 2 and part.isalpha():
            parts.append(part.upper())
        else:
            parts.append(part.lower())
    return "-".join(parts)


class CaptionOut(ApiModel):
    id: str
    language: str
    label: str
    url: str  # the signed WebVTT
    created_at: datetime
