"""What text people type may hold: one home for the string types of request bodies.

`Line` (names, emails, titles, codes, passwords, tokens) holds no control character at all;
`Paragraphs` (descriptions) may break lines and hold tabs, but no other control character.
Neither holds a lone UTF-16 surrogate, which is not text and cannot be stored. NUL in particular
never gets in: PostgreSQL text cannot hold it, and nobody types it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Annotated

from pydantic import AfterValidator
from pydantic_core import PydanticCustomError

SURROGATES = "\ud800-\udfff"
# C0 controls, DEL and C1 controls, and surrogates (a pair arrives already joined).
_CONTROL = re.compile(f"[\x00-\x1f\x7f-\x9f{SURROGATES}]")
_CONTROL_BUT_BREAKS = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f{SURROGATES}]")


def _refusing(pattern: re.Pattern[str], what: str) -> Callable[[str], str]:
    def check(value: str) -> str:
        if pattern.search(value):
            raise PydanticCustomError("control_character", what)
        return value

    return check


Line = Annotated[
    str,
    AfterValidator(
        _refusing(_CONTROL, "must be one line of text, without control characters such as NUL")
    ),
]
Paragraphs = Annotated[
    str,
    AfterValidator(
        _refusing(
            _CONTROL_BUT_BREAKS,
            "must be text; line breaks and tabs are fine, other control characters such as "
            "NUL are not",
        )
    ),
]
